"""Issue 18: on a big file the dashboard paints first, says "đang tính…", and its figures come
from a worker; they are the figures the screen computes on the spot for a small file."""
from __future__ import annotations

import datetime as dt

from gui import worker
from gui.dashboard.screen import DashboardScreen

TODAY = dt.date(2025, 6, 11)


def _shown(screen) -> dict:
    return {"period": screen.period_label.text(), "strip": screen.strip.text(),
            "cards": {key: (card.rate.text(), card.numbers.text(), card.gap.text())
                      for key, card in screen.cards.items()},
            "overdue": screen.late_models["overdue"].rowCount()}


def test_a_big_file_shows_computing_then_the_same_figures(qtbot, db, office, monkeypatch):
    here = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(here)
    here.refresh()
    assert here.loader is None  # a small file: on the spot
    expected = _shown(here)

    monkeypatch.setattr(worker, "BACKGROUND_BYTES", 0)  # every file counts as big
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    assert screen.loader is not None
    assert screen.period_label.text() == "(01/06/2025 – 30/06/2025) — đang tính…"
    assert screen.result is None and not screen.late_models  # nothing shown before it is known
    qtbot.waitUntil(lambda: screen.result is not None, timeout=20000)
    assert _shown(screen) == expected
    worker.wait_all()


def test_only_the_last_asked_figures_are_shown(qtbot, db, office, monkeypatch):
    monkeypatch.setattr(worker, "BACKGROUND_BYTES", 0)
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    first = screen.loader
    screen.preset_box.setCurrentIndex(screen.preset_box.findData("year"))  # asks again
    assert screen.loader is not first
    qtbot.waitUntil(lambda: screen.result is not None, timeout=20000)
    worker.wait_all()
    qtbot.wait(50)  # both answers delivered
    assert screen.period_label.text().startswith("(01/01/2025 – 31/12/2025)")


def test_an_in_memory_or_read_only_database_computes_on_the_spot(db, tmp_path):
    class Memory:
        path = ":memory:"
    assert worker.background_path(Memory()) is None  # no such file for a worker
    db.read_only = True
    try:
        assert worker.background_path(db) is None
    finally:
        db.read_only = False


def test_the_window_of_a_big_file_paints_before_its_figures_and_counts(qtbot, db, db_path, office,
                                                                       monkeypatch):
    from gui.main_window import MainWindow
    monkeypatch.setattr(worker, "BACKGROUND_BYTES", 0)
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    dashboard = window.screens["dashboard"]
    # built, not yet painted: nothing read yet, the screen says it is computing
    assert dashboard.period_label.text() == "đang tính…" and dashboard.loader is None
    assert window.counts_label.text() == ""
    window.show()
    qtbot.waitUntil(lambda: dashboard.result is not None, timeout=20000)
    assert window.counts_label.text() == "Hôm nay 11/06/2025: tiếp nhận 0 · đến hạn 1 · quá hạn 3"
    assert dashboard.period_label.text().startswith("(01/06/2025 – 30/06/2025)")
    worker.wait_all()
