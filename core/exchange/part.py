"""The rows part of a format-3 package (`rows.motcua`): a MotCua database file.

What it is (the interface the centre's SQL fast path reads too): a database made by the
program's own creation code (db.schema's migrations, at SCHEMA_VERSION, application_id set,
rollback journal, nothing run after them but the copy), holding in the program's own internal
tables, with the sender's own ids:

    the catalogue       units, procedures, procedure_rules, procedure_components, calendar
    the words           event_words (what the compact events name by number)
    the dossiers        dossier_rows of the package, and their supplements, extensions,
                        payment_rows, dossier_components, complaints, event_rows
    the votes           vote_rows of the package
    the aliases         code_aliases rows whose local_code is a dossier of the package: the
                        codes other installations gave those dossiers before they were
                        re-coded (core.exchange.recode.carried); a part an older program
                        wrote has the table empty, and is read as before

Nothing else: no accounts, access_log, kpi_daily, chain_marks, code counters, and no settings
beyond the two rows creation writes. The search index is left empty (the receiver computes its
own keys). So every package record is read from it by core.exchange.records, the very functions
that read a database for a format-2 package: the same records, by the same code.

The writer fills it with `INSERT … SELECT` from the sender's connection (no Python per row).
The reader treats it as hostile (it came by USB stick, https://www.sqlite.org/security.html,
"Defense Against the Dark Arts"): read only, `trusted_schema`/`cell_size_check`/`mmap_size`
set, the lengths SQLite accepts limited, its sqlite_master equal row for row to what creation
makes (no extra trigger, view, table or index, the same SQL text), its versions ours (a part
of an older schema, proven exactly what the program at that schema made and whole, is first
brought forward in its file by the program's migrations: `_upgraded`), `quick_check` clean,
every reference inside it whole (`foreign_key_check`) and no BLOB where MotCua writes text or
numbers, all before a row is read; the records are then checked as any
package's (core.exchange.checks), or, for the dossiers new to a centre, by the SQL fast path's
screen built from the same rules (core.exchange.fastcopy).
"""
from __future__ import annotations

import functools
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from core.exchange import records
from core.exchange.checks import BadRecord
from core.moment import chunks, marks
from db import searchtext
from db.connection import APPLICATION_ID, PAGE_SIZE
from db.schema import SCHEMA_VERSION, run_migration

NAME = "rows.motcua"
# copied whole (small, and what the records of the dossiers and the catalogue parts read)
CATALOGUE = ("units", "procedures", "procedure_rules", "procedure_components", "calendar",
             "event_words")
# copied for the package's dossiers (by dossier_id), in an order the foreign keys accept
CHILDREN = ("supplements", "extensions", "payment_rows", "dossier_components", "complaints",
            "event_rows")
ALIAS = "motcua_part"
FTS_TRIGGERS = "dossiers_fts_%"
# A manifest's counts, as the format-2 writer tallies them, by SQL on the part
COUNTS = (("units", "SELECT COUNT(*) FROM units"),
          ("procedures", "SELECT COUNT(*) FROM procedures"),
          ("calendar", "SELECT COUNT(*) FROM calendar"),
          ("dossiers", "SELECT COUNT(*) FROM dossier_rows"),
          ("events", "SELECT COUNT(*) FROM event_rows"),
          ("waits", "SELECT COUNT(*) FROM supplements"),
          ("payments", "SELECT COUNT(*) FROM payment_rows"),
          ("components", "SELECT COUNT(*) FROM dossier_components"),
          ("complaints", "SELECT COUNT(*) FROM complaints"),
          ("extensions", "SELECT COUNT(*) FROM extensions"),
          ("votes", "SELECT COUNT(*) FROM vote_rows"))

# Limits for a hostile part (sqlite3_limit): no text or blob longer than a whole format-2
# record may be (package.LINE_MAX), short statements (ours are), no deep triggers, no ATTACH.
LIMITS = ((sqlite3.SQLITE_LIMIT_LENGTH, 16_000_000), (sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000),
          (sqlite3.SQLITE_LIMIT_COLUMN, 200), (sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 1),
          (sqlite3.SQLITE_LIMIT_ATTACHED, 0), (sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1000),
          (sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000))
CHECK_SECONDS_PER_GB = 120   # quick_check: ~6 s a GB measured (core.database); generous bound
MAGIC = b"SQLite format 3\x00"

Progress = Callable[[int, int], object]
Checks = Callable[[sqlite3.Connection, int, "threading.Event | None"], None]


# ----- making it -------------------------------------------------------------------------------
def create(path: Path, version: int = SCHEMA_VERSION) -> None:
    """A new, empty rows part at `path`: the program's migrations at SCHEMA_VERSION, in one
    transaction, as a new database is made (db.schema), in the rollback journal (one file).
    `version`: as the program at that schema made it (what an older part is checked against)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        searchtext.register(conn)  # schema 21's view and triggers name its functions
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("BEGIN")
        for index in range(version):
            run_migration(conn, index)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    finally:
        conn.close()


def build(source: sqlite3.Connection, path: Path, dossier_ids: list[int], vote_ids: list[int],
          progress: Progress | None = None) -> dict:
    """Make the rows part of these dossiers and votes of `source` at `path` (a new file);
    returns the manifest's counts. The search index's triggers are taken off while the rows go
    in (they would call Python and FTS5 for every dossier) and put back with the same SQL."""
    create(path)
    triggers = _without_fts_triggers(path)
    source.execute("ATTACH DATABASE ? AS " + ALIAS, [str(path)])
    try:
        _copy(source, dossier_ids, vote_ids, progress)
    finally:
        source.execute("DETACH DATABASE " + ALIAS)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        for sql in triggers:
            conn.execute(sql)
        return {key: conn.execute(sql).fetchone()[0] for key, sql in COUNTS}
    finally:
        conn.close()


def _without_fts_triggers(path: Path) -> list[str]:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                             "name LIKE ? ORDER BY name", [FTS_TRIGGERS]).fetchall()
        for name, _sql in found:
            conn.execute(f'DROP TRIGGER "{name}"')
        return [sql for _name, sql in found]
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> str:
    """The table's columns by name: an upgraded sender may hold them in another order than a
    new file (ALTER TABLE … ADD COLUMN puts a column last)."""
    names = [row[1] for row in conn.execute(f'PRAGMA {ALIAS}.table_info("{table}")')]
    return ", ".join(f'"{n}"' for n in names)


def _copy(source: sqlite3.Connection, dossier_ids: list[int], vote_ids: list[int],
          progress: Progress | None) -> None:
    """All rows in one transaction of the sender's connection, from C (INSERT … SELECT)."""
    total, steps = len(dossier_ids), len(CATALOGUE) + len(CHILDREN) + 3
    source.execute("CREATE TEMP TABLE motcua_part_dossiers (id INTEGER PRIMARY KEY)")
    source.execute("CREATE TEMP TABLE motcua_part_votes (id INTEGER PRIMARY KEY)")
    try:
        source.execute("BEGIN")
        try:
            source.executemany("INSERT INTO temp.motcua_part_dossiers VALUES (?)",
                               [(i,) for i in dossier_ids])
            source.executemany("INSERT INTO temp.motcua_part_votes VALUES (?)",
                               [(i,) for i in vote_ids])
            statements = [(t, "") for t in CATALOGUE]
            statements.append(("dossier_rows", " WHERE id IN temp.motcua_part_dossiers"))
            statements += [(t, " WHERE dossier_id IN temp.motcua_part_dossiers")
                           for t in CHILDREN]
            statements.append(("vote_rows", " WHERE id IN temp.motcua_part_votes"))
            # the aliases of the package's dossiers travel with them (core.exchange.recode)
            statements.append(("code_aliases", " WHERE local_code IN (SELECT code FROM "
                               "main.dossier_rows WHERE id IN temp.motcua_part_dossiers)"))
            for done, (table, where) in enumerate(statements, 1):
                columns = _columns(source, table)
                source.execute(f'INSERT INTO {ALIAS}."{table}" ({columns}) SELECT {columns} '
                               f'FROM main."{table}"{where}')
                if progress is not None and progress(total * done // steps, total) is False:
                    raise InterruptedError("export cancelled")
            source.execute("COMMIT")
        except BaseException:
            source.execute("ROLLBACK")
            raise
    finally:
        source.execute("DROP TABLE temp.motcua_part_dossiers")
        source.execute("DROP TABLE temp.motcua_part_votes")


# ----- reading it ------------------------------------------------------------------------------
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


def open_checked(path: Path, stop: threading.Event | None = None) -> sqlite3.Connection:
    """The part at `path` (a file of our own, extracted and its checksum verified) opened read
    only and defended; PartRefused when it is not exactly a rows part of this schema. `stop`:
    set by another thread, the checks end at SQLite's next progress call (InterruptedError).
    A part of an older schema this program brings forward is upgraded in its file first
    (`_upgraded`)."""
    with path.open("rb") as file:
        if file.read(len(MAGIC)) != MAGIC:
            raise PartRefused("không phải tệp cơ sở dữ liệu SQLite.")
    try:
        return _open(path, checked=False, stop=stop)
    except OlderPart as older:
        return _upgraded(path, older.version, stop)


def reopen(path: Path) -> sqlite3.Connection:
    """A part `open_checked` accepted, opened again as it was (defended, its schema trusted),
    not checked again: the file is the reader's own, unchanged since (package.PackageReader.rest:
    a reader waiting in a long operation keeps no connection open)."""
    return _open(path, checked=True)


def _open(path: Path, checked: bool, stop: threading.Event | None = None,
          checks: Checks | None = None) -> sqlite3.Connection:
    # immutable: the file is ours alone (no -wal, no lock needed), and nothing may write it
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                           isolation_level=None, check_same_thread=False)
    try:
        _defend(conn)
        if not checked:
            _check(conn, path.stat().st_size, stop, checks)
        # The schema is now proven to be ours, row for row: its views are the program's own
        # (the events view decodes the compact details with json_valid and printf, which this
        # SQLite does not mark innocuous), so they may run as they do in any MotCua database.
        conn.execute("PRAGMA trusted_schema = ON")
        searchtext.register(conn)  # records.py computes the search key in its query
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if stop is not None and stop.is_set():
            raise InterruptedError("part check stopped") from None
        raise PartRefused(f"là tệp cơ sở dữ liệu hỏng ({short(exc)}).") from None
    except BaseException:
        conn.close()
        raise


def _defend(conn: sqlite3.Connection) -> None:
    for limit, value in LIMITS:
        conn.setlimit(limit, value)
    # a function the schema calls must be innocuous (none of ours is called by it then);
    # every cell's size checked as it is read; no memory map of a file someone else made
    for pragma in ("trusted_schema = OFF", "cell_size_check = ON", "mmap_size = 0",
                   "query_only = ON"):
        conn.execute(f"PRAGMA {pragma}")


def _check(conn: sqlite3.Connection, size: int, stop: threading.Event | None = None,
           checks: Checks | None = None) -> None:
    """Every check, in turn (`stop`: ended at SQLite's next progress call once set);
    `checks`: others than a current part's (`_upgraded`)."""
    if stop is not None:
        conn.set_progress_handler(stop.is_set, 100_000)
    try:
        (checks or _checks)(conn, size, stop)
    finally:
        conn.set_progress_handler(None, 0)


def _checks(conn: sqlite3.Connection, size: int, stop: threading.Event | None,
            upgraded: bool = False) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise PartRefused("là cơ sở dữ liệu SQLite nhưng không phải của MotCua.")
    if version != SCHEMA_VERSION:
        raise _other_version(version)
    if not _schema_ours(conn, upgraded):
        raise PartRefused("có cấu trúc (bảng, chỉ mục, view, trigger) khác với cấu trúc "
                          "MotCua tạo ra: tệp đã bị sửa.")
    _quick_check(conn, size, stop)
    _references(conn)
    _no_blobs(conn)


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


def _no_blobs(conn: sqlite3.Connection) -> None:
    """No binary value where MotCua writes text or numbers: JSON never carried one, and a
    centre's screens and reports expect none (one scan a table, in C). A value is a BLOB
    exactly when it is >= x'' (SQLite orders NULL, numbers, texts, then BLOBs, the empty one
    first; a column's affinity never turns a BLOB into something else): one comparison a
    value, where typeof(…) = 'blob' was a function call and a text comparison (a part of
    20,000 dossiers 51 → 27 ms, docs/speed.md, twelfth round)."""
    for table in (*CATALOGUE, "dossier_rows", *CHILDREN, "vote_rows"):
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')
                   if (table, row[1]) not in BLOB_COLUMNS]
        tests = [f"\"{c}\" >= x''" for c in columns]
        row = conn.execute(f"SELECT {', '.join(tests)} FROM \"{table}\" WHERE "
                           f"{' OR '.join(tests)} LIMIT 1").fetchone()
        if row is not None:
            column = columns[list(row).index(1)]
            raise PartRefused(f"có dữ liệu nhị phân ở cột {table}.{column}, nơi MotCua chỉ ghi "
                              "chữ hoặc số.")


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
# before schema 24 exists. Parts older than OLDEST_SCHEMA are refused.
FIRST_SCHEMA = 23
OLDEST_SCHEMA = 22


class OlderPart(Exception):
    """The part is MotCua's, of an older schema this program brings forward (`_upgraded`)."""

    def __init__(self, version: int):
        super().__init__(f"rows part of schema {version}")
        self.version = version


def _other_version(version: int) -> Exception:
    """What a part whose user_version is not this schema's is: older and upgradable
    (OlderPart), newer (the centre must update), or older than any this program upgrades."""
    from core.version import VERSION
    if OLDEST_SCHEMA <= version < SCHEMA_VERSION:
        return OlderPart(version)
    if version > SCHEMA_VERSION:
        return PartRefused(f"theo lược đồ phiên bản {version}, mới hơn lược đồ {SCHEMA_VERSION} "
                           f"của MotCua {VERSION} ở máy này: máy này không đọc đúng được gói.",
                           "Hãy cập nhật MotCua ở máy này, rồi nhập lại gói.")
    return PartRefused(f"theo lược đồ phiên bản {version}, cũ hơn lược đồ {OLDEST_SCHEMA} là lược "
                       f"đồ cũ nhất MotCua {VERSION} ở máy này nâng cấp được (MotCua ghi gói "
                       f"định dạng 3 từ lược đồ {FIRST_SCHEMA}).",
                       "Hãy xin máy gửi xuất lại gói, hoặc xuất theo định dạng 2 (exchange "
                       "export --format 2).")


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


def _upgraded(path: Path, version: int, stop: threading.Event | None) -> sqlite3.Connection:
    """The older part at `path` (our own file, extracted and its checksum verified) proven
    exactly what the program at `version` made (`_checks_at`), upgraded in place by the
    migrations (`_migrate`), then checked whole as a part of this schema and opened as
    `open_checked` opens one. The package's own bytes stay in the zip; the file is removed
    with the reader, as any part's."""
    _open(path, False, stop, functools.partial(_checks_at, version)).close()
    _migrate(path, version, stop)
    return _open(path, False, stop, functools.partial(_checks, upgraded=True))


def _checks_at(version: int, conn: sqlite3.Connection, size: int,
               stop: threading.Event | None) -> None:
    """Before a migration runs on it: sqlite_master row for row what creation at `version`
    makes (the pages its tables start on too: no trigger, view or function call of the
    part's own is run by the upgrade, which trusts the schema as a database's opening does),
    and the file whole (quick_check). The other checks come after the upgrade (`_checks`)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != version:
        raise PartRefused("đã đổi trong khi kiểm tra.")
    if _master(conn) != expected_master(version):
        raise PartRefused(f"theo lược đồ phiên bản {version} nhưng có cấu trúc (bảng, chỉ mục, "
                          "view, trigger) khác với cấu trúc MotCua tạo ra ở lược đồ ấy: tệp đã "
                          "bị sửa.")
    _quick_check(conn, size, stop)


JOURNAL = b"\x01\x01"  # the header's write and read versions of a rollback-journal file


def _migrate(path: Path, version: int, stop: threading.Event | None) -> None:
    """The migrations from `version` to SCHEMA_VERSION run on the part's file, in one
    transaction, as creation runs them (db.schema.run_migration), the lengths SQLite accepts
    limited as for reading, the time bounded as quick_check's. The file is ours and thrown
    away whatever happens: no journal on disk, no sync. PartRefused when they fail (the
    part's rows are not what they accept, a damaged page, too long)."""
    size = path.stat().st_size
    with path.open("rb") as file:
        if file.read(20)[18:20] != JOURNAL:  # a WAL file opened to write gets a -wal beside it
            raise PartRefused("không ở chế độ ghi nhật ký (journal) mà MotCua tạo ra.")
    deadline = time.monotonic() + 10 + CHECK_SECONDS_PER_GB * size / 1e9
    stopped = stop.is_set if stop is not None else lambda: False
    if stopped():  # (a small part's upgrade may end before SQLite's first progress call)
        raise InterruptedError("part upgrade stopped")
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        for limit, value in LIMITS:
            conn.setlimit(limit, value)
        # proven the program's schema at `version` (_checks_at): its views and triggers are
        # ours, trusted as in any MotCua database the migrations upgrade
        for pragma in ("trusted_schema = ON", "cell_size_check = ON", "mmap_size = 0",
                       "journal_mode = MEMORY", "synchronous = OFF", "foreign_keys = OFF"):
            conn.execute(f"PRAGMA {pragma}")
        searchtext.register(conn)
        conn.set_progress_handler(lambda: stopped() or time.monotonic() > deadline, 100_000)
        conn.execute("BEGIN")
        for index in range(version, SCHEMA_VERSION):
            run_migration(conn, index)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except Exception as exc:  # whatever the part's rows made a migration raise: refused
        conn.set_progress_handler(None, 0)
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:  # the file is thrown away all the same
                pass
        if stopped():
            raise InterruptedError("part upgrade stopped") from None
        if time.monotonic() > deadline:
            raise PartRefused(f"theo lược đồ phiên bản {version}: không nâng cấp xong lên lược "
                              f"đồ {SCHEMA_VERSION} trong thời gian cho phép.") from None
        raise PartRefused(f"theo lược đồ phiên bản {version}: không nâng cấp được lên lược đồ "
                          f"{SCHEMA_VERSION} ({short(exc)}).") from None
    finally:
        conn.close()


def short(text, limit: int = 120) -> str:
    text = str(text).replace("*** in database main ***", "")
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {key: conn.execute(sql).fetchone()[0] for key, sql in COUNTS}


# ----- its records -----------------------------------------------------------------------------
_ENCODE = records._ENCODE


def _guarded(rows: Iterator) -> Iterator:
    """A part's damage met while reading (a page that quick_check did not look at, text that
    is not UTF-8) is a bad record of the package, not a crash."""
    try:
        yield from rows
    except (sqlite3.Error, UnicodeError) as exc:
        raise BadRecord(f"phần {NAME} hỏng, không đọc được ({short(exc)})") from None


def dossier_lines(conn: sqlite3.Connection,
                  only: list[int] | None = None) -> Iterator[tuple[bytes, dict]]:
    """The dossier records in id order (the sender's, as a format-2 package lists them), each
    with the JSON text a format-2 package would hold for it: the text the checks look at, and
    the proof that every value is one JSON can carry (a BLOB in a text column is refused).
    `only`: these ids alone, in this order (what the SQL fast path left to the records)."""
    ids = only if only is not None else [
        row[0] for row in conn.execute("SELECT id FROM dossier_rows ORDER BY id")]
    for record in _guarded(records.dossier_records(conn, ids)):
        yield _line(record), record


def _line(record: dict) -> bytes:
    try:
        return _ENCODE(record).encode("utf-8")
    except (TypeError, ValueError, UnicodeError):
        raise BadRecord("có giá trị sai kiểu (dữ liệu nhị phân)") from None


def vote_records(conn: sqlite3.Connection, only: list[int] | None = None) -> Iterator[dict]:
    """The votes in id order; a vote naming a dossier the part does not hold is refused (a
    format-2 package names the code, and a code that is nowhere is refused too). `only`:
    these ids alone (what the SQL fast path left to the records)."""
    sql = ("SELECT v.dossier_id IS NOT NULL AND d.code IS NULL, "
           + records.VOTES_SQL[len("SELECT "):])
    rows: Iterator = iter(())
    if only is None:
        rows = conn.execute(sql + " ORDER BY v.id")
    else:
        rows = (row for chunk in chunks(sorted(only), 500)
                for row in conn.execute(f"{sql} WHERE v.id IN ({marks(chunk)}) ORDER BY v.id",
                                        chunk))
    for row in _guarded(rows):
        if row[0]:
            raise BadRecord("phiếu gắn với một hồ sơ không có trong gói")
        record = records.vote_record(row[1:])
        _line(record)
        yield record


def catalogue_records(conn: sqlite3.Connection, name: str) -> Iterator[dict]:
    read = {"units.jsonl": records.unit_records, "procedures.jsonl": records.procedure_records,
            "calendar.jsonl": records.calendar_records}[name]
    for record in _guarded(read(conn)):
        _line(record)
        yield record
