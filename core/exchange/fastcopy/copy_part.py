"""The copy of one part (`_Copy.run`): the codes the centre holds set aside, the screen's
verdict taken, the part's dossiers mapped to the centre's next ids (`plan`), their rows and
child rows inserted by INSERT … SELECT, then the events (events._Events), the votes
(votes._Votes) and the derived data; the jobs of the second process asked for on the way."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.exchange import records
from core.exchange.fastcopy.chain_jobs import _ahead
from core.exchange.fastcopy.constraints import _checks_proven
from core.exchange.fastcopy.events import _Events
from core.exchange.fastcopy.facts_job import _facts_job
from core.exchange.fastcopy.partdb import _part_path
from core.exchange.fastcopy.screening import _judge, _with_known
from core.exchange.fastcopy.votes import _Votes
from core.exchange.fastcopy.written import COPIED_CHILDREN, LEDGER_ROWS
from db import chain, ledger
from db.moments import to_stored

Progress = Callable[[int, int], object]

if TYPE_CHECKING:
    from core.exchange.fastcopy.copier import Copier


@dataclass
class Copied:
    dossiers: int = 0
    votes: int = 0
    left_dossiers: list[int] = field(default_factory=list)
    left_votes: list[int] = field(default_factory=list)
    first_id: int | None = None   # the centre's ids given to the copied dossiers
    last_id: int | None = None


# the codes the merge sets aside (core.exchange.merge._Run.defer): left to it, never copied
DEFERRED = "temp.exchange_deferred"
DEFERRED_TABLE = "CREATE TEMP TABLE IF NOT EXISTS exchange_deferred(code TEXT PRIMARY KEY)"


STAGES = 7  # the steps of _Copy.run after which progress is reported and a cancel is taken


class _Copy(_Events, _Votes):
    """One part's copy into the centre (`run`)."""

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
