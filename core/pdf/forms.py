"""Forms 02, 03 and 05 of Circular 03/2025/TT-VPCP Annex I on A5, for one dossier or a request.

Mẫu 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) lists the documents to bring or correct:
those the clerk names, else the dossier's documents not received or noted, else the reason of
its latest supplement wait. Mẫu 03 (Phiếu từ chối tiếp nhận giải quyết hồ sơ) is printed for a
request refused at the desk, which never becomes a dossier (spec 3) and so takes plain values,
or for a dossier refused after appraisal (status `rejected`), with its code and the reason of
its refusal. Mẫu 05 (Thông báo dừng giải quyết hồ sơ) is for a `stopped` dossier. Wording and
order follow the ministry copy of Annex I (QĐ 3621/QĐ-BYT 2025); docs/reports.md says where
the layout had to follow the older official forms.
"""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.errors import InputError
from core.pdf import blocks
from core.pdf.form_set import FORMS_2025, form_set
from core.pdf.slip_data import (
    Event,
    desk_at,
    desk_phrase,
    latest_event,
    latest_supplement_reason,
    load_dossier,
    requested_items,
)
from core.pdf.slip_parts import code_line
from core.pdf.slips import (
    SIZE,
    WIDTH,
    b,
    letter_signature,
    line,
    render_a5,
    resolver_header,
    settings_header,
    slip_header,
)
from core.pdf.vnformat import clock_date, place_date
from core.timefmt import vn_date

SUPPLEMENT_TITLE = FORMS_2025.titles["supplement"]
REFUSAL_TITLE = FORMS_2025.titles["refusal"]
STOP_TITLE = FORMS_2025.titles["stop"]


def _applicant_lines(name: str, procedure: str, address: str | None, phone: str | None,
                     email: str | None, id_no: str | None = None, lead: str = "Hồ sơ của") -> list:
    out = [line(f"{lead}: {b(name)}", markup=True)]
    if id_no:
        out.append(line(f"Số định danh cá nhân/tổ chức: {id_no}"))
    return out + [line(f"Nội dung yêu cầu giải quyết: {b(procedure)}", markup=True),
                  line(f"Địa chỉ: {address or ''}"),
                  line(f"Số điện thoại: {phone or ''}" + (f"; Email: {email}" if email else ""))]


def _issued(issued: dt.date | None) -> dt.date:
    from core.timefmt import now
    return issued or now().date()


def supplement_items(db, item, items: list[str] | None) -> tuple[list[str], str | None]:
    """What Mẫu 02 asks for, and the reason line (the latest wait's reason, if any)."""
    items = [i.strip() for i in (items or []) if i and i.strip()]
    stored = latest_supplement_reason(db, item)
    if not items:
        items = requested_items(db, item.id)
    if not items and stored:
        return [stored], None
    if not items:
        raise InputError(f"Hồ sơ {item.code} chưa có yêu cầu bổ sung nào và không thiếu giấy tờ "
                         "nào; hãy ghi nội dung cần bổ sung, hoàn thiện.")
    return items, stored


def build_supplement_request(db, code: str, items: list[str] | None = None,
                             reason: str | None = None, officer: str | None = None,
                             officer_phone: str | None = None, draft: bool = False,
                             issued: dt.date | None = None) -> bytes:
    """Mẫu 02 for dossier `code`: what to complete and why, and whom to call."""
    item = load_dossier(db, code)
    items, stored = supplement_items(db, item, items)
    reason = reason or stored
    desk = settings_header(db, item.unit_code)
    request = supplement_at_appraisal(db, item)
    header = resolver_header(db, item, desk) if request else desk
    contact = officer or (request.actor if request else None) or item.received_by or ""
    story = [slip_header(header, None, place_date(header.get("place", ""), _issued(issued))),
             *blocks.title_block(SUPPLEMENT_TITLE, None, WIDTH, size=12),
             code_line(item.code, WIDTH, SIZE + 1),
             *_applicant_lines(item.applicant_name, item.procedure_name, item.address,
                               item.phone, item.email),
             *_supplement_asks(items, reason)]
    # no clerk recorded (an imported dossier): the desk itself, never a blank "…"
    whom = contact or desk_at(desk_phrase(desk), item.unit_name)
    story += _supplement_contact(whom, officer_phone, contact)
    return render_a5(story, f"{SUPPLEMENT_TITLE} {item.code}", draft)


def _supplement_asks(items: list[str], reason: str | None) -> list:
    story = [line("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:"),
             *[line(f"{n}. {text}", indent=0) for n, text in enumerate(items, start=1)]]
    return story + ([line(f"Lý do: {reason}")] if reason else [])


def _supplement_contact(whom: str, phone: str | None, signer: str) -> list:
    return [line("Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
                 f"{whom}" + (f", số điện thoại {phone}" if phone else "") + " để được hướng dẫn./."),
            Spacer(1, 2 * mm),
            _one_signature("NGƯỜI HƯỚNG DẪN", signer)]


def build_desk_supplement(db, *, applicant_name: str, procedure_name: str, items: list[str],
                          address: str | None = None, phone: str | None = None,
                          email: str | None = None, id_no: str | None = None,
                          unit_code: str | None = None, officer: str | None = None,
                          draft: bool = False, issued: dt.date | None = None) -> bytes:
    """Mẫu 02 at reception: a request handed in at the desk lacks `items` (the required
    documents not ticked), so it is not received (Decree 118/2025 Art. 17) and the clerk
    guides the citizen once, in writing, to complete it. No dossier, no code; headed by the
    receiving desk and signed by the clerk guiding, as the desk's Mẫu 03 is."""
    from core import validation
    validation.check_procedure_chosen(procedure_name, "procedure_name")
    validation.check_applicant_name(applicant_name)
    validation.check_texts({"applicant_name": applicant_name, "applicant_address": address,
                            "applicant_phone": phone, "name": procedure_name})
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise InputError(validation.NOTHING_TO_COMPLETE)
    header = settings_header(db, unit_code)
    office = desk_phrase(header)
    officer = officer or _signed_in_clerk()
    story = [slip_header(header, None, place_date(header.get("place", ""), _issued(issued))),
             *blocks.title_block(SUPPLEMENT_TITLE, None, WIDTH, size=12),
             *_applicant_lines(validation.clean_name(applicant_name) or "", procedure_name.strip(),
                               address, phone, email, id_no, lead=f"{office} tiếp nhận hồ sơ của"),
             *_supplement_asks(items, "Hồ sơ chưa có đủ thành phần bắt buộc theo quy định."),
             *_supplement_contact(officer or office, None, officer)]
    return render_a5(story, SUPPLEMENT_TITLE, draft)


def supplement_at_appraisal(db, item) -> Event | None:
    """The latest supplement request when the resolving body made it at appraisal (the dossier
    was with it: 'processing'), not the desk at reception; None otherwise (a request at the
    desk, or a wait imported without its history). Mẫu 02 is then that body's letter
    (core.pdf.slips.resolver_header)."""
    row = db.execute("SELECT id, from_status FROM events WHERE dossier_id = ? "
                     "AND action = 'request_supplement' ORDER BY at DESC, id DESC LIMIT 1",
                     [item.id]).fetchone()
    if row is None or row[1] != "processing":
        return None
    return latest_event(db, item, "request_supplement")


def _one_signature(title: str, name: str, note: str = "(Ký và ghi rõ họ tên)"):
    st = blocks.style(SIZE, bold=True, align="center")
    table = blocks.Table([["", [blocks.para(title, st),
                                blocks.para(note, blocks.style(SIZE - 1, italic=True,
                                                               align="center")),
                                Spacer(1, 16 * mm), blocks.para(name or "", st)]]],
                         colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    table.setStyle(blocks.table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _refusal_story(header: dict, issued: dt.date, applicant: list, code: str | None,
                   statement: str, reason: str, signers: tuple[str, str]) -> list:
    story = [slip_header(header, None, place_date(header.get("place", ""), issued)),
             *blocks.title_block(REFUSAL_TITLE, None, WIDTH, size=12)]
    if code:
        story.append(code_line(code, WIDTH, SIZE + 1))
    return story + [*applicant, line(statement), line(reason, indent=8 * mm),
                    line("Xin thông báo cho Ông/Bà được biết và thực hiện./."), Spacer(1, 3 * mm),
                    blocks.two_signatures("NGƯỜI NỘP HỒ SƠ", signers[0], "NGƯỜI TIẾP NHẬN HỒ SƠ",
                                          signers[1], WIDTH, size=SIZE)]


def build_refusal(db, *, applicant_name: str, procedure_name: str, reason: str,
                  address: str | None = None, phone: str | None = None,
                  email: str | None = None, id_no: str | None = None,
                  officer: str | None = None, draft: bool = False,
                  issued: dt.date | None = None, unit_code: str | None = None) -> bytes:
    """Mẫu 03: the request is refused at the desk for `reason` (no dossier, no code).

    Headed as the receipt of the same desk (`unit_code`, the receiving unit chosen in the
    form), and signed by `officer`, else the clerk signed in: it headed with the office's
    header and left «NGƯỜI TIẾP NHẬN HỒ SƠ» unnamed (walk35)."""
    from core import validation
    validation.check_procedure_chosen(procedure_name, "procedure_name")
    validation.check_applicant_name(applicant_name)
    validation.check_refusal_reason(reason)
    validation.check_texts({"applicant_name": applicant_name, "applicant_address": address,
                            "applicant_phone": phone, "name": procedure_name, "reason": reason})
    header = settings_header(db, unit_code)
    office = desk_phrase(header)
    applicant_name = validation.clean_name(applicant_name) or ""
    officer = officer or _signed_in_clerk()
    applicant = _applicant_lines(applicant_name, procedure_name.strip(), address, phone,
                                 email, id_no, lead=f"{office} tiếp nhận hồ sơ của")
    statement = (f"Qua xem xét, {office} thông báo không tiếp nhận, giải quyết hồ sơ này với lý "
                 "do cụ thể như sau:")
    return render_a5(_refusal_story(header, _issued(issued), applicant, None, statement,
                                    reason.strip(), (applicant_name, officer or "")),
                     REFUSAL_TITLE, draft)


def _signed_in_clerk() -> str:
    """The name of the person at the desk (the worker acts for who started it); nobody's for
    the command line, whose operating-system user is not a clerk."""
    from db import actor
    who = actor.current()
    return "" if who.is_system else who.full_name


def build_refusal_of_dossier(db, code: str, draft: bool = False) -> bytes:
    """Mẫu 03 for a dossier refused after appraisal (`rejected`): its code and the reason."""
    item = load_dossier(db, code)
    event = latest_event(db, item, "reject")
    desk = settings_header(db, item.unit_code)
    header = resolver_header(db, item, desk)  # the resolving body's refusal (Art. 19.8)
    office = desk_phrase(desk)
    applicant = _applicant_lines(item.applicant_name, item.procedure_name, item.address,
                                 item.phone, item.email, item.id_no,
                                 lead=f"{office} tiếp nhận hồ sơ của")
    agency = item.competent_name or item.unit_name
    statement = (f"Qua xem xét, thẩm định hồ sơ, {agency} thông báo không giải quyết hồ sơ này "
                 "với lý do cụ thể như sau:")
    issued = event.at.date() if event else (item.finished_at or item.received_at).date()
    reason = (event.reason if event and event.reason else "")
    return render_a5(_refusal_story(header, issued, applicant, item.code, statement, reason,
                                    (item.applicant_name, item.received_by or "")),
                     f"{REFUSAL_TITLE} {item.code}", draft)


def build_stop_notice(db, code: str, draft: bool = False) -> bytes:
    """Mẫu 05 (Thông báo dừng giải quyết hồ sơ) for a `stopped` dossier."""
    item = load_dossier(db, code)
    event = latest_event(db, item, "stop")
    stopped = event.at if event else (item.finished_at or item.received_at)
    header = settings_header(db, item.unit_code)
    office = desk_phrase(header)
    agency = item.competent_name or item.unit_name
    title = form_set(item.received_at).titles["stop"]
    body = [
        line(f"Ngày {vn_date(item.received_at)}, {desk_at(office, item.unit_name)} tiếp nhận hồ "
             f"sơ đề nghị giải quyết thủ tục hành chính {b(item.procedure_name)} của Ông/Bà/Tổ chức; "
             f"mã số hồ sơ: {b(item.code)}.", markup=True, indent=8 * mm),
        line(f"{agency} thông báo dừng giải quyết hồ sơ nêu trên kể từ {b(clock_date(stopped))}.",
             markup=True, indent=8 * mm),
        line(f"Lý do: {event.reason if event and event.reason else ''}", indent=8 * mm),
        line("Mọi vướng mắc, Ông/Bà/Tổ chức liên hệ Bộ phận Một cửa nơi nộp hồ sơ để được hướng "
             "dẫn./.", indent=8 * mm)]
    story = [slip_header(header, None, place_date(header.get("place", ""), stopped.date())),
             *blocks.title_block(title, None, WIDTH, size=12),
             blocks.para(f"Kính gửi: Ông/Bà {item.applicant_name}",
                         blocks.style(SIZE + 1, align="center", after=4)),
             *body, Spacer(1, 2 * mm), letter_signature(header, item.applicant_name)]
    return render_a5(story, f"{title} {item.code}", draft)
