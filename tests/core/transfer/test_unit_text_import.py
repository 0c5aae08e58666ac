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


def test_a_stored_code_longer_than_the_rule_keeps_its_unit_correctable_by_file(tmp_path, capsys):
    """A code an older version stored (45 characters: the desk checked no length before) is
    its unit's key: the desk keeps it and corrects the unit (core.unit_text `new_code`), so
    does `import units` — its cell's own length check refused it before the rule's exemption."""
    from core.database import open_database
    db = tmp_path / "m.db"
    old, code = open_database(db), "H" * 45
    old.execute("INSERT INTO units(code, name, level) VALUES (?, 'Xã' || char(9) || 'Cũ', 'commune')",
                [code])
    old.close()
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [[code, "Xã Cũ", "commune", ""],
                                                        ["N" * 41, "Xã Mới", "commune", ""]])
    assert main.main(["--db", str(db), "import", "units", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Dòng 2" not in err, err  # the stored one passes, the new one is refused
    assert "Dòng 3, cột code, giá trị 'NNN" in err and "dài 41 ký tự, vượt quá 40 ký tự" in err
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [[code, "Xã Cũ", "commune", ""]])
    assert main.main(["--db", str(db), "import", "units", str(path)]) == 0, capsys.readouterr()
    opened = open_database(db, create=False)
    try:
        assert opened.execute("SELECT name FROM units WHERE code = ?", [code]).fetchone() == (
            "Xã Cũ",)
    finally:
        opened.close()


def test_a_name_is_judged_as_stored_its_runs_of_spaces_one_as_at_the_desk(tmp_path, capsys):
    """A cell pasted with double spaces: 210 characters as typed, 200 as stored (the desk and
    the file squeeze spaces, core.name_rules.clean_name). The desk judges the stored name and
    saves it; the file judged the cell as typed and refused it ("dài 210 ký tự")."""
    db = tmp_path / "m.db"
    name = "Ủy ban  nhân dân xã " * 10 + "Ả" * 10  # 10 double spaces
    assert len(name) == 210 and len(" ".join(name.split())) == 200
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [["Z1", name, "commune", ""]])
    assert main.main(["--db", str(db), "import", "--new-db", "units", str(path)]) == 0, \
        capsys.readouterr().err


def test_a_stored_name_with_spaces_at_its_ends_is_corrected_by_the_file_once(tmp_path, capsys):
    """An older version stored «Xã Cũ \\t» (spaces and a tab at its end); `check` names it and
    the docs say a file corrects it. The import compared the names stripped, so the file's
    cleaned «Xã Cũ» counted as unchanged and nothing was written: `check` kept naming it. Now
    the name is written (logged as one unit updated), and the same file again changes nothing."""
    from core.database import open_database
    from core.maintenance.check import unit_texts
    db = tmp_path / "m.db"
    old = open_database(db)
    old.execute("INSERT INTO units(code, name, level) VALUES ('OLD', 'Xã Cũ ' || char(9), "
                "'commune')")
    old.close()
    opened = open_database(db, create=False)
    try:
        assert not unit_texts(opened).ok
    finally:
        opened.close()
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [["OLD", "Xã Cũ", "commune", ""]])
    assert main.main(["--db", str(db), "import", "units", str(path)]) == 0, capsys.readouterr()
    opened = open_database(db, create=False)
    try:
        assert opened.execute("SELECT name FROM units WHERE code = 'OLD'").fetchone() == (
            "Xã Cũ",)
        assert unit_texts(opened).ok, unit_texts(opened).text
        logged = opened.execute("SELECT new_value FROM setting_changes WHERE area = 'units' "
                                "ORDER BY id").fetchall()
        assert logged[-1] == ("thêm 0, cập nhật 1",), logged
    finally:
        opened.close()
    capsys.readouterr()
    assert main.main(["--db", str(db), "import", "units", str(path)]) == 0
    opened = open_database(db, create=False)
    try:
        assert opened.execute("SELECT new_value FROM setting_changes WHERE area = 'units' "
                              "ORDER BY id").fetchall()[-1] == ("thêm 0, cập nhật 0",)
        assert opened.execute("SELECT name FROM units WHERE code = 'OLD'").fetchone() == (
            "Xã Cũ",)
    finally:
        opened.close()
