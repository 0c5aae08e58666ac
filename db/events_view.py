"""The SQL side of the compact event history (db.events_codec): the tables `event_rows` and
`event_words`, the view `events` that gives back every stored value as the old table held it,
its INSTEAD OF triggers for a plain SQL write, and the SQL that decodes a coded details text
(`details_sql`, `View`). Re-exported by db.events_codec."""
from __future__ import annotations

from db import append_only

TABLE = "event_rows"
WORDED = ("actor", "action", "from_status", "to_status")  # the columns stored as word codes


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
_WORDS_APPEND_ONLY = append_only.triggers("event_words", "a word")
# Schema 16 (EVENTS_COMPACT) as it was made: details stored as written, the view passing them on
SCHEMA = TABLES + _view("r.details", _plain) + _WORDS_APPEND_ONLY
# Since DETAILS_COMPACT: the view decodes the coded details (the marker says which view it is)
VIEW = _view(f"/* details coded */ {details_sql('r')}", _plain_details)
INDEX = "CREATE INDEX events_dossier ON event_rows(dossier_id);\n"
