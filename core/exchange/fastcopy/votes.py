"""The part's votes copied (`_Votes.votes`: on copied dossiers, and the walk-in votes no stored
one could match), their kpi marks (`_marks_sql`, `_count_votes`), and the copy of the stored
walk-in votes the Copier keeps at the moments of the operation's (`_WalkIns`), which the match
reads instead of the centre's table."""
from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from typing import TYPE_CHECKING, Any

from core import facts
from core.exchange import recode
from core.exchange.fastcopy.conditions import _listed
from core.exchange.fastcopy.jobs import _Jobs
from core.exchange.fastcopy.written import VOTE_COLUMNS


class _Votes:
    """The votes' step of a part's copy (core.exchange.fastcopy.copy_part._Copy)."""

    # (set by _Copy)
    conn: sqlite3.Connection
    s: str
    runner: Copier
    out: Copied
    delta: Counter
    vouched: dict[str, tuple[int, int]]

    if TYPE_CHECKING:  # (_Copy's)
        def last(self, table: str) -> int: ...
        def vouch(self, table: str, before: int, count: int) -> None: ...

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
        same = (f"SELECT 1 FROM temp.{_WalkIns.WALK_INS} c WHERE c.unit_code = v.unit_code AND "
                "c.voted_at = v.voted_at AND c.rating = v.rating AND c.comment IS v.comment AND "
                "c.reasons IS v.reasons AND c.source = v.source" + self._senders())
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

    def _senders(self) -> str:
        """The condition that a stored walk-in vote `c` may be the part's `v`, as
        records.stored_votes and vote_match decide it (core.actor_names.WalkIns): of the same
        origin when `c` says one; else brought by one of the sender's earlier packages
        (temp.fastcopy_senders) or by no recorded package (temp.fastcopy_every) when `v` says
        no origin or the sender's (`WalkIns.takes`), one seek a vote by its first id; '' for a
        package that names no sender."""
        senders = self.runner.senders
        if senders is None:
            return ""
        conn = self.conn
        for table, spans in (("fastcopy_senders", senders.sender),
                             ("fastcopy_every", senders.every)):
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(low INTEGER PRIMARY KEY, "
                         "high INTEGER)")
            conn.execute(f"DELETE FROM temp.{table}")
            conn.executemany(f"INSERT INTO temp.{table} VALUES (?, ?)", spans)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS fastcopy_sender(installation TEXT)")
        conn.execute("DELETE FROM temp.fastcopy_sender")
        conn.execute("INSERT INTO temp.fastcopy_sender VALUES (?)", [senders.installation])
        within = ("COALESCE((SELECT r.high FROM temp.{} r WHERE r.low <= c.id ORDER BY r.low "
                  "DESC LIMIT 1) >= c.id, 0)")
        # the vote's installation (db.vote_origin.installation_of): none, or the sender
        own = ("(v.origin IS NULL OR substr(v.origin, 1, instr(v.origin, ':') - 1) = "
               "(SELECT installation FROM temp.fastcopy_sender))")
        return (" AND CASE WHEN c.origin IS NOT NULL THEN c.origin = v.origin ELSE "
                f"{within.format('fastcopy_senders')} OR (NOT "
                f"{within.format('fastcopy_every')} AND {own}) END")


if TYPE_CHECKING:
    from core.exchange.fastcopy.copier import Copier
    from core.exchange.fastcopy.copy_part import Copied


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


class _WalkIns(_Jobs):
    """The Copier's copy of the stored walk-in votes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.walking = False  # temp.fastcopy_walkins is in step with the centre (`walk_ins`)
        self.walk_ins_made = False  # … and was made in this operation

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
                         "reasons TEXT, source TEXT, origin TEXT)")
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
                     "c.voted_at, c.rating, c.comment, c.reasons, c.source, c.origin FROM "
                     f"temp.{self.MOMENTS}_new m CROSS JOIN main.vote_rows c WHERE c.voted_at = "
                     "m.voted_at AND c.dossier_id IS NULL")
        conn.execute(f"INSERT INTO temp.{self.MOMENTS} SELECT voted_at FROM "
                     f"temp.{self.MOMENTS}_new")

    def walked_in(self, last: int) -> None:
        """The walk-in votes the copy has just added (ids above `last`) kept too."""
        if self.walking:
            self.conn.execute(f"INSERT INTO temp.{self.WALK_INS} SELECT id, unit_code, voted_at, "
                              "rating, comment, reasons, source, origin FROM main.vote_rows "
                              "WHERE id > ? "
                              "AND dossier_id IS NULL", [last])

    def forget_walk_ins(self, end: bool = False) -> None:
        """The kept walk-in votes no longer trusted (made again at the next part: `walk_ins`);
        `end`: their rows deleted (the operation's end: their memory)."""
        if end and self.walk_ins_made:
            for table in (self.WALK_INS, self.MOMENTS, f"{self.MOMENTS}_new"):
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute(f"DELETE FROM temp.{table}")
        self.walking = False
