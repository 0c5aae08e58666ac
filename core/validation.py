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
import functools
import re
from collections.abc import Callable

from core import limits, timefmt

# the rules of names (stored as `clean_name` gives them): their home is core.name_rules, named
# here too, where the window, the core API and the import have always asked for them
from core.name_rules import DIGITS_ONLY_NAME as DIGITS_ONLY_NAME
from core.name_rules import NUMBER_IN_NAME as NUMBER_IN_NAME
from core.name_rules import _blank, _error, representative_reason, typed_name_reason
from core.name_rules import account_name_reason as account_name_reason
from core.name_rules import applicant_name_reason as applicant_name_reason
from core.name_rules import clean_name as clean_name
from core.name_rules import clean_printed as clean_printed
from core.name_rules import number_in_name as number_in_name
from core.name_rules import printed_line as printed_line
from core.name_rules import printed_text_reason as printed_text_reason
from core.phones import normal_phone
from core.textnorm import clean_text, hidden_reason
from db.batches import rows_in

PHONE_RULE = "số điện thoại chỉ gồm chữ số (9–11 số), có thể bắt đầu bằng +84"

# The sentences of the rules a request must meet before it is received or refused at the desk:
# the intake, the desk refusal (Mẫu 03) and a correction say each one in the same words.
APPLICANT_NAME_REQUIRED = "Cần nhập họ tên người nộp hồ sơ."
PROCEDURE_REQUIRED = "Cần chọn thủ tục hành chính."
REFUSAL_REASON_REQUIRED = "Cần ghi lý do từ chối tiếp nhận."
# Mẫu 02 guides the citizen to the required documents missing: none missing, nothing to guide
# (the intake's button and core.pdf.forms.build_desk_supplement say it in these words).
NOTHING_TO_COMPLETE = ("Hồ sơ không thiếu thành phần bắt buộc nào: không có gì để hướng dẫn "
                       "bổ sung, hoàn thiện.")


# spec 2.2: `calendar_days` N is "received_at.date() + N days", a whole number of dates; only a
# working-days limit may be fractional (0.5 = 4 working hours). A fractional calendar limit was
# stored and printed ('2,5 ngày' on the receipt) but counted rounded half to even (2,5 → 2).
WHOLE_CALENDAR_DAYS = ("thời hạn tính theo ngày (theo lịch) phải là số ngày nguyên; số lẻ chỉ "
                       "dùng cho ngày làm việc (0,5 ngày làm việc = 4 giờ làm việc)")


def check_representative(name: str | None, field: str = "representative") -> None:
    if reason := representative_reason(name):
        raise _error(field, f"Họ tên người được ủy quyền {reason}.")


def check_applicant_name(name: str | None, field: str = "applicant_name") -> None:
    if _blank(name):
        raise _error(field, APPLICANT_NAME_REQUIRED)
    reason = typed_name_reason(name)
    if reason:
        raise _error(field, f"Họ tên người nộp {reason}.")


def check_procedure_chosen(procedure: object | None, field: str = "procedure_code") -> None:
    if _blank(procedure):
        raise _error(field, PROCEDURE_REQUIRED)


def check_refusal_reason(reason: str | None, field: str = "reason") -> None:
    if _blank(reason):
        raise _error(field, REFUSAL_REASON_REQUIRED)


# ----- a procedure's time limit --------------------------------------------------------------
def limit_reason(value, unit: str | None) -> str | None:
    """Why a procedure's time limit `value` `unit` cannot be kept (spec 2.2), or None."""
    if unit == "calendar_days" and value is not None and float(value) != int(float(value)):
        return WHOLE_CALENDAR_DAYS
    return None


def check_limit(value, unit: str | None, field: str = "limit_value") -> None:
    reason = limit_reason(value, unit)
    if reason:
        raise _error(field, reason[0].upper() + reason[1:] + ".")


# ----- phone ---------------------------------------------------------------------------------
# what groups a phone's digits as a clerk writes them (kept in the stored value: core.phones)
_PHONE_GROUPING = str.maketrans("", "", " .-")


def valid_phone(phone: str) -> bool:
    digits = (normal_phone(phone) or "").translate(_PHONE_GROUPING)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits.isdigit() and digits.isascii() and 9 <= len(digits) <= 11


def phone_reason(phone: str | None) -> str | None:
    return None if not phone or valid_phone(phone) else PHONE_RULE


def check_phone(phone: str | None, field: str = "applicant_phone") -> None:
    if phone_reason(phone):
        raise _error(field, "Số điện thoại chỉ gồm chữ số (9–11 số), có thể bắt đầu bằng +84.")


# ----- address -------------------------------------------------------------------------------
ADDRESS_MASKED = "Địa chỉ không được bắt đầu hay kết thúc bằng ***: đó là dấu của địa chỉ đã che"


def address_reason(address: str | None) -> str | None:
    """An address opening with '***' (or, written from the province down, ending with it) is
    what an export shows for a masked one (is_masked): a real one typed so would be taken for
    masked, and refused, when its full export comes back."""
    from core.privacy.masking import is_masked  # masking -> accounts -> validation at import
    return ADDRESS_MASKED if is_masked(address, "applicant_address") else None


def check_address(address: str | None, field: str = "applicant_address") -> None:
    if reason := address_reason(address):
        raise _error(field, f"{reason}.")


# ----- applicant identifier and email (Mẫu 01 of Circular 03/2025) ---------------------------
# A citizen's personal identifier is the 12 digits of the CCCD / số định danh cá nhân; an
# organisation's is its tax code (mã số doanh nghiệp): 10 digits, or 13 for a branch, often
# written 10-3 with a hyphen.
# The identity documents a citizen still presents, and the portal's dossiers still hold: the
# old 9-digit CMND (valid until 31/12/2024, written in every older dossier) and a passport (a
# foreigner's, or a Vietnamese one: a letter and 7 digits, 'C1234567').
_PERSONAL_ID = re.compile(r"\d{12}")
_OLD_ID_CARD = re.compile(r"\d{9}")
_PASSPORT = re.compile(r"[A-Za-z]{1,2}\d{6,8}")
_TAX_CODE = re.compile(r"\d{10}(?:-?\d{3})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
IDENTIFIER_RULE = ("số định danh cá nhân gồm 12 chữ số (CCCD), CMND cũ 9 chữ số, hộ chiếu gồm "
                   "1–2 chữ cái và 6–8 chữ số; mã số doanh nghiệp gồm 10 chữ số (chi nhánh: "
                   "13 chữ số, có thể viết 10-3)")


def identifier_reason(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value or any(rule.fullmatch(value) for rule in (_PERSONAL_ID, _OLD_ID_CARD, _PASSPORT,
                                                            _TAX_CODE)):
        return None
    return IDENTIFIER_RULE


def check_identifier(value: str | None, field: str = "applicant_id_no") -> None:
    if reason := identifier_reason(value):
        raise _error(field, f"Số định danh không hợp lệ{_digits_given(value)}: {reason}.")


def _digits_given(value: str | None) -> str:
    """How many digits the clerk typed, when only digits: one short of a CCCD's 12 is not
    seen at a glance in '02019301234' (the import names its value, the form shows it)."""
    value = (value or "").strip()
    return f" (số đã ghi có {len(value)} chữ số)" if value.isdigit() and value.isascii() else ""


def email_reason(value: str | None) -> str | None:
    value = (value or "").strip()
    return "thư điện tử không hợp lệ (ví dụ: ten@example.vn)" \
        if value and not _EMAIL.fullmatch(value) else None


def check_email(value: str | None, field: str = "applicant_email") -> None:
    if email_reason(value):
        raise _error(field, "Thư điện tử không hợp lệ (ví dụ: ten@example.vn).")


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
    return {r[0] for r in rows_in(conn, "SELECT DISTINCT dossier_id FROM votes WHERE "
                                   "cancelled_at IS NULL AND dossier_id IN ({marks})", ids)}


# ----- texts and amounts ---------------------------------------------------------------------
# judged by their own rule, on the name as `clean_name` stores it (a tab in it is a space, a BEL
# a character the documents cannot print: core.printable), bidi controls included
_NAMES = ("applicant_name", "representative", "full_name")


def check_each_text(values: dict) -> list[Callable[[], None]]:
    """check_texts as one check per field, for core.errors.collect."""
    return [functools.partial(check_texts, {field: value}) for field, value in values.items()]


def check_texts(values: dict) -> None:
    """Every text of `values` within its maximum length (core.limits.TEXT) and, a name apart
    (`_NAMES`), without a bidi or control character (core.textnorm.hidden_reason: "Địa chỉ chứa
    ký tự ẩn đảo chiều chữ (mã U+202E) ở vị trí 12: chữ hiện ra khác chữ được lưu.")."""
    for field, value in values.items():
        if isinstance(value, str):
            limits.check_text(field, value)
            reason = None if field in _NAMES else hidden_reason(value)
            if reason:
                label = limits.TEXT[field][1] if field in limits.TEXT else "Nội dung"
                raise _error(field, f"{label} {reason}.")


def stored_text(text: str | None) -> str | None:
    """A free text (an address, a phone, a code, a note…) as it is stored from a form, the core
    API or an import: the invisible characters that mean nothing removed, NFC, no spaces at the
    ends (core.textnorm.clean_text); None when nothing is left. Judge it with `check_texts`."""
    return clean_text(text).strip() or None if text else None


def stored_reason(reason: str | None, missing: str | None = None) -> str | None:
    """A reason (a transition's, an extension's, a correction's, a cancellation's) as it is
    judged and stored: the rule of every other free text — its length and no bidi or control
    character (`check_texts`, naming «Lý do»), the characters that mean nothing removed, NFC,
    stripped (`stored_text`). Stripped only, a zero-width space pasted in a reason was stored,
    and a reason of zero-width spaces alone was taken as given. `missing`: the sentence when a
    reason is required and nothing visible is left."""
    check_texts({"reason": reason})
    text = stored_text(reason)
    if text is None and missing:
        raise _error("reason", missing)
    return text
