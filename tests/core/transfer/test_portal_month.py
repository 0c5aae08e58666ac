"""A real portal month imported through the national profile (round 19): the values another
system writes that made a row unread or refused the whole file — digitisation flags as numbers
or words, a control character in the authorised person's name, a day-only supplement request on
a day finished before office hours — each on its own, then all at once."""
from __future__ import annotations

import argparse

import pytest

from core.textnorm import fold
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.transfer.conftest import write_csv
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national

FLAGS_HEADER = NATIONAL_HEADER + ["DaSoHoaThanhPhan", "DaSoHoaKetQua"]


def _flags(db, code):
    return db.execute("SELECT digitised, result_digitised FROM dossiers WHERE code = ?",
                      [code]).fetchone()


@pytest.mark.parametrize("documents, result, stored", [
    ("1.0", "0.0", (1, 0)),                    # Excel's number cells saved to CSV
    ("Đã số hóa", "Chưa số hóa", (1, 0)),      # the provincial systems' words
    ("ĐÃ SỐ HOÁ", "da so hoa", (1, 1)),        # any case, with or without diacritics
    ("chua so hoa", "", (0, 0)),
    ("x", "0,0", (1, 0))])
def test_digitisation_flags_as_real_exports_hold_them(catalog, tmp_path, documents, result,
                                                      stored):
    """They made the row unread ('phải là 0 hoặc 1') and the month was refused."""
    path = write_csv(tmp_path / "tinh.csv", FLAGS_HEADER, [national() + [documents, result]])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert imported.ok and imported.added == 1, imported.errors
    assert _flags(catalog, "XTD-250102-0001") == stored


def test_a_flag_that_is_no_flag_is_still_named(catalog, tmp_path):
    path = write_csv(tmp_path / "tinh.csv", FLAGS_HEADER,
                     [national() + ["Đã số hóa một phần", "1"]])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert not imported.ok
    error = imported.errors[0]
    assert error.column.startswith("DaSoHoaThanhPhan") and "Đã số hóa / Chưa số hóa" in error.reason


PEOPLE_HEADER = NATIONAL_HEADER + ["NguoiDuocUyQuyen", "SoDienThoai", "DiaChi"]


def _people(db, code):
    return db.execute("SELECT representative, applicant_phone, applicant_address FROM dossiers "
                      "WHERE code = ?", [code]).fetchone()


@pytest.mark.parametrize("written, stored", [
    ("Trần\x0bThị Bình", "Trần Thị Bình"),     # a vertical tab: whitespace, as at the desk
    ("Trần\x0cThị\x1fBình", "Trần Thị Bình"),
    ("Trần Thị\rBình", "Trần Thị Bình"),         # a stray carriage return inside the cell
    ("Trần Thị Bình\x0b", "Trần Thị Bình")])
def test_a_name_the_name_rule_cleans_is_stored_clean(catalog, tmp_path, written, stored):
    """Round 19: the general control-character check ran before the name rule, so a vertical
    tab the desk makes a space of refused the whole portal month."""
    path = write_csv(tmp_path / "tinh.csv", PEOPLE_HEADER, [national() + [written, "", ""]])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert imported.ok and imported.added == 1, imported.errors
    assert _people(catalog, "XTD-250102-0001")[0] == stored
    assert not imported.warnings


def test_a_control_character_in_a_personal_detail_leaves_out_that_value(catalog, tmp_path):
    """A U+0001 in NguoiDuocUyQuyen (the authorised person) refused the whole month: it is a
    value MotCua does not compare, left out with a warning naming the column and the rows, as
    an ID number MotCua refuses is (KEPT_OUT); the applicant's name stays an error."""
    first = write_csv(tmp_path / "a.csv", PEOPLE_HEADER,
                      [national() + ["Lê Văn Cường", "0912345678", "Thôn Bản Chu"]])
    assert import_mapped(catalog, first, NATIONAL_PROFILE).ok
    path = write_csv(tmp_path / "tinh.csv", PEOPLE_HEADER, [
        national() + ["Trần\x01Thị Bình", "0912\x01345678", "Thôn\x02 Nà Pàn"],
        national("XTD-250102-0002") + ["Hoàng\x01Văn Dũng", "", ""],
        national("XTD-250102-0003") + ["Nông Thị Hoa", "", ""]])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert imported.ok and imported.added == 2, imported.errors
    assert _people(catalog, "XTD-250102-0001") == ("Lê Văn Cường", "0912345678", "Thôn Bản Chu")
    assert _people(catalog, "XTD-250102-0002") == (None, None, None)
    assert _people(catalog, "XTD-250102-0003")[0] == "Nông Thị Hoa"
    said = "\n".join(imported.warnings)
    assert ("2 dòng có cột NguoiDuocUyQuyen (Người được ủy quyền) không hợp lệ (dòng 2, 3; "
            "chứa ký tự điều khiển không in được (mã U+0001)") in said
    assert "1 dòng có cột SoDienThoai (Số điện thoại) không hợp lệ (dòng 2;" in said
    assert "1 dòng có cột DiaChi (Địa chỉ) không hợp lệ (dòng 2;" in said
    assert "Trần" not in said and "Hoàng" not in said and "0912" not in said  # no personal data


def test_a_control_character_in_the_applicants_name_still_refuses(catalog, tmp_path):
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER,
                     [national(ChuHoSo="Nguyễn\x01Văn An")])
    imported = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert not imported.ok and imported.errors[0].column.startswith("ChuHoSo")
    assert "U+0001" in imported.errors[0].reason


def test_motcuas_own_file_still_refuses_a_control_character_in_a_name(catalog, tmp_path):
    from core.transfer import import_file
    from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row
    rows = [dossier_row() + ["Trần\x01Thị Bình"]]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER
                                                        + ["representative"], rows))
    assert not result.ok and result.errors[0].column == "representative"


# ----- all at once: a provincial month as a clerk imports it --------------------------------
MONTH_HEADER = NATIONAL_HEADER + ["NguoiDuocUyQuyen", "SoDinhDanh", "DaSoHoaThanhPhan",
                                  "DaSoHoaKetQua", "CacLanBoSung"]


def _month_rows() -> list[list[str]]:
    def row(n, name, person, id_no, docs, result, waits, **values):
        return national(f"XTD-250102-000{n}", ChuHoSo=name, **values) + [
            person, id_no, docs, result, waits]
    return [
        row(1, "NGU\u200bYỄN VĂN AN", "Trần\x01Thị Bình", "C1234567", "1.0", "0.0", ""),
        row(2, "Ngu\u200byễn\u200bVăn An", "Lò\x0bVăn Páo", "001085000456", "Đã số hóa",
            "ĐÃ SỐ HOÁ", "03/01/2025>", NgayKetThucXuLy="20250103063000"),
        row(3, "Hoàng Thị Mai", "Nông\x01Văn Dũng", "", "chua so hoa", "Chưa số hóa",
            "2025-01-02>2025-01-03", NgayKetThucXuLy="20250103063000"),
        row(4, "Lê Văn Cường", "", "", "x", "1", ""),
    ]


def test_a_portal_month_with_all_of_these_at_once(catalog, db_path, tmp_path, capsys):
    """A national-profile CSV holding each fault of round 19 together, imported as a clerk
    does (`import dossiers FILE --profile national`): the month imports; the authorised
    persons with a control character are left out and named (rows 2 and 4), the one with a
    vertical tab cleaned; the flags read; the waits asked no later than the finish at 06:30;
    the upper-case name cut by a zero-width space stored whole and found as the other one; the
    passport stored whole, masked with its letter in an export without a purpose."""
    from core.database import open_database
    from core.transfer.cli import run_import
    from core.transfer.profile_export import export_profile

    path = write_csv(tmp_path / "tinh.csv", MONTH_HEADER, _month_rows(), encoding="utf-8-sig")
    catalog.close()
    assert run_import(argparse.Namespace(db=str(db_path), kind="dossiers", file=str(path),
                                         dry_run=False, profile="national")) == 0
    said = capsys.readouterr().err
    assert ("2 dòng có cột NguoiDuocUyQuyen (Người được ủy quyền) không hợp lệ (dòng 2, 4; "
            "chứa ký tự điều khiển không in được (mã U+0001)") in said
    assert "1 dòng có cột CacLanBoSung (Các lần bổ sung) chỉ ghi ngày, không có giờ" not in said
    assert "2 dòng có cột CacLanBoSung (Các lần bổ sung) chỉ ghi ngày, không có giờ (dòng 3, 4)" \
        in said
    assert "Trần" not in said and "Nông" not in said and "C1234567" not in said
    db = open_database(db_path)
    try:
        stored = {r[0]: r[1:] for r in db.execute(
            "SELECT code, applicant_name, representative, applicant_id_no, digitised, "
            "result_digitised FROM dossiers ORDER BY code")}
        waits = db.execute("SELECT d.code, s.requested_at, s.completed_at, d.finished_at "
                           "FROM supplements s JOIN dossiers d ON d.id = s.dossier_id "
                           "ORDER BY d.code").fetchall()
        export_profile(db, tmp_path / "ra.csv", NATIONAL_PROFILE)
    finally:
        db.close()
    assert stored == {
        "XTD-250102-0001": ("NGUYỄN VĂN AN", None, "C1234567", 1, 0),
        "XTD-250102-0002": ("Nguyễn Văn An", "Lò Văn Páo", "001085000456", 1, 1),
        "XTD-250102-0003": ("Hoàng Thị Mai", None, None, 0, 0),
        "XTD-250102-0004": ("Lê Văn Cường", None, None, 1, 1)}
    assert fold(stored["XTD-250102-0001"][0]) == fold(stored["XTD-250102-0002"][0])
    assert waits == [
        ("XTD-250102-0002", "2025-01-03 06:30:00", None, "2025-01-03 06:30:00"),
        ("XTD-250102-0003", "2025-01-02 08:00:00", "2025-01-03 06:30:00", "2025-01-03 06:30:00")]
    exported = (tmp_path / "ra.csv").read_text(encoding="utf-8-sig")
    assert "C*****67" in exported and "C1234567" not in exported
