"""Who signs an office's reports, as set up at the first start (Decree 30/2020, Phụ lục I).

A provincial centre set up at the first start printed "TM. ỦY BAN NHÂN DÂN" above "GIÁM ĐỐC" and
numbered its report "…/BC-UBND": the defaults of a People's Committee, which the first start
does not ask about. A centre is led by its director, who signs under the centre's own title."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import office_setup
from db import settings
from tests.pdfread import pdf_text


def _set_up(db, choice: office_setup.Choice, code: str) -> None:
    office_setup.save_first_start(
        db, unit_code=code, unit_name=choice.name, level=choice.level,
        header=office_setup.suggested_header(choice), targets={"on_time": 0.9}, year=2026,
        today=dt.date(2026, 11, 2))


def _printed(db_path, tmp_path) -> str:
    out = tmp_path / "thang11.pdf"
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-11",
                      "--out", str(out)]) == 0
    return " ".join(pdf_text(out).split())


def test_a_centre_set_up_at_the_first_start_signs_as_its_director(db, db_path, tmp_path):
    centre = office_setup.unit_choices()[0]
    assert centre.level == "centre"
    _set_up(db, centre, "000.00.31.H37")
    header = settings.get(db, "report_header")
    assert (header["signer_authority"], header["signer_title"], header["doc_symbol"]) == (
        "", "GIÁM ĐỐC", "BC-TTPVHCC")
    db.close()
    text = _printed(db_path, tmp_path)
    assert "/BC-TTPVHCC" in text and "GIÁM ĐỐC" in text
    assert "TM. ỦY BAN NHÂN DÂN" not in text and "BC-UBND" not in text


@pytest.mark.parametrize("name", ["UBND xã Văn Quan", "UBND phường Tam Thanh"])
def test_a_commune_or_ward_still_signs_for_its_peoples_committee(db, db_path, tmp_path, name):
    choice = next(c for c in office_setup.unit_choices() if c.name == name)
    _set_up(db, choice, "000.31.27.H37")
    db.close()
    text = _printed(db_path, tmp_path)
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text and "/BC-UBND" in text


def test_what_the_clerk_typed_wins_over_the_suggestion(db):
    centre = office_setup.unit_choices()[0]
    office_setup.save_first_start(
        db, unit_code="000.00.31.H37", unit_name=centre.name, level="centre",
        header=dict(office_setup.suggested_header(centre), signer_authority="KT. GIÁM ĐỐC",
                    signer_title="PHÓ GIÁM ĐỐC"),
        targets={}, year=2026, today=dt.date(2026, 11, 2))
    header = settings.get(db, "report_header")
    assert (header["signer_authority"], header["signer_title"]) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
