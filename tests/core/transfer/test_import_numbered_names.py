"""Round 30 (issue 16 §1): a file's name with nine digits or more in a row is written — a
provincial file names an organisation with its tax code — with a warning naming the row and
the column, the value masked (the number never shows), in the command's output and the window's
result alike. The desk refuses the same name by the same detection (core.name_rules.number_run)."""
from __future__ import annotations

import main
from core import validation
from core.name_rules import number_run
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

PHONE, TAX = "0912345678", "0101234567"
TYPED = f"Hoàng Văn Tuấn {PHONE}"
COMPANY = f"Công ty TNHH ABC - MST {TAX}"


def _file(tmp_path, *names: str):
    rows = [dossier_row(f"XTD-250102-{n:04d}", applicant_name=name)
            for n, name in enumerate(names, start=1)]
    return write_csv(tmp_path / "hoso.csv", DOSSIERS_HEADER, rows)


def test_written_with_a_warning_naming_row_and_column_masked(catalog, tmp_path):
    result = import_file(catalog, "dossiers", _file(tmp_path, TYPED, COMPANY, "Lê Thị Hoa",
                                                    "Tổ 12 thôn 3A"))
    assert result.ok and result.added == 4
    assert result.warnings == [
        "Dòng 2, cột applicant_name, giá trị 'Hoàng *** Tuấn': tên có 10 chữ số liền nhau — "
        "kiểm tra có phải số điện thoại nhập nhầm vào tên không.",
        "Dòng 3, cột applicant_name, giá trị 'Công *** ABC': tên có 10 chữ số liền nhau — "
        "kiểm tra có phải số điện thoại nhập nhầm vào tên không."]
    stored = catalog.execute("SELECT applicant_name FROM dossiers ORDER BY code").fetchall()
    assert stored[0][0] == TYPED  # accepted by decision, as the file says
    # the desk refuses the same name by the same detection
    assert number_run(TYPED) == PHONE and validation.typed_name_reason(TYPED)
    assert number_run("Tổ 12 thôn 3A") is None


def test_the_command_warns_with_exit_0_and_no_number(catalog, db_path, tmp_path, capsys):
    path = _file(tmp_path, TYPED, "Lê Thị Hoa")
    catalog.close()
    for dry in (["--dry-run"], []):
        assert main.main(["--db", str(db_path), "import", "dossiers", str(path), *dry]) == 0
        out, err = capsys.readouterr()
        assert "Dòng 2, cột applicant_name, giá trị 'Hoàng *** Tuấn': tên có 10 chữ số" in err
        assert PHONE not in out + err


def test_a_provincial_file_names_its_column(catalog, tmp_path):
    from core.transfer.mapped import import_mapped
    from core.transfer.profiles import NATIONAL_PROFILE
    from tests.core.transfer.test_profiles import NATIONAL_HEADER, national
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER,
                     [national(ChuHoSo="Trần Văn Nam 0382 123 428 9")])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert result.ok
    line = next(w for w in result.warnings if "chữ số liền nhau" in w)
    assert line.startswith("Dòng 2, cột ChuHoSo (Chủ hồ sơ), giá trị 'Trần *** Nam': tên có 11")
    assert "0382" not in line


def test_many_rows_are_counted_after_the_first_ten(catalog, tmp_path):
    names = [f"Nguyễn Văn An 09{n:08d}" for n in range(14)]
    result = import_file(catalog, "dossiers", _file(tmp_path, *names))
    assert result.ok and len(result.warnings) == 11
    assert result.warnings[-1].startswith("Và 4 ô họ tên khác có dãy từ 9 chữ số liền nhau "
                                          "(dòng 12, 13, 14, 15)")
