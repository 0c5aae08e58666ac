"""The dossier register (sổ theo dõi hồ sơ) from the window: built once in a worker with progress
and Cancel, then previewed a page at a time.

A month of a big office is 1,500 pages or more: the register is drawn page by page
(core.pdf.book.write_book, told after each page and stopped by Cancel) into memory — a few MB,
no file until the clerk saves, so a cancelled build leaves nothing behind — and the preview
renders only the pages on screen. It is built once, without the draft mark: the preview paints
"BẢN NHÁP" over the pages it shows until the register is saved or printed (the other documents
lay out a second, marked copy; for 1,500 pages that would double the wait). The monthly
report is built the same way (`show_built_once`): its layout was a third of its time, twice.
"""
from __future__ import annotations

from collections import OrderedDict

import pypdfium2
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea

from core.pdf.document import DRAFT_TEXT
from gui import preview, widgets, worker

GAP = 12  # pixels between pages
KEPT = 8  # rendered pages kept for scrolling back


class PageView(QAbstractScrollArea):
    """The pages of a PDF stacked vertically; a page is rendered when it first comes into view
    and forgotten when it is far away (a 1,500-page register would take gigabytes).

    The pages are virtual: the viewport paints the ones under the scroll position (a widget
    1,500 pages tall, 1.2 million pixels, is beyond what a window system paints)."""

    def __init__(self, data: bytes, draft_mark: bool, parent=None):
        super().__init__(parent)
        self.document = pypdfium2.PdfDocument(data)
        self.draft_mark = draft_mark
        self.scale = preview.PREVIEW_DPI / 72
        self.sizes = [QSize(round(w * self.scale), round(h * self.scale))
                      for w, h in (self.document.get_page_size(i)
                                   for i in range(len(self.document)))]
        self.tops, top = [], GAP
        for size in self.sizes:
            self.tops.append(top)
            top += size.height() + GAP
        self.content = QSize(max((s.width() for s in self.sizes), default=1) + 2 * GAP, top)
        self._images: OrderedDict[int, QImage] = OrderedDict()
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setSingleStep(40)
        self._ranges()

    def _ranges(self) -> None:
        view = self.viewport().size()
        for bar, extent, seen in ((self.verticalScrollBar(), self.content.height(), view.height()),
                                  (self.horizontalScrollBar(), self.content.width(), view.width())):
            bar.setRange(0, max(0, extent - seen))
            bar.setPageStep(seen)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._ranges()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt's name)
        self.viewport().update()

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    def rendered(self) -> list[int]:
        """The pages held in memory now (the test checks they stay few)."""
        return list(self._images)

    def image(self, index: int) -> QImage:
        if index in self._images:
            self._images.move_to_end(index)
            return self._images[index]
        page = self.document[index]
        bitmap = page.render(scale=self.scale, force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGRx)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_RGB32).copy()  # detach from PDFium's buffer
        bitmap.close()
        page.close()
        self._images[index] = image
        while len(self._images) > KEPT:
            self._images.popitem(last=False)
        return image

    def visible_pages(self, area: QRect) -> list[int]:
        """The pages crossing `area` (in content coordinates)."""
        return [i for i, (top, size) in enumerate(zip(self.tops, self.sizes, strict=False))
                if top < area.bottom() + 1 and top + size.height() > area.top()]

    def page_rect(self, index: int) -> QRect:
        """Where page `index` is drawn in the viewport now."""
        size = self.sizes[index]
        width = max(self.content.width(), self.viewport().width())
        return QRect((width - size.width()) // 2 - self.horizontalScrollBar().value(),
                     self.tops[index] - self.verticalScrollBar().value(),
                     size.width(), size.height())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), self.palette().window())
        if self.document is None:  # closed with its dialog
            painter.end()
            return
        shown = event.rect().translated(self.horizontalScrollBar().value(),
                                        self.verticalScrollBar().value())
        for index in self.visible_pages(shown):
            target = self.page_rect(index)
            painter.drawImage(target, self.image(index))
            painter.setPen(QColor("#999"))
            painter.drawRect(target.adjusted(0, 0, -1, -1))
            if self.draft_mark:
                self._mark(painter, target)
        painter.end()

    def _mark(self, painter: QPainter, target: QRect) -> None:
        """The diagonal "BẢN NHÁP" core.pdf.document prints on a draft, drawn over the page."""
        painter.save()
        font = QFont("Serif")
        font.setBold(True)
        font.setPixelSize(int(min(target.width(), target.height()) / 5.5))
        painter.setFont(font)
        painter.setPen(QColor(191, 26, 26, 56))
        painter.translate(target.center())
        painter.rotate(-(35 if target.height() > target.width() else 20))
        box = QRect(-target.width(), -target.height() // 2, 2 * target.width(), target.height())
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, DRAFT_TEXT)
        painter.restore()

    def close_document(self) -> None:
        self._images.clear()
        if self.document is not None:
            self.document.close()
            self.document = None


class BookPreviewDialog(preview.PdfPreviewDialog):
    """The preview of one register: `draft` and `final` are the same bytes, the mark is painted
    by the view until the register is saved or printed."""

    def __init__(self, parent, title: str, data: bytes, suggested_name: str):
        self.view: PageView | None = None
        super().__init__(parent, title, data, data, suggested_name)

    def show_document(self, data: bytes) -> None:
        view = PageView(data, draft_mark=not self.issued)
        old = self.view or self.findChild(QScrollArea)  # the first time: the base's page list
        if old is not None:
            self.layout().replaceWidget(old, view)
            if isinstance(old, PageView):
                old.close_document()
            old.hide()
            old.deleteLater()
        else:
            self.layout().insertWidget(0, view, 1)
        self.view = view

    @property
    def page_count(self) -> int:
        return self.view.page_count if self.view is not None else 0

    def widest_page(self) -> int:  # its pages are painted by the view, not laid out
        return self.view.content.width() if self.view is not None else 0

    def done(self, result: int) -> None:  # noqa: D401 (Qt's name) — free PDFium's copy on close
        if self.view is not None:
            self.view.close_document()
        super().done(result)


def show_built_once(parent, db, title: str, build, suggested_name: str):
    """Build a document once in a worker, with progress and Cancel, then preview it with the
    draft mark painted (BookPreviewDialog); returns the worker (tests wait on it or cancel it).
    `build(worker_db, progress)` returns the final PDF bytes and honours `progress` returning
    False by raising worker.Cancelled (or InterruptedError)."""
    def show(data: bytes) -> None:
        owner = preview._visible_window(parent)
        widgets.exec_once(BookPreviewDialog(owner, title, data, suggested_name))
    return worker.run_in_background(parent, db.path, f"Đang lập {title}…", build, show,
                                    notify=False)


def show_book(parent, db, first, last, unit: str | None):
    """Build the register of [first, last] (and `unit`'s subtree) in a worker, then preview it;
    returns the worker (tests wait on it or cancel it)."""
    from core.pdf.book import gather, render_book

    def build(worker_db, progress):
        return render_book(gather(worker_db, first, last, unit), worker_db, progress=progress)
    return show_built_once(parent, db, f"Sổ theo dõi hồ sơ {first:%d/%m/%Y} – {last:%d/%m/%Y}",
                           build, f"so-theo-doi-{first:%Y%m%d}-{last:%Y%m%d}.pdf")
