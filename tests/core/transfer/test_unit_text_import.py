"""`import units` (round 32): a unit's code and name held to the catalogue's one rule
(core.unit_text, the desk's and a package's words) — a code holding a tab (a cell pasted from
another program) and a name of any length were written; the tab is named, never printed."""
from __future__ import annotations

import main
from tests.core.transfer.conftest import UNITS_HEADER, write_csv

TAB = "chứa ký tự điều khiển không in được (mã U+0009) ở vị trí 2"
REAL = "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế"


def test_a_code_with_a_tab_and_a_name_too_long_are_refused_nothing_written(tmp_path, capsys):
    db = tmp_path / "m.db"
    long_name = "Ủy ban nhân dân xã Phong Điền " * 8  # 240 characters, its end space dropped
    rows = [["X\tY", "Xã Tab", "commune", ""], ["Z" * 41, "Xã Dài", "commune", ""],
            ["Z1", long_name, "commune", ""], ["Z2", REAL, "commune", ""]]
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, rows)
    assert main.main(["--db", str(db), "import", "--new-db", "units", str(path)]) == 2
    err = capsys.readouterr().err
    assert "\t" not in err, err
    assert f"Dòng 2, cột code, giá trị 'X\ufffdY': {TAB}" in err, err
    assert "Dòng 3, cột code, giá trị 'ZZZ" in err and \
        "dài 41 ký tự, vượt quá 40 ký tự cho phép" in err, err
    assert "Dòng 4, cột name, giá trị 'Ủy ban" in err and \
        "dài 239 ký tự, vượt quá 200 ký tự cho phép" in err, err
    assert "Dòng 5" not in err, err
    assert "chưa ghi gì" in err


def test_a_real_long_name_is_imported(tmp_path, capsys):
    db = tmp_path / "m.db"
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [["TTHCC", f"  {REAL} ", "province", ""]])
    assert main.main(["--db", str(db), "import", "--new-db", "units", str(path)]) == 0
    from core.database import open_database
    opened = open_database(db, create=False)
    try:
        assert opened.execute("SELECT name FROM units").fetchone()[0] == REAL
    finally:
        opened.close()
