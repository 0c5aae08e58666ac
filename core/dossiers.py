"""The dossier lifecycle (spec 3) and dossier codes (spec 4).

One function per allowed transition. Each checks the current status, writes the change and an
event (who, when, from, to, reason) and refreshes the dossier's facts, all in one transaction.
A transition that is not allowed raises OperationError with a Vietnamese message.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlite_utils

from core import facts, history, installation, labels, limits, timefmt, validation
from core.accounts import recorded
from core.clock import refuse_future
from core.dossier_checks import (  # CORRECTABLE: the windows' name for it too
    CORRECTABLE,
    PERSON_NAMES,
    check_correction,
    check_unit,
    stored_value,
)
from core.errors import FieldError, InputError, OperationError, collect, fail_if
from core.moment import OPEN
from core.phones import normal_phone

# the lifecycle's table and why an action cannot be taken now (spec 3): their home is
# core.transitions, named here too, where the window and the tests have always asked for them
from core.transitions import NEEDS_REASON as NEEDS_REASON
from core.transitions import TRANSITIONS as TRANSITIONS
from core.transitions import allowed_actions as allowed_actions
from core.transitions import unavailable_reason as unavailable_reason
from db import ledger
from db.connection import transaction
from db.schema import CHANNELS

STATUS_VI, CHANNEL_VI = labels.STATUS_VI, labels.CHANNEL_VI  # the one table of each (core.labels)


@dataclass
class Dossier:
    id: int
    code: str
    status: str
    received_at: dt.datetime
    unit_code: str


# ----- codes ---------------------------------------------------------------------------------
# The allocation (with this installation's slot, spec 4) lives in core.installation.
allocate_code = installation.allocate_code


# ----- reading -------------------------------------------------------------------------------
def load(db: sqlite_utils.Database, dossier_id: int) -> Dossier:
    row = db.execute("SELECT id, code, status, received_at, unit_code FROM dossiers WHERE id = ?",
                     [dossier_id]).fetchone()
    if row is None:
        raise InputError(f"Không tìm thấy hồ sơ số {dossier_id}.")
    return Dossier(row[0], row[1], row[2], timefmt.parse_db_time(row[3]), row[4])


def find_by_code(db: sqlite_utils.Database, code: str) -> int:
    row = db.execute("SELECT id FROM dossiers WHERE code = ?", [code.strip()]).fetchone()
    if row is None:
        raise InputError(f"Không tìm thấy hồ sơ có mã {code!r}.")
    return row[0]


# ----- creation ------------------------------------------------------------------------------
def create_dossier(db: sqlite_utils.Database, *, unit_code: str, procedure_code: str,
                   applicant_name: str, channel: str = "direct",
                   received_at: dt.datetime | None = None, applicant_phone: str | None = None,
                   applicant_address: str | None = None, applicant_id_no: str | None = None,
                   due_at: dt.datetime | None = None, fee: int | None = None,
                   copies: int = 1, note: str | None = None, actor: str | None = None,
                   competent_unit_code: str | None = None,
                   checks: Sequence[Callable[[], object]] = ()) -> tuple[int, str]:
    """Receive a dossier: validate, allocate its code, insert it with its first event.

    `competent_unit_code`: the unit that resolves it when not the receiving unit (spec 1);
    the code carries the competent unit's identifier (spec 4). `checks`: the caller's own
    (core.intake's), run with these in one pass: FieldErrors names every wrong field."""
    actor = recorded("dossier.receive", actor)  # received_by: the clerk at the counter
    received_at = received_at or timefmt.now()
    # judged and stored as cleaned: a phone pasted with a zero-width space is the phone it shows
    applicant_phone, applicant_address, applicant_id_no, note = (
        _clean(v) for v in (applicant_phone, applicant_address, applicant_id_no, note))
    applicant_phone = normal_phone(applicant_phone)  # "０９１２ ３４５" is "0912 345"
    collect(*validation.check_each_text({
        "applicant_name": applicant_name, "applicant_phone": applicant_phone,
        "applicant_address": applicant_address, "note": note,
        "applicant_id_no": applicant_id_no, "received_by": actor}),
        lambda: validation.check_address(applicant_address),
        lambda: limits.check_money("fee", fee),
        *_new_checks(db, unit_code, procedure_code, applicant_name, channel, applicant_phone,
                     fee, due_at, received_at, copies),
        lambda: competent_unit(db, unit_code, competent_unit_code, received_at), *checks)
    competent = competent_unit(db, unit_code, competent_unit_code, received_at)
    with transaction(db) as conn:
        code = allocate_code(conn, competent or unit_code, received_at)
        conn.execute(
            "INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, applicant_phone,"
            " applicant_address, applicant_id_no, channel, received_at, status, due_at, fee,"
            " copies, received_by, note, competent_unit_code)"
            " VALUES (?,?,?,?,?,?,?,?,?,'received',?,?,?,?,?,?)",
            [code, unit_code, procedure_code, validation.clean_name(applicant_name),
             _clean(applicant_phone),
             _clean(applicant_address), _clean(applicant_id_no), channel,
             timefmt.to_db_time(received_at), timefmt.to_db_time(due_at) if due_at else None,
             fee, copies, actor, _clean(note), competent])
        # by its code: after the view's INSTEAD OF INSERT (db.dossier_rows) lastrowid is not it
        dossier_id = conn.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()[0]
        _event(conn, dossier_id, received_at, actor, "receive", None, "received", None,
               history.receive_details(channel, fee, timefmt.to_db_time(due_at) if due_at else None))
        facts.refresh(db, [dossier_id])
    return dossier_id, code


def competent_unit(db, unit_code: str, competent_code: str | None,
                   received_at: dt.datetime) -> str | None:
    """The competent unit to store: None when it is the receiving unit (spec 1: empty = the
    receiving unit); refused when unknown or not in existence on the reception day."""
    competent_code = (competent_code or "").strip()
    if not competent_code or competent_code == unit_code:
        return None
    check_unit(db, competent_code, received_at.date(), "competent_unit_code", "Đơn vị giải quyết")
    return competent_code


def _new_checks(db, unit_code, procedure_code, applicant_name, channel, phone, fee, due_at,
                received_at, copies) -> list[Callable[[], None]]:
    """The rules of a new dossier, one check each (core.errors.collect runs them all)."""
    known = bool(db.execute("SELECT 1 FROM procedures WHERE code = ?", [procedure_code]).fetchone())
    return [lambda: check_unit(db, unit_code, received_at.date(), "unit_code", "Đơn vị"),
            lambda: validation.check_procedure_chosen(procedure_code),
            fail_if(not known, "procedure_code", f"Thủ tục {procedure_code!r} không có trong danh mục."),
            lambda: validation.check_applicant_name(applicant_name),
            lambda: refuse_future(received_at, "received_at", "Thời điểm tiếp nhận"),
            fail_if(channel not in CHANNELS, "channel", f"Kênh nộp không hợp lệ: {channel!r}."),
            lambda: validation.check_phone(phone),
            fail_if(fee is not None and fee < 0, "fee", "Lệ phí không được âm."),
            fail_if(due_at is not None and due_at < received_at, "due_at",
                    "Hạn trả kết quả không được trước thời điểm tiếp nhận."),
            fail_if(not limits.COPIES[0] <= copies <= limits.COPIES[1], "copies",
                    "Số bộ hồ sơ phải từ 1 đến 99.")]


_clean = validation.stored_text  # invisible characters removed, NFC, stripped (core.textnorm)


_event = history.record  # the one chaining path (db.chain)


# For core.payments and core.votes, which write events and clean text the same way.
record_event, clean_text = _event, _clean


# ----- transitions ---------------------------------------------------------------------------
def _transition(db, dossier_id: int, action: str, at: dt.datetime | None, actor: str | None,
                reason: str | None, apply, details: dict | None = None) -> None:
    actor = recorded("dossier.act", actor)
    sources, target, name = TRANSITIONS[action]
    at = at or timefmt.now()
    reason = validation.stored_reason(
        reason, f"Cần ghi lý do khi {name}." if action in NEEDS_REASON else None)
    refuse_future(at, "at", "Thời điểm thao tác")
    with transaction(db) as conn:
        dossier = load(db, dossier_id)
        if dossier.status not in sources:
            raise OperationError(
                f"Không thể {name} hồ sơ {dossier.code} khi đang ở trạng thái "
                f"“{STATUS_VI[dossier.status]}”.")
        if at < dossier.received_at:
            raise FieldError("at", "Thời điểm thao tác không được trước thời điểm tiếp nhận hồ sơ.")
        apply(conn, dossier, at)
        conn.execute("UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?",
                     [target, timefmt.to_db_time(timefmt.now()), dossier_id])
        _event(conn, dossier_id, at, actor, action, dossier.status, target, reason, details)
        facts.refresh(db, [dossier_id])


def _nothing(conn, dossier, at) -> None:
    return None


def _set_finished(conn, dossier: Dossier, at: dt.datetime) -> None:
    conn.execute("UPDATE dossiers SET finished_at = ? WHERE id = ?", [timefmt.to_db_time(at), dossier.id])


def start_processing(db, dossier_id, *, at=None, actor=None) -> None:
    _transition(db, dossier_id, "start_processing", at, actor, None, _nothing)


def request_supplement(db, dossier_id, *, reason: str, at=None, actor=None,
                       details: dict | None = None) -> None:
    def open_wait(conn, dossier, moment):  # the new row goes into the ledger (db.ledger, spec 10)
        ledger.added(conn, "supplements", "id = ?", [conn.execute(
            "INSERT INTO supplements(dossier_id, requested_at, reason) VALUES (?,?,?)",
            [dossier.id, timefmt.to_db_time(moment), validation.stored_reason(reason)]).lastrowid])
    # details: the components named (core.components.request_supplement, Mẫu 02)
    _transition(db, dossier_id, "request_supplement", at, actor, reason, open_wait, details)


def receive_supplement(db, dossier_id, *, at=None, actor=None) -> None:
    def close_wait(conn, dossier, moment):
        row = conn.execute("SELECT id, requested_at FROM supplements WHERE dossier_id = ? AND "
                           "completed_at IS NULL ORDER BY requested_at DESC LIMIT 1",
                           [dossier.id]).fetchone()
        if row is None:
            raise OperationError(f"Hồ sơ {dossier.code} không có yêu cầu bổ sung nào đang chờ.")
        if moment < timefmt.parse_db_time(row[1]):
            raise FieldError("at", "Thời điểm nhận bổ sung không được trước thời điểm yêu cầu.")
        with ledger.changing(conn, "supplements", "id = ?", [row[0]]):
            conn.execute("UPDATE supplements SET completed_at = ? WHERE id = ?", [timefmt.to_db_time(moment), row[0]])
    _transition(db, dossier_id, "receive_supplement", at, actor, None, close_wait)


def finish(db, dossier_id, *, at=None, actor=None, e_result: bool | None = None,
           result_digitised: bool | None = None) -> None:
    def done(conn, dossier, moment):  # with the result: electronic? digitised? (spec 5.1)
        _set_finished(conn, dossier, moment)
        conn.execute("UPDATE dossiers SET e_result = COALESCE(?, e_result), result_digitised = "
                     "COALESCE(?, result_digitised) WHERE id = ?",
                     [*(None if v is None else int(v) for v in (e_result, result_digitised)), dossier.id])
    _transition(db, dossier_id, "finish", at, actor, None, done)


def return_result(db, dossier_id, *, at=None, actor=None) -> None:
    def returned(conn, dossier, moment):
        finished = conn.execute("SELECT finished_at FROM dossiers WHERE id = ?",
                                [dossier.id]).fetchone()[0]
        if finished and moment < timefmt.parse_db_time(finished):
            raise FieldError("at", "Thời điểm trả kết quả không được trước thời điểm xử lý xong.")
        conn.execute("UPDATE dossiers SET returned_at = ? WHERE id = ?",
                     [timefmt.to_db_time(moment), dossier.id])
    _transition(db, dossier_id, "return_result", at, actor, None, returned)


def reject(db, dossier_id, *, reason: str, at=None, actor=None) -> None:
    _transition(db, dossier_id, "reject", at, actor, reason, _set_finished)


def withdraw(db, dossier_id, *, reason: str, at=None, actor=None) -> None:
    _transition(db, dossier_id, "withdraw", at, actor, reason, _set_finished)


def stop(db, dossier_id, *, reason: str, at=None, actor=None) -> None:
    _transition(db, dossier_id, "stop", at, actor, reason, _set_finished)


def extend(db, dossier_id, *, new_due_at: dt.datetime, reason: str, at=None, actor=None) -> None:
    """The one-time extension (Mẫu 04): a new due time with a reason; allowed once, while open."""
    actor = recorded("dossier.extend", actor)
    at = at or timefmt.now()
    # ("or ''": never empty, a missing reason raises)
    reason = validation.stored_reason(reason, "Cần ghi lý do gia hạn (sẽ in trên phiếu xin lỗi).") or ""
    refuse_future(at, "at", "Thời điểm gia hạn")
    with transaction(db) as conn:
        dossier = load(db, dossier_id)
        if dossier.status not in OPEN:
            raise OperationError(f"Hồ sơ {dossier.code} đã kết thúc, không thể gia hạn.")
        if conn.execute("SELECT 1 FROM extensions WHERE dossier_id = ?", [dossier_id]).fetchone():
            raise OperationError(f"Hồ sơ {dossier.code} đã được gia hạn một lần; "
                                 "việc hẹn lại ngày trả kết quả chỉ được thực hiện một lần.")
        # imported here: they read core.moment
        from core.live_due import extension_previous, refuse_not_later
        refuse_not_later(db, dossier_id, new_due_at, at)
        previous = extension_previous(db, dossier_id, at)  # the due with its waits
        if new_due_at <= at:  # a late dossier's apology promising a day already gone
            raise FieldError("new_due_at", f"Hẹn trả mới phải sau thời điểm gia hạn "
                             f"({timefmt.vn_datetime(at)}): ngày hẹn ấy đã qua.")
        cursor = conn.execute("INSERT INTO extensions(dossier_id, extended_at, previous_due_at, "
                              "new_due_at, reason, actor) VALUES (?,?,?,?,?,?)",
                              [dossier_id, timefmt.to_db_time(at), previous,
                               timefmt.to_db_time(new_due_at), reason, actor])
        ledger.added(conn, "extensions", "id = ?", [cursor.lastrowid])
        conn.execute("UPDATE dossiers SET extended_due_at = ?, updated_at = ? WHERE id = ?",
                     [timefmt.to_db_time(new_due_at), timefmt.to_db_time(timefmt.now()), dossier_id])
        _event(conn, dossier_id, at, actor, "extend", dossier.status, dossier.status,
               reason, {"previous_due_at": previous,
                                "new_due_at": timefmt.to_db_time(new_due_at)})
        facts.refresh(db, [dossier_id])


# ----- payments and votes: their rules live in core.payments and core.votes (built on this) ---
def add_payment(db, dossier_id: int, **fields) -> int:
    from core import payments  # imported here: core.payments imports this module
    return payments.add_payment(db, dossier_id, **fields)


def add_vote(db, **fields) -> int:
    from core import votes  # imported here: core.votes imports this module
    return votes.add_vote(db, **fields)


# ----- corrections (what may be corrected and its checks: core.dossier_checks) -----------
def correct_field(db, dossier_id: int, field: str, value, *, reason: str,
                  actor: str | None = None) -> None:
    """Correct one field with a reason; the old value stays in the event history."""
    actor = recorded("dossier.correct", actor)
    if field not in CORRECTABLE:
        raise FieldError(field, f"Không sửa được trường {field!r}.")
    reason = validation.stored_reason(reason, "Cần ghi lý do sửa thông tin.") or ""  # never ''
    if isinstance(value, str) and field not in PERSON_NAMES:
        value = _clean(value)  # judged as stored: a code pasted with a zero-width space matches
    if field == "applicant_phone":
        value = normal_phone(value)
    validation.check_texts({field: value})
    if field == "fee" and isinstance(value, int):
        limits.check_money("fee", value)
    stored = stored_value(field, value)
    with transaction(db) as conn:
        dossier = load(db, dossier_id)
        check_correction(db, dossier, field, value)
        old = conn.execute(f"SELECT {field} FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
        if old == stored:
            return
        conn.execute(f"UPDATE dossiers SET {field} = ?, updated_at = ? WHERE id = ?",
                     [stored, timefmt.to_db_time(timefmt.now()), dossier_id])
        _event(conn, dossier_id, timefmt.now(), actor, "correct", dossier.status, dossier.status,
               reason, {"field": field, "old": old, "new": stored})
        facts.refresh(db, [dossier_id])
