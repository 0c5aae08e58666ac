"""Generating one chunk of days: dossiers with their waits, extensions, payments, votes and facts.

A chunk draws from its own random generator, seeded by the run's seed and the chunk's index,
so the data are the same whichever process generates it and in whatever order. The facts and
kpi_daily marks are computed here with core.facts itself, on in-memory DossierInput objects,
which is what makes them equal to what core.facts.rebuild_all would store.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass

from core.demo import scorecard
from core.demo.context import OUTSIDE_HOURS_SHARE, POSTAL_SHARE, Context, Table, UnitInfo
from core.demo.events import history
from core.demo.lifecycle import Dues, Life, hand_back, live
from core.demo.people import fold_once

# the chunk's rows and their packing: their home is core.demo.rows, named here too, where the
# demo's processes and its writer have always asked for them
from core.demo.rows import EVENT_COLUMNS as EVENT_COLUMNS
from core.demo.rows import Rows as Rows
from core.demo.rows import pack as pack
from core.demo.rows import unpack as unpack
from core.demo.season import Cell, Chunk
from core.due import Wait
from core.facts import CLOSED, SATISFIED, DossierInput, compute, marks
from db import facts_codec
from db.moments import to_stored
from db.searchtext import folded_key, phone_key

PAGES = (1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10)
EXEMPT_SHARE = 0.04  # fee-bearing dossiers exempted (poor households, people with merit)


def _t(moment: dt.datetime | None) -> str | None:
    """Database text of a whole-second time (str() of such a datetime is 'YYYY-MM-DD HH:MM:SS')."""
    return None if moment is None else str(moment)


class ChunkGenerator:
    def __init__(self, ctx: Context, chunk: Chunk):
        self.ctx, self.chunk = ctx, chunk
        self.rng = random.Random(f"demo:{ctx.seed}:{chunk.index}")
        # the 766 inputs draw from their own generator: the rest of the demo stays as it was
        self.rng766 = random.Random(f"demo766:{ctx.seed}:{chunk.index}")
        self.rows = Rows(chunk.first_id)
        self.next_id = chunk.first_id
        # Lateness is spread evenly (not drawn independently) so each unit's on-time rate
        # lands on its profile even for a small demo: a running quota per unit.
        self.late_quota = [self.rng.random() for _ in ctx.units]
        self.dues = Dues(ctx.cal)
        # kpi_daily marks depend on the facts but not on their horizon ("hz"), and many
        # dossiers of a unit and day share everything else: marks() runs once per distinct one.
        # facts JSON without "hz" -> [the facts, how many dossiers share them]: kept as the
        # dict compute() gave, not parsed back from the text
        self.facts: dict[tuple[str, str, str | None, str], list] = {}
        # the last number of each (competent unit, YYMMDD): several desks number dossiers of
        # the same competent unit, and a chunk holds whole days, so the numbering is local
        self.sequence: dict[tuple[str, str], int] = {}

    def run(self) -> Rows:
        for _, cells in itertools.groupby(self.chunk.cells, key=lambda c: c.day):
            self._day(list(cells))
        self.rows.counters.extend((unit, day, last) for (unit, day), last in self.sequence.items())
        kpi: dict = {}  # a plain dict: a Counter's missing key costs a call of Python
        for facts, count in self.facts.values():
            for mark, value in marks(facts).items():
                kpi[mark] = kpi.get(mark, 0) + value * count
        self.rows.kpi.update(kpi)
        self.rows.events = list(zip(*self.rows.events, strict=True)) or [()] * EVENT_COLUMNS
        return self.rows

    # ----- reception ---------------------------------------------------------------------
    def _day(self, cells: list[Cell]) -> None:
        """All desks of one day, dossiers numbered in order of reception across the desks."""
        ctx = self.ctx
        moments = []
        for order, cell in enumerate(cells):
            info = ctx.units[cell.unit_index]
            working = ctx.cal.is_working_day(cell.day)
            day = _Day(cell, working, cell.day.strftime("%y%m%d"), ctx.progress_of(cell.day),
                       ctx.table(info.unit, cell.day.month, False),
                       ctx.table(info.unit, cell.day.month, True))
            moments += [(second, order, after or not working, info, day) for second, after in
                        (self._time_of_day(working, cell.day) for _ in range(cell.count))]
        midnight = dt.datetime.combine(cells[0].day, dt.time())
        for second, _, online_only, info, day in sorted(moments, key=lambda m: m[:2]):
            self._dossier(info, day, midnight + dt.timedelta(seconds=second), online_only)
        for cell in cells:
            if ctx.cal.is_working_day(cell.day):
                self._walk_in_votes(ctx.units[cell.unit_index], cell)

    def _time_of_day(self, working: bool, day: dt.date) -> tuple[int, bool]:
        """(second of the day, submitted outside office hours)."""
        rng, sessions = self.rng, self.ctx.cal.sessions
        latest = self._latest(day)
        if working and rng.random() >= OUTSIDE_HOURS_SHARE:
            start, end = sessions[0] if rng.random() < 0.62 else sessions[-1]
            second = int(start + (end - start) * rng.triangular(0, 1, 0.3))
            after = False
        else:
            second, after = int(rng.uniform(6.5, 22.5) * 3600), True
            if working and any(s <= second < e for s, e in sessions):
                second = sessions[-1][1] + int(rng.uniform(0, 5.5) * 3600)
        if second > latest:  # today, after this minute: earlier today instead
            second, after = int(rng.uniform(min(sessions[0][0], latest), latest)), False
        return second, after

    def _latest(self, day: dt.date) -> int:
        now = self.ctx.now
        return now.hour * 3600 + now.minute * 60 if day == now.date() else 86400 - 1

    # ----- one dossier -------------------------------------------------------------------
    def _dossier(self, info: UnitInfo, day: _Day, received: dt.datetime,
                 online_only: bool) -> None:
        ctx, rng = self.ctx, self.rng
        dossier_id = self.next_id
        self.next_id += 1
        table: Table = day.online_table if online_only else day.table
        proc = table.items[bisect.bisect(table.cum, rng.random() * table.cum[-1])]
        competent = self._competent(info)
        code = self._code(competent.unit.code, day.code_day)
        channel = self._channel(proc, info.unit, day.progress, online_only)
        life = live(rng, ctx.cal, proc, received, channel, self._is_late(competent.index),
                    ctx.now, ctx.texts, self.dues)
        hand_back(rng, ctx.cal, life, channel, proc.paper_result, ctx.now)
        person = ctx.people.person(rng, info.place, info.town)
        fee, fee_due = self._fee(proc)
        # the clerk who processes it works at the unit that resolves it
        handler = competent.clerks[1 + (dossier_id % (len(competent.clerks) - 1))]
        paid = len(self.rows.payments)
        paid_online = self._payment(dossier_id, received, channel, fee_due, life, info, day)
        payment = self.rows.payments[-1] if len(self.rows.payments) > paid else None
        # the vote first: a dissatisfied one counts in the dossier's 766 facts (5.4)
        dissatisfied = self._tied_vote(dossier_id, info, life, channel)
        complained = self._complaint(dossier_id, competent, life, handler) or dissatisfied
        self._facts_and_row(dossier_id, code, info, proc, person, channel, received, life, fee,
                            fee_due, paid_online, competent, (day.progress, complained))
        self._history(dossier_id, code, info, (channel, fee), received, life, handler, payment)

    def _complaint(self, dossier_id: int, competent: UnitInfo, life: Life, handler: str) -> bool:
        row = scorecard.complaint(self.rng766, dossier_id, competent.unit.code, life.status,
                                  life.finished, life.late, self.ctx.now, handler)
        if row is not None:
            self.rows.complaints.append(row)
        return row is not None

    def _competent(self, info: UnitInfo) -> UnitInfo:
        """The unit that resolves a dossier received at `info` (spec 1: the competent unit)."""
        rng = self.rng
        if not info.others or rng.random() >= info.unit.refer:
            return info
        pick = bisect.bisect(info.others_cum, rng.random() * info.others_cum[-1])
        return self.ctx.units[info.others[pick]]

    def _code(self, unit_code: str, code_day: str) -> str:
        """Spec 4: the competent unit's identifier, the day, the next number of that day."""
        key = (unit_code, code_day)
        number = self.sequence.get(key, 0) + 1
        self.sequence[key] = number
        return f"{unit_code}-{code_day}-{number:04d}"

    def _channel(self, proc, unit, progress: float, forced_online: bool) -> str:
        if forced_online:
            return "online"
        r = self.rng.random()
        chance = self.ctx.online_chance(proc, unit, progress)
        if r < chance:
            return "online"
        return "postal" if r < chance + POSTAL_SHARE else "direct"

    def _is_late(self, unit_index: int) -> bool:
        quota = self.late_quota[unit_index] + 1 - self.ctx.units[unit_index].unit.on_time
        late = quota >= 1
        self.late_quota[unit_index] = quota - 1 if late else quota
        return late

    def _fee(self, proc) -> tuple[int | None, int]:
        """(the dossier's own fee column, the fee it actually owes)."""
        if proc.fee <= 0:
            return None, 0
        if self.rng.random() < EXEMPT_SHARE:
            return 0, 0
        if proc.fee_per_page:
            amount = proc.fee * self.rng.choice(PAGES)
            return amount, amount
        return None, proc.fee

    def _payment(self, dossier_id, received, channel, fee_due, life: Life, info: UnitInfo,
                 day: _Day) -> bool:
        """One payment of the fee, made at reception; True if it went through the online portal."""
        if fee_due <= 0 or life.end_from == "received":
            return False
        rng = self.rng
        minutes = rng.randint(1, 90) if channel == "online" else rng.randint(1, 15)
        paid_at = received + dt.timedelta(minutes=minutes)
        if life.start is not None:
            paid_at = min(paid_at, life.start)  # the fee is paid before processing starts
        if paid_at > self.ctx.now:
            return False
        stamp = day.code_day  # references are unique by the dossier id they carry
        if rng.random() < info.unit.online_payment * (0.8 + 0.4 * day.progress):
            method, ref = "online", f"DVCQG-{stamp}-{dossier_id:08d}"
        elif channel == "online":
            method, ref = "transfer", f"FT{stamp}{dossier_id:08d}"
        elif channel == "postal":
            method, ref = "postal", f"VNP{stamp}{dossier_id:08d}"
        elif rng.random() < 0.75:
            method, ref = "cash", f"BL{stamp[:2]}-{dossier_id:08d}"
        else:
            method, ref = "transfer", f"FT{stamp}{dossier_id:08d}"
        # the desk's clerk records every payment, the portal's too (spec 10: who recorded it)
        self.rows.payments.append((dossier_id, fee_due, method, _t(paid_at), ref, info.clerks[0]))
        return method == "online"

    def _facts_and_row(self, dossier_id, code, info, proc, person, channel, received,
                       life: Life, fee, fee_due, paid_online, competent: UnitInfo,
                       extra: tuple[float, bool]) -> None:
        item = DossierInput()
        # the facts' unit is the one core.moment.load_inputs gives a dossier read back: the
        # competent unit, where every figure counts it (core.moment.counted_unit_sql)
        item.id, item.unit_code = dossier_id, competent.unit.code
        item.channel, item.received_at = channel, received
        # the statutory due time the life was timed with (Dues: core.due's, computed once per
        # day), handed over so compute() does not work it out again; the dossier's own due_at
        # column stays NULL. Only when that due is the one compute() would find: same hours.
        item.status = life.status
        cal = self.ctx.cal
        item.due_at = life.due if cal.governing(received) is cal else None
        item.finished_at = life.finished if life.status in CLOSED else None
        item.extended_due_at = life.extension[2] if life.extension else None
        item.fee, item.e_result, item.limit = fee_due, life.e_result, proc.limit
        item.online_level, item.paper_result = proc.online_level, proc.paper_result
        item.waits = [Wait(w[0], w[1]) for w in life.waits]
        item.paid_online, item.old_facts = paid_online, None
        item.code, item.name, item.phone = code, person.name, person.phone
        progress, item.complained = extra
        digitised = scorecard.documents_digitised(self.rng766, channel, progress)
        item.docs_digitised = bool(digitised)
        item.result_digitised = scorecard.result_digitised(self.rng766, life.status,
                                                           life.e_result)
        due, text, irregular = self._facts(item, _t(life.finished))
        received_s = to_stored(received)
        self.rows.keys.append((dossier_id, folded_key(
            code.lower(), person.folded, phone_key(person.phone), person.address_folded,
            fold_once(info.unit.name),
            None if competent is info else fold_once(competent.unit.name))))
        self.rows.dossiers.append((
            dossier_id, code, info.unit.code, proc.code, person.name, person.phone, person.address,
            person.id_no, channel, received_s, life.status, to_stored(life.finished),
            to_stored(life.returned), to_stored(item.extended_due_at), fee, life.e_result,
            info.clerks[0], received_s, to_stored(_last_change(received, life)), to_stored(due),
            text,
            irregular, None if competent is info else competent.unit.code, digitised,
            item.result_digitised))

    def _facts(self, item: DossierInput, finished: str | None) -> tuple[str, str, int]:
        """(calc_due_at, facts JSON, kpi_irregular), computed by core.facts itself, for a row
        whose finished_at is `finished`."""
        due_text, facts = compute(self.ctx.cal, item)
        text = facts_codec.encode(facts, item.unit_code, item.received_at, due_text, finished)
        # the stored text leaves out the unit, day and finish day the row gives: they join the
        # grouping key (the horizon, left out or not, marks do not read)
        shared = self.facts.setdefault((facts["u"], facts["d"], facts["fd"],
                                        _without_horizon(text)), [facts, 0])
        shared[1] += 1
        return due_text, text, facts.get("irr", 0)

    def _history(self, dossier_id, code, info, channel_fee: tuple[str, int | None], received, life: Life, handler: str,
                 payment: tuple | None) -> None:
        """The dossier's waits, extension and status history (core.demo.events); `channel_fee`
        is (channel, the dossier's own fee column), what its receive event records."""
        rows = self.rows
        for requested, completed, reason in life.waits:
            rows.supplements.append((dossier_id, _t(requested), _t(completed), reason))
        if life.extension:
            at, previous, new_due, reason = life.extension
            rows.extensions.append((dossier_id, _t(at), _t(previous), _t(new_due), reason,
                                    handler))
        channel, fee = channel_fee
        rows.events += history(dossier_id, code, str(received), info.clerks[0], handler,
                               channel, fee, life, payment)

    # ----- votes -------------------------------------------------------------------------
    def _rating(self, satisfaction: float) -> tuple[str, str | None]:
        rng = self.rng
        if rng.random() < satisfaction:
            rating = "very_satisfied" if rng.random() < 0.55 else "satisfied"
        else:
            rating = "neutral" if rng.random() < 0.6 else "dissatisfied"
        comment = None
        if rng.random() < 0.08:
            comment = rng.choice(self.ctx.comments["good" if rating in SATISFIED else "bad"])
        return rating, comment

    def _add_vote(self, unit_code: str, voted_at: dt.datetime, satisfaction: float,
                  dossier_id: int | None, source: str, clerk: str) -> str:
        rating, comment = self._rating(satisfaction)
        # the desk's clerk invited the kiosk vote or typed the paper one in
        self.rows.votes.append((unit_code, _t(voted_at), rating, dossier_id, comment, source,
                                clerk))
        day = voted_at.date().isoformat()
        self.rows.kpi[(unit_code, day, "votes")] += 1
        if rating in SATISFIED:
            self.rows.kpi[(unit_code, day, "satisfied")] += 1
        return rating

    def _tied_vote(self, dossier_id: int, info: UnitInfo, life: Life, channel: str) -> bool:
        """A vote on the kiosk (or online) right after the result is handed back; True when
        it says dissatisfied."""
        if life.status != "returned" or life.returned is None:  # returned: its time is set
            return False
        chance, source, minutes = {"direct": (0.35, "kiosk", 10), "online": (0.15, "online", 600),
                                   "postal": (0.05, "paper", 2880)}[channel]
        if self.rng.random() >= chance:
            return False
        voted_at = life.returned + dt.timedelta(minutes=self.rng.randint(1, minutes))
        if voted_at > self.ctx.now:
            return False
        satisfaction = info.unit.satisfaction - (0.15 if life.late else 0.0)
        return self._add_vote(info.unit.code, voted_at, satisfaction, dossier_id, source,
                              info.clerks[0]) == "dissatisfied"

    def _walk_in_votes(self, info: UnitInfo, cell: Cell) -> None:
        """Votes of citizens who came for advice or a dossier of another office (no dossier)."""
        rng, sessions = self.rng, self.ctx.cal.sessions
        midnight = dt.datetime.combine(cell.day, dt.time())
        for _ in range(cell.count):
            if rng.random() >= 0.08:
                continue
            start, end = rng.choice(sessions)
            voted_at = midnight + dt.timedelta(seconds=rng.randrange(start, end))
            if voted_at <= self.ctx.now:
                source = "kiosk" if rng.random() < 0.6 else "paper"
                self._add_vote(info.unit.code, voted_at, info.unit.satisfaction, None, source,
                               info.clerks[0])


@dataclass
class _Day:
    """What every dossier of one (day, unit) cell shares."""

    cell: Cell
    working: bool
    code_day: str          # YYMMDD of the dossier code
    progress: float        # 0..1 through the period
    table: Table           # procedures asked for at the desk
    online_table: Table    # procedures asked for online outside office hours


HORIZON = ',"hz":"'
HORIZON_END = len(HORIZON) + len("YYYY-MM-DD HH:MM:SS") + 1


def _without_horizon(text: str) -> str:
    """The facts JSON without its "hz" member (a time that differs between dossiers)."""
    start = text.find(HORIZON)
    if start < 0 or text[start + HORIZON_END - 1] != '"':
        return text
    return text[:start] + text[start + HORIZON_END:]


def _last_change(received: dt.datetime, life: Life) -> dt.datetime:
    """The time of the dossier's last event (its updated_at)."""
    times = [received, life.start, life.finished, life.returned]
    if life.extension:
        times.append(life.extension[0])
    times += [w[1] or w[0] for w in life.waits]
    return max(t for t in times if t is not None)


def generate_chunk(ctx: Context, chunk: Chunk) -> Rows:
    return ChunkGenerator(ctx, chunk).run()
