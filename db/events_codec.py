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
  shape a word of `event_words`, the values a JSON array, put back by the view in SQL
  (db.events_details); any other value is kept as it is; reason and hash as before.
The view `events` gives back the old table's columns and values, so every reader is unchanged,
and `INSTEAD OF` triggers send a plain SQL write of `events` (the sqlite3 tool) to the rows,
its values uncoded (a text is kept as text, which the view gives back as it is): the
append-only triggers sit on `event_rows` and refuse it as before. The hash chain is made
over the decoded content (db.chain), so `check`, which recomputes every hash from what it
decodes here, proves the encoding lossless. `event_words` is append-only too: a code, once
given, means its word for ever (an edited word breaks the chain of every event using it).
db, not core: the migration uses it. The view and its SQL live in db.events_view, the details'
coding in db.events_details; both re-exported here, where every caller finds them.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from db import steps
from db.events_details import MAX_TEXT as MAX_TEXT
from db.events_details import MAX_WORDS as MAX_WORDS
from db.events_details import Details as Details
from db.events_details import decode as decode
from db.events_details import raw_details as raw_details
from db.events_details import shape_of as shape_of
from db.events_view import INDEX as INDEX
from db.events_view import MAX_SLOTS as MAX_SLOTS
from db.events_view import MOMENT_SQL as MOMENT_SQL
from db.events_view import SCHEMA as SCHEMA
from db.events_view import TABLE as TABLE
from db.events_view import TABLES as TABLES
from db.events_view import VIEW as VIEW
from db.events_view import WORDED as WORDED
from db.events_view import View as View
from db.events_view import details_sql as details_sql

_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])")
_EPOCH = dt.date(1970, 1, 1).toordinal()
_DAY = 86400
_DAY_SECONDS: dict[str, int | None] = {}  # 'YYYY-MM-DD' → its first second (None: not a day)
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
