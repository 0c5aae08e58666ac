"""A status-bar message of any length: a short text that fits, the whole text in its tooltip.

The status bar draws its message on one line in the room its permanent notes leave, cutting
what does not fit: the start-up history check's finding (every dossier edited behind MotCua's
back, with their fields: hundreds of characters) was cut mid-word and lost its "motcua check"
hint. Here the message is elided to that room, the hint (`tail`) always kept whole, and the whole
text, wrapped to lines a screen can show, is the bar's tooltip while the message stands.

`ElidedLabel` does the same for a note that stays (the database's "CSDL: path"): a path deep in
folders was cut mid-folder, the file's name lost, with no way to read the rest.
"""
from __future__ import annotations

import textwrap

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizeGrip, QStatusBar, QWidget

from gui.shown import tip as shown_tip

TOOLTIP_COLUMNS = 100  # a plain tooltip never wraps by itself: one line as wide as the text
MARGIN = 24
NOTE, FOLLOWS = "motcua_status_note", "motcua_tooltip_follows_message"


def show(window, text: str, timeout: int, tail: str = "") -> None:
    """Show `text` + `tail` in `window`'s status bar for `timeout` ms, elided to fit."""
    bar: QStatusBar = window.statusBar()
    whole = f"{text}{tail}"
    bar.showMessage(whole, timeout)  # hides the bar's ordinary notes: the permanent ones stay
    metrics = bar.fontMetrics()
    room = _room(bar) - metrics.horizontalAdvance(tail)
    short = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 0))
    if short == text:
        return
    _tooltip_follows_the_message(bar)
    bar.setProperty(NOTE, f"{short}{tail}")
    bar.showMessage(f"{short}{tail}", timeout)
    bar.setToolTip(wrapped(whole))


def wrapped(text: str) -> str:
    return "\n".join(textwrap.fill(line, TOOLTIP_COLUMNS) for line in text.splitlines())


def _room(bar: QStatusBar) -> int:
    """The width left of the permanent notes (the ones still shown beside a message); a bar
    not on screen yet (the window opening) has no geometry: half the window's width then."""
    if not bar.isVisible():
        return bar.window().width() // 2
    lefts = [child.geometry().left()
             for child in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
             if child.isVisible() and not isinstance(child, QSizeGrip)]
    return (min(lefts) if lefts else bar.width()) - MARGIN


def _tooltip_follows_the_message(bar: QStatusBar) -> None:
    """Once per bar: the tooltip goes when its message does (timed out, or another shown)."""
    if bar.property(FOLLOWS):
        return
    bar.setProperty(FOLLOWS, True)

    def changed(text: str) -> None:
        if text != bar.property(NOTE):
            bar.setToolTip("")
    bar.messageChanged.connect(changed)


class ElidedLabel(QLabel):
    """A one-line note that takes the room it is given and no more: a text too long is drawn
    elided in the middle (a path keeps its start and its file's name whole), the whole text in its
    tooltip. `text()` is the whole text; `shown()` what is drawn. Its minimum width is a few
    characters, so the text never widens the status bar or the window (a QLabel's minimum is
    its whole text: 2,300 px for a path of 300 characters)."""

    MIN_CHARS = 12

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setToolTip(shown_tip(wrapped(text)) if text else "")  # a path as typed

    def shown(self) -> str:
        """The text as it fits: a path's folders elided in their middle, its file's name kept
        whole (an even cut fell in a long name: '…/th…-mot-cua-xa-tan-lap-2026.db'); a name
        that alone does not fit elided in its middle."""
        metrics, room, text = self.fontMetrics(), max(self.contentsRect().width(), 0), self.text()
        if metrics.horizontalAdvance(text) <= room:
            return text
        cut = max(text.rfind("/"), text.rfind("\\")) + 1
        name, middle = text[cut:], Qt.TextElideMode.ElideMiddle
        if not cut or not name:
            return metrics.elidedText(text, middle, room)
        left = room - metrics.horizontalAdvance(name)
        folders = metrics.elidedText(text[:cut - 1], middle, left - metrics.horizontalAdvance(
            text[cut - 1]))
        if not folders:  # the name alone (with '…/') does not fit
            return metrics.elidedText(name, middle, room)
        return folders + text[cut - 1:]

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * self.MIN_CHARS),
                     hint.height())

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()),
                                  self.palette(), self.isEnabled(), self.shown(),
                                  self.foregroundRole())
        painter.end()
