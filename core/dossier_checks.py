"""The checks of a dossier's fields outside its lifecycle (core.dossiers): a unit in existence
on a day (the intake's, a correction's), and what a correction may change and to what.

(Split from core.dossiers, whose correct_field writes the change and its event.)
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from core import timefmt, validation
from core.clock import refuse_future
from core.errors import FieldError
from core.moment import unit_absent_reason
from db.schema import CHANNELS

if TYPE_CHECKING:
    from core.dossiers import Dossier


def check_unit(db, code: str, day: dt.date, field: str, what: str) -> None:
    """A unit in the catalogue and in existence on `day` (not dissolved by a merger before it)."""
    row = db.execute("SELECT name, valid_from, valid_to FROM units WHERE code = ?",
                     [code]).fetchone()
    if row is None:
        raise FieldError(field, f"{what} {code!r} không có trong danh mục.")
    if reason := unit_absent_reason(row[0], row[1], row[2], day):
        raise FieldError(field, f"{what} {reason}.")


CORRECTABLE = {
    "applicant_name": "Họ tên người nộp", "applicant_phone": "Số điện thoại",
    "applicant_address": "Địa chỉ", "applicant_id_no": "Số định danh",
    "applicant_email": "Thư điện tử", "representative": "Người được ủy quyền",
    "procedure_code": "Thủ tục", "channel": "Kênh nộp", "received_at": "Thời điểm tiếp nhận",
    "due_at": "Hạn trả kết quả", "fee": "Lệ phí", "e_result": "Kết quả điện tử",
    "copies": "Số bộ hồ sơ", "note": "Ghi chú",
}


# People's names: stored as core.validation.clean_name gives them (no invisible characters).
PERSON_NAMES = ("applicant_name", "representative")


def stored_value(field: str, value):
    if isinstance(value, dt.datetime):
        return timefmt.to_db_time(value)
    if field in PERSON_NAMES and isinstance(value, str):
        return validation.clean_name(value) or None
    if isinstance(value, str):
        return validation.stored_text(value)
    return value


def check_correction(db, dossier: Dossier, field: str, value) -> None:
    if field == "procedure_code" and not db.execute(
            "SELECT 1 FROM procedures WHERE code = ?", [value]).fetchone():
        raise FieldError(field, f"Thủ tục {value!r} không có trong danh mục.")
    if field == "channel" and value not in CHANNELS:
        raise FieldError(field, f"Kênh nộp không hợp lệ: {value!r}.")
    if field == "applicant_name":
        validation.check_applicant_name(value, field)
    if field == "representative":
        validation.check_representative(value, field)
    if field == "applicant_phone":
        validation.check_phone(value)
    if field == "applicant_address":
        validation.check_address(value)
    if field == "applicant_id_no":
        validation.check_identifier(value)
    if field == "applicant_email":
        validation.check_email(value)
    if field == "fee" and value is not None and (not isinstance(value, int) or value < 0):
        raise FieldError(field, "Lệ phí phải là số nguyên không âm.")
    if field == "e_result" and value not in (0, 1):
        raise FieldError(field, "Kết quả điện tử chỉ nhận 0 hoặc 1.")
    if field == "received_at":
        check_reception(db, dossier, value)


def check_reception(db, dossier: Dossier, value: dt.datetime) -> None:
    """A corrected reception moment: not ahead, not after the dossier's finish, and its units
    (receiving and competent) in existence on that day — the intake's rule (`check_unit`); the
    same day keeps what is held, as a re-imported row does (core.transfer.dossiers)."""
    refuse_future(value, "received_at", "Thời điểm tiếp nhận")
    finished, competent = db.execute("SELECT finished_at, competent_unit_code FROM dossiers "
                                     "WHERE id = ?", [dossier.id]).fetchone()
    if finished and value > timefmt.parse_db_time(finished):
        raise FieldError("received_at", "Thời điểm tiếp nhận không được sau thời điểm xử lý xong.")
    if value.date() == dossier.received_at.date():
        return
    check_unit(db, dossier.unit_code, value.date(), "received_at", "Đơn vị")
    if competent and competent != dossier.unit_code:
        check_unit(db, competent, value.date(), "received_at", "Đơn vị giải quyết")
