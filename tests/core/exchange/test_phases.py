"""Issue 16 §3 (round 23's test, F6): the import's bar reached 100 % at the packages' last
dossier and stood full, with nothing said, while the clashes kept both were given codes, the
indexes made again, the figures computed and the transaction committed (full at 5.7 s of
11.5 s; minutes in the window). Now each phase after the rows has its share of the bar and its
text, the bar never goes back, and it is full only once the operation has ended."""
from __future__ import annotations

import pytest

from core.exchange import passes, phases, recode
from core.exchange.merge import import_packages
from tests.core.exchange.test_keep_both import people, two_pcs_in_one_slot

pytestmark = pytest.mark.slot_unconfirmed


class Recorded:
    """Every report and text as the clerk's window gets them, with what the database held
    at that moment (its own connection: inside the import's transaction or after it)."""

    def __init__(self, db):
        self.db = db
        self.reports: list[tuple[float, bool, int]] = []  # (fill, in a transaction, dossiers)
        self.told: list[tuple[int, str]] = []  # (reports before it, text)

    def __call__(self, done: int, total: int) -> bool:
        fill = done / total if total > 0 else -1.0  # (a busy bar: no fill)
        dossiers = self.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
        self.reports.append((fill, self.db.conn.in_transaction, dossiers))
        return True

    def tell(self, text: str) -> None:
        self.told.append((len(self.reports), text))

    def fills(self) -> list[float]:
        return [fill for fill, _, _ in self.reports if fill >= 0]

    def texts(self) -> list[str]:
        return [text for _, text in self.told]


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_bar_is_full_only_at_the_real_end_and_each_later_phase_is_announced(
        tmp_path, dry_run):
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    before = people(centre)
    seen = Recorded(centre)
    batch = import_packages(centre, [package_b], clashes=recode.BOTH, dry_run=dry_run,
                            progress=seen, told=seen.tell)
    assert batch.written == (not dry_run)
    fills = seen.fills()
    assert fills == sorted(fills), fills  # never backwards
    # full once, at the last report, and that one after the transaction's end: the
    # dossiers kept both are in the file (or, for the preview, it is as it was)
    assert fills[-1] == 1.0 and all(fill < 1.0 for fill in fills[:-1]), fills
    _, in_transaction, held = seen.reports[-1]
    assert not in_transaction
    assert held == len(before) + (0 if dry_run else 2)
    settle = phases.text(phases.SETTLE, dry_run, 2)
    assert "2 hồ sơ “Giữ cả hai”" in settle
    end = phases.END_DRY_VI if dry_run else phases.TEXTS[phases.END]
    late = [settle, phases.TEXTS[phases.INDEXES], phases.TEXTS[phases.CHECKS]] + \
        ([] if dry_run else [phases.TEXTS[phases.FACTS]]) + [end]
    assert seen.texts() == [phases.TEXTS[phases.ROWS], *late]
    # each later phase told while the bar was not full, the bar at its start never behind
    # the phase before's
    at = [max([f for f, _, _ in seen.reports[:count] if f >= 0] or [0.0])
          for count, _ in seen.told]
    assert all(fill < 1.0 for fill in at) and at == sorted(at), at
    # the COMMIT announced inside the transaction, the work after the rows given a real part
    # of the bar (the rows' end is not the bar's)
    end_at = seen.told[-1][0]
    assert seen.reports[end_at][1]
    rows_end = max(fill for fill, _, _ in seen.reports[:seen.told[1][0]])
    assert rows_end <= 0.9, rows_end
    for db in (a, b, centre):
        db.close()


def test_a_cancel_at_the_last_phase_still_writes_nothing(tmp_path):
    """The clerk's Huỷ heard when the COMMIT is announced (after the figures): rolled back."""
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    before = people(centre)
    told: list[str] = []
    answer = {"go": True}

    def progress(done: int, total: int) -> bool:
        return answer["go"]

    def tell(text: str) -> None:
        told.append(text)
        if text == phases.TEXTS[phases.END]:
            answer["go"] = False
    with pytest.raises(InterruptedError):
        import_packages(centre, [package_b], clashes=recode.BOTH, progress=progress, told=tell)
    assert people(centre) == before and not centre.conn.in_transaction
    for db in (a, b, centre):
        db.close()


class Bar:
    def __init__(self):
        self.shown: list[tuple[int, int]] = []
        self.told: list[str] = []

    def __call__(self, done, total):
        self.shown.append((done, total))
        return True

    def fills(self):
        return [d / t for d, t in self.shown if t > 0]


def test_the_phases_share_the_bar_by_their_measured_cost():
    bar = Bar()
    shown = phases.Phases(bar, bar.told.append)
    shown.plan(bulk=True, dossiers=50_000)
    for done in range(0, 50_001, 5000):
        shown(done, 50_000)
    rows_end = bar.fills()[-1]
    late = sum(phases.COSTS[p] for p in phases.ORDER if p != phases.ROWS)
    assert rows_end == pytest.approx(phases.COSTS[phases.ROWS] / (phases.COSTS[phases.ROWS]
                                                                  + late), abs=0.002)
    # 5,000 clashes kept both: their codes cost more than the rows; the rest of the bar is
    # shared again when that is known, most of it theirs, counted code by code
    shown.enter(phases.SETTLE, 5000)
    start = bar.fills()[-1]
    for done in range(0, 5001, 1000):
        shown.step(done, 5000)
    settled = bar.fills()[-1]
    assert start == pytest.approx(rows_end, abs=0.002)
    assert (settled - start) / (1.0 - start) > 0.5
    for phase in (phases.INDEXES, phases.CHECKS, phases.FACTS, phases.END):
        shown.enter(phase)
        assert bar.told[-1] == phases.TEXTS[phase]
    assert max(bar.fills()) < 1.0  # the COMMIT under way: not full
    shown(50_000, 50_000)  # a late report of the rows (a wait asking): the bar stays
    assert bar.fills() == sorted(bar.fills()) and bar.fills()[-1] < 1.0
    shown.end()
    assert bar.shown[-1] == (passes.SCALE, passes.SCALE)


def test_a_pass_again_after_the_later_phases_is_busy_and_says_both_whys():
    """The codes several packages bring differently are known at the first pass's end: the
    operation begins again with the bar near its end — busy, never full, and the clerk reads
    why it begins again above what it is doing."""
    bar = Bar()
    shown = phases.Phases(bar, bar.told.append, dry_run=True)
    shown(10, 10)
    for phase in (phases.SETTLE, phases.INDEXES, phases.CHECKS, phases.END):
        shown.enter(phase)
    shown.again(passes.APART_VI)
    assert bar.told[-1] == f"{passes.APART_VI}\n{phases.TEXTS[phases.ROWS]}"
    shown(5, 10)
    assert bar.shown[-1] == (0, 0)  # busy
    shown.enter(phases.CHECKS)
    assert bar.told[-1] == f"{passes.APART_VI}\n{phases.TEXTS[phases.CHECKS]}"
    assert max(bar.fills()) < 1.0
    shown.end()
    assert bar.fills()[-1] == 1.0 and bar.fills() == sorted(bar.fills())


def test_an_import_that_keeps_nothing_says_it_puts_the_database_back_not_that_it_writes():
    """Conflicts left to choose: the import's END is a rollback, told as the preview's."""
    bar = Bar()
    shown = phases.Phases(bar, bar.told.append)
    shown(10, 10)
    shown.enter(phases.ROLLBACK)
    assert bar.told[-1] == phases.END_DRY_VI and bar.fills()[-1] < 1.0


CLASHES = ("TT-251020-0001", "TT-251020-0002")


@pytest.mark.parametrize("chosen, kept_both", [
    ({"clashes": recode.KEEP}, 0),  # the preview's «Bỏ đánh dấu mọi "Giữ cả hai"»
    ({"clashes": recode.BOTH, "choices": dict.fromkeys(CLASHES, recode.THEIRS)}, 0),  # "Lấy
    ({"clashes": recode.BOTH}, 2),                                     # theo gói" on each
])
def test_the_rows_take_the_bar_the_clerks_choices_leave_them(tmp_path, chosen, kept_both):
    """Round 24's review, finding 3: the import after a preview planned its bar for every
    clash the preview kept both, whatever the clerk chose since. With none kept both the rows,
    most of the wait, filled a few percent of the bar; it then stood there and leapt to the
    end (a clerk may cancel an import going fine). Now the share kept for giving codes is the
    one the clerk's choices leave: the rows fill the bar as their part of the work."""
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    previewed = import_packages(centre, [package_b], dry_run=True, clashes=recode.BOTH)
    assert previewed.results[0].resolved[recode.BOTH] == 2  # previewed: every clash kept both
    seen = Recorded(centre)
    batch = import_packages(centre, [package_b], previewed=previewed, progress=seen,
                            told=seen.tell, **chosen)
    assert batch.written and batch.results[0].resolved.get(recode.BOTH, 0) == kept_both
    fills = seen.fills()
    assert fills == sorted(fills), fills  # never backwards
    assert fills[-1] == 1.0 and all(fill < 1.0 for fill in fills[:-1]), fills
    # where the bar stands when the rows are done (the phase after them told): their cost
    # against the whole operation's, the codes kept both counted only if any is
    settle = [i for i, text in enumerate(seen.texts())
              if text == phases.text(phases.SETTLE, False, kept_both)][0]
    rows_end = seen.reports[seen.told[settle][0]][0]
    costs = dict(phases.COSTS)
    if not batch.bulk:
        costs[phases.ROWS], costs[phases.INDEXES] = phases.ROW_PATH_ROWS, \
            phases.ROW_PATH_INDEXES
    # (per 1,000 codes against per 1,000 of the package's dossiers: its two, both clashes)
    costs[phases.SETTLE] += phases.PER_ITEM[phases.SETTLE] * kept_both / len(CLASHES)
    assert rows_end == pytest.approx(costs[phases.ROWS] / sum(costs.values()), abs=0.002), \
        (rows_end, costs)
    if not kept_both:  # the rows are most of the work: most of the bar
        assert rows_end > 0.5, rows_end
    for db in (a, b, centre):
        db.close()
