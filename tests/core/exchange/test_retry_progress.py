"""Issue 16 §3 (round 23): one import operation that begins again from its first package
(merge._Taught: a later package's aliases name the sender of a package merged before it, round
22's order) showed its bar going back to 0 halfway through — the clerk saw the work as lost.
The bar never goes back now (core.exchange.passes): the pass again fills what the first left,
100 % only at its end, and the clerk is told why ("Đang làm lại với mã đã đổi…"), in the
preview and the import alike."""
from __future__ import annotations

import pytest

from core.exchange import passes, recode
from core.exchange.merge import import_packages
from tests.core.exchange import test_versions
from tests.core.exchange.conftest import in_merge_order, made_later
from tests.core.exchange.test_aliases_travel import B0_HERE, centre_kept_both
from tests.core.exchange.test_versions import clone, ok

two_edits = test_versions.two_edits  # (its fixture: two counters went on from one dossier)


class Watched:
    """A clerk's view of the progress: each (done, total) reported, and the texts told."""

    def __init__(self):
        self.shown: list[tuple[int, int]] = []
        self.told: list[str] = []
        self.told_at: list[int] = []  # the reports shown before each text told

    def __call__(self, done: int, total: int) -> bool:
        self.shown.append((done, total))
        return True

    def tell(self, text: str) -> None:
        # each phase is told too (core.exchange.phases), under why the operation began again:
        # kept here, once each, is the why
        why = text.split("\n")[0] if "\n" in text else ""
        if why and why != (self.told[-1] if self.told else None):
            self.told.append(why)
            self.told_at.append(len(self.shown))

    def fractions(self) -> list[float]:
        """The bar's fill at each report (a busy bar, total 0, has none)."""
        return [min(done / total, 1.0) for done, total in self.shown if total > 0]


@pytest.mark.slot_unconfirmed
@pytest.mark.parametrize("dry_run", [True, False])
def test_the_bar_never_goes_back_when_a_later_package_makes_the_operation_begin_again(
        tmp_path, dry_run):
    a, b, centre, back = centre_kept_both(tmp_path)
    made_later(back)  # B's package made before the centre's, merged first: taught after
    from_b = tmp_path / "b.zip"
    assert in_merge_order([back, from_b]) == [from_b, back]
    plain = clone(a, tmp_path / "a-plain.db")
    watched = Watched()
    done = import_packages(a, [back, from_b], clashes=recode.BOTH, dry_run=dry_run,
                           progress=watched, told=watched.tell)
    assert watched.told == [passes.TAUGHT_VI]  # it did begin again, and said so once
    fractions = watched.fractions()
    assert fractions == sorted(fractions), fractions  # (it went back to 0 at the retry)
    assert fractions[-1] == 1.0
    # B's package merged when the centre's taught: the bar halfway, and the pass again's own
    # work moved it on from there (not a bar standing still, nor full, meanwhile)
    first = [min(d / t, 1.0) for d, t in watched.shown[:watched.told_at[0]] if t > 0]
    again = [min(d / t, 1.0) for d, t in watched.shown[watched.told_at[0]:] if t > 0]
    assert 0.0 < max(first) < 1.0
    assert len({f for f in again if max(first) < f < 1.0}) >= 2, again
    # what the operation does is the same as without a progress to show
    same = import_packages(plain, [back, from_b], clashes=recode.BOTH, dry_run=dry_run)
    assert [dict(r.dossiers) for r in done.results] == [dict(r.dossiers) for r in same.results]
    assert done.written == same.written == (not dry_run)
    if not dry_run:
        assert a.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id"
                         ).fetchall() == [(B0_HERE,)]
        ok(a)
    for db in (a, b, centre, plain):
        db.close()


@pytest.mark.slot_unconfirmed
def test_an_operation_that_needs_no_second_pass_reports_as_before(tmp_path):
    """The centre's package first (the order the aliases want): one pass, no second pass told,
    full only at its end."""
    a, b, centre, back = centre_kept_both(tmp_path)
    watched = Watched()
    assert import_packages(a, [back], clashes=recode.BOTH, progress=watched,
                           told=watched.tell).written
    assert watched.told == [] and watched.fractions()[-1] == 1.0
    assert all(fill < 1.0 for fill in watched.fractions()[:-1])
    assert watched.fractions() == sorted(watched.fractions())
    for db in (a, b, centre):
        db.close()


def test_a_pass_that_begins_after_the_bar_was_full_shows_a_busy_bar_not_a_full_one():
    """The codes several packages bring differently are set apart after a whole pass (the bar
    full): standing at 100 % while the work goes on again would say it is done; a busy bar
    says it goes on, until the last pass ends."""
    watched = Watched()
    shown = passes.Passes(watched, watched.told.append)
    for done in (0, 50, 100):
        shown(done, 100)
    shown.again(passes.APART_VI)
    shown(0, 100)
    shown(60, 100)
    assert watched.shown[-2:] == [(0, 0), (0, 0)] and watched.told == [passes.APART_VI]
    shown(1, 1)
    assert watched.shown[-1] == (passes.SCALE, passes.SCALE)


def test_a_pass_again_fills_the_rest_of_the_bar_in_proportion():
    watched = Watched()
    shown = passes.Passes(watched)
    shown(40, 100)
    shown.again(passes.TAUGHT_VI)
    for done in (0, 50, 100):
        shown(done, 200)
    assert watched.shown == [(40, 100), (400, 1000), (550, 1000), (700, 1000)]
    shown(0, 0)  # a step of unknown length stays a busy bar
    assert watched.shown[-1] == (0, 0)
    assert shown(1, 1) is True  # the clerk's Huỷ (False) is passed back as it was


def test_a_report_below_what_was_shown_holds_the_bar_even_by_a_rounding():
    """A thousandth rounded up at the pass again is never undercut by the next exact report."""
    watched = Watched()
    shown = passes.Passes(watched)
    shown(1, 3)
    shown(0, 3)  # (a total grown, a step reported again: never below what was shown)
    assert watched.shown[-1] == (1, 3)  # the furthest report again, in its own units
    shown(1, 3)
    shown(2, 3)
    assert watched.fractions() == sorted(watched.fractions())
    assert watched.shown[-1] == (2, 3)


def test_codes_set_apart_after_a_whole_pass_never_show_a_full_bar_before_the_end(two_edits,
                                                                                  db):
    """Two counters' packages went on differently from one dossier of the centre's: met while
    merging in turn (the bar near its end), the operation begins again with that code set
    apart. The bar neither goes back to 0 nor stands at 100 % meanwhile (busy, or the little
    left of it), and the clerk is told."""
    code, pa, pb, _, _ = two_edits
    watched = Watched()
    batch = import_packages(db, [pa, pb], progress=watched, told=watched.tell)
    assert batch.pending and [c.code for c in batch.crossed] == [code]  # (as ever: to choose)
    assert watched.told == [passes.APART_VI]
    fractions = watched.fractions()
    assert fractions == sorted(fractions), fractions
    first, again = watched.shown[:watched.told_at[0]], watched.shown[watched.told_at[0]:]
    # the first pass went through its phases to its end, yet the bar was not full: the
    # operation had not ended (core.exchange.phases)
    assert 0.85 < max(d / t for d, t in first if t > 0) < 1.0, first
    assert again[-1] == (passes.SCALE, passes.SCALE), again  # full at the operation's end
    assert all(t == 0 or d < t for d, t in again[:-1]), again  # … only then
