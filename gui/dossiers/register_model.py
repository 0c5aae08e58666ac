"""The dossier register's table model: ids from SQL with the tab, filters, search and sort."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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
from gui.lazymodel import CENTER, Column, LazyTableModel, Row

OVERDUE_BG = QColor("#f8d0cc")
SOON_BG = QColor("#fbe7b5")
CLOSED_FG = QColor("#555555")

TABS = (("all", "Tất cả"), ("open", "Đang giải quyết"), ("soon", "Sắp đến hạn (2 ngày)"),
        ("overdue", "Quá hạn"), ("supplement", "Chờ bổ sung"))
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

    def __init__(self, db, parent=None, now=None):
        super().__init__(db, parent)
        self.filter = RegisterFilter()
        self._now = now or (lambda: timefmt.now())  # looked up late: tests freeze it
        self.cal: WorkCalendar = load_calendar(db)
        self.moment = self._now()
        self.soon = livedue.soon_limit(self.cal, self.moment)
        self.policy = livedue.clerk_policy(db)

    # ----- the id query ---------------------------------------------------------------------
    def prepare(self) -> None:
        """Take "now", reload the calendar and recompute the live due times of open dossiers."""
        self.moment = self._now()
        self.cal = load_calendar(self.db)
        self.policy = livedue.clerk_policy(self.db)
        self.soon = livedue.soon_limit(self.cal, self.moment)
        livedue.refresh_live_table(self.db, self.cal, self.moment)

    def where(self, tab: str | None = None) -> tuple[list[str], list]:
        f = self.filter
        clauses, params = self._tab_clause(tab or f.tab)
        if f.ids is not None:
            clauses.append("d.id IN (SELECT value FROM json_each(?))")
            params.append("[" + ",".join(str(i) for i in f.ids) + "]")
        found, words = searchkey.match(search_words(f.search))  # every word, any order
        clauses += found
        params += words
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
