"""The rules a dossier, payment or vote must meet, whoever writes it.

The window (through core.dossiers) and the import (core.transfer) call the same functions, so a
file can never store what a clerk could not type: a phone that is not a phone, a second vote
for one dossier, a payment before its dossier was received, a time in the future.

Each rule has a `…_reason` function giving the Vietnamese reason as a phrase (the import puts it
after "Dòng N, cột C, giá trị V:") or None when the value is fine; the `check_…` functions raise
FieldError with a whole sentence for the forms.
"""
from __future__ import annotations

import datetime as dt

from core import limits, timefmt

PHONE_RULE = "số điện thoại chỉ gồm chữ số (9–11 số), có thể bắt đầu bằng +84"


def _error(field: str, message: str):
    from core.errors import FieldError

    return FieldError(field, message)


# ----- phone ---------------------------------------------------------------------------------
def valid_phone(phone: str) -> bool:
    digits = phone.strip().replace(" ", "").replace(".", "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits.isdigit() and digits.isascii() and 9 <= len(digits) <= 11


def phone_reason(phone: str | None) -> str | None:
    return None if not phone or valid_phone(phone) else PHONE_RULE


def check_phone(phone: str | None, field: str = "applicant_phone") -> None:
    if phone_reason(phone):
        raise _error(field, "Số điện thoại chỉ gồm chữ số (9–11 số), có thể bắt đầu bằng +84.")


# ----- times ---------------------------------------------------------------------------------
def _moment(value) -> dt.datetime:
    return timefmt.parse_db_time(value) if isinstance(value, str) else value


def latest_time(now: dt.datetime | None = None) -> str:
    """The latest time that has happened, as stored text: now plus the clocks' tolerance.

    Stored times are 'YYYY-MM-DD HH:MM:SS' and compare as text; an import compares millions.
    """
    return timefmt.to_db_time((now or timefmt.now()) + limits.FUTURE_TOLERANCE)


def future_reason(moment, now: dt.datetime | None = None) -> str | None:
    """A time later than now (beyond a few minutes of clock difference) has not happened yet:
    the import's phrase; core.clock words the same rule for the forms."""
    from core.clock import future_error

    now = now or timefmt.now()
    if future_error(_moment(moment), "", now) is None:
        return None
    return f"ở tương lai (bây giờ là {now:%d/%m/%Y %H:%M})"


def check_not_future(moment, field: str, what: str, now: dt.datetime | None = None) -> None:
    """FieldError "<what> … ở tương lai" for a time after now (core.clock.refuse_future)."""
    from core.clock import refuse_future

    refuse_future(_moment(moment), field, what, now)


def payment_time_reason(paid_at, received_at) -> str | None:
    """A fee is paid for a received dossier: never before its reception."""
    if _moment(paid_at) < _moment(received_at):
        return f"thanh toán trước khi tiếp nhận hồ sơ ({_moment(received_at):%d/%m/%Y %H:%M})"
    return None


def check_payment_time(paid_at, received_at, field: str = "paid_at") -> None:
    reason = payment_time_reason(paid_at, received_at)
    if reason:
        raise _error(field, f"Không ghi được khoản {reason}.")


# ----- votes ---------------------------------------------------------------------------------
VOTE_TAKEN = "hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ có một phiếu đánh giá"


def voted_dossiers(conn, dossier_ids) -> set[int]:
    """Which of these dossiers already have a vote."""
    ids = sorted({i for i in dossier_ids if i is not None})
    found: set[int] = set()
    for start in range(0, len(ids), 500):  # SQLite's variable limit on old builds
        part = ids[start:start + 500]
        found.update(r[0] for r in conn.execute(
            f"SELECT DISTINCT dossier_id FROM votes WHERE cancelled_at IS NULL "
            f"AND dossier_id IN ({','.join('?' * len(part))})",
            part))
    return found


# ----- texts and amounts ---------------------------------------------------------------------
def check_texts(values: dict) -> None:
    """Every text of `values` within its maximum length (core.limits.TEXT)."""
    for field, value in values.items():
        if isinstance(value, str):
            limits.check_text(field, value)
