"""The screen of a part: the dossiers and votes a check could refuse, or whose rows are not in
the form this package copies, found in SQL (`_screen_part`: the part's own rules, run a part
ahead in a thread; `_with_known`: the codes of the centre's catalogue), then judged by
core.exchange.checks itself (`_judge`), so that a verdict and its words are checks' own."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from core.exchange import checks, records
from core.exchange.fastcopy.conditions import (
    TEXT_FIELDS,
    _blobs_coded,
    _children_bad,
    _dossier_ok,
    _events_bad,
    _has_control,
    _known,
    _refused,
    _votes_bad,
    params,
)
from core.exchange.fastcopy.constraints import _constraints_bad
from core.exchange.fastcopy.partdb import read_only
from core.exchange.part.checking import NEWLINE
from core.limits import CONTROL

# A part's own screen runs beside the main thread, in a thread of this process (`Copier.ahead`):
# SQLite, which does nearly all of it, lets Python's main thread run meanwhile
SEARCH_PIECE = 1 << 18  # characters `_control_anywhere` searches at a time
SCREEN_STEPS = 1 << 20  # SQLite VM steps between a screen's thread's looks at its stop


def _control_anywhere(conn, s: str, stop: threading.Event | None = None) -> bool:
    """Might a text of the part hold a control character (core.limits.CONTROL)? Each text
    column joined by SQLite (group_concat: a copy in C) and searched once by the rule's own
    regex: a few ms a part, where a test in SQL on every row cost 8 µs a dossier. Only when one
    is found does the screen test each row (and checks names it). Searched a piece at a time
    (SEARCH_PIECE characters: a class of single characters, so no match spans two pieces), so
    that a screen's thread (`Copier.ahead`) holds Python's lock briefly and stops when asked."""
    columns = [(f"{s}.dossier_rows", c) for c in TEXT_FIELDS]
    columns += [(f"{s}.complaints", c) for c in records.COMPLAINT_COLUMNS]
    columns += [(f"{s}.event_rows", "reason"), (f"{s}.event_rows", "details"),
                (f"{s}.event_words", "word")]  # (checks reads no wait's text)
    search = CONTROL.search
    for table in dict.fromkeys(t for t, _c in columns):
        # no BLOB (a coded details), by FILTER: the rows without a value (NULL) are not given
        # to group_concat at all (a CASE giving it NULL cost a call a row: 18 → 7.5 ms for a
        # part's 94,000 events, 39 → 27 ms for its 20,000 dossiers); `< x''` is one comparison
        # where typeof(…) = 'text' was a call (a value is a BLOB exactly when it is >= x'':
        # part._no_blobs), and the numbers it lets in are digits, never a control character
        joined = ", ".join(f"group_concat({c}, {NEWLINE}) FILTER (WHERE {c} < x'')"
                           for t, c in columns if t == table)
        for text in conn.execute(f"SELECT {joined} FROM {table}").fetchone():
            for start in range(0, len(text) if text is not None else 0, SEARCH_PIECE):
                if stop is not None and stop.is_set():
                    raise InterruptedError("screen stopped")
                if search(text, start, start + SEARCH_PIECE):
                    return True
    return False


def _word_test(conn, s: str) -> str:
    """How the screen tests that a code is one of the part's clean words (temp.fastcopy_words):
    MotCua gives codes 1, 2, 3 …, so a range when they are all there, else a look-up."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_words(code INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.fastcopy_words")
    conn.execute(f"INSERT INTO temp.fastcopy_words SELECT code FROM {s}.event_words w "
                 f"WHERE typeof(w.word) = 'text' AND NOT {_has_control('w.word')}", params())
    low, high, count = conn.execute("SELECT MIN(code), MAX(code), COUNT(*) FROM "
                                    "temp.fastcopy_words").fetchone()
    if count and low == 1 and high == count:
        return f"{{0}} BETWEEN 1 AND {int(high)}"
    return "{0} IN (SELECT code FROM temp.fastcopy_words)"


@dataclass
class Screened:
    """What the screen finds in a part alone (`_screen_part`), with no look at the centre: the
    part's dossier and vote ids it flags, in part order, and the unit and procedure codes the
    part's records name where checks wants a code of the catalogue (each a text's bytes, None
    for a value that is no text), in the part's text encoding. Made beside the main thread
    (`Copier.ahead`); the centre's side is `_with_known`'s."""
    dossiers: list[int]
    votes: list[int]
    units: set[bytes | None]
    procedures: set[bytes | None]
    encoding: str


# The codes a part's records name where checks.check_dossier / check_vote want one of the
# catalogue's (`_known`'s columns): as bytes, so that a test of them against the centre's is a
# comparison of SQLite's own values (BINARY), never of decoded text
_UNITS_NAMED = (
    "SELECT CASE typeof(x) WHEN 'text' THEN CAST(x AS BLOB) END FROM ("
    "SELECT unit_code AS x FROM {s}.dossier_rows WHERE unit_code IS NOT NULL UNION "
    "SELECT competent_unit_code FROM {s}.dossier_rows WHERE competent_unit_code IS NOT NULL "
    "UNION SELECT unit_code FROM {s}.complaints WHERE dossier_id IS NOT NULL UNION "
    "SELECT unit_code FROM {s}.vote_rows)")
_PROCEDURES_NAMED = ("SELECT DISTINCT CASE typeof(procedure_code) WHEN 'text' THEN "
                     "CAST(procedure_code AS BLOB) END FROM {s}.dossier_rows")


def _screen_part(conn, s: str, stop: threading.Event | None = None) -> Screened:
    """The screen of the part `s` but its codes of the centre's catalogue: every condition
    reads the part alone (its tables, temp tables of `conn`), so it runs on a connection of
    its own to the part's file (`_screen_job`) as well as on the centre's."""
    texts, words = _control_anywhere(conn, s, stop), _word_test(conn, s)
    constrained, constrained_votes = _constraints_bad(conn, s)
    union = " UNION ".join([f"SELECT d.id FROM {s}.dossier_rows d WHERE "
                            f"{_refused(_dossier_ok(texts))}", *_children_bad(s, texts),
                            _events_bad(s, texts, words, _blobs_coded(conn, s, words)),
                            *constrained])
    dossiers = [r[0] for r in conn.execute(f"SELECT id FROM ({union}) ORDER BY id", params())]
    votes = [r[0] for r in conn.execute(f"SELECT id FROM ({_votes_bad(s)} UNION "
                                        f"{constrained_votes}) ORDER BY id", params())]
    units = {r[0] for r in conn.execute(_UNITS_NAMED.format(s=s))}
    procedures = {r[0] for r in conn.execute(_PROCEDURES_NAMED.format(s=s))}
    return Screened(dossiers, votes, units, procedures,
                    conn.execute("PRAGMA encoding").fetchone()[0])


def _known_bad(conn, s: str) -> tuple[list[int], list[int]]:
    """The part's dossier and vote ids naming a unit or procedure the centre's catalogue does
    not hold as it now stands (main.units, main.procedures: the part's catalogue merged
    before), by checks' rules (`_known`), in part order."""
    dossiers = [r[0] for r in conn.execute(
        f"SELECT d.id FROM {s}.dossier_rows d WHERE " + _refused(
            f"{_known('d.unit_code', 'units')} AND {_known('d.competent_unit_code', 'units')} "
            f"AND {_known('d.procedure_code', 'procedures', nullable=False)}")
        + f" UNION SELECT dossier_id FROM {s}.complaints c WHERE dossier_id IS NOT NULL AND "
        + _refused(_known("c.unit_code", "units", nullable=False)) + " ORDER BY 1")]
    votes = [r[0] for r in conn.execute(
        f"SELECT v.id FROM {s}.vote_rows v WHERE "
        + _refused(_known("v.unit_code", "units", nullable=False)) + " ORDER BY v.id")]
    return dossiers, votes


def _all_known(conn, screened: Screened) -> bool:
    """Does the centre's catalogue hold every code the part names (`screened`)? True only when
    `_known_bad` would find nothing: each is a text whose bytes, in the centre's encoding, are
    those of a code the centre holds (equal under BINARY, the columns' collation)."""
    if conn.execute("PRAGMA main.encoding").fetchone()[0] != screened.encoding:
        return False
    for table, named in (("units", screened.units), ("procedures", screened.procedures)):
        held = {r[0] for r in conn.execute(f"SELECT CAST(code AS BLOB) FROM main.{table} "
                                           "WHERE typeof(code) = 'text'")}
        if not named <= held:  # (None, a value that is no text, is never held)
            return False
    return True


def _with_known(conn, s: str, screened: Screened) -> tuple[list[int], list[int]]:
    """`screen`'s verdict from the part's own (`screened`) and the centre's catalogue as it now
    stands: the codes the part names are looked up (a few), and only when one is missing are
    the part's rows tested against the catalogue (`_known_bad`)."""
    if _all_known(conn, screened):
        return screened.dossiers, screened.votes
    dossiers, votes = _known_bad(conn, s)
    return sorted({*screened.dossiers, *dossiers}), sorted({*screened.votes, *votes})


def screen(conn, s: str) -> tuple[list[int], list[int]]:
    """(part dossier ids, part vote ids) the SQL screen flags, in part order: every record
    checks would refuse is among them (tests/core/exchange/test_fastcopy.py). The part's own
    rules (`_screen_part`, which a thread runs ahead on a connection of its own: `Copier`)
    and the codes of the centre's catalogue (`_with_known`)."""
    return _with_known(conn, s, _screen_part(conn, s))


def _screen_job(path: str, stop: threading.Event | None = None) -> Screened:
    """`_screen_part` of the part's file, on a read-only connection of its own, closed before
    it returns; `stop` set: SQLite's statement interrupted (within SCREEN_STEPS steps of its
    VM) or the search stopped, InterruptedError or sqlite3.OperationalError raised."""
    conn = read_only(path)
    try:
        if stop is not None:
            if stop.is_set():
                raise InterruptedError("screen stopped")
            conn.set_progress_handler(stop.is_set, SCREEN_STEPS)
        return _screen_part(conn, "main", stop)
    finally:
        conn.close()


def _judge(conn, path: str, dossiers: list[int], votes: list[int]
           ) -> tuple[list[int], list[int]]:
    """The records the screen flagged, judged by checks itself, in part order: the first it
    refuses raises its BadRecord (the code named); those it accepts are returned, left to the
    existing path (their rows are not in the form this module copies)."""
    if not dossiers and not votes:
        return [], []
    units = {r[0] for r in conn.execute("SELECT code FROM main.units")}
    procedures = {r[0] for r in conn.execute("SELECT code FROM main.procedures")}
    part = read_only(path)
    try:
        for record in records.dossier_records(part, dossiers, False):
            code = checks.code_of(record)
            try:
                checks.check_dossier(record, units, procedures)
            except checks.BadRecord as exc:
                raise checks.BadRecord(f"hồ sơ {code}: {exc}") from None
        for row in part.execute(f"SELECT {records.VOTES_SQL[7:]} WHERE v.id IN "
                                f"({','.join('?' * len(votes))}) ORDER BY v.id", votes):
            checks.check_vote(records.vote_record(row), units)
    finally:
        part.close()
    return dossiers, votes
