"""Every PDF headed from the office's settings, fed names at the settings' longest allowed
lengths (core.limits "header": 200 characters a field, "unit_name" 200; nine recipients of
100): none may fail or write a letter off its page (a header taller than a page, carried since
round 31). Words (a long name that wraps) and one word of 200 letters (cut between letters),
in the office's header and in a unit's name the made header takes (a commune, a department).
Each document's every character is read back from the PDF with its box (PDFium)."""
from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest

from core import facts, limits
from core.office_setup import SETUP_KEY
from core.pdf import book, control, forms, slips
from core.pdf.monthly import build_monthly
from core.report_header import FIELDS
from db import settings
from db.connection import transaction
from tests.core.pdf import sample

LONGEST = limits.TEXT["header"][0]
NAME_LONGEST = limits.TEXT["unit_name"][0]
PHRASE = "ỦY BAN NHÂN DÂN PHƯỜNG NGUYỄN THÁI BÌNH THÀNH PHỐ HỒ CHÍ MINH "
KINDS = {"words": lambda n: (PHRASE * 10)[:n - 1] + "H", "one word": lambda n: "Ư" * n}
AT_DESK, RESOLVED = "X01-261005-0001", "H01-261005-0002"  # the second resolved by P01
ISSUED = dt.date(2026, 11, 5)

DOCUMENTS = {
    "monthly": lambda db: build_monthly(db, "2026-10", issued=ISSUED),
    "monthly of a commune": lambda db: build_monthly(db, "2026-10", unit="X01", issued=ISSUED),
    "monthly of a department": lambda db: build_monthly(db, "2026-10", unit="P01",
                                                        issued=ISSUED),
    "book": lambda db: book.build_book(db, dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    "receipt": lambda db: slips.build_receipt(db, AT_DESK),
    "apology": lambda db: slips.build_apology(db, AT_DESK),
    "department's apology": lambda db: slips.build_apology(db, RESOLVED),
    "supplement": lambda db: forms.build_supplement_request(db, AT_DESK, items=["Bản sao"]),
    "desk supplement": lambda db: forms.build_desk_supplement(
        db, applicant_name="Lê Văn An", procedure_name="Đăng ký khai sinh", items=["Bản sao"],
        unit_code="X01"),
    "desk refusal": lambda db: forms.build_refusal(
        db, applicant_name="Lê Văn An", procedure_name="Đăng ký khai sinh",
        reason="Không thuộc thẩm quyền", unit_code="X01"),
    "department's refusal": lambda db: forms.build_refusal_of_dossier(db, RESOLVED),
    "stop notice": lambda db: forms.build_stop_notice(db, AT_DESK),
    "control slip": lambda db: control.build_control(db, AT_DESK),
}


def letters_off_the_page(pdf: bytes) -> list[tuple[int, str]]:
    """(page, letter) of every drawn character whose box leaves its page."""
    document = pypdfium2.PdfDocument(pdf)
    off = []
    try:
        for number in range(len(document)):
            page = document[number]
            width, height = page.get_size()
            text = page.get_textpage()
            for i in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(i)
                if right - left <= 0 and top - bottom <= 0:
                    continue  # a space or a line end: nothing drawn
                if left < -0.5 or bottom < -0.5 or right > width + 0.5 or top > height + 0.5:
                    off.append((number + 1, text.get_text_range(i, 1)))
    finally:
        document.close()
    return off


def longest_office(db, kind: str, unit_names: bool) -> None:
    """The sample office, every header field (and the recipients) at its longest; with
    `unit_names` every unit's name too, the office being the district (made headers)."""
    sample.catalogue_only(db)
    value = KINDS[kind](LONGEST)
    header = dict(settings.get(db, "report_header"), **{field: value for field in FIELDS})
    header["recipients"] = [value[:limits.RECIPIENT_MAX]] * (limits.RECIPIENTS_MAX - 1)
    settings.put(db, "report_header", header)
    if unit_names:
        settings.put(db, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
        with transaction(db) as conn:
            conn.execute("UPDATE units SET name = 'UBND xã ' || ?",
                         [KINDS[kind](NAME_LONGEST - len("UBND xã "))])
            conn.execute("UPDATE units SET name = 'Phòng ' || ? WHERE code = 'P01'",
                         [KINDS[kind](NAME_LONGEST - len("Phòng "))])
    sample.add_dossier(db, AT_DESK, "X01", dt.datetime(2026, 10, 5, 8, 0))
    resolved = sample.add_dossier(db, RESOLVED, "H01", dt.datetime(2026, 10, 5, 9, 0))
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET competent_unit_code = 'P01' WHERE id = ?", [resolved])
    facts.refresh(db, [resolved])
    for code in (AT_DESK, RESOLVED):
        sample.add_extension(db, code, dt.datetime(2026, 10, 20, 16, 0), "Cần xác minh thêm.")


@pytest.mark.parametrize("unit_names", [False, True], ids=["office's header", "units' names"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_document_prints_the_longest_names_on_its_pages(db, kind, unit_names):
    longest_office(db, kind, unit_names)
    for name, build in DOCUMENTS.items():
        pdf = build(db)
        assert pdf.startswith(b"%PDF"), name
        assert letters_off_the_page(pdf) == [], name
