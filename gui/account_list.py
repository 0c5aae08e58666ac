"""The sign-in card's list of accounts (gui.signin): it opens at its top with one account chosen
and in sight, whatever place the previous clerk had scrolled it to (round 39)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget


class AccountList(QListWidget):
    """Each line's login is its UserRole. `open_at` chooses a line without the pick signal and
    keeps it in sight from the top while the card is laid out: the card is filled before the
    window is shown, when the list is still a few pixels high, and a line scrolled to then
    would open the list scrolled down."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._opening = False  # until the clerk scrolls or clicks: every resize shows the top
        self.verticalScrollBar().sliderPressed.connect(self._touched)

    def login_at(self, row: int) -> str:
        return self.item(row).data(Qt.ItemDataRole.UserRole)

    def row_of(self, wanted) -> int | None:
        """The first line whose login `wanted(login)` accepts."""
        return next((row for row in range(self.count()) if wanted(self.login_at(row))), None)

    def open_at(self, row: int) -> None:
        self.blockSignals(True)
        self.setCurrentRow(row)
        self.blockSignals(False)
        self._opening = True
        self._show_from_top()

    def _show_from_top(self) -> None:
        self.scrollToTop()
        if self.currentItem() is not None:
            self.scrollToItem(self.currentItem(), QListWidget.ScrollHint.EnsureVisible)

    def _touched(self) -> None:
        self._opening = False

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._opening:
            self._show_from_top()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._touched()
        super().mousePressEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802
        self._touched()
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        self._touched()
        super().keyPressEvent(event)
