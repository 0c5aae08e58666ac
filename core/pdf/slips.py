"""The citizen slips on A5: the receipt (Mẫu 01) and the apology with a new date (Mẫu 04).

Forms 02 and 03 are in core.pdf.forms. Each builder returns PDF bytes; `draft` adds "BẢN NHÁP".
"""
from __future__ import annotations

import datetime as dt

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core.limits import clip, clip_header
from core.pdf import blocks
from core.pdf.document import A5_PORTRAIT, render
from core.pdf.fonts import NAMES
from core.pdf.slip_data import SlipDossier, load_dossier, load_extension, office_phrase
from core.pdf.vnformat import clock_date, limit_words, place_date
from core.timefmt import vn_date

RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
SIZE = 11  # A5 forms: one size below the A4 body text
WIDTH = A5_PORTRAIT.frame_width


ISSUING_LEVELS = ("commune", "district", "province", "centre")


def settings_header(db, unit_code: str | None = None) -> dict:
    """The report header of the settings; for a dossier's slip, headed by its own unit.

    A slip is issued by the office that received the dossier: a commune's receipt is headed
    "UBND xã …", not by the district whose header the monthly report uses. A department's
    dossiers are received at the one-stop of the administration above it.
    """
    from db import settings

    header = clip_header(settings.get(db, "report_header"))
    issuer = _issuing_unit(db, unit_code) if unit_code else None
    if issuer:
        header["agency"] = clip(issuer, "header")
    return header


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


def line(text: str, markup: bool = False, indent: float = 0):
    return blocks.para(text, blocks.style(SIZE, align="justify", after=2.5, indent=indent,
                                          leading=SIZE * 1.25), markup)


def b(text: str | None) -> str:
    """Escaped text in bold for a markup line."""
    from xml.sax.saxutils import escape
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


def _receipt_intro(item: SlipDossier, office: str) -> Table:
    text = [line(f"{office} tiếp nhận hồ sơ của: {b(item.applicant_name)}", markup=True),
            line(f"Địa chỉ: {item.address or ''}"),
            line(f"Số điện thoại: {item.phone or ''}"),
            line(f"Nội dung yêu cầu giải quyết: {b(item.procedure_name)}", markup=True)]
    long = sum(len(x or "") for x in (item.applicant_name, item.address, item.procedure_name))
    # Only a very long name or address may carry the intro over a page (else LayoutError).
    table = Table([[text, qr_drawing(qr_payload(item))]], colWidths=[WIDTH - 26 * mm, 26 * mm],
                  splitInRow=int(long > blocks.LONG_TEXT * 2))
    table.setStyle(blocks.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    return table


def receipt_story(item: SlipDossier, header: dict) -> list:
    office = office_phrase(header.get("office", ""))
    out = [slip_header(header, f"Mã hồ sơ: {b(item.code)}",
                       place_date(header.get("place", ""), item.received_at.date())),
           *blocks.title_block(RECEIPT_TITLE, None, WIDTH, size=12),
           _receipt_intro(item, office),
           line("1. Thành phần hồ sơ: theo danh mục thành phần hồ sơ của thủ tục hành chính "
                f"{item.procedure_code}."),
           line(f"2. Số lượng hồ sơ: {item.copies:02d} (bộ)."),
           line("3. Thời gian giải quyết hồ sơ theo quy định là: "
                f"{limit_words(item.limit_value, item.limit_unit)}."),
           line(f"4. Thời gian nhận hồ sơ: {b(clock_date(item.received_at))}.", markup=True),
           line(f"5. Thời gian trả kết quả giải quyết hồ sơ: {b(clock_date(item.due_at))}.",
                markup=True),
           line(f"6. Đăng ký nhận kết quả tại: {office} – {item.unit_name}."),
           line(f"Vào Sổ theo dõi hồ sơ, Quyển số {item.received_at.year}, "
                f"Số thứ tự {item.book_number}."),
           Spacer(1, 3 * mm),
           blocks.two_signatures("NGƯỜI NỘP HỒ SƠ", item.applicant_name, "NGƯỜI TIẾP NHẬN HỒ SƠ",
                                 item.received_by or "", WIDTH, size=SIZE)]
    return out


def render_a5(story: list, title: str, draft: bool) -> bytes:
    return render(story, A5_PORTRAIT, title=title, draft=draft)


def build_receipt(db, code: str, draft: bool = False) -> bytes:
    """Mẫu 01 for the dossier `code` (InputError when there is no such dossier)."""
    item = load_dossier(db, code)
    return render_a5(receipt_story(item, settings_header(db, item.unit_code)), f"{RECEIPT_TITLE} {item.code}",
                     draft)


def apology_story(item: SlipDossier, extension, header: dict, issued: dt.date) -> list:
    office = office_phrase(header.get("office", ""))
    body = [
        line(f"Ngày {vn_date(item.received_at)}, {office} – {item.unit_name} tiếp nhận giải "
             f"quyết hồ sơ của Ông/Bà đề nghị giải quyết thủ tục {b(item.procedure_name)}; "
             f"mã hồ sơ: {b(item.code)}.", markup=True, indent=8 * mm),
        line(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {b(clock_date(extension.previous_due))}.",
             markup=True, indent=8 * mm),
        line("Tuy nhiên đến nay, cơ quan giải quyết chưa trả kết quả giải quyết hồ sơ cho Ông/Bà "
             "đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.", indent=8 * mm),
        line(f"Lý do: {extension.reason}", indent=8 * mm),
        line("Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi xin lỗi Ông/Bà và sẽ trả kết "
             f"quả giải quyết hồ sơ cho Ông/Bà vào {b(clock_date(extension.new_due))}.",
             markup=True, indent=8 * mm),
        line("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.", indent=8 * mm),
    ]
    return [slip_header(header, None, place_date(header.get("place", ""), issued)),
            *blocks.title_block(APOLOGY_TITLE, None, WIDTH, size=12),
            blocks.para(f"Kính gửi: Ông/Bà {item.applicant_name}",
                        blocks.style(SIZE + 1, align="center", after=4)),
            *body, Spacer(1, 2 * mm),
            blocks.signature_block(header.get("signer_authority", ""),
                                   header.get("signer_title", ""), header.get("signer_name", ""),
                                   [f"Ông/Bà {item.applicant_name}", "Lưu: VT"], WIDTH,
                                   size=SIZE, sign_space=16 * mm)]


def build_apology(db, code: str, draft: bool = False, issued: dt.date | None = None) -> bytes:
    """Mẫu 04 from the dossier's extension; OperationError when it was never extended."""
    item = load_dossier(db, code)
    extension = load_extension(db, item)
    issued = issued or extension.extended_at.date()  # the slip is dated the day of extension
    return render_a5(apology_story(item, extension, settings_header(db, item.unit_code), issued),
                     f"{APOLOGY_TITLE} {item.code}", draft)
