"""In-app preview of a PDF document, with Print and Save as.

The dialog shows the draft (every page marked "BẢN NHÁP"); saving and printing use the final
document, so a paper or a file never carries the mark and a preview never passes for a signed
original. Both are laid out from one reading of the figures (a Document's `gather`, the slow
part: indicators over a million dossiers), done once in a worker with progress and Cancel:

    show_pdf_preview(parent, db, Document("Báo cáo tháng 6", lambda db: gather(db, "2025-06"),
                                          render_monthly, "bao-cao-2025-06.pdf"))
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2
import shiboken6
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.errors import MotCuaError
from core.pdf.document import write_atomic
from gui import file_dialogs, widgets, worker

PREVIEW_DPI = 96
PRINT_DPI = 300  # enough for 8 pt table text; the printer may ask for less
NO_PRINTER = ("Máy tính này chưa cài máy in nào. Hãy cài máy in, hoặc bấm “Lưu thành tệp PDF…” "
              "để lưu tài liệu rồi in ở máy khác.")


@dataclass(frozen=True)
class Document:
    """A document to preview: `gather(db)` reads what it shows (runs once, in a worker, on the
    worker's own connection); `render(data, draft)` lays out the draft or the final pages."""
    title: str
    gather: Callable[[Any], Any]
    render: Callable[[Any, bool], bytes]
    suggested_name: str
    note: str = ""  # a warning shown above the pages (e.g. an apology sent late)


def render_pages(data: bytes, dpi: float) -> list[QImage]:
    """Each page of the PDF `data` as an image at `dpi` (white background)."""
    return list(iter_pages(data, dpi))


def iter_pages(data: bytes, dpi: float):
    """The pages of `data` as images one at a time: printing a 1,500-page register at 300 dpi
    must not hold every page (35 MB each) at once."""
    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGRx)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB32)
            image = image.copy()  # detach from PDFium's buffer before it is freed
            bitmap.close()
            page.close()
            yield image
    finally:
        document.close()


def match_paper(data: bytes, printer: QPrinter) -> None:
    """Offer the document's own paper (A5 slips, landscape register) in the print dialog."""
    document = pypdfium2.PdfDocument(data)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    portrait = QSizeF(min(width, height), max(width, height)) * (25.4 / 72)
    size = QPageSize(portrait, QPageSize.Unit.Millimeter, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageSize(size)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                               else QPageLayout.Orientation.Portrait)


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Send every page of `data` to `printer` as an image; returns the number of pages."""
    dpi = min(printer.resolution() or PRINT_DPI, PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise MotCuaError("Không mở được máy in. Hãy kiểm tra máy in rồi thử lại.")
    count = 0
    try:
        for index, image in enumerate(iter_pages(data, dpi)):
            count += 1
            if index:
                printer.newPage()
            target = painter.viewport()
            scale = min(target.width() / image.width(), target.height() / image.height())
            width, height = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF((target.width() - width) / 2, 0, width, height), image)
    finally:
        painter.end()
    return count


class PdfPreviewDialog(QDialog):
    """Pages of a document stacked in a scroll area, with Print, Save as and Close."""

    def __init__(self, parent: QWidget | None, title: str, draft: bytes, final: bytes,
                 suggested_name: str, note: str = ""):
        super().__init__(parent)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #a00000; font-weight: bold;")
        self.note.setVisible(bool(note))
        self.setWindowTitle(f"Xem trước — {title}")
        self.draft, self.final, self.suggested_name = draft, final, suggested_name
        self.issued = False  # True once saved or printed: the final version is shown
        self.pages = QVBoxLayout()
        self.status = QLabel("Bản nháp: chưa lưu, chưa in.")
        self._build_layout()
        self.show_document(self.draft)
        # as wide as its widest page: at 820 px an A4 page (794 px at 96 dpi) hid its right
        # edge behind a sideways scroll bar, on a screen 1366 px wide
        widgets.fit_to_screen(self, max(820, self.widest_page() + self.chrome()), 900)

    def build(self, draft: bool) -> bytes:
        """The draft or the final document (both laid out from the same figures)."""
        return self.draft if draft else self.final

    def _build_layout(self) -> None:
        holder = QWidget()
        holder.setLayout(self.pages)
        self.pages.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = self.scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        self.print_button = QPushButton("In… (Ctrl+P)")
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.save_button = QPushButton("Lưu thành tệp PDF…")
        self.print_button.clicked.connect(lambda: self.print_document())
        self.save_button.clicked.connect(lambda: self.save_document())
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for widget in (self.print_button, self.save_button, self.status):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)

    def show_document(self, data: bytes) -> None:
        while self.pages.count():
            item = self.pages.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for image in render_pages(data, PREVIEW_DPI):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid #999; background: white;")
            self.pages.addWidget(label)

    def widest_page(self) -> int:
        return max((self.pages.itemAt(i).widget().sizeHint().width()
                    for i in range(self.pages.count())), default=0)

    def chrome(self) -> int:
        """The width around a page: the window's and the pages' margins, the scroll area's
        frame and bar."""
        window, pages = self.layout().contentsMargins(), self.pages.contentsMargins()
        return (window.left() + window.right() + pages.left() + pages.right()
                + 2 * self.scroll.frameWidth()
                + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 4)

    @property
    def page_count(self) -> int:
        return self.pages.count()

    def _issued(self, data: bytes, message: str) -> None:
        self.status.setText(message)
        if not self.issued:
            self.issued = True
            self.show_document(data)

    def save_document(self) -> Path | None:
        name = file_dialogs.save_path(self, "Lưu tài liệu PDF", self.suggested_name,
                                      "Tệp PDF (*.pdf)")
        if not name:
            return None
        data = self.final
        try:
            path = write_atomic(name, data)
        except MotCuaError as exc:
            widgets.warn(self, "Không lưu được tệp", exc.message)
            return None
        self._issued(data, f"Đã lưu: {path.name}")
        return path

    def print_document(self, printer: QPrinter | None = None) -> int:
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        if not printer.outputFileName() and not QPrinterInfo.availablePrinterNames():
            # without print-to-file the dialog would offer nothing to print on
            widgets.inform(self, "In tài liệu", NO_PRINTER)
            return 0
        match_paper(self.draft, printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In tài liệu")
        # No "print to file": its "…" browser is Qt's own file dialog, which opens each listed
        # file to guess its type, the open database and its -wal/-shm included, and on Linux
        # that drops SQLite's locks (docs/reliability.md). "Lưu thành tệp PDF…" saves instead.
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        if widgets.exec_once(dialog) != QDialog.DialogCode.Accepted:
            return 0
        data = self.final
        try:
            count = print_pdf(data, printer)
        except MotCuaError as exc:
            widgets.warn(self, "Không in được", exc.message)
            return 0
        self._issued(data, f"Đã gửi {count} trang tới máy in.")
        return count


def show_pdf_preview(parent: QWidget | None, db, document: Document,
                     closed: Callable[[bool], None] | None = None):
    """Gather and lay out `document` in a worker, then open its preview (modal); returns the
    worker (tests wait on it). The clerk may cancel while the figures are read. `closed(issued)`
    once the preview is closed: whether the final version was printed or saved (the desk's
    forms close only then, gui.dossiers.intake); `closed(False)` too once its making failed or
    was cancelled (no preview: the desk's buttons come back, gui.dossiers.desk_forms)."""
    def job(worker_db, progress):
        data = document.gather(worker_db)
        if progress(1, 3) is False:
            raise worker.Cancelled()
        draft = document.render(data, True)
        if progress(2, 3) is False:
            raise worker.Cancelled()
        return draft, document.render(data, False)

    def show(pages: tuple[bytes, bytes]) -> None:
        owner = _visible_window(parent)
        dialog = PdfPreviewDialog(owner, document.title, *pages, document.suggested_name,
                                  document.note)
        widgets.exec_once(dialog)  # (freed later: its answer is still read here)
        if closed is not None:
            closed(dialog.issued)
    # (only then: a job given on_cancel keeps its box, saying it stops, till it has stopped)
    ended = None if closed is None else (lambda *_failure: closed(False))
    return worker.run_in_background(parent, db.path, f"Đang lập {document.title}…", job, show,
                                    notify=False, on_failure=ended, on_cancel=ended)


def _visible_window(widget: QWidget | None) -> QWidget | None:
    """The preview's owner: the window that asked, or the nearest still open above it (the
    intake form closes while its receipt is being made)."""
    while widget is not None and (not shiboken6.isValid(widget) or not widget.isVisible()):
        widget = widget.parentWidget() if shiboken6.isValid(widget) else None
    return widget
