"""The status bar's figures of today share the register's live due times (issue 18): after a
write with the register shown they are not computed a second time, and they are the figures
the whole computation gives, also when the due times are completed step by step."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers, timefmt
from core import live_due as livedue
from core.calendar import load_calendar
from db import settings
from gui import bus, status_counts
from gui.dossiers import register_view
from gui.main_window import MainWindow


def _expected_text(db) -> str:
    """The figures as the status bar computed them before: every due time, at once."""
    now = timefmt.now()
    livedue.refresh_live_table(db, load_calendar(db), now)
    counts = livedue.today_counts(db, now)
    return (f"Hôm nay {timefmt.vn_date(now)}: tiếp nhận {counts['received']}"
            f" · đến hạn {counts['due_today']} · quá hạn {counts['overdue']}")


@pytest.fixture
def office_with_waits(db, office):
    dossiers.request_supplement(db, office["Trần Văn Bình"], reason="Thiếu tờ khai",
                                at=dt.datetime(2025, 6, 6, 9, 0))
    dossiers.extend(db, office["Lê Thị Hà"], new_due_at=dt.datetime(2025, 6, 20, 17, 0),
                    reason="Cần xác minh thêm")
    return office


def _window(qtbot, db, db_path):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_write_with_the_register_shown_computes_the_due_times_once(
        qtbot, db, db_path, office_with_waits):
    window = _window(qtbot, db, db_path)
    window.show_screen("dossiers")
    fills = []  # each pass over the open dossiers (core.live_due)
    db.conn.set_trace_callback(
        lambda sql: fills.append(sql) if sql.startswith("INSERT INTO temp.live_due") else None)
    dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Vũ Nam")
    bus.notify_changed()
    db.conn.set_trace_callback(None)
    assert len(fills) == 1  # the register's refresh; the status bar took its table
    qtbot.waitUntil(lambda: not window.counts_label.property("pending"), timeout=5000)
    shown = window.counts_label.text()
    assert "tiếp nhận 1" in shown and shown == _expected_text(db)


def test_the_figures_completed_step_by_step_are_those_computed_at_once(
        qtbot, db, db_path, office_with_waits, monkeypatch):
    expected = _expected_text(db)
    monkeypatch.setattr(status_counts, "CHUNK", 1)  # one due time per step
    monkeypatch.setattr(register_view, "LIVE_CHUNK", 1)
    window = _window(qtbot, db, db_path)
    qtbot.waitUntil(lambda: window.counts_label.text() == expected, timeout=5000)
    window.show_screen("dossiers")
    window.counts_label.setText("")
    settings.put(db, "idle_lock_minutes", 15)  # a write that moves no figure
    window.data_changed()  # the table is filled again (the register's), completed
    assert window.counts_label.property("pending")  # two due times left: said once known
    qtbot.waitUntil(lambda: window.counts_label.text() == expected, timeout=5000)
    assert livedue.live_table(db).pending == []
