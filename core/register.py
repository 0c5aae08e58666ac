"""The register's list (Hồ sơ) without Qt: its tabs and filters as SQL, and each dossier's line —
due time now, time left, state — read the same by the screen (gui.dossiers.register_model) and
its Excel export (core.workbook.lists), so the file holds what the clerk sees."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from core import live_due as livedue
from core import searchkey, timefmt
from core.calendar import WorkCalendar, load_calendar
from core.labels import CHANNEL_VI, STATUS_VI, UnitLabel
from core.limits import text_limit
from core.moment import open_sql
from core.register_search import SearchHits
from core.rules import ProcedureHistory
from core.textnorm import search_words
from core.unit_scope import scope_in, scope_param
from db.moments import to_stored

TABS = (("all", "Tất cả"), ("open", "Đang giải quyết"), ("soon", "Sắp đến hạn (2 ngày)"),
        ("overdue", "Quá hạn"), ("supplement", "Chờ bổ sung"))
OPEN_SQL = open_sql("d.")
NAME_MAX, APPLICANT_MAX = text_limit("name"), text_limit("applicant_name")
# The register's id queries read the rows (db.dossier_rows, alias d): moments as seconds, in
# the order of their texts, along the indexes; `where` gives its bounds in seconds too.
ROWS = "dossier_rows"
DUE_SQL = ("COALESCE((SELECT unixepoch(l.due) FROM temp.live_due l WHERE l.id = d.id), "
           "d.calc_due_at)")
# the time left of a dossier waiting for a supplement (the status beside it says why): the
# register's column was sized by "Chờ bổ sung (tạm dừng)", 172 px at 1366, from the names
PAUSED = "Tạm dừng tính hạn"


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

    def narrows(self) -> bool:
        """True when a tab other than "Tất cả", a search, a filter or a fixed list leaves out
        dossiers: an empty list then says nothing matches, not that there is none yet."""
        return bool(self.tab != "all" or self.search.strip() or self.units or self.procedure
                    or self.channel or self.status or self.date_from or self.date_to
                    or self.ids is not None)

    def only_fixed(self) -> bool:
        """A fixed list (the dossiers behind a figure) and nothing else leaving some out: empty,
        it says no dossier counts in that figure, not that none matches a filter."""
        return self.ids is not None and not replace(self, ids=None).narrows()


@dataclass
class RegisterLine:
    """One dossier as the register shows it; `state` colours the row (overdue, soon, closed)."""
    code: str
    procedure: str
    applicant: str
    unit_label: UnitLabel  # received at, and resolved by when another
    channel: str
    received_at: dt.datetime
    due: dt.datetime | None
    left: str
    status: str
    state: str | None
    procedure_code: str
    received: str  # as stored, for sorting

    @property
    def unit(self) -> str:
        return self.unit_label.text

    @property
    def channel_vi(self) -> str:
        return CHANNEL_VI.get(self.channel, self.channel)

    @property
    def status_vi(self) -> str:
        return STATUS_VI.get(self.status, self.status)


class RegisterQuery:
    """The register at one moment: the calendar, the clerk's policy, "soon" and the live due
    times of open dossiers (temp.live_due of this connection)."""

    def __init__(self, db, now: Callable[[], dt.datetime] | None = None):
        self.db = db
        self._now = now or (lambda: timefmt.now())  # looked up late: tests freeze it
        self.cal: WorkCalendar = load_calendar(db)
        self.moment = self._now()
        self.soon = livedue.soon_limit(self.cal, self.moment)
        self.policy = livedue.clerk_policy(db)
        self.live_pending: list[int] = []

    def prepare(self, moment: dt.datetime | None = None, deferred: bool = False) -> None:
        """Take "now" (or the moment given), reload the calendar and recompute the live due
        times of open dossiers — unless the table holds them for this moment, calendar and
        data already (core.live_due.is_fresh: the dashboard's two lists share one pass).

        `deferred` leaves the due times the rules must compute (waits, extensions: thousands
        at a million dossiers, a third of a second) for `finish_live`, so the window draws the
        first rows before them; whatever reads them (the due-soon and overdue tabs, their
        counts, the sort by due time) completes them first.
        """
        self.moment = moment or self._now()
        self.cal = load_calendar(self.db)
        self.policy = livedue.clerk_policy(self.db)
        self.soon = livedue.soon_limit(self.cal, self.moment)
        self.live_pending = livedue.refresh_live_table(self.db, self.cal, self.moment,
                                                       deferred=deferred)

    def finish_live(self, limit: int | None = None) -> bool:
        """Compute (up to `limit` of) the due times a deferred `prepare` left; True when all
        are known."""
        if self.live_pending:
            take = len(self.live_pending) if limit is None else limit
            chunk = self.live_pending[:take]
            del self.live_pending[:take]  # in place: the status bar shares the list
            livedue.update_live(self.db, self.cal, chunk, self.moment)
        return not self.live_pending

    def where(self, f: RegisterFilter, tab: str | None = None,
              hits: SearchHits | None = None) -> tuple[list[str], list]:
        """The conditions (on `dossier_rows d`: ROWS) of a tab under the filters; `hits`
        (prepared for `f.search`) reads a search from its ids found once (core.register_search)
        instead of every search key, or, while it is walking, from each key met along the
        sort's index."""
        clauses, params = self._tab_clause(tab or f.tab)
        if f.ids is not None:
            clauses.append("d.id IN (SELECT value FROM json_each(?))")
            params.append("[" + ",".join(str(i) for i in f.ids) + "]")
        if hits is not None and hits.count is not None:
            clauses.append(hits.clause(drive=True))
        elif hits is not None and hits.walking:  # each key met along the sort's index tested
            found, words = searchkey.walk_match(self.db.conn, search_words(f.search),
                                                together=hits.together)
            clauses += found
            params += words
        elif hits is not None:  # no hits table (a word too short for the index), not walked:
            # `match`'s rows, its side-by-side question asked once rather than as a sub-query
            found, words = searchkey.walk_match(self.db.conn, search_words(f.search),
                                                narrow=True)
            clauses += found
            params += words
        else:
            found, words = searchkey.match(search_words(f.search))  # every word, any order
            clauses += found
            params += words
        if f.units:
            clauses.append(scope_in("d.unit_code"))
            params.append(scope_param(f.units))
        for column, value in (("procedure_code", f.procedure), ("channel", f.channel),
                              ("status", f.status)):
            if value:
                clauses.append(f"d.{column} = ?")
                params.append(value)
        if f.date_from:
            clauses.append("d.received_at >= ?")
            params.append(to_stored(f"{f.date_from.isoformat()} 00:00:00"))
        if f.date_to:
            clauses.append("d.received_at < ?")
            params.append(to_stored(f"{(f.date_to + dt.timedelta(days=1)).isoformat()} 00:00:00"))
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

    # Texts cut to their limits: a name stored before the limits existed may be megabytes long.
    # The register is the receiving desk's list; a dossier resolved elsewhere names that unit.
    ROW_SQL = f"""
    SELECT d.id, d.code, substr(p.name, 1, {NAME_MAX}), substr(d.applicant_name, 1, {APPLICANT_MAX}),
           substr(u.name, 1, {NAME_MAX}), (SELECT substr(c.name, 1, {NAME_MAX}) FROM units c
           WHERE c.code = d.competent_unit_code AND c.code <> d.unit_code), d.channel,
           d.received_at, d.status,
           d.calc_due_at, d.finished_at, d.extended_due_at, p.limit_value, p.limit_unit,
           p.same_day_cutoff, d.procedure_code
    FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
    JOIN units u ON u.code = d.unit_code WHERE d.id IN ({{marks}})"""

    def lines(self, ids: list[int]) -> dict[int, RegisterLine]:
        if not ids:
            return {}
        waits = livedue.load_waits(self.db, ids)
        rows = self.db.execute(self.ROW_SQL.format(marks=livedue.ids_in(ids)), ids).fetchall()
        history = ProcedureHistory(self.db)
        return {r[0]: self._line(r, waits.get(r[0], []), history) for r in rows}

    def _line(self, r, waits, history: ProcedureHistory) -> RegisterLine:
        (_, code, procedure, applicant, unit, competent, channel, received, status, calc_due,
         finished, extended, limit_value, limit_unit, cutoff, procedure_code) = r
        due = livedue.dossier_due(self.cal, self.policy, calc_due=calc_due,
                                  limit=history.limit(procedure_code, received,
                                                      (limit_value, limit_unit, cutoff)),
                                  waits=waits, status=status, finished_at=finished,
                                  extended_due_at=extended, now=self.moment, received_at=received)
        received_at = timefmt.parse_db_time(received)
        left, state = self._time_left(status, due, finished, self.cal.governing(received_at))
        return RegisterLine(code, procedure, applicant, UnitLabel(unit, competent), channel,
                            received_at, due, left, status, state, procedure_code, received)

    def _time_left(self, status: str, due, finished, cal) -> tuple[str, str | None]:
        text = time_left(status, due, finished, cal, self.moment)
        if status not in livedue.OPEN:
            return text, "closed"
        if due is None or (status == "supplement" and due >= self.moment):
            return text, None
        if self.moment > due:
            return text, "overdue"
        if due <= self.soon:
            return text, "soon"
        return text, None


def time_left(status: str, due: dt.datetime | None, finished, cal: WorkCalendar,
              moment: dt.datetime) -> str:
    """A dossier's time left at `moment` as the register's column and the dossier window's
    header both say it: its class once closed, PAUSED while its clock stands still."""
    if status not in livedue.OPEN:
        cls = livedue.finished_class(finished, due)
        return livedue.CLASS_VI.get(cls, "") if cls else ""
    if due is None or (status == "supplement" and due >= moment):
        return PAUSED
    return livedue.time_left_text(cal, due, moment)
