"""The shape every small list follows (Vorta's `views/partials/*_table_model.py` and
`sort_proxy.py`): column constants and a headers tuple in the list's module, `set_rows` inside a
model reset, a sort role that returns raw values (a number sorts as a number, a name without its
diacritics, a missing rate after every rate), and one small proxy that sorts on it.

A list subclasses `RowsModel` and says, per record, what a column shows (`display`) and what it
sorts on (`sort_value`); big lists use gui.lazymodel instead.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView

from gui import shown, widgets

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value a column sorts on
PINNED_ROLE = Qt.ItemDataRole.UserRole + 2  # True for a row that stays last (a total)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NO_PARENT = QModelIndex()


class RowsModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()
    NUMERIC: frozenset[int] = frozenset()  # columns aligned right

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:  # by the one output rule (gui.shown)
            value = self.display(record, column)
            return shown.text(value) if isinstance(value, str) else value
        if role == SORT_ROLE:
            return self.sort_value(record, column)
        if role == PINNED_ROLE:
            return self.pinned(record)
        if role == Qt.ItemDataRole.UserRole:
            return self.record_id(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMERIC:
            return RIGHT
        hint = self.decoration(record, column, role)
        return shown.tip(hint) if role == Qt.ItemDataRole.ToolTipRole and hint else hint

    # what a list says about one record --------------------------------------------------------
    def display(self, record, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, record, column: int):
        raise NotImplementedError

    def record_id(self, record):
        return None

    def pinned(self, record) -> bool:
        return False

    def decoration(self, record, column: int, role):
        """Background, tooltip…: None unless a list colours its cells."""
        return None


def _key(value) -> tuple:
    # a missing value ("—", None) sorts after every value when ascending, never compared to one
    return (value is None, value if value is not None else 0)


class SortProxy(QSortFilterProxyModel):
    """Sorts on SORT_ROLE; a pinned row (the total) stays last whichever way the clerk sorts."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left, right) -> bool:
        left_pinned, right_pinned = bool(left.data(PINNED_ROLE)), bool(right.data(PINNED_ROLE))
        if left_pinned or right_pinned:
            # Qt reverses the comparison for a descending sort: answer so the pin ends last
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return not (left_pinned and right_pinned) and left_pinned == descending
        return _key(left.data(SORT_ROLE)) < _key(right.data(SORT_ROLE))


def sorted_view(model: RowsModel, parent=None) -> QTableView:
    """A table view over `model` through a SortProxy: a header click sorts; until then the rows
    keep the model's own order (units in their tree order, days by date)."""
    proxy = SortProxy(model)
    proxy.setSourceModel(model)
    view = widgets.table_view(parent)
    view.setModel(proxy)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    return view
