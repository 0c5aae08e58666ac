"""A wide table of figures fitted to the width it has (Báo cáo's Biểu 06): every figure column
as narrow as its figures and the longest word of its header (the header wraps onto as many lines
as it needs), and the one column of names takes what is left; a name longer than that wraps
onto a second line, its row as tall as its lines (the full name is in its tooltip too).
Elided in the middle, a merged commune listed with its history lost what it says:
"UBND xã Tú Xuyên (đến 30/06…ã Văn Quan) (000.24.27.H37)", neither the day nor the successor.

At 1366 px the columns sized to their one-line headers, with room for the sort arrow, were
1,300 px wide: the four rates a leader signs needed the horizontal scroll bar."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QTableView,
)

from gui.lazymodel import LABEL_ROLE

WRAP = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
LEAST_NAME = 200  # px: below this a unit's name says too little; the table scrolls instead


class OnResize(QObject):
    """Calls `action` whenever `view`'s viewport changes size (a window maximised, a smaller
    screen): the lists that share their width out by a rule of their own."""

    def __init__(self, view, action):
        super().__init__(view)
        self.action = action
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.action()
        return False


class ColumnFitter(QObject):
    """Fits `view`'s columns now and whenever its viewport changes width."""

    def __init__(self, view: QTableView, names: int):
        super().__init__(view)
        self.view, self.names = view, names
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # only past LEAST_NAME's lines
        view.setWordWrap(True)  # the figures never wrap: their columns fit them
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setDefaultAlignment(WRAP)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        view, header = self.view, self.view.horizontalHeader()
        columns = range(header.count())
        widths = {c: self.figure_width(c) for c in columns if c != self.names}
        spare = view.viewport().width() - sum(widths.values())
        wanted = max(view.sizeHintForColumn(self.names), self.header_word(self.names))
        # the names first, whole where the width allows: capped at a share of what is left, at
        # 1366 px a unit read "UBND xã Văn Q…00.41.00.H37)" (neither its name nor its code)
        # while each figure column had 15 px to spare, and at 1920 px still cut. What the names
        # leave widens the figure columns evenly (their headers wrap onto fewer lines)
        widths[self.names] = max(LEAST_NAME, min(wanted, spare))
        extra, rest = divmod(max(0, spare - widths[self.names]), max(1, len(widths) - 1))
        for column in widths:
            widths[column] += extra if column != self.names else rest  # no gap at the right
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setFixedHeight(max(self.header_height(c, widths[c]) for c in columns))

    def padding(self) -> int:
        return 2 * self.view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 4

    def header_text(self, column: int) -> str:
        return str(self.view.model().headerData(column, Qt.Orientation.Horizontal) or "")

    def header_word(self, column: int) -> int:
        metrics = self.view.horizontalHeader().fontMetrics()
        words = self.header_text(column).split() or [""]
        return max(metrics.horizontalAdvance(word) for word in words) + self.padding()

    def figure_width(self, column: int) -> int:
        return max(self.view.sizeHintForColumn(column), self.header_word(column))

    def header_height(self, column: int, width: int) -> int:
        metrics = self.view.horizontalHeader().fontMetrics()
        box = QRect(0, 0, max(1, width - self.padding()), 10_000)
        return metrics.boundingRect(box, int(WRAP), self.header_text(column)).height() + \
            self.padding()


def wrap_rows(table: QTableView, sides: tuple[int, ...], widths: dict[int, int]) -> None:
    """Texts shown whole: the `sides` columns share the spare width and wrap, each row as tall as
    its lines (`widths` fixes the others). Cut to one line at 1366 px, a package conflict's two
    sides hid the reception moment, the very thing a clerk compares."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column, width in widths.items():
        table.setColumnWidth(column, width)
    for column in sides:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


class ElideStart(QStyledItemDelegate):
    """A column of names cut at their start where they share it ("…xã Yên Phúc", "…tại Văn
    Quan" rather than "UBND xã …" on every row). Cut in the middle instead, a 90-px column read
    "UBN… He", "Chi …uan)"; the end also keeps the competent unit ("… (giải quyết: …)").

    A cell whose LABEL_ROLE is a core.labels.UnitLabel is cut by its parts: the whole, cut at
    its start while that keeps the resolving part whole and SHOWN letters of the receiving
    unit; else the label's brief, cut at the name's start behind its mark ("→ …xã Tràng Các").
    Cut as one text, "… UBND xã Yên Phúc)" had lost "(giải quyết:" and kept a stray ")"."""

    SHOWN = 6  # letters of the receiving unit worth keeping before the resolving part

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft
        label = index.data(LABEL_ROLE)
        if label is None or not label.tail or option.rect.isEmpty():  # (a size hint: whole)
            return
        metrics, room = text_room(option)
        left = Qt.TextElideMode.ElideLeft
        if metrics.horizontalAdvance(label.text) <= room:
            return
        cut = metrics.elidedText(label.text, left, room)
        if cut.endswith(label.tail) and len(cut) - len(label.tail) > self.SHOWN:
            option.text = cut
            return
        mark, name = label.brief
        option.text = mark + metrics.elidedText(name, left, room - metrics.horizontalAdvance(mark))


def text_margin(widget) -> int:
    """The margin an item view leaves either side of a cell's text (QCommonStyle's)."""
    style = widget.style() if widget is not None else QApplication.style()
    return style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1


def text_room(option) -> tuple[QFontMetricsF, float]:
    """The metrics of a cell's font and the width its text has: a text cut to fit it is never
    cut again by the view (which measures in fractions of a pixel: one is kept spare)."""
    return (QFontMetricsF(option.font),
            option.rect.width() - 2 * text_margin(option.widget) - 1)


class ElideName(QStyledItemDelegate):
    """A person's name cut by words in its middle ("Nguyễn … Hồng Nhung"): the family name and
    the given name a clerk calls out (and searches for) stay. Cut at its end, a search for "hong
    nhung" showed "Nguyễn Thị …", hiding what it matched."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
        if not option.rect.isEmpty():  # (a size hint: whole)
            option.text = elide_name(*text_room(option), option.text)


def elide_name(metrics: QFontMetricsF, room: float, text: str) -> str:
    if metrics.horizontalAdvance(text) <= room:
        return text
    words = text.split()
    for kept in range(len(words) - 2, 0, -1):  # the words kept after the first
        cut = f"{words[0]} … {' '.join(words[-kept:])}"
        if metrics.horizontalAdvance(cut) <= room:
            return cut
    return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, room)
