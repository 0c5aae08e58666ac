"""A dossier at a moment: its inputs, its effective due time and whether it is overdue.

The one home of the rules every figure, list and document shares (spec 2.1–2.4, 3):
- the status groups (OPEN, RESOLVED, WITHDRAWN, CLOSED) and their SQL spelling;
- a dossier's inputs: its row, its supplement waits, its extension and the procedure rule in
  force on its reception day (core.rules), loaded by ONE loader for one or many dossiers;
- its effective due time at a moment T under a policy, always with the office hours in force
  at reception, and "overdue at T";
- the unit a dossier counts at (its competent unit, spec 5); a unit's report scope (the units
  below it and the units it took over) and its SQL form are core.unit_scope's.

core.due holds the pure arithmetic; this module decides what goes into it, so the engine, the
drill-down, the register, the live due list, the PDFs and recompute cannot disagree.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from core.calendar import WorkCalendar
from core.due import Limit, Policy, Wait, base_due, effective_due, is_overdue_at
from core.labels import STATUS_VI
from core.rules import ProcedureHistory
from core.timefmt import parse_db_time, to_db_time, vn_number
from db.batches import in_chunks, marks

OPEN = ("received", "processing", "supplement")
RESOLVED = ("done", "returned", "rejected")
WITHDRAWN = ("withdrawn", "stopped")  # closed, neither resolved nor in progress (spec 3)
CLOSED = RESOLVED + WITHDRAWN


def sql_list(values: Iterable[str]) -> str:
    """`'a','b'` for an SQL IN (...) of fixed enum values (never user input)."""
    return ",".join(f"'{v}'" for v in values)


# A payment or a vote row (payment_rows, vote_rows: moments in seconds) live at a moment given
# as a parameter: not cancelled, or cancelled later — it counted then (spec 2.3, --as-of; every
# figure skips an entry once it is cancelled, core.cancelling).
LIVE_THEN = "(cancelled_at IS NULL OR cancelled_at >= unixepoch(?))"


def counted_votes(start: dt.date, end: dt.date,
                  as_of: dt.datetime | None = None) -> tuple[str, list[str]]:
    """The votes a period [start, end] counts (spec 5's satisfaction.votes, 2.3), as an SQL
    condition on vote_rows and its parameters: every vote cast from 00:00 of `start` to 24:00
    of `end` and not cancelled, also while the period runs (a vote bearing a time past now,
    another PC's clock, is recorded, so counted); with `as_of` (--as-of) only those cast before
    it and not cancelled by then. The one rule of the engine at a moment (core.indicators.asof),
    Biểu 06 by field, the votes behind a figure (drill) and the monthly report's section VI;
    kpi_daily's sums (core.facts.count_vote, by the day of the vote) hold the same without
    `as_of`. Each spelling its own, the four could drift apart unseen (review of round 35)."""
    end_moment = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    bound = end_moment if as_of is None else min(as_of, end_moment)
    cast = "voted_at >= unixepoch(?) AND voted_at < unixepoch(?)"
    params = [to_db_time(dt.datetime.combine(start, dt.time())), to_db_time(bound)]
    if as_of is None:
        return f"{cast} AND cancelled_at IS NULL", params
    return f"{cast} AND {LIVE_THEN}", [*params, to_db_time(as_of)]

OPEN_IN = sql_list(OPEN)
CLOSED_IN = sql_list(CLOSED)


def unfinished_closed_reason(status, finished) -> str | None:
    """Why a dossier in a closed status cannot be stored without the moment it closed (spec
    2.4: every closed dossier has one; spec 7's check), or None. The one rule of the import
    (core.transfer.dossiers) and of an exchange package (core.exchange.checks and the SQL
    screen that mirrors it, core.exchange.fastcopy): MotCua's own entry never writes such a
    dossier (every closing action sets finished_at, core.dossiers), so neither refuses what
    MotCua itself writes."""
    if status in CLOSED and finished is None:  # the clerk's word for it, then the file's
        return (f"hồ sơ ở trạng thái đã đóng “{STATUS_VI[status]}” ('{status}') phải có thời "
                "điểm xử lý xong (finished_at)")
    return None


def open_sql(alias: str = "") -> str:
    """The condition "the dossier is open", e.g. open_sql("d.") -> d.status IN (...)."""
    return f"{alias}status IN ({OPEN_IN})"


def counted_unit_sql(alias: str = "") -> str:
    """The unit a dossier's figures count at (spec 5): the competent unit that resolves it, or
    the receiving unit when none was named. Every figure, list behind a figure and document
    reads this one expression; the register and the slips keep the receiving unit."""
    return f"COALESCE({alias}competent_unit_code, {alias}unit_code)"


def counted_unit(competent: str | None, unit: str) -> str:
    """counted_unit_sql for values read already (the reconciliation's, core.reconcile.matching):
    its COALESCE, so only a missing competent unit gives way to the receiving unit. An empty
    cell of a file is never stored as '' (core.transfer.cells.text reads it as None, and the
    column references units, none of whose codes is empty), so `competent or unit` would mean
    the same on every stored value; written as the SQL is, the two cannot drift apart."""
    return unit if competent is None else competent


DOSSIER_SQL = f"""
SELECT d.id, {counted_unit_sql("d.")}, d.channel, d.received_at, d.status, d.due_at, d.finished_at,
       d.extended_due_at, d.fee, d.e_result, d.code, d.applicant_name, d.applicant_phone,
       d.facts, p.limit_value, p.limit_unit, p.same_day_cutoff, p.fee, p.online_level,
       p.paper_result, d.procedure_code, d.digitised, d.result_digitised, d.calc_due_at
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
"""


class DossierInput:
    """The values of one dossier that its due time and figures depend on (`unit_code`: the
    unit it counts at, counted_unit_sql)."""

    __slots__ = ("id", "unit_code", "channel", "received_at", "status", "due_at", "finished_at",
                 "extended_due_at", "fee", "e_result", "limit", "online_level", "paper_result",
                 "waits", "paid_online", "old_facts", "code", "name", "phone", "procedure_code",
                 "docs_digitised", "result_digitised", "complained", "old_due",
                 "finished_text")
    id: int
    unit_code: str
    channel: str
    received_at: dt.datetime
    status: str
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    extended_due_at: dt.datetime | None
    fee: int
    e_result: int
    limit: Limit
    online_level: str
    paper_result: int
    waits: list[Wait]
    paid_online: bool
    old_facts: str | None
    old_due: str | None        # the stored calc_due_at and finished_at, which the stored
    finished_text: str | None  # facts are read with (db.facts_codec.decode)
    code: str
    name: str
    phone: str | None
    procedure_code: str
    docs_digitised: bool   # every submitted document digitised (spec 5.1, 4.2)
    result_digitised: int
    complained: bool       # a live complaint or a live `dissatisfied` vote tied to it (5.4)

    @classmethod
    def from_row(cls, row: Sequence, waits: list[Wait], paid_online: bool) -> DossierInput:
        item = cls()
        (item.id, item.unit_code, item.channel, received, item.status, due, finished, extended,
         fee, item.e_result, item.code, item.name, item.phone, item.old_facts, limit_value,
         limit_unit, cutoff, procedure_fee, item.online_level, item.paper_result) = row[:20]
        item.procedure_code = row[20]
        item.docs_digitised = row[21] == 1  # without a document list: the dossier's flag
        item.result_digitised = row[22] or 0
        item.complained = False
        item.old_due, item.finished_text = row[23], finished
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

    def follow(self, rule) -> None:
        """Use an earlier rule of the procedure, the one in force at reception (spec 2.1)."""
        if rule is not None:
            self.limit = rule.limit()
            self.online_level, self.paper_result = rule.online_level, rule.paper_result


def load_waits(db, ids: Sequence[int]) -> dict[int, list[Wait]]:
    """The supplement waits of each dossier in `ids` (every id is a key), in order of request."""
    out: dict[int, list[Wait]] = {i: [] for i in ids}
    for chunk in in_chunks(list(ids)):
        for dossier_id, requested, completed in db.execute(
                f"SELECT dossier_id, requested_at, completed_at FROM supplements "
                f"WHERE dossier_id IN ({marks(chunk)}) ORDER BY requested_at", list(chunk)):
            out[dossier_id].append(Wait(parse_db_time(requested),
                                        parse_db_time(completed) if completed else None))
    return out


def _load_paid_online(db, ids: Sequence[int]) -> set[int]:
    paid: set[int] = set()
    for chunk in in_chunks(ids):
        paid.update(r[0] for r in db.execute(
            f"SELECT DISTINCT dossier_id FROM payments WHERE method = 'online' "
            f"AND cancelled_at IS NULL AND dossier_id IN ({marks(chunk)})", list(chunk)))
    return paid


def load_inputs(db, ids: Sequence[int]) -> Iterator[DossierInput]:
    """The dossiers `ids` with their waits, payments, documents, complaints and the rules of
    their reception day, a chunk read at a time: a year of a million dossiers (Biểu 06 by
    field, --as-of) held 1.3 GB as one list; callers that keep them make their own list."""
    history = ProcedureHistory(db)
    for chunk in in_chunks(sorted(set(ids))):
        waits = load_waits(db, chunk)
        paid = _load_paid_online(db, chunk)
        documents = _load_documents(db, chunk)
        complained = complained_ids(db, chunk)
        # read whole before yielding: callers write (facts) between two items
        rows = db.execute(DOSSIER_SQL + f" WHERE d.id IN ({marks(chunk)})", list(chunk)).fetchall()
        for row in rows:
            item = DossierInput.from_row(row, waits[row[0]], row[0] in paid)
            item.follow(history.at(item.procedure_code, row[3][:10]))
            if row[0] in documents:  # a document list decides, not the dossier's own flag
                item.docs_digitised = documents[row[0]]
            item.complained = row[0] in complained
            yield item


def _load_documents(db, ids: Sequence[int]) -> dict[int, bool]:
    """{dossier: every submitted document digitised} for the dossiers with a document list."""
    return {dossier_id: bool(all_digitised) for dossier_id, all_digitised in db.execute(
        f"SELECT dossier_id, MIN(digitised) FROM dossier_components WHERE received = 1 "
        f"AND dossier_id IN ({marks(ids)}) GROUP BY dossier_id", list(ids))}


def complained_ids(db, ids: Sequence[int], before: str | None = None) -> set[int]:
    """The dossiers of `ids` with a live complaint or a live `dissatisfied` vote (spec 5.1,
    5.4), recorded before `before` (a database time) when given (--as-of, spec 2.3)."""
    # live: not cancelled — or, at `before`, not cancelled by then (it counted until then)
    live = "cancelled_at IS NULL" if before is None else "(cancelled_at IS NULL OR cancelled_at >= ?)"
    until = "" if before is None else " AND {} < ?"
    params = ([before] if before else []) + [*ids] + ([before] if before else [])
    found = {r[0] for r in db.execute(
        f"SELECT dossier_id FROM complaints WHERE {live} AND dossier_id IN "
        f"({marks(ids)}){until.format('received_at')}", params)}
    found |= {r[0] for r in db.execute(
        f"SELECT dossier_id FROM votes WHERE rating = 'dissatisfied' AND {live} "
        f"AND dossier_id IN ({marks(ids)}){until.format('voted_at')}", params)}
    return found


def effective_at(cal: WorkCalendar, item: DossierInput, policy: Policy,
                 moment: dt.datetime | None, *, due: dt.datetime | None = None,
                 waits: Sequence[Wait] | None = None) -> dt.datetime | None:
    """The effective due time of spec 2.3 at `moment` (None = all waits, no moment).

    Always under the office hours of the reception day (spec 2.1). `due` skips recomputing
    the 2.2 due time when the caller has it; `waits` replaces the dossier's own (the live due
    of an open dossier leaves out its open wait). None: the clock is stopped by an open wait,
    the dossier is not overdue.
    """
    cal = cal.governing(item.received_at)
    if due is None:
        due = base_due(cal, item.received_at, item.limit, item.due_at)
    return effective_due(cal, due=due, limit=item.limit,
                         waits=item.waits if waits is None else waits,
                         finished_at=item.finished_at,
                         extended_due_at=item.extended_due_at, policy=policy, moment=moment)


def effective_over_time(cal: WorkCalendar, item: DossierInput, policy: Policy,
                        due: dt.datetime) -> Callable[[dt.datetime], dt.datetime | None]:
    """effective_at as a function of the moment alone, for a caller that asks at many moments
    (the overdue spans ask at every midnight after an event): the calendar is chosen once."""
    cal = cal.governing(item.received_at)
    rule: dict[str, Any] = dict(due=due, limit=item.limit, waits=item.waits, finished_at=item.finished_at,
                extended_due_at=item.extended_due_at, policy=policy)
    return lambda moment: effective_due(cal, moment=moment, **rule)


def effective_stored(cal: WorkCalendar, *, received_at: dt.datetime, due: dt.datetime,
                     limit: Limit, waits: Sequence[Wait], finished_at: dt.datetime | None,
                     extended_due_at: dt.datetime | None, policy: Policy,
                     moment: dt.datetime | None) -> dt.datetime | None:
    """effective_at for a dossier read as a row with its stored 2.2 due time (`calc_due_at`)."""
    return effective_due(cal.governing(received_at), due=due, limit=limit, waits=waits,
                         finished_at=finished_at, extended_due_at=extended_due_at,
                         policy=policy, moment=moment)


def overdue_at(moment: dt.datetime, effective: dt.datetime | None) -> bool:
    """Spec 2.4: open at `moment` and past its effective due time (None: never)."""
    return is_overdue_at(moment, effective)


def limit_of(history: ProcedureHistory, code: str, received_at: str, current: Sequence) -> Limit:
    """The procedure's limit in force on the reception day (`current`: value, unit, cutoff)."""
    return history.limit(code, received_at, current)


def valid_in_period(valid_from: str | None, valid_to: str | None, start: dt.date,
                    end: dt.date) -> bool:
    """Spec 8: a unit is valid on some day of [start, end] (not dissolved before `start`, not
    created after `end`)."""
    return not ((valid_to and valid_to < start.isoformat())
                or (valid_from and valid_from > end.isoformat()))


def unit_absent_reason(name: str, valid_from: str | None, valid_to: str | None,
                       day: dt.date) -> str | None:
    """Why the unit `name` can neither receive nor resolve a dossier received on `day` (not in
    existence then: dissolved by a merger before it, or not yet made), or None. The one rule of
    the desk (core.dossiers), of `import dossiers` (core.transfer.dossiers) and, through
    core.unit_absent.units_absent, of `exchange import` and `check`."""
    if valid_in_period(valid_from, valid_to, day, day):
        return None
    return (f"{name} không hoạt động vào ngày {day:%d/%m/%Y} "
            "(đã giải thể, sáp nhập hoặc chưa thành lập)")


# unit_absent_reason for many dossiers at once (an exchange's new dossiers and the held ones it
# changed, `check` over a whole database): the dossier rows of ids in [?, ?) received at, or
# given to, a dated unit on a day outside its life span, found from the dated units through the
# indexes (unit_code, received_at) and (competent_unit_code, received_at) — one query, as many
# index look-ups as dated units, never a scan of the dossiers. It only finds: each row found is
# judged by unit_absent_reason itself (core.unit_absent.units_absent), so the set form can
# never say more than the rule.
_ABSENT_ARM = ("SELECT d.id, d.code, d.received_at, u.code, u.name, u.valid_from, u.valid_to, "
               "u.successor_code, '{column}' FROM units u CROSS JOIN dossier_rows d ON d.{column} = "
               "u.code AND d.received_at {op} unixepoch(u.{edge}{shift}) "
               "WHERE u.{edge} IS NOT NULL AND d.id >= ? AND d.id < ?")
ABSENT_SQL = " UNION ALL ".join(
    _ABSENT_ARM.format(column=column, op=op, edge=edge, shift=shift)
    for column in ("unit_code", "competent_unit_code")
    for op, edge, shift in ((">=", "valid_to", ", '+1 day'"), ("<", "valid_from", "")))


# The dossiers a unit's life span must keep (spec 7: an export imports again; the desk and
# `import dossiers` refuse a dossier outside it, unit_absent_reason): received there or given
# to it, received on or after ? (end) / before ? (start).
_OUTSIDE_SQL = ("SELECT COUNT(*), {edge}(substr(received_at, 1, 10)) FROM dossiers "
                "WHERE (unit_code = ? OR competent_unit_code = ?) AND received_at {op} ?")


def unit_span_refusal(db, code: str, valid_from: dt.date | str | None,
                      valid_to: dt.date | str | None) -> tuple[str, str] | None:
    """Why the unit `code` may not take the life span `valid_from`…`valid_to` (None: open):
    (field, Vietnamese reason) when a dossier it holds, as receiving or competent unit, was
    received outside a date that changes, or None. The one rule of every path that sets a
    unit's dates: the catalogue (core.catalogue.save_unit, hence a package's catalogue), the
    units file (core.transfer.units) and the first start (core.office_setup)."""
    row = db.execute("SELECT name, valid_from, valid_to FROM units WHERE code = ?",
                     [code]).fetchone()
    if row is None:  # a new unit holds no dossier yet
        return None
    name, old_from, old_to = row
    end = str(valid_to)[:10] if valid_to else None
    if end and end != old_to:
        after = (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
        count, last = db.execute(_OUTSIDE_SQL.format(edge="MAX", op=">="),
                                 [code, code, after]).fetchone()
        if count:
            return "valid_to", _span_reason(f"ngày hoạt động đến hết {_vn(end)}", name, count,
                                            f"sau ngày đó (muộn nhất {_vn(last)})",
                                            f"từ {_vn(last)} trở đi")
    start = str(valid_from)[:10] if valid_from else None
    if start and start != old_from:
        count, first = db.execute(_OUTSIDE_SQL.format(edge="MIN", op="<"),
                                  [code, code, start]).fetchone()
        if count:
            return "valid_from", _span_reason(f"ngày hoạt động từ {_vn(start)}", name, count,
                                              f"trước ngày đó (sớm nhất {_vn(first)})",
                                              f"không muộn hơn {_vn(first)}")
    return None


def _span_reason(what: str, name: str, count: int, when: str, instead: str) -> str:
    return (f"Không thể đặt {what} cho {name}: còn {vn_number(count)} hồ sơ của đơn vị "
            f"(nơi tiếp nhận hoặc giải quyết) được tiếp nhận {when}. Hãy chọn ngày {instead}, "
            "hoặc để trống.")


def _vn(day: str) -> str:
    return f"{dt.date.fromisoformat(day):%d/%m/%Y}"
