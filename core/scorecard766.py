"""The rules of the second set, Decision 766 (spec 5.1), for one dossier.

Biểu 06 and 766 count the same dossiers differently:
- 766 always counts under policy `pause` and the original due time, whatever the settings;
- a dossier with more than one supplement request is late, whenever it closes;
- a dossier waiting for a supplement at the moment of evaluation counts as finished at its
  request time (late if the request came after its due time);
- every closed dossier (resolved, withdrawn or stopped) is on time or late, and an open one
  within time or late at the moment of evaluation.

`figures` is the reference semantics (the drill-down of irregular dossiers, `--as-of` and the
tests use it); `facts` stores what the fast engine sums (core.facts, kpi_daily i_* columns).
"""
from __future__ import annotations

import datetime as dt

from core.calendar import WorkCalendar
from core.due import Policy, Wait, classify_finished
from core.moment import CLOSED, RESOLVED, DossierInput, effective_at, overdue_at
from core.spans import runs_at_midnights, span

PAUSE_ORIGINAL = Policy("pause", "original")  # 766 counts this way whatever the settings


def requests_before(item: DossierInput, moment: dt.datetime | None) -> int:
    """Supplement requests made before `moment` (all when None)."""
    return sum(1 for w in item.waits if moment is None or w.requested_at < moment)


def late_closed(cal: WorkCalendar, item: DossierInput, moment: dt.datetime | None = None) -> bool:
    """A closed dossier is late under 766: more than one request, or finished after its due
    time (pause, original due; `moment` as core.indicators.evaluate gives it)."""
    finished = item.finished_at
    if finished is None:
        raise ValueError(f"dossier {item.id} has no finish")
    if requests_before(item, finished) > 1:
        return True
    return classify_finished(finished, effective_at(cal, item, PAUSE_ORIGINAL, moment)) == "late"


def _waiting(item: DossierInput, moment: dt.datetime) -> Wait | None:
    """The wait open at `moment` (requested before it, not completed before it), if any."""
    open_waits = [w for w in item.waits if w.requested_at < moment
                  and (w.completed_at is None or w.completed_at >= moment)]
    return max(open_waits, key=lambda w: w.requested_at) if open_waits else None


def late_open_at(cal: WorkCalendar, item: DossierInput, moment: dt.datetime) -> bool:
    """A dossier open at `moment` is late under 766 at that moment."""
    if requests_before(item, moment) > 1:
        return True
    waiting = _waiting(item, moment)
    if waiting is not None:  # counts as finished at its request (spec 5.1)
        request = waiting.requested_at
        return classify_finished(request, effective_at(cal, item, PAUSE_ORIGINAL, request)) == "late"
    return overdue_at(moment, effective_at(cal, item, PAUSE_ORIGINAL, moment))


def _closed_in(item: DossierInput) -> dt.datetime | None:
    return item.finished_at if item.status in CLOSED else None


def figures(cal: WorkCalendar, item: DossierInput, start: dt.datetime, end: dt.datetime,
            moment: dt.datetime | None = None) -> set[str]:
    """The 766 counts this dossier is in for [start, end), open ones classified at `moment`
    (default the end): names of core.indicators.i766.COUNT_KEYS."""
    moment = end if moment is None else moment
    out: set[str] = set()
    received_in = start <= item.received_at < end
    closed = _closed_in(item)
    carried = item.received_at < start and not (closed is not None and closed < start)
    if received_in:
        if item.channel == "online" and (not item.paper_result or item.e_result):
            out.add("i766.online")
        if item.docs_digitised and (item.status not in RESOLVED or item.result_digitised):
            out.add("i766.digitised")
    if closed is not None and start <= closed < end:
        if not late_closed(cal, item, end):
            out.add("i766.ok")
        if item.status in RESOLVED:
            if item.e_result:
                out.add("i766.e_result")
            if item.complained:
                out.add("i766.complained")
            if classify_finished(closed, effective_at(cal, item, PAUSE_ORIGINAL, end)) == "late":
                out.add("i766.late")
    if (received_in or carried) and not (closed is not None and closed < end) \
            and late_open_at(cal, item, moment):
        out.add("i766.open_late")
    return out


def facts(cal: WorkCalendar, item: DossierInput, due: dt.datetime, base: dict,
          irregular: bool) -> dict:
    """The 766 keys of a dossier's facts (core.facts.FACT_KEYS), `base` its Biểu 06 ones."""
    resolved = base["st"] == "r"
    out: dict[str, object] = {
        "io": int(item.channel == "online" and (not item.paper_result or bool(item.e_result))),
        "dg": int(bool(item.docs_digitised) and (not resolved or bool(item.result_digitised))),
        "er": int(resolved and bool(item.e_result)),
        "cp": int(resolved and bool(item.complained)),
    }
    if base["st"] == "o" and item.waits:
        live = live_late(item, due)
        if live is not None:
            out["kl"] = live
    if irregular:  # their classification depends on the period end: the rules count them
        return out
    finished = item.finished_at
    if base["st"] != "o" and finished is not None:
        # without waits the effective due is the due time itself: no calendar needed
        late = classify_finished(finished, due) == "late" if not item.waits \
            else late_closed(cal, item)
        out["k"] = int(not late)
    if item.waits:  # without waits the spans are Biểu 06's under pause and original due
        out["ks"] = [[lo.date().isoformat(), hi.date().isoformat() if hi else None]
                     for lo, hi in late_spans(cal, item, due)]
    return out


def late_spans(cal: WorkCalendar, item: DossierInput,
               due: dt.datetime) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The (lo, hi] intervals of period ends T at which the open dossier is late under 766,
    as core.spans.overdue_spans: the state changes only at the first midnight after an event
    (a request, a completion, a due time passing), so the rules are asked there."""
    received, finished = item.received_at, item.finished_at
    if not item.waits:
        return span(max(due, received), finished)
    return runs_at_midnights(cal, item, due, lambda midnight: late_open_at(cal, item, midnight))


def live_late(item: DossierInput, due: dt.datetime) -> int | None:
    """An open dossier with waits: late (1) or not (0) at every moment after its last wait
    event, until something new is recorded (core.indicators.open_now reads it while a period
    runs); None when that depends on the moment: then its pause due time decides (`ld.po`)."""
    if len(item.waits) > 1:
        return 1
    wait = item.waits[0]
    if wait.completed_at is None:  # waiting: finished at its request, the due time unmoved
        return int(wait.requested_at > due)
    return None
