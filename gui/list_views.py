"""Read-only lists whose rows are chosen whole, one at a time: the screens' table views and
short choice tables."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTableWidget

from gui.empty_list import ListView


def rows_to_choose(view: QTableView) -> None:
    """A read-only list whose rows are chosen one at a time, whole: Tab leaves it (rows are
    chosen with the arrows or a click, never by the focus walking the cells)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()


class ChoiceTable(QTableWidget):
    """A short read-only list (rows_to_choose) whose row only an arrow key or a click chooses:
    the row an action applies to is never guessed from where the focus happened to land."""

    def __init__(self, rows: int, columns: int, parent=None):
        super().__init__(rows, columns, parent)
        rows_to_choose(self)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().focusInEvent(event)
        # Qt makes the first row current when the focus comes by Tab: Space then selected it
        # (in the vote chooser, the citizen's own vote, usually). With no row chosen, nothing
        # is current either.
        if not self.selectionModel().hasSelection():
            self.selectionModel().setCurrentIndex(
                QModelIndex(), self.selectionModel().SelectionFlag.NoUpdate)


def table_view(parent=None) -> ListView:
    """A list as clerks expect it: whole rows selected, no grid clutter, fixed row height; a
    sentence in it when empty, once the screen gives one (gui.empty_list)."""
    view = ListView(parent)
    rows_to_choose(view)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def whole_rows(view, rows: int) -> None:
    """`view` no shorter than its header and `rows` rows, each a line of text and some air: the
    mapping's preview showed 3 of its 5 rows at Qt's 30 px rows on a 1366×728 screen."""
    lines = view.verticalHeader()
    lines.setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setMinimumHeight(view.horizontalHeader().sizeHint().height()
                          + rows * lines.defaultSectionSize() + 2 * view.frameWidth())
