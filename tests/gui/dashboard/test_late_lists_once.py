"""Tổng quan's two late lists and the status bar read one filling of the live due times a
refresh (core.live_due.is_fresh): on a big file each was a pass over every open dossier on the
GUI thread. A dossier changed, or another calendar, between two refreshes is still seen."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers
from core import register as core_register
from core.calendar import Override, load_calendar
from gui.dashboard.screen import DashboardScreen
from gui.main_window import MainWindow

TODAY = dt.date(2025, 6, 11)  # the office fixture's NOW: 11/06/2025 09:30


def fills(db) -> list[str]:
    """Every filling of temp.live_due from now on (the statement reading all open dossiers)."""
    seen: list[str] = []
    db.conn.set_trace_callback(
        lambda sql: seen.append(sql) if sql.startswith("INSERT INTO temp.live_due") else None)
    return seen


def names(screen, tab: str) -> list[str]:
    model = screen.late_models[tab]
    return sorted(model.index(r, 2).data() for r in range(model.rowCount()))


@pytest.fixture
def waited(db, office):
    """Received Monday 09/06 08:00 (a day's limit: due 10/06 08:00), a supplement awaited
    09/06 09:00 – 10/06 09:00: due 11/06 08:00, overdue at 09:30 — unless 10/06 is a
    holiday, when the wait counts only Monday's hours and the due time is later today."""
    dossier_id, _ = dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                                            applicant_name="Đinh Văn Chờ",
                                            received_at=dt.datetime(2025, 6, 9, 8, 0))
    dossiers.request_supplement(db, dossier_id, reason="Thiếu tờ khai",
                                at=dt.datetime(2025, 6, 9, 9, 0))
    dossiers.receive_supplement(db, dossier_id, at=dt.datetime(2025, 6, 10, 9, 0))
    return dossier_id


def test_a_dashboard_refresh_fills_the_live_due_times_once(qtbot, db, office):
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    filled = fills(db)
    screen.refresh()
    assert len(filled) == 1  # two before: each list its own pass
    assert names(screen, "overdue") == ["Lê Thị Hà", "Nguyễn Thị Lan", "Trần Văn Bình"]
    screen.unit_box.setCurrentIndex(screen.unit_box.findData("X01"))  # nothing changed
    assert names(screen, "overdue") == ["Nguyễn Thị Lan"] and len(filled) == 1


def test_the_window_opening_on_the_dashboard_fills_them_once(qtbot, db, db_path, office):
    filled = fills(db)
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "quá hạn 3" in window.counts_label.text(), timeout=10000)
    assert window.current_key() == "dashboard"
    assert len(filled) == 1  # the lists' and the status bar's figures


def test_a_dossier_changed_between_two_refreshes_is_still_seen(qtbot, db, office):
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    assert "Trần Văn Bình" in names(screen, "overdue")
    dossiers.finish(db, office["Trần Văn Bình"], at=dt.datetime(2025, 6, 11, 9, 0))
    late, _ = dossiers.create_dossier(db, unit_code="X02", procedure_code="1.004227",
                                      applicant_name="Vũ Trễ",
                                      received_at=dt.datetime(2025, 6, 6, 8, 0))
    screen.refresh()  # the same moment (the clock is frozen), the data changed
    assert names(screen, "overdue") == ["Lê Thị Hà", "Nguyễn Thị Lan", "Vũ Trễ"]


def test_another_calendar_between_two_refreshes_is_still_seen(qtbot, db, office, waited,
                                                              monkeypatch):
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    assert "Đinh Văn Chờ" in names(screen, "overdue")
    filled = fills(db)
    holiday = {dt.date(2025, 6, 10): Override("holiday", "Nghỉ bù")}
    monkeypatch.setattr(core_register, "load_calendar", lambda db: load_calendar(db, holiday))
    screen.refresh()  # the same moment and data, another calendar
    assert len(filled) == 1
    assert "Đinh Văn Chờ" not in names(screen, "overdue")
    assert "Đinh Văn Chờ" in names(screen, "soon")
