"""`export dossiers FILE [--from DATE] [--to DATE] [--unit CODE]`: a commune official exports her
unit's month to upload to the provincial system (issue 16 §1). Dates and units are checked as
`kpi` checks them; spec 6's `export KIND FILE` writes every row as before."""
from __future__ import annotations

import csv

import main
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv


def _office(catalog, tmp_path):
    rows = [dossier_row("XTD-250102-0001"),
            dossier_row("XTD-250203-0001", received_at="2025-02-03 08:00",
                        finished_at="2025-02-04 10:00", returned_at="2025-02-04 15:00"),
            dossier_row("XVQ-250103-0001", unit_code="XVQ", received_at="2025-01-03 08:00"),
            dossier_row("XVQ-250106-0001", unit_code="XVQ", received_at="2025-01-06 08:00",
                        finished_at="2025-01-07 10:00", returned_at="2025-01-07 15:00")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                                                      rows)).ok


def _codes(path, column="code") -> list[str]:
    with open(path, encoding="utf-8-sig") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def _run(db_path, *argv) -> int:
    return main.main(["--db", str(db_path), "export", *argv])


def test_a_units_month(catalog, db_path, tmp_path, capsys):
    _office(catalog, tmp_path)
    catalog.close()
    out = tmp_path / "xtd.csv"
    assert _run(db_path, "dossiers", str(out), "--unit", "XTD", "--from", "2025-01-01",
                "--to", "31/01/2025") == 0
    assert _codes(out) == ["XTD-250102-0001"]
    said = capsys.readouterr().out
    assert ("Đã xuất 1 dòng hồ sơ tiếp nhận từ 01/01/2025 đến 31/01/2025 của đơn vị XTD và các "
            "đơn vị trực thuộc") in said
    # the province's unit holds both communes below it
    assert _run(db_path, "dossiers", str(out), "--unit", "LS", "--to", "2025-01-31",
                "--overwrite") == 0
    assert sorted(_codes(out)) == ["XTD-250102-0001", "XVQ-250103-0001", "XVQ-250106-0001"]
    # the national profile, the same rows
    national = tmp_path / "tinh.csv"
    assert _run(db_path, "dossiers", str(national), "--profile", "national", "--unit", "XVQ",
                "--from", "2025-01-04") == 0
    assert _codes(national, "MaHoSo") == ["XVQ-250106-0001"]
    # spec 6: without them, every row
    assert _run(db_path, "dossiers", str(out), "--overwrite") == 0
    assert len(_codes(out)) == 4


def test_bad_options_say_what_and_write_nothing(catalog, db_path, tmp_path, capsys):
    _office(catalog, tmp_path)
    catalog.close()
    out = tmp_path / "x.csv"
    for argv, words in (
            (["--from", "2025-02-30"], "2025-02-30"),
            (["--from", "2025-02-01", "--to", "2025-01-01"], "sau ngày kết thúc"),
            (["--unit", "NOPE"], "Không có đơn vị mã 'NOPE'")):
        assert _run(db_path, "dossiers", str(out), *argv) == 2, argv
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
        assert not out.exists()
    # the other kinds write every row: a period given to them is refused, as before
    assert _run(db_path, "units", str(out), "--unit", "XTD") == 2
    assert "chỉ dùng với export dossiers|register|bieu06|i766" in capsys.readouterr().err
    assert not out.exists()
