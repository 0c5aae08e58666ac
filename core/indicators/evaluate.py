"""Which figures of spec 5 one dossier counts in, evaluated directly from the rules.

This is the reference semantics: the fast engine (kpi_daily sums) must agree with it, tests
compare the two on random data, and it answers the drill-down ("which dossiers are behind this
figure?") and the few irregular dossiers whose facts depend on the period end.
"""
from __future__ import annotations

import datetime as dt

from core.calendar import WorkCalendar
from core.due import Policy, classify_finished

# The one home of a dossier at a moment; effective_at is re-exported for the engine's callers.
from core.moment import CLOSED, RESOLVED, DossierInput, effective_at, overdue_at


def dossier_figures(cal: WorkCalendar, item: DossierInput, policy: Policy,
                    start: dt.datetime, end: dt.datetime,
                    moment: dt.datetime | None = None) -> set[str]:
    """The figure names (e.g. 'resolved.late') this dossier counts in for [start, end).

    A dossier open at the period end is classified at `moment`, the moment of evaluation
    (spec 2.3: the end if it has passed, else now; default the end).
    """
    moment = end if moment is None else moment
    out: set[str] = set()
    received = item.received_at
    closed = item.finished_at if item.status in CLOSED else None  # when it closed, if it has
    received_in = start <= received < end
    if received_in:
        out |= _reception_figures(item)
    carried = received < start and not (closed is not None and closed < start)
    if carried:
        out.add("received.carried_over")
    if received_in or carried:
        out.add("received.total")
    if closed is not None and start <= closed < end:
        if item.status in RESOLVED:
            cls = classify_finished(closed, effective_at(cal, item, policy, end))
            out |= {f"resolved.{cls}", "resolved.total"}
        else:
            out.add("withdrawn")
    if (received_in or carried) and not (closed is not None and closed < end):
        late = overdue_at(moment, effective_at(cal, item, policy, moment))
        out |= {"in_progress.overdue" if late else "in_progress.within_time", "in_progress.total"}
    return out


def may_count(received, status: str, finished, start, end) -> bool:
    """False when `dossier_figures` gives the dossier no figure of [start, end) whatever else it
    holds: received at or after the end, or closed before the start. Moments as datetimes or as
    stored text ('YYYY-MM-DD HH:MM:SS'), all alike."""
    closed = finished if status in CLOSED else None
    return received < end and not (closed is not None and closed < start)


def _reception_figures(item: DossierInput) -> set[str]:
    out = {"received.online" if item.channel == "online" else "received.direct_postal",
           "online_full.received"}
    if item.online_level == "full":
        out.add("online_full.eligible")
        if item.channel == "online" and (not item.paper_result or item.e_result):
            out.add("online_full.count")
    if (item.fee or 0) > 0:
        out.add("online_payment.fee_dossiers")
        if item.paid_online:
            out.add("online_payment.paid_online")
    return out
