"""A package part that is a MotCua database, copied into the centre by SQLite (issue 16 §3).

Package format 3 (branch pkg3) carries its rows as a MotCua database file of the same schema
(23): the package's dossiers with every child row and its votes, in the program's own tables,
with the sender's ids. A centre's month-end merge meets mostly dossiers it has never seen; for
those this module replaces the record-by-record path (merge._Merger → store.Store.insert_new,
checks.check_dossier, db.chain.append) by INSERT … SELECT statements, with no Python per row
except the chain's SHA-256, the kpi marks of kept facts and the copied dossiers' search keys
(all three in a second process, `Copier`) and the ledger's row hashes (db.ledger); each event's
stored hash is taken in SQL from the second process's hashes laid out by the event's id
(`_chain_job`), whose events' content it encoded a part ahead (`_tails_job`: only the SHA-256
is left in series, the part's chain needing the head the part before left).

CONTRACT (pkg3 wires it into merge._Run; nothing else calls it)

    # the operation's parts, one after the other (a second process overlaps them):
    with Copier(conn, delta=run.delta, refresh=run.refresh, progress=progress) as copier:
        copier.ahead(the parts' files, in that order)    # optional: screened a part ahead
        with fulltext.deferred(conn, new_from=first_new, given=copier.given_keys):
            for each part k, in the operation's order:
                (merge part k's catalogue)
                copied = copier.copy(f"part{k}", now=now, fast=fast)
                (the existing path for copied.left_dossiers and copied.left_votes)
            # leaving it: the search index filled, the copied keys from the second process
        # leaving the block normally: copier.finish() applies the facts read, stops the process
    facts.write_kpi_rows(conn, run.delta); facts.refresh(db, run.refresh)   # _Run.write_facts

    # one part alone, all in this process:
    copied = copy_new(conn, "part", now=now, fast=fast, delta=run.delta, refresh=run.refresh,
                      progress=progress)

bench/fastcopy_parts.py (merge_parts) is that wiring, minus the existing path for what is
left, and is what tests/core/exchange/test_fastcopy.py compares with merge.import_packages.

- `conn`: the centre's connection, INSIDE the caller's transaction (merge.import_packages'
  `transaction(db)`), and inside the same contexts the existing path runs in:
  `bulk_path.indexes_dropped(conn, bulk)` (optional) and `fulltext.deferred(conn,
  new_from=first_new, given=copier.given_keys)` INSIDE the Copier's block — the copied
  dossiers are indexed by `deferred`'s fill at its end with the others, their keys computed
  by the second process (`_keys_job`: the view's own SQL and function on the part's rows,
  with the centre's unit names as they stand after the part's catalogue), but those that may
  have changed since (a unit of theirs renamed, added or gone by a later part's catalogue or
  a clerk's choice; a key column a later part's records changed), which the view computes
  there as it does the existing path's: the index is the view's (`deferred` without `given`:
  all by the view, as before); `facts.write_kpi_rows(conn, delta)` and
  `facts.refresh(db, refresh)` run after, as `_Run.write_facts` does.
- The part is ATTACHed under the schema name given (here "part") and verified by the caller
  as a well-formed MotCua database of schema 23 (checksum, quick_check, exact sqlite_master).
  The screen evaluates the CHECK constraints of the tables the copy writes on the part's rows,
  which the copy's INSERTs therefore do not evaluate again (`_checks_proven`).
  SQLite cannot DETACH a schema read inside an open transaction ("database part is locked")
  and this build allows at most 10 attached schemas (MAX_ATTACHED=10, `PRAGMA
  compile_options`): attached as files, ONE transaction holds at most 10 parts, each under its
  own name. merge._Run instead attaches ONE in-memory schema and gives it each part's verified
  bytes in turn (`Connection.deserialize(data, name=…)`, allowed inside the transaction): then
  `copy(…, path=the part's file)`, the file the second process and the judge read (an
  in-memory schema has no path in `PRAGMA database_list`). No cursor on the schema may be left
  open when the next part's bytes replace it (this module leaves none).
- The ledger's sums of the rows a copy writes are made in a thread (`_ledger_job`) and added by
  `Copier.settle`, and the stored walk-in votes are kept in a temp copy (`Copier.walk_ins`):
  anything but the copy that writes the ledger's tables or the votes during the operation (the
  existing path) must come after `settle` — `copy` calls it when it leaves something,
  merge._Merger._copy_new when a part is not copied, `finish` at the end.
- The package's catalogue is merged before the call (as _Merger.run does before its
  dossiers: units, procedures and calendar the centre lacks, and the rows the clerk took):
  units and procedures are checked against the centre's tables as they then stand.
- `fast`: records.rules_fingerprint(conn, VERSION) == the manifest's "rules_fingerprint", taken
  after the catalogue merge (as _Merger.run). True: each dossier keeps the sender's due time,
  facts and kpi_irregular (a facts text store.Store would write differently is written as it
  would), and its kpi marks go into `delta`; False (or no facts): they are left empty and the
  dossier's id is appended to `refresh`, computed by facts.refresh at the end (as the
  existing path does).
- `now`: the import's moment, 'YYYY-MM-DD HH:MM:SS' (created_at and updated_at of the rows).
- `delta` (Counter) and `refresh` (list) are the operation's shared ones (_Run.delta/.refresh):
  kpi marks of kept facts and of the copied votes are added to `delta`.
- `progress(done, total)`: called between statements with this part's dossiers (done of
  total; wrap it with the operation's offset as _Run._merge_one does); returning False raises
  InterruptedError("import cancelled"), which the caller's transaction rolls back (the
  Copier's exit stops the second process on any exception).
- The second process (multiprocessing, spawned: never forked from a process running Qt, as
  core.demo) reads the part FILE by its path (PRAGMA database_list), read-only: the part
  must not change during the operation. The built program (PyInstaller) spawns itself
  (main.py's freeze_support; its `selftest` proves it); `Copier(processes=False)` does the
  same work in this process, in turn. The keys it computes go to the main process through a
  file of their own a part (one a line, deflated: KEYS_LEVEL; in the temporary folder under
  the rows parts' prefix: `package.sweep_stale_parts` removes a crashed run's), read at the
  fill and removed: the main process holds none in memory meanwhile (1,000,000 keys ~130 MB).
  A part's file is needed till its jobs end (`Copier.use`, `busy`): merge._Run removes it
  then, long before the operation's end (`Copier.done_with`, `give`, `wait_for`).

What it copies: every dossier of the part whose code the centre does not hold, in the part's id
order (the order of the package's export), with its waits, extension, payments, components,
complaints and events, and the part's votes on those dossiers plus its votes without a
dossier that no vote the centre holds could match (core.exchange.merge._votes: identical
stored walk-in votes are matched, not added). Ids: the centre's next ones, in that order, as
Store.insert_new would give them. Events: the centre's event_words codes (new words added in
the order the existing path adds them), details shapes re-coded, hashed into the chain after the
centre's head (db.chain: the same bytes, full hashes, stored prefixes, marks, the head
recorded). The ledger (db.ledger) of supplements, extensions, payments and votes is added to.

What it leaves (returned, in the part's order) for the existing path, which must run AFTER it
for the same part: `left_dossiers`, the part's dossier ids whose code the centre already holds
(identical, changed, conflicts: compare.classify decides), those the part carries an alias of
(its code_aliases: a dossier the centre may hold under another code, core.exchange.recode
.recognise), or whose stored form this module does
not copy (see `screen`: a record checks.check_dossier accepts but whose rows are not in the form
MotCua writes, e.g. a moment kept as text); `left_votes`, the part's vote ids on those dossiers,
and the walk-in votes identical to one the centre holds. When something is left, the centre's
chain has the copied events before the left ones' (valid, `check` clean, but another head than
the all-Python merge, which interleaves them in batches of 2,000).

Errors: the first bad record of the part (every dossier, in part order, then every vote, as the
existing path reads them) raises checks.BadRecord with the message checks.check_dossier (or
check_vote) gives for it, prefixed with the dossier's code: the rules are checked in SQL as a
screen (`screen`, built from the same constants), and each record the screen flags is judged by
the Python checks themselves, so the verdict and its words are theirs (tests/core/exchange/
test_fastcopy.py runs both over the same bad records). The screen is in two: the part's own
rules (`_screen_part`), run on a connection of its own to the part's file, in a thread a part
ahead when the caller names the parts (`Copier.ahead`: their files must be there and unchanged
from then on), and the codes the centre's catalogue must hold (`_with_known`), tested by the
main thread against the catalogue as the part's own merge has just left it. An error the
screen's thread meets is raised by `copy` as it was raised there; a cancel or any error stops
it (`close`: its statement interrupted, its connection closed, the thread waited for).

Returns Copied(dossiers, votes, left_dossiers, left_votes, first_id, last_id).
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import itertools
import json
import multiprocessing
import operator
import os
import re
import sqlite3
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from core import facts
from core.exchange import checks, recode, records
from core.exchange.package import INFLATE, new_part, remove_part
from core.limits import CONTROL
from core.moment import CLOSED
from db import chain, entry_rows, events_codec, facts_codec, fulltext, ledger, searchtext
from db.moments import text_sql, to_stored
from db.schema import CHANNELS, COMPLAINT_CHANNELS, PAYMENT_METHODS, RATINGS, STATUSES

Progress = Callable[[int, int], object]


@dataclass
class Copied:
    dossiers: int = 0
    votes: int = 0
    left_dossiers: list[int] = field(default_factory=list)
    left_votes: list[int] = field(default_factory=list)
    first_id: int | None = None   # the centre's ids given to the copied dossiers
    last_id: int | None = None


# ----- the checks, as a screen in SQL ---------------------------------------------------------
# checks.TIME in GLOB (ASCII digits: a text checks.TIME takes with other digits is flagged, and
# then judged by checks itself)
TIME_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
TEXT_FIELDS = tuple(f for f in records.FIELDS if f not in ("fee", "e_result", "copies",
                                                            "digitised", "result_digitised",
                                                            *checks.TIME_FIELDS))
# the moment columns of dossier_rows a record carries (seconds, db.moments), and calc_due_at
MOMENTS = (*checks.TIME_FIELDS, "calc_due_at")
# A part's own screen runs beside the main thread, in a thread of this process (`Copier.ahead`):
# SQLite, which does nearly all of it, lets Python's main thread run meanwhile
# the codes the merge sets aside (core.exchange.merge._Run.defer): left to it, never copied
DEFERRED = "temp.exchange_deferred"
DEFERRED_TABLE = "CREATE TEMP TABLE IF NOT EXISTS exchange_deferred(code TEXT PRIMARY KEY)"
SEARCH_PIECE = 1 << 18  # characters `_control_anywhere` searches at a time
SCREEN_STEPS = 1 << 20  # SQLite VM steps between a screen's thread's looks at its stop


def _listed(values) -> str:
    """A tuple of constants as an SQL list: the rule's own values (db.schema), never restated."""
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def _ranges(test) -> str:
    """The BMP code points (but NUL) `test` accepts, as the ranges of a GLOB class."""
    out: list[list[int]] = []
    for point in range(1, 0x10000):
        if test(chr(point)):
            if out and out[-1][1] == point - 1:
                out[-1][1] = point
            else:
                out.append([point, point])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in out)


_PARAMS: dict[str, object] = {}


def params() -> dict[str, object]:
    """The screen's bound values, derived once from the rules' own definitions: the control
    characters of core.limits.CONTROL (a GLOB class; NUL apart, GLOB stops at it), the
    whitespace str.strip() removes (checks' "not blank"), checks.TIME's shape."""
    if not _PARAMS:  # made whole, then put in at once: a screen's thread may ask too
        if any(CONTROL.match(chr(p)) for p in range(0x10000, 0x110000, 0x101)):
            raise AssertionError("CONTROL beyond the BMP: widen the screen's class")
        made: dict[str, object] = {"control": f"*[{_ranges(CONTROL.match)}]*"}
        made["space"] = "".join(chr(p) for p in range(0x10000) if chr(p).isspace())
        made["time"] = TIME_GLOB
        moments = sqlite3.connect(":memory:")
        try:
            first, last = moments.execute(
                "SELECT unixepoch(?), unixepoch(?)",
                [f"{checks.FIRST_MOMENT}-01-01 00:00:00", checks.LAST_MOMENT]).fetchone()
        finally:
            moments.close()
        made["first_second"], made["last_second"] = first, last
        made["first_moment"], made["last_moment"] = checks.FIRST_MOMENT, checks.LAST_MOMENT
        _PARAMS.update(made)
    return _PARAMS


def _refused(ok: str) -> str:
    """A row's checks `ok` not passed (false or NULL), as a condition. In a value (the
    COALESCE(ok, 0) this was) SQLite 3.40 evaluates every operand of AND and OR, so each row
    paid for every check, the coded details' JSON parsed even where the first byte says it is
    not JSON; in CASE WHEN's condition they stop at the first operand that decides (the
    screen ~40 % fewer VM steps: docs/speed.md, twelfth round)."""
    return f"CASE WHEN {ok} THEN 0 ELSE 1 END"


def _has_control(expr: str) -> str:
    return f"({expr} GLOB :control OR instr({expr}, char(0)) > 0)"


def _texts_clean(columns, alias: str) -> str:
    """No control character in any text value of these columns (checks._check_texts)."""
    joined = " || char(10) || ".join(
        f"COALESCE(CASE typeof({alias}.{c}) WHEN 'text' THEN {alias}.{c} END, '')" for c in columns)
    return f"NOT {_has_control(joined)}"


def _moment(expr: str, required: bool) -> str:
    """A moment stored as seconds whose text (the view's datetime) checks.TIME takes: the
    seconds of the years checks keeps (`params`: checks.FIRST_MOMENT to LAST_MOMENT), cheaper
    than formatting each one; a value of another kind is flagged (text kept by SQL: checks judges, the existing path
    converts)."""
    ok = f"(typeof({expr}) = 'integer' AND {expr} BETWEEN :first_second AND :last_second)"
    return ok if required else f"({expr} IS NULL OR {ok})"


def _text_moment(expr: str, required: bool) -> str:
    """A moment kept as text (waits, complaints) in checks.TIME's shape and years."""
    ok = (f"(typeof({expr}) = 'text' AND {expr} GLOB :time AND "
          f"{expr} BETWEEN :first_moment AND :last_moment)")
    return ok if required else f"({expr} IS NULL OR {ok})"


def _blank_free(expr: str) -> str:
    return f"(typeof({expr}) = 'text' AND trim({expr}, :space) <> '')"


def _known(expr: str, table: str, nullable: bool = True) -> str:
    ok = f"{expr} IN (SELECT code FROM main.{table})"
    return f"({expr} IS NULL OR {ok})" if nullable else ok


def _dossier_ok(texts: bool) -> str:
    """checks.code_of and checks._check_fields (and, `texts`, _check_texts of the fields), but
    the codes the centre's catalogue must hold (`_known_bad`)."""
    return " AND ".join([
        f"typeof(d.code) = 'text' AND trim(d.code, :space) <> '' AND "
        f"length(d.code) <= {checks.CODE_MAX}",
        f"d.status IN {_listed(STATUSES)}", f"d.channel IN {_listed(CHANNELS)}",
        *(_moment(f"d.{m}", m == "received_at") for m in MOMENTS),
        # core.moment.unfinished_closed_reason: a closed status has its finish
        f"(d.finished_at IS NOT NULL OR d.status NOT IN {_listed(CLOSED)})",
        _blank_free("d.applicant_name"),
        *(f"(typeof(d.{name}) <> 'text' OR length(d.{name}) <= {most})"
          for name, (most, _label) in checks.FIELD_WIDTHS.items()),
        "(d.fee IS NULL OR (typeof(d.fee) = 'integer' AND d.fee >= 0))",
        "(d.digitised IS NULL OR d.digitised IN (0, 1))", "d.result_digitised IN (0, 1)",
        *([_texts_clean(TEXT_FIELDS, "d")] if texts else [])])


def _children_bad(s: str, texts: bool) -> list[str]:
    """SELECTs of the part's dossier ids with a wait, payment or complaint checks.check_dossier
    refuses (or a payment moment not in the stored form), but a complaint's unit the centre
    lacks (`_known_bad`)."""
    return [
        f"SELECT dossier_id FROM {s}.supplements w WHERE " + _refused(
            f"{_text_moment('w.requested_at', True)} AND {_text_moment('w.completed_at', False)}"),
        f"SELECT dossier_id FROM {s}.payment_rows p WHERE " + _refused(
            f"typeof(p.amount) = 'integer' AND p.amount > 0 AND p.method IN "
            f"{_listed(PAYMENT_METHODS)} AND {_moment('p.paid_at', True)} AND "
            f"{_moment('p.cancelled_at', False)}"),
        f"SELECT dossier_id FROM {s}.complaints c WHERE dossier_id IS NOT NULL AND " + _refused(
            f"c.channel IN {_listed(COMPLAINT_CHANNELS)} AND {_blank_free('c.content')} AND "
            f"{_text_moment('c.received_at', True)} AND {_text_moment('c.resolved_at', False)} AND "
            f"{_text_moment('c.cancelled_at', False)}"
            + (f" AND {_texts_clean(records.COMPLAINT_COLUMNS, 'c')}" if texts else "")),
    ]


def _shape_code(expr: str) -> str:
    """The event_words code of a coded details blob's shape (db.events_codec.Details)."""
    return (f"CASE substr({expr}, 1, 1) WHEN x'5b' THEN CAST(substr({expr}, 2, "
            f"instr({expr}, ',') - 2) AS INTEGER) ELSE CAST({expr} AS INTEGER) END")


def _coded_ok(expr: str, word: str) -> str:
    """A coded details blob the view reads as MotCua wrote it (db.events_codec.Details), as a
    condition: not starting with a NUL; its shape's code one of the part's words (`word`), the
    integer's own digits alone, or after the '[' of a JSON array of 2 to MAX_SLOTS + 1 values
    with a ',' after them. The digits as MotCua writes them ('[7,', never '[ 7,' or '[07,'):
    then the blob is exactly what re-coding it under the same codes gives (`_Copy.events`
    copies it as it is when the words keep their codes). One branch a first byte, each
    part evaluated once and the JSON parsed last (before: every condition on every blob, the
    first byte read five times: ~40 % of the events' screen, docs/speed.md, fifteenth
    round); what it accepts is what it accepted."""
    first, digits = f"substr({expr}, 1, 1)", f"substr({expr}, 2, instr({expr}, ',') - 2)"
    code = f"CAST({digits} AS INTEGER)"
    listed = (f"({first} = x'5b' AND instr({expr}, ',') > 2 AND {word.format(code)} AND "
              f"CAST({code} AS BLOB) = {digits} AND CASE WHEN json_valid(CAST({expr} AS TEXT)) "
              f"THEN json_array_length(CAST({expr} AS TEXT)) END BETWEEN 2 AND "
              f"{events_codec.MAX_SLOTS + 1})")
    alone = (f"({first} NOT IN (x'5b', x'00') AND {word.format(f'CAST({expr} AS INTEGER)')} "
             f"AND CAST(CAST({expr} AS INTEGER) AS BLOB) = {expr})")
    return f"({listed} OR {alone})"


def _blobs_coded(conn, s: str, words: str) -> bool:
    """Is every coded details blob of the part's events one `_coded_ok` takes? Each distinct
    blob tested once (a part of 94,000 events holds ~33,000 blobs of ~300 values; the test,
    its JSON parsed, was ~⅓ of the events' screen, docs/speed.md, sixteenth round): the test
    reads nothing but the blob's bytes and the part's words, and DISTINCT tells blobs apart
    byte for byte, so it is each event's verdict. MATERIALIZED: the test is not pushed down
    into the scan of every event."""
    return conn.execute(
        f"WITH b AS MATERIALIZED (SELECT DISTINCT e.details FROM {s}.event_rows e WHERE "
        f"typeof(e.details) = 'blob') SELECT 1 FROM b AS e WHERE "
        f"{_refused(_coded_ok('e.details', words))} LIMIT 1", params()).fetchone() is None


def _events_bad(s: str, texts: bool, words: str, blobs_coded: bool = False) -> str:
    """The part's dossier ids with an event checks.check_dossier refuses or whose stored form
    is not the one MotCua writes (moments as seconds, words as codes the part knows, details as
    text or a coded blob the view can read): such a dossier is judged by checks, and left to the
    existing path when checks accepts it. `temp.fastcopy_words` holds the part's word codes
    whose word is free of control characters (`words`: how a code is tested to be one).
    `blobs_coded`: every details blob of the part is known to pass `_coded_ok`
    (`_blobs_coded`), which is then not tested again on each event."""
    word = words
    coded = "1" if blobs_coded else _coded_ok("e.details", word)
    ok = " AND ".join([
        _moment("e.at", True),
        *(f"(e.{c} IS NULL OR (typeof(e.{c}) = 'integer' AND {word.format('e.' + c)}))"
          for c in ("actor", "from_status", "to_status")),
        f"(typeof(e.action) = 'integer' AND {word.format('e.action')})",
        *([f"(e.reason IS NULL OR NOT {_has_control('e.reason')})"] if texts else []),
        "(e.details IS NULL OR (typeof(e.details) = 'text'"
        + (f" AND NOT {_has_control('e.details')}" if texts else "")
        + f") OR (typeof(e.details) = 'blob' AND {coded}))"])
    return f"SELECT dossier_id FROM {s}.event_rows e WHERE {_refused(ok)}"


def _votes_bad(s: str) -> str:
    """The part's vote ids checks.check_vote refuses (or not in the stored form), but a unit
    the centre lacks (`_known_bad`)."""
    return (f"SELECT v.id FROM {s}.vote_rows v LEFT JOIN {s}.dossier_rows d ON d.id = v.dossier_id "
            "WHERE " + _refused(
                f"v.rating IN {_listed(RATINGS)} AND "
                f"{_moment('v.voted_at', True)} AND {_moment('v.cancelled_at', False)} AND "
                "(d.id IS NULL OR typeof(d.code) = 'text')"))


# The tables the copy writes with the part's values (their CHECK constraints are evaluated by
# the screen, `_constraints_bad`, and not again by the copy's INSERTs: `_checks_proven`), and
# the column that names a row's dossier (or the vote's own id)
WRITTEN = (("dossier_rows", "id"), ("supplements", "dossier_id"), ("extensions", "dossier_id"),
           ("payment_rows", "dossier_id"), ("dossier_components", "dossier_id"),
           ("complaints", "dossier_id"), ("event_rows", "dossier_id"), ("vote_rows", "id"))


@functools.cache
def checks_of(create: str) -> tuple[str, ...]:
    """The expressions of the CHECK constraints a CREATE TABLE statement declares, as written:
    its text scanned with quoted strings and names skipped, each CHECK's parentheses
    matched."""
    found, at, quote = [], 0, None
    while at < len(create):
        char = create[at]
        if quote is not None:  # inside '…', "…", `…` or […] (a doubled quote stays inside)
            if char == quote:
                quote = None
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif (create[at:at + 5].upper() == "CHECK" and not _word(create[at - 1:at])
              and create[at + 5:].lstrip().startswith("(")):
            start = create.index("(", at + 5)
            end = _closing(create, start)
            found.append(create[start + 1:end].strip())
            at = end
        at += 1
    return tuple(found)


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _closing(text: str, start: int) -> int:
    """The place of the parenthesis closing the one at `start` (quoted text skipped)."""
    depth, quote = 0, None
    for at in range(start, len(text)):
        char = text[at]
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at
    raise ValueError("a CHECK constraint without its closing parenthesis")


def _affinity(declared: str) -> str:
    """A column's type affinity, by SQLite's rules (https://sqlite.org/datatype3.html 3.1)."""
    kind = declared.upper()
    if "INT" in kind:
        return "integer"
    if "CHAR" in kind or "CLOB" in kind or "TEXT" in kind:
        return "text"
    if "BLOB" in kind or not kind:
        return "blob"
    if "REAL" in kind or "FLOA" in kind or "DOUB" in kind:
        return "real"
    return "numeric"


# the storage classes a value may have so that the column's affinity leaves it as it is
_KEPT = {"integer": "('null', 'integer')", "numeric": "('null', 'integer')",
         "real": "('null', 'real')", "text": "('null', 'text', 'blob')"}


@functools.cache
def implied() -> dict[str, frozenset[str]]:
    """The CHECK expressions, as the schema writes them, that the part's own screen already
    proves of every row it does not flag, with the storage class `_constraints_bad` would ask
    of the columns they name: each is the screen's own condition on the same column
    (`_dossier_ok`, `_children_bad`, `_votes_bad`: a value IN a list of texts is a text of the
    list; `typeof(x) = 'integer'` there, with more; a moment or a fee NULL or an INTEGER in
    range), over every row of the table. `_constraints_bad` does not evaluate these a second
    time (a fifth of the screen's work on a part's dossiers, docs/speed.md, fifteenth round);
    a CHECK written otherwise than here is not among them and is evaluated.
    (`digitised IN (0, 1)` is not: the screen takes 1.0 there, the column keeps integers.)"""
    def moment(column: str) -> str:
        return f"{column} IS NULL OR typeof({column}) = 'integer'"
    return {
        "dossier_rows": frozenset([
            f"channel IN {_listed(CHANNELS)}", f"status IN {_listed(STATUSES)}",
            "typeof(received_at) = 'integer'", "fee IS NULL OR fee >= 0",
            *(moment(m) for m in MOMENTS if m != "received_at")]),
        "payment_rows": frozenset([
            "amount > 0", f"method IN {_listed(PAYMENT_METHODS)}",
            "typeof(paid_at) = 'integer'", moment("cancelled_at")]),
        "complaints": frozenset([f"channel IN {_listed(COMPLAINT_CHANNELS)}"]),
        "vote_rows": frozenset([
            f"rating IN {_listed(RATINGS)}", "typeof(voted_at) = 'integer'",
            moment("cancelled_at")]),
    }


def _constraints_bad(conn, s: str) -> tuple[list[str], str]:
    """The part's dossier ids (SELECTs, one a table) and vote ids (one SELECT) with a row that
    a CHECK constraint of its table would refuse as the copy inserts it: the constraints'
    own expressions (`checks_of` the table's CREATE TABLE, the part's schema being ours, row
    for row: core.exchange.part), each passed when it is not false (NULL passes, as in
    SQLite), evaluated on the stored values, and every value a constraint names of the
    storage class its column's affinity keeps (then the INSERT, which applies the affinity
    before the constraints, sees the very value evaluated here: a text '-5' in an INTEGER
    column passes `>= 0` as text, not as the number it would become). In a query an IN list
    is a table made once; in an INSERT's constraints, once a row (docs/speed.md, fourteenth
    round). But those the screen itself proves (`implied`)."""
    dossiers, votes = [], "SELECT 0 WHERE 0"
    for table, owner in WRITTEN:
        row = conn.execute(f"SELECT sql FROM {s}.sqlite_master WHERE type = 'table' AND "
                           "name = ?", [table]).fetchone()
        proven = implied().get(table, frozenset())
        expressions = tuple(e for e in (checks_of(row[0]) if row is not None else ())
                            if e not in proven)
        if not expressions:
            continue
        columns = conn.execute("SELECT name, type FROM pragma_table_info(?, ?)",
                               [table, s]).fetchall()
        kept = [f"typeof(t.\"{name}\") IN {_KEPT[_affinity(declared)]}"
                for name, declared in columns if _affinity(declared) in _KEPT
                and any(re.search(rf"(?<![\w\"]){re.escape(name)}(?![\w\"])", e, re.I)
                        or f'"{name}"' in e for e in expressions)]
        ok = " AND ".join([*kept, *(f"(({e}) IS NOT FALSE)" for e in expressions)])
        found = (f"SELECT t.{owner} FROM {s}.{table} AS t WHERE t.{owner} IS NOT NULL AND "
                 f"{_refused(ok)}")
        if table == "vote_rows":
            votes = found
        else:
            dossiers.append(found)
    return dossiers, votes


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
        joined = ", ".join(f"group_concat({c}, char(10)) FILTER (WHERE {c} < x'')"
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


def read_only(path: str) -> sqlite3.Connection:
    """A connection of its own to the part's file, read-only (a URI made by pathlib: a Windows
    path's drive and backslashes, or a '?' or '#' in a folder's name, stay a path)."""
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)


def _part_path(conn, s: str) -> str:
    for _seq, name, path in conn.execute("PRAGMA database_list"):
        if name == s and path:
            return path
        if name == s:  # in memory (deserialized): the caller gives the file (Copier.copy)
            raise ValueError(f"schema {s!r} is in memory: give its file as `path`")
    raise ValueError(f"no schema {s!r} attached")


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


# ----- the copy -----------------------------------------------------------------------------
@contextlib.contextmanager
def _checks_proven(conn) -> Iterator[None]:
    """The schema's CHECK constraints not evaluated again for the part's rows as they are
    copied (`PRAGMA ignore_check_constraints`, back as it was at the end, on an error too).
    The screen has evaluated them, the constraints' own expressions, on every row of the part
    the copy writes (`_constraints_bad`), with every value they name of the storage class the
    column keeps (or its own conditions prove them: `implied`): a row one of them refuses is
    flagged, judged by checks (refused, or left to the existing path, whose INSERT evaluates
    them). What the copy writes of its own passes
    them by construction: the centre's ids (no CHECK), the import's moment (integer
    seconds), the derived data copied (screened) or left empty (NULL, 0), the columns it
    does not write (their defaults). Evaluated again, they were half of a copied dossier's VM
    steps: SQLite codes an IN list of a CHECK as a table made anew for every row (no `Once`
    in a constraint), three of them a dossier, one a payment (docs/speed.md, fourteenth
    round). NOT NULL, UNIQUE and the foreign keys are checked as always. (Not the part's
    quick_check: SQLite reads no CHECK constraint of a read-only database, so its
    quick_check there evaluates none.)"""
    was = conn.execute("PRAGMA ignore_check_constraints").fetchone()[0]
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA ignore_check_constraints = {int(was)}")


# The child tables the copy writes with each dossier, in the order Store.insert_new inserts them
# (records.CHILDREN), each with the columns it copies and its rows' order within a dossier: the
# centre's ids are given in that order
COPIED_CHILDREN = (("supplements", records.WAIT_COLUMNS, "c.requested_at, c.id"),
                   ("extensions", records.EXTENSION_COLUMNS, "c.id"),
                   ("payment_rows", records.PAYMENT_COLUMNS, "c.id"),
                   ("dossier_components", records.COMPONENT_COLUMNS, "c.position"),
                   ("complaints", records.COMPLAINT_COLUMNS, "c.received_at, c.id"))
VOTE_COLUMNS = ("unit_code", "voted_at", "rating", "comment", "reasons", "source", "cancelled_at",
                "cancel_reason", "cancelled_by", "actor")  # a vote's columns copied as they are
# The ledger's tables (db.ledger) the copy writes: the table of each one's rows, and the view
# that shows them to the ledger where it is one (its moments shown as text: db.entry_rows)
LEDGER_ROWS = {"supplements": "supplements", "extensions": "extensions",
               "payments": "payment_rows", "votes": "vote_rows"}
LEDGER_VIEWS = {entries.view: entries for entries in entry_rows.ALL}

# The events' stored hashes go to the main process laid out by their ids in the part (one blob,
# `_chain_job`) unless the ids are spread wider than this many times their number (a hostile or
# odd part: by their place in the chain then)
BY_ID_SPREAD = 4
STAGES = 7  # the steps of _Copy.run after which progress is reported and a cancel is taken


class _Copy:
    def __init__(self, runner: Copier, s: str, now: str, fast: bool, path: str | Path | None):
        conn = self.conn = runner.conn
        self.runner, self.s, self.fast = runner, s, fast
        self.delta, self.refresh, progress = runner.delta, runner.refresh, runner.progress
        self.now = to_stored(now)
        self.progress, self.stage = progress, 0
        self.total = conn.execute(f"SELECT COUNT(*) FROM {s}.dossier_rows").fetchone()[0]
        self.path = str(path) if path is not None else _part_path(conn, s)
        self.out = Copied()
        self.vouched: dict[str, tuple[int, int]] = {}  # ledger table → (first id, count)

    def report(self) -> None:
        self.stage += 1
        done = self.total * self.stage // STAGES
        if self.progress is not None and self.progress(done, max(self.total, 1)) is False:
            raise InterruptedError("import cancelled")

    def run(self) -> Copied:
        # the chain first: the second process hashes while the screen ends (what the judge
        # leaves besides the codes held is rare: then the chain is asked for again). The
        # part's own screen ran ahead (Copier.ahead); the centre's catalogue is read here, as
        # the part's own merge has just left it
        # (the part's codes looked up in their own order, its code index's: the centre's code
        # index is read in the same order, its pages met in turn, not at random: −15–30 %)
        self.conn.execute(DEFERRED_TABLE)
        held = sorted(r[0] for r in self.conn.execute(
            f"SELECT p.id FROM {self.s}.dossier_rows p WHERE EXISTS (SELECT 1 FROM "
            "main.dossier_rows d WHERE d.code = p.code) OR p.code IN (SELECT code FROM "
            f"{DEFERRED}) OR p.code IN (SELECT local_code FROM {self.s}.code_aliases) "
            "ORDER BY p.code"))
        self.submit(held)
        flagged, flagged_votes = _with_known(self.conn, self.s, self.runner.screened(self.path))
        left, left_votes = _judge(self.conn, self.path, flagged, flagged_votes)
        self.report()
        self.plan(held, left)
        if self.out.left_dossiers != held:
            self.submit(self.out.left_dossiers)
        if self.out.first_id is not None:
            self.runner.ask_keys(self.path, self.out.left_dossiers, self.out.first_id,
                                 self.out.dossiers)
        self.read_facts = (self.runner.later(_facts_job, self.path, self.out.left_dossiers,
                                             self.runner.token)
                           if self.fast and self.out.dossiers else None)
        if self.read_facts is not None:
            self.runner.use(self.path, self.read_facts)
        self.report()
        with _checks_proven(self.conn):  # every row these steps write into a table with
            self.dossiers()              # CHECK constraints is one of the part's the screen
            self.report()                # passed, copied as it is (but its ids, the
            self.children()              # import's moment, its derived data or none)
            self.report()
            self.events()
            self.runner.screen_next()  # (a part without events started none)
            self.report()
            self.votes(left_votes)
        if self.vouched:
            self.runner.hash_later(self.path, self.out.left_dossiers, self.out.first_id,
                                   self.vouched, self.out.left_votes)
        if self.out.left_dossiers or self.out.left_votes:  # the existing path may change the
            self.runner.settle()                           # rows copied: their sums added first
        self.report()
        self.derived()
        self.report()
        return self.out

    def submit(self, left: list[int]) -> None:
        """The chain's hashes of the part's dossiers but `left`, asked of the second process
        after the centre's head as it now stands (nothing else chains before this part's
        events go in)."""
        top = chain.head(self.conn)
        width = chain.STORED_BYTES if chain.has_marks(self.conn) else chain.FULL_BYTES
        self.chained_args = (self.path, left, top[1] if top else None, width)
        guess, self.runner.guess = self.runner.guess, None
        if guess is not None and guess[0] == self.chained_args:  # asked for with these very
            self.chained = guess[1]                                # arguments: its result
        else:
            self.chained = self.runner.start(_ahead, *self.chained_args, self.runner.token)
            self.runner.use(self.path, self.chained)
        self.runner.tails_next(self.path)

    def plan(self, held: list[int], left: list[int]) -> None:
        """temp.fastcopy_map: the part's dossiers to copy (code not at the centre: not `held`,
        as `run` found them before the screen, nothing written since; not left by the judge)
        → the centre's next ids in part order, and each one's rank among ALL the part's
        dossiers (the existing path's batches of BATCH records count them all)."""
        conn, s = self.conn, self.s
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_left(id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.fastcopy_left")
        self.out.left_dossiers = sorted({*held, *left})  # each code looked up once, in `run`
        conn.executemany("INSERT INTO temp.fastcopy_left VALUES (?)",
                         [(i,) for i in self.out.left_dossiers])
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_map(old INTEGER PRIMARY KEY, "
                     "new INTEGER NOT NULL, rank INTEGER NOT NULL)")
        conn.execute("DELETE FROM temp.fastcopy_map")
        base = conn.execute("SELECT COALESCE(MAX(id), 0) FROM main.dossier_rows").fetchone()[0]
        ranked = f"SELECT p.id, row_number() OVER (ORDER BY p.id) AS rank FROM {s}.dossier_rows p"
        if self.out.left_dossiers:
            conn.execute(
                "INSERT INTO temp.fastcopy_map(old, new, rank) SELECT id, ? + row_number() OVER "
                f"(ORDER BY id), rank FROM ({ranked}) AS q WHERE q.id NOT IN (SELECT id FROM "
                "temp.fastcopy_left) ORDER BY q.id", [base])
        else:  # every dossier copied (the common case): its new id follows from its rank
            conn.execute(f"INSERT INTO temp.fastcopy_map(old, new, rank) SELECT id, ? + rank, "
                         f"rank FROM ({ranked})", [base])
        count = conn.execute("SELECT COUNT(*) FROM temp.fastcopy_map").fetchone()[0]
        self.out.dossiers = count
        if count:
            self.out.first_id, self.out.last_id = base + 1, base + count

    def dossiers(self) -> None:
        """The rows as Store.insert_new writes them: the record's fields, created and updated
        now, the sender's derived data when `fast` (facts kept only where there are facts)."""
        fields = ", ".join(f"d.{f}" for f in records.FIELDS)
        self.conn.execute(
            f"INSERT INTO main.dossier_rows(id, code, {', '.join(records.FIELDS)}, created_at, "
            f"updated_at, {', '.join(records.STORED_DERIVED)}) SELECT m.new, d.code, {fields}, "
            ":now, :now, CASE WHEN :fast AND d.facts IS NOT NULL THEN d.calc_due_at END, "
            "CASE WHEN :fast THEN d.facts END, CASE WHEN :fast AND d.facts IS NOT NULL THEN "
            f"d.kpi_irregular ELSE 0 END FROM temp.fastcopy_map m JOIN {self.s}.dossier_rows d "
            "ON d.id = m.old ORDER BY m.old", {"now": self.now, "fast": int(self.fast)})

    def children(self) -> None:
        """Waits, extensions, payments, components, complaints in the order Store.insert_new
        inserts them (records.CHILDREN's order within each dossier): the same ids."""
        s = self.s
        vouched = {rows: table for table, rows in LEDGER_ROWS.items()}
        for table, columns, order in COPIED_CHILDREN:
            names = ", ".join(columns)
            before = self.last(table) if table in vouched else 0
            cursor = self.conn.execute(
                f"INSERT INTO main.{table}(dossier_id, {names}) SELECT m.new, "
                f"{', '.join('c.' + c for c in columns)} FROM temp.fastcopy_map m JOIN "
                f"{s}.{table} c ON c.dossier_id = m.old ORDER BY m.old, {order}")
            if table in vouched:  # vouched for in the ledger (db.ledger, spec 10), as insert_new
                self.vouch(vouched[table], before, cursor.rowcount)

    def last(self, table: str) -> int:
        return self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM main.{table}").fetchone()[0]

    def vouch(self, table: str, before: int, count: int) -> None:
        """The `count` rows just inserted into the ledger's `table` after the id `before`,
        vouched for (db.ledger.added): their sums made beside this thread from the part's rows
        (`_ledger_job`, asked at the end of the part: Copier.hash_later) when their ids are
        before + 1 … before + count, given in the copy's order, which the job follows (and
        the ledger is there to add to); else here and now."""
        if not count:
            return
        if self.last(LEDGER_ROWS[table]) == before + count and ledger.kept(self.conn, table):
            self.vouched[table] = (before + 1, count)
        else:
            ledger.added(self.conn, table, "id > ?", [before])

    # ----- events ------------------------------------------------------------------------
    def events(self) -> None:
        conn, s = self.conn, self.s
        count = conn.execute(f"SELECT COUNT(*) FROM temp.fastcopy_map m JOIN {s}.event_rows e "
                             "ON e.dossier_id = m.old").fetchone()[0]
        if not count:
            return
        self.words()
        first = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM main.{events_codec.TABLE}"
                             ).fetchone()[0]
        ahead = getattr(self.chained, "ready", bool)()  # a _Here: run when asked for
        hashed = self.chained.get()
        self.runner.screen_next()  # the second process's core free till the next chain
        # None: the second process, ahead of the screen, met a row it refused to hash; the
        # screen has passed the rows since, so hashed again here (it raises what it meets)
        low, by_id, full = hashed if hashed is not None else _chain_job(*self.chained_args)
        if len(full) != count * chain.FULL_BYTES:
            raise RuntimeError(f"the chain of {s}: {len(full) // chain.FULL_BYTES} hashes for "
                               f"{count} events")
        width = self.chained_args[3]
        # each event's stored hash taken from the second process's hashes by the event's id
        # in the part (`by_id`: the prefixes laid out by id, a slice of one blob in C, where
        # a look-up by a Python function cost ~0.35 µs an event), or, ids too far apart for
        # that, by its place in the chain (numbered by a window in the chain's order); never
        # by the order SQLite evaluates the rows in. The ids are given on insert, in the
        # chain's order (ORDER BY), each after the last (Store.insert_new's)
        if by_id:
            hashes = {"hashes": by_id, "low": low}
            rows = (f"SELECT m.new, e.*, substr(:hashes, (e.id - :low) * {width} + 1, {width}) "
                    f"AS stored FROM temp.fastcopy_map m JOIN {s}.event_rows e ON e.dossier_id "
                    "= m.old ORDER BY m.old, e.id")
        else:
            hashes = {"hashes": full}
            rows = (f"SELECT *, substr(:hashes, (n - 1) * {chain.FULL_BYTES} + 1, {width}) AS "
                    f"stored FROM ({_chain_order(s, 'm.new, e.*')}) ORDER BY n")
        word, table = self.word_sql()
        shape = word.format(_shape_code("e.details"))
        # the coded details' shape re-coded to the centre's code; copied as they are when the
        # words keep their codes: the screen passed only blobs that re-coding leaves as they
        # are (`_coded_ok`), and re-coding 94,000 events cost ~50 ms a part
        details = "e.details" if word == "{0}" else (
            "CASE typeof(e.details) WHEN 'blob' THEN CASE substr(e.details, 1, 1) WHEN "
            f"x'5b' THEN CAST('[' || {shape} || substr(e.details, instr(e.details, ',')) "
            f"AS BLOB) ELSE CAST(CAST({shape} AS TEXT) AS BLOB) END ELSE e.details END")
        conn.execute(
            f"INSERT INTO main.{events_codec.TABLE}(dossier_id, at, actor, action, from_status, "
            f"to_status, reason, details, hash) SELECT e.new, e.at, {word.format('e.actor')}, "
            f"{word.format('e.action')}, {word.format('e.from_status')}, "
            f"{word.format('e.to_status')}, e.reason, {details}, e.stored FROM ({rows}) AS e",
            {"map": table, **hashes})
        last = conn.execute(f"SELECT MAX(id) FROM main.{events_codec.TABLE}").fetchone()[0]
        if last != first + count - 1:
            raise RuntimeError(f"the events of {s}: ids {first}..{last} for {count}")
        size = chain.FULL_BYTES
        ledger.record_head(conn, last, full[-size:])
        if not self.out.left_dossiers:  # nothing else chains before the next part's events
            self.runner.guess_next(full[-size:], width)
        self.runner.spare(ahead)  # a job kept for later, after that chain
        if width == chain.STORED_BYTES:  # the marks: the multiples of MARK_EVERY among the new ids (append_tails)
            chain.store_marks(conn, [(mark, full[(mark - first) * size:(mark - first + 1) * size])
                                     for mark in range(-(-first // chain.MARK_EVERY)
                                                       * chain.MARK_EVERY, last + 1,
                                                       chain.MARK_EVERY)])

    def word_sql(self) -> tuple[str, str | None]:
        """How a part's word code becomes the centre's in SQL, and the value bound as :map: a
        text whose character at position code + 1 has the centre's code as its code point
        (`unicode(substr(…))`, C string work instead of a look-up of temp.fastcopy_wordmap per
        word and event); codes from the first surrogate on take the look-up."""
        pairs = self.conn.execute("SELECT old, new FROM temp.fastcopy_wordmap").fetchall()
        if all(old == new for old, new in pairs):  # the same words under the same codes (the
            return "{0}", None                     # common case: one catalogue): copied as is
        if any(code < 1 or code >= 0xD800 for pair in pairs for code in pair):
            return "(SELECT w.new FROM temp.fastcopy_wordmap w WHERE w.old = {0})", None
        # a code the part does not use never reaches here (`screen`); not NUL, at which SQLite's
        # substr stops counting
        points = [0xFFFF] * (max((old for old, _new in pairs), default=0) + 1)
        for old, new in pairs:
            points[old] = new
        return "unicode(substr(:map, {0} + 1, 1))", "".join(map(chr, points))

    def words(self) -> None:
        """temp.fastcopy_wordmap: the part's word codes → the centre's; a word the centre lacks
        is added in the order the existing path adds it (db.events_codec.Words, per batch of
        records: the actors, the actions, the statuses before and after, then the details'
        shapes, each in the events' order), so the codes are the same."""
        conn, s = self.conn, self.s
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_wordmap(old INTEGER PRIMARY KEY, "
                     "new INTEGER NOT NULL)")
        conn.execute("DELETE FROM temp.fastcopy_wordmap")
        missing = [r[0] for r in conn.execute(
            f"SELECT p.code FROM {s}.event_words p WHERE NOT EXISTS (SELECT 1 FROM "
            "main.event_words w WHERE w.word = p.word)")]
        if missing:
            marks = ",".join(str(int(c)) for c in missing)
            uses = " UNION ALL ".join(
                f"SELECT {expr} AS code, batch * 5 + {rank} AS k, n FROM events WHERE {expr} IN "
                f"({marks})" for rank, expr in enumerate(
                    ["actor", "action", "from_status", "to_status",
                     f"CASE typeof(details) WHEN 'blob' THEN {_shape_code('details')} END"]))
            events = _chain_order(s, "(m.rank - 1) / :batch AS batch, e.*")
            first_use = conn.execute(f"WITH events AS MATERIALIZED ({events}) SELECT code, "
                                     f"MIN(k * 4294967296 + n) AS at FROM ({uses}) GROUP BY code "
                                     "ORDER BY at", {"batch": _batch()}).fetchall()
            conn.executemany(f"INSERT INTO main.event_words(word) SELECT word FROM "
                             f"{s}.event_words WHERE code = ?", [(c,) for c, _at in first_use])
        conn.execute(f"INSERT INTO temp.fastcopy_wordmap SELECT p.code, w.code FROM "
                     f"{s}.event_words p JOIN main.event_words w ON w.word = p.word")

    # ----- votes -------------------------------------------------------------------------
    def votes(self, flagged: list[int]) -> None:
        """The part's votes on copied dossiers, and its walk-in votes no stored walk-in vote
        could match (merge._Merger._votes matches by all a vote says), in part order; the rest
        is left (`left_votes`): the votes on dossiers left, the flagged ones, and the walk-in
        votes a stored one could match (the existing path counts them identical, or cancels
        the stored one). Which are taken is decided once (temp.fastcopy_taken): the stored
        walk-in votes are looked up once a walk-in vote, before any is added, in the copy of
        them the Copier keeps at the moments of the operation's walk-in votes
        (temp.fastcopy_walkins, `Copier.walk_ins`: by all a vote says, where the centre's
        table was searched by the moment alone and each row read: ~1.2 s at 50 parts of the
        bench, docs/speed.md, fifteenth round). A vote whose moment is not an integer is
        flagged by the screen (the table's CHECK) and never reaches the look-up."""
        conn, s = self.conn, self.s
        same = (f"SELECT 1 FROM temp.{Copier.WALK_INS} c WHERE c.unit_code = v.unit_code AND "
                "c.voted_at = v.voted_at AND c.rating = v.rating AND c.comment IS v.comment AND "
                "c.reasons IS v.reasons AND c.source = v.source")
        self.runner.walk_ins(s)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_votes(id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.fastcopy_votes")
        conn.executemany("INSERT INTO temp.fastcopy_votes VALUES (?)", [(i,) for i in flagged])
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_taken(id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.fastcopy_taken")
        # a CASE, not AND/OR: a walk-in vote's NULL dossier_id IN (…) is NULL, not false, and
        # `NOT (… OR …)` of it NULL too: such a vote was neither taken nor left. The copy a
        # move left on the sender's dossier (recode.moved_copy) is left: the records' way
        # leaves it out where no vote matches it
        moved, moved_params = recode.moved_copy_sql(
            "v", f"(SELECT d.code FROM {s}.dossier_rows d WHERE d.id = v.dossier_id)")
        conn.execute(
            f"INSERT INTO temp.fastcopy_taken SELECT v.id FROM {s}.vote_rows v WHERE CASE "
            "WHEN v.id IN (SELECT id FROM temp.fastcopy_votes) THEN 0 "
            f"WHEN {moved} THEN 0 "
            "WHEN v.dossier_id IN (SELECT old FROM temp.fastcopy_map) THEN 1 "
            f"WHEN v.dossier_id IS NULL OR v.dossier_id NOT IN (SELECT id FROM {s}.dossier_rows) "
            f"THEN NOT EXISTS ({same}) ELSE 0 END ORDER BY v.id", moved_params)
        self.out.left_votes = [r[0] for r in conn.execute(
            f"SELECT v.id FROM {s}.vote_rows v WHERE v.id NOT IN (SELECT id FROM "
            "temp.fastcopy_taken) ORDER BY v.id")]
        last = self.last("vote_rows")
        cursor = conn.execute(
            f"INSERT INTO main.vote_rows(dossier_id, {', '.join(VOTE_COLUMNS)}) SELECT m.new, "
            f"{', '.join('v.' + c for c in VOTE_COLUMNS)} FROM temp.fastcopy_taken t JOIN "
            f"{s}.vote_rows v ON v.id = t.id LEFT JOIN temp.fastcopy_map m ON m.old = "
            "v.dossier_id ORDER BY t.id")
        self.out.votes = cursor.rowcount
        if self.out.votes:
            self.runner.walked_in(last)
            self.vouch("votes", last, self.out.votes)  # spec 10: edits show
            if "votes" not in self.vouched:  # (else counted with their sums: Copier.settle)
                _count_votes(self.delta, conn.execute(_marks_sql("main.vote_rows WHERE id > ?"),
                                                      [last]))

    # ----- derived data ------------------------------------------------------------------
    def derived(self) -> None:
        """Store._derived for every copied dossier. Equal fingerprints: the sender's facts are
        kept (read by the second process, `_facts_job`; applied by Copier.apply as the parts
        go); otherwise the dossiers are computed here at the end (`refresh`)."""
        first, last = self.out.first_id, self.out.last_id
        if first is None or last is None:
            return
        if self.read_facts is not None:
            self.runner.pending.append((first, self.read_facts))
            self.runner.facts_asked = True
        else:
            self.refresh.extend(range(first, last + 1))


def _marks_sql(votes: str) -> str:
    """The kpi marks of the votes `votes` ("table WHERE …") as Store counts them: a vote not
    cancelled counts on its unit and day, and as satisfied by its rating."""
    return (f"SELECT unit_code, date(voted_at, 'unixepoch'), COUNT(*), SUM(rating IN "
            f"{_listed(facts.SATISFIED)}) FROM {votes} AND cancelled_at IS NULL GROUP BY 1, 2")


def _count_votes(delta: Counter, marks) -> None:
    for unit, day, count, satisfied in marks:
        delta[(unit, day, "votes")] += count
        if satisfied:
            delta[(unit, day, "satisfied")] += satisfied


def _chain_order(s: str, columns: str) -> str:
    """The copied events of the part `s` in the chain's order (the existing path's: the
    dossiers in part order, each one's events by id), numbered from 1 as `n`: scanned in that
    order (the map by the part's ids, each dossier's events by the index events_dossier), so
    neither the numbering nor the insert sorts."""
    return (f"SELECT row_number() OVER (ORDER BY m.old, e.id) AS n, {columns} FROM "
            f"temp.fastcopy_map m JOIN {s}.event_rows e ON e.dossier_id = m.old")


def _batch() -> int:
    """merge.BATCH, read when used (merge wires this module: no import cycle at load time)."""
    from core.exchange import merge
    return merge.BATCH


# ----- the ledger's sums, beside the main thread ---------------------------------------------
def _ledger_job(path: str, left: list[int], first: int | None, rows: dict[str, tuple[int, int]],
                left_votes: list[int]) -> tuple[dict[str, ledger.Sums | None], list | None]:
    """db.ledger's sums of the rows a part's copy wrote into the ledger's tables (`rows`: each
    table's first id and count), made from the part's own rows (read-only, a connection of its
    own) as the copy wrote them: the dossiers but `left` given the centre's ids from `first`
    in part order, each table's rows in the copy's order (COPIED_CHILDREN; the votes but
    `left_votes` by id) given their ids from the first, each row's text as db.ledger.row_sql
    gives it at the centre (the view's moments as text, db.entry_rows) and hashed by
    db.ledger.summed. None for a table whose rows hold a value the centre's column would
    store otherwise (its affinity: a hostile file's integer in a TEXT column …), or whose rows
    are not `count`: summed from the centre's rows then (Copier.settle). And the copied votes'
    kpi marks (`_marks_sql`; None where their sums are). Runs in a thread of its own
    (Copier.hash_later): SQLite, the hashing and the text's making off the main thread, which
    only adds the sums (~1.6 µs a row there before, docs/speed.md)."""
    conn = read_only(path)
    out: dict[str, ledger.Sums | None] = {}
    marks = None
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        for name, ids in (("left", left), ("left_votes", left_votes)):
            conn.execute(f"CREATE TEMP TABLE {name}(id INTEGER PRIMARY KEY)")
            conn.executemany(f"INSERT INTO temp.{name} VALUES (?)", [(i,) for i in ids])
        shift = _shifted(conn, left, first)
        if shift is None:  # (`plan`'s map)
            conn.execute("CREATE TEMP TABLE map(old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
            if first is not None:
                conn.execute("INSERT INTO temp.map SELECT id, ? - 1 + row_number() OVER (ORDER "
                             "BY id) FROM main.dossier_rows WHERE id NOT IN (SELECT id FROM "
                             "temp.left)", [first])
        orders = {table: (columns, order) for table, columns, order in COPIED_CHILDREN}
        for table, (start, count) in rows.items():
            stored = LEDGER_ROWS[table]
            columns: tuple[str, ...]
            new = "m.new"
            if table == "votes":
                columns = VOTE_COLUMNS
                if shift is None:
                    rows_sql = ("FROM main.vote_rows c LEFT JOIN temp.map m ON m.old = "
                                "c.dossier_id WHERE c.id NOT IN (SELECT id FROM "
                                "temp.left_votes) ORDER BY c.id")
                else:  # the map's new id where it has the dossier, else NULL (LEFT JOIN)
                    new = f"CASE WHEN {_MAPPED} THEN CAST(c.dossier_id AS INTEGER) + :shift END"
                    rows_sql = ("FROM main.vote_rows c WHERE c.id NOT IN (SELECT id FROM "
                                "temp.left_votes) ORDER BY c.id")
            else:
                columns, order = orders[stored]
                if shift is None:
                    rows_sql = (f"FROM temp.map m JOIN main.{stored} c ON c.dossier_id = m.old "
                                f"ORDER BY m.old, {order}")
                else:  # the rows the map's join gives, in its order (m.old, the same value)
                    new = "CAST(c.dossier_id AS INTEGER) + :shift"
                    rows_sql = (f"FROM main.{stored} c WHERE {_MAPPED} ORDER BY c.dossier_id, "
                                f"{order}")
            out[table] = _ledger_sums(conn, table, columns, rows_sql, start, count, new,
                                      shift or {})
        if out.get("votes") is not None:  # (each value they read as the centre holds it)
            marks = conn.execute(_marks_sql("main.vote_rows WHERE id NOT IN (SELECT id FROM "
                                            "temp.left_votes)")).fetchall()
    finally:
        conn.close()
    return out, marks


# A dossier id of the part the map (`plan`'s: the part's dossiers, all copied, their ids lo …
# hi without a gap, each given id + shift) holds, as its join `m.old = c.dossier_id` finds it:
# an integer of the range, or a real equal to one (a text, a blob, NULL or another real never
# equals the map's integers: the columns' INTEGER affinity converts neither side)
_MAPPED = ("c.dossier_id BETWEEN :lo AND :hi AND c.dossier_id = CAST(c.dossier_id AS "
           "INTEGER)")


def _shifted(conn, left: list[int], first: int | None) -> dict[str, int] | None:
    """When every dossier of the part is copied (none `left`) and its ids run lo … hi without
    a gap (as MotCua numbers a part's rows), the map `plan` makes is old → old + shift: then
    the ledger's job reads the part's rows by their dossier ids and computes the new one
    (`_MAPPED`), with no map made of the part's 20,000 dossiers (~15 ms a part, a window over
    them and a table); else None (the map, as before)."""
    if left or first is None:
        return None
    low, high, count = conn.execute("SELECT MIN(id), MAX(id), COUNT(*) FROM main.dossier_rows"
                                    ).fetchone()
    if not count or high - low + 1 != count:
        return None
    return {"lo": low, "hi": high, "shift": first - low}


def _ledger_sums(conn, table: str, columns: tuple[str, ...], rows_sql: str, start: int,
                 count: int, new: str = "m.new", bound: dict[str, int] | None = None
                 ) -> ledger.Sums | None:
    stored = LEDGER_ROWS[table]
    named = ledger.TABLES[table]
    if named[0] != "id" or any(c not in columns for c in named if c not in ("id", "dossier_id")):
        return None  # a column the copy does not write as it is
    kept = " AND ".join(f"(c.{name} IS NULL OR typeof(c.{name}) = '{_AS_IS[affinity]}')"
                        for name, declared in conn.execute(
                            "SELECT name, type FROM pragma_table_info(?, 'main')", [stored])
                        if name in columns and (affinity := _affinity(declared)) in _AS_IS)
    if kept and conn.execute(f"SELECT 1 FROM main.{stored} c WHERE NOT ({kept}) LIMIT 1"
                             ).fetchone() is not None:
        return None
    entries = LEDGER_VIEWS.get(table)
    shown = ", ".join(new if name == "dossier_id" else text_sql(f"c.{name}")
                      if entries is not None and name in entries.moments else f"c.{name}"
                      for name in named[1:])
    # each row's text with its id first (json_array(id, …) is '[' id ',' …), the ids from
    # `start` in the rows' order: made and hashed in C, no Python a row (`ledger.summed_from`)
    rows = conn.execute(f"SELECT json_array({shown}) {rows_sql}", bound or {})
    texts = map("[{},{}".format, itertools.count(start),
                map(operator.itemgetter(slice(1, None)), map(operator.itemgetter(0), rows)))
    sums, done = ledger.summed_from(texts, start)
    return sums if done == count else None


# the storage class a value of each affinity keeps as it is copied (a copied NULL stays NULL)
_AS_IS = {"integer": "integer", "numeric": "integer", "real": "real", "text": "text"}


# ----- the second process --------------------------------------------------------------------
def _open_part(path: str, left: list[int]) -> sqlite3.Connection:
    """A read-only connection of its own to the part, the dossiers not copied in temp.left."""
    conn = read_only(path)
    conn.execute("CREATE TEMP TABLE left(id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.left VALUES (?)", [(i,) for i in left])
    return conn


def _chain_job(path: str, left: list[int], prev: bytes | None, width: int,
               token: str | None = None) -> tuple[int, bytes, bytes]:
    """The copied events' full hashes chained after `prev` (joined): db.chain's (`tails`, then
    `chained`) of their content as the part's own view decodes it (what the existing path
    reads from the package and hashes), in the chain's order (the dossiers in part order, each
    one's events by id); and their stored prefixes (`width` bytes) laid out by the event's id
    in the part from the lowest, `low` (b"" when the ids are too far apart for that:
    BY_ID_SPREAD). Returns (low, prefixes by id, full hashes). Runs in the second process
    (`Copier`): with the part's tails made ahead there (`_tails_job`, the operation's `token`,
    the same `left`) only the SHA-256 chaining is left (db.chain.chained, ~0.07 s a part of
    94,000 events instead of ~0.4 s with its reading and encoding); else it makes them."""
    kept = _TAILS.pop((token, path), None) if token is not None else None
    if kept is not None and kept[0] == left:
        ids, tails = kept[1], kept[2]
    else:
        ids, tails = _part_tails(path, left)
    del kept
    digests = chain.chained(tails, prev)
    del tails
    full = b"".join(digests)
    if not ids or max(ids) - min(ids) >= BY_ID_SPREAD * len(ids) + 1024:
        return 0, b"", full
    low = min(ids)
    if ids[-1] - low == len(ids) - 1 and ids == array("q", range(low, low + len(ids))):
        return low, _prefixes(full, digests, width), full
    by_id = bytearray((max(ids) - low + 1) * width)
    for event_id, digest in zip(ids, digests, strict=True):
        at = (event_id - low) * width
        by_id[at:at + width] = digest[:width]
    return low, bytes(by_id), full


def _prefixes(full: bytes, digests: list[bytes], width: int) -> bytes:
    """The first `width` bytes of each hash, joined: the stored prefixes (8 bytes) taken from
    the joined hashes in C, each hash's first 8-byte word (a view of them as 64-bit words,
    every fourth, copied as they lie), not a slice made a hash (~5 ms a part)."""
    if width == chain.FULL_BYTES:
        return full
    if width == 8 and chain.FULL_BYTES == 32:
        return bytes(memoryview(full).cast("Q")[::4])
    return b"".join([digest[:width] for digest in digests])


def _part_tails(path: str, left: list[int]) -> tuple[array, list[bytes]]:
    """The part's copied events' ids and db.chain tails (their content's JSON, which needs no
    previous hash) in the chain's order (the dossiers in part order, each one's events by
    id), read from the stored rows with the words left as codes for db.chain to decode (as
    `check` reads them: db.events_codec.raw_content): a quarter quicker than the view's
    look-ups, and decoding them by a subquery in this SQL doubled its cost. Read as they are
    stored, the details too, by db.chain.quick_tails (~⅔ of the time); a part it does not take
    (or where it meets an error) is read again the general way (db.chain.tails of the view's
    details), which gives the same bytes or raises what it meets."""
    conn = _open_part(path, left)
    rows = ("dossier_rows d JOIN event_rows r ON r.dossier_id = d.id WHERE d.id NOT IN (SELECT "
            "id FROM temp.left) ORDER BY d.id, r.id")
    try:
        words = events_codec.words(conn)
        with contextlib.suppress(TypeError, ValueError, sqlite3.Error):  # then read below
            made = chain.quick_tails(conn.execute(
                f"SELECT r.id, d.code, {chain.QUICK_MOMENT}, r.actor, r.action, r.from_status, "
                f"r.to_status, r.reason, r.details FROM {rows}"), words,
                events_codec.View(conn).details)
            if made is not None:
                return made
        return chain.tails(conn.execute(
            f"SELECT r.id, d.code, {events_codec.MOMENT_SQL}, r.actor, r.action, "
            f"r.from_status, r.to_status, r.reason, {events_codec.details_sql('r')} FROM {rows}"),
            words)
    finally:
        conn.close()


# The tails of the parts to come (`_tails_job`), made by the process that runs the chain jobs,
# behind the chain asked for before them, and kept there until the part's chain job takes them: (operation
# token, part file) → (the dossiers left out, the events' ids, their tails). ~16 MB a part of
# 94,000 events: at most TAILS_KEPT parts are kept (the oldest dropped first: a part passed
# over, whose chain never asks for them); the chain job of a part whose tails are not here
# (dropped, refused, another `left`) makes them itself, as it did before.
_TAILS: dict[tuple[str, str], tuple[list[int], array, list[bytes]]] = {}
TAILS_KEPT = 3
TAILS_AHEAD = 1  # the parts after the one whose chain is asked whose tails are asked too
SPARE_MOST = 2  # jobs kept for later given at a time (Copier.spare): a part's keys and facts
# The search keys' files (`_keys_job`) deflated at this level by package.INFLATE's module
# (ISA-L's): a 20,000-dossier part's 2.6 MB of keys are 0.48 MB, made in 4 ms and read in 2.4
# ms; kept till the fill at the end, 50 parts' took 128 MB of the temporary folder
# (docs/speed.md, sixteenth round)
KEYS_LEVEL = 1


def _tails_job(path: str, left: list[int], token: str) -> int | None:
    """The part's tails made ahead of its chain and kept in this process (`_TAILS`) for its
    chain job (`_chain_job` with the same `token`, `left`); how many, or None where a row
    stops it (the chain job then meets it, and says so as it does today). Runs in the second
    process (Copier.tails_next)."""
    try:
        ids, tails = _part_tails(path, left)
    except (TypeError, ValueError, sqlite3.Error):
        return None
    _TAILS.pop((token, path), None)
    while len(_TAILS) >= TAILS_KEPT:
        del _TAILS[next(iter(_TAILS))]
    _TAILS[(token, path)] = (left, ids, tails)
    return len(ids)


def _forget_tails(token: str) -> None:
    """The operation's tails not taken, forgotten in this process."""
    for key in [key for key in _TAILS if key[0] == token]:
        del _TAILS[key]


def _ahead(path: str, left: list[int], prev: bytes | None, width: int,
           token: str | None = None) -> tuple[int, bytes, bytes] | None:
    """_chain_job run before the part is screened: None where a row stops it (a details blob
    SQLite cannot give as text, a word of the wrong kind …); the screen then names the record,
    or the main process hashes again."""
    try:
        return _chain_job(path, left, prev, width, token)
    except (TypeError, ValueError, sqlite3.Error):
        return None


# The kpi marks of the kept facts read by the process running the facts jobs, summed there per
# operation (Copier.token) until Copier.finish asks for them (`_marks_total`): one Counter
# crosses to the main process, not each part's ~70,000 keys a 20,000-dossier part (pickled,
# then added one by one by Python in the main process: ~0.1 s a part there)
class _Marks:
    """An operation's kpi marks in the process reading its facts: those laid on a row's own
    unit and a day (nearly all, ~200,000 a 20,000-dossier part) as (unit, day) → {column:
    count}, the others as {(unit, day, column): count}. A mark is added by a look-up of its
    column in its row's day's dict, not a tuple made and hashed twice a mark (the part's
    job ~¼ quicker); `total` makes the one Counter at the end."""
    __slots__ = ("by_day", "other")

    def __init__(self) -> None:
        self.by_day: dict[tuple, dict] = {}
        self.other: Counter = Counter()

    def __bool__(self) -> bool:
        return bool(self.by_day or self.other)

    def day(self, unit, date) -> dict:
        """The columns' counts of the unit on that day."""
        found = self.by_day.get((unit, date))
        if found is None:
            found = self.by_day[(unit, date)] = {}
        return found

    def total(self) -> Counter:
        total = Counter({(unit, day, column): count for (unit, day), columns
                         in self.by_day.items() for column, count in columns.items()})
        total.update(self.other)
        return total


_MARKS: dict[str, _Marks] = {}


def _facts_job(path: str, left: list[int], token: str) -> tuple[list, list]:
    """Store._derived's reading of the copied dossiers' kept facts, by their place among the
    copied ones: (the texts Store would write where the sender's differ; the places of those
    without readable facts, computed at the centre); their kpi marks are added to the
    operation's (`_MARKS`). A text is read once a process for all the rows it fits
    (`_reading`): a 20,000-dossier part holds ~2,300 distinct facts texts, each read, written
    again and marked as `_kept_facts` and facts.marks do, the marks then laid on each row's
    unit and days."""
    conn = _open_part(path, left)
    marks = _MARKS.setdefault(token, _Marks())
    other, on_day = marks.other, marks.day
    get = other.get
    rewrite, computed = [], []
    try:
        rows = conn.execute(
            "SELECT facts, COALESCE(NULLIF(competent_unit_code, ''), unit_code), "
            "datetime(received_at, 'unixepoch'), datetime(calc_due_at, 'unixepoch'), "
            "datetime(finished_at, 'unixepoch') FROM dossier_rows WHERE id NOT IN (SELECT id "
            "FROM temp.left) ORDER BY id")
        readings, read = _READINGS, _reading
        for place, (text, unit, received, due, finished) in enumerate(rows):
            if text.__class__ is not str or "\\" in text:  # an escape may hide a key: read alone
                reading = read(text, unit, received, due, finished, None)
            else:  # each row value the text does not restate is a marker in the reading's key
                key = (text, unit if '"u"' in text else unit is None,
                       received if '"d"' in text else received is None,
                       due if '"hz"' in text else None,
                       finished if '"fd"' in text else not finished)
                reading = readings.get(key, _UNREAD)
                if reading is _UNREAD:
                    if len(readings) >= READINGS_MAX:
                        readings.clear()
                    reading = readings[key] = read(text, unit, received, due, finished, key)
            if reading is None:
                computed.append(place)
                continue
            stored, plain, on_received, on_finish, on_days, named = reading
            if plain is None:  # facts.marks refused them: Store._derived computes them here,
                computed.append(place)  # the marks counted from the facts kept (_Counted)
                continue
            # added into the operation's marks as they are made (no part's Counter merged,
            # no Counter.__missing__ a new key): a job that fails fails the operation, which
            # forgets them (Copier.close)
            for mark, count in plain:
                other[mark] = get(mark, 0) + count
            if on_received:
                columns = on_day(unit, received[:10])
                for column, count in on_received:
                    columns[column] = columns.get(column, 0) + count
            if on_finish:
                columns = on_day(unit, finished[:10])
                for column, count in on_finish:
                    columns[column] = columns.get(column, 0) + count
            for day, column, count in on_days:
                columns = on_day(unit, day)
                columns[column] = columns.get(column, 0) + count
            for who, kind, day, column, count in named:
                mark = (who, day if kind == 0 else received[:10] if kind == 1 else finished[:10],
                        column)
                other[mark] = get(mark, 0) + count
            if stored is not None:
                rewrite.append((place, stored))
    finally:
        conn.close()
    return rewrite, computed


def _keys_job(path: str, left: list[int], units: dict[str, str], out: str) -> int | None:
    """The search keys of the part's copied dossiers (all but `left`), in part order, as the
    centre's view `dossier_keys` computes them (db.searchtext.key_sql, its very expression and
    function) from the same rows, with `units` (the centre's unit names, code → name, as they
    stood when asked; a table of that name in temp comes before the part's own in the look-up
    of a name SQLite makes): written to the file `out` in UTF-8, one a line (a key holds no
    line break: each of its parts is folded with its whitespace squeezed into spaces),
    deflated (KEYS_LEVEL).
    Returns how many, or None where a row stops it (a text that is no UTF-8, a value the
    function refuses …, or no room on the disk): the view then computes them at the centre,
    and says what it meets. Runs in the second process (`Copier.ask_keys`)."""
    conn = _open_part(path, left)
    try:
        searchtext.register(conn)
        conn.execute("CREATE TEMP TABLE units(code TEXT PRIMARY KEY, name TEXT NOT NULL)")
        conn.executemany("INSERT INTO temp.units VALUES (?, ?)", list(units.items()))
        keys = [key for (key,) in conn.execute(
            f"SELECT {searchtext.key_sql('d')} FROM main.dossier_rows d WHERE d.id NOT IN "
            "(SELECT id FROM temp.left) ORDER BY d.id")]
        text = "\n".join(keys)
        if text.count("\n") != len(keys) - 1:  # not one a line: the view, at the centre
            return None
        with open(out, "wb") as file:
            file.write(INFLATE.compress(text.encode("utf-8"), KEYS_LEVEL))
    except (sqlite3.Error, ValueError, TypeError, OSError):
        return None
    finally:
        conn.close()
    return len(keys)


def read_keys(out: str | Path) -> list[str]:
    """The keys `_keys_job` wrote to the file `out`, in order."""
    with open(out, "rb") as file:
        return INFLATE.decompress(file.read()).decode("utf-8").split("\n")


class _Row:
    """A marker standing for a row's value (its counted unit, reception day or finish day)
    in the kpi marks of a facts text that leaves it out (`_reading`): compared by identity,
    and true."""
    __slots__ = ()


_UNIT, _DAY, _FINISH = _Row(), _Row(), _Row()
_UNREAD = _Row()  # no reading of this key yet
_READINGS: dict[tuple, Any] = {}  # `_reading`'s results in this process, by key
READINGS_MAX = 20000  # then forgotten: ~2 KB each (a facts text, its marks), ≤ ~45 MB


def _reading(text, unit, received, due, finished, key) -> tuple | None:
    """What `_facts_job` takes of one kept facts text, for every row of the same `key`: None
    (unreadable: computed at the centre, `_kept_facts`), or (the text Store writes when it is
    not `text`, else None; the kpi marks naming no row value, as ((unit, day, column), count),
    or None when facts.marks refuses the facts; those laid on the row's own unit and its
    reception day, as (column, count); on its unit and finish day, the same; on its unit and
    a day of the text, as (day, column, count); those of another unit on one of the row's
    days, as (unit, 1 the reception day or 2 the finish day, None, column, count)). `key`
    None: for this row alone, no marker.
    A row value the text does not restate (the key holds only whether it is None, or empty)
    stands in the facts as a marker: what decode and encode make of the row's values then
    depends on nothing else (facts_codec fills the keys left out with them, and leaves out
    the keys equal to them), and facts.marks only puts them in its keys (and tests that a
    finish day is there: a marker is true, and stands for a finish day only where the row has
    one)."""
    found = _kept_facts(text, unit, received, due, finished)
    if found is None:
        return None
    full, stored = found
    rewritten = stored if stored != text else None
    if key is not None:
        full = dict(full)
        if key[1].__class__ is bool and "u" in full and full["u"] is unit:
            full["u"] = _UNIT
        if key[2] is False and full.get("d") == received[:10]:
            full["d"] = _DAY
        if key[4] is False and full.get("fd") == finished[:10]:
            full["fd"] = _FINISH
    counted: Counter = Counter()
    try:
        facts.marks(full, counted)
    except (ValueError, KeyError, TypeError, AttributeError):
        return rewritten, None, (), (), (), ()
    plain: list[tuple] = []
    on_received: list[tuple] = []
    on_finish: list[tuple] = []
    on_days: list[tuple] = []
    named: list[tuple] = []
    for (who, day, column), count in counted.items():
        kind = 1 if day is _DAY else 2 if day is _FINISH else 0
        if who is _UNIT:
            (on_received if kind == 1 else on_finish if kind == 2 else on_days).append(
                (column, count) if kind else (day, column, count))
        elif kind:
            named.append((who, kind, None, column, count))
        else:
            plain.append(((who, day, column), count))
    return rewritten, tuple(plain), tuple(on_received), tuple(on_finish), tuple(on_days), \
        tuple(named)


def _marks_total(token: str) -> Counter:
    """The kpi marks of the operation's kept facts (`_facts_job`), forgotten here, with the
    readings of its facts texts."""
    _READINGS.clear()
    _forget_tails(token)
    return _MARKS.pop(token, _Marks()).total()


def _kept_facts(text, unit, received, due, finished) -> tuple[dict, str] | None:
    """(full facts, stored text) as Store._derived keeps a package's facts, or None: none, or
    unreadable. The package carries facts_codec.full_text and Store reads it with json.loads:
    facts_codec.decode gives that very dict (json keeps its values and order) without the
    round trip through JSON text, which only a text decode refuses still takes."""
    if text is None:
        return None
    try:
        try:
            full = facts_codec.decode(text, unit, received, due, finished)
        except (ValueError, KeyError, TypeError):
            full = json.loads(facts_codec.full_text(text, unit, received, due, finished) or "")
        stored = facts_codec.encode(full, unit, received, due, finished)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return full, stored


def _ended(job) -> bool:
    """A job of `Copier.use` has ended (a job kept for later: given, and ended)."""
    if isinstance(job, concurrent.futures.Future):
        return job.done()
    return job.ready()


class _Later:
    """A job kept for later (Copier.later); `get` waits for its result once given."""

    def __init__(self, job, args: tuple, rank: int = 1) -> None:
        self.job, self.args, self.rank = job, args, rank
        self.result: Any = None

    def get(self):
        return self.result.get()

    def ready(self) -> bool:
        """Given, and its result there (asking for it would not wait)."""
        return self.result is not None and self.result.ready()


class _Here:
    """A job run in this process (no second one), when its result is first asked for: after
    the screen, which the second process's jobs may run ahead of."""

    def __init__(self, job, args: tuple) -> None:
        self.job, self.args = job, args
        self.done, self.value = False, None

    def get(self):
        if not self.done:
            self.value, self.done = self.job(*self.args), True
        return self.value

    def ready(self) -> bool:
        return self.done


class Copier:
    """The parts of one operation copied one after the other (`copy`), a second process
    hashing each part's events and reading its facts while this one copies its rows
    (`processes=False`: here, in turn). `finish()` (inside the transaction,
    before facts.write_kpi_rows and facts.refresh) applies the facts read; the context's exit
    stops the second process."""

    def __init__(self, conn, *, delta: Counter, refresh: list[int],
                 progress: Progress | None = None, processes: bool | None = None) -> None:
        self.conn, self.delta, self.refresh, self.progress = conn, delta, refresh, progress
        self.processes = True if processes is None else processes
        self.pool: Any = None  # multiprocessing.pool.Pool, made when first needed
        self.pending: list[tuple[int, Any]] = []  # (first id, a _Later facts job)
        self.facts_asked = False  # a facts job was given: its marks are summed where it ran
        self.token = f"{os.getpid()}-{id(self)}-{time.monotonic_ns()}"  # this operation's marks
        self.waiting: list[_Later] = []  # jobs not yet given to the second process
        self.to_screen: list[str] = []  # the operation's part files not yet screened (`ahead`)
        self.following: Callable[[], list[str]] | None = None  # … asked for more (`ahead`)
        self.screening: list[tuple[str, Any]] = []  # (file, its screen's result) started
        self.screener: concurrent.futures.ThreadPoolExecutor | None = None
        self.stop = threading.Event()  # the screens' thread stops (`close`)
        self.guess: tuple[tuple, Any] | None = None  # the next part's chain asked for early
        self.parts: list[str] = []  # the operation's part files, in order (`ahead`)
        self.chained_last: str | None = None  # the part whose chain was last asked (`tails_next`)
        self.tails_asked: set[str] = set()  # the part files whose tails were asked (`tails_next`)
        # the copied dossiers' search keys asked for (`ask_keys`): (first id, count, the unit
        # names they were computed with, their file, the job)
        self.keys: list[tuple[int, int, dict[str, str], str, _Later]] = []
        self.key_files: list[str] = []  # each removed once read, or at the end (`forget_keys`)
        self.watching = False  # temp.fastcopy_rekey's trigger is on the centre's connection
        # the ledger's sums of the rows copied, made beside this thread (`hash_later`) and not
        # yet added (`settle`): (ledger table → (first id, count), the job's result)
        self.hashing: list[tuple[dict[str, tuple[int, int]], Any]] = []
        self.hasher: concurrent.futures.ThreadPoolExecutor | None = None
        self.walking = False  # temp.fastcopy_walkins is in step with the centre (`walk_ins`)
        self.walk_ins_made = False  # … and was made in this operation
        # the jobs reading each part file (`use`), and the files the caller is done with
        # (`done_with`): a file no job needs any more may be removed (`busy`, merge._Run)
        self.uses: dict[str, list] = {}
        self.released: set[str] = set()

    def __enter__(self) -> Copier:
        return self

    def __exit__(self, kind, value, trace) -> None:
        try:
            if kind is None:
                self.finish()
        finally:
            self.close()

    def later(self, job, *args, rank: int = 1) -> _Later:
        """A job the main process needs only at the end of the parts: given to the second
        process when it has time to spare (`spare`), else at the end of the parts (`flush`),
        so that it never holds up a part's chain, which the main process waits for. The
        lower `rank` goes first (the search keys, needed before the facts), then the oldest."""
        waiting = _Later(job, args, rank)
        self.waiting.append(waiting)
        self.waiting.sort(key=lambda w: w.rank)  # stable: in order within a rank
        return waiting

    def start(self, job, *args):
        """A job the main process needs soon: given to the second process now."""
        return self._run(job, args)

    def spare(self, ahead: bool) -> None:
        """A part's chain was taken: `ahead`, the second process had it done before it was
        asked for (it has had time to spare), so it is given the oldest search keys asked for
        (rank 0, ~0.1 s a 20,000-dossier part) and the oldest other job kept for later, at
        most SPARE_MOST jobs (the keys piled up while it was behind are not given all at
        once: the next chain, asked just before, would wait behind them, 0.5–0.7 s); else the
        next chains go first. The rest wait for the end of the parts (`flush`): the second
        process reads them while this one fills the search index (from the keys first given)
        and makes the indexes again (merge._Run), instead of this one waiting for chains
        behind them."""
        given = 0
        while ahead and self.waiting and given < SPARE_MOST:
            waiting = self.waiting.pop(0)
            waiting.result = self._run(waiting.job, waiting.args)
            ahead, given = waiting.rank == 0, given + 1

    def flush(self) -> None:
        """Every job kept for later given to the second process (the parts are all copied)."""
        for waiting in self.waiting:
            waiting.result = self._run(waiting.job, waiting.args)
        self.waiting = []

    def use(self, path: str | Path, job) -> None:
        """`job` (a thread's future, the second process's result, a job kept for later) reads
        the part file `path` till it ends (`busy`); a job run here when its result is asked
        for (`_Here`: the chain with no second process, a guess not taken) is not counted:
        it runs, if ever, before its part's copy returns."""
        if not isinstance(job, _Here):
            self.uses.setdefault(str(path), []).append(job)

    def busy(self, path: str | Path) -> bool:
        """Does a job of this operation still need the part file `path`: started and not
        ended, or kept for later (`give` gives it now)? The file may be removed when not:
        every job's connection to it is closed when the job ends (on Windows an open file
        cannot be removed)."""
        path = str(path)
        left = [job for job in self.uses.get(path, ()) if not _ended(job)]
        if left:
            self.uses[path] = left
        else:
            self.uses.pop(path, None)
        return bool(left) or path in self.to_screen

    def wait_for(self, path: str | Path, timeout: float) -> bool:
        """The jobs on the part file `path` waited for, `timeout` seconds at most (their
        errors are raised where their results are taken, as before); True when none is left
        (`busy`)."""
        end = time.monotonic() + timeout
        for job in self.uses.get(str(path), ()):
            left = max(end - time.monotonic(), 0)
            if isinstance(job, concurrent.futures.Future):
                concurrent.futures.wait([job], left)
            elif isinstance(job, _Later):
                if job.result is not None and not isinstance(job.result, _Here):
                    job.result.wait(left)
            else:
                job.wait(left)
        return not self.busy(path)

    def done_with(self, path: str | Path) -> None:
        """The caller has copied the part (or passed it over) and reads it no more: no new
        job is started on it (its screen, its tails), those asked for are waited for by
        `busy`."""
        path = str(path)
        self.released.add(path)
        self.to_screen = [p for p in self.to_screen if p != path]

    def give(self, path: str | Path) -> None:
        """The jobs on the part file `path` kept for later (its search keys, its kept facts)
        given now, so that the file is soon needed no more (merge._Run, when too many files
        wait for them); with no second process, run now (their results are kept till asked
        for)."""
        path = str(path)
        mine = [waiting for waiting in self.waiting if waiting.args[:1] == (path,)]
        self.waiting = [waiting for waiting in self.waiting if waiting.args[:1] != (path,)]
        for waiting in mine:
            waiting.result = self._run(waiting.job, waiting.args)
        if not self.processes:  # (given earlier too, not yet run: `spare`, `flush`)
            for job in self.uses.get(path, ()):
                if isinstance(job, _Later) and job.result is not None:
                    job.get()

    def _run(self, job, args):
        if not self.processes:
            return _Here(job, args)
        if self.pool is None:  # spawned, never forked: the GUI's process runs Qt (core.demo)
            self.pool = multiprocessing.get_context("spawn").Pool(1)
        return self.pool.apply_async(job, args)

    def ahead(self, paths, following: Callable[[], list[str]] | None = None) -> None:
        """The files of the operation's parts, in the order they will be copied: each part's
        own screen (`_screen_part`: ~0.15 s of SQLite a 20,000-dossier part) runs beside this
        thread, one part ahead, in a thread of its own with a read-only connection of its own
        to the file: the first's now, each next one's when a part's copy has its chain
        (`screen_next`: the second process has just finished hashing, its core is free). Not
        in the second process: its chains come first there, and this thread waited ~3 times
        longer for the screens (10 parts of 20,000 dossiers, thirteenth round). A part not
        copied (not in memory and no slot left) is passed over; `close` stops the screens and
        waits for their thread. `following`: asked for the next files (`more`) when none is
        left to screen or to guess the chain of (merge._Run: the parts verified meanwhile)."""
        self.to_screen = [str(p) for p in paths]
        self.parts = list(self.to_screen)
        self.following = following
        self.screen_next()
        self.tails_next(None)

    def _pull(self) -> None:
        if not self.to_screen and self.following is not None:
            self._verified(self.following())

    def more(self, paths) -> None:
        """More part files after `ahead`'s, in the order they will be copied (an operation's
        parts given as each is verified: merge._Opening; a part is screened, and its tails
        made, only once checked)."""
        self._verified(paths)
        self.screen_next()
        # the tails of the parts just checked that are within TAILS_AHEAD of the last chain
        # asked (the first part's before any): a part verified after its predecessor's chain
        # was asked would otherwise have none made ahead
        self.tails_next(self.chained_last)

    def _verified(self, paths) -> None:
        paths = [str(p) for p in paths]
        self.to_screen += paths
        self.parts += paths

    def screen_next(self) -> None:
        """The next part's screen started, unless one is already running or waiting."""
        if self.screening:
            return
        self._pull()
        if not self.to_screen:
            return
        path = self.to_screen.pop(0)
        if self.screener is None:
            self.screener = concurrent.futures.ThreadPoolExecutor(
                1, thread_name_prefix="motcua-screen")
        screening = self.screener.submit(_screen_job, path, self.stop)
        self.use(path, screening)
        self.screening.append((path, screening.result))

    def guess_next(self, head: bytes, width: int) -> None:
        """The next part's chain (`ahead`'s next file) asked of the second process now, as
        this part's events are in, after `head`, the codes held taken as none: it hashes while
        this process ends the part and begins the next, instead of from the next part's start.
        Taken there only when the part's own arguments are these very ones (`_Copy.submit`:
        the same file, no code held, the same head and width), else asked for again."""
        if not self.screening:
            self._pull()
        following = self.screening[0][0] if self.screening else (
            self.to_screen[0] if self.to_screen else None)
        if following is not None:
            args: tuple = (following, [], head, width)
            self.guess = (args, self.start(_ahead, *args, self.token))
            self.use(following, self.guess[1])
            self.tails_next(following)

    def tails_next(self, chained: str | None) -> None:
        """The tails (db.chain.tails: each event's content as the chain hashes it, which needs
        no previous hash) of the TAILS_AHEAD parts after `chained`, the part whose chain was
        just asked for (None: the first parts), asked of the second process with no code held
        (`_tails_job`): made there after that chain, while this process copies, and kept there
        for the part's own chain job, which is then only the SHA-256 in series (~0.07 s a part
        instead of ~0.4 s). Asked once a part; behind the chain just asked, never before one
        (the second process runs its jobs in turn), and before the chain that takes them. Not
        when there is no second process: the chain makes them there, in turn."""
        if not self.processes:
            return
        self.chained_last = chained
        if chained is None:
            start = 0
        elif chained in self.parts:
            start = self.parts.index(chained) + 1
        else:
            return
        for path in self.parts[start:start + TAILS_AHEAD]:
            if path not in self.tails_asked and path not in self.released:
                self.tails_asked.add(path)
                self.use(path, self._run(_tails_job, (path, [], self.token)))

    def screened(self, path: str) -> Screened:
        """The part's own screen (`_screen_part`) of the part file `path`: the one started
        ahead (waited for; its error raised here, as if run here), else made now."""
        path = str(path)
        while self.screening and self.screening[0][0] != path:  # parts passed over: not
            self.screening.pop(0)                                # copied (`ahead`)
        if not self.screening and path in self.to_screen:  # a part after them: now
            del self.to_screen[:self.to_screen.index(path)]
            self.screen_next()
        found = self.screening.pop(0)[1] if self.screening else None
        return found() if found is not None else _screen_job(path)

    # ----- the copied dossiers' search keys ------------------------------------------------
    # Computed by the second process (`_keys_job`) from each part's rows and the centre's unit
    # names as they stand after the part's catalogue, written to a file of their own, and
    # indexed from it by fulltext.deferred's fill at the end of the parts (`given_keys`), the
    # main process computing only those whose key may have changed since: a unit renamed,
    # added or gone (a later part's catalogue, a clerk's choice of theirs), a copied dossier
    # whose key's columns a later part's records changed (temp.fastcopy_rekey).
    REKEY = "fastcopy_rekey"

    def ask_keys(self, path: str, left: list[int], first: int, count: int) -> None:
        """The search keys of a part's copied dossiers (ids first … first + count - 1) asked
        of the second process for later (`given_keys`)."""
        conn = self.conn
        if not self.watching:  # the copied dossiers' key columns watched from the first on
            self.watching = True
            columns = ", ".join(("id",) + fulltext.KEY_COLUMNS)
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.REKEY}(id INTEGER PRIMARY KEY)")
            conn.execute(f"DELETE FROM temp.{self.REKEY}")
            conn.execute(f"DROP TRIGGER IF EXISTS temp.{self.REKEY}")
            # (none is deleted: its events are append-only, db.chain)
            conn.execute(
                f"CREATE TEMP TRIGGER {self.REKEY} AFTER UPDATE OF {columns} ON "
                f"main.dossier_rows WHEN OLD.id >= {int(first)} OR NEW.id >= {int(first)} "
                f"BEGIN INSERT OR IGNORE INTO {self.REKEY} VALUES (OLD.id); "
                f"INSERT OR IGNORE INTO {self.REKEY} VALUES (NEW.id); END")
        units = dict(conn.execute("SELECT code, name FROM main.units"))
        if self.keys and self.keys[-1][2] == units:
            units = self.keys[-1][2]  # one dict for the parts that met the same names
        # a file of the rows parts' kind (package.sweep_stale_parts removes a crash's)
        handle, held = new_part("khoa-")  # held by this process till removed
        os.close(handle)
        out = str(held)
        self.key_files.append(out)
        job = self.later(_keys_job, str(path), left, units, out, rank=0)
        self.use(path, job)
        self.keys.append((first, count, units, out, job))

    def given_keys(self) -> Iterator[fulltext.Given]:
        """The keys the second process computed, part after part (fulltext.index_new's
        `given`, called by fulltext.deferred's fill at the end of the parts, before `finish`):
        each part's first id and keys, None (computed by the view) for the dossiers whose key
        may no longer be what was computed — a unit of theirs whose name is not the one used
        (renamed, added, gone), a key column changed since it was copied — and none at all
        for a part whose job gave none."""
        self.flush()  # (merge._Run has given them all already)
        conn = self.conn
        rekey = {r[0] for r in conn.execute(f"SELECT id FROM temp.{self.REKEY}")} \
            if self.watching else set()
        names = dict(conn.execute("SELECT code, name FROM main.units"))
        try:
            for first, count, units, out, job in self.keys:
                got = job.get()
                if got is None:
                    continue
                if got != count:
                    raise RuntimeError(f"{got} search keys for {count} copied dossiers")
                keys = cast(list[str | None], read_keys(out))
                remove_part(out)  # (else left to forget_keys, or sweep_stale_parts)
                if len(keys) != count:
                    raise RuntimeError(f"{len(keys)} search keys read for {count}")
                renamed = json.dumps([code for code in units.keys() | names.keys()
                                      if units.get(code) != names.get(code)])
                redo = {i for i in rekey if first <= i < first + count}
                if renamed != "[]":
                    redo.update(r[0] for r in conn.execute(
                        "SELECT id FROM main.dossier_rows WHERE id BETWEEN :first AND :last "
                        "AND (unit_code IN (SELECT value FROM json_each(:codes)) OR "
                        "competent_unit_code IN (SELECT value FROM json_each(:codes)))",
                        {"first": first, "last": first + count - 1, "codes": renamed}))
                for i in redo:
                    keys[i - first] = None
                yield first, keys
                del keys  # (the next part's read once this one is indexed)
        finally:
            self.forget_keys()

    def forget_keys(self) -> None:
        """The keys' files removed and the watch on the copied dossiers ended."""
        for out in self.key_files:
            remove_part(out)  # (one still open on Windows: left to sweep_stale_parts)
        self.key_files = []
        if self.watching:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute(f"DROP TRIGGER IF EXISTS temp.{self.REKEY}")
        self.keys, self.watching = [], False

    def copy(self, part: str, *, now: str, fast: bool, path: str | Path | None = None) -> Copied:
        """copy_new for the part attached as `part` (see the CONTRACT); `path`: the part's
        file, when `part` is an in-memory copy of it (deserialized), else the attached file."""
        self.apply(ready_only=True)
        return _Copy(self, part, now, fast, path).run()

    # ----- the stored walk-in votes, kept at the moments of the operation's --------------------
    WALK_INS = "fastcopy_walkins"  # (temp) a copy of the stored walk-in votes' columns a match
    MOMENTS = "fastcopy_moments"   # reads, and the moments at which it holds every one of them

    def walk_ins(self, s: str) -> None:
        """temp.fastcopy_walkins made to hold every walk-in vote the centre holds (no dossier)
        at each moment of a vote the part `s` may bring as a walk-in vote (no dossier of the
        part), as the centre holds them: those of the moments not yet kept read from the
        centre's table (by `votes_voted`, once a moment an operation), the rest kept in step
        since (`walked_in`, the copy's own votes; `forget_walk_ins` before anything else writes
        the votes: `settle`). The columns of the centre's table a match compares, declared
        alike (the same affinity and collation: the same comparisons)."""
        conn = self.conn
        if not self.walking:
            self.walking = self.walk_ins_made = True
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.WALK_INS}(id INTEGER PRIMARY "
                         "KEY, unit_code TEXT, voted_at INTEGER, rating TEXT, comment TEXT, "
                         "reasons TEXT, source TEXT)")
            conn.execute(f"CREATE INDEX IF NOT EXISTS temp.{self.WALK_INS}_match ON "
                         f"{self.WALK_INS}(voted_at, unit_code, rating, comment)")
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.MOMENTS}(voted_at INTEGER "
                         "PRIMARY KEY)")
            conn.execute(f"DELETE FROM temp.{self.WALK_INS}")
            conn.execute(f"DELETE FROM temp.{self.MOMENTS}")
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.MOMENTS}_new(voted_at "
                         "INTEGER PRIMARY KEY)")
        conn.execute(f"DELETE FROM temp.{self.MOMENTS}_new")
        conn.execute(f"INSERT OR IGNORE INTO temp.{self.MOMENTS}_new SELECT v.voted_at FROM "
                     f"{s}.vote_rows v WHERE typeof(v.voted_at) = 'integer' AND (v.dossier_id IS "
                     f"NULL OR v.dossier_id NOT IN (SELECT id FROM {s}.dossier_rows)) AND "
                     f"v.voted_at NOT IN (SELECT voted_at FROM temp.{self.MOMENTS})")
        # the new moments looked up one by one (CROSS JOIN: never the centre's walk-in votes
        # scanned, each tested against the moments)
        conn.execute(f"INSERT OR IGNORE INTO temp.{self.WALK_INS} SELECT c.id, c.unit_code, "
                     "c.voted_at, c.rating, c.comment, c.reasons, c.source FROM "
                     f"temp.{self.MOMENTS}_new m CROSS JOIN main.vote_rows c WHERE c.voted_at = "
                     "m.voted_at AND c.dossier_id IS NULL")
        conn.execute(f"INSERT INTO temp.{self.MOMENTS} SELECT voted_at FROM "
                     f"temp.{self.MOMENTS}_new")

    def walked_in(self, last: int) -> None:
        """The walk-in votes the copy has just added (ids above `last`) kept too."""
        if self.walking:
            self.conn.execute(f"INSERT INTO temp.{self.WALK_INS} SELECT id, unit_code, voted_at, "
                              "rating, comment, reasons, source FROM main.vote_rows WHERE id > ? "
                              "AND dossier_id IS NULL", [last])

    def forget_walk_ins(self, end: bool = False) -> None:
        """The kept walk-in votes no longer trusted (made again at the next part: `walk_ins`);
        `end`: their rows deleted (the operation's end: their memory)."""
        if end and self.walk_ins_made:
            for table in (self.WALK_INS, self.MOMENTS, f"{self.MOMENTS}_new"):
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute(f"DELETE FROM temp.{table}")
        self.walking = False

    # ----- the ledger's sums of the rows copied ---------------------------------------------
    def hash_later(self, path: str, left: list[int], first: int | None,
                   rows: dict[str, tuple[int, int]], left_votes: list[int]) -> None:
        """The ledger's sums of the rows a part's copy wrote (`rows`: table → first id, count)
        made from the part's file in a thread of their own (`_ledger_job`: the main thread
        goes on with the next part), added by `settle`."""
        if self.hasher is None:
            self.hasher = concurrent.futures.ThreadPoolExecutor(
                1, thread_name_prefix="motcua-ledger")
        job = self.hasher.submit(_ledger_job, str(path), list(left), first, dict(rows),
                                 list(left_votes))
        self.use(path, job)
        self.hashing.append((dict(rows), job))

    def settle(self) -> None:
        """The ledger's sums of the rows copied so far added (db.ledger.add, one write a table),
        their jobs waited for; a table whose job gave none (or failed) summed here from the
        centre's rows by their ids. Before anything but the copy writes the ledger (the
        existing path, after a part that leaves it something: `copy`; the end, `finish`): a
        row the copy wrote is then as it wrote it, and no bucket of the ledger's is emptied by
        a change before the rows it holds are added."""
        self.forget_walk_ins()  # (the votes may change too)
        totals: dict[str, ledger.Sums] = {}
        for rows, job in self.hashing:
            try:
                found, marks = job.result()
            except (sqlite3.Error, ValueError, TypeError, OSError):  # the rows summed here then
                found, marks = {}, None
            for table, (start, count) in rows.items():
                sums = found.get(table)
                if sums is None:
                    sums = ledger.sums(self.conn, table, "id BETWEEN ? AND ?",
                                       [start, start + count - 1])
                if table == "votes":  # their kpi marks (`_Copy.votes`)
                    _count_votes(self.delta, marks if marks is not None else self.conn.execute(
                        _marks_sql("main.vote_rows WHERE id BETWEEN ? AND ?"),
                        [start, start + count - 1]))
                total = totals.setdefault(table, {})
                for bucket, (rows_in, summed) in sums.items():
                    entry = total.setdefault(bucket, [0, 0])
                    entry[0] += rows_in
                    entry[1] = (entry[1] + summed) % ledger.MODULUS
        self.hashing = []
        for table, total in totals.items():
            ledger.add(self.conn, table, total)

    def finish(self) -> None:
        """The kept facts the second process read: written as Store would write them, their
        kpi marks into `delta`, the unreadable ones computed at the end (`refresh`); the
        ledger's sums of the rows copied added (`settle`)."""
        self.settle()
        self.flush()
        self.apply()
        if self.facts_asked:  # after every facts job (one process runs them in turn, or here)
            marks = self._run(_marks_total, (self.token,)).get()
            marks.update(self.delta)  # the few the copy counted here (votes), then all at once
            self.delta.clear()        # into the empty Counter (dict.update, no Python a key)
            self.delta.update(marks)

    def apply(self, ready_only: bool = False) -> None:
        """The kept facts read so far applied, in part order (`ready_only`: up to the first the
        second process has not finished; each `copy` does so first). Held till `finish`, every
        part's result made the merge's peak grow by as much a package (docs/speed.md, eleventh
        round: ~13 MB a 20,000-dossier part while the kpi marks came with it)."""
        while self.pending and not (ready_only and not self.pending[0][1].ready()):
            first, job = self.pending.pop(0)
            rewrite, computed = job.get()
            self.conn.executemany("UPDATE main.dossier_rows SET facts = ? WHERE id = ?",
                                  [(text, first + place) for place, text in rewrite])
            self.conn.executemany("UPDATE main.dossier_rows SET calc_due_at = NULL, facts = NULL, "
                                  "kpi_irregular = 0 WHERE id = ?",
                                  [(first + place,) for place in computed])
            self.refresh.extend(first + place for place in computed)
            del rewrite, computed, job  # the result freed before the next is read

    def close(self) -> None:
        self.stop.set()  # the screen running stops within SCREEN_STEPS; the others never start
        self.to_screen, self.screening, self.following = [], [], None
        if self.screener is not None:
            self.screener.shutdown(wait=True, cancel_futures=True)  # its connection closed
            self.screener = None
        self.forget_walk_ins(end=True)
        self.hashing = []
        if self.hasher is not None:  # a job running ends (a part's rows, a few ms)
            self.hasher.shutdown(wait=True, cancel_futures=True)
            self.hasher = None
        _MARKS.pop(self.token, None)  # an operation that failed here, in this process
        _READINGS.clear()
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        self.forget_keys()  # after the second process, which may be writing one
        self.uses = {}  # every job ended: the screens' and the ledger's threads waited for,
        #                 the second process ended


def copy_new(conn, part: str, *, now: str, fast: bool, delta: Counter, refresh: list[int],
             progress: Progress | None = None, path: str | Path | None = None) -> Copied:
    """Copy the part's dossiers the centre does not hold (see the module's CONTRACT), all in
    this process; several parts of one operation: `Copier`, which overlaps them with a
    second process."""
    with Copier(conn, delta=delta, refresh=refresh, progress=progress, processes=False) as copier:
        return copier.copy(part, now=now, fast=fast, path=path)
