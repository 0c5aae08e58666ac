"""The 766 inputs by file (issue 17): the dossiers' new columns (Mẫu 01's details, digitised,
result_digitised) and the complaints kind, checked like every import: the whole file, each bad
row and column named with a Vietnamese reason, nothing written, exit 2 from the command line."""
from __future__ import annotations

import main
from core.transfer import import_file
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    PROCEDURES,
    PROCEDURES_HEADER,
    UNITS,
    UNITS_HEADER,
    count,
    dossier_row,
    write_csv,
)

NEW = ["applicant_id_no", "applicant_email", "representative", "result_delivery", "digitised",
       "result_digitised"]
COMPLAINTS_HEADER = ["dossier_code", "received_at", "channel", "content", "resolution",
                     "resolved_at"]


def dossiers(tmp_path, rows, name="d.csv"):
    return write_csv(tmp_path / name, DOSSIERS_HEADER + NEW, rows)


def test_new_dossier_columns_are_stored_and_optional(catalog, tmp_path):
    rows = [dossier_row("A") + ["020190000123", "an@example.vn", "Bà Lan", "online", "1", "1"],
            dossier_row("B", status="processing", finished_at="", returned_at="")
            + ["", "", "", "", "không", ""]]
    result = import_file(catalog, "dossiers", dossiers(tmp_path, rows))
    assert result.ok and result.added == 2, result.errors
    assert tuple(catalog.execute(
        "SELECT " + ", ".join(NEW) + " FROM dossiers WHERE code = 'A'").fetchone()) == (
        "020190000123", "an@example.vn", "Bà Lan", "online", 1, 1)
    assert tuple(catalog.execute("SELECT digitised, result_digitised FROM dossiers "
                                 "WHERE code = 'B'").fetchone()) == (0, 0)
    # a file without the new columns (spec 7 only) keeps them as stored
    plain = write_csv(tmp_path / "plain.csv", DOSSIERS_HEADER, [dossier_row("A")])
    again = import_file(catalog, "dossiers", plain)
    assert (again.updated, again.unchanged) == (0, 1)
    assert catalog.execute("SELECT applicant_email FROM dossiers WHERE code = 'A'").fetchone()[0] \
        == "an@example.vn"


def test_bad_new_dossier_values_are_named_and_nothing_is_written(catalog, tmp_path):
    rows = [dossier_row("A") + ["123", "an@", "", "taxi", "2", ""],
            dossier_row("B", status="processing", finished_at="", returned_at="")
            + ["", "", "", "", "", "1"]]
    result = import_file(catalog, "dossiers", dossiers(tmp_path, rows))
    lines = [str(e) for e in result.errors]
    assert not result.ok and count(catalog, "dossiers") == 0
    expected = ["Dòng 2, cột applicant_id_no, giá trị '123': số định danh cá nhân gồm 12 chữ số",
                "Dòng 2, cột applicant_email, giá trị 'an@': thư điện tử không hợp lệ",
                "Dòng 2, cột result_delivery, giá trị 'taxi': không thuộc danh sách",
                "Dòng 2, cột digitised, giá trị '2'",
                "Dòng 3, cột result_digitised, giá trị '1': hồ sơ chưa có kết quả"]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)


def test_complaints_import_resolve_cancel_and_count(catalog, tmp_path):
    import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                                               [dossier_row("A")]))
    rows = [["A", "2025-01-04 08:00", "phone", "Chậm trả", "", ""],
            ["A", "2025-01-04 09:00", "Thư điện tử", "Thái độ", "", ""]]
    path = write_csv(tmp_path / "c.csv", COMPLAINTS_HEADER, rows)
    first = import_file(catalog, "complaints", path)
    assert first.ok and first.added == 2, first.errors
    assert catalog.execute("SELECT unit_code, channel, actor IS NOT NULL FROM complaints "
                           "ORDER BY id").fetchall()[1] == ("XTD", "email", 1)
    assert import_file(catalog, "complaints", path).unchanged == 2
    rows[0][4:] = ["Đã trả lời", "2025-01-05 10:00"]
    header = COMPLAINTS_HEADER + ["cancelled_at", "cancel_reason"]
    changed = write_csv(tmp_path / "c2.csv", header, [rows[0] + ["", ""],
                                                      rows[1] + ["2025-01-05 11:00", "Nhầm"]])
    second = import_file(catalog, "complaints", changed)
    assert (second.added, second.updated) == (0, 2), second.errors
    assert catalog.execute("SELECT resolution, resolved_at, cancelled_at FROM complaints "
                           "ORDER BY id").fetchall() == [
        ("Đã trả lời", "2025-01-05 10:00:00", None), (None, None, "2025-01-05 11:00:00")]


def test_bad_complaints_are_named_and_exit_2(tmp_path, capsys):
    db = str(tmp_path / "m.db")
    for kind, header, rows in (("units", UNITS_HEADER, UNITS),
                               ("procedures", PROCEDURES_HEADER, PROCEDURES),
                               ("dossiers", DOSSIERS_HEADER, [dossier_row("A")])):
        assert main.main(["--db", db, "import", kind, "--new-db",
                          str(write_csv(tmp_path / f"{kind}.csv", header, rows))]) == 0
    rows = [["A", "2025-01-04 08:00", "phone", "Đúng", "", ""],
            ["ZZ", "2025-01-04 08:00", "fax", "", "", ""],
            ["A", "2025-01-01 08:00", "phone", "Trước khi nhận hồ sơ", "Đã trả lời",
             "2024-12-31 08:00"],
            ["A", "2025-01-04 08:00", "phone", "Thiếu kết quả", "", "2025-01-05 08:00"]]
    path = write_csv(tmp_path / "c.csv", COMPLAINTS_HEADER, rows)
    capsys.readouterr()
    assert main.main(["--db", db, "import", "complaints", str(path)]) == 2
    err = capsys.readouterr().err
    for start in ("Dòng 3, cột dossier_code, giá trị 'ZZ': không có hồ sơ mã 'ZZ'",
                  "Dòng 3, cột channel, giá trị 'fax': không thuộc danh sách",
                  "Dòng 3, cột content, giá trị '': thiếu giá trị bắt buộc",
                  "Dòng 4, cột resolved_at, giá trị '2024-12-31 08:00': giải quyết trước khi nhận",
                  "Dòng 4, cột received_at, giá trị '2025-01-01 08:00': nhận phản ánh trước khi "
                  "tiếp nhận hồ sơ",
                  "Dòng 5, cột resolution, giá trị '': có thời điểm giải quyết thì cần ghi"):
        assert start in err, (start, err)
    assert "chưa ghi gì" in err and "Traceback" not in err
    assert main.main(["--db", db, "export", "complaints", str(tmp_path / "out.csv")]) == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines() == [
        ",".join(COMPLAINTS_HEADER + ["cancelled_at", "cancel_reason", "cancelled_by"])]
