"""The register's faster ways (issue 18) list exactly the rows, in exactly the order, and count
exactly the tabs the way before them did: on a demo office, for random searches, tabs, filters
and sorts. The way before is kept here as a model: every search through `match`, the whole id
list read at once, the due time sorted by its expression, each tab counted alone."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt

from core import register_search, timefmt
from core.database import open_database
from gui.dossiers.register_model import TABS, RegisterFilter, RegisterModel
from gui.lazymodel import ID_ROLE

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 10, 15)
SEARCHES = ("", "", "an", "nguyen", "van quan", "thi tran", "le thi", "0", "09", "000.",
            "khon", "a", "na bam", "ubnd xa", "zzqx", "h37-25", "thi van", "van a", "a thi",
            "thi a")


class _NoHits:
    count = None
    walking = False

    def prepare(self, words, generation, **_) -> None:
        pass

    def step(self) -> bool:
        return True

    def finish(self) -> None:
        pass


class BeforeModel(RegisterModel):
    def __init__(self, db, now):
        super().__init__(db, now=now)
        self.hits = _NoHits()

    def sorted_along_index(self) -> bool:
        return False  # every id read at once

    def _due_merge(self) -> bool:
        return False

    def where(self, tab=None):
        return self.query.where(self.filter, tab)  # no hits at all: plain `match`


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from core import demo
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(path)
    demo.generate(db, dossiers=2500, seed=5, today=TODAY)
    db.close()
    return path


@pytest.fixture
def office(demo_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    monkeypatch.setattr(register_search, "DRIVE_MAX", 40)  # the walk along an index is used
    # a frequent search walked, its hits then found in several steps (as at a million)
    for name, value in (("SAMPLE", 600), ("STEP", 700), ("SCAN_STEP", 400)):
        monkeypatch.setattr(register_search, name, value)
    db = open_database(demo_path)
    yield db
    db.close()


def _all_ids(model) -> list[int]:
    return [model.id_at(row) for row in range(model.rowCount())]


def _random_filter(model, rng: random.Random, units: list[str], procedures: list[str]) -> None:
    f = model.filter
    f.tab = "all" if rng.random() < 0.5 else rng.choice([key for key, _ in TABS])
    f.search = rng.choice(SEARCHES)
    f.units = rng.sample(units, rng.randint(1, 3)) if rng.random() < 0.1 else []
    f.procedure = rng.choice(procedures) if rng.random() < 0.1 else None
    f.channel = rng.choice(("direct", "online", "postal")) if rng.random() < 0.15 else None
    f.status = rng.choice(("received", "returned", "supplement")) if rng.random() < 0.1 else None
    f.date_from = TODAY - dt.timedelta(days=rng.randint(0, 300)) if rng.random() < 0.1 else None
    f.date_to = TODAY - dt.timedelta(days=rng.randint(0, 60)) if rng.random() < 0.1 else None
    model.sort_column = rng.randrange(len(model.COLUMNS))
    model.sort_order = rng.choice((Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder))


def test_the_same_rows_order_and_counts_as_before(qtbot, office):
    units = [r[0] for r in office.execute("SELECT code FROM units")]
    procedures = [r[0] for r in office.execute("SELECT DISTINCT procedure_code FROM dossiers")]
    now_model, before = RegisterModel(office, now=lambda: NOW), BeforeModel(office, lambda: NOW)
    now_model.PAGE, now_model.FIRST = 25, 50  # pages and the back half read from the end
    for model in (now_model, before):
        model.prepare(deferred=model is now_model)
    rng, windowed, walked, merged, pending = random.Random(18), 0, 0, 0, 0
    for case in range(90):
        _random_filter(before, rng, units, procedures)
        if case % 15 == 0:  # the whole register by due time: the merge along the indexes
            before.filter = RegisterFilter()
            before.sort_column = rng.choice((6, 7))
        now_model.filter = before.filter
        now_model.sort_column, now_model.sort_order = before.sort_column, before.sort_order
        if case == 45:  # the live due times completed after the first rows
            assert now_model.finish_live()
        before.reload()
        now_model.reload()
        expected = _all_ids(before)
        if now_model.hits.walking:  # a frequent search walked: its first rows, then the rest
            first = _all_ids(now_model)
            assert first == expected[:len(first)], (case, before.filter)
            assert set(now_model.tab_counts().values()) <= {None, len(expected)}
            pending += now_model.count_pending
            while not now_model.count_step():
                assert now_model.hits.walking
        assert _all_ids(now_model) == expected, (case, before.filter)
        counts = now_model.tab_counts()
        for key, _ in TABS:
            assert counts[key] in (None, before.count(key)), (case, key, before.filter)
        windowed += now_model._ids is None
        walked += now_model._ids is None and now_model.hits.count is not None
        merged += now_model._due_merge() and now_model._ids is None
    assert windowed >= 10 and walked >= 2 and merged >= 4  # every new way was compared
    assert pending >= 5


def test_lists_on_one_connection_keep_their_own_hits(qtbot, office):
    """The register, the dashboard's lists and a list behind a figure share the connection:
    one list's search never changes another's rows."""
    first, second = RegisterModel(office, now=lambda: NOW), RegisterModel(office, now=lambda: NOW)
    for model in (first, second):
        model.prepare()
    first.filter.search = "nguyen"
    first.reload()
    found = _all_ids(first)
    assert len(found) > 40
    second.filter.search = "van quan"
    second.reload()
    second.filter.search = ""
    second.reload()
    first.refresh_rows()
    assert _all_ids(first) == found and first.tab_counts()["all"] == len(found)
    first.reload()
    assert _all_ids(first) == found


# ----- a frequent search typed in the screen: first rows, then the count and the rest ----------
def _screen(qtbot, office, monkeypatch):
    from gui.dossiers import register_view
    monkeypatch.setattr(register_view, "COUNT_STEP_MS", 60_000)  # the steps when the test says
    monkeypatch.setattr(register_view, "FIRST_COUNT_STEP_MS", 60_000)
    screen = register_view.RegisterScreen(office, now=lambda: NOW)
    screen.model.PAGE, screen.model.FIRST = 25, 50
    qtbot.addWidget(screen)
    screen.resize(1300, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    screen.model.finish_live()
    return screen


def _expected(office, text: str) -> list[int]:
    before = BeforeModel(office, lambda: NOW)
    before.prepare()
    before.filter.search = text
    before.reload()
    return _all_ids(before)


def _typed(qtbot, screen, text: str) -> None:
    screen.search.setFocus()
    qtbot.keyClicks(screen.search, text)
    qtbot.waitUntil(lambda: screen.model.filter.search == screen.search.text(), timeout=3000)


@pytest.mark.parametrize("text", ["thi", "a", "van quan"])
def test_a_frequent_search_draws_its_first_rows_then_its_count_and_the_rest(
        qtbot, office, monkeypatch, text):
    screen = _screen(qtbot, office, monkeypatch)
    expected = _expected(office, text)
    _typed(qtbot, screen, text)
    model = screen.model
    assert model.hits.walking and model.count_pending and screen._count_timer.isActive()
    assert _all_ids(model) == expected[:50] and len(expected) > 50
    assert all(screen.tabs.tabText(i).endswith("(…)") for i in range(screen.tabs.count()))
    assert "đang đếm" in screen.summary.text()
    screen._count_timer.setInterval(0)
    qtbot.waitUntil(lambda: not screen._count_timer.isActive(), timeout=10000)
    assert not model.hits.walking and not model.count_pending
    assert screen.tabs.tabText(0) == f"Tất cả ({len(expected):,})".replace(",", ".")
    assert "…" not in "".join(screen.tabs.tabText(i) for i in range(screen.tabs.count()))
    screen.table.scrollToBottom()  # the rest of the list, read from the hits now
    last = model.index(model.rowCount() - 1, 0)
    assert model.data(last, ID_ROLE) == expected[-1] and _all_ids(model) == expected


def test_a_search_changed_while_counting_starts_over(qtbot, office, monkeypatch):
    screen = _screen(qtbot, office, monkeypatch)
    _typed(qtbot, screen, "thi")
    assert screen.model.count_step() is False  # one step of "thi" done, then the clerk types on
    _typed(qtbot, screen, " v")
    expected = _expected(office, "thi v")
    screen._count_timer.setInterval(0)
    qtbot.waitUntil(lambda: not screen._count_timer.isActive(), timeout=10000)
    assert _all_ids(screen.model) == expected and screen.model.rowCount() == len(expected)


# ----- a walked search, then sorted by due time or exported: the same rows as `match` -----------
def _walked(office, text: str, column: int = 5) -> RegisterModel:
    """The search typed under the default sort (received, newest first), then `column`."""
    model = RegisterModel(office, now=lambda: NOW)
    model.PAGE, model.FIRST = 25, 50
    model.prepare()
    model.finish_live()
    model.filter.search = text
    model.reload()
    assert model.hits.walking  # frequent, or a word too short for the index: walked
    if column != model.sort_column:
        model.sort(column, Qt.SortOrder.AscendingOrder)
    return model


def _before(office, text: str, column: int, order) -> list[int]:
    before = BeforeModel(office, lambda: NOW)
    before.prepare()
    before.filter.search = text
    before.sort_column, before.sort_order = column, order
    before.reload()
    return _all_ids(before)


WALKED = ("van quan", "a")  # frequent; the others hold a word too short for the index, side
# by side or not: listed by due time with `walk_match` (its side-by-side question asked once)


@pytest.mark.parametrize("text", [*WALKED, "van a", "thi a", "a van"])
@pytest.mark.parametrize("column", [6, 7])
def test_a_walked_search_sorted_by_due_time_lists_the_same_rows(qtbot, office, text, column):
    model = _walked(office, text, column)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(column, order)
        expected = _before(office, text, column, order)
        assert len(expected) > (50 if text in WALKED else 5)
        first = _all_ids(model)  # walked along the due time's indexes: its first rows
        assert first == expected[:len(first)], (text, column, order)
        while not model.count_step():  # then its hits, the count and the rest
            pass
        assert _all_ids(model) == expected, (text, column, order)
        assert model.all_ids() == expected


@pytest.mark.parametrize("text", [*WALKED, "thi a"])
@pytest.mark.parametrize("column", [5, 6])
def test_the_export_of_a_walked_search_holds_the_same_rows(qtbot, office, tmp_path, text,
                                                           column):
    from openpyxl import load_workbook

    from core.workbook import lists
    model = _walked(office, text, column)
    path = tmp_path / "register.xlsx"
    count = lists.export_list(office, lists.REGISTER, model.all_ids(), path, "Tất cả đơn vị",
                              moment=NOW)
    expected = _before(office, text, column, model.sort_order)
    codes = dict(office.execute("SELECT id, code FROM dossiers").fetchall())
    sheet = load_workbook(path, read_only=True).active
    written = [row[0] for row in sheet.iter_rows(values_only=True)
               if row and row[0] in set(codes.values())]
    assert count == len(expected) > (50 if text in WALKED else 5)
    assert written == [codes[i] for i in expected]


def test_the_first_rows_are_painted_before_the_count_starts(qtbot, office, monkeypatch):
    """A zero timer fires before the paint the new rows asked for: the first counting step (10-50
    ms at a million) waits FIRST_COUNT_STEP_MS, then the steps follow at once."""
    from PySide6.QtCore import QEvent, QObject

    from gui.dossiers import register_view
    # The product waits 30 ms for the paint; a machine loaded by other work can stall longer than
    # that between the typing and the paint (seen at load 5+), so the test gives the same
    # mechanism a margin: a first step started at once (the bug) still fails the interval check.
    monkeypatch.setattr(register_view, "FIRST_COUNT_STEP_MS", 400)
    screen = register_view.RegisterScreen(office, now=lambda: NOW)
    screen.model.PAGE, screen.model.FIRST = 25, 50
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    screen.model.finish_live()
    steps: list[int] = []
    real_step = screen.model.count_step
    monkeypatch.setattr(screen.model, "count_step", lambda: (steps.append(1), real_step())[1])
    painted: list[int] = []

    class Paints(QObject):
        def eventFilter(self, _watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(len(steps))
            return False
    spy = Paints(screen)
    screen.table.viewport().installEventFilter(spy)
    _typed(qtbot, screen, "thi")
    assert screen._count_timer.interval() == register_view.FIRST_COUNT_STEP_MS
    qtbot.waitUntil(lambda: not screen._count_timer.isActive(), timeout=10000)
    assert painted and painted[0] == 0  # the rows were painted before any counting step
    assert screen._count_timer.interval() == register_view.COUNT_STEP_MS and len(steps) > 1
    assert not screen.model.count_pending
