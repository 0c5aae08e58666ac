"""The citizen slips on A5: the receipt (Mẫu 01) and the apology with a new date (Mẫu 04).

Circular 03/2025/TT-VPCP Annex I; a dossier received before 01/07/2025 is reprinted with the
forms of Circular 01/2018/TT-VPCP (core.pdf.form_set). Forms 02, 03 and 05 are in
core.pdf.forms, 06 in core.pdf.control. Each builder returns PDF bytes; `draft` adds "BẢN NHÁP".
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core.components import DossierComponent
from core.labels import RESULT_DELIVERY_VI
from core.limits import clip, clip_header
from core.pdf import blocks
from core.pdf.agency_case import sentence_name
from core.pdf.document import A5_PORTRAIT, render
from core.pdf.fonts import NAMES
from core.pdf.form_set import FORMS_2025, FormSet, form_set
from core.pdf.slip_data import (
    SlipDossier,
    desk_at,
    desk_phrase,
    dossier_components,
    extension_reason,
    load_dossier,
    load_extension,
)
from core.pdf.slip_parts import code_line, documents_table
from core.pdf.vnformat import clock_date, limit_words, place_date
from core.timefmt import vn_date

RECEIPT_TITLE = FORMS_2025.titles["receipt"]
APOLOGY_TITLE = FORMS_2025.titles["apology"]
SIZE = 11  # A5 forms: one size below the A4 body text
WIDTH = A5_PORTRAIT.frame_width


ISSUING_LEVELS = ("commune", "district", "province", "centre")
OWN_DESK_LEVELS = ("branch", "reception_point")  # a desk known by its own name
ONE_STOP = "BỘ PHẬN MỘT CỬA"


def settings_header(db, unit_code: str | None = None, resolving: bool = False) -> dict:
    """The report header of the settings; for a dossier's slip, headed by its own unit.

    A slip is issued by the office that received the dossier: a commune's receipt is headed
    "UBND xã …", not by the district whose header the monthly report uses. A department's
    dossiers are received at the one-stop of the administration above it. `resolving`: the
    header of a letter the unit writes as the body resolving a dossier (`resolver_header`),
    a department then named under its administration (`_department_lines`).
    """
    from db import settings

    header = clip_header(settings.get(db, "report_header"))
    issuer = _issuing_unit(db, unit_code) if unit_code else None
    if issuer:
        header["agency"] = clip(issuer, "header")
    if unit_code:
        header.update(_desk(db, unit_code))
        header.update(_unit_signer(db, unit_code, "desk" in header, resolving))
    return header


SIGNER_FIELDS = ("place", "signer_authority", "signer_title", "signer_name")


def _unit_signer(db, unit_code: str, own_desk: bool, resolving: bool = False) -> dict:
    """The place and signer of the unit's documents (core.report_header, the monthly report's
    rule): a commune's apology or stop notice is dated at the commune and signed by its leader,
    not by the office's signer under the commune's name. A header typed for the unit (or the
    unit above it) also gives its agency and one-stop lines; a unit outside the office's with
    none: the place from its name and a blank signer's name. A file that never said which unit
    is the office's keeps its header for every desk, as before."""
    from core import report_header
    from core.office_setup import home_unit

    issued = report_header.header_for(db, unit_code)
    typed = issued.source in (report_header.OWN, report_header.ABOVE)
    if not typed and (issued.source != report_header.MADE or home_unit(db) is None):
        return {}
    out = {key: issued.header.get(key, "") for key in SIGNER_FIELDS}
    if resolving and issued.source == report_header.MADE:  # (a desk's slip keeps the one-stop)
        out.update(_department_lines(issued.header))
    if typed:
        if issued.header.get("agency"):
            out["agency"] = issued.header["agency"]
        if issued.header.get("office") and not own_desk:
            out["office"] = issued.header["office"]
    return out


def _department_lines(made: dict) -> dict:
    """A department's letter with no header of its own: the lines its monthly report prints
    (core.report_header's rule, Decree 30/2020 Phụ lục I II.2 and II.4), the administration
    above it over the department itself, never under the one-stop's line (mend36's «Still
    open»); the place is among SIGNER_FIELDS. {} for any other unit (no parent's line)."""
    if not made.get("parent_agency"):
        return {}
    return {"agency": made["parent_agency"], "office": made.get("agency", "")}


def _desk(db, unit_code: str) -> dict:
    """The office line and the sentence name of the desk that received a dossier.

    The settings' header describes the office's own desk (its first start): a dossier received
    at another desk of the same file (a commune's desk in a centre's database, the demo) is
    headed by that unit's Bộ phận Một cửa, or by its own name for a branch or a reception point,
    never by the home desk's office line ("UBND XÃ YÊN PHÚC / CHI NHÁNH TẠI VĂN QUAN")."""
    from core.office_setup import home_unit

    row = db.execute("SELECT name, level FROM units WHERE code = ?", [unit_code]).fetchone()
    if row is None:
        return {}
    name, level = row
    own = level in OWN_DESK_LEVELS
    out = {"desk": clip(name, "header")} if own else {}
    home = home_unit(db)
    if home and home != unit_code:
        out["office"] = clip(name, "header") if own else ONE_STOP
    return out


def _issuing_unit(db, unit_code: str) -> str | None:
    """The name of the unit itself, or of the first administration above it."""
    seen = set()
    while unit_code and unit_code not in seen:
        seen.add(unit_code)
        row = db.execute("SELECT name, level, parent_code FROM units WHERE code = ?",
                         [unit_code]).fetchone()
        if row is None:
            return None
        name, level, parent = row
        if level is None or level in ISSUING_LEVELS or parent is None:
            return name
        unit_code = parent
    return None


def slip_header(header: dict, number_line: str | None, date_line: str | None) -> Table:
    return blocks.header_block(header.get("agency", ""), header.get("office", ""), number_line,
                               date_line, WIDTH, size=SIZE)


def form_title(title: str, size: float = 12) -> list:
    """The form's title, in balanced lines when it is longer than the A5 line, no compound
    word cut (blocks.title_lines)."""
    return [Spacer(1, 5 * mm), blocks.title_para(title, WIDTH, size),
            blocks.Rule(WIDTH / 4), Spacer(1, 3 * mm)]


def line(text: str, markup: bool = False, indent: float = 0, size: float = SIZE):
    return blocks.para(text, blocks.style(size, align="justify", after=2.5, indent=indent,
                                          leading=size * 1.25), markup)


def b(text: str | None) -> str:
    """Escaped text in bold for a markup line."""
    return f"<b>{escape(text or '')}</b>"


def qr_payload(item: SlipDossier) -> str:
    """ASCII so every phone reader decodes it: the dossier code and the due time."""
    return f"{item.code}|{item.due_at:%Y-%m-%d %H:%M}"


def qr_drawing(value: str, size: float = 24 * mm) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0],
                      initialFontName=NAMES["regular"])  # never an unembedded Helvetica
    drawing.add(widget)
    return drawing


def _applicant_lines(item: SlipDossier, office: str, forms: FormSet, size: float) -> list:
    whom = "Ông (Bà)/Tổ chức" if forms.names_identifier else ""  # the 2025 wording
    texts = [(f"{office} tiếp nhận hồ sơ của {whom}: {b(item.applicant_name)}".replace(" :", ":"),
              True)]
    if forms.names_identifier:
        texts.append((f"Số định danh cá nhân/tổ chức: {item.id_no or ''}", False))
    texts += [(f"Địa chỉ: {item.address or ''}", False),
              (f"Số điện thoại: {item.phone or ''}"
               + (f"; Email: {item.email}" if item.email else ""), False)]
    if forms.names_identifier and item.representative:
        texts.append((f"Người được ủy quyền: {item.representative}", False))
    texts.append((f"Nội dung yêu cầu giải quyết: {b(item.procedure_name)}", True))
    if item.unit_label.competent:  # resolved by another unit than the receiving one
        texts.append((f"Cơ quan giải quyết: {item.unit_label.competent}", False))
    return [line(text, markup, size=size) for text, markup in texts]


def _receipt_intro(item: SlipDossier, office: str, forms: FormSet, size: float) -> Table:
    text = _applicant_lines(item, office, forms, size)
    long = sum(len(x or "") for x in (item.applicant_name, item.address, item.procedure_name,
                                      item.representative))
    # Only a very long name or address may carry the intro over a page (else LayoutError).
    table = Table([[text, qr_drawing(qr_payload(item))]], colWidths=[WIDTH - 26 * mm, 26 * mm],
                  splitInRow=int(long > blocks.LONG_TEXT * 2))
    table.setStyle(blocks.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    return table


def _documents(item: SlipDossier, components: list[DossierComponent], size: float) -> list:
    """1. the documents received, one row each; a line naming the catalogue when none were
    recorded at intake (dossiers entered before the list existed, or imported)."""
    received = [c for c in components if c.received]
    if not received:
        return [line("1. Thành phần hồ sơ: theo danh mục thành phần hồ sơ của thủ tục hành chính "
                     f"{item.procedure_code} (không ghi từng giấy tờ khi tiếp nhận).", size=size)]
    return [line("1. Thành phần hồ sơ nộp gồm:", size=size), documents_table(received, WIDTH, size)]


def _delivery(item: SlipDossier, office: str) -> str:
    if item.result_delivery in (None, "desk"):
        return desk_at(office, item.unit_name)
    return RESULT_DELIVERY_VI[item.result_delivery]


def receipt_story(item: SlipDossier, header: dict, components: Sequence[DossierComponent] = (),
                  size: float = SIZE) -> list:
    office = desk_phrase(header)
    forms = form_set(item.received_at)
    numbered = [
        f"2. Số lượng hồ sơ: {item.copies:02d} (bộ).",
        f"3. Thời gian giải quyết hồ sơ theo quy định là: "
        f"{limit_words(item.limit_value, item.limit_unit)}.",
        f"4. Thời gian nhận hồ sơ: {b(clock_date(item.received_at))}.",
        f"5. Thời gian trả kết quả giải quyết hồ sơ: {b(clock_date(item.due_at))}.",
        f"6. Đăng ký nhận kết quả tại: {escape(_delivery(item, office))}.",
        f"Vào Sổ theo dõi hồ sơ, Quyển số {item.received_at.year}, "
        f"Số thứ tự {item.book_number}."]
    return [slip_header(header, None, place_date(header.get("place", ""), item.received_at.date())),
            *blocks.title_block(forms.titles["receipt"], None, WIDTH, size=12),
            code_line(item.code, WIDTH, SIZE + 1),
            _receipt_intro(item, office, forms, size),
            *_documents(item, list(components), size),
            *[line(text, markup=True, size=size) for text in numbered],
            Spacer(1, 2 * mm),
            blocks.two_signatures("NGƯỜI NỘP HỒ SƠ", item.applicant_name, "NGƯỜI TIẾP NHẬN HỒ SƠ",
                                  item.received_by or "", WIDTH, size=SIZE, sign_space=15 * mm)]


def page_count(data: bytes) -> int:
    """Pages of a PDF made by reportlab (one '/Type /Page' object each)."""
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def render_a5(story: list, title: str, draft: bool) -> bytes:
    return render(story, A5_PORTRAIT, title=title, draft=draft)


def build_receipt(db, code: str, draft: bool = False) -> bytes:
    """Mẫu 01 for the dossier `code` (InputError when there is no such dossier)."""
    item = load_dossier(db, code)
    header, components = settings_header(db, item.unit_code), dossier_components(db, item.id)
    # a long list of documents is set a little smaller so the slip stays one sheet of A5
    for size in (SIZE, SIZE - 1, SIZE - 1.5):
        data = render_a5(receipt_story(item, header, components, size),
                         f"{RECEIPT_TITLE} {item.code}", draft)
        if page_count(data) == 1:
            break
    return data


def _apology_2018(item: SlipDossier, extension, office: str) -> list:
    """Mẫu 04 of Circular 01/2018 (Phiếu xin lỗi và hẹn lại ngày trả kết quả)."""
    return [
        line(f"Ngày {vn_date(item.received_at)}, {desk_at(office, item.unit_name)} tiếp nhận giải "
             f"quyết hồ sơ của Ông/Bà đề nghị giải quyết thủ tục {b(item.procedure_name)}; "
             f"mã hồ sơ: {b(item.code)}.", markup=True, indent=8 * mm),
        line(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {b(clock_date(extension.previous_due))}.",
             markup=True, indent=8 * mm),
        line("Tuy nhiên đến nay, cơ quan giải quyết chưa trả kết quả giải quyết hồ sơ cho Ông/Bà "
             "đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.", indent=8 * mm),
        line(f"Lý do: {extension_reason(item, extension)}", indent=8 * mm),
        line("Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi xin lỗi Ông/Bà và sẽ trả kết "
             f"quả giải quyết hồ sơ cho Ông/Bà vào {b(clock_date(extension.new_due))}.",
             markup=True, indent=8 * mm),
        line("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.", indent=8 * mm)]


def _apology_2025(item: SlipDossier, extension, office: str) -> list:
    """Mẫu 04 of Circular 03/2025 (Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết),
    worded as the ministry copy of the form (QĐ 3621/QĐ-BYT 2025, BM.04)."""
    agency = sentence_name(item.competent_name or item.unit_name)  # running text: as a sentence
    ident = f"; số định danh: {item.id_no}" if item.id_no else ""
    return [
        line(f"Ngày {vn_date(item.received_at)}, {desk_at(office, item.unit_name)} tiếp nhận giải "
             f"quyết hồ sơ đề nghị giải quyết thủ tục hành chính {b(item.procedure_name)} của "
             f"Ông/Bà/Tổ chức{ident}; mã số hồ sơ: {b(item.code)}.", markup=True, indent=8 * mm),
        line(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {b(clock_date(extension.previous_due))}.",
             markup=True, indent=8 * mm),
        line(f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức "
             "đúng thời hạn quy định ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
             indent=8 * mm),
        line(f"Lý do: {extension_reason(item, extension)}", indent=8 * mm),
        line(f"{agency} xin trân trọng gửi lời xin lỗi đến Ông (Bà)/Tổ chức vì sự chậm trễ trong "
             "quá trình giải quyết hồ sơ có thể gây phiền hà, tốn kém về chi phí, công sức của "
             "Ông (Bà)/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào "
             f"{b(clock_date(extension.new_due))}.", markup=True, indent=8 * mm),
        line("Mong nhận được sự thông cảm của Ông/Bà/Tổ chức vì sự chậm trễ này./.",
             indent=8 * mm)]


def apology_story(item: SlipDossier, extension, header: dict, issued: dt.date,
                  desk: dict | None = None) -> list:
    """Mẫu 04 under `header` (its issuer's); `desk`: the receiving desk's header, which the
    first sentence names ("… tiếp nhận giải quyết hồ sơ"), when another unit issues it."""
    office = desk_phrase(header if desk is None else desk)
    forms = form_set(item.received_at)
    body = (_apology_2025 if forms.edition == "2025" else _apology_2018)(item, extension, office)
    return [slip_header(header, None, place_date(header.get("place", ""), issued)),
            *form_title(forms.titles["apology"]),
            blocks.para(f"Kính gửi: Ông/Bà {item.applicant_name}",
                        blocks.style(SIZE + 1, align="center", after=4)),
            *body, Spacer(1, 2 * mm), letter_signature(header, item.applicant_name)]


# who signs a letter of the resolving body to a citizen when its header names no title (a
# header made from a unit's name that is no people's committee: "Phòng Tư pháp"): its head,
# as Mẫu 04 is signed by the head of the processing body, with its seal (Circular 01/2018
# Art. 9, ../shared/domain/brief.md 1.2)
HEAD_OF_BODY = "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"
HAND_SIGNED = "(Ký, ghi rõ họ tên, đóng dấu)"


def letter_signature(header: dict, applicant: str):
    """The signature of a letter to the citizen (Mẫu 04, Mẫu 05): the header's authority,
    title and signer; with no signer's name recorded (an office's Cài đặt left blank, a header
    made from the catalogue) the space is left to sign by hand and says so under the title,
    which is the head of the body when the header names none — never a title over an empty
    line, or an empty block, that no one knows who is to sign."""
    authority = header.get("signer_authority", "")
    title = header.get("signer_title", "")
    name = header.get("signer_name", "")
    if not (authority or title):
        title = HEAD_OF_BODY
    return blocks.signature_block(authority, title, name, [f"Ông/Bà {applicant}"], WIDTH,
                                  size=SIZE, sign_space=16 * mm,
                                  note=None if name else HAND_SIGNED)


def build_apology(db, code: str, draft: bool = False, issued: dt.date | None = None) -> bytes:
    """Mẫu 04 from the dossier's extension; OperationError when it was never extended."""
    item = load_dossier(db, code)
    extension = load_extension(db, item)
    issued = issued or extension.extended_at.date()  # the slip is dated the day of extension
    title = form_set(item.received_at).titles["apology"]
    desk = settings_header(db, item.unit_code)
    return render_a5(apology_story(item, extension, resolver_header(db, item, desk), issued,
                                   desk),
                     f"{title} {item.code}", draft)


def resolver_header(db, item: SlipDossier, desk: dict | None = None) -> dict:
    """The header of a letter the body resolving the dossier writes, when that body is another
    unit than the desk that received it (`desk`: the receiving desk's header, if built already).

    Which letters are the resolving body's (Decree 61/2018 Art. 19, kept by Decree 118/2025 and
    Circular 03/2025 Annex I): the apology (Mẫu 04, Art. 19.9: the late body notifies the desk
    and sends the citizen its apology; the 2025 form's words "<cơ quan giải quyết> xin trân trọng
    gửi lời xin lỗi"); the supplement request made at appraisal (Mẫu 02, Art. 19.4: "cơ quan, tổ
    chức có thẩm quyền giải quyết trả lại hồ sơ … thông báo bằng văn bản nêu rõ lý do, nội dung
    cần bổ sung" sent to the citizen through the one-stop desk); and the refusal after
    appraisal (Mẫu 03, Art. 19.8: the competent body's written refusal "nêu rõ lý do không giải
    quyết hồ sơ", through the desk, entered as the result). They are headed, dated and signed
    as the resolving unit's, their first sentence still naming the desk that received the
    dossier. The receipt, a supplement request made at the desk, a refusal at the desk, the
    stop notice and the control slip stay the receiving desk's (Decree 118/2025 Art. 17, 21;
    Circular 03/2025 Art. 7)."""
    desk = settings_header(db, item.unit_code) if desk is None else desk
    issuer = item.competent_code or item.unit_code
    return desk if issuer == item.unit_code else settings_header(db, issuer, resolving=True)
