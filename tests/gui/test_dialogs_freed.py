"""A dialog is freed once the clerk closes it (gui.widgets.exec_once).

A closed dialog left as a hidden child of its window lived until that window closed — for a
screen of the main window, the whole session: a preview held its pages as pixmaps (3.7 MB a
page: every receipt printed from the register, 33 MB a nine-page document), and every intake
form, action form and message box stayed too. Each test opens a dialog from a
screen that stays open, closes it as the clerk does, and looks for it among all widgets.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui import preview
from gui.book_preview import BookPreviewDialog
from gui.dossiers.detail import DossierDialog
from gui.dossiers.intake import IntakeDialog
from gui.dossiers.register_view import RegisterScreen
from tests.gui.clicks import click


def alive(kind) -> list:
    """The widgets of `kind` still in memory once deferred deletions have run."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return [w for w in QApplication.allWidgets() if isinstance(w, kind)]


def close_with_escape(qtbot, seen: list, kind: type | None = None) -> None:
    """Press Esc in the modal dialog once it shows (as the clerk closes a preview or form).
    `kind`: the dialog awaited; another modal one met first (the worker's progress window, shown
    when the document takes long on a loaded machine) is left alone, not cancelled."""
    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (kind is not None and not isinstance(dialog, kind)):
            QTimer.singleShot(20, look)
            return
        seen.append(type(dialog).__name__)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    QTimer.singleShot(20, look)


def test_a_closed_preview_of_the_monthly_report_is_freed(qtbot, reports):
    seen: list = []
    for _ in range(2):
        close_with_escape(qtbot, seen, BookPreviewDialog)
        qtbot.mouseClick(reports.buttons["monthly"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(seen) == 1 and QApplication.activeModalWidget() is None,
                        timeout=30000)
        assert seen.pop() == "BookPreviewDialog"
        assert alive(preview.QDialog) == []  # the preview and every dialog it opened


def test_a_closed_receipt_preview_and_intake_form_are_freed(qtbot, db, office, monkeypatch):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()
    seen: list = []

    def fill_and_print() -> None:  # the intake form: a dossier typed in, "Lưu và in phiếu"
        intake = QApplication.activeModalWidget()
        if not isinstance(intake, IntakeDialog):
            QTimer.singleShot(20, fill_and_print)
            return
        intake.unit_box.setCurrentIndex(intake.unit_box.findData("X01"))
        intake.procedure_edit.set_code("1.004227")
        intake.name_edit.setText("Vũ Đức Nam")
        close_with_escape(qtbot, seen, preview.PdfPreviewDialog)  # the receipt's preview
        click(qtbot, intake.print_button)
    QTimer.singleShot(20, fill_and_print)
    click(qtbot, screen.new_button)
    qtbot.waitUntil(lambda: seen == ["PdfPreviewDialog"]
                    and QApplication.activeModalWidget() is None, timeout=30000)
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_name = 'Vũ Đức Nam'"
                      ).fetchone()[0] == 1
    assert alive(preview.PdfPreviewDialog) == []
    assert alive(IntakeDialog) == []


def test_a_cancelled_action_form_is_freed(qtbot, db, office, answer_dialogs):
    detail = DossierDialog(db, office["Đồng Văn Giáp"])
    qtbot.addWidget(detail)
    detail.show()
    forms_before = len(alive(preview.QDialog))
    click(qtbot, detail.action_buttons["extend"])  # no answer: the clerk cancels the form
    assert detail.isVisible()
    assert len(alive(preview.QDialog)) == forms_before  # only the dossier's window is left
