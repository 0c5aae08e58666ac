"""Sentences under a table folded into one line: "► 2 đơn vị có số liệu gộp khác dòng riêng —
xem giải thích". A click on the line (or Space/Enter on it) opens the sentences below it and
closes them again; its tooltip holds them too. The sentences are core's words, shown as given:
only the short line is this widget's (core.indicators.coverage.summary says what it counts).

Under Báo cáo's unit table they took 3–5 lines at 1366×728, and 3 of the demo's 11 unit rows
went below the fold."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui import shown

OPEN, CLOSE = "xem giải thích", "thu gọn"


class _Line(QLabel):
    """The one line: a link-style label the whole of which is clickable."""

    def __init__(self, toggle, parent=None):
        super().__init__(parent)
        self._toggle = toggle
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # never wider than the window: a long line is cut, not the window widened
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def mouseReleaseEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self._toggle()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._toggle()
            return
        super().keyPressEvent(event)


class FoldedNote(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = _Line(self.toggle)
        self.line.setStyleSheet("color: #1f3b63;")
        self.details = shown.plain(QLabel())  # notes may quote a package's text
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color: #1f3b63;")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        layout.addWidget(self.line)
        layout.addWidget(self.details)
        self.summary = ""
        self.opened = False  # kept across refreshes: the leader's choice
        self.hide()

    def set_notes(self, summary: str, sentences: list[str]) -> None:
        """The short line and the sentences it folds; nothing shown when there are none."""
        self.summary = summary
        full = "\n".join(sentences)
        self.details.setText(full)
        self.line.setToolTip(shown.tip(full))
        self._render()
        self.setVisible(bool(sentences))

    def text(self) -> str:
        """Every sentence, opened or not (what the tooltip holds)."""
        return self.details.text()

    def toggle(self) -> None:
        self.opened = not self.opened
        self._render()

    def _render(self) -> None:
        action = CLOSE if self.opened else OPEN
        # ► and ▼ are in Arial and Tahoma (an "ⓘ" was a box on a PC without a symbol font)
        mark = "▼" if self.opened else "►"
        self.line.setText(f"{mark} {html.escape(self.summary)} — "
                          f"<span style='color:#0b57d0; text-decoration:underline'>{action}</span>")
        self.details.setVisible(self.opened)
