"""Who signs the resolving body's letters to a citizen (Mẫu 04, Mẫu 05) when no signer's name is
recorded: the office's Cài đặt left blank (the default), or a header made from a unit's
catalogue name (core.report_header). The block printed a title over an empty space — and for a
unit that is no people's committee («Phòng Tư pháp») no title at all: nobody could tell who was
to sign. Mẫu 04 is signed by the head of the processing body, with its seal (brief.md 1.2)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import facts
from core.office_setup import SETUP_KEY
from core.pdf import forms, slips
from db import settings
from db.connection import transaction
from tests.core.pdf import sample
from tests.pdfread import pdf_text, render_pages

CODE = "X01-261005-0001"
HAND = "(Ký, ghi rõ họ tên, đóng dấu)"


@pytest.fixture
def extended(db):
    sample.catalogue_only(db)
    sample.add_dossier(db, CODE, "X01", dt.datetime(2026, 10, 5, 8, 0))
    sample.add_extension(db, CODE, dt.datetime(2026, 10, 20, 16, 0), "Cần xác minh thêm.")
    return db


def edit(db, sql: str) -> None:
    """A dossier's column set as the window would leave it, its stored facts refreshed."""
    with transaction(db) as conn:
        conn.execute(sql, [CODE])
    facts.refresh(db, [db.execute("SELECT id FROM dossiers WHERE code = ?", [CODE]).fetchone()[0]])


def signature(pdf: bytes) -> str:
    """The words after the letter's last sentence: Nơi nhận and the signer's block."""
    return " ".join(pdf_text(pdf).split()).split("này./.")[-1]


def test_no_signer_named_leaves_the_space_to_sign_by_hand(extended, write_pdf, tmp_path):
    said = signature(slips.build_apology(extended, CODE))
    assert "TM. ỦY BAN NHÂN DÂN" in said and f"CHỦ TỊCH {HAND}" in said, said
    assert len(render_pages(write_pdf(slips.build_apology(extended, CODE)), tmp_path)) == 1


def test_a_named_signer_is_printed_without_the_hand_note(extended):
    header = dict(settings.get(extended, "report_header"), signer_name="Hoàng Văn Thụ")
    settings.put(extended, "report_header", header)
    said = signature(slips.build_apology(extended, CODE))
    assert said.endswith("CHỦ TỊCH Hoàng Văn Thụ") and HAND not in said, said


def test_a_department_resolving_signs_as_its_head(extended, write_pdf, tmp_path):
    """A dossier resolved by «Phòng Tư pháp» (its header made from the catalogue's name, the
    office's unit being the district): Mẫu 04 is the department's letter, and its block had no
    line at all."""
    settings.put(extended, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    edit(extended, "UPDATE dossiers SET competent_unit_code = 'P01' WHERE code = ?")
    pdf = slips.build_apology(extended, CODE)
    said = signature(pdf)
    assert "Phòng Tư pháp xin trân trọng gửi lời xin lỗi" in " ".join(pdf_text(pdf).split())
    assert said.endswith(f"TRƯỞNG PHÒNG {HAND}"), said  # its head's title (round 39)
    assert len(render_pages(write_pdf(pdf), tmp_path)) == 1
    with transaction(extended) as conn:
        conn.execute("UPDATE units SET name = 'Chi cục Thuế khu vực' WHERE code = 'P01'")
    said = signature(slips.build_apology(extended, CODE))  # a kind with no title made for it
    assert said.endswith(f"{slips.HEAD_OF_BODY} {HAND}"), said


def test_the_stop_notice_follows_the_same_rule(extended):
    edit(extended, "UPDATE dossiers SET status = 'stopped' WHERE code = ?")
    said = " ".join(pdf_text(forms.build_stop_notice(extended, CODE)).split())
    assert said.endswith(f"CHỦ TỊCH {HAND}"), said[-200:]


def test_a_departments_letter_is_headed_dated_and_signed_as_the_department(extended):
    """Mẫu 04 of «Phòng Tư pháp» (no header of its own) under the district, the office's unit:
    it was headed «UBND HUYỆN VĂN QUAN / BỘ PHẬN MỘT CỬA», dated with no place and signed by the
    department's head. Decree 30/2020 Phụ lục I II.2, II.4: the direct parent then the body
    itself, the place where it sits, its head signing (mend36's «Still open»)."""
    settings.put(extended, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    edit(extended, "UPDATE dossiers SET competent_unit_code = 'P01' WHERE code = ?")
    text = " ".join(pdf_text(slips.build_apology(extended, CODE)).split())
    head = text.split("PHIẾU XIN LỖI")[0]
    assert "PHÒNG TƯ PHÁP" in head and head.index("VĂN QUAN") < head.index("PHÒNG TƯ PHÁP"), head
    assert "BỘ PHẬN MỘT CỬA" not in head
    assert "Văn Quan, ngày 08 tháng 10 năm 2026" in head, head
    assert signature(slips.build_apology(extended, CODE)).endswith(f"TRƯỞNG PHÒNG {HAND}")


def test_the_district_and_the_commune_keep_their_own_lines(extended):
    settings.put(extended, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    commune = " ".join(pdf_text(slips.build_apology(extended, CODE)).split())
    assert "Văn An, ngày 08 tháng 10 năm 2026" in commune and "BỘ PHẬN MỘT CỬA" in commune
    edit(extended, "UPDATE dossiers SET competent_unit_code = 'H01' WHERE code = ?")
    district = " ".join(pdf_text(slips.build_apology(extended, CODE)).split())
    assert "Văn Quan, ngày 08 tháng 10 năm 2026" in district and "BỘ PHẬN MỘT CỬA" in district
    assert signature(slips.build_apology(extended, CODE)).strip().startswith(
        "Nơi nhận: - Ông/Bà Nguyễn Thị Ánh; - Lưu: VT. TM. ỦY BAN NHÂN DÂN"), district[-200:]


def test_a_department_receiving_keeps_the_one_stops_receipt(extended):
    """The department's own lines are for the letters it writes as the body resolving a
    dossier (resolver_header): a dossier received at «Phòng Tư pháp» gets its receipt from the
    one-stop of the administration above it, as before (review37: the receipt was headed and
    worded «Phòng tư pháp tiếp nhận»)."""
    settings.put(extended, SETUP_KEY, {"unit_code": "H01", "date": "2026-01-01"})
    edit(extended, "UPDATE dossiers SET unit_code = 'P01' WHERE code = ?")
    text = " ".join(pdf_text(slips.build_receipt(extended, CODE)).split())
    head = text.split("GIẤY TIẾP NHẬN")[0]
    assert "BỘ PHẬN MỘT CỬA" in head and "PHÒNG TƯ PHÁP" not in head, head
    assert "Bộ phận Một cửa tiếp nhận" in text and "Phòng tư pháp" not in text, text[:600]
