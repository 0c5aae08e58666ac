"""How the event history is stored: compactly, every word kept (issue 18, db.schema
EVENTS_COMPACT).

A million dossiers carry about 4.7 million events; as text each repeated its moment (19
characters) and four words (the actor's login, the action, the two statuses). The rows now live
in `event_rows`:
- `at` is the number of seconds since 1970-01-01 00:00:00 of the local, naive time when the text
  is exactly 'YYYY-MM-DD HH:MM:SS' (a valid day, hour < 24, minute and second < 60), which
  SQLite's `datetime(at, 'unixepoch')` turns back into that very text; any other value is kept
  as it is (the column has no type, so SQLite converts nothing);
- actor, action, from_status and to_status are codes of `event_words` (code, word) when they
  are text; NULL stays NULL; a number becomes its text, as the old TEXT columns made it;
- details, since DETAILS_COMPACT, coded when they are one of the JSON texts MotCua writes: the
  shape a word of `event_words`, the values a JSON array, put back by the view in SQL (see
  "details" below); any other value is kept as it is; reason and hash as before.
The view `events` gives back the old table's columns and values, so every reader is unchanged,
and `INSTEAD OF` triggers send a plain SQL write of `events` (the sqlite3 tool) to the rows,
its values uncoded (a text is kept as text, which the view gives back as it is): the
append-only triggers sit on `event_rows` and refuse it as before. The hash chain is made
over the decoded content (db.chain), so `check`, which recomputes every hash from what it
decodes here, proves the encoding lossless. `event_words` is append-only too: a code, once
given, means its word for ever (an edited word breaks the chain of every event using it).
db, not core: the migration uses it.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii

from db import steps

TABLE = "event_rows"
WORDED = ("actor", "action", "from_status", "to_status")  # the columns stored as word codes
_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])")
_EPOCH = dt.date(1970, 1, 1).toordinal()
_DAY = 86400
_DAY_SECONDS: dict[str, int | None] = {}  # 'YYYY-MM-DD' → its first second (None: not a day)


def _word(column: str) -> str:
    return (f"CASE typeof(r.{column}) WHEN 'integer' THEN (SELECT w.word FROM event_words w "
            f"WHERE w.code = r.{column}) ELSE r.{column} END AS {column}")


MOMENT_SQL = "CASE typeof(r.at) WHEN 'integer' THEN datetime(r.at, 'unixepoch') ELSE r.at END"
_COLUMNS = "id, dossier_id, at, actor, action, from_status, to_status, reason, details, hash"


def _plain(column: str) -> str:
    """A value written by SQL into the view, as the old table kept it: text as it is (never
    coded), a number as its text (the TEXT column's affinity), the rest as it is."""
    if column not in ("at", *WORDED):
        return f"NEW.{column}"
    return (f"CASE WHEN typeof(NEW.{column}) IN ('integer', 'real') "
            f"THEN CAST(NEW.{column} AS TEXT) ELSE NEW.{column} END")


def _plain_details(column: str) -> str:
    """Since DETAILS_COMPACT a stored blob is a coded text: a blob written by SQL is kept
    behind a zero byte (`raw_details`, the same rule in Python)."""
    if column != "details":
        return _plain(column)
    return ("CASE typeof(NEW.details) WHEN 'blob' THEN CAST(x'00' || NEW.details AS BLOB) "
            "ELSE NEW.details END")


def _view(details: str, plain) -> str:
    """The view `events` and its INSTEAD OF triggers, `details` its details column, `plain`
    what a plain SQL write of a column stores."""
    new = ", ".join(plain(c) for c in _COLUMNS.split(", "))
    return f"""CREATE VIEW events AS SELECT r.id AS id, r.dossier_id AS dossier_id, {MOMENT_SQL} AS at,
    {_word("actor")}, {_word("action")}, {_word("from_status")}, {_word("to_status")},
    r.reason AS reason, {details} AS details, r.hash AS hash
FROM event_rows r;
CREATE TRIGGER events_write INSTEAD OF INSERT ON events
BEGIN INSERT INTO event_rows({_COLUMNS}) VALUES ({new}); END;
CREATE TRIGGER events_change INSTEAD OF UPDATE ON events
BEGIN UPDATE event_rows SET ({_COLUMNS}) = ({new}) WHERE id = OLD.id; END;
CREATE TRIGGER events_remove INSTEAD OF DELETE ON events
BEGIN DELETE FROM event_rows WHERE id = OLD.id; END;
"""


# ----- details: the SQL side -----------------------------------------------------------------
MAX_SLOTS = 8  # a text with more values than this is kept as it is


def details_sql(alias: str) -> str:
    """The details text of the stored rows `alias` (see `Details`): a blob is coded (a zero
    byte first: a blob kept as it is), anything else is the value itself."""
    stored, array = f"{alias}.details", f"CAST({alias}.details AS TEXT)"
    template = f"(SELECT w.word FROM event_words w WHERE w.code = {array} ->> 0)"
    filled = " ".join(  # printf is told only the values there are (each costs a JSON lookup)
        f"WHEN {n + 1} THEN printf({template}{''.join(f', {array} -> {i}' for i in range(1, n + 1))})"
        for n in range(1, MAX_SLOTS + 1))
    return (f"CASE typeof({stored}) WHEN 'blob' THEN CASE substr({stored}, 1, 1) "
            f"WHEN x'00' THEN substr({stored}, 2) "
            f"WHEN x'5b' THEN CASE WHEN json_valid({array}) THEN CASE json_array_length({array}) "
            f"{filled} END END "
            f"ELSE (SELECT w.word FROM event_words w WHERE w.code = CAST({stored} AS INTEGER)) END "
            f"ELSE {stored} END")


class View:
    """The view's details of single stored values, by the view's own SQL (`details_sql`) run
    on each one by `conn` (its event_words, its text encoding, SQLite's printf and JSON): what
    a reader of the view gets for a row storing it (db.chain.quick_tails asks for each
    distinct blob once). An expression's value depends only on its operands' values (the
    column's affinity plays no part: typeof, substr and CAST see the same value bound as
    read): tests/db/test_chain_quick_tails.py compares them with the rows' over odd and
    hostile blobs."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.sql = f"SELECT {details_sql('r')} FROM (SELECT ?1 AS details) AS r"

    def details(self, stored):
        return self.conn.execute(self.sql, [stored]).fetchone()[0]


TABLES = """
CREATE TABLE event_words (
    code INTEGER PRIMARY KEY,
    word TEXT NOT NULL UNIQUE
);
CREATE TABLE event_rows (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    at NOT NULL,
    actor,
    action NOT NULL,
    from_status,
    to_status,
    reason TEXT,
    details TEXT,
    hash BLOB
);
"""
_WORDS_APPEND_ONLY = """CREATE TRIGGER event_words_never_changed BEFORE UPDATE ON event_words
BEGIN SELECT RAISE(ABORT, 'event_words is append-only: a word is never changed'); END;
CREATE TRIGGER event_words_never_deleted BEFORE DELETE ON event_words
BEGIN SELECT RAISE(ABORT, 'event_words is append-only: a word is never deleted'); END;
"""
# Schema 16 (EVENTS_COMPACT) as it was made: details stored as written, the view passing them on
SCHEMA = TABLES + _view("r.details", _plain) + _WORDS_APPEND_ONLY
# Since DETAILS_COMPACT: the view decodes the coded details (the marker says which view it is)
VIEW = _view(f"/* details coded */ {details_sql('r')}", _plain_details)
INDEX = "CREATE INDEX events_dossier ON event_rows(dossier_id);\n"
_OLD_INSERT = ("INSERT INTO events(dossier_id, at, actor, action, from_status, to_status, "
               "reason, details, hash) VALUES (?,?,?,?,?,?,?,?,?)")
_OLD_INSERT_CODED = ("INSERT INTO events(dossier_id, at, actor, action, from_status, to_status, "
                     "reason, details, hash) VALUES (?1, CASE typeof(?2) WHEN 'integer' THEN "
                     "datetime(?2, 'unixepoch') ELSE ?2 END, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
INSERT_SQL = ("INSERT INTO event_rows(dossier_id, at, actor, action, from_status, to_status, "
              "reason, details, hash) VALUES (?,?,?,?,?,?,?,?,?)")
_OLD_CONTENT = ("SELECT e.id, d.code, e.at, e.actor, e.action, e.from_status, e.to_status, "
                "e.reason, e.details FROM events e LEFT JOIN dossiers d ON d.id = e.dossier_id")
# The rows of db.chain.CONTENT_SQL with the words still coded (db.chain.links decodes them)
_RAW_SQL = (f"SELECT r.id, d.code, {MOMENT_SQL}, r.actor, r.action, r.from_status, r.to_status, "
            "r.reason, {details} FROM event_rows r LEFT JOIN dossiers d ON d.id = r.dossier_id")


# ----- moments -------------------------------------------------------------------------------
def _day_seconds(day: str) -> int | None:
    seconds = _DAY_SECONDS.get(day, -1)
    if seconds == -1:
        try:
            seconds = (dt.date.fromisoformat(day).toordinal() - _EPOCH) * _DAY
        except ValueError:  # 2025-02-30, year 0000: kept as text
            seconds = None
        if len(_DAY_SECONDS) < 100000:  # a few thousand days in any real history
            _DAY_SECONDS[day] = seconds
    return seconds


def moment_code(at):
    """The stored form of an event's moment: whole seconds for a canonical text, else `at`."""
    if at.__class__ is not str:
        return at
    found = _MOMENT.fullmatch(at)
    if found is None:
        return at
    day, hour, minute, second = found.groups()
    seconds = _day_seconds(day)
    if seconds is None:
        return at
    return seconds + int(hour) * 3600 + int(minute) * 60 + int(second)


def since_sql(alias: str, param: str) -> str:
    """A condition on the stored rows `alias` of event_rows: the event's moment is at or after the
    day `:param` ('YYYY-MM-DD'), with `:param_seconds` its first second (`since_params`). Read
    through the view the moment is decoded first for every event, which no index helps (an
    export's "changed since" over 200k dossiers: 118 → 370 ms); a canonical moment's seconds
    order exactly as its text, and any other moment is kept as text, compared as before."""
    return (f"CASE typeof({alias}.at) WHEN 'integer' THEN {alias}.at >= :{param}_seconds "
            f"ELSE {alias}.at >= :{param} END")


def since_params(param: str, day: dt.date) -> dict:
    return {param: day.isoformat(), f"{param}_seconds": moment_code(f"{day.isoformat()} 00:00:00")}


# ----- words ---------------------------------------------------------------------------------
def _as_text(conn, value):
    """What the old TEXT column made of a value that is neither text, NULL nor a blob."""
    return conn.execute("SELECT CAST(? AS TEXT)", [value]).fetchone()[0]


class Words:
    """The codes of `event_words` for one writer inside its transaction (a word added in a
    transaction that rolls back is gone: codes are never kept from one transaction to the
    next). `known` preloads the codes of these words only (one event), else all of them."""

    def __init__(self, conn, known: Iterable | None = None):
        self.conn = conn
        self.complete = known is None  # every word's code is in `codes`
        if known is None:
            rows = conn.execute("SELECT word, code FROM event_words")
        else:
            wanted = [w for w in set(known) if w.__class__ is str]
            rows = conn.execute("SELECT word, code FROM event_words WHERE word IN "
                                f"({','.join('?' * len(wanted))})", wanted) if wanted else []
        self.codes: dict[str, int] = dict(rows)

    def code(self, word):
        """The stored form of a word: its code; NULL and a blob as they are."""
        if word.__class__ is str:
            code = self.codes.get(word)
            return code if code is not None else self._add(word)
        if word is None or isinstance(word, bytes):
            return word
        return self.code(_as_text(self.conn, word))

    def _add(self, word: str) -> int:
        self.conn.execute("INSERT OR IGNORE INTO event_words(word) VALUES (?)", [word])
        code = self.conn.execute("SELECT code FROM event_words WHERE word = ?", [word]).fetchone()[0]
        self.codes[word] = code
        return code

    def column(self, words: list) -> list:
        """The stored forms of a column of words (the bulk writers: a dict lookup a word)."""
        get = self.codes.get
        return [code if (code := get(word)) is not None else self.code(word) for word in words]


# ----- details -------------------------------------------------------------------------------
# A details text is nearly always one of a few JSON shapes: the same keys, the same punctuation,
# a few words (a channel, a method) and some values (a fee, an amount, a moment). The shape is
# kept once, as a word of `event_words`; an event stores the word's code and, as a JSON array,
# its values. What the view gives back is printf(shape, value, …), each value as SQLite renders
# it from the array: exactly the text of its element (quotes and escapes as written). So a text
# is coded only when putting its values back into its shape gives that very text (`decode`);
# anything else (not JSON, a top-level value that is no object or array, spaces or escapes
# json.dumps does not write, 1e5 for 100000.0, NaN, too many values, too long) is kept as it is.
# Stored forms: NULL; a text (as written); a blob: b"17" (shape 17, no values: the word is the
# text itself), b'[17,2000,"2026-12-01 17:00:00"]' (the shape's code, then its values), or a
# zero byte then a blob written as details (rare: kept as it was).
_WORDLIKE = re.compile(r"[a-z][a-z0-9_]{0,31}")  # a value kept in the shape (channel, method)
MAX_TEXT = 2000  # a longer text is kept as it is (no shape grows without bound)
MAX_WORDS = 65536  # no new shape once `event_words` holds this many words (a hostile import)
_STYLES = ((",", ":", encode_basestring), (", ", ": ", encode_basestring),  # SQLite, json.dumps
           (",", ":", encode_basestring_ascii), (", ", ": ", encode_basestring_ascii))


class _Pairs(list):
    """A JSON object as its (key, value) pairs: order and repeated keys kept."""


def _refuse(constant: str):
    raise ValueError(constant)  # NaN, Infinity: JSON to Python, not to SQLite


def _walk(value, style, out: list[str], slots: list[int]) -> None:
    """Write `value` as JSON in `style` into `out`, noting the places of its values."""
    sep, colon, quote = style
    kind = value.__class__
    if kind is _Pairs:
        out.append("{")
        for i, (key, item) in enumerate(value):
            out.append(f"{sep}{quote(key)}{colon}" if i else f"{quote(key)}{colon}")
            _walk(item, style, out, slots)
        out.append("}")
    elif kind is list:
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(sep)
            _walk(item, style, out, slots)
        out.append("]")
    elif value is None or kind is bool:
        out.append("null" if value is None else "true" if value else "false")
    elif kind is str and _WORDLIKE.fullmatch(value):
        out.append(quote(value))
    else:
        slots.append(len(out))
        out.append(quote(value) if kind is str else int.__repr__(value) if kind is int
                   else float.__repr__(value))


def decode(shape: str, values: Sequence[str]) -> str:
    """A coded text back, by the view's rule: printf's %s filled with each value's text."""
    return shape % tuple(values) if values else shape


@functools.lru_cache(maxsize=65536)  # the demo repeats a few thousand texts a million times
def shape_of(text: str) -> tuple[str, tuple[str, ...]] | None:
    """(shape, values) of a details text, or None when it is kept as it is. The shape is a
    printf format (a literal % doubled) when there are values, else the text itself."""
    if len(text) > MAX_TEXT or text[:1] not in ("{", "["):
        return None
    try:
        value = json.loads(text, object_pairs_hook=_Pairs, parse_constant=_refuse)
    except (ValueError, RecursionError):
        return None
    for style in _STYLES:
        out: list[str] = []
        slots: list[int] = []
        try:
            _walk(value, style, out, slots)
        except RecursionError:  # nested deeper than Python goes: kept as it is
            return None
        if "".join(out) != text:
            continue
        if not slots or len(slots) > MAX_SLOTS:
            return (text, ()) if not slots else None
        values, slotted = tuple(out[i] for i in slots), set(slots)
        shape = "".join("%s" if i in slotted else part.replace("%", "%%")
                        for i, part in enumerate(out))
        return (shape, values) if decode(shape, values) == text else None
    return None


def raw_details(details):
    """The stored form of details kept as they are: a blob behind a zero byte, the rest as is
    (the same rule as the view's INSTEAD OF triggers)."""
    return b"\x00" + details if isinstance(details, bytes) else details


class Details:
    """The stored forms of details texts for one writer inside its transaction, the shapes'
    codes in its `Words` (same lifetime: a code never outlives its transaction)."""

    def __init__(self, words: Words):
        self.words = words
        self.stored: dict[str, object] = {}
        self.room: int | None = None

    def code(self, details):
        if details.__class__ is not str:
            return raw_details(details)
        stored = self.stored.get(details)
        if stored is None:
            stored = self._encode(details)
            if len(self.stored) < 65536:
                self.stored[details] = stored
        return stored

    def column(self, texts) -> list:
        code = self.code
        return [None if text is None else code(text) for text in texts]

    def _encode(self, text: str):
        found = shape_of(text)
        if found is None:
            return text
        shape, values = found
        code = self._shape_code(shape)
        if code is None:
            return text
        return (f"[{code},{','.join(values)}]" if values else str(code)).encode()

    def _shape_code(self, shape: str) -> int | None:
        words = self.words
        code = words.codes.get(shape)
        if code is None and not words.complete:
            row = words.conn.execute("SELECT code FROM event_words WHERE word = ?",
                                     [shape]).fetchone()
            code = None if row is None else words.codes.setdefault(shape, row[0])
        if code is None and self._has_room():
            code = words.code(shape)
        return code

    def _has_room(self) -> bool:
        if self.room is None:
            self.room = MAX_WORDS - self.words.conn.execute(
                "SELECT COALESCE(MAX(code), 0) FROM event_words").fetchone()[0]
        self.room -= 1
        return self.room >= 0


def stored_moment(conn, at):
    """moment_code, with what the old TEXT column made of a number."""
    if at is None or at.__class__ is str or isinstance(at, bytes):
        return moment_code(at)
    return moment_code(_as_text(conn, at))


def _encode_columns(conn, columns, coded_moments: bool, coded_details: bool) -> list[list]:
    """The seven columns at, actor, action, from_status, to_status, reason, details (lists of
    equal length) in their stored form; `coded_moments`: `at` is already (moment_code);
    `coded_details`: the file stores details coded (else as written: schema 16)."""
    at, actor, action, source, target, reason, details = columns
    words, code = Words(conn), moment_code
    moments = list(at) if coded_moments else [
        code(a) if a.__class__ is str else stored_moment(conn, a) for a in at]
    return [moments, words.column(list(actor)), words.column(list(action)),
            words.column(list(source)), words.column(list(target)), list(reason),
            Details(words).column(details) if coded_details else list(details)]


def insert_many(conn, dossier_ids, columns, digests, coded_moments: bool = False) -> int | None:
    """Store events given by columns (dossier ids; the seven columns of _encode_columns; their
    hashes) and return the last id. A file not yet upgraded (the migrations' tests build
    older files with the same writers) gets them as they are."""
    kind = layout(conn)
    if kind != PLAIN:
        stored = _encode_columns(conn, columns, coded_moments, kind == CODED)
        conn.executemany(INSERT_SQL, zip(dossier_ids, *stored, digests, strict=True))
    else:
        conn.executemany(_OLD_INSERT_CODED if coded_moments else _OLD_INSERT,
                         zip(dossier_ids, *columns, digests, strict=True))
    return conn.execute(f"SELECT MAX(id) FROM {TABLE if kind != PLAIN else 'events'}").fetchone()[0]


def insert_one(conn, dossier_id: int, at, actor, action, from_status, to_status, reason,
               details) -> int:
    """Store one event (not yet hashed: db.chain.seal hashes it) and return its id."""
    kind = layout(conn)
    if kind == PLAIN:
        return conn.execute(_OLD_INSERT, [dossier_id, at, actor, action, from_status, to_status,
                                          reason, details, None]).lastrowid
    words = Words(conn, (actor, action, from_status, to_status))
    stored = Details(words).code(details) if kind == CODED else details
    cursor = conn.execute(INSERT_SQL, [dossier_id, stored_moment(conn, at), words.code(actor),
                                       words.code(action), words.code(from_status),
                                       words.code(to_status), reason, stored, None])
    return cursor.lastrowid


# ----- reading -------------------------------------------------------------------------------
def words(conn) -> dict[int, str]:
    """Every code's word (the readers that decode in Python: a dict lookup a word instead of a
    subquery a word and row)."""
    return dict(conn.execute("SELECT code, word FROM event_words"))


def raw_content(conn, after: int = 0, upto: int | None = None,
                ) -> tuple[Iterable[tuple], dict[int, str]]:
    """db.chain.CONTENT_SQL's rows of the events after id `after` (up to `upto`), in id order,
    with their words still coded, and the words of the codes: db.chain.links decodes them as it
    hashes (the full chain pass). A file not yet upgraded (a read-only check): its rows, no codes."""
    kind, bounds = layout(conn), [after, (1 << 62) if upto is None else upto]
    if kind == PLAIN:
        return conn.execute(_OLD_CONTENT + " WHERE e.id > ? AND e.id <= ? ORDER BY e.id",
                            bounds), {}
    sql = _RAW_SQL.format(details=details_sql("r") if kind == CODED else "r.details")
    return conn.execute(f"{sql} WHERE r.id > ? AND r.id <= ? ORDER BY r.id", bounds), words(conn)


def replay_rows(conn, lo: int, hi: int):
    """(dossier id, action, at, to_status, details) of the events of the dossiers with ids from
    `lo` to `hi`, by dossier and id (core.history.replay's input), the words decoded here."""
    kind = layout(conn)
    if kind == PLAIN:
        return conn.execute("SELECT dossier_id, action, at, to_status, details FROM events "
                            "WHERE dossier_id BETWEEN ? AND ? ORDER BY dossier_id, id", [lo, hi])
    get = words(conn).get
    details = details_sql("r") if kind == CODED else "r.details"
    rows = conn.execute(f"SELECT r.dossier_id, r.action, {MOMENT_SQL}, r.to_status, {details} "
                        "FROM event_rows r WHERE r.dossier_id BETWEEN ? AND ? "
                        "ORDER BY r.dossier_id, r.id", [lo, hi])
    return ((dossier_id, get(action) if action.__class__ is int else action, at,
             get(target) if target.__class__ is int else target, details)
            for dossier_id, action, at, target, details in rows)


PLAIN, COMPACT, CODED = "plain", "compact", "coded"  # the layouts, oldest first


def layout(conn) -> str:
    """How the events are stored: PLAIN (a file before EVENTS_COMPACT, read as it is), COMPACT
    (schema 16: moments and words coded, details as written), CODED (details coded too)."""
    row = conn.execute("SELECT instr(sql, '/* details coded */') FROM sqlite_master "
                       "WHERE type = 'view' AND name = 'events'").fetchone()
    if row is None:
        return PLAIN
    return CODED if row[0] else COMPACT


def stored_compact(conn) -> bool:
    """Are the events stored compact (else: a file not yet upgraded, read as it is)?"""
    return layout(conn) != PLAIN


def table(conn) -> str:
    """The table that holds the event rows."""
    return TABLE if stored_compact(conn) else "events"


# ----- the migration -------------------------------------------------------------------------
CHUNK = 200000  # events converted between two reports of progress


def convert_all(conn, progress=None) -> None:
    """Move every event of the old table `events` into `event_rows`, same ids, values in their
    stored form, inside the caller's transaction (the migration); `progress(done, total)`
    returning False stops it: the transaction rolls back and nothing has changed."""
    conn.execute("INSERT INTO event_words(word) SELECT word FROM (SELECT actor AS word FROM "
                 "old_events UNION SELECT action FROM old_events UNION SELECT from_status FROM "
                 "old_events UNION SELECT to_status FROM old_events) WHERE typeof(word) = 'text' "
                 "ORDER BY word")
    conn.create_function("motcua_event_moment", 1, moment_code, deterministic=True)
    words = {column: (f"CASE typeof(o.{column}) WHEN 'text' THEN (SELECT code FROM event_words "
                      f"WHERE word = o.{column}) ELSE o.{column} END") for column in WORDED}
    steps.by_id_ranges(conn, "old_events", CHUNK,
                       "INSERT INTO event_rows(id, dossier_id, at, actor, action, from_status, "
                       "to_status, reason, details, hash) SELECT o.id, o.dossier_id, "
                       f"motcua_event_moment(o.at), {words['actor']}, {words['action']}, "
                       f"{words['from_status']}, {words['to_status']}, o.reason, o.details, "
                       "o.hash FROM old_events o WHERE o.id > ? AND o.id <= ? ORDER BY o.id",
                       progress)
    conn.execute("DROP TABLE old_events")
    conn.execute(INDEX)


def code_details(conn, progress=None) -> None:
    """DETAILS_COMPACT's long step: every stored details in its coded form (`Details`), same
    ids, hashes untouched, inside the caller's transaction, whose migration has dropped the
    append-only triggers for it and makes them again after; `progress(done, total)` returning
    False stops it: the transaction rolls back and nothing has changed."""
    details = Details(Words(conn))

    def code_range(low: int, high: int) -> None:
        rows = conn.execute("SELECT id, details FROM event_rows WHERE id > ? AND id <= ? AND "
                            "details IS NOT NULL", [low, high]).fetchall()
        conn.executemany("UPDATE event_rows SET details = ? WHERE id = ?",
                         [(stored, event_id) for event_id, text in rows
                          if (stored := details.code(text)).__class__ is bytes])

    steps.by_id_ranges(conn, TABLE, CHUNK, code_range, progress)
