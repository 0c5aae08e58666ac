"""The dossier register's table model: ids from SQL with the tab, filters, search and sort."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from core.register import (  # noqa: F401  (TABS, RegisterFilter, DUE_SQL: the screens' names)
    DUE_SQL,
    OPEN_SQL,
    ROWS,
    TABS,
    RegisterFilter,
    RegisterLine,
    RegisterQuery,
)
from core.register_search import SearchHits
from core.textnorm import search_words
from core.timefmt import to_db_time, vn_datetime
from core.workbook.lists import REGISTER
from db.schema import STATUSES
from gui.lazymodel import CENTER, Column, LazyTableModel, Row

OVERDUE_BG = QColor("#f8d0cc")
SOON_BG = QColor("#fbe7b5")
CLOSED_FG = QColor("#555555")
COLOURS = {"overdue": (OVERDUE_BG, None), "soon": (SOON_BG, None), "closed": (None, CLOSED_FG)}
LIVE_TABS = ("soon", "overdue")  # tabs read from the live due times
UNIT = 3  # Đơn vị: cut by the parts of its label (gui.fit_columns.ElideStart)
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
    # a row costs its live due time in Python: a page of 100 fills a 1080-px screen twice
    PAGE = 100
    FIRST = 2 * PAGE

    def __init__(self, db, parent=None, now=None):
        super().__init__(db, parent)
        self.filter = RegisterFilter()
        self.query = RegisterQuery(db, now)  # the tabs, filters and lines, shared with Excel
        self.hits = SearchHits(db)
        self._generation = 0  # bumped by `prepare`: the data (or "now") may have changed
        self._counts_key: tuple | None = None
        self._counts: dict[str, int | None] = {}

    @property
    def moment(self):
        return self.query.moment

    @property
    def cal(self):
        return self.query.cal

    @property
    def soon(self):
        return self.query.soon

    @property
    def _live_pending(self) -> list[int]:
        return self.query.live_pending

    # ----- the id query ---------------------------------------------------------------------
    def prepare(self, deferred: bool = False, moment=None) -> None:
        """Take "now" (or `moment`), reload the calendar and recompute the live due times of
        open dossiers, unless they are fresh (`deferred`: see RegisterQuery.prepare)."""
        self.query.prepare(moment, deferred=deferred)
        self._generation += 1

    def finish_live(self, limit: int | None = None) -> bool:
        return self.query.finish_live(limit)

    def _reads_live(self, tab: str) -> bool:
        return tab in LIVE_TABS or self.COLUMNS[self.sort_column].sort_sql == DUE_SQL

    def reload(self) -> None:
        if self._reads_live(self.filter.tab):
            self.finish_live()
        super().reload()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if self._generation == 0:  # the view sets its sort indicator before the first `prepare`
            self.sort_column, self.sort_order = column, order
            return
        super().sort(column, order)

    def where(self, tab: str | None = None) -> tuple[list[str], list]:
        # a list sorted along an index may be walked while a frequent search's hits are found
        self.hits.prepare(search_words(self.filter.search), self._generation,
                          may_walk=self._walkable(), first=self.FIRST)
        return self.query.where(self.filter, tab, hits=self.hits)

    def _walkable(self) -> bool:
        """Can the list be walked in its order: along an indexed column, or by due time with
        nothing asked but the search (the merge along the indexes: `id_query`)?"""
        column = self.COLUMNS[self.sort_column]
        return column.indexed or (column.sort_sql == DUE_SQL and self._search_alone())

    def _search_alone(self) -> bool:
        """Is the search (if any) all the list asks: no tab, filter or fixed list?"""
        return not self.query.where(replace(self.filter, search=""))[0]

    def count_step(self) -> bool:
        """One step of finding a walked search's hits (between paints); True when the count
        is known and the rest of the list is in."""
        if not self.hits.step():
            return False
        self.complete_count()
        return True

    def all_ids(self) -> list[int]:
        self.hits.finish()  # every hit found first: the whole list is read from them
        self.complete_count()
        if not search_words(self.filter.search):
            return super().all_ids()
        # every hit sorted once: cheaper than the due time's merge looking each one up
        sql, params = super().id_query()
        return [r[0] for r in self.db.execute(sql, params)]

    def from_where(self) -> tuple[str, list]:
        clauses, params = self.where()
        hint = ""
        if search_words(self.filter.search) and not self.hits.walking:
            if self.hits.count is not None and not self._hits_drive(clauses):
                clauses = self._led(clauses)
            else:
                # read from the few hits (or, LIKE on every key, one sequential scan), then
                # sort them: better than walking a sort index with a row lookup each
                hint = " NOT INDEXED"
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return f"FROM {ROWS} d{hint}{where}", params

    # ----- the sort by due time, along indexes ---------------------------------------------
    # The due time is computed (the live one of an open dossier, else the stored one), so no
    # index holds it: sorting a million dossiers by it took 3 s. The open dossiers (temp
    # live_due, thousands) are sorted alone; every other dossier's key is its stored due
    # time, which the index dossiers_calc_due(status, calc_due_at) gives in order for each
    # status; SQLite merges the sorted parts (a compound ORDER BY) and stops after a page.
    # A frequent search is tested on each dossier met (walked, then its many hits looked up).
    def _due_merge(self) -> bool:
        if self.COLUMNS[self.sort_column].sort_sql != DUE_SQL or not self._search_alone():
            return False
        if not search_words(self.filter.search):
            return True
        self.where()  # the search's hits prepared (or walked)
        return self.hits.walking or not self.hits.few(self.FIRST)

    def sorted_along_index(self) -> bool:
        return super().sorted_along_index() or self._due_merge()

    def id_query(self, reverse: bool = False) -> tuple[str, list]:
        if not self._due_merge():
            return super().id_query(reverse)
        descending = (self.sort_order == Qt.SortOrder.DescendingOrder) != reverse
        direction = "DESC" if descending else "ASC"
        clauses, params = self.where()  # the search's alone (`_due_merge`), never leading
        found = "".join(f" AND {c}" for c in self._led(clauses))
        arms = ["SELECT l.id, COALESCE(unixepoch(l.due), d.calc_due_at) "
                f"FROM temp.live_due l CROSS JOIN {ROWS} d ON d.id = l.id WHERE 1{found}"]
        arms += [f"SELECT d.id, d.calc_due_at FROM {ROWS} d INDEXED BY dossiers_calc_due "
                 f"WHERE d.status = '{status}' AND +d.id NOT IN (SELECT id FROM temp.live_due)"
                 f"{found}" for status in STATUSES]
        return (" UNION ALL ".join(arms) + f" ORDER BY 2 {direction}, 1 {direction}",
                params * len(arms))

    def _led(self, clauses: list[str]) -> list[str]:
        """The conditions with the search's hits only looked up, never leading the query."""
        driving = self.hits.clause(drive=True)
        return [self.hits.clause(drive=False) if c == driving else c for c in clauses]

    def _hits_drive(self, clauses: list[str]) -> bool:
        return self.hits.drives(len(clauses) > 1, self.COLUMNS[self.sort_column].indexed,
                                self.FIRST)

    def _only_hits(self, tab: str) -> bool:
        """Is the list every hit of the search, nothing else asked?"""
        return self.hits.count is not None and len(self.where(tab)[0]) == 1

    def walks_index(self) -> bool:
        if not search_words(self.filter.search) or self.hits.walking or self._due_merge():
            return True
        return self._only_hits(self.filter.tab) and not self._hits_drive(self.where()[0])

    def count_rows(self) -> int | None:
        if self.hits.walking:
            return None  # known once its hits are found (`count_step`)
        if self._only_hits(self.filter.tab):
            return self.hits.count or 0
        return super().count_rows()

    def count(self, tab: str) -> int:
        if tab in LIVE_TABS:
            self.finish_live()
        if self._only_hits(tab):
            return self.hits.count or 0
        clauses, params = self.where(tab)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return self.db.execute(f"SELECT COUNT(*) FROM {ROWS} d{where}", params).fetchone()[0]

    def tab_counts(self) -> dict[str, int | None]:
        """Every tab's count under the current filters, the shown tab's being the list's own.

        The four narrower tabs hold open dossiers only: two passes over the open dossiers
        count them all, instead of one pass per tab over every row the filters (a search)
        find. Kept until the filters or the data change (`prepare`): switching tabs counts
        nothing again.
        """
        if self.hits.walking:  # a frequent search, walked: the counts come with its hits
            walked: dict[str, int | None] = dict.fromkeys(dict(TABS))
            walked[self.filter.tab] = None if self.count_pending else self.rowCount()
            return walked
        key = (repr(replace(self.filter, tab="")), self._generation, not self._live_pending)
        if self._counts_key != key:
            self._counts, self._counts_key = self._count_tabs(), key
        self._counts[self.filter.tab] = self.rowCount()  # the list is that tab's
        if "all" not in self._counts:
            self._counts["all"] = self.count("all")
        return dict(self._counts)

    def _count_tabs(self) -> dict[str, int | None]:
        """The counts of the open dossiers' tabs; "all" is added when first needed."""
        clauses, params = self.where("all")
        now, soon = to_db_time(self.moment), to_db_time(self.soon)
        # a search finding a few: from its hits; one finding 150,000 (or read with LIKE):
        # from the open dossiers (thousands), its hits only looked up
        few = self.hits.count is not None and self.hits.few(self.FIRST)
        many = bool(search_words(self.filter.search)) and not few
        extra = "".join(f" AND {c}" for c in (self._led(clauses) if many else clauses))
        lead = " INDEXED BY dossiers_calc_due" if many else ""  # (status, due): schema 14
        opened, waiting = self.db.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE d.status = 'supplement') "
            f"FROM {ROWS} d{lead} WHERE {OPEN_SQL}{extra}", params).fetchone()
        # without filters the live table alone answers (its ids are dossiers)
        join = (f" {'CROSS ' if many else ''}JOIN {ROWS} d ON d.id = l.id" if clauses
                else "")
        overdue, due_soon = self.db.execute(
            "SELECT COUNT(*) FILTER (WHERE l.due < ?), "
            "COUNT(*) FILTER (WHERE l.due >= ? AND l.due <= ?) "
            f"FROM temp.live_due l{join} WHERE 1{extra}", [now, now, soon] + params).fetchone()
        if self._live_pending:  # not known yet: said as such, never a wrong figure
            overdue = due_soon = None
        return {"open": opened, "supplement": waiting, "overdue": overdue, "soon": due_soon}

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
        # the names are cut to share the width: the tooltip says them whole (the unit: where
        # the dossier is received and resolved); the unit's cell is cut by its parts
        return Row(cells, sort, background, foreground,
                   tooltip=f"{x.code} — {x.procedure}\n{x.applicant}\n{x.unit}",
                   labels={UNIT: x.unit_label})
