"""Test helpers for the PDF documents: figures in the shape of spec 8 (reading: tests.pdfread)."""
from __future__ import annotations

from core.indicators import i766

TARGETS = {"on_time": 0.9, "online_full": 0.7, "online_payment": 0.45, "satisfaction": 0.95}


def _rate(num: int, den: int):
    return None if den == 0 else round(num / den, 4)


def figures(online=0, direct=0, carried=0, early=0, on_time=0, late=0, withdrawn=0,
            overdue=0, full=0, eligible=0, paid=0, fee=0, satisfied=0, votes=0) -> dict:
    """One unit's figures (spec 8) from the counts; in progress is whatever remains."""
    total = online + direct + carried
    resolved = early + on_time + late
    progress = total - resolved - withdrawn
    rates = {"on_time": _rate(early + on_time, resolved), "online_full": _rate(full, eligible),
             "online_payment": _rate(paid, fee), "satisfaction": _rate(satisfied, votes)}
    exact = {"on_time": (early + on_time, resolved), "online_full": (full, eligible),
             "online_payment": (paid, fee), "satisfaction": (satisfied, votes)}
    return {
        "received": {"total": total, "online": online, "direct_postal": direct,
                     "carried_over": carried},
        "resolved": {"total": resolved, "early": early, "on_time": on_time, "late": late},
        "withdrawn": withdrawn,
        "in_progress": {"total": progress, "within_time": progress - overdue, "overdue": overdue},
        "on_time_rate": rates["on_time"],
        "online_full": {"count": full, "eligible": eligible, "received": online + direct,
                        "rate": rates["online_full"]},
        "online_payment": {"paid_online": paid, "fee_dossiers": fee,
                           "rate": rates["online_payment"]},
        "satisfaction": {"votes": votes, "satisfied": satisfied, "rate": rates["satisfaction"]},
        "meets": {k: None if d == 0 else n / d >= TARGETS[k] for k, (n, d) in exact.items()},
        # the 766 set (spec 5.1) from the same counts, nothing digitised or electronic
        "i766": i766.figures({**i766.ZERO, "i_ok": early + on_time, "paid_online": paid,
                              "fee_dossiers": fee, "i_late_po": late},
                             total, online + direct, resolved, progress),
    }


def kpi_doc(units: list[tuple[str, str, dict]], start="2026-10-01", end="2026-10-31") -> dict:
    """A whole spec-8 document; the total adds the units up."""
    keys = ("online", "direct", "carried", "early", "on_time", "late", "withdrawn", "overdue",
            "full", "eligible", "paid", "fee", "satisfied", "votes")
    sums = dict.fromkeys(keys, 0)
    for _, _, f in units:
        counts = _counts(f)
        for k in keys:
            sums[k] += counts[k]
    return {"from": start, "to": end,
            "policy": {"supplement": "pause", "due_basis": "original",
                       "online_denominator": "eligible"},
            "targets": dict(TARGETS),
            "units": [{"code": c, "name": n, **f} for c, n, f in units],
            "total": figures(**sums)}


def _counts(f: dict) -> dict:
    return {"online": f["received"]["online"], "direct": f["received"]["direct_postal"],
            "carried": f["received"]["carried_over"], "early": f["resolved"]["early"],
            "on_time": f["resolved"]["on_time"], "late": f["resolved"]["late"],
            "withdrawn": f["withdrawn"], "overdue": f["in_progress"]["overdue"],
            "full": f["online_full"]["count"], "eligible": f["online_full"]["eligible"],
            "paid": f["online_payment"]["paid_online"], "fee": f["online_payment"]["fee_dossiers"],
            "satisfied": f["satisfaction"]["satisfied"], "votes": f["satisfaction"]["votes"]}
