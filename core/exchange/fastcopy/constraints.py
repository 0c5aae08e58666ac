"""The schema's CHECK constraints of the tables the copy writes, evaluated by the screen on the
part's rows (`_constraints_bad`) so that the copy's INSERTs need not evaluate them again
(`_checks_proven`): read from each table's CREATE TABLE (`checks_of`), but those the screen's
own conditions already prove (`implied`)."""
from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator

from core.exchange.fastcopy.conditions import MOMENTS, _listed, _refused
from db.schema import CHANNELS, COMPLAINT_CHANNELS, PAYMENT_METHODS, RATINGS, STATUSES

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


# the storage classes a value may have so that the column's affinity leaves it as it is, as a
# condition on the value {0}: NULL first (no call of typeof), and a text or a BLOB as the value
# >= '' (numbers order below every text, BLOBs above: part._no_blobs) (thirty-first round:
# typeof(…) IN (…) was a call a value). `+{0}`, without the column's affinity: compared with a
# TEXT column's affinity, a number a crafted file stores there is compared as its text (5 >= ''
# is true), and it would pass as a text
_KEPT = {"integer": "({0} IS NULL OR typeof({0}) = 'integer')",
         "numeric": "({0} IS NULL OR typeof({0}) = 'integer')",
         "real": "({0} IS NULL OR typeof({0}) = 'real')", "text": "({0} IS NULL OR +{0} >= '')"}


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
        kept = [_KEPT[_affinity(declared)].format(f't."{name}"')
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
