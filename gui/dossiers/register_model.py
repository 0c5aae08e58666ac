"""The dossier register's table model: ids from SQL with the tab, filters, search and sort."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from core.register import (  # noqa: F401  (TABS, RegisterFilter, DUE_SQL: the screens' names)
    DUE_SQL,
    OPEN_SQL,
    TABS,
    RegisterFilter,
    RegisterLine,
    RegisterQuery,
)
from core.textnorm import search_words
from core.timefmt import to_db_time, vn_datetime
from core.workbook.lists import REGISTER
from gui.lazymodel import CENTER, Column, LazyTableModel, Row

OVERDUE_BG = QColor("#f8d0cc")
SOON_BG = QColor("#fbe7b5")
CLOSED_FG = QColor("#555555")
COLOURS = {"overdue": (OVERDUE_BG, None), "soon": (SOON_BG, None), "closed": (None, CLOSED_FG)}
H = REGISTER.headers  # the headers of the screen and of its Excel file (core.workbook.lists)


class RegisterModel(LazyTableModel):
    # Indexes (db.schema V1 and V4) serve every sort but the due time, which is computed.
    COLUMNS = (
        Column(H[0], "d.code", indexed=True),
        Column(H[1], ("d.procedure_code", "d.received_at"), indexed=True),
        Column(H[2], "d.applicant_name", indexed=True),
        Column(H[3], ("d.unit_code", "d.received_at"), indexed=True),
        Column(H[4], ("d.channel", "d.received_at"), CENTER, indexed=True),
        Column(H[5], "d.received_at", CENTER, indexed=True),
        Column(H[6], DUE_SQL, CENTER),
        Column(H[7], DUE_SQL),
        Column(H[8], "d.status", indexed=True),
    )
    ID_SQL = "d.id"
    DEFAULT_SORT = (5, Qt.SortOrder.DescendingOrder)

    def __init__(self, db, parent=None, now=None):
        super().__init__(db, parent)
        self.filter = RegisterFilter()
        self.query = RegisterQuery(db, now)  # the tabs, filters and lines, shared with Excel

    @property
    def moment(self):
        return self.query.moment

    @property
    def cal(self):
        return self.query.cal

    # ----- the id query ---------------------------------------------------------------------
    def prepare(self) -> None:
        """Take "now", reload the calendar and recompute the live due times of open dossiers."""
        self.query.prepare()

    def where(self, tab: str | None = None) -> tuple[list[str], list]:
        return self.query.where(self.filter, tab)

    def from_where(self) -> tuple[str, list]:
        clauses, params = self.where()
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        # A search reads every search key anyway: one sequential scan, then sorting the few
        # hits, beats walking a sort index with a random row lookup per dossier.
        hint = " NOT INDEXED" if search_words(self.filter.search) else ""
        return f"FROM dossiers d{hint}{where}", params

    def count(self, tab: str) -> int:
        clauses, params = self.where(tab)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return self.db.execute(f"SELECT COUNT(*) FROM dossiers d{where}", params).fetchone()[0]

    # ----- rows -----------------------------------------------------------------------------
    def load_rows(self, ids: list[int]) -> dict[int, Row]:
        return {i: self._row_of(line) for i, line in self.query.lines(ids).items()}

    def _row_of(self, x: RegisterLine) -> Row:
        due = vn_datetime(x.due) if x.due else "—"
        cells = [x.code, x.procedure, x.applicant, x.unit, x.channel_vi,
                 vn_datetime(x.received_at), due, x.left, x.status_vi]
        due_key = to_db_time(x.due) if x.due else ""
        sort = [x.code, x.procedure_code, x.applicant, x.unit, x.channel, x.received, due_key,
                due_key, x.status]
        background, foreground = COLOURS.get(x.state or "", (None, None))
        # the unit cell is narrow: the tooltip says whole where the dossier is received/resolved
        return Row(cells, sort, background, foreground,
                   tooltip=f"{x.code} — {x.procedure}\n{x.unit}")
