"""`python main.py import|export` as a clerk runs them: messages and exit codes (spec 6, 7)."""
from __future__ import annotations

import main
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    UNITS,
    UNITS_HEADER,
    dossier_row,
    write_csv,
)


def run(*argv):
    return main.main(list(argv))


def test_import_then_import_again_reports_counts(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    path = str(write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS))
    assert run("--db", db, "import", "--new-db", "units", path) == 0
    assert "thêm mới 3, cập nhật 0, không đổi 0" in capsys.readouterr().out
    assert run("--db", db, "import", "--new-db", "units", path) == 0
    assert "thêm mới 0, cập nhật 0, không đổi 3" in capsys.readouterr().out


def test_bad_rows_exit_2_and_list_every_row(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    rows = [["A", "", "", ""], ["B", "Đơn vị B", "thon", "ZZ"]]
    assert run("--db", db, "import", "--new-db", "units", str(write_csv(tmp_path / "u.csv", UNITS_HEADER, rows))) == 2
    err = capsys.readouterr().err
    assert "chưa ghi gì" in err
    assert "Dòng 2, cột name, giá trị '': thiếu giá trị bắt buộc" in err
    assert "Dòng 3, cột level, giá trị 'thon'" in err
    assert "Dòng 3, cột parent_code, giá trị 'ZZ'" in err
    assert "Traceback" not in err


def test_dry_run_exit_codes_and_no_database_file(tmp_path, capsys):
    db = tmp_path / "none.db"
    good = write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS)
    bad = write_csv(tmp_path / "bad.csv", UNITS_HEADER, [["A", "", "", ""]])
    assert run("--db", str(db), "import", "--new-db", "units", str(good), "--dry-run") == 0
    assert "--dry-run" in capsys.readouterr().out
    assert run("--db", str(db), "import", "--new-db", "units", str(bad), "--dry-run") == 2
    assert not db.exists()


def test_file_problems_exit_2_before_any_database_is_made(tmp_path, capsys):
    db = tmp_path / "m.db"
    assert run("--db", str(db), "import", "--new-db", "units", str(tmp_path / "missing.csv")) == 2
    (tmp_path / "w.csv").write_bytes("code,name\nA,Phường Đông Kinh\n".encode("utf-16"))
    assert run("--db", str(db), "import", "--new-db", "units", str(tmp_path / "w.csv")) == 2
    assert "CSV UTF-8" in capsys.readouterr().err
    assert not db.exists()


def test_export_writes_and_refuses_an_unwritable_place(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    run("--db", db, "import", "--new-db", "units", str(write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS)))
    capsys.readouterr()
    assert run("--db", db, "export", "units", str(tmp_path / "out.xlsx")) == 0
    assert "Đã xuất 3 dòng đơn vị" in capsys.readouterr().out
    # a folder that does not exist is bad input (spec 6): exit 2, the folder named, nothing made
    assert run("--db", db, "export", "units", str(tmp_path / "no" / "out.csv")) == 2
    assert f"Thư mục {tmp_path / 'no'} không tồn tại" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()
    assert run("--db", db, "export", "units", str(tmp_path / "out.txt")) == 2


def test_wrong_kind_of_file_names_the_missing_columns(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    path = str(write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS))
    assert run("--db", db, "import", "--new-db", "dossiers", path) == 2
    assert "thiếu cột bắt buộc: unit_code, procedure_code" in capsys.readouterr().err


def test_full_dossier_import_through_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    from tests.core.transfer.conftest import PROCEDURES, PROCEDURES_HEADER
    run("--db", db, "import", "--new-db", "units", str(write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS)))
    run("--db", db, "import", "procedures",
        str(write_csv(tmp_path / "p.csv", PROCEDURES_HEADER, PROCEDURES)))
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, [dossier_row()])
    assert run("--db", db, "import", "--new-db", "dossiers", str(path)) == 0
    assert run("--db", db, "export", "dossiers", str(tmp_path / "out.csv")) == 0
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "XTD-250102-0001,XTD,1.001612,Nguyễn Văn An" in text and "2025-01-07 08:00:00" in text
