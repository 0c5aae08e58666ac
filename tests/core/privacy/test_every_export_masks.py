"""Every way personal data leaves MotCua in a file masks phones and ID numbers, and gives them
whole only with a full-data pass (a stated purpose)."""
from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from core.pdf import book, monthly
from core.privacy import breach, masking, subject
from core.transfer import export_file
from tests.core.privacy.conftest import ID_NO, PHONE
from tests.pdfread import pdf_text

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def read(path) -> str:
    if path.suffix == ".pdf":
        return "".join(pdf_text(path).split())  # a number may wrap inside a table cell
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return path.read_text(encoding="utf-8-sig")


def dossiers(db, path, full):
    export_file(db, "dossiers", path, full=full)


def register(db, path, full):
    book.save_book(db, book.gather(db, *MARCH, full=full), path)


def person(db, path, full):
    subject.export(db, subject.find(db, id_no=ID_NO), path, full)


def kit(db, path, full):
    breach.write_kit(db, breach.census(db, *MARCH), path, dt.datetime(2026, 11, 30, 9), full)


PATHS = [(dossiers, ".csv"), (dossiers, ".xlsx"), (register, ".pdf"), (person, ".csv"),
         (person, ".xlsx"), (person, ".pdf"), (kit, ".txt"), (kit, ".pdf"), (kit, ".xlsx")]


@pytest.mark.parametrize("write, suffix", PATHS, ids=[f"{w.__name__}{s}" for w, s in PATHS])
def test_masked_unless_full(office, db, tmp_path, write, suffix):
    masked, full = tmp_path / f"masked{suffix}", tmp_path / f"full{suffix}"
    write(db, masked, None)
    text = read(masked)
    assert PHONE not in text and ID_NO not in text
    assert "0912****78" in text
    write(db, full, masking.full_data("Đối chiếu"))
    assert PHONE in read(full).replace(" ", "")
    logged = db.execute("SELECT purpose FROM access_log ORDER BY id DESC LIMIT 1").fetchone()
    assert logged == ("Đối chiếu",)


def test_the_monthly_report_lists_overdue_dossiers_masked(office, db, tmp_path):
    path = tmp_path / "m.pdf"
    path.write_bytes(monthly.build_monthly(db, "2025-03"))
    text = read(path)
    assert "0912****78" in text and PHONE not in text


def test_the_receipt_keeps_the_citizens_own_numbers(office, db, tmp_path):
    from core.pdf import dossier_forms
    code = db.execute("SELECT code FROM dossiers WHERE id = ?", [office["recent"]]).fetchone()[0]
    path = tmp_path / "r.pdf"
    path.write_bytes(dossier_forms.build(db, "receipt", code))
    assert PHONE in read(path)  # a dossier of March 2025: the 2018 receipt, which names no ID


PASSPORT = "C1234567"  # a Vietnamese passport: a letter and seven digits


def _passport_holder(db) -> None:
    from core import dossiers as D
    D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Hoàng Thị Mai",
                     applicant_phone="0987000111", applicant_id_no=PASSPORT,
                     received_at=dt.datetime(2025, 3, 10, 8))


def passport_person(db, path, full):
    subject.export(db, subject.find(db, id_no=PASSPORT), path, full)


SHOWN = [(dossiers, ".csv"), (dossiers, ".xlsx"), (passport_person, ".csv"),
         (passport_person, ".xlsx"), (passport_person, ".pdf"), (kit, ".txt"), (kit, ".pdf"),
         (kit, ".xlsx")]


@pytest.mark.parametrize("write, suffix", SHOWN, ids=[f"{w.__name__}{s}" for w, s in SHOWN])
def test_a_passport_is_masked_keeping_its_letter(office, db, tmp_path, write, suffix):
    """Round 19: a passport was masked to its digits alone ('1234*67'), the letter lost: it read
    as a CMND of other digits. The one rule (masking.mask_id_no) keeps the document's shape."""
    _passport_holder(db)
    path = tmp_path / f"masked{suffix}"
    write(db, path, None)
    text = read(path)
    assert PASSPORT not in text
    assert "C*****67" in text


def test_a_national_export_and_the_reconciliations_unread_rows_mask_a_passport_alike(
        office, db, tmp_path):
    import core.transfer.base
    from core.reconcile import reported_error
    from core.transfer.profile_export import export_profile
    from core.transfer.profiles import NATIONAL_PROFILE
    _passport_holder(db)
    export_profile(db, tmp_path / "n.csv", NATIONAL_PROFILE)
    text = read(tmp_path / "n.csv")
    assert PASSPORT not in text and "C*****67" in text
    # RowError.masked: the reconciliation's unread rows, the commands' import errors
    assert core.transfer.base.mask_field is masking.mask_field
    error = core.transfer.base.RowError(3, "SoDinhDanh", PASSPORT, "không hợp lệ", "applicant_id_no")
    assert reported_error(error).value == "C*****67"
    assert masking.mask_field("applicant_id_no", PASSPORT) == "C*****67"


ADDRESS = "Số 12 ngõ 5 phố Lê Lợi, phường Hà Đông, Hà Nội"
ADDRESS_SHOWN = "***, phường Hà Đông, Hà Nội"


def _address_holder(db) -> None:
    from core import dossiers as D
    D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Đỗ Thị Lan",
                     applicant_phone="0987000222", applicant_id_no="001203099999",
                     applicant_address=ADDRESS, received_at=dt.datetime(2025, 3, 12, 8))


def address_person(db, path, full):
    subject.export(db, subject.find(db, id_no="001203099999"), path, full)


def national(db, path, full):
    from core.transfer.profile_export import export_profile
    from core.transfer.profiles import NATIONAL_PROFILE
    export_profile(db, path, NATIONAL_PROFILE, full=full)


ADDRESSED = [(dossiers, ".csv"), (dossiers, ".xlsx"), (register, ".pdf"), (national, ".csv"),
             (address_person, ".csv"), (address_person, ".xlsx"), (address_person, ".pdf"),
             (kit, ".txt"), (kit, ".pdf"), (kit, ".xlsx")]


def _bare(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("write, suffix", ADDRESSED,
                         ids=[f"{w.__name__}{s}" for w, s in ADDRESSED])
def test_an_address_is_masked_unless_full(office, db, tmp_path, write, suffix):
    """Round 22: the exports masked phones and ID numbers but printed the address whole (the
    house, the lane, the street), where the exchange's lists masked it: one rule now
    (masking.mask_address), the administrative tail kept, whole only with a stated purpose."""
    _address_holder(db)
    masked, full = tmp_path / f"masked{suffix}", tmp_path / f"full{suffix}"
    write(db, masked, None)
    text = _bare(read(masked))
    assert "Lê Lợi" not in read(masked) and _bare(ADDRESS) not in text
    assert _bare(ADDRESS_SHOWN) in text
    write(db, full, masking.full_data("Đối chiếu"))
    assert _bare(ADDRESS) in _bare(read(full))


def test_the_exchange_lists_and_the_exports_show_one_masked_address(office, db, tmp_path):
    """One rule: the conflict lists of an exchange (compare.value_shown) show the address as
    the dossier export, the register and the person's export write it."""
    from core.exchange import compare
    _address_holder(db)
    shown = compare.value_shown("applicant_address", ADDRESS)
    assert shown == ADDRESS_SHOWN
    for write, suffix in ((dossiers, ".csv"), (register, ".pdf"), (address_person, ".csv")):
        path = tmp_path / f"one{suffix}"
        write(db, path, None)
        assert _bare(shown) in _bare(read(path)), write.__name__


def test_the_receipt_keeps_the_citizens_own_address(office, db, tmp_path):
    """The slip given to the citizen is the citizen's own: the address whole."""
    from core.pdf import dossier_forms
    _address_holder(db)
    path = tmp_path / "r.pdf"
    code = db.execute("SELECT code FROM dossiers WHERE applicant_address = ?",
                      [ADDRESS]).fetchone()[0]
    path.write_bytes(dossier_forms.build(db, "receipt", code))
    assert _bare(ADDRESS) in _bare(read(path)) and "***" not in read(path)


def register_2025(db, path, full):
    """The register of a period after 01/07/2025, drawn in its 2025 layout (MARCH is 2018's)."""
    book.save_book(db, book.gather(db, dt.date(2025, 9, 1), dt.date(2025, 9, 30), full=full),
                   path)


BACKWARDS = "xã Đồng Giáp, thôn Bãi Rạ, số 57"  # written from the commune down
BACKWARDS_SHOWN = "***, xã Đồng Giáp"


def _backwards_holders(db) -> None:
    from core import dossiers as D
    for received in (dt.datetime(2025, 3, 12, 8), dt.datetime(2025, 9, 10, 8)):
        D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Đỗ Thị Lan",
                         applicant_phone="0987000222", applicant_id_no="001203099999",
                         applicant_address=BACKWARDS, received_at=received)


EVERY_ADDRESS = [*ADDRESSED, (register_2025, ".pdf"), (national, ".xlsx")]


@pytest.mark.parametrize("write, suffix", EVERY_ADDRESS,
                         ids=[f"{w.__name__}{s}" for w, s in EVERY_ADDRESS])
def test_an_address_written_backwards_is_masked_alike_everywhere(office, db, tmp_path, write,
                                                                 suffix):
    """Round 23: an address written from the commune down ('xã Đồng Giáp, thôn Bãi Rạ, số 57')
    kept its hamlet and its house after the commune. Every export, the 2025 register too, shows
    it by the one rule: the commune, no hamlet, no house; whole only with a stated purpose."""
    _backwards_holders(db)
    masked, full = tmp_path / f"masked{suffix}", tmp_path / f"full{suffix}"
    write(db, masked, None)
    text = _bare(read(masked))
    assert "BãiRạ" not in text and "số57" not in text
    assert _bare(BACKWARDS_SHOWN) in text
    assert masking.mask_address(BACKWARDS) == BACKWARDS_SHOWN
    write(db, full, masking.full_data("Đối chiếu"))
    assert _bare(BACKWARDS) in _bare(read(full))
