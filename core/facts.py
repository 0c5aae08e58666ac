"""Per-dossier facts and the per-unit, per-day sums behind fast indicators.

When a dossier, its waits, its extension or its payments change, `refresh()` recomputes the
dossier's due time (`calc_due_at`) and its facts (a small JSON: the day it counts as received,
channel, online and fee flags, finish day, classification and overdue spans under each of the
four policy variants), then moves the difference into `kpi_daily` in the same transaction.
Indicators then sum a few thousand `kpi_daily` rows instead of scanning a million dossiers.

Overdue spans and irregular dossiers are explained in core.spans.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sqlite_utils

from core import scorecard766
from core.calendar import WorkCalendar, load_calendar
from core.due import RULES_REVISION, Policy, base_due, classify_finished

# The inputs of a dossier and the status groups live in core.moment; re-exported for callers.
from core.moment import CLOSED, RESOLVED, WITHDRAWN, DossierInput, effective_at, load_inputs
from core.spans import is_irregular, overdue_spans, span
from core.timefmt import to_db_time
from db import dossier_rows, facts_codec, settings
from db.batches import in_chunks
from db.connection import joined, transaction
from db.errors import DatabaseDamagedError
from db.moments import to_stored
from db.schema import KPI_COLUMNS

# The facts JSON, key by key: short on purpose (a million dossiers carry one each), so this table
# is the one place that says what each key means. SQL reads a few of them with json_extract
# (core.indicators.drill, core.indicators.open_now, core.recompute); tests/core/test_fact_keys.py
# fails on a key written or read anywhere that is not listed here.
FACT_KEYS = {
    "u": "the unit the dossier counts at (its competent unit, else the receiving unit)",
    "d": "the day it counts as received (YYYY-MM-DD)",
    "on": "1 when received online",
    "oe": "1 when its procedure is fully online (online_full.eligible)",
    "of": "1 when it counts as fully online (online_full.count)",
    "fee": "1 when it bears a fee (online_payment.fee_dossiers)",
    "pay": "1 when a fee-bearing dossier was paid online (online_payment.paid_online)",
    "fd": "the day it was finished (closed statuses), else null",
    "st": "r resolved (done, returned, rejected), w withdrawn or stopped, o open",
    "c": "per variant: early | on_time | late, for a resolved dossier",
    "s": "per variant: its overdue spans [[first day, last day or null], …]",
    "hz": "the latest instant the computation looked at (a calendar change after it cannot matter)",
    "irr": "1 when its waits are irregular (core.spans): figures come from the rules, not facts",
    "ld": "an open dossier: per variant, its effective due time valid after `lw` (or ? / null)",
    "lw": "an open dossier: the last wait event its live due times rely on",
    # The second set, Decision 766 (spec 5.1, core.scorecard766):
    "io": "1 when received online with an electronic result or no paper result (766 online)",
    "dg": "1 when its submitted documents (and, once resolved, its result) were digitised",
    "er": "1 when resolved with an electronic result",
    "cp": "1 when resolved with a complaint or a dissatisfied vote",
    "k": "a closed dossier: 1 when not late under 766 (pause, original due, one request)",
    "ks": "a dossier with waits: its spans late under 766 (without waits: s.po)",
    "kl": "an open dossier with waits: 1 late / 0 not under 766 at any moment after `lw`",
}
# The four counting variants (spec 2.3 policy × due basis). The same two letters name the
# kpi_daily columns ({early,on_time,late,od_start,od_end}_{variant}, db.schema.KPI_COLUMNS).
VARIANTS = {"po": Policy("pause", "original"), "pe": Policy("pause", "extended"),
            "ro": Policy("restart", "original"), "re": Policy("restart", "extended")}
SATISFIED = ("very_satisfied", "satisfied")

def compute(cal: WorkCalendar, item: DossierInput, whole: bool = True) -> tuple[str, dict]:
    """The dossier's due time (spec 2.2, as stored in calc_due_at) and its facts. `whole`
    False: what a change's preview counts (core.recompute.impact: the due time, the status,
    each variant's class of a finished dossier) by the same rules, without the 766 keys, the
    overdue spans and an open dossier's live dues nobody reads there (a third of its pass)."""
    cal = cal.governing(item.received_at)
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
    irregular = is_irregular(item)
    if whole:
        facts.update(scorecard766.facts(cal, item, due, facts, irregular))
    if not item.waits and item.extended_due_at is None:
        return _compute_fixed_due(item, due, facts)
    horizon = [due, item.received_at] + [t for t in (item.finished_at, item.extended_due_at) if t]
    horizon += [w.completed_at or w.requested_at for w in item.waits]
    if facts["st"] == "o" and whole:
        horizon += _live_dues(cal, item, due, facts)
    if irregular:
        facts["irr"] = 1
        facts["hz"] = to_db_time(max(horizon))
        return to_db_time(due), facts
    classes: dict[str, str] = {}
    spans: dict[str, list] = {}
    for key, source in _variant_plan(item):
        if source is not None:  # same rules give the same answer: reuse it
            if source in classes:
                classes[key] = classes[source]
            if whole:
                spans[key] = spans[source]
            continue
        policy = VARIANTS[key]
        if facts["st"] == "r" and item.finished_at is not None:
            effective = effective_at(cal, item, policy, None, due=due)
            classes[key] = classify_finished(item.finished_at, effective)
            if effective is not None:  # None only while a wait is open, never once finished
                horizon.append(effective)
        if whole:
            spans[key] = [[lo.date().isoformat(), hi.date().isoformat() if hi else None]
                          for lo, hi in overdue_spans(cal, item, due, policy)]
    facts["c"] = classes
    facts["s"] = spans
    # The latest instant the computation looked at: a calendar change after it cannot matter.
    facts["hz"] = to_db_time(max(horizon))
    return to_db_time(due), facts


RULES_NEEDED = "?"  # a live due only the rules can give at a given moment


def _live_dues(cal: WorkCalendar, item: DossierInput, due: dt.datetime,
               facts: dict) -> list[dt.datetime]:
    """An open dossier's effective due time per variant, valid at any moment after its last
    wait event ("lw"), until something new is recorded: lets a running period classify its
    open dossiers now without the rules (core.indicators.open_now). None: never overdue."""
    live = {key: _live_due(cal, item, due, policy) for key, policy in VARIANTS.items()}
    facts["ld"] = {key: to_db_time(value) if isinstance(value, dt.datetime) else value
                   for key, value in live.items()}
    facts["lw"] = to_db_time(max([item.received_at] + [
        t for w in item.waits for t in (w.requested_at, w.completed_at) if t]))
    return [value for value in live.values() if isinstance(value, dt.datetime)]


def _live_due(cal: WorkCalendar, item: DossierInput, due: dt.datetime, policy: Policy):
    rule: dict[str, Any] = {"due": due}  # an open dossier: no finish (DossierInput keeps finished_at None)
    open_waits = [w for w in item.waits if w.completed_at is None]
    fixed = policy.due_basis == "extended" and item.extended_due_at is not None
    if fixed or not open_waits or policy.supplement == "restart":
        return effective_at(cal, item, policy, None, **rule)  # restart: an open wait stops it
    if len(open_waits) > 1 or is_irregular(item):
        return RULES_NEEDED
    # pause, one open wait, last of the waits: counted if it began before the due time so far,
    # and then the due time runs ahead of every later moment while some working time separates
    # the request from that due time (position(due) > position(request)).
    before = effective_at(cal, item, policy, None, waits=[w for w in item.waits if w.completed_at],
                          **rule)
    request = open_waits[0].requested_at
    if before is None:  # only an open wait stops the clock, and `before` has none
        raise RuntimeError(f"no due time without open waits for dossier {item.id}")
    if request >= before:
        return before
    return None if cal.working_seconds(request, before) > 0 else RULES_NEEDED


def _compute_fixed_due(item: DossierInput, due: dt.datetime, facts: dict) -> tuple[str, dict]:
    """The common case, fast: no waits and no extension, so all four variants agree (the
    demo computes a million of these: each time is formatted once, no generator is made)."""
    finished, received = item.finished_at, item.received_at
    due_text = to_db_time(due)
    resolved = facts["st"] == "r" and finished is not None
    facts["c"] = dict.fromkeys(VARIANTS, classify_finished(finished, due)) \
        if resolved and finished is not None else {}
    spans = [[lo.date().isoformat(), hi.date().isoformat() if hi else None]
             for lo, hi in span(max(due, received), finished)]
    facts["s"] = dict.fromkeys(VARIANTS, spans)
    latest = max(due, received) if finished is None else max(due, received, finished)
    facts["hz"] = due_text if latest == due else to_db_time(latest)
    return due_text, facts


def _variant_plan(item: DossierInput) -> list[tuple[str, str | None]]:
    """Which variants need computing and which equal another one.

    Without waits pause and restart agree; without an extension the extended basis is the
    original one; with an extension the extended basis ignores the supplement policy.
    """
    has_extension = item.extended_due_at is not None
    return [("po", None),
            ("ro", None if item.waits else "po"),
            ("pe", None if has_extension else "po"),
            ("re", "pe" if has_extension else "ro")]


def marks(facts: dict | None, out: Counter | None = None) -> Counter:
    """What one dossier adds to kpi_daily: {(unit, day, column): count}; added into `out`
    when given (a bulk writer's running sum: no Counter made and merged per dossier)."""
    out = Counter() if out is None else out
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
        out[(unit, finish_day, f"{cls}_{variant}")] += 1
    for variant, spans in facts.get("s", {}).items():
        for lo, hi in spans:
            out[(unit, lo, f"od_start_{variant}")] += 1
            if hi:
                out[(unit, hi, f"od_end_{variant}")] += 1
    _marks_766(out, facts, unit, day, finish_day)
    return out


def _marks_766(out: Counter, facts: dict, unit: str, day: str, finish_day: str | None) -> None:
    """The i_* columns (spec 5.1): reception-day and finish-day flags, the 766 late spans."""
    for flag, column in (("io", "i_online"), ("dg", "i_digitised")):
        if facts.get(flag):
            out[(unit, day, column)] += 1
    if finish_day:
        for flag, column in (("k", "i_ok"), ("er", "i_eresult"), ("cp", "i_complained")):
            if facts.get(flag):
                out[(unit, finish_day, column)] += 1
    spans = facts["ks"] if "ks" in facts else facts.get("s", {}).get("po", [])
    for lo, hi in spans:
        out[(unit, lo, "i_od_start")] += 1
        if hi:
            out[(unit, hi, "i_od_end")] += 1


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


def refresh(db: sqlite_utils.Database, dossier_ids: Iterable[int],
            cal: WorkCalendar | None = None) -> None:
    """Recompute due time, facts and search key of these dossiers and update kpi_daily.

    Call it inside the transaction that changed them: it joins it, with no savepoint of its
    own (db.connection.joined: a merge recomputes a million rows here).
    """
    ids = sorted(set(dossier_ids))
    if not ids:
        return
    cal = cal or load_calendar(db)
    with joined(db) as conn:
        for chunk in in_chunks(ids):
            _refresh_chunk(db, conn, cal, chunk)


def _refresh_chunk(db, conn, cal: WorkCalendar, ids: Sequence[int],
                   delta: Counter | None = None) -> None:
    """Recompute a chunk of dossiers; kpi changes go to `delta` (or straight to kpi_daily)."""
    own_delta = delta is None
    delta = Counter() if delta is None else delta
    updates = []
    for item in load_inputs(db, ids):
        due, facts = compute(cal, item)
        delta.update(marks(facts))
        if item.old_facts:
            delta.subtract(marks(_stored_facts(db, item)))
        updates.append((due, _stored_text(facts, item, due), facts.get("irr", 0), item.id))
    # the rows, the due as seconds (db.moments): through the view each row would be rewritten
    # (a file before schema 22, which the migration tests build, keeps the text)
    table = dossier_rows.current(conn)
    if table == dossier_rows.TABLE:
        updates = [(to_stored(due), *rest) for due, *rest in updates]
    conn.executemany(f"UPDATE {table} SET calc_due_at = ?, facts = ?, kpi_irregular = ? "
                     "WHERE id = ?", updates)
    if own_delta:
        apply_marks(conn, delta)


def _stored_text(facts: dict, item: DossierInput, due: str) -> str:
    """The text to store with the new due time `due`. When it equals the stored one while the
    due moves (only "hz" left out, now meaning the new due), "hz" stays in: the trigger
    dossiers_facts_origin would otherwise take the unchanged text for a row changed under
    its facts and write the old due in as the horizon (db.facts_codec)."""
    text = facts_codec.encode(facts, item.unit_code, item.received_at, due, item.finished_text)
    if text == item.old_facts and due != item.old_due:
        return facts_codec.encode(facts, item.unit_code, item.received_at, None,
                                  item.finished_text)
    return text


def _stored_facts(db, item: DossierInput) -> dict:
    """The facts stored for a dossier; unreadable ones mean the file was damaged or altered."""
    try:
        return facts_codec.decode(item.old_facts or "", item.unit_code, item.received_at,
                                  item.old_due, item.finished_text)
    except (ValueError, KeyError):  # called only when facts are stored
        raise DatabaseDamagedError(getattr(db, "path", ""),
                                   [f"facts của hồ sơ {item.code} không đọc được"]) from None


def count_vote(conn, unit_code: str, voted_at: str, rating: str, sign: int = 1) -> None:
    """Add (sign=1) or remove (sign=-1, a cancelled vote) one vote from kpi_daily, in a transaction."""
    day = voted_at[:10]
    delta = Counter({(unit_code, day, "votes"): sign})
    if rating in SATISFIED:
        delta[(unit_code, day, "satisfied")] = sign
    apply_marks(conn, delta)


def rebuild_all(db: sqlite_utils.Database,
                progress: Callable[[int, int], bool] | None = None) -> None:
    """Recompute every dossier's facts and kpi_daily from scratch (after bulk loads or migrations).

    `progress(done, total)` may return False to cancel; the transaction then rolls back (the
    caller's, when it runs inside one: joined as it is, db.connection.joined).
    """
    cal = load_calendar(db)
    ids = [r[0] for r in db.execute("SELECT id FROM dossiers ORDER BY id")]
    delta: Counter = Counter()
    with joined(db) as conn:
        conn.execute(f"UPDATE {dossier_rows.current(conn)} SET facts = NULL")
        conn.execute("DELETE FROM kpi_daily")
        for start in range(0, len(ids), 2000):
            _refresh_chunk(db, conn, cal, ids[start:start + 2000], delta)
            if progress and progress(min(start + 2000, len(ids)), len(ids)) is False:
                raise InterruptedError("rebuild cancelled")
        write_kpi_rows(conn, delta)
        _rebuild_votes(conn)
        conn.execute("INSERT INTO settings(key, value) VALUES ('kpi_stale', '0') "
                     "ON CONFLICT(key) DO UPDATE SET value = '0'")
        _record_rules(conn)


def write_kpi_rows(conn, delta: Counter) -> None:
    """Add a large delta to kpi_daily one (unit, day) row at a time."""
    rows: dict[tuple[str, str], list[int]] = {}
    index = {column: i for i, column in enumerate(KPI_COLUMNS)}
    for (unit, day, column), count in delta.items():
        if count:
            rows.setdefault((unit, day), [0] * len(KPI_COLUMNS))[index[column]] += count
    names = ", ".join(KPI_COLUMNS)
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in KPI_COLUMNS)
    conn.executemany(
        f"INSERT INTO kpi_daily(unit_code, day, {names}) VALUES (?, ?, "
        f"{', '.join('?' * len(KPI_COLUMNS))}) ON CONFLICT(day, unit_code) DO UPDATE SET {updates}",
        [(unit, day, *values) for (unit, day), values in sorted(rows.items())])


def _rebuild_votes(conn) -> None:
    rows = conn.execute(
        "SELECT unit_code, substr(voted_at, 1, 10), COUNT(*), "
        "SUM(rating IN ('very_satisfied', 'satisfied')) FROM votes WHERE cancelled_at IS NULL "
        "GROUP BY 1, 2").fetchall()
    delta: Counter = Counter()
    for unit, day, count, satisfied in rows:
        delta[(unit, day, "votes")] += count
        delta[(unit, day, "satisfied")] += satisfied
    apply_marks(conn, delta)


def rules_current(db: sqlite_utils.Database) -> bool:
    """Were the stored due times and facts computed by this program's time rules? A file of an
    older revision (a same-day cut-off after office hours once gave a due time before reception,
    core.due.RULES_REVISION 2) is rebuilt when opened for writing, refused read-only."""
    return int(settings.get(db, "rules_revision")) >= RULES_REVISION


def _record_rules(conn) -> None:
    conn.execute("INSERT INTO settings(key, value) VALUES ('rules_revision', ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [str(RULES_REVISION)])


def record_rules(db: sqlite_utils.Database) -> None:
    """A new database: nothing stored yet, so nothing computed by older rules."""
    with transaction(db) as conn:
        _record_rules(conn)


def mark_stale(db: sqlite_utils.Database) -> None:
    settings.put(db, "kpi_stale", 1)
