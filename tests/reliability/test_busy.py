"""Issue 10 §5: a clerk's click and a citizen's vote are never lost to a busy database."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from core import kiosk
from db.connection import BUSY_TIMEOUT_MS
from gui.dossiers.intake import IntakeDialog
from gui.kiosk.window import KioskWindow
from tests.gui.clicks import click
from tests.reliability.helpers import long_writer, small_office


def rows(db, sql: str) -> list[tuple]:
    return [tuple(r) for r in db.execute(sql).fetchall()]


@pytest.fixture
def kiosk_window(qtbot, db, db_path):
    small_office(db)
    window = KioskWindow(db_path, "U1", "Xã An Sơn", thanks_ms=100, poll_ms=200,
                         guard=kiosk.VoteGuard(min_seconds=0))
    qtbot.addWidget(window)
    window.show()
    yield window
    window.shutdown()


def test_a_dossier_and_a_kiosk_vote_wait_for_a_seven_second_writer(qtbot, db, db_path,
                                                                    kiosk_window):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.procedure_edit.set_code("P.WD2")
    qtbot.keyClicks(dialog.name_edit, "Le Van Cuong")
    seen = {}

    def look_at_the_window():
        notes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QProgressDialog) and w.isVisible()]
        seen["note"] = notes[0].labelText() if notes else ""

    def a_citizen_taps():
        qtbot.keyClick(kiosk_window, Qt.Key.Key_2)
        seen["thanked"] = kiosk_window.stack.currentWidget() is kiosk_window.thanks
        seen["queued"] = len(kiosk_window.queue)

    writer = long_writer(db_path, 7)
    started = time.monotonic()
    QTimer.singleShot(300, a_citizen_taps)
    QTimer.singleShot(2000, look_at_the_window)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # returns once saved
    waited = time.monotonic() - started
    writer.wait(10)

    assert waited > BUSY_TIMEOUT_MS / 1000  # longer than the old busy timeout: it did wait
    assert seen["note"].startswith("Đang chờ cơ sở dữ liệu…")
    assert seen["thanked"] and seen["queued"] == 1  # thanked at once; the vote waited
    assert dialog.created and dialog.created[1].startswith("U1-")
    assert rows(db, "SELECT applicant_name FROM dossiers") == [("Le Van Cuong",)]
    qtbot.waitUntil(lambda: len(kiosk_window.queue) == 0, timeout=5000)
    assert rows(db, "SELECT unit_code, rating, source FROM votes") == [("U1", "satisfied", "kiosk")]
    assert rows(db, "SELECT name FROM calendar WHERE date = '2030-01-02'") == [("nhập dữ liệu",)]


def test_giving_up_keeps_the_form_filled(qtbot, db, db_path, monkeypatch):
    from gui import db_wait, errors
    small_office(db)
    monkeypatch.setattr(db_wait, "GIVE_UP_SECONDS", 1)
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc.message))
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.procedure_edit.set_code("P.WD2")
    qtbot.keyClicks(dialog.name_edit, "Le Van Cuong")
    writer = long_writer(db_path, 3)
    click(qtbot, dialog.save_button)
    assert dialog.created is None and dialog.isVisible()
    writer.wait(10)
    assert shown and "Thông tin vừa nhập vẫn còn nguyên" in shown[0]
    assert dialog.name_edit.text() == "Le Van Cuong" and dialog.procedure_edit.code == "P.WD2"
    click(qtbot, dialog.save_button)  # the same form, once the writer is done
    assert dialog.created and not dialog.isVisible()
    assert rows(db, "SELECT applicant_name FROM dossiers") == [("Le Van Cuong",)]


def test_queued_votes_keep_their_order_time_and_reasons(db, db_path):
    small_office(db)
    queue = kiosk.VoteQueue(wait_ms=50)
    first_tap = dt.datetime(2025, 6, 11, 9, 0)
    writer = long_writer(db_path, 1.5)
    first = queue.cast(db, kiosk.PendingVote("U1", "dissatisfied", first_tap))
    queue.add_details(db, first, ["time"], "Chờ lâu")
    queue.cast(db, kiosk.PendingVote("U1", "very_satisfied", first_tap + dt.timedelta(minutes=1)))
    assert len(queue) == 2 and rows(db, "SELECT COUNT(*) FROM votes") == [(0,)]
    writer.wait(10)
    assert queue.flush(db)
    assert rows(db, "SELECT voted_at, rating, reasons, comment FROM votes ORDER BY id") == [
        ("2025-06-11 09:00:00", "dissatisfied", '["time"]', "Chờ lâu"),
        ("2025-06-11 09:01:00", "very_satisfied", None, None)]
