"""Issue 16 §1–2: importing the provincial system's file does not silently make a second dossier
for a citizen's file MotCua already holds under its own code (the province's MaHoSo differs).
The rows the import would add are matched by the reconciliation's rule (procedure + applicant +
unit + reception within the tolerance, core.reconcile.matching.match); the preview names the
pairs, and nothing is written until the clerk chooses to skip them or import them anyway."""
from __future__ import annotations

import main
from core.reconcile.duplicates import IMPORT, SKIP
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.reconcile.test_reconcile import office, province_file  # noqa: F401

THEIRS, OURS = "XTD-250106-9042", "XTD-250106-0002"  # Phạm Thị Dung, received 15 minutes apart


def _codes(db) -> set[str]:
    return {r[0] for r in db.execute("SELECT code FROM dossiers")}


def test_the_preview_names_the_likely_pair(office, province_file):  # noqa: F811
    result = import_mapped(office, province_file, NATIONAL_PROFILE, dry_run=True)
    assert result.ok and not result.awaits_choice
    [pair] = result.duplicates
    assert (pair.ours.code, pair.theirs.code, pair.gap) == (OURS, THEIRS, 15)
    assert result.duplicate_rows == {THEIRS: 4}
    assert THEIRS not in _codes(office)


def test_nothing_is_written_until_the_clerk_chooses(office, province_file):  # noqa: F811
    before = _codes(office)
    result = import_mapped(office, province_file, NATIONAL_PROFILE)
    assert result.awaits_choice and not result.written
    assert _codes(office) == before
    # the other rows (a status to update, a dossier only the province has) wait too
    assert "XTD-250108-0009" not in _codes(office)


def test_skip_leaves_out_only_the_likely_duplicates(office, province_file):  # noqa: F811
    result = import_mapped(office, province_file, NATIONAL_PROFILE, duplicates=SKIP)
    assert result.written and result.added == 1
    codes = _codes(office)
    assert THEIRS not in codes and "XTD-250108-0009" in codes


def test_import_anyway_adds_them(office, province_file):  # noqa: F811
    result = import_mapped(office, province_file, NATIONAL_PROFILE, duplicates=IMPORT)
    assert result.written and result.added == 2 and THEIRS in _codes(office)
    # imported again: the code is held now, no longer a likely duplicate
    again = import_mapped(office, province_file, NATIONAL_PROFILE)
    assert again.written and not again.duplicates and again.added == 0


def test_a_citizen_of_another_unit_is_not_a_duplicate(office, tmp_path):  # noqa: F811
    from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
    from tests.core.transfer.conftest import write_csv
    rows = [r + ["XVQ"] for r in province_rows() if r[0] == THEIRS]
    path = write_csv(tmp_path / "t.csv", PROVINCE_HEADER + ["MaDonViTiepNhan"], rows)
    result = import_mapped(office, path, NATIONAL_PROFILE)
    assert result.written and not result.duplicates


def test_the_command_refuses_then_follows_the_choice(office, province_file, db_path,  # noqa: F811
                                                     capsys):
    office.close()
    base = ["--db", str(db_path), "import", "dossiers", str(province_file), "--profile",
            "national"]
    assert main.main(base + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ("Dòng 4: mã XTD-250106-9042 của tệp ↔ hồ sơ XTD-250106-0002 của MotCua (Phạm *** "
            "Dung, thủ tục 1.001612, tiếp nhận 09:15 06/01/2025 và 09:00 06/01/2025; thủ tục + "
            "chủ hồ sơ + giờ tiếp nhận (lệch 15 phút), cùng đơn vị tiếp nhận)") in out
    assert "--duplicates skip" in out and "Phạm Thị Dung" not in out
    assert main.main(base) == 2
    err = capsys.readouterr().err
    assert "Chưa ghi gì vào cơ sở dữ liệu" in err and THEIRS in err
    assert main.main(base + ["--duplicates", "skip"]) == 0
    out = capsys.readouterr().out
    assert ("thêm mới 1, cập nhật 3, không đổi 0, bỏ qua 1 dòng có thể trùng hồ sơ đã có" in out
            and "đã bỏ qua, không nhập" in out)


def test_the_option_needs_a_provincial_file(tmp_path, capsys):
    from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, [dossier_row()])
    assert main.main(["--db", str(tmp_path / "m.db"), "import", "dossiers", str(path),
                      "--duplicates", "skip", "--new-db"]) == 2
    assert "--duplicates chỉ dùng với" in capsys.readouterr().err
