"""The phases of one import operation, and the share of the bar each gets (merge.import_packages).

The packages' rows are only part of the wait: after the last dossier the clashes kept both are
given codes, the search index and the dropped indexes are made again, what was written is
checked, the derived figures computed, and the transaction committed (or a preview's rolled
back). Counted as rows only, the bar stood full for most of a real-sized import with nothing
said (round 23's test, F6: full at 5.7 s of 11.5 s, minutes in the window). Here every phase
has its share of the bar, by its measured cost (COSTS), its text tells the clerk what is being
done, and the bar is full only once the operation has ended (`end`). A phase counted inside
(`step`: the rows, the codes kept both) moves the bar through its share; the indexes, a few
long SQL statements, move it by SQLite's steps (core.exchange.phase_steps, in a block
`counting`), short of the phase's end; one that cannot be counted at all (the COMMIT) holds
it, its text shown with its age (phase_steps.aged: "… (đã 12 giây)").
The passes of the operation (core.exchange.passes) are shown around it: each pass goes through
the phases again in the part of the bar the passes leave it, never backwards.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from core.exchange import passes, phase_steps
from core.timefmt import vn_number

ROWS = "rows"  # the packages verified, their dossiers and votes merged (counted: dossiers)
SETTLE = "settle"  # codes set aside resolved, clashes kept both given codes (counted: codes)
INDEXES = "indexes"  # the search index filled, the dropped indexes made again
CHECKS = "checks"  # what was written checked (the units and procedures it names, the preview)
FACTS = "facts"  # the derived figures: kpi_daily, due times and facts of the dossiers changed
END = "end"  # the COMMIT, or the rollback of a preview (or of conflicts left to choose)
ORDER = (ROWS, SETTLE, INDEXES, CHECKS, FACTS, END)
ROLLBACK = "rollback"  # END's place when nothing is kept (a preview, conflicts left to choose)

TEXTS = {
    ROWS: "Đang đọc và đối chiếu hồ sơ trong gói…",
    SETTLE: "Đang xếp các hồ sơ trùng mã, xung đột…",
    INDEXES: "Đang dựng lại chỉ mục tìm kiếm…",
    CHECKS: "Đang kiểm tra dữ liệu vừa đọc…",
    FACTS: "Đang tính lại số liệu…",
    END: "Đang ghi vào cơ sở dữ liệu…",
}
END_DRY_VI = "Đang hoàn tất, trả cơ sở dữ liệu về như cũ…"  # a preview writes nothing

# Each phase's cost, in seconds per 1,000 dossiers of the operation, measured (round 24,
# notes/progress24.md) on 10 packages x 5,000 dossiers into a new centre and on 2 x 6,000 with
# 3,107 clashes kept both into an office of 200, both on the bulk path: rows 0.55-0.67, the
# indexes 0.14-0.21, the rest a few hundredths ...
COSTS = {ROWS: 0.6, SETTLE: 0.01, INDEXES: 0.17, CHECKS: 0.005, FACTS: 0.03, END: 0.02}
# ... and besides, per 1,000 of what the phase counts (`enter`'s items): a code kept both given
# its code and votes 8.5-9.6 s, a dossier's facts computed again (not the sender's) 0.2 s
PER_ITEM = {SETTLE: 9.0, FACTS: 0.2}
# the row path (a centre holding more than the packages bring), measured with 6,000 dossiers
# into 55,000: the rows 1.1 s, the indexes kept up as they come (only the search index filled)
ROW_PATH_ROWS, ROW_PATH_INDEXES = 1.1, 0.13


class Phases:
    """`progress(done, total)` and `told(text)` as one import operation shows them. Called as
    a progress itself, it takes the rows' reports (done of total dossiers); `enter` a later
    phase, `step` inside one, `end` at the operation's end. `again`: the operation begins again
    from its first package (passes.Passes)."""

    def __init__(self, progress: passes.Progress, told: Callable[[str], object] | None = None,
                 dry_run: bool = False, settle: int = 0):
        """`settle`: the records expected kept both (`settle_expected`: the preview's, as the
        clerk chose since; the import after it knows from its start how long giving them codes
        takes)."""
        self.told, self.dry_run = told, dry_run
        self.passes = passes.Passes(progress)
        self.note = ""  # why the operation began again (passes), said above the phase
        self.costs = dict(COSTS)
        self.thousands = 1.0  # the operation's dossiers, in thousands (`plan`)
        self.expected = {SETTLE: settle}
        self.items = 0  # what the phase under way counts (SETTLE: the records kept both)
        self.rolling_back = False
        self.bulk = True  # the rows' path (`plan`): the indexes made again, or kept
        self.conn = None  # the operation's connection while a phase may be counted (`counting`)
        self.counted: phase_steps.Counted | None = None  # SQLite's steps of the phase under way
        self._begin()

    def _begin(self) -> None:
        self.phase, self.start, self.at = ROWS, 0.0, 0.0
        self.share = self._share(ROWS)
        self._tell()

    def plan(self, bulk: bool, dossiers: int) -> None:
        """The rows' path and count known (merge._Run.merge_all), before the first dossier."""
        self.thousands = max(dossiers, 1) / 1000
        self.bulk = bulk
        if not bulk:
            self.costs[ROWS], self.costs[INDEXES] = ROW_PATH_ROWS, ROW_PATH_INDEXES
        for phase, items in self.expected.items():
            self._count(phase, items)
        if self.phase == ROWS and self.at == 0.0:
            self.share = self._share(ROWS)

    def again(self, text: str) -> None:
        self.passes.again(text)
        self.note = text
        self._begin()

    def __call__(self, done: int, total: int) -> object:
        if total <= 0:  # a step of unknown length: a busy bar
            return self.passes(done, total)
        if self.phase != ROWS:  # a wait asking after the rows: where the bar stands
            return self._show(self.at)
        return self._show(self._within(done, total))

    def enter(self, phase: str, items: int = 0) -> object:
        """`phase` begins (`items`: the records a SETTLE gives codes to): the bar from the end
        of the phase before, the rest of it shared by what is left to do, its text told."""
        self.items, self.rolling_back = items, phase == ROLLBACK
        phase = END if phase == ROLLBACK else phase
        self._count(phase, items)
        self.start = min(self.start + self.share, 1.0)
        self.phase = phase
        self.share = (1.0 - self.start) * self._share(phase)
        self._tell()
        self._count_steps()
        return self._show(self.start)

    def _count_steps(self) -> None:
        """SQLite's steps counted through the phase's share, in a block `counting` (the
        indexes: a few long statements with no report of their own; phase_steps)."""
        if self.counted is not None and self.conn is not None:  # (the phase before's)
            self.conn.set_progress_handler(None, 0)
        self.counted = None
        if self.phase != INDEXES or self.conn is None:
            return
        rows = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossier_rows").fetchone()[0] \
            if self.bulk else 0  # (the row path keeps the dossiers' indexes as rows come)
        start, share = self.start, self.share
        self.counted = phase_steps.Counted(
            phase_steps.expected(round(self.thousands * 1000), rows),
            lambda fraction: self._show(start + share * fraction))
        self.counted.start(self.conn)

    def step(self, done: int, total: int) -> object:
        """Inside the phase entered: `done` of its `total`."""
        if total <= 0:
            return self._show(self.at)
        return self._show(self._within(done, total))

    def end(self) -> object:
        """The operation has ended: the bar full, and only now."""
        return self.passes(passes.SCALE, passes.SCALE)

    def _within(self, done: int, total: int) -> float:
        """Where `done` of `total` stands in the phase under way's part of the bar."""
        return self.start + self.share * min(max(done / total, 0.0), 1.0)

    def _count(self, phase: str, items: int) -> None:
        """`phase`'s cost with its `items` (per item: against the others' per 1,000 dossiers)."""
        if phase in PER_ITEM:
            self.costs[phase] = COSTS[phase] + PER_ITEM[phase] * items / 1000 / self.thousands

    def _share(self, phase: str) -> float:
        """`phase`'s part of what is left of the pass: its cost against the phases left's."""
        left = [p for p in ORDER[ORDER.index(phase):] if not (self.dry_run and p == FACTS)]
        return self.costs[phase] / sum(self.costs[p] for p in left)

    def _show(self, fraction: float) -> object:
        # at most a thousandth below the pass's end: the bar is full only at `end`
        self.at = max(self.at, min(fraction, 1.0))
        return self.passes(min(int(self.at * passes.SCALE), passes.SCALE - 1), passes.SCALE)

    def _tell(self) -> None:
        if self.told is not None:
            said = text(self.phase, self.dry_run or self.rolling_back, self.items)
            self.told(f"{self.note}\n{said}" if self.note else said)


def text(phase: str, dry_run: bool = False, items: int = 0) -> str:
    """What the clerk is told while `phase` runs."""
    if phase == SETTLE and items:
        count = vn_number(items)
        return f"Đang xét {count} hồ sơ “Giữ cả hai”…" if dry_run else \
            f"Đang cấp mã mới cho {count} hồ sơ “Giữ cả hai”…"
    return END_DRY_VI if phase == END and dry_run else TEXTS[phase]


def settle_expected(previewed, conflicts: str | None = None,
                    choices: Mapping[str, str] | None = None, clashes: str | None = None) -> int:
    """The records the import will keep both, known before its rows: of the preview the clerk
    decided on (merge.BatchResult, every clash kept both), those the import's own choices keep
    both — `conflicts`, `choices`, `clashes` as merge.import_packages is given them, read by
    the rule the preview's panel asks (core.exchange.ready.kept_both). Counted from the
    preview alone, a clerk's «Bỏ đánh dấu mọi "Giữ cả hai"» or "Lấy theo gói" left the bar
    planned for codes never issued: the rows filled a fifth of it, then it leapt to the end."""
    if previewed is None:
        return 0
    from core.exchange import ready  # (ready reads merge, which reads this module)
    counted = [r for r in previewed.results if not getattr(r, "same_as", "")]
    return ready.kept_both(counted, ready.Chosen(conflicts, dict(choices or {}),
                                                 clashes=clashes))


def facts_items(conn, refresh: list[int], everything: bool) -> int:
    """The dossiers whose facts merge._Run.write_facts computes: those changed, or all."""
    if everything:
        return conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    return len(set(refresh))


@contextmanager
def counting(progress, conn) -> Iterator[None]:
    """The block whose end runs phase INDEXES's statements on `conn` (merge._Run.merge_all:
    the indexes made as its inner blocks end, then the copier's kept facts written): from the
    phase's entry to the block's end SQLite's steps move the bar, and the clerk's «Huỷ»
    interrupts them (phase_steps.heard)."""
    if not isinstance(progress, Phases):
        yield
        return
    progress.conn = conn
    try:
        with phase_steps.heard(conn, lambda: progress.counted):
            yield
    finally:
        progress.conn = progress.counted = None


def plan(progress, bulk: bool, dossiers: int) -> None:
    if isinstance(progress, Phases):
        progress.plan(bulk, dossiers)


def enter(progress, phase: str, items: int = 0) -> None:
    """`phase` entered on `progress` when it shows phases (else nothing); the clerk's Huỷ
    (False) raised, as every report of the operation does (the transaction rolls back)."""
    if isinstance(progress, Phases) and progress.enter(phase, items) is False:
        raise InterruptedError("import cancelled")


def step(progress, done: int, total: int) -> None:
    if isinstance(progress, Phases) and progress.step(done, total) is False:
        raise InterruptedError("import cancelled")
