"""The due time a clerk sees now, and "Còn 2 ngày 3 giờ" / "Quá hạn 1 ngày" in working time.

The stored `calc_due_at` is the due time of spec 2.2. A clerk needs the effective due time of
spec 2.3 (moved by supplement waits, or the extension when the office reports on it), evaluated
now: the same rule the dashboard uses, so a dossier the register shows as overdue is one the
dashboard counts as overdue. Open dossiers are few even in a large database, so their live due
times are kept in a temporary table of the GUI's connection, which lets the register filter and
sort them in SQL. Plain logic, no Qt: the register, the dossier page and the status bar use it,
and the due time itself comes from core.moment like every figure's.
"""
from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

from core import labels, timefmt
from core.calendar import WorkCalendar
from core.due import DAY_HOURS, Limit, Policy, Wait, classify_finished
from core.moment import OPEN, effective_stored, limit_of, load_waits, open_sql  # noqa: F401
from core.rules import ProcedureHistory
from db import settings
from db.batches import in_chunks, marks

SOON_DAYS = 2  # "due within 2 working days" (issue 4)
CLASS_VI = labels.CLASS_VI


def clerk_policy(db) -> Policy:
    return Policy(settings.get(db, "supplement_policy"), settings.get(db, "due_basis"))


def _t(text: str | None) -> dt.datetime | None:
    return timefmt.parse_db_time(text) if text else None


def dossier_due(cal: WorkCalendar, policy: Policy, *, calc_due: str, limit: Limit,
                waits: list[Wait], status: str, finished_at: str | None,
                extended_due_at: str | None, now: dt.datetime,
                received_at: str) -> dt.datetime | None:
    """Effective due time: evaluated now for an open dossier, at its finish for a closed one.

    None while the clock is stopped (a wait still open under the `restart` policy). The office
    hours of the reception day count the waits (spec 2.1).
    """
    finished = _t(finished_at) if status not in OPEN else None
    due = timefmt.parse_db_time(calc_due)
    return effective_stored(cal, received_at=timefmt.parse_db_time(received_at), due=due, limit=limit,
                            waits=waits, finished_at=finished,
                            extended_due_at=_t(extended_due_at), policy=policy,
                            moment=None if finished else now)


def due_of_dossier(db, dossier_id: int, now: dt.datetime, *, before_extension: bool = False,
                   cal: WorkCalendar | None = None) -> tuple[WorkCalendar, dt.datetime | None]:
    """The due time of one dossier as the dossier window shows it, under the office's policy
    (spec 2.3), with the calendar governing it: the one answer of the window, the extension
    dialog, the control sheet and the apology (Mẫu 04).

    `before_extension` gives the due time the extension moved, evaluated at `now` (its
    extension time): the supplement waits begun before it count, the extension does not.
    `cal`: the database's calendar already loaded (core.calendar.load_calendar), by a caller
    asking for many dossiers (an import: loading it is 15 ms, the rest under 1 ms).
    The apology printed the stored 2.2 due time instead, hours or days before the one the
    window showed after waits, and warned of a late notice that was not late."""
    from core.calendar import load_calendar
    from core.rules import procedure_rule_at

    calc, status, finished, extended, received, code = db.execute(
        "SELECT calc_due_at, status, finished_at, extended_due_at, received_at, procedure_code "
        "FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
    received_at = timefmt.parse_db_time(received)
    cal = (cal or load_calendar(db)).governing(received_at)
    rule = procedure_rule_at(db, code, received_at)
    if rule is None:  # the dossier's procedure is in the catalogue (foreign key): never None
        raise LookupError(f"procedure {code} has no rule")
    waits = load_waits(db, [dossier_id]).get(dossier_id, [])
    if before_extension:
        status, extended = "processing", None  # open at its extension (only an open one extends)
    due = dossier_due(cal, clerk_policy(db), calc_due=calc, limit=rule.limit(), waits=waits,
                      status=status, finished_at=finished, extended_due_at=extended, now=now,
                      received_at=received)
    return cal, due


def extension_previous(db, dossier_id: int, at: dt.datetime,
                       cal: WorkCalendar | None = None) -> str:
    """What an extension made at `at` records as the due time it moved (`previous_due_at`):
    the due time as the window showed it then — the supplement waits begun before `at` counted
    under the office's policy (spec 2.3), the extension not (`due_of_dossier`'s
    `before_extension`, which the apology reads again) — or, while the clock stops (an open
    wait under `restart`), the dossier's 2.2 due time. The one rule of `extend()` and of an
    extension an import brings (core.transfer.dossier_writer): the import stored the 2.2 due
    time before the waits, hours or days before the "hạn cũ" the apology printed."""
    moved = due_of_dossier(db, dossier_id, at, before_extension=True, cal=cal)[1]
    if moved is not None:
        return timefmt.to_db_time(moved)
    return db.execute("SELECT COALESCE(due_at, calc_due_at) FROM dossiers WHERE id = ?",
                      [dossier_id]).fetchone()[0]


def imported_extension_at(received_at: str, finished_at: str | None, new_due_at: str,
                          recorded_at: str, dated: str | None = None) -> str:
    """When an extension a file brings (`extended_due_at`, `NgayHenTraMoi`) was made: the
    latest moment the file allows, since no file format gives the extension's own time. An
    extension is made while the dossier is open (so no later than its `finished_at`), promises
    a moment still ahead (`extend()` refuses a new due time not after the extension: so no later
    than `new_due_at`), and was in the file by the import (`recorded_at`); and not before the
    reception. This moment is the extension's `extended_at`, which `--as-of` reads like an
    extension made at the counter (core.indicators.asof.extended_later, the one rule); the
    import's event keeps its own recording time. The import dated it at the import: `--as-of`
    a past moment showed the dossier without the extension the file said was made then.
    A later file never dates it later than it was (`dated`, by an earlier file), nor before
    the reception it says. Moments as stored (`YYYY-MM-DD HH:MM:SS`), which order as text."""
    latest = min(m for m in (finished_at, new_due_at, recorded_at, dated) if m)
    return max(received_at, latest)


def refuse_not_later(db, dossier_id: int, new_due_at: dt.datetime,
                     at: dt.datetime) -> dt.datetime | None:
    """The due time an extension at `at` moves (as the window shows it: moved by the supplement
    waits, spec 2.3; None while the clock stops), or FieldError when `new_due_at` is not after
    it — not only after the stored 2.2 due time before the waits."""
    from core.errors import FieldError

    current = due_of_dossier(db, dossier_id, at)[1]
    if current is not None and new_due_at <= current:
        raise FieldError("new_due_at", "Hạn mới phải sau hạn trả kết quả hiện tại "
                         f"({timefmt.vn_datetime(current)}).")
    return current


def finished_class(finished_at: str | None, due: dt.datetime | None) -> str | None:
    if not finished_at or due is None:
        return None
    return classify_finished(timefmt.parse_db_time(finished_at), due)


def span_text(seconds: int) -> str:
    """Working seconds as "2 ngày 3 giờ" (a day is 8 working hours, spec 2.2)."""
    days, rest = divmod(int(seconds), DAY_HOURS * 3600)
    hours, rest = divmod(rest, 3600)
    parts = []
    if days:
        parts.append(f"{days} ngày")
    if hours:
        parts.append(f"{hours} giờ")
    if not parts:
        parts.append(f"{max(rest // 60, 1)} phút")
    return " ".join(parts)


def overdue_span(cal: WorkCalendar, due: dt.datetime, now: dt.datetime) -> str | None:
    """How long past `due` a dossier is at `now`, in working time: "2 ngày", "1 ngày 7 giờ",
    "25 phút" (whole working days of 8 hours, spec 2.2, then hours); None under a minute
    (overdue since 17:00, evaluated at 24:00). The one rule of the register's column, the
    dossier window, their Excel file and the monthly report's section V: the report counted
    the days begun, so a dossier due at 16:29 on Thursday was «3» days overdue at the end of
    Monday (16 h 31 min of working time) where the register said "Quá hạn 2 ngày"."""
    late = cal.working_seconds(due, now)
    return span_text(late) if late >= 60 else None


def time_left_text(cal: WorkCalendar, due: dt.datetime, now: dt.datetime) -> str:
    if now <= due:
        return "Còn " + span_text(cal.working_seconds(now, due))
    late = overdue_span(cal, due, now)
    return f"Quá hạn {late}" if late else "Quá hạn"


def soon_limit(cal: WorkCalendar, now: dt.datetime) -> dt.datetime:
    """The end of "due within 2 working days" counted from now, in today's office hours."""
    cal = cal.governing(now)
    return cal.add(cal.session_start_from(now), SOON_DAYS * DAY_HOURS * 3600)


# ----- the temporary table of live due times for open dossiers ------------------------------
LIVE_TABLE = "temp.live_due"


@dataclass
class LiveTable:
    """What temp.live_due of one connection holds: due times as at `moment`, with `cal`; the
    ids whose due time is still to compute (`pending`, one list shared by whoever completes
    it: the register and the status bar never compute them twice); the data it was filled
    from (`version`, `data_version`; None: never reused)."""
    moment: dt.datetime | None = None
    cal: WorkCalendar | None = None
    pending: list[int] = field(default_factory=list)
    version: tuple[int, int] | None = None


_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def live_table(db) -> LiveTable:
    """The state of this connection's temp.live_due (a new one: never filled)."""
    table = _TABLES.get(db.conn)
    if table is None:
        table = _TABLES[db.conn] = LiveTable()
    return table


def data_version(db) -> tuple[int, int]:
    """What moves whenever the data a due time is computed from may have changed: the rows
    this connection wrote (`total_changes`, any table, autocommit or not, even rolled back)
    and the commits of every other connection (`PRAGMA data_version`: a worker's import, another
    program on the file). Both only grow: an equal pair is the same data."""
    conn = db.conn
    return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]


def is_fresh(db, cal: WorkCalendar | None, now: dt.datetime, max_age: int = 0) -> bool:
    """Does temp.live_due already hold the due times a refresh at `now` with `cal` would
    compute (the ones still pending included, as at its moment)? The one rule of reusing it:
    filled from the same data (`data_version`, outside a transaction, which could roll back
    the table with it), with an equal calendar (None: the database's, which the same data
    gives), at the same moment — or up to `max_age` seconds before `now` for a caller that
    shows figures as at the table's own moment (the status bar)."""
    table = live_table(db)
    if table.version is None or table.moment is None or table.version != data_version(db):
        return False
    if cal is not None and cal != table.cal:
        return False
    age = (now - table.moment).total_seconds()
    return 0 <= age <= max_age


def finish_pending(db, limit: int | None = None) -> bool:
    """Compute (up to `limit` of) the due times a deferred refresh left, as at its moment;
    True when all are known."""
    table = live_table(db)
    if table.pending and table.cal is not None and table.moment is not None:
        take = len(table.pending) if limit is None else limit
        chunk = table.pending[:take]
        del table.pending[:take]  # in place: the list is shared
        update_live(db, table.cal, chunk, table.moment)
    return not table.pending


def refresh_live_table(db, cal: WorkCalendar | None, now: dt.datetime,
                       deferred: bool = False, max_age: int = 0) -> list[int]:
    """(Re)fill temp.live_due(id, due, waiting) for every open dossier of the GUI connection,
    unless it holds them already (`is_fresh`: the dashboard's two late lists and the status
    bar refreshed at one moment share one pass over the open dossiers).

    A temporary table lives only in this connection and never touches the database file, so
    it needs no write transaction. Dossiers with supplement waits or an extension are computed
    with core.due; the others' effective due is their stored due time. `deferred` leaves the
    computed ones at their stored due time and returns their ids: the caller completes them
    (`finish_pending`) before reading their due times (thousands at a million dossiers).
    The list returned is the one `live_table(db).pending` holds. `cal` None: the database's.
    """
    if not is_fresh(db, cal, now, max_age):
        if cal is None:
            from core.calendar import load_calendar
            cal = load_calendar(db)
        _fill(db, cal, now)
        live_table(db).pending = _special_ids(db)
    if not deferred:
        finish_pending(db)
    return live_table(db).pending


def _fill(db, cal: WorkCalendar, now: dt.datetime) -> None:
    """Every open dossier at its stored due time; the table's state says so (nothing pending
    yet: `refresh_live_table` sets what is)."""
    conn = db.conn
    # the other connections' commits as seen *before* the rows are read: one committed while
    # the INSERT … SELECT reads its snapshot must make the table stale, not fresh (review38)
    seen = data_version(db)[1]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS live_due "
                 "(id INTEGER PRIMARY KEY, due TEXT, waiting INTEGER NOT NULL DEFAULT 0)")
    conn.execute("DELETE FROM temp.live_due")
    conn.execute("INSERT INTO temp.live_due(id, due, waiting) SELECT id, calc_due_at, "
                 f"status = 'supplement' FROM dossiers WHERE {open_sql()}")
    conn.execute("CREATE INDEX IF NOT EXISTS temp.live_due_due ON live_due(due)")
    table = live_table(db)
    table.moment, table.cal, table.pending = now, cal, []
    table.version = None if conn.in_transaction else (conn.total_changes, seen)


def _special_ids(db) -> list[int]:
    """The open dossiers whose due time the rules compute: supplement waits, an extension."""
    return [r[0] for r in db.conn.execute(
        f"SELECT id FROM dossiers WHERE {open_sql()} AND "
        "(extended_due_at IS NOT NULL OR EXISTS (SELECT 1 FROM supplements s "
        "WHERE s.dossier_id = dossiers.id))")]


def update_live(db, cal: WorkCalendar, ids: list[int], now: dt.datetime) -> None:
    """The effective due times of these open dossiers (with waits or an extension), now.
    The table's own rows written as at its moment and calendar leave it fresh
    (`is_fresh`); any other write, or these as at another moment, does not."""
    table = live_table(db)
    own = table.moment == now and table.cal == cal and table.version == data_version(db)
    _update_special(db, cal, ids, now)
    if own and table.version and not db.conn.in_transaction:  # others' commits as seen before
        table.version = (db.conn.total_changes, table.version[1])


def _update_special(db, cal: WorkCalendar, ids: list[int], now: dt.datetime) -> None:
    if not ids:
        return
    policy = clerk_policy(db)
    waits = load_waits(db, ids)
    history = ProcedureHistory(db)
    updates = []
    for chunk in in_chunks(ids):
        for row in db.execute(
                "SELECT d.id, d.calc_due_at, d.status, d.finished_at, d.extended_due_at, "
                "p.limit_value, p.limit_unit, p.same_day_cutoff, d.procedure_code, d.received_at "
                f"FROM dossiers d JOIN procedures p ON p.code = d.procedure_code "
                f"WHERE d.id IN ({marks(chunk)})", chunk):
            due = dossier_due(cal, policy, calc_due=row[1],
                              limit=limit_of(history, row[8], row[9], row[5:8]),
                              waits=waits.get(row[0], []), status=row[2], finished_at=row[3],
                              extended_due_at=row[4], now=now, received_at=row[9])
            updates.append((timefmt.to_db_time(due) if due else None, row[0]))
    db.conn.executemany("UPDATE temp.live_due SET due = ? WHERE id = ?", updates)


def today_counts(db, now: dt.datetime) -> dict[str, int]:
    """Status-bar figures: received today, open and due today, open and overdue now."""
    today = now.date().isoformat()
    tomorrow = (now.date() + dt.timedelta(days=1)).isoformat()
    received = db.execute("SELECT COUNT(*) FROM dossier_rows WHERE received_at >= unixepoch(?) "
                          "AND received_at < unixepoch(?)", [today, tomorrow]).fetchone()[0]
    due_today = db.execute("SELECT COUNT(*) FROM temp.live_due WHERE due >= ? AND due < ?",
                           [today, tomorrow]).fetchone()[0]
    overdue = db.execute("SELECT COUNT(*) FROM temp.live_due WHERE due < ?",
                         [timefmt.to_db_time(now)]).fetchone()[0]
    return {"received": received, "due_today": due_today, "overdue": overdue}


def ids_in(items: Iterable) -> str:
    return ",".join("?" for _ in items)
