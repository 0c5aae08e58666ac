"""The one table-model shape for every list (Anki's browser, Vorta's table models).

The model holds only row ids; rows are fetched by id in pages of PAGE and kept in a small
cache, so a million-row list opens and scrolls at once. Sorting and filtering happen in SQL.

Two ways to hold the ids, chosen on each reload:
- a short list, or one whose query cannot walk an index in order (a search, a computed sort):
  all ids in an array, one query;
- a longer list sorted on an indexed column (the whole register of a large office): only the
  count and the first FIRST ids; each further page's ids are fetched with LIMIT/OFFSET along
  the index when it is first shown — reading a million ids into Python would take seconds.
  When even the count would cost more than the first rows (a frequent search walked along the
  index, gui.dossiers.register_model), `count_rows` answers None: the list holds its first
  FIRST rows (`count_pending`) until `complete_count` adds the rest.

Subclasses provide:
    COLUMNS            tuple of Column(title, sort_sql, align, indexed)
    ID_SQL             the id expression ("d.id")
    from_where()       -> (sql, params): "FROM … WHERE …" of the current filters
    load_rows(ids)     -> {id: Row}, Row.cells holding the display text per column
"""
from __future__ import annotations

from array import array
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from gui import shown

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_ROLE = Qt.ItemDataRole.UserRole + 3  # what a cell's text is made of (core.labels.UnitLabel)
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


class Column(NamedTuple):
    title: str
    sort_sql: str | tuple | None  # SQL expression(s) to ORDER BY, None = not sortable
    align: Any = LEFT
    indexed: bool = False  # an index serves ORDER BY sort_sql, id: pages may use OFFSET


@dataclass
class Row:
    cells: list[str]
    sort: list[Any] = field(default_factory=list)
    background: QColor | None = None
    foreground: QColor | None = None
    tooltip: str | None = None
    struck: tuple[int, ...] = ()  # columns drawn struck through (a cancelled entry, kept listed)
    labels: dict[int, Any] = field(default_factory=dict)  # LABEL_ROLE of some columns


class LazyTableModel(QAbstractTableModel):
    PAGE = 200
    MAX_PAGES = 40
    FIRST = 2 * PAGE  # ids read by a reload of a list sorted along an index
    COLUMNS: tuple[Column, ...] = ()
    ID_SQL = "id"
    DEFAULT_SORT: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self._ids: array | None = array("q")  # None: windowed (ids fetched per page)
        self._count = 0
        self.count_pending = False  # only the first FIRST rows are in; the count comes later
        self._page_ids: OrderedDict[int, list[int]] = OrderedDict()
        self._pages: OrderedDict[int, dict[int, Row]] = OrderedDict()
        self.sort_column, self.sort_order = self.DEFAULT_SORT

    # ----- to implement ---------------------------------------------------------------------
    def from_where(self) -> tuple[str, list]:
        raise NotImplementedError

    def load_rows(self, ids: list[int]) -> dict[int, Row]:
        raise NotImplementedError

    # ----- loading --------------------------------------------------------------------------
    def order_clause(self, reverse: bool = False) -> str:
        expr = self.COLUMNS[self.sort_column].sort_sql
        descending = (self.sort_order == Qt.SortOrder.DescendingOrder) != reverse
        direction = "DESC" if descending else "ASC"
        # every key and the id tie-breaker in the same direction, so one index serves them all
        keys = (list(expr) if isinstance(expr, tuple) else [expr]) + [self.ID_SQL]
        return ", ".join(f"{key} {direction}" for key in keys)

    def id_query(self, reverse: bool = False) -> tuple[str, list]:
        from_where, params = self.from_where()
        return f"SELECT {self.ID_SQL} {from_where} ORDER BY {self.order_clause(reverse)}", params

    def sorted_along_index(self) -> bool:
        """Does an index give the rows in the sort's order (the column says so)?"""
        return self.COLUMNS[self.sort_column].indexed

    def walks_index(self) -> bool:
        """Can the id query walk an index in the sort's order (and stop after a page)? A
        subclass says no when its filters read every row anyway (a search)."""
        return True

    def count_rows(self) -> int | None:
        """The list's length; a subclass may answer None: not known yet (`complete_count`)."""
        from_where, params = self.from_where()
        return self.db.execute(f"SELECT COUNT(*) {from_where}", params).fetchone()[0]

    def all_ids(self) -> list[int]:
        """Every id of the list in the order shown (what "Xuất Excel" writes)."""
        sql, params = self.id_query()
        return [r[0] for r in self.db.execute(sql, params)]

    def reload(self) -> None:
        """Run the query again (filters or data changed); rows are fetched when shown."""
        sql, params = self.id_query()
        windowed = self.sorted_along_index() and self.walks_index()
        limit = self.FIRST + 1 if windowed else -1
        ids: array | None = array("q", (r[0] for r in self.db.execute(f"{sql} LIMIT {limit}",
                                                                      params)))
        count, page_ids, self.count_pending = len(ids), {}, False
        if windowed and count > self.FIRST:
            # only what is drawn first: the count, and the first pages along the index
            known = self.count_rows()
            # a count not known yet (None): the first pages now, the rest by `complete_count`
            count, self.count_pending = (self.FIRST, True) if known is None else (known, False)
            page_ids = {p: list(ids[p * self.PAGE:(p + 1) * self.PAGE])
                        for p in range(self.FIRST // self.PAGE)}
            ids = None
        self.beginResetModel()
        self._ids, self._count = ids, count
        self._page_ids = OrderedDict(page_ids)
        self._pages.clear()
        self.endResetModel()

    def clear(self) -> None:
        """Show no row, without a query (the screen's filters are wrong, and it says why)."""
        self.beginResetModel()
        self._ids, self._count, self.count_pending = array("q"), 0, False
        self._page_ids.clear()
        self._pages.clear()
        self.endResetModel()

    def complete_count(self) -> None:
        """The count `reload` could not give at once is known now: the rest of the rows."""
        if not self.count_pending:
            return
        count = self.count_rows()
        if count is None:
            return
        self.count_pending = False
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()

    def refresh_rows(self) -> None:
        """Forget fetched rows (their values changed) without re-running the id query."""
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._count - 1, len(self.COLUMNS) - 1))

    def _ids_of_page(self, page: int) -> list[int]:
        if self._ids is not None:
            return list(self._ids[page * self.PAGE:(page + 1) * self.PAGE])
        ids = self._page_ids.get(page)
        if ids is None:
            ids = self._fetch_page(page)
            self._page_ids[page] = ids
            while len(self._page_ids) > 4 * self.MAX_PAGES:
                self._page_ids.popitem(last=False)
        return ids

    def _fetch_page(self, page: int) -> list[int]:
        """One page of a windowed list. The back half is read from its end in the reverse
        order (every order ends with the id, so it is total and reverses exactly): OFFSET
        walks the index, and jumping to the last row costs what the first does."""
        start = page * self.PAGE
        end = min(start + self.PAGE, self._count)
        if start <= self._count // 2:
            sql, params = self.id_query()
            return [r[0] for r in self.db.execute(
                f"{sql} LIMIT {self.PAGE} OFFSET {start}", params)]
        sql, params = self.id_query(reverse=True)
        ids = [r[0] for r in self.db.execute(
            f"{sql} LIMIT {max(end - start, 0)} OFFSET {self._count - end}", params)]
        return ids[::-1]

    def id_at(self, position: int) -> int | None:
        ids = self._ids_of_page(position // self.PAGE)
        offset = position % self.PAGE
        return ids[offset] if offset < len(ids) else None

    def _row(self, position: int) -> Row | None:
        page = position // self.PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self.load_rows(self._ids_of_page(page))
            for row in rows.values():
                _shown(row)
            self._pages[page] = rows
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        record_id = self.id_at(position)
        return rows.get(record_id) if record_id is not None else None  # None: deleted since

    def row_of(self, record_id: int) -> int:
        """Position of a record among the loaded ids, -1 if not (yet) known."""
        if self._ids is not None:
            try:
                return self._ids.index(record_id)
            except ValueError:
                return -1
        for page, ids in self._page_ids.items():
            if record_id in ids:
                return page * self.PAGE + ids.index(record_id)
        return -1

    # ----- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section].title
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._count:
            return None
        column = index.column()
        if role == ID_ROLE:
            return self.id_at(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.COLUMNS[column].align
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole, SORT_ROLE,
                        Qt.ItemDataRole.FontRole, LABEL_ROLE):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == SORT_ROLE:
            return row.sort[column] if row.sort else row.cells[column]
        if role == LABEL_ROLE:
            return row.labels.get(column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(row.background) if row.background is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(row.foreground) if row.foreground is not None else None
        if role == Qt.ItemDataRole.FontRole:
            return _struck_font() if column in row.struck else None
        return row.tooltip

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self.COLUMNS)) or self.COLUMNS[column].sort_sql is None:
            return
        if (column, order) == (self.sort_column, self.sort_order) and self._count:
            return  # the view asks twice (indicator, then sort): query once
        self.sort_column, self.sort_order = column, order
        self.reload()


def _shown(row: Row) -> None:
    """A row's texts by the one output rule (gui.shown), once when its page is read: a value
    stored before the rule (a bidi override in a name) never turns a list's letters around."""
    row.cells = [shown.text(cell) for cell in row.cells]
    if row.tooltip:
        row.tooltip = shown.tip(row.tooltip)  # as typed, a tag too


def _struck_font() -> QFont:
    font = QFont()
    font.setStrikeOut(True)
    return font


class SqlListModel(LazyTableModel):
    """A lazy list whose rows come from ROW_SQL (with `{marks}` for the ids), formatted per column.

    ROW_SQL selects the id first, then one value per column; FORMAT holds a function per
    column turning the raw value into text (None = str, empty for NULL).
    """

    ROW_SQL = ""
    FORMAT: tuple = ()

    def __init__(self, db, parent=None):
        super().__init__(db, parent)
        self.where_sql: list[str] = []
        self.where_params: list = []

    def set_where(self, clauses: list[str], params: list) -> None:
        self.where_sql, self.where_params = clauses, params

    def base_from(self) -> str:
        raise NotImplementedError

    def from_where(self) -> tuple[str, list]:
        where = (" WHERE " + " AND ".join(self.where_sql)) if self.where_sql else ""
        return f"{self.base_from()}{where}", list(self.where_params)

    def load_rows(self, ids: list[int]) -> dict[int, Row]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        out = {}
        for record in self.db.execute(self.ROW_SQL.format(marks=marks), ids):
            values = record[1:]
            cells = []
            for i, value in enumerate(values[:len(self.COLUMNS)]):
                fmt = self.FORMAT[i] if i < len(self.FORMAT) else None
                cells.append("" if value is None else (fmt(value) if fmt else str(value)))
            out[record[0]] = self.decorate(Row(cells, list(values)), values)
        return out

    def decorate(self, row: Row, values) -> Row:
        return row
