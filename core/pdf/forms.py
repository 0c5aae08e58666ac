"""Forms 02 and 03 (Circular 03/2025 Annex I, formerly Circular 01/2018) on A5, offered from the dossier screen.

Mẫu 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) is printed for a dossier, its request taken
from the latest supplement wait unless the clerk gives the items. Mẫu 03 (Phiếu từ chối tiếp
nhận giải quyết hồ sơ) is for a request refused at the desk, which never becomes a dossier
(spec 3), so it takes plain values.
"""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.errors import InputError
from core.pdf import blocks
from core.pdf.slip_data import latest_supplement_reason, load_dossier, office_phrase
from core.pdf.slips import WIDTH, SIZE, b, line, render_a5, settings_header, slip_header
from core.pdf.vnformat import place_date

SUPPLEMENT_TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
REFUSAL_TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"


def _applicant_lines(office: str, name: str, procedure: str, address: str | None,
                     phone: str | None, email: str | None) -> list:
    return [line(f"{office} tiếp nhận hồ sơ của: {b(name)}", markup=True),
            line(f"Nội dung yêu cầu giải quyết: {b(procedure)}", markup=True),
            line(f"Địa chỉ: {address or ''}"),
            line(f"Số điện thoại: {phone or ''}" + (f"; Email: {email}" if email else ""))]


def build_supplement_request(db, code: str, items: list[str] | None = None,
                             reason: str | None = None, officer: str | None = None,
                             officer_phone: str | None = None, draft: bool = False,
                             issued: dt.date | None = None) -> bytes:
    """Mẫu 02 for dossier `code`: what to complete and why, and whom to call."""
    from core.timefmt import now

    item = load_dossier(db, code)
    items = [i.strip() for i in (items or []) if i and i.strip()]
    if not items:
        stored = latest_supplement_reason(db, item)
        if not stored:
            raise InputError(f"Hồ sơ {item.code} chưa có yêu cầu bổ sung nào; hãy ghi nội dung "
                             "cần bổ sung, hoàn thiện.")
        items = [stored]
    header = settings_header(db, item.unit_code)
    office = office_phrase(header.get("office", ""))
    contact = officer or item.received_by or ""
    story = [slip_header(header, f"Mã hồ sơ: {b(item.code)}",
                         place_date(header.get("place", ""), issued or now().date())),
             *blocks.title_block(SUPPLEMENT_TITLE, None, WIDTH, size=12),
             *_applicant_lines(office, item.applicant_name, item.procedure_name, item.address,
                               item.phone, None),
             line("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:"),
             *[line(f"{n}. {text}", indent=0) for n, text in enumerate(items, start=1)]]
    if reason:
        story.append(line(f"Lý do: {reason}"))
    story += [line("Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
                   f"{contact or '…'}" + (f", số điện thoại {officer_phone}" if officer_phone else "")
                   + " để được hướng dẫn."),
              Spacer(1, 2 * mm),
              _one_signature("NGƯỜI HƯỚNG DẪN", contact)]
    return render_a5(story, f"{SUPPLEMENT_TITLE} {item.code}", draft)


def _one_signature(title: str, name: str):
    st = blocks.style(SIZE, bold=True, align="center")
    table = blocks.Table([["", [blocks.para(title, st),
                                blocks.para("(Ký và ghi rõ họ tên)",
                                            blocks.style(SIZE - 1, italic=True, align="center")),
                                Spacer(1, 16 * mm), blocks.para(name or "", st)]]],
                         colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    table.setStyle(blocks.table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def build_refusal(db, *, applicant_name: str, procedure_name: str, reason: str,
                  address: str | None = None, phone: str | None = None,
                  email: str | None = None, officer: str | None = None, draft: bool = False,
                  issued: dt.date | None = None) -> bytes:
    """Mẫu 03: the request is refused at the desk for `reason` (no dossier, no code)."""
    from core.timefmt import now

    for value, label in ((applicant_name, "tên người nộp"), (procedure_name, "thủ tục"),
                         (reason, "lý do từ chối")):
        if not (value and value.strip()):
            raise InputError(f"Phiếu từ chối tiếp nhận cần ghi {label}.")
    from core import validation
    validation.check_texts({"applicant_name": applicant_name, "applicant_address": address,
                            "applicant_phone": phone, "name": procedure_name, "reason": reason})
    header = settings_header(db)
    office = office_phrase(header.get("office", ""))
    story = [slip_header(header, None, place_date(header.get("place", ""),
                                                  issued or now().date())),
             *blocks.title_block(REFUSAL_TITLE, None, WIDTH, size=12),
             *_applicant_lines(office, applicant_name.strip(), procedure_name.strip(), address,
                               phone, email),
             line(f"Sau khi nghiên cứu, đối chiếu với quy định hiện hành, {office} thông báo "
                  "không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"),
             line(reason.strip(), indent=8 * mm),
             line("Xin thông báo để Ông/Bà được biết và thực hiện./."),
             Spacer(1, 3 * mm),
             blocks.two_signatures("NGƯỜI NỘP HỒ SƠ", applicant_name.strip(),
                                   "NGƯỜI TIẾP NHẬN HỒ SƠ", officer or "", WIDTH, size=SIZE)]
    return render_a5(story, REFUSAL_TITLE, draft)
