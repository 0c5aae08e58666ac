"""The receipt (Mẫu 01) and the control slip (Mẫu 06) name the clerk by full name (issue 15 §1):
the account's name, never its login; a command-line write prints the OS user's name."""
from __future__ import annotations

import datetime as dt

import pytest

from core import accounts, dossiers
from core.pdf import control, slips
from db import actor as actors
from tests.core.pdf import sample
from tests.pdfread import pdf_text

RECEIVED = dt.datetime(2026, 10, 5, 9, 15)


@pytest.fixture
def office(db):
    sample.catalogue_only(db)
    accounts.create_account(db, "quantri", "Nguyễn Quản Trị", {"admin"}, "matkhau123")
    with actors.acting_as(accounts.authenticate(db, "quantri", "matkhau123")):
        accounts.create_account(db, "canbo.an", "Phạm Thị An", {"clerk"}, "matkhau123")
        accounts.create_account(db, "xuly.binh", "Lê Văn Bình", {"clerk"}, "matkhau123")
    return db


def words(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return " ".join(pdf_text(path).split())


def test_receipt_and_control_slip_name_the_clerks(office, tmp_path):
    with actors.acting_as(accounts.authenticate(office, "canbo.an", "matkhau123")):
        dossier_id, code = dossiers.create_dossier(
            office, unit_code="X01", procedure_code="1.001193", applicant_name="Lê Hoàng Yến",
            received_at=RECEIVED)
    with actors.acting_as(accounts.authenticate(office, "xuly.binh", "matkhau123")):
        dossiers.start_processing(office, dossier_id, at=RECEIVED + dt.timedelta(hours=1))
        dossiers.finish(office, dossier_id, at=RECEIVED + dt.timedelta(days=1))
    receipt = words(slips.build_receipt(office, code), tmp_path, "mau01.pdf")
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in receipt and "Phạm Thị An" in receipt
    assert "canbo.an" not in receipt
    slip = words(control.build_control(office, code), tmp_path, "mau06.pdf")
    assert slip.count("ghi nhận: Phạm Thị An") == 1      # the hand-over at reception
    assert slip.count("ghi nhận: Lê Văn Bình") == 2      # to the resolving body, and back
    assert "canbo.an" not in slip and "xuly.binh" not in slip


def test_a_command_line_reception_prints_the_os_user(office, tmp_path):
    _, code = dossiers.create_dossier(office, unit_code="X01", procedure_code="1.001193",
                                      applicant_name="Lê Hoàng Yến", received_at=RECEIVED)
    name = actors.os_user().full_name
    receipt = words(slips.build_receipt(office, code), tmp_path, "mau01.pdf")
    assert name in receipt and actors.OS_PREFIX + name not in receipt
