"""The one rule against moments in the future (issue 11).

A reception, an action, a payment or a vote entered with a future time is a typing mistake (or a
wrong PC clock): stored, it moves figures into the wrong period and, for a reception, makes
every later action "before the reception" and so refused. Times up to CLOCK_TOLERANCE ahead of
this PC's clock are still accepted, because two PCs of one office, or a clerk's PC and the
kiosk, never show exactly the same minute.

The window (through core.dossiers, core.payments, core.votes) and the import both use
`future_error` / `refuse_future`, so they refuse the same moments with the same words.
"""
from __future__ import annotations

import datetime as dt

from core import limits, timefmt
from core.errors import FieldError

CLOCK_TOLERANCE = limits.FUTURE_TOLERANCE


def future_error(moment: dt.datetime | None, what: str,
                 now: dt.datetime | None = None) -> str | None:
    """The Vietnamese reason why `moment` cannot be stored, or None when it is not in the future.

    `what` names the moment in the message ("Thời điểm tiếp nhận", "Thời điểm thanh toán" …).
    `now` defaults to this PC's clock (timefmt.now, which tests freeze).
    """
    if moment is None:
        return None
    now = timefmt.now() if now is None else now
    if moment <= now + CLOCK_TOLERANCE:
        return None
    return (f"{what} {timefmt.vn_datetime(moment)} ở tương lai (bây giờ là "
            f"{timefmt.vn_datetime(now)}). Hãy kiểm tra lại ngày giờ đã nhập và đồng hồ của máy.")


def refuse_future(moment: dt.datetime | None, field: str, what: str,
                  now: dt.datetime | None = None) -> None:
    """Raise FieldError(field, …) when `moment` is in the future beyond the tolerance."""
    reason = future_error(moment, what, now)
    if reason:
        raise FieldError(field, reason)
