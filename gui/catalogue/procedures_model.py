"""The procedures list, in the shape every small list follows (Vorta's `*_table_model.py`):
column constants, a headers tuple, `set_rows` inside a model reset, a sort role with raw values,
and a small proxy for the filter box."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from core.calendar import WorkCalendar
from core.due import Limit
from core.explain import ONLINE_VI, limit_text
from core.textnorm import fold
from core.timefmt import vn_money
from db.schema import LIMIT_UNITS

CODE, NAME, LIMIT, FEE, ONLINE = range(5)
LIMIT_USUAL = "20 ngày làm việc (theo lịch)"  # the widest time limit the list shows whole
HEADERS = ("Mã", "Tên thủ tục", "Thời hạn", "Lệ phí", "Trực tuyến")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value a column sorts on
SQL = ("SELECT code, name, limit_value, limit_unit, same_day_cutoff, fee, online_level "
       "FROM procedures ORDER BY code")


class ProceduresModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple] = []
        # the office hours in force today: a same-day cut-off after their end says the hour
        # that counts (core.explain.limit_text)
        self.cal: WorkCalendar | None = None

    def set_rows(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self._rows = [tuple(row) for row in rows]
        self.endResetModel()

    def code_at(self, row: int) -> str:
        return self._rows[row][0]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        code, name, value, unit, cutoff, fee, online = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (code, name, limit_text(Limit(value, unit, cutoff), self.cal), vn_money(fee),
                    ONLINE_VI.get(online, online))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (NAME, LIMIT):
            return name if column == NAME else limit_text(Limit(value, unit, cutoff), self.cal)
        if role == SORT_ROLE:
            limit = (LIMIT_UNITS.index(unit) if unit in LIMIT_UNITS else len(LIMIT_UNITS), value)
            return (code, fold(name), limit, fee, online or "")[column]
        if role == Qt.ItemDataRole.UserRole:
            return code
        if role == Qt.ItemDataRole.TextAlignmentRole and column == FEE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProcedureFilter(QSortFilterProxyModel):
    """Rows whose code and name (without diacritics) hold every word typed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        model = self.sourceModel()
        text = fold(f"{model.index(row, CODE).data()} {model.index(row, NAME).data()}")
        return all(word in text for word in self._words)

    def lessThan(self, left, right) -> bool:
        return left.data(SORT_ROLE) < right.data(SORT_ROLE)
