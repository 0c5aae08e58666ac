"""Per-dossier facts and the per-unit, per-day sums behind fast indicators.

When a dossier, its waits, its extension or its payments change, `refresh()` recomputes the
dossier's due time (`calc_due_at`) and its facts (a small JSON: the day it counts as received,
channel, online and fee flags, finish day, classification and overdue spans under each of the
four policy variants), then moves the difference into `kpi_daily` in the same transaction.
Indicators then sum a few thousand `kpi_daily` rows instead of scanning a million dossiers.

Overdue spans: under a fixed policy, an open dossier is overdue at a period end T exactly when
lo < T <= hi for one of its spans (hi None = still open). Since T is always a midnight, a span
counts at the end of day D when day(lo) <= D < day(hi), which per-day sums answer as
"starts up to D minus ends up to D".

Dossiers whose waits lie outside [received, finished] or overlap ("irregular") are evaluated
directly by the indicator engine at the period end instead (see `indicators`).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Callable, Iterable, Sequence

import sqlite_utils

from core.calendar import WorkCalendar, load_calendar
from core.due import Limit, Policy, Wait, base_due, classify_finished, effective_due, statutory_due
from core.textnorm import search_key
from core.timefmt import parse_db_time, to_db_time
from db import settings
from db.connection import transaction
from db.schema import KPI_COLUMNS

VARIANTS = {"po": Policy("pause", "original"), "pe": Policy("pause", "extended"),
            "ro": Policy("restart", "original"), "re": Policy("restart", "extended")}
RESOLVED = ("done", "returned", "rejected")
WITHDRAWN = ("withdrawn", "stopped")
CLOSED = RESOLVED + WITHDRAWN
SATISFIED = ("very_satisfied", "satisfied")
CLASS_COLUMN = {"early": "early", "on_time": "on_time", "late": "late"}

DOSSIER_SQL = """
SELECT d.id, d.unit_code, d.channel, d.received_at, d.status, d.due_at, d.finished_at,
       d.extended_due_at, d.fee, d.e_result, d.code, d.applicant_name, d.applicant_phone,
       d.facts, p.limit_value, p.limit_unit, p.same_day_cutoff, p.fee, p.online_level,
       p.paper_result
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
"""


class DossierInput:
    """The values of one dossier that its facts depend on."""

    __slots__ = ("id", "unit_code", "channel", "received_at", "status", "due_at", "finished_at",
                 "extended_due_at", "fee", "e_result", "limit", "online_level", "paper_result",
                 "waits", "paid_online", "old_facts", "code", "name", "phone")

    @classmethod
    def from_row(cls, row: Sequence, waits: list[Wait], paid_online: bool) -> "DossierInput":
        item = cls()
        (item.id, item.unit_code, item.channel, received, item.status, due, finished, extended,
         fee, item.e_result, item.code, item.name, item.phone, item.old_facts, limit_value,
         limit_unit, cutoff, procedure_fee, item.online_level, item.paper_result) = row
        item.received_at = parse_db_time(received)
        item.due_at = parse_db_time(due) if due else None
        # Only a closed dossier has finished (spec 5: closed = a closed status with finished_at).
        item.finished_at = parse_db_time(finished) if finished and item.status in CLOSED else None
        item.extended_due_at = parse_db_time(extended) if extended else None
        item.fee = procedure_fee if fee is None else fee
        item.limit = Limit(limit_value, limit_unit, cutoff)
        item.waits = waits
        item.paid_online = paid_online
        return item


def is_irregular(item: DossierInput) -> bool:
    """Waits outside [received, finished] or overlapping make the facts depend on the period end."""
    previous_end = item.received_at
    for wait in sorted(item.waits, key=lambda w: w.requested_at):
        if wait.requested_at < previous_end:
            return True
        end = wait.completed_at
        if item.finished_at is not None:
            if wait.requested_at >= item.finished_at:
                return True
            if end is not None and end > item.finished_at:
                return True
        if end is None:
            previous_end = dt.datetime.max
        else:
            previous_end = end
    return False


def overdue_spans(cal: WorkCalendar, item: DossierInput, due: dt.datetime,
                  policy: Policy) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The (lo, hi] intervals of period ends T at which the open dossier counts as overdue.

    Without waits (or with a fixed extended due) the effective due E is fixed and the span is
    (E, finished]. With waits the status can only change at the first midnight after an event
    (a wait starting or ending, or an effective due passing), so it is evaluated exactly by the
    rules at those midnights and the runs of "overdue" become spans.
    """
    received, finished = item.received_at, item.finished_at
    fixed = item.extended_due_at if policy.due_basis == "extended" else None
    if fixed is None and not item.waits:
        fixed = due
    if fixed is not None:
        return _span(max(fixed, received), finished)
    candidates = sorted({_next_midnight(x) for x in _event_times(cal, item, due)})
    spans: list[tuple[dt.datetime, dt.datetime | None]] = []
    run_start = None
    for midnight in candidates:
        if midnight <= received or (finished is not None and midnight > finished):
            continue
        effective = effective_due(cal, due=due, limit=item.limit, waits=item.waits,
                                  finished_at=finished, extended_due_at=item.extended_due_at,
                                  policy=policy, moment=midnight)
        late = effective is not None and midnight > effective
        if late and run_start is None:
            run_start = midnight
        elif not late and run_start is not None:
            spans.append((run_start - SECOND, midnight - SECOND))
            run_start = None
    if run_start is not None:
        spans.append((run_start - SECOND, finished))
    return [s for s in spans if s[1] is None or s[0].date() < s[1].date()]


SECOND = dt.timedelta(seconds=1)


def _next_midnight(moment: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(moment.date() + dt.timedelta(days=1), dt.time())


def _event_times(cal: WorkCalendar, item: DossierInput, due: dt.datetime) -> list[dt.datetime]:
    """Every instant after which the overdue status of a dossier with waits may change."""
    times = [item.received_at, due]
    effective = due
    for wait in sorted(item.waits, key=lambda w: w.requested_at):
        times.append(wait.requested_at)
        if wait.completed_at is not None:
            times += [wait.completed_at, statutory_due(cal, wait.completed_at, item.limit)]
            if wait.requested_at < effective:
                effective = cal.add(effective, cal.working_seconds(wait.requested_at,
                                                                   wait.completed_at))
            times.append(effective)
    return times


def _span(lo: dt.datetime, hi: dt.datetime | None) -> list[tuple[dt.datetime, dt.datetime | None]]:
    if hi is not None and lo.date() >= hi.date():
        return []  # no midnight falls inside (lo, hi]
    return [(lo, hi)]


def compute(cal: WorkCalendar, item: DossierInput) -> tuple[str, dict]:
    """The dossier's due time (spec 2.2, as stored in calc_due_at) and its facts."""
    due = base_due(cal, item.received_at, item.limit, item.due_at)
    facts = {
        "u": item.unit_code,
        "d": item.received_at.date().isoformat(),
        "on": int(item.channel == "online"),
        "oe": int(item.online_level == "full"),
        "of": int(item.online_level == "full" and item.channel == "online"
                  and (not item.paper_result or bool(item.e_result))),
        "fee": int((item.fee or 0) > 0),
        "pay": int((item.fee or 0) > 0 and item.paid_online),
        "fd": item.finished_at.date().isoformat() if item.finished_at and item.status in CLOSED else None,
        "st": "r" if item.status in RESOLVED else "w" if item.status in WITHDRAWN else "o",
    }
    horizon = [due, item.received_at] + [t for t in (item.finished_at, item.extended_due_at) if t]
    horizon += [w.completed_at or w.requested_at for w in item.waits]
    if is_irregular(item):
        facts["irr"] = 1
        facts["hz"] = to_db_time(max(horizon))
        return to_db_time(due), facts
    classes, spans = {}, {}
    for key, policy in VARIANTS.items():
        if facts["st"] == "r" and item.finished_at is not None:
            effective = effective_due(cal, due=due, limit=item.limit, waits=item.waits,
                                      finished_at=item.finished_at,
                                      extended_due_at=item.extended_due_at, policy=policy,
                                      moment=None)
            classes[key] = classify_finished(item.finished_at, effective)
            horizon.append(effective)
        spans[key] = [[lo.date().isoformat(), hi.date().isoformat() if hi else None]
                      for lo, hi in overdue_spans(cal, item, due, policy)]
    facts["c"] = classes
    facts["s"] = spans
    # The latest instant the computation looked at: a calendar change after it cannot matter.
    facts["hz"] = to_db_time(max(horizon))
    return to_db_time(due), facts


def marks(facts: dict | None) -> Counter:
    """What one dossier adds to kpi_daily: {(unit, day, column): count}."""
    out: Counter = Counter()
    if not facts:
        return out
    unit, day = facts["u"], facts["d"]
    out[(unit, day, "recv_online" if facts["on"] else "recv_direct_postal")] += 1
    for flag, column in (("oe", "online_eligible"), ("of", "online_full"),
                         ("fee", "fee_dossiers"), ("pay", "paid_online")):
        if facts[flag]:
            out[(unit, day, column)] += 1
    finish_day = facts["fd"]
    if finish_day:
        out[(unit, finish_day, "closed")] += 1
        if facts["st"] == "w":
            out[(unit, finish_day, "withdrawn")] += 1
    for variant, cls in facts.get("c", {}).items():
        out[(unit, finish_day, f"{CLASS_COLUMN[cls]}_{variant}")] += 1
    for variant, spans in facts.get("s", {}).items():
        for lo, hi in spans:
            out[(unit, lo, f"od_start_{variant}")] += 1
            if hi:
                out[(unit, hi, f"od_end_{variant}")] += 1
    return out


def apply_marks(conn, delta: Counter) -> None:
    """Add `delta` into kpi_daily (inside the caller's transaction)."""
    for (unit, day, column), count in delta.items():
        if not count:
            continue
        if column not in KPI_COLUMNS:
            raise ValueError(column)
        conn.execute(
            f"INSERT INTO kpi_daily(unit_code, day, {column}) VALUES (?, ?, ?) "
            f"ON CONFLICT(day, unit_code) DO UPDATE SET {column} = {column} + excluded.{column}",
            [unit, day, count])


def _load_waits(db, ids: Sequence[int]) -> dict[int, list[Wait]]:
    out: dict[int, list[Wait]] = {i: [] for i in ids}
    for chunk in _chunks(ids, 500):
        marks_sql = ",".join("?" * len(chunk))
        for dossier_id, requested, completed in db.execute(
                f"SELECT dossier_id, requested_at, completed_at FROM supplements "
                f"WHERE dossier_id IN ({marks_sql}) ORDER BY requested_at", list(chunk)):
            out[dossier_id].append(Wait(parse_db_time(requested),
                                        parse_db_time(completed) if completed else None))
    return out


def _load_paid_online(db, ids: Sequence[int]) -> set[int]:
    paid: set[int] = set()
    for chunk in _chunks(ids, 500):
        marks_sql = ",".join("?" * len(chunk))
        paid.update(r[0] for r in db.execute(
            f"SELECT DISTINCT dossier_id FROM payments WHERE method = 'online' "
            f"AND dossier_id IN ({marks_sql})", list(chunk)))
    return paid


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_inputs(db: sqlite_utils.Database, ids: Sequence[int]) -> list[DossierInput]:
    """The dossiers `ids` with their waits and payments, ready for the rules."""
    out = []
    for chunk in _chunks(sorted(set(ids)), 500):
        waits = _load_waits(db, chunk)
        paid = _load_paid_online(db, chunk)
        placeholders = ",".join("?" * len(chunk))
        for row in db.execute(DOSSIER_SQL + f" WHERE d.id IN ({placeholders})", list(chunk)):
            out.append(DossierInput.from_row(row, waits[row[0]], row[0] in paid))
    return out


def refresh(db: sqlite_utils.Database, dossier_ids: Iterable[int],
            cal: WorkCalendar | None = None) -> None:
    """Recompute due time, facts and search key of these dossiers and update kpi_daily.

    Call it inside the transaction that changed them (it joins it).
    """
    ids = sorted(set(dossier_ids))
    if not ids:
        return
    cal = cal or load_calendar(db)
    with transaction(db) as conn:
        for chunk in _chunks(ids, 500):
            _refresh_chunk(db, conn, cal, chunk)


def _refresh_chunk(db, conn, cal: WorkCalendar, ids: Sequence[int]) -> None:
    waits = _load_waits(db, ids)
    paid = _load_paid_online(db, ids)
    placeholders = ",".join("?" * len(ids))
    rows = db.execute(DOSSIER_SQL + f" WHERE d.id IN ({placeholders})", list(ids)).fetchall()
    delta: Counter = Counter()
    for row in rows:
        item = DossierInput.from_row(row, waits[row[0]], row[0] in paid)
        due, facts = compute(cal, item)
        old = json.loads(item.old_facts) if item.old_facts else None
        delta.update(marks(facts))
        delta.subtract(marks(old))
        conn.execute("UPDATE dossiers SET calc_due_at = ?, facts = ?, search_key = ?, "
                     "kpi_irregular = ? WHERE id = ?",
                     [due, json.dumps(facts, separators=(",", ":")),
                      search_key(item.code, item.name, item.phone), facts.get("irr", 0), item.id])
    apply_marks(conn, delta)


def count_vote(conn, unit_code: str, voted_at: str, rating: str, sign: int = 1) -> None:
    """Add (sign=1) or remove (sign=-1) one vote from kpi_daily, inside a transaction."""
    day = voted_at[:10]
    delta = Counter({(unit_code, day, "votes"): sign})
    if rating in SATISFIED:
        delta[(unit_code, day, "satisfied")] = sign
    apply_marks(conn, delta)


def rebuild_all(db: sqlite_utils.Database,
                progress: Callable[[int, int], bool] | None = None) -> None:
    """Recompute every dossier's facts and kpi_daily from scratch (after bulk loads or migrations).

    `progress(done, total)` may return False to cancel; the transaction then rolls back.
    """
    cal = load_calendar(db)
    ids = [r[0] for r in db.execute("SELECT id FROM dossiers ORDER BY id")]
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET facts = NULL")
        conn.execute("DELETE FROM kpi_daily")
        for start in range(0, len(ids), 2000):
            chunk = ids[start:start + 2000]
            _refresh_chunk(db, conn, cal, chunk)
            if progress and progress(min(start + 2000, len(ids)), len(ids)) is False:
                raise InterruptedError("rebuild cancelled")
        _rebuild_votes(conn)
        conn.execute("INSERT INTO settings(key, value) VALUES ('kpi_stale', '0') "
                     "ON CONFLICT(key) DO UPDATE SET value = '0'")


def _rebuild_votes(conn) -> None:
    rows = conn.execute(
        "SELECT unit_code, substr(voted_at, 1, 10), COUNT(*), "
        "SUM(rating IN ('very_satisfied', 'satisfied')) FROM votes GROUP BY 1, 2").fetchall()
    delta: Counter = Counter()
    for unit, day, count, satisfied in rows:
        delta[(unit, day, "votes")] += count
        delta[(unit, day, "satisfied")] += satisfied
    apply_marks(conn, delta)


def mark_stale(db: sqlite_utils.Database) -> None:
    settings.put(db, "kpi_stale", 1)
