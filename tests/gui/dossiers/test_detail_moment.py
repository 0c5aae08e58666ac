"""The dossier window's header is one moment: its due time and its time left come from one
clock reading (spec 2.3), however the clock moves while the window is built."""
from __future__ import annotations

import datetime as dt

from core import dossiers, kiosk, live_due, timefmt
from core.due import proposed_extension
from gui import widgets
from gui.dossiers.detail import DossierDialog
from tests.gui.clicks import click
from tests.gui.conftest import NOW


def test_a_paused_dossier_is_said_paused_whatever_the_clock_does(qtbot, db, office):
    """A supplement asked a minute before the due time leaves one working minute: the due time
    moves with the clock while the dossier waits. Read once for the due time and again for the
    time left, an hour apart on a loaded PC (or a reading per box built), the header said
    "Quá hạn" of a dossier whose clock stood still."""
    dossier_id, _ = dossiers.create_dossier(db, unit_code="X01", procedure_code="2.000635",
                                            applicant_name="Hà Văn Sơn",
                                            received_at=dt.datetime(2025, 6, 2, 8, 0))
    _, due = live_due.due_of_dossier(db, dossier_id, NOW)
    assert due < NOW
    dossiers.request_supplement(db, dossier_id, reason="Thiếu tờ khai",
                                at=due - dt.timedelta(minutes=1))
    readings = iter(NOW + dt.timedelta(hours=i) for i in range(1000))
    detail = DossierDialog(db, dossier_id, now=lambda: next(readings))
    qtbot.addWidget(detail)
    assert "<b>Tạm dừng tính hạn</b>" in detail.header_label.text()


def test_the_extension_form_offers_a_day_from_one_reading(qtbot, db, office, answer_dialogs):
    """The form's "Hạn trả hiện tại" and its proposed day came from two readings: the paused
    dossier's due time (a working minute after the first) lay before the second, so the day
    offered was counted from the later reading, not from the due time the form showed."""
    dossier_id, _ = dossiers.create_dossier(db, unit_code="X01", procedure_code="2.000635",
                                            applicant_name="Hà Văn Sơn",
                                            received_at=dt.datetime(2025, 6, 2, 8, 0))
    _, due = live_due.due_of_dossier(db, dossier_id, NOW)
    dossiers.request_supplement(db, dossier_id, reason="Thiếu tờ khai",
                                at=due - dt.timedelta(minutes=1))
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    readings = iter(NOW + dt.timedelta(hours=i) for i in range(1000))
    detail._now = lambda: next(readings)
    seen = {}

    def look(dialog):
        seen["current"] = dialog.current_note.text()
        seen["proposed"] = widgets.from_edit(dialog.due_edit)
        dialog.reason_edit.setPlainText("Chờ xác minh")
    answer_dialogs.append(look)
    click(qtbot, detail.action_buttons["extend"])
    cal, shown = live_due.due_of_dossier(db, dossier_id, NOW)  # the first reading's
    assert seen == {"current": timefmt.vn_datetime(shown),
                    "proposed": proposed_extension(cal, shown, NOW)}


def test_the_vote_line_is_read_at_the_headers_moment(qtbot, db, office):
    """«Đánh giá» took its own clock reading after the header's (round 35's «Still open»): on a
    loaded PC it could fall past the kiosk's 15-minute invitation, the line saying «Chưa có»
    of a vote the kiosk was still asking for, beside a header of the moment before. One reading
    a refresh: the header, its time left and that line."""
    dossier_id, _ = dossiers.create_dossier(db, unit_code="X01", procedure_code="2.000635",
                                            applicant_name="Hà Văn Sơn",
                                            received_at=NOW - dt.timedelta(hours=2))
    kiosk.invite(db, dossier_id, at=NOW - dt.timedelta(minutes=1))
    taken: list[dt.datetime] = []

    def clock() -> dt.datetime:  # an hour passes between two readings
        taken.append(NOW + dt.timedelta(hours=len(taken)))
        return taken[-1]
    detail = DossierDialog(db, dossier_id, now=clock)
    qtbot.addWidget(detail)
    waiting = f"Chưa có — đang chờ trên màn hình đánh giá (mời lúc {NOW - dt.timedelta(minutes=1):%H:%M})"
    assert detail.vote_label.text() == waiting
    assert taken == [NOW]
    detail.reload()  # a refresh (a change elsewhere) is one reading too
    assert len(taken) == 2 and detail.vote_label.text() == "Chưa có"
