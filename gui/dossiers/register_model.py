"""The dossier register's table model: ids from SQL with the tab, filters, search and sort."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from core import live_due as livedue
from core import searchkey, timefmt
from core.calendar import WorkCalendar, load_calendar
from core.dossiers import CHANNEL_VI, STATUS_VI
from core.limits import text_limit
from core.moment import open_sql
from core.rules import ProcedureHistory
from core.textnorm import search_words
from db.schema import STATUSES
from gui.dossiers.register_search import SearchHits
from gui.lazymodel import CENTER, Column, LazyTableModel, Row

OVERDUE_BG = QColor("#f8d0cc")
SOON_BG = QColor("#fbe7b5")
CLOSED_FG = QColor("#555555")

TABS = (("all", "Tất cả"), ("open", "Đang giải quyết"), ("soon", "Sắp đến hạn (2 ngày)"),
        ("overdue", "Quá hạn"), ("supplement", "Chờ bổ sung"))
LIVE_TABS = ("soon", "overdue")  # tabs read from the live due times
OPEN_SQL = open_sql("d.")
NAME_MAX, APPLICANT_MAX = text_limit("name"), text_limit("applicant_name")
DUE_SQL = "COALESCE((SELECT l.due FROM temp.live_due l WHERE l.id = d.id), d.calc_due_at)"


@dataclass
class RegisterFilter:
    tab: str = "all"
    search: str = ""
    units: list[str] = field(default_factory=list)  # a unit and its sub-units; empty = all
    procedure: str | None = None
    channel: str | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ids: list[int] | None = None  # a fixed list (the dossiers behind a dashboard figure)


class RegisterModel(LazyTableModel):
    # Indexes (db.schema V1 and V4) serve every sort but the due time, which is computed.
    COLUMNS = (
        Column("Mã hồ sơ", "d.code", indexed=True),
        Column("Thủ tục", ("d.procedure_code", "d.received_at"), indexed=True),
        Column("Người nộp", "d.applicant_name", indexed=True),
        Column("Đơn vị", ("d.unit_code", "d.received_at"), indexed=True),
        Column("Kênh", ("d.channel", "d.received_at"), CENTER, indexed=True),
        Column("Tiếp nhận", "d.received_at", CENTER, indexed=True),
        Column("Hạn trả", DUE_SQL, CENTER),
        Column("Thời gian còn lại", DUE_SQL),
        Column("Trạng thái", "d.status", indexed=True),
    )
    ID_SQL = "d.id"
    DEFAULT_SORT = (5, Qt.SortOrder.DescendingOrder)
    # a row costs its live due time in Python: a page of 100 fills a 1080-px screen twice
    PAGE = 100
    FIRST = 2 * PAGE

    def __init__(self, db, parent=None, now=None):
        super().__init__(db, parent)
        self.filter = RegisterFilter()
        self._now = now or (lambda: timefmt.now())  # looked up late: tests freeze it
        self.cal: WorkCalendar = load_calendar(db)
        self.moment = self._now()
        self.soon = livedue.soon_limit(self.cal, self.moment)
        self.policy = livedue.clerk_policy(db)
        self.hits = SearchHits(db)
        self._generation = 0  # bumped by `prepare`: the data (or "now") may have changed
        self._counts_key: tuple | None = None
        self._counts: dict[str, int | None] = {}
        self._live_pending: list[int] = []

    # ----- the id query ---------------------------------------------------------------------
    def prepare(self, deferred: bool = False) -> None:
        """Take "now", reload the calendar and recompute the live due times of open dossiers.

        `deferred` leaves the due times the rules must compute (waits, extensions: thousands
        at a million dossiers, a third of a second) for `finish_live`, so the first rows are
        drawn before them; whatever reads them (the due-soon and overdue tabs, their counts,
        the sort by due time) completes them first or waits for them.
        """
        self.moment = self._now()
        self.cal = load_calendar(self.db)
        self.policy = livedue.clerk_policy(self.db)
        self.soon = livedue.soon_limit(self.cal, self.moment)
        self._live_pending = livedue.refresh_live_table(self.db, self.cal, self.moment,
                                                        deferred=deferred)
        self._generation += 1

    def finish_live(self, limit: int | None = None) -> bool:
        """Compute (up to `limit` of) the due times a deferred `prepare` left; True when all
        are known."""
        if self._live_pending:
            take = len(self._live_pending) if limit is None else limit
            chunk, self._live_pending = self._live_pending[:take], self._live_pending[take:]
            livedue.update_live(self.db, self.cal, chunk, self.moment)
        return not self._live_pending

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
        f = self.filter
        clauses, params = self._tab_clause(tab or f.tab)
        if f.ids is not None:
            clauses.append("d.id IN (SELECT value FROM json_each(?))")
            params.append("[" + ",".join(str(i) for i in f.ids) + "]")
        words = search_words(f.search)  # every word, any order
        self.hits.prepare(words, self._generation)
        if self.hits.count is None:
            found, values = searchkey.match(words)
            clauses += found
            params += values
        else:
            clauses.append(self.hits.clause(drive=True))
        if f.units:
            clauses.append(f"d.unit_code IN ({livedue.ids_in(f.units)})")
            params.extend(f.units)
        for column, value in (("procedure_code", f.procedure), ("channel", f.channel),
                              ("status", f.status)):
            if value:
                clauses.append(f"d.{column} = ?")
                params.append(value)
        if f.date_from:
            clauses.append("d.received_at >= ?")
            params.append(f.date_from.isoformat())
        if f.date_to:
            clauses.append("d.received_at < ?")
            params.append((f.date_to + dt.timedelta(days=1)).isoformat())
        return clauses, params

    def _tab_clause(self, tab: str) -> tuple[list[str], list]:
        now = timefmt.to_db_time(self.moment)
        if tab == "open":
            return [OPEN_SQL], []
        if tab == "supplement":
            return ["d.status = 'supplement'"], []
        if tab == "overdue":
            return ["d.id IN (SELECT id FROM temp.live_due WHERE due < ?)"], [now]
        if tab == "soon":
            return ["d.id IN (SELECT id FROM temp.live_due WHERE due >= ? AND due <= ?)"], \
                [now, timefmt.to_db_time(self.soon)]
        return [], []

    def from_where(self) -> tuple[str, list]:
        clauses, params = self.where()
        hint = ""
        if search_words(self.filter.search):
            if self.hits.count is not None and not self._hits_drive(clauses):
                clauses = self._led(clauses)
            else:
                # read from the few hits (or, LIKE on every key, one sequential scan), then
                # sort them: better than walking a sort index with a row lookup each
                hint = " NOT INDEXED"
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return f"FROM dossiers d{hint}{where}", params

    # ----- the sort by due time, along indexes ---------------------------------------------
    # The due time is computed (the live one of an open dossier, else the stored one), so no
    # index holds it: sorting a million dossiers by it took 3 s. The open dossiers (temp
    # live_due, thousands) are sorted alone; every other dossier's key is its stored due
    # time, which the index dossiers_calc_due(status, calc_due_at) gives in order for each
    # status; SQLite merges the sorted parts (a compound ORDER BY) and stops after a page.
    def _due_merge(self) -> bool:
        return self.COLUMNS[self.sort_column].sort_sql == DUE_SQL and not self.where()[0]

    def sorted_along_index(self) -> bool:
        return super().sorted_along_index() or self._due_merge()

    def id_query(self, reverse: bool = False) -> tuple[str, list]:
        if not self._due_merge():
            return super().id_query(reverse)
        descending = (self.sort_order == Qt.SortOrder.DescendingOrder) != reverse
        direction = "DESC" if descending else "ASC"
        arms = ["SELECT l.id, COALESCE(l.due, d.calc_due_at) "
                "FROM temp.live_due l CROSS JOIN dossiers d ON d.id = l.id"]
        arms += [f"SELECT d.id, d.calc_due_at FROM dossiers d INDEXED BY dossiers_calc_due "
                 f"WHERE d.status = '{status}' AND +d.id NOT IN (SELECT id FROM temp.live_due)"
                 for status in STATUSES]
        return " UNION ALL ".join(arms) + f" ORDER BY 2 {direction}, 1 {direction}", []

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
        if not search_words(self.filter.search):
            return True
        return self._only_hits(self.filter.tab) and not self._hits_drive(self.where()[0])

    def count_rows(self) -> int:
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
        return self.db.execute(f"SELECT COUNT(*) FROM dossiers d{where}", params).fetchone()[0]

    def tab_counts(self) -> dict[str, int | None]:
        """Every tab's count under the current filters, the shown tab's being the list's own.

        The four narrower tabs hold open dossiers only: two passes over the open dossiers
        count them all, instead of one pass per tab over every row the filters (a search)
        find. Kept until the filters or the data change (`prepare`): switching tabs counts
        nothing again.
        """
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
        now, soon = timefmt.to_db_time(self.moment), timefmt.to_db_time(self.soon)
        # a search finding a few: from its hits; one finding 150,000 (or read with LIKE):
        # from the open dossiers (thousands), its hits only looked up
        few = self.hits.count is not None and self.hits.few(self.FIRST)
        many = bool(search_words(self.filter.search)) and not few
        extra = "".join(f" AND {c}" for c in (self._led(clauses) if many else clauses))
        lead = " INDEXED BY dossiers_status" if many else ""
        opened, waiting = self.db.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE d.status = 'supplement') "
            f"FROM dossiers d{lead} WHERE {OPEN_SQL}{extra}", params).fetchone()
        # without filters the live table alone answers (its ids are dossiers)
        join = (f" {'CROSS ' if many else ''}JOIN dossiers d ON d.id = l.id" if clauses
                else "")
        overdue, due_soon = self.db.execute(
            "SELECT COUNT(*) FILTER (WHERE l.due < ?), "
            "COUNT(*) FILTER (WHERE l.due >= ? AND l.due <= ?) "
            f"FROM temp.live_due l{join} WHERE 1{extra}", [now, now, soon] + params).fetchone()
        if self._live_pending:  # not known yet: said as such, never a wrong figure
            overdue = due_soon = None
        return {"open": opened, "supplement": waiting, "overdue": overdue, "soon": due_soon}

    # ----- rows -----------------------------------------------------------------------------
    # Texts cut to their limits: a name stored before the limits existed may be megabytes long.
    # The register is the receiving desk's list; a dossier resolved elsewhere names that unit.
    ROW_SQL = f"""
    SELECT d.id, d.code, substr(p.name, 1, {NAME_MAX}), substr(d.applicant_name, 1, {APPLICANT_MAX}),
           substr(u.name, 1, {NAME_MAX}) || COALESCE(' (giải quyết: ' || (SELECT substr(c.name, 1,
           {NAME_MAX}) FROM units c WHERE c.code = d.competent_unit_code
           AND c.code <> d.unit_code) || ')', ''), d.channel, d.received_at, d.status,
           d.calc_due_at, d.finished_at, d.extended_due_at, p.limit_value, p.limit_unit,
           p.same_day_cutoff, d.procedure_code
    FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
    JOIN units u ON u.code = d.unit_code WHERE d.id IN ({{marks}})"""

    def load_rows(self, ids: list[int]) -> dict[int, Row]:
        if not ids:
            return {}
        waits = livedue.load_waits(self.db, ids)
        rows = self.db.execute(self.ROW_SQL.format(marks=livedue.ids_in(ids)), ids).fetchall()
        history = ProcedureHistory(self.db)
        return {r[0]: self._row_of(r, waits.get(r[0], []), history) for r in rows}

    def _row_of(self, r, waits, history: ProcedureHistory) -> Row:
        (_, code, procedure, applicant, unit, channel, received, status, calc_due, finished,
         extended, limit_value, limit_unit, cutoff, procedure_code) = r
        due = livedue.dossier_due(self.cal, self.policy, calc_due=calc_due,
                                  limit=history.limit(procedure_code, received,
                                                      (limit_value, limit_unit, cutoff)),
                                  waits=waits, status=status, finished_at=finished,
                                  extended_due_at=extended, now=self.moment, received_at=received)
        cal = self.cal.governing(timefmt.parse_db_time(received))
        left, background, foreground = self._time_left(status, due, finished, cal)
        received_at = timefmt.parse_db_time(received)
        cells = [code, procedure, applicant, unit, CHANNEL_VI.get(channel, channel),
                 timefmt.vn_datetime(received_at), timefmt.vn_datetime(due) if due else "—",
                 left, STATUS_VI.get(status, status)]
        sort = [code, procedure_code, applicant, unit, channel, received,
                timefmt.to_db_time(due) if due else "", timefmt.to_db_time(due) if due else "",
                status]
        # the unit cell is narrow: the tooltip says whole where the dossier is received/resolved
        return Row(cells, sort, background, foreground, tooltip=f"{code} — {procedure}\n{unit}")

    def _time_left(self, status: str, due, finished, cal):
        if status not in livedue.OPEN:
            cls = livedue.finished_class(finished, due)
            return livedue.CLASS_VI.get(cls, ""), None, CLOSED_FG
        if due is None or (status == "supplement" and due >= self.moment):
            return "Chờ bổ sung (tạm dừng)", None, None
        text = livedue.time_left_text(cal, due, self.moment)
        if self.moment > due:
            return text, OVERDUE_BG, None
        if due <= self.soon:
            return text, SOON_BG, None
        return text, None, None
