"""Importing and exporting procedures' documents (KIND components, issue 13 §2)."""
from __future__ import annotations

import csv

import main
from core import components as comp
from core.transfer import export_file, import_file
from tests.core.transfer.conftest import PROCEDURES, PROCEDURES_HEADER, write_csv, write_xlsx

HEADER = ["procedure_code", "position", "name", "form", "count", "required"]
BIRTH = "1.001612"
ROWS = [[BIRTH, "1", "Tờ khai đăng ký khai sinh theo mẫu", "original", "1", "1"],
        [BIRTH, "2", "Giấy chứng sinh", "", "", ""],
        [BIRTH, "3", "Giấy tờ chứng minh nơi cư trú", "copy", "1", "0"],
        ["2.000815", "1", "Bản chính giấy tờ cần chứng thực", "original", "1", "1"],
        ["2.000815", "2", "Bản sao cần chứng thực", "copy", "2", "có"]]


def test_import_fills_defaults_and_is_idempotent(catalog, tmp_path):
    path = write_csv(tmp_path / "c.csv", HEADER, ROWS)
    result = import_file(catalog, "components", path)
    assert result.ok and (result.added, result.updated, result.unchanged) == (5, 0, 0)
    assert comp.procedure_components(catalog, BIRTH)[1] == comp.Component("Giấy chứng sinh")
    assert comp.procedure_components(catalog, "2.000815")[1].count == 2
    again = import_file(catalog, "components", path)
    assert (again.added, again.updated, again.unchanged, again.warnings) == (0, 0, 5, [])


def test_a_procedure_in_the_file_gets_exactly_its_rows(catalog, tmp_path):
    assert import_file(catalog, "components", write_csv(tmp_path / "c.csv", HEADER, ROWS)).ok
    shorter = [ROWS[0], [BIRTH, "2", "Giấy chứng sinh (bản chính)", "original", "1", "1"]]
    result = import_file(catalog, "components", write_csv(tmp_path / "d.csv", HEADER, shorter))
    assert (result.updated, result.unchanged) == (1, 1)
    assert result.warnings == ["Thủ tục 1.001612: bỏ thành phần số 3 “Giấy tờ chứng minh nơi cư "
                               "trú” (không có trong tệp)."]
    assert [c.name for c in comp.procedure_components(catalog, BIRTH)] == \
        ["Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh (bản chính)"]
    assert len(comp.procedure_components(catalog, "2.000815")) == 2  # not in the file: kept


def test_the_whole_file_is_checked_and_nothing_written(catalog, tmp_path):
    # "bản sao" is read as copy since import takes the Vietnamese words; "bản nháp" is no form
    rows = ROWS + [["9.999", "1", "Giấy", "", "", ""],
                   [BIRTH, "2", "Giấy khác", "", "", ""],
                   [BIRTH, "4", "giấy chứng sinh", "bản photo", "0", "hai"],
                   [BIRTH, "x", "", "", "", ""]]
    result = import_file(catalog, "components", write_csv(tmp_path / "c.csv", HEADER, rows))
    shown = [str(e) for e in result.errors]
    assert shown == [
        "Dòng 7, cột procedure_code, giá trị '9.999': không có thủ tục mã '9.999' trong danh mục "
        "(nhập thủ tục trước)",
        "Dòng 8, cột position, giá trị '2': thủ tục 1.001612 đã có số thứ tự này ở dòng 3",
        "Dòng 9, cột name, giá trị 'giấy chứng sinh': thủ tục 1.001612 đã có thành phần cùng "
        "tên ở dòng 3",
        "Dòng 9, cột form, giá trị 'bản photo': không thuộc danh sách: original (Bản chính), "
        "copy (Bản sao), certified_copy (Bản sao chứng thực)",
        "Dòng 9, cột count, giá trị '0': số lượng phải từ 1 đến 99",
        "Dòng 9, cột required, giá trị 'hai': phải là 0 hoặc 1",
        "Dòng 10, cột position, giá trị 'x': phải là số nguyên",
        "Dòng 10, cột name, giá trị '': thiếu giá trị bắt buộc"]
    assert catalog.execute("SELECT COUNT(*) FROM procedure_components").fetchone()[0] == 0


def test_export_imports_again_unchanged_csv_and_xlsx(catalog, tmp_path):
    assert import_file(catalog, "components", write_csv(tmp_path / "c.csv", HEADER, ROWS)).ok
    for name in ("out.csv", "out.xlsx"):
        assert export_file(catalog, "components", tmp_path / name) == 5
        result = import_file(catalog, "components", tmp_path / name)
        assert (result.added, result.updated, result.unchanged) == (0, 0, 5), name
    with open(tmp_path / "out.csv", encoding="utf-8-sig") as handle:
        exported = list(csv.reader(handle))
    assert exported[0] == HEADER
    assert exported[2] == [BIRTH, "2", "Giấy chứng sinh", "original", "1", "1"]
    xlsx = write_xlsx(tmp_path / "x.xlsx", HEADER, [[BIRTH, 1, "Tờ khai", "original", 1, True]])
    assert import_file(catalog, "components", xlsx).ok


def test_command_line_import_and_export(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    assert main.main(["--db", db, "import", "procedures", "--new-db",
                      str(write_csv(tmp_path / "p.csv", PROCEDURES_HEADER, PROCEDURES))]) == 0
    path = str(write_csv(tmp_path / "c.csv", HEADER, ROWS))
    assert main.main(["--db", db, "import", "components", path]) == 0
    assert "5 dòng thành phần hồ sơ — thêm mới 5" in capsys.readouterr().out
    assert main.main(["--db", db, "export", "components", str(tmp_path / "e.csv")]) == 0
    assert "Đã xuất 5 dòng thành phần hồ sơ" in capsys.readouterr().out
    bad = write_csv(tmp_path / "b.csv", HEADER, [["9.999", "1", "Giấy", "", "", ""]])
    assert main.main(["--db", db, "import", "components", str(bad)]) == 2
    assert "Dòng 2, cột procedure_code" in capsys.readouterr().err
