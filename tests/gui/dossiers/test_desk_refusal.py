"""Mẫu 03 refused at the desk (walk35): headed and signed as the receipt of the same desk, and
the form closes once it is printed (it stayed filled, and closing it asked to drop the typing),
and stays as filled when the preview is closed unprinted (round 36: it closed with the preview)."""
from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLabel

from db import actor
from db import settings as db_settings
from gui.dossiers.intake import IntakeDialog
from tests.gui import previews as previews_shown
from tests.gui.clicks import click
from tests.gui.test_preview import chosen_printer  # noqa: F401
from tests.pdfread import pdf_text

CLERK = actor.Actor("canbo.trangcac", "Mông Hồng Lan", frozenset({"clerk"}))


@pytest.fixture
def clerk_signed_in(monkeypatch):
    monkeypatch.setattr(actor, "_current", CLERK)
    return CLERK


def _refused(qtbot, db, answer_dialogs, previews, unit: str):
    db_settings.put(db, "report_header", dict(db_settings.DEFAULTS["report_header"],
                                              agency="UBND HUYỆN VĂN QUAN", place="Văn Quan"))
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData(unit))
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    qtbot.keyClicks(dialog.name_edit, "Tran Van Duc")  # QTest types ASCII only
    answer_dialogs.append(lambda d: qtbot.keyClicks(d.reason_edit, "Thieu giay to tuy than"))
    click(qtbot, dialog.refuse_button)
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=20000)
    return dialog, " ".join(pdf_text(previews[0].final).split())


def test_a_desk_refusal_is_headed_by_the_receiving_desk_and_signed_by_the_clerk(
        qtbot, db, office, answer_dialogs, previews, clerk_signed_in):
    _, text = _refused(qtbot, db, answer_dialogs, previews, "X02")
    assert "UBND XÃ TRÀNG CÁC" in text  # the desk chosen in the form, as its receipt says
    assert "UBND HUYỆN VĂN QUAN" not in text
    assert "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) Tran Van Duc" in text
    assert text.endswith("NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Mông Hồng Lan")  # named


def test_the_intake_closes_once_the_refusal_is_printed(
        qtbot, db, office, answer_dialogs, previews, clerk_signed_in, message_boxes, tmp_path,
        monkeypatch, chosen_printer):  # noqa: F811
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "in.pdf"))
    chosen_printer(printer)  # the machine has none: "In…" writes a PDF file
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    printed = previews_shown.capture(
        monkeypatch, during=lambda shown: click(qtbot, shown.print_button))  # "In…"
    dialog, _ = _refused(qtbot, db, answer_dialogs, printed, "X02")
    assert printed[0].suggested_name == "tu-choi-tiep-nhan.pdf"
    assert (tmp_path / "in.pdf").stat().st_size > 0
    assert not dialog.isVisible()  # closed by itself: nothing to drop, nothing asked
    assert dialog.created is None and message_boxes == []


def test_a_refusal_closed_unprinted_leaves_the_form_as_filled(
        qtbot, db, office, answer_dialogs, previews, clerk_signed_in, message_boxes):
    """The intake closed with the preview, printed or not: a clerk who closed the preview
    to correct the name had to type the whole request again (round 35's «Still open»)."""
    dialog, _ = _refused(qtbot, db, answer_dialogs, previews, "X02")
    qtbot.wait(50)
    assert dialog.isVisible() and message_boxes == []
    assert dialog.name_edit.text() == "Tran Van Duc"
    assert dialog.procedure["code"] == "1.004227"
    reasons: list[str] = []
    answer_dialogs.append(lambda d: reasons.append(d.reason_edit.toPlainText()))
    click(qtbot, dialog.refuse_button)  # the reason comes back as typed
    qtbot.waitUntil(lambda: len(previews) == 2, timeout=20000)
    assert reasons == ["Thieu giay to tuy than"]
    assert "Thieu giay to tuy than" in pdf_text(previews[1].final)


def test_the_refusal_dialogs_note_spans_the_form(qtbot):
    """The note above the reason starts where the reason's label does: it sat in the fields'
    column beside an empty label, a blank band at the dialog's left (walk35's shot 34)."""
    from gui.dossiers.actions import RefusalDialog
    dialog = RefusalDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    note = dialog.note.mapTo(dialog, dialog.note.rect().topLeft()).x()
    field = dialog.reason_edit.mapTo(dialog, dialog.reason_edit.rect().topLeft()).x()
    label = min(w.mapTo(dialog, w.rect().topLeft()).x() for w in dialog.findChildren(QLabel)
                if w.text() == "Lý do từ chối (*)")
    assert note == label < field
