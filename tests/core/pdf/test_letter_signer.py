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
    assert said.endswith(f"{slips.HEAD_OF_BODY} {HAND}"), said
    assert len(render_pages(write_pdf(pdf), tmp_path)) == 1


def test_the_stop_notice_follows_the_same_rule(extended):
    edit(extended, "UPDATE dossiers SET status = 'stopped' WHERE code = ?")
    said = " ".join(pdf_text(forms.build_stop_notice(extended, CODE)).split())
    assert said.endswith(f"CHỦ TỊCH {HAND}"), said[-200:]
