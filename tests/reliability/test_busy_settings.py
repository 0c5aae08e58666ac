"""Issue 10 §5 for the settings and catalogue screens: a save while another program holds the
write lock (a long import) waits with the visible note and goes through, instead of failing
after the busy timeout."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from db import settings
from gui import widgets
from gui.catalogue.screen import CatalogueScreen
from gui.settings.screen import SettingsScreen
from tests.reliability.helpers import long_writer, small_office

TODAY = dt.date(2025, 6, 11)
HOLD = 1.5  # seconds the other writer keeps the lock: far above one 250 ms attempt


def click(qtbot, screen, text: str) -> None:
    button = next(b for b in screen.findChildren(QPushButton) if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def saved_while_busy(qtbot, db_path, save) -> str:
    """Run `save()` while another process writes; the waiting note's text, having waited."""
    seen = {}

    def look():
        notes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QProgressDialog) and w.isVisible()]
        seen["note"] = notes[0].labelText() if notes else ""
    writer = long_writer(db_path, HOLD)
    started = time.monotonic()
    QTimer.singleShot(700, look)
    save()
    waited = time.monotonic() - started
    writer.wait(10)
    assert waited > 1.0  # it did wait for the other writer instead of failing at once
    return seen.get("note", "")


@pytest.fixture
def office(db, monkeypatch):
    small_office(db)
    monkeypatch.setattr(widgets, "inform", lambda *a, **k: None)
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: True)
    return db


@pytest.mark.parametrize("button", ["Lưu tiêu đề", "Lưu cách tính", "Lưu chỉ tiêu của năm"])
def test_a_settings_save_waits_for_a_busy_database(qtbot, office, db_path, button):
    screen = SettingsScreen(office, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.header_edits["signer_name"].setText("Nguyễn Văn A")
    screen.policy_boxes["supplement_policy"].setCurrentIndex(
        screen.policy_boxes["supplement_policy"].findData("restart"))
    screen.target_boxes["online_payment"].setValue(60)
    note = saved_while_busy(qtbot, db_path, lambda: click(qtbot, screen, button))
    assert note.startswith("Đang chờ cơ sở dữ liệu…")
    stored = {"Lưu tiêu đề": lambda: settings.get(office, "report_header")["signer_name"],
              "Lưu cách tính": lambda: settings.get(office, "supplement_policy"),
              "Lưu chỉ tiêu của năm": lambda: settings.targets_for_year(
                  office, TODAY.year)["online_payment"]}[button]()
    assert stored == {"Lưu tiêu đề": "Nguyễn Văn A", "Lưu cách tính": "restart",
                      "Lưu chỉ tiêu của năm": 0.6}[button]


def test_a_unit_and_a_calendar_day_wait_for_a_busy_database(qtbot, office, db_path):
    screen = CatalogueScreen(office, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    units = screen.units
    qtbot.keyClicks(units.code, "U9")
    qtbot.keyClicks(units.name, "Xa Tri Le")
    assert saved_while_busy(qtbot, db_path, lambda: click(qtbot, units, "Lưu đơn vị"))
    assert office.execute("SELECT name FROM units WHERE code = 'U9'").fetchone() == ("Xa Tri Le",)

    calendar = screen.calendar
    calendar.date.set_value(dt.date(2025, 6, 14))
    calendar.kind.setCurrentIndex(calendar.kind.findData("workday"))
    saved_while_busy(qtbot, db_path, lambda: click(qtbot, calendar, "Lưu ngày"))
    assert office.execute("SELECT kind FROM calendar WHERE date = '2025-06-14'").fetchall() == [
        ("workday",)]


def test_a_calendar_change_that_recomputes_dossiers_waits_beyond_the_busy_timeout(
        qtbot, office, db_path, monkeypatch):
    """The change runs in a worker with the recomputation; it waits for the other writer for
    longer than SQLite's usual 5 s instead of failing with "bận"."""
    from core import dossiers

    shown = []
    import traceback

    from gui import errors
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(
        "".join(traceback.format_exception(exc))))
    dossiers.create_dossier(office, unit_code="U1", procedure_code="P.WD2",
                            applicant_name="Le Van Cuong", received_at=dt.datetime(2025, 6, 10, 8))
    screen = CatalogueScreen(office, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    calendar = screen.calendar
    calendar.date.set_value(dt.date(2025, 6, 11))
    calendar.kind.setCurrentIndex(calendar.kind.findData("holiday"))
    def stored():
        return office.execute("SELECT kind FROM calendar WHERE date = '2025-06-11'").fetchall()
    writer = long_writer(db_path, 6.5)
    click(qtbot, calendar, "Lưu ngày")
    qtbot.waitUntil(lambda: bool(shown or stored()), timeout=30000)
    writer.wait(10)
    from gui import worker
    worker.wait_all()  # the worker's success callback refreshes the screen: let it run now
    qtbot.wait(200)
    assert shown == [] and stored() == [("holiday",)]
