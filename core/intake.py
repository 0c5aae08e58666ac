"""Receiving a dossier at the desk with what Mẫu 01 of Circular 03/2025 records: the applicant's
identifier and email, the authorised representative, how the result will be received and the
list of documents handed in (core.components).

`receive` wraps core.dossiers.create_dossier in one transaction with those details, so a dossier
never exists without the documents it was received with.

A dossier lacking a required document is not received at the desk: Decree 118/2025/NĐ-CP
Art. 17 (as Decree 61/2018 Art. 19 before it) has the clerk guide the applicant to complete it
(Mẫu 02) or refuse it with reasons (Mẫu 03). A dossier that arrived by post or online is already
submitted: it is recorded and its supplement request is made at once, in the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core import components as comp
from core import dossiers, facts, timefmt, validation
from core.accounts import recorded
from core.errors import FieldError, fail_if
from core.textnorm import clean_text
from db.connection import transaction
from db.schema import RESULT_DELIVERIES

INCOMPLETE_AT_DESK = (
    "Hồ sơ chưa đầy đủ, thiếu thành phần bắt buộc: {names}. Theo Điều 17 Nghị định "
    "118/2025/NĐ-CP, hồ sơ nộp trực tiếp chưa đầy đủ thì không tiếp nhận: in phiếu hướng dẫn "
    "bổ sung, hoàn thiện (Mẫu 02) cho người nộp, hoặc từ chối tiếp nhận có nêu lý do (Mẫu 03).")
SUPPLEMENT_REASON = "Hồ sơ thiếu thành phần bắt buộc khi tiếp nhận: {names}."


@dataclass(frozen=True)
class Handed(comp.Component):
    """One component at intake: the procedure's line, ticked or not by the clerk."""
    received: bool = True
    digitised: bool = False


def missing_required(items: list[Handed]) -> list[str]:
    return [h.name for h in items if h.required and not h.received]


def incomplete_at_desk(items: Sequence[Handed], channel: str) -> str | None:
    """Why a dossier handed in at the desk cannot be received as it is (a required document
    not ticked), or None: the intake says it on a save and takes it back as documents are ticked."""
    missing = missing_required(list(items))
    if not missing or channel != "direct":
        return None
    return INCOMPLETE_AT_DESK.format(names=_names(missing))


def detail_checks(applicant_id_no, applicant_email, representative,
                  result_delivery) -> list[Callable[[], object]]:
    """Mẫu 01's details, one check each (core.errors.collect). A hidden character is named
    as such, not as a malformed number (core.textnorm): its check runs first."""
    return [*validation.check_each_text({"applicant_id_no": applicant_id_no,
                                         "applicant_email": applicant_email,
                                         "representative": representative}),
            lambda: validation.check_identifier(applicant_id_no),
            lambda: validation.check_email(applicant_email),
            lambda: validation.check_representative(representative),
            fail_if(result_delivery is not None and result_delivery not in RESULT_DELIVERIES,
                    "result_delivery",
                    f"Hình thức nhận kết quả không hợp lệ: {result_delivery!r}.")]


def check_handed(items: list[Handed], channel: str) -> None:
    for line, h in enumerate(items, start=1):
        problem = comp.component_problem(h.name, h.form, h.count)
        if problem:
            raise FieldError("components", f"Thành phần hồ sơ dòng {line}: {problem[1]}.")
        if h.digitised and not h.received:
            raise FieldError("components", f"“{h.name}” chưa nhận nên chưa thể đánh dấu "
                                           "đã số hóa.")
    refused = incomplete_at_desk(items, channel)
    if refused:
        raise FieldError("components", refused)


def receive(db, *, components: Sequence[Handed] = (), applicant_email: str | None = None,
            representative: str | None = None, result_delivery: str | None = None,
            digitised: bool | None = None, **fields) -> tuple[int, str]:
    """Receive a dossier with its documents and Mẫu 01 details; returns (id, code).
    `digitised`: its documents were digitised, for a procedure without a document list (with
    one, each document says it; spec 5.1 indicator 4.2). Every wrong field is named at once
    (core.errors.FieldErrors): these checks run with core.dossiers.create_dossier's."""
    fields["actor"] = recorded("dossier.receive", fields.get("actor"))
    components = list(components)
    # judged and stored as cleaned (core.validation.stored_text): an ID number or an email
    # pasted with a zero-width space is the one it shows
    applicant_email = validation.stored_text(applicant_email)
    if "applicant_id_no" in fields:
        fields["applicant_id_no"] = validation.stored_text(fields["applicant_id_no"])
    checks = [*detail_checks(fields.get("applicant_id_no"), applicant_email, representative,
                             result_delivery),
              lambda: check_handed(components, fields.get("channel", "direct"))]
    missing = missing_required(components)
    with transaction(db) as conn:
        dossier_id, code = dossiers.create_dossier(db, checks=checks, **fields)
        conn.execute("UPDATE dossiers SET applicant_email = ?, representative = ?, "
                     "result_delivery = ?, digitised = ? WHERE id = ?",
                     [applicant_email, validation.clean_name(representative) or None,
                      result_delivery,
                      None if components or digitised is None else int(digitised), dossier_id])
        write_handed(conn, dossier_id, components)
        facts.refresh(db, [dossier_id])  # its 766 facts with the documents just written
        if missing:
            at = fields.get("received_at") or timefmt.now()
            flagged: dict[int, tuple[str, str | None]] = {
                i: ("missing", None) for i, h in enumerate(components, start=1)
                if h.required and not h.received}
            comp.request_supplement(db, dossier_id, flagged=flagged, at=at,
                                    reason=SUPPLEMENT_REASON.format(names=_names(missing)),
                                    actor=fields.get("actor"))
    return dossier_id, code


def write_handed(conn, dossier_id: int, items: list[Handed]) -> None:
    conn.executemany(
        "INSERT INTO dossier_components(dossier_id, position, name, form, count, received, "
        "digitised) VALUES (?,?,?,?,?,?,?)",
        [(dossier_id, i, clean_text(h.name).strip(), h.form, h.count, int(h.received), int(h.digitised))
         for i, h in enumerate(items, start=1)])


def from_procedure(db, procedure_code: str) -> list[Handed]:
    """The procedure's list as intake starts it: nothing ticked yet."""
    return [Handed(c.name, c.form, c.count, c.required, received=False)
            for c in comp.procedure_components(db, procedure_code)]


def _names(names: list[str]) -> str:
    return "; ".join(f"“{n}”" for n in names)



