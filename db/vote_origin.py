"""A vote's origin (issue 16 §3, spec 9, schema 25): where it was first recorded, kept with it
wherever it travels, so that a vote without a dossier (a kiosk vote with no invitation, a paper
form typed in) is known as the same vote whichever route brings it.

The origin is a text, "<installation id>:<that installation's id of the vote>", written once:
by the installation that records the vote (`stamp`, in the writer's transaction), or copied
from the package that brought it (core.exchange: a forwarded vote keeps its first origin).
NULL where it cannot be known: a vote a package of an older program brought (the package did
not say), and the votes the upgrade to schema 25 cannot place (`fill`). Schema 25 kept it out of
the ledger's hash (adding it changed no row's hash); schema 26 put it in where it is set
(db.ledger.WHEN_SET, swapped in by db.ledger.hash_when_set): an edit of a set one shows in
`check`.
"""
from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterator

from db import stored_json

ORIGIN_PREFIX = "exchange_origin:"  # + a sequence number: one record a merged package left
INSTALLATION_KEY = "installation_id"
LIMIT = 200  # characters an origin may hold (a package's is checked: core.exchange.checks)


def of(installation: str, vote_id: int) -> str:
    return f"{installation}:{vote_id}"


# The form of an origin (`of`): an installation id (no ':', no control character: a NUL cut
# SQLite's GLOB and length() short, so that the SQL twin took "a:1\0x" and check flagged a
# package's "a\0b:1" as an edit), ':', a row id (1, 2, …; ASCII digits), at most LIMIT
# characters; the one rule a package's origin (core.exchange.checks, the SQL copy's screen) and
# a stored one (`faults`, `check`) are held to, said twice alike
_CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
FORM = re.compile(f"[^:{_CONTROL}]+:[1-9][0-9]*")
# the same characters for SQL's GLOB (a NUL by instr: GLOB stops at it; no surrogate is stored)
_CONTROL_GLOB = "'*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*'"


def installation_of(origin: str | None) -> str | None:
    """The installation an origin names (None: none said); its SQL twin in
    core.exchange.fastcopy.votes (`_senders`)."""
    return origin.split(":", 1)[0] if origin else None


def well_formed(origin: object) -> bool:
    return isinstance(origin, str) and len(origin) <= LIMIT and FORM.fullmatch(origin) is not None


def control_said(origin: object) -> str:
    """Where a control character stands in an origin ("": none), for the refusal's words."""
    found = re.search(f"[{_CONTROL}]", origin) if isinstance(origin, str) else None
    return (f", không chứa ký tự điều khiển (có mã U+{ord(found.group()):04X} ở vị trí "
            f"{found.start() + 1})") if found else ""


def well_formed_sql(column: str) -> str:
    """`well_formed` in SQL, of a column (NULL: not well formed)."""
    rest = f"substr({column}, instr({column}, ':') + 1)"
    return (f"(typeof({column}) = 'text' AND instr({column}, char(0)) = 0 AND "
            f"NOT {column} GLOB {_CONTROL_GLOB} AND length({column}) <= {LIMIT} AND "
            f"instr({column}, ':') > 1 AND {rest} GLOB '[1-9]*' AND NOT {rest} GLOB '*[^0-9]*')")


def faults(conn, installation: str | None, examples: int) -> tuple[int, list[int]]:
    """(how many, the first `examples` ids): the stored votes whose origin is not well formed,
    or names this installation (`here`) with an id of no vote of that origin here — what an
    edit by SQL leaves (the ledger names the edit too: db.ledger.WHEN_SET). Votes of another
    origin are not looked up: their installation's ids are not here; nor is a vote a recorded
    package brought (`vote_spans`): a vote of this installation's that a package carries back
    after a restore of an older backup lost it, or a sender's word — not an edit here (check
    called the centre edited outside MotCua after a package's «<centre>:777», break34)."""
    own = ("(substr(v.origin, 1, instr(v.origin, ':') - 1) = :here AND NOT EXISTS (SELECT 1 "
           "FROM vote_rows w WHERE w.id = CAST(substr(v.origin, instr(v.origin, ':') + 1) AS "
           "INTEGER) AND w.origin = v.origin))")
    formed = well_formed_sql("v.origin")
    where = f"v.origin IS NOT NULL AND (NOT {formed} OR {own if installation else '0'})"
    found = conn.execute(f"SELECT v.id, {formed} FROM vote_rows v WHERE {where} ORDER BY v.id",
                         {"here": installation})
    # the packages' spans swept once, the votes in order: an EXISTS over every record for
    # each such vote took 3.4 s of check for 4,000 votes brought back and 600 records,
    # growing with their product (a centre keeps a record of every package it merged, break35)
    spans = Spans(conn)
    ids = [vote for vote, well in found if not well or not spans.brought(vote)]
    return len(ids), ids[:examples]


class Spans:
    """The spans of vote ids the recorded packages brought (`origin_records`, `vote_spans`),
    each with the installation that sent it ("" when the record names none): which brought a
    vote — a centre keeps a record of every package it merged, thousands in a few years, each
    looked at for every vote before (`faults`, core.exchange.two_routes). Asked of votes in
    ascending order, in one sweep: each span entered once (its low reached) and left once (its
    high passed), so the work grows with the spans and the votes, not their product — a scan
    back from the nearest low by halving walked every span under a wide one (a record edited
    to [1, 10⁹] among 3,000 others: 1.6 s of `check` for 4,000 votes, review35b)."""

    def __init__(self, conn) -> None:
        self.spans = sorted((span, str(said.get("installation") or ""))
                            for said in origin_records(conn)
                            if (span := vote_spans(said)) is not None)
        self.entered = 0  # the spans whose low the votes asked have reached
        self.open: list[tuple[int, int]] = []  # (high, index) of those entered, not yet left
        self.inside: Counter[str] = Counter()  # the installations of the open spans
        self.last: int | None = None

    def _to(self, vote: int) -> None:
        if self.last is not None and vote < self.last:
            raise ValueError("votes are asked of Spans in ascending order")
        self.last = vote
        while self.entered < len(self.spans) and self.spans[self.entered][0][0] <= vote:
            heapq.heappush(self.open, (self.spans[self.entered][0][1], self.entered))
            self.inside[self.spans[self.entered][1]] += 1
            self.entered += 1
        while self.open and self.open[0][0] < vote:  # (a span whose high is under its low too)
            who = self.spans[heapq.heappop(self.open)[1]][1]
            self.inside[who] -= 1
            if not self.inside[who]:
                del self.inside[who]

    def brought(self, vote: int) -> bool:
        """Did a recorded package bring vote `vote`?"""
        self._to(vote)
        return bool(self.inside)

    def of(self, vote: int) -> set[str]:
        """The installations whose recorded packages brought vote `vote` (none: empty)."""
        self._to(vote)
        return set(self.inside)


def here(conn) -> str | None:
    """This installation's id, when it has one and its votes an origin (schema 25 on); None
    too when the stored id is not JSON (edited by SQL: no id to know its votes by)."""
    try:
        return stored_here(conn)
    except ValueError:
        return None


def stored_here(conn) -> str | None:
    """`here`, raising ValueError when the stored id cannot be read: `check` says so, where
    `here`'s None made it say every vote of this installation's points right without looking
    (review34b; before break34 a crash log)."""
    if not any(r[1] == "origin" for r in conn.execute("PRAGMA table_info(vote_rows)")):
        return None
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [INSTALLATION_KEY]).fetchone()
    try:
        said = stored_json.loads(row[0]) if row else None
    except (TypeError, ValueError):
        raise ValueError("installation id unreadable") from None
    if said is None:
        return None
    if not isinstance(said, str) or not said:  # (a number, a list edited in: never an origin,
        raise ValueError("installation id unreadable")  # as core.installation.stored_id says)
    return said


def stamp(conn, installation: str | None, where: str, params: list | tuple = ()) -> None:
    """The votes `where` picks that have no origin yet given this installation's (`of`);
    nothing without one (`here`: None before schema 25 or before the id is made)."""
    if installation:
        conn.execute(f"UPDATE vote_rows SET origin = ? || ':' || id WHERE origin IS NULL AND "
                     f"({where})", [installation, *params])


def origin_records(conn) -> Iterator[dict]:
    """Every origin record a merged package left (core.actor_names.record_origin), by key."""
    for (value,) in conn.execute("SELECT value FROM settings WHERE key >= ? AND key < ? "
                                 "ORDER BY key", [ORIGIN_PREFIX, ORIGIN_PREFIX + "\uffff"]):
        try:
            said = stored_json.loads(value)  # (nested past Python's limit: a ValueError too)
        except ValueError:
            continue
        if isinstance(said, dict):
            yield said


def vote_spans(said: dict) -> tuple[int, int] | None:
    """The ids of the votes one origin record's package brought, or None."""
    # a record edited by SQL into another shape brings nothing, as json_extract read it
    # before the sweep (`rows` a list or a text stopped `check` on an AttributeError, review36)
    rows = said.get("rows")
    span = rows.get("vote_rows") if isinstance(rows, dict) else None
    if isinstance(span, list) and len(span) == 2 and all(type(n) is int for n in span):
        return span[0], span[1]
    return None


def fill(conn, progress=None) -> None:
    """Schema 25's step: the origin of the votes stored before it, where it is known. A vote
    a recorded package brought: its first origin is not known (the sender may have forwarded
    it, and its id there was never kept): NULL, matched as before (its sender's id ranges).
    A vote outside every recorded package's ids was written here, or brought by a package
    merged before packages' ids were recorded (before 02/12/2026), which left no trace: known
    to be this installation's only from the first recorded package's votes on (every merge
    since recorded its ids); those before it stay NULL. A rows part (no installation id) is
    left as it is: its votes' origin is what its package said."""
    installation = here(conn)
    spans = sorted(s for s in map(vote_spans, origin_records(conn)) if s is not None)
    if not installation or not spans:
        return
    conn.execute("CREATE TEMP TABLE vote_origin_spans(low INTEGER PRIMARY KEY, high INTEGER)")
    try:
        conn.executemany("INSERT OR REPLACE INTO temp.vote_origin_spans VALUES (?, ?)", spans)
        stamp(conn, installation, "id >= ? AND NOT EXISTS (SELECT 1 FROM temp.vote_origin_spans s "
              "WHERE s.low <= vote_rows.id AND s.high >= vote_rows.id)", [spans[0][0]])
    finally:
        conn.execute("DROP TABLE temp.vote_origin_spans")
