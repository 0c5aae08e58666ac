"""A masked export imports back into its own database unchanged, never elsewhere, and a masked
phone never overwrites the real one."""
from __future__ import annotations

from core.database import open_database
from core.transfer import export_file, import_file
from tests.core.privacy.conftest import PHONE


def test_masked_export_round_trips_in_place_only(office, db, tmp_path):
    path = tmp_path / "d.csv"
    export_file(db, "dossiers", path)
    again = import_file(db, "dossiers", path)
    assert again.ok and again.unchanged == 4 and again.updated == 0
    phone = db.execute("SELECT applicant_phone FROM dossiers WHERE id = ?",
                       [office["old"]]).fetchone()[0]
    assert phone == PHONE
    for kind in ("units", "procedures"):
        export_file(db, kind, tmp_path / f"{kind}.csv")
    fresh = open_database(tmp_path / "fresh.db")
    try:
        for kind in ("units", "procedures"):
            assert import_file(fresh, kind, tmp_path / f"{kind}.csv").ok
        refused = import_file(fresh, "dossiers", path)
    finally:
        fresh.close()
    assert not refused.ok and refused.errors[0].column == "applicant_phone"
    assert "đã bị che" in refused.errors[0].reason


def test_a_masked_phone_of_another_number_is_refused(office, db, tmp_path):
    path = tmp_path / "d.csv"
    export_file(db, "dossiers", path)
    text = path.read_text(encoding="utf-8-sig").replace("0912****78", "0999****11", 1)
    path.write_text(text, encoding="utf-8-sig")
    result = import_file(db, "dossiers", path)
    assert not result.ok and "đã bị che" in result.errors[0].reason


ADDRESS = "Số 12 ngõ 5 phố Lê Lợi, phường Hà Đông, Hà Nội"


def _addressed(db) -> str:
    """A dossier with an address and no phone: the address alone is masked in its row."""
    import datetime as dt

    from core import dossiers as D
    dossier_id, _ = D.create_dossier(db, unit_code="U1", procedure_code="P.WD2",
                                     applicant_name="Đỗ Thị Lan", applicant_address=ADDRESS,
                                     received_at=dt.datetime(2025, 3, 12, 8))
    return db.execute("SELECT code FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]


def _fresh(tmp_path, db):
    for kind in ("units", "procedures"):
        export_file(db, kind, tmp_path / f"{kind}.csv")
    fresh = open_database(tmp_path / "fresh.db")
    for kind in ("units", "procedures"):
        assert import_file(fresh, kind, tmp_path / f"{kind}.csv").ok
    return fresh


def test_a_masked_address_imports_back_in_place_only(office, db, tmp_path):
    """Round 22: a masked address ('***, phường Hà Đông, Hà Nội') stands for the stored one in
    the database it came from, as a masked phone does, and is refused anywhere else naming the
    row and the column, nothing written."""
    code = _addressed(db)
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"d{suffix}"
        export_file(db, "dossiers", path)
        again = import_file(db, "dossiers", path)
        assert again.ok and again.unchanged == 5 and again.updated == 0
    stored = db.execute("SELECT applicant_address FROM dossiers WHERE code = ?", [code]).fetchone()
    assert stored == (ADDRESS,)
    fresh = _fresh(tmp_path, db)
    try:
        refused = import_file(fresh, "dossiers", tmp_path / "d.csv")
        written = fresh.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    finally:
        fresh.close()
    assert not refused.ok and written == 0
    said = [str(e) for e in refused.errors if e.column == "applicant_address"]
    assert said and "cột applicant_address" in said[0] and "Dòng " in said[0]
    assert "địa chỉ đã bị che khi xuất" in said[0] and "dữ liệu đầy đủ" in said[0]


def test_a_masked_address_of_another_address_is_refused(office, db, tmp_path):
    _addressed(db)
    path = tmp_path / "d.csv"
    export_file(db, "dossiers", path)
    text = path.read_text(encoding="utf-8-sig").replace("***, phường Hà Đông", "***, phường Yên "
                                                        "Nghĩa", 1)
    path.write_text(text, encoding="utf-8-sig")
    result = import_file(db, "dossiers", path)
    assert not result.ok and [e.column for e in result.errors] == ["applicant_address"]
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_address = ?",
                      [ADDRESS]).fetchone() == (1,)


def test_a_whole_address_holding_a_star_imports_anywhere(office, db, tmp_path):
    """An address is typed freely: a star inside it ('Lô B*2') is no mask (only '***' opening
    it is), so a full export of it goes into a fresh database."""
    import datetime as dt

    from core import dossiers as D
    from core.privacy import masking
    D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Đỗ Văn Tư",
                     applicant_address="Lô B*2, khu công nghiệp Đồng Văn",
                     received_at=dt.datetime(2025, 3, 12, 8))
    path = tmp_path / "d.csv"
    export_file(db, "dossiers", path, full=masking.full_data("Chuyển sang máy mới"))
    fresh = _fresh(tmp_path, db)
    try:
        result = import_file(fresh, "dossiers", path)
        kept = fresh.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_address = ?",
                             ["Lô B*2, khu công nghiệp Đồng Văn"]).fetchone()
    finally:
        fresh.close()
    assert result.ok and kept == (1,)


def test_a_masked_address_of_the_national_export_imports_back_in_place_only(office, db,
                                                                             tmp_path):
    """The national profile's file (DiaChi) goes through the same rule: unchanged into its own
    database, refused into a fresh one naming the column."""
    from core.transfer.mapped import import_mapped
    from core.transfer.profile_export import export_profile
    from core.transfer.profiles import NATIONAL_PROFILE
    _addressed(db)
    path = tmp_path / "n.csv"
    export_profile(db, path, NATIONAL_PROFILE)
    assert "***, phường Hà Đông, Hà Nội" in path.read_text(encoding="utf-8-sig")
    again = import_mapped(db, path, NATIONAL_PROFILE)
    assert again.ok and again.added == 0 and again.updated == 0, again.errors
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_address = ?",
                      [ADDRESS]).fetchone() == (1,)
    fresh = _fresh(tmp_path, db)
    try:
        refused = import_mapped(fresh, path, NATIONAL_PROFILE)
        written = fresh.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    finally:
        fresh.close()
    assert not refused.ok and written == 0
    assert any("đã bị che" in e.reason and "DiaChi" in str(e) for e in refused.errors), \
        [str(e) for e in refused.errors]
