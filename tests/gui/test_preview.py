"""The PDF preview dialog: draft on screen, final version to file and printer."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from core.pdf.slips import build_receipt
from gui import file_dialogs, preview, widgets
from tests.core.pdf import sample
from tests.gui import previews as previews_shown
from tests.gui.clicks import click
from tests.pdfread import page_sizes, page_texts_pdfium


@pytest.fixture
def builder(db):
    sample.catalogue_only(db)
    sample.add_dossier(db, "X01-261005-0001", "X01", dt.datetime(2026, 10, 5, 8, 0))
    calls = []

    def build(draft: bool) -> bytes:
        calls.append(draft)
        return build_receipt(db, "X01-261005-0001", draft=draft)
    build.calls = calls
    return build


@pytest.fixture
def dialog(qtbot, builder):
    widget = preview.PdfPreviewDialog(None, "Giấy tiếp nhận", builder(True), builder(False),
                                      "giay-tiep-nhan.pdf")
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def chosen_printer(monkeypatch):
    """`chosen_printer(p)`: "In…" makes its own QPrinter; the test hands it `p` instead, the
    printer the print dialog would end on (the test machine has none: p writes a PDF file)."""
    def choose(printer: QPrinter) -> None:
        class Chosen:
            PrinterMode = QPrinter.PrinterMode

            def __new__(cls, *args):
                return printer
        monkeypatch.setattr(preview, "QPrinter", Chosen)
    return choose


def test_preview_shows_the_draft_pages(dialog, builder):
    assert builder.calls == [True, False]
    assert dialog.page_count == 1
    assert "Bản nháp" in dialog.status.text()
    pixmap = dialog.pages.itemAt(0).widget().pixmap()
    assert pixmap.width() > 400 and pixmap.height() > 600  # A5 at 96 dpi: 559 × 794


def test_rendered_draft_differs_from_final(builder):
    draft = preview.render_pages(builder(True), 40)[0]
    final = preview.render_pages(builder(False), 40)[0]
    assert draft.size() == final.size() and draft != final


def test_save_as_writes_the_final_version(qtbot, dialog, builder, tmp_path, monkeypatch):
    target = tmp_path / "phieu"
    monkeypatch.setattr(file_dialogs, "save_file_name",
                        lambda *a, **k: str(target))
    click(qtbot, dialog.save_button)
    path = tmp_path / "phieu.pdf"
    assert path.exists()
    assert builder.calls == [True, False]  # nothing built again: the final was made with the draft
    assert not any("BẢN NHÁP" in page for page in page_texts_pdfium(path))
    assert "Đã lưu" in dialog.status.text() and dialog.issued


def test_save_to_a_missing_folder_warns_and_writes_nothing(qtbot, dialog, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(file_dialogs, "save_file_name",
                        lambda *a, **k: str(tmp_path / "khong-co" / "x.pdf"))
    monkeypatch.setattr(widgets, "warn", lambda parent, title, text: warnings.append(text))
    click(qtbot, dialog.save_button)
    assert not (tmp_path / "khong-co").exists()
    assert warnings and "không tồn tại" in warnings[0]
    assert not dialog.issued


def test_print_sends_every_page_of_the_final_version(qtbot, dialog, builder, tmp_path, monkeypatch,
                                                     chosen_printer):
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    chosen_printer(printer)
    click(qtbot, dialog.print_button)
    assert builder.calls == [True, False]
    sizes = page_sizes(out)
    assert len(sizes) == 1
    assert abs(sizes[0][0] - 419.528) < 1 and abs(sizes[0][1] - 595.276) < 1  # the slip's A5
    assert "Đã gửi 1 trang" in dialog.status.text()


def test_cancelled_print_dialog_prints_nothing(qtbot, dialog, builder, monkeypatch, tmp_path,
                                              chosen_printer):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    printer = QPrinter()
    printer.setOutputFileName(str(tmp_path / "x.pdf"))  # as if a printer were there
    chosen_printer(printer)
    click(qtbot, dialog.print_button)
    assert not (tmp_path / "x.pdf").exists()
    assert builder.calls == [True, False] and not dialog.issued


def test_print_dialog_offers_landscape_a4_for_the_register(db):
    from PySide6.QtGui import QPageLayout, QPageSize

    from core.pdf.book import build_book

    sample.catalogue_only(db)
    printer = QPrinter()
    preview.match_paper(build_book(db, dt.date(2026, 1, 1), dt.date(2026, 1, 31)), printer)
    layout = printer.pageLayout()
    assert layout.orientation() == QPageLayout.Orientation.Landscape
    assert layout.pageSize().id() == QPageSize.PageSizeId.A4


@pytest.fixture
def opened(monkeypatch):
    """Previews opened by show_pdf_preview (exec() returns at once)."""
    return previews_shown.capture(monkeypatch)


def test_the_figures_are_read_once_in_a_worker_for_draft_save_and_print(
        qtbot, db, tmp_path, monkeypatch, chosen_printer):
    sample.catalogue_only(db)
    sample.add_dossier(db, "X01-261005-0001", "X01", dt.datetime(2026, 10, 5, 8, 0))
    reads, statuses = [], []

    def gather(worker_db):
        reads.append(threading.current_thread() is threading.main_thread())
        return "X01-261005-0001"
    document = preview.Document("Giấy tiếp nhận", gather,
                                lambda code, draft: build_receipt(db, code, draft=draft), "x.pdf")
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(tmp_path / "x.pdf"))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    chosen_printer(printer)

    def save_then_print(dialog):  # while the preview is open, as the clerk does
        click(qtbot, dialog.save_button)
        statuses.append((tmp_path / "x.pdf").exists())
        click(qtbot, dialog.print_button)
        statuses.append(dialog.status.text())
    opened = previews_shown.capture(monkeypatch, during=save_then_print)
    preview.show_pdf_preview(None, db, document)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert statuses[0] is True and "Đã gửi 1 trang" in statuses[1]
    assert reads == [False]  # once, off the GUI thread


def test_cancelling_while_the_figures_are_read_opens_nothing(qtbot, db, opened):
    started, go_on = threading.Event(), threading.Event()

    def gather(worker_db):
        started.set()
        go_on.wait(10)
        return None
    document = preview.Document("Báo cáo", gather, lambda data, draft: b"", "x.pdf")
    job = preview.show_pdf_preview(None, db, document)
    assert started.wait(10)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.cancel()  # what the progress dialog's Cancel button does
        go_on.set()
    assert opened == []


def test_the_print_dialog_offers_no_file_browser(qtbot, dialog, monkeypatch, chosen_printer):
    """Issue 10 §1: "print to file" browses with Qt's own file dialog, which opens the files it
    lists (the database's -wal and -shm too) and on Linux drops SQLite's locks. It is not offered;
    "Lưu thành tệp PDF…" saves through gui.file_dialogs instead."""
    seen = []

    def look(self):
        seen.append(self.testOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile))
        return QDialog.DialogCode.Rejected
    monkeypatch.setattr(QPrintDialog, "exec", look)
    printer = QPrinter()
    printer.setOutputFileName("x.pdf")  # as if a printer were there
    chosen_printer(printer)
    click(qtbot, dialog.print_button)
    assert seen == [False]


def test_without_a_printer_the_clerk_is_told_to_save_a_pdf(qtbot, dialog, message_boxes,
                                                           monkeypatch):
    from PySide6.QtPrintSupport import QPrinterInfo
    monkeypatch.setattr(QPrinterInfo, "availablePrinterNames", staticmethod(lambda: []))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: pytest.fail("an empty print dialog"))
    click(qtbot, dialog.print_button)
    assert "Lưu thành tệp PDF…" in message_boxes[-1][2] and not dialog.issued


def test_the_preview_fits_its_screen_and_prints_with_ctrl_p(qtbot, dialog, monkeypatch):
    """Issue 14 §2: a 900 px preview hid "In…" and "Đóng" under a 1366×768 PC's taskbar."""
    area = dialog.screen().availableGeometry()
    assert dialog.width() <= area.width() and dialog.height() <= area.height()
    asked = []
    monkeypatch.setattr(preview.PdfPreviewDialog, "print_document",
                        lambda self, printer=None: asked.append(True) or 0)
    assert dialog.print_button.shortcut().toString() == "Ctrl+P"
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert asked == [True]


def test_an_a4_page_is_seen_whole_without_scrolling_sideways(qtbot):
    """The monthly report's A4 page (794 px at 96 dpi) in an 820-px preview hid its right edge
    behind a sideways scroll bar on the office's 1366-px screen."""
    page = a4_page()
    widget = preview.PdfPreviewDialog(None, "Báo cáo tháng", page, page, "bao-cao.pdf")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    area = widget.screen().availableGeometry()
    assert widget.width() <= area.width()
    from PySide6.QtWidgets import QScrollArea
    scroll = widget.findChild(QScrollArea)
    qtbot.waitUntil(lambda: scroll.horizontalScrollBar().maximum() == 0, timeout=2000)
    assert scroll.viewport().width() >= widget.pages.itemAt(0).widget().pixmap().width()


def test_the_monthly_reports_a4_page_is_seen_whole_without_scrolling_sideways(qtbot):
    # the monthly report and the register are previewed by BookPreviewDialog's own page view
    from gui.book_preview import BookPreviewDialog
    widget = BookPreviewDialog(None, "Báo cáo tháng", a4_page(), "bao-cao.pdf")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.width() <= widget.screen().availableGeometry().width()
    qtbot.waitUntil(lambda: widget.view.horizontalScrollBar().maximum() == 0, timeout=2000)


def a4_page() -> bytes:
    """One portrait A4 page (the monthly report's size) as a PDF."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(
        [Paragraph("Muc tieu " * 20, getSampleStyleSheet()["Normal"])])
    return out.getvalue()
