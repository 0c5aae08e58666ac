"""What a hostile rows part is checked against: sqlite_master as creation makes it, SQLite's
quick_check in bounded time, its references whole, no BLOB where MotCua writes text; the
refusal it meets, in the clerk's words (core.exchange.part)."""
from __future__ import annotations

import functools
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from core.exchange.part.layout import CATALOGUE, CHILDREN, NAME
from core.exchange.part.making import create
from db.schema import SCHEMA_VERSION

# Limits for a hostile part (sqlite3_limit): no text or blob longer than a whole format-2
# record may be (package.LINE_MAX), short statements (ours are), no deep triggers, no ATTACH.
LIMITS = ((sqlite3.SQLITE_LIMIT_LENGTH, 16_000_000), (sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000),
          (sqlite3.SQLITE_LIMIT_COLUMN, 200), (sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 1),
          (sqlite3.SQLITE_LIMIT_ATTACHED, 0), (sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1000),
          (sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000))
CHECK_SECONDS_PER_GB = 120   # quick_check: ~6 s a GB measured (core.database); generous bound


AGAIN = "Hãy xin máy gửi xuất lại gói."


class PartRefused(Exception):
    """The part is no rows part this program reads; the message says why, in Vietnamese, and
    `advice` what the clerk can do."""

    def __init__(self, why: str, advice: str = AGAIN):
        super().__init__(why)
        self.advice = advice


@functools.cache
def expected_master(version: int = SCHEMA_VERSION) -> tuple[tuple, ...]:
    """sqlite_master of a part as creation makes it (and the writer leaves it: the triggers it
    takes off come back with the same SQL), in a form that ignores only the rows' order;
    `version`: as the program at that schema made it (db.schema's migrations up to it)."""
    with tempfile.TemporaryDirectory(prefix="motcua-mau-") as folder:
        path = Path(folder) / NAME
        create(path, version)
        conn = sqlite3.connect(str(path))
        try:
            return _master(conn)
        finally:
            conn.close()


def _master(conn: sqlite3.Connection) -> tuple[tuple, ...]:
    rows = conn.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master")
    return tuple(sorted(rows, key=repr))


def _references(conn: sqlite3.Connection) -> None:
    """Every row's references inside the part (a payment's dossier, a vote's dossier, a
    dossier's unit …): a row pointing nowhere would be skipped unseen by a reading that joins
    (0.09 s for 20,000 dossiers)."""
    found = conn.execute("PRAGMA foreign_key_check").fetchone()
    if found is not None:
        raise PartRefused(f"có dòng của bảng {short(found[0], 40)} chỉ tới một dòng không có "
                          f"trong gói (bảng {short(found[2], 40)}).")


# where a value may be a BLOB in rows MotCua writes: an event's coded details and its hash
BLOB_COLUMNS = {("event_rows", "details"), ("event_rows", "hash")}
TABLES = (*CATALOGUE, "dossier_rows", *CHILDREN, "vote_rows")  # every table a merge reads


def _no_blobs(conn: sqlite3.Connection) -> set[str]:
    """No binary value where MotCua writes text or numbers: JSON never carried one, and a
    centre's screens and reports expect none (one scan a table, in C). A value is a BLOB
    exactly when it is >= x'' (SQLite orders NULL, numbers, texts, then BLOBs, the empty one
    first; a column's affinity never turns a BLOB into something else): one comparison a
    value, where typeof(…) = 'blob' was a function call and a text comparison (a part of
    20,000 dossiers 51 → 27 ms, docs/speed.md, twelfth round). The same scan asks a column
    that is not TEXT (`_text_column`) `+x >= ''` (a text or a BLOB), one comparison too: the
    tables where such a column holds a text are returned, and only there does `_all_utf8`
    read those columns (elsewhere they hold numbers and NULLs, nothing to decode: a part of
    20,000 dossiers ~50 ms less, docs/speed.md, thirty-fifth round)."""
    elsewhere = set()
    for table in TABLES:
        info = [row for row in conn.execute(f'PRAGMA table_info("{table}")')
                if (table, row[1]) not in BLOB_COLUMNS]
        columns = [row[1] for row in info]
        blobs = [f"\"{c}\" >= x''" for c in columns]
        wide = [test if _text_column(table, row) else f"+\"{row[1]}\" >= ''"
                for test, row in zip(blobs, info, strict=True)]
        row = conn.execute(f"SELECT {', '.join(blobs)} FROM \"{table}\" WHERE "
                           f"{' OR '.join(wide)} LIMIT 1").fetchone()
        if row is not None and 1 not in row:  # a text where numbers are kept: a BLOB after?
            elsewhere.add(table)
            row = conn.execute(f"SELECT {', '.join(blobs)} FROM \"{table}\" WHERE "
                               f"{' OR '.join(blobs)} LIMIT 1").fetchone()
        if row is not None:
            column = columns[list(row).index(1)]
            raise PartRefused(f"có dữ liệu nhị phân ở cột {table}.{column}, nơi MotCua chỉ ghi "
                              "chữ hoặc số.")
    return elsewhere


def _text_column(table: str, info: tuple) -> bool:
    """A column of TEXT affinity (its declared type, a row of PRAGMA table_info), not one of
    BLOB_COLUMNS: `_all_utf8` joins its every value (a text, a number, no BLOB: `_no_blobs`),
    another column's texts alone. (A column taken for TEXT that is not would only be joined
    whole, a column taken for another checked by `_no_blobs`: no text is left unread.)"""
    return (table, info[1]) not in BLOB_COLUMNS and any(
        word in info[2].upper() for word in ("CHAR", "CLOB", "TEXT"))


UTF8_ROWS = 20_000  # rows of a table `_all_utf8` joins at a time (in C)
_TEXT = "+{0} >= '' AND +{0} < x''"  # a text (no affinity: a number stays below every text)
# group_concat's separator, a literal newline: char(10) there was a call and an allocation a
# value (a part of 20,000 dossiers: its UTF-8 check 259 → 153 ms, the screen's search for a
# control character 124 → 87 ms; docs/speed.md, thirty-fifth round)
NEWLINE = "'\n'"


def _all_utf8(conn: sqlite3.Connection, elsewhere: set[str] | None = None) -> None:
    """Every text of every table a part's merge reads is UTF-8 by Python's strict decoder (no
    surrogate, stray continuation byte, overlong form, byte F5–FF or sequence cut short): the
    rule the records' reading applies to each value it reads (part.reading refuses what it
    cannot decode), where the SQL copy, which decodes nothing, stored such bytes (SQLite reads
    them as U+FFFD) or crashed. A table's texts are joined by SQLite a chunk of rows at a time
    (a newline between values, so no sequence spans two) and decoded once in C; only a chunk
    that fails (or is too long to join) is read again value by value, to name the row. A
    TEXT column's values are joined as they are (`_no_blobs` let no BLOB there; a number a
    crafted part holds there joins as ASCII), another's texts alone, and those only in the
    tables `elsewhere` (what `_no_blobs` returned: where such a column holds a text; None:
    every table) and in BLOB_COLUMNS. A part stored in UTF-16 (crafted) is read through
    SQLite's conversion, which leaves none."""
    if conn.execute("PRAGMA encoding").fetchone()[0] != "UTF-8":
        return
    # WITHOUT ROWID tables asked once: pragma_table_list names every view's columns too, and
    # while the checks run (trusted_schema OFF) a view's names are not kept, so each call
    # resolved them again, ~6 ms (12 calls were 70-85 ms a part; docs/speed.md, 35th round)
    without = {row[0] for row in conn.execute(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND wr")}
    for table in TABLES:
        keys, columns, texts = _keys_and_columns(conn, table, table in without)
        if elsewhere is not None and table not in elsewhere:
            columns = [c for c in columns if c in texts or (table, c[1:-1]) in BLOB_COLUMNS]
        joined = ", ".join(f"CAST(group_concat({c}, {NEWLINE})"
                           + ("" if c in texts else f" FILTER (WHERE {_TEXT.format(c)})")
                           + " AS BLOB)" for c in columns)
        for chunk, bound in _chunks(conn, table, keys, columns):
            try:
                found = conn.execute(f"SELECT {joined} FROM ({chunk})", bound).fetchone()
            except sqlite3.DataError:  # longer joined than a value may be (LIMITS)
                found = [b"\xff"]  # (read value by value)
            if not all(map(_utf8, found)):
                _each_utf8(conn, table, len(keys), columns, chunk, bound)


def _keys_and_columns(conn: sqlite3.Connection, table: str, without: bool
                      ) -> tuple[list[str], list[str], set[str]]:
    """A table's key, in the order its rows are stored (rowid, or a WITHOUT ROWID table's
    primary key), its columns and those of TEXT affinity but BLOB_COLUMNS, quoted."""
    info = list(conn.execute(f'PRAGMA table_info("{table}")'))
    columns = [f'"{row[1]}"' for row in info]
    texts = {f'"{row[1]}"' for row in info if _text_column(table, row)}
    keys = [f'"{row[1]}"' for row in sorted(info, key=lambda r: r[5]) if row[5]] \
        if without else ["rowid"]
    return keys, columns, texts


def _chunks(conn: sqlite3.Connection, table: str, keys: list[str], columns: list[str]):
    """The table's rows UTF8_ROWS at most at a time: (a SELECT of their key, as motcua_k0 …,
    and their columns; its bound values). A rowid table by ranges of rowids (a SELECT
    SQLite flattens into the one reading it), a WITHOUT ROWID one after the last key."""
    named = ", ".join(f"{k} AS motcua_k{i}" for i, k in enumerate(keys))
    head = f"SELECT {named}, {', '.join(columns)} FROM \"{table}\""
    if keys == ["rowid"]:
        low = conn.execute(f'SELECT min(rowid) FROM "{table}"').fetchone()[0]
        while low is not None:
            high = min(low + UTF8_ROWS - 1, (1 << 63) - 1)
            yield f"{head} WHERE rowid BETWEEN ? AND ?", [low, high]
            low = None if high == (1 << 63) - 1 else conn.execute(
                f'SELECT min(rowid) FROM "{table}" WHERE rowid > ?', [high]).fetchone()[0]
        return
    after: list = []
    while True:
        where = f"({', '.join(keys)}) > ({', '.join('?' * len(after))})" if after else "1"
        chunk = f"{head} WHERE {where} ORDER BY {', '.join(keys)} LIMIT {UTF8_ROWS}"
        yield chunk, after
        last = conn.execute(f"SELECT * FROM ({chunk}) LIMIT 1 OFFSET {UTF8_ROWS - 1}",
                            after).fetchone()
        if last is None:
            return
        after = list(last[:len(keys)])


def _utf8(data: bytes | None) -> bool:
    try:
        data is None or data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _each_utf8(conn: sqlite3.Connection, table: str, keyed: int, columns: list[str],
               chunk: str, bound: list) -> None:
    """The chunk's texts decoded one by one: the first that is no UTF-8 refused with its
    table, column and row (its key)."""
    cast = ", ".join(f"CASE WHEN {_TEXT.format(c)} THEN CAST({c} AS BLOB) END" for c in columns)
    keys = ", ".join(f"motcua_k{i}" for i in range(keyed))
    for row in conn.execute(f"SELECT {keys}, {cast} FROM ({chunk})", bound):
        for column, value in zip(columns, row[keyed:], strict=True):
            if not _utf8(value):
                where = ", ".join(str(k) for k in row[:keyed])
                raise PartRefused(f"có chữ không đọc được (không phải UTF-8) ở cột "
                                  f"{table}.{column.strip(chr(34))}, dòng {where}.")


def _quick_check(conn: sqlite3.Connection, size: int,
                 stop: threading.Event | None = None) -> None:
    """SQLite's quick_check, its time bounded (a crafted file must not hold the import)."""
    deadline = time.monotonic() + 10 + CHECK_SECONDS_PER_GB * size / 1e9
    stopped = stop.is_set if stop is not None else lambda: False
    conn.set_progress_handler(lambda: stopped() or time.monotonic() > deadline, 100_000)
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(1)")]
    except sqlite3.OperationalError as exc:
        if stopped():
            raise InterruptedError("part check stopped") from None
        if "interrupt" in str(exc).lower():
            raise PartRefused("không kiểm tra xong tính toàn vẹn (quick_check) trong thời "
                              "gian cho phép.") from None
        raise
    finally:
        conn.set_progress_handler(stop.is_set if stop is not None else None, 100_000)
    if found != ["ok"]:
        raise PartRefused(f"là tệp cơ sở dữ liệu hỏng (quick_check: {short(found[0])}).")


# ----- a part of an older schema ---------------------------------------------------------------
# MotCua writes format 3 since schema 23 (01/12/2026). A part of an older schema, down to
# OLDEST_SCHEMA, is brought forward by the program's own migrations (db.schema, the code that
# upgrades a database when it is opened) and then checked as a part of this schema: a commune
# not yet updated still sends what the centre merges. 22 is read too (a part as the program at
# 22 would have made it: its payments and votes in the tables of their texts; the upgrade is
# schema 23's migration), the oldest whose upgrade is SQL on the part's own tables alone
# (21's rebuilds the dossiers with the foreign keys off, 20's fills the search index); no
# MotCua wrote a part older than 23, so this lets the path be tested against a real migration

def _schema_ours(conn: sqlite3.Connection, upgraded: bool = False) -> bool:
    """sqlite_master as creation makes it; `upgraded` (the file brought forward by the
    migrations, `_upgraded`): but for the pages its tables and indexes start on, where the
    upgrade put them, the rows of the part being there first."""
    if not upgraded:
        return _master(conn) == expected_master()
    return _unrooted(_master(conn)) == _unrooted(expected_master())


def _unrooted(master: tuple[tuple, ...]) -> list[tuple]:
    return sorted(((kind, name, table, sql) for kind, name, table, _root, sql in master),
                  key=repr)

def short(text, limit: int = 120) -> str:
    text = str(text).replace("*** in database main ***", "")
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[:limit] + "…"
