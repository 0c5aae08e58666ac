"""Mẫu 04 of a dossier that waited twice for supplements (spec 2.3, policy pause): the window,
the extension form and the apology agree on the due time the waits moved."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox

from core import dossiers, timefmt
from gui.dossiers.detail import DossierDialog
from tests.gui import previews
from tests.gui.clicks import click
from tests.pdfread import pdf_text

T = dt.datetime


def waited_twice(db) -> int:
    """15 working days from Mon 19/05/2025 08:00: due Mon 09/06 08:00; waits of 3 and 2 working
    days move it to Mon 16/06 08:00 — 2 days 6½ hours after now (Wed 11/06 09:30)."""
    dossier_id, _ = dossiers.create_dossier(
        db, unit_code="X01", procedure_code="1.003003", applicant_name="Vi Văn Toàn",
        received_at=T(2025, 5, 19, 8, 0))
    for start, end in ((T(2025, 5, 20, 8, 0), T(2025, 5, 23, 8, 0)),
                       (T(2025, 5, 26, 8, 0), T(2025, 5, 28, 8, 0))):
        dossiers.request_supplement(db, dossier_id, reason="Thiếu bản vẽ", at=start)
        dossiers.receive_supplement(db, dossier_id, at=end)
    return dossier_id


def test_extension_and_apology_use_the_windows_due_after_two_waits(
        qtbot, db, office, answer_dialogs, message_boxes, monkeypatch, tmp_path):
    detail = DossierDialog(db, waited_twice(db))
    qtbot.addWidget(detail)
    _, due = detail._due()
    assert due == T(2025, 6, 16, 8, 0)
    offered = []

    def reason_only(dialog):
        offered.append(dialog.due_edit.value())
        assert dialog.current_note.text() == "08:00 16/06/2025"  # the window's, with the waits
        qtbot.keyClicks(dialog.reason_edit, "Cho y kien co quan chuyen mon")
    answer_dialogs.append(reason_only)
    message_boxes.answer = QMessageBox.StandardButton.Yes  # "In ngay"
    shown = previews.capture(monkeypatch)
    click(qtbot, detail.action_buttons["extend"])
    assert offered == [T(2025, 6, 19, 8, 0)]  # 3 working days after the window's due
    assert timefmt.parse_db_time(detail.d["extended_due_at"]) == offered[0]
    assert any("In phiếu xin lỗi" in text for _, _, text in message_boxes)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)  # built in a worker
    (apology,) = shown
    # extended 2 days 6½ hours before the due the window showed: no late-notice warning
    assert apology.note == "" and not apology.note_shown
    path = tmp_path / "apology.pdf"
    path.write_bytes(apology.final)
    text = " ".join(pdf_text(path).split())
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 08 giờ 00 phút, ngày 16 tháng 6 năm 2025" \
        in text, text
    assert "08 giờ 00 phút, ngày 19 tháng 6 năm 2025" in text
