"""Reading files as clerks produce them: Excel's encodings, BOM, ';' lists, XLSX cells, and
refusing what cannot be read with a message that says what to do."""
from __future__ import annotations

import codecs
import datetime as dt
import os
import unicodedata

import pytest
from openpyxl.utils import get_column_letter

from core.errors import InputError, OperationError
from core.transfer import export_file, import_file
from core.transfer.files import open_table, write_table
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    UNITS,
    UNITS_HEADER,
    count,
    dossier_row,
    write_csv,
    write_xlsx,
)

VIETNAMESE_UNITS = "code,name,level,parent_code\r\nLS,UBND tỉnh Lạng Sơn,province,\r\nX1,Xã Đồng Giáp,commune,LS\r\n"


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Encode like Excel on Vietnamese Windows: base letters precomposed, tone marks combining."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def test_utf8_with_bom_is_read(db, tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(codecs.BOM_UTF8 + VIETNAMESE_UNITS.encode("utf-8"))
    result = import_file(db, "units", path)
    assert result.ok and result.added == 2
    assert db.execute("SELECT name FROM units WHERE code = 'X1'").fetchone()[0] == "Xã Đồng Giáp"


def test_windows_1258_file_is_refused_with_utf8_advice(db, tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(windows_1258(VIETNAMESE_UNITS))
    with pytest.raises(InputError) as caught:
        import_file(db, "units", path)
    assert "không phải mã UTF-8" in caught.value.message
    assert "CSV UTF-8" in caught.value.message and "Save As" in caught.value.message
    assert count(db, "units") == 0


def test_windows_1252_bytes_late_in_a_big_file_are_refused(db, tmp_path):
    """The first 64 KB look fine; the bad byte comes later: still refused, nothing written."""
    rows = "".join(f"U{i},Đơn vị {i},commune,\r\n" for i in range(5000))
    path = tmp_path / "u.csv"
    path.write_bytes(("code,name,level,parent_code\r\n" + rows).encode("utf-8") + "Z,Caf\xe9,,\r\n".encode("cp1252"))
    with pytest.raises(InputError, match="CSV UTF-8"):
        import_file(db, "units", path)
    assert count(db, "units") == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_file_is_refused_with_utf8_advice(db, tmp_path, encoding):
    path = tmp_path / "u.csv"
    path.write_bytes(VIETNAMESE_UNITS.encode(encoding))
    with pytest.raises(InputError) as caught:
        import_file(db, "units", path)
    assert "UTF-16" in caught.value.message and "CSV UTF-8" in caught.value.message


def test_semicolon_list_from_vietnamese_excel_is_read(db, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("code;name;level;parent_code\nLS;UBND tỉnh Lạng Sơn;province;\n", encoding="utf-8")
    assert import_file(db, "units", path).added == 1


@pytest.mark.parametrize("content", [b"", codecs.BOM_UTF8, b"\r\n\r\n"])
def test_empty_file_is_refused(db, tmp_path, content):
    path = tmp_path / "u.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="trống"):
        import_file(db, "units", path)


def test_header_only_file_imports_nothing_and_succeeds(db, tmp_path):
    result = import_file(db, "votes", write_csv(tmp_path / "v.csv", ["unit_code", "voted_at", "rating"], []))
    assert result.ok and result.rows == 0


def test_missing_file_wrong_extension_and_folder_are_refused(db, tmp_path):
    with pytest.raises(InputError, match="Không tìm thấy tệp"):
        import_file(db, "units", tmp_path / "none.csv")
    (tmp_path / "u.txt").write_text("code,name\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\.csv hoặc \.xlsx"):
        import_file(db, "units", tmp_path / "u.txt")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError, match="thư mục"):
        import_file(db, "units", tmp_path / "dir.csv")


def test_missing_required_header_column_is_named(db, tmp_path):
    path = write_csv(tmp_path / "u.csv", ["code", "ten"], [["A", "B"]])
    with pytest.raises(InputError) as caught:
        import_file(db, "units", path)
    assert "thiếu cột bắt buộc: name" in caught.value.message


def test_header_names_ignore_case_spaces_and_extra_columns(db, tmp_path):
    path = write_csv(tmp_path / "u.csv", [" Code ", "NAME", "ghi chú"], [["A", "Đơn vị A", "bỏ qua"]])
    assert import_file(db, "units", path).added == 1


def test_blank_lines_are_skipped_but_rows_keep_their_spreadsheet_numbers(db, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("code,name\nA,Đơn vị A\n\n,\nB,\n", encoding="utf-8")
    result = import_file(db, "units", path)
    assert [(e.row, e.column) for e in result.errors] == [(5, "name")]


def test_corrupt_xlsx_is_refused(db, tmp_path):
    path = tmp_path / "u.xlsx"
    path.write_bytes(b"code,name\nA,B\n")
    with pytest.raises(InputError, match="Excel"):
        import_file(db, "units", path)


def test_xlsx_native_dates_numbers_and_first_sheet(catalog, tmp_path):
    row = dossier_row("XTD-250106-0001")
    cells = dict(zip(DOSSIERS_HEADER, row, strict=True))
    cells.update(received_at=dt.datetime(2025, 1, 6, 7, 59, 59, 999_700),  # Excel's float time
                 finished_at=dt.datetime(2025, 1, 7, 10, 0), returned_at=dt.date(2025, 1, 8),
                 fee=20000.0, e_result=1)
    path = write_xlsx(tmp_path / "d.xlsx", DOSSIERS_HEADER, [[cells[c] for c in DOSSIERS_HEADER]])
    from openpyxl import load_workbook
    book = load_workbook(path)
    book.create_sheet("other").append(["nothing"])
    book.save(path)
    result = import_file(catalog, "dossiers", path)
    assert result.ok, result.errors
    stored = catalog.execute("SELECT received_at, finished_at, returned_at, fee FROM dossiers").fetchone()
    # a return given as a date cell: the end of that day's office hours (core.transfer.day_only)
    assert tuple(stored) == ("2025-01-06 08:00:00", "2025-01-07 10:00:00", "2025-01-08 17:00:00", 20000)
    assert any("chỉ ghi ngày, không có giờ (dòng 2)" in w for w in result.warnings)


def test_vietnamese_dates_are_accepted(catalog, tmp_path):
    row = dossier_row(received_at="06/01/2025 08:15", finished_at="7/1/2025 10:00:30", returned_at="")
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, [row])).ok
    stored = catalog.execute("SELECT received_at, finished_at FROM dossiers").fetchone()
    assert tuple(stored) == ("2025-01-06 08:15:00", "2025-01-07 10:00:30")


def test_export_csv_has_bom_and_crlf_for_excel(catalog, tmp_path):
    export_file(catalog, "units", tmp_path / "u.csv")
    data = (tmp_path / "u.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + b"code,name,level,parent_code,valid_from,valid_to,successor_code\r\n")
    assert "UBND tỉnh Lạng Sơn".encode() in data


def test_export_to_missing_folder_or_folder_fails_cleanly(catalog, tmp_path):
    with pytest.raises(InputError, match=f"Thư mục {tmp_path / 'no'} không tồn tại"):
        export_file(catalog, "units", tmp_path / "no" / "u.csv")
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(InputError, match="thư mục"):
        export_file(catalog, "units", tmp_path / "d.csv")
    with pytest.raises(InputError):
        export_file(catalog, "units", tmp_path / "u.pdf")


def test_failed_export_leaves_the_old_file_and_no_temporary(catalog, tmp_path, monkeypatch):
    target = tmp_path / "u.csv"
    target.write_text("old", encoding="utf-8")

    def broken_rows():
        yield UNITS[0]
        raise OSError(28, "No space left on device")

    with pytest.raises(OperationError, match="Ổ đĩa đã đầy"):
        write_table(target, UNITS_HEADER, broken_rows(), 2)
    assert target.read_text(encoding="utf-8") == "old"
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".motcua-")]


def test_unwritable_target_is_reported(catalog, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("core.transfer.files.os.replace", refuse)
    with pytest.raises(OperationError, match="không có quyền ghi"):
        export_file(catalog, "units", tmp_path / "u.xlsx")
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".motcua-*"))


def test_read_only_disk_is_reported_in_vietnamese(catalog, tmp_path, monkeypatch):
    import errno

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("core.transfer.files.os.replace", refuse)
    with pytest.raises(OperationError) as raised:
        export_file(catalog, "units", tmp_path / "u.csv")
    assert "chỉ cho phép đọc" in raised.value.message
    assert "Read-only" not in raised.value.message


def test_exported_file_is_readable_by_others(catalog, tmp_path):
    export_file(catalog, "units", tmp_path / "u.csv")
    assert (tmp_path / "u.csv").stat().st_mode & 0o044  # not left private like a temp file


def test_open_table_finds_header_row(tmp_path):
    table = open_table(write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS))
    assert table.header == UNITS_HEADER and table.header_row == 1
    assert [n for n, _ in table.rows()] == [2, 3, 4]


def test_a_column_named_twice_is_named_with_its_letters(catalog, tmp_path):
    header = DOSSIERS_HEADER + ["Applicant_Name"]
    path = write_csv(tmp_path / "d.csv", header, [dossier_row() + ["Người Khác"]])
    with pytest.raises(InputError) as refused:
        import_file(catalog, "dossiers", path)
    letter = get_column_letter(len(header))
    assert f"có cột lặp lại: applicant_name (cột D, {letter})" in str(refused.value)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_that_cannot_be_read_is_not_said_to_lack_write_permission(db, tmp_path,
                                                                         monkeypatch, suffix):
    """A locked or forbidden file to READ was 'không có quyền ghi': the clerk looked at the
    wrong thing (the folder's write rights) instead of closing the file in Excel."""
    import builtins

    path = tmp_path / f"don_vi{suffix}"
    path.write_bytes(b"code,name\n")
    real_open = builtins.open

    def locked(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", locked)
    with pytest.raises(InputError, match="không có quyền đọc tệp, hoặc tệp đang mở") as caught:
        import_file(db, "units", path)
    assert "quyền ghi" not in str(caught.value)


@pytest.mark.parametrize("mangle", ["cp1252", "latin-1"])
def test_a_csv_whose_vietnamese_was_mangled_is_refused_once_naming_the_cause(catalog, tmp_path,
                                                                            mangle):
    """A UTF-8 export opened with the wrong code page and saved again as UTF-8 ('Nguyễn' →
    'Nguyá»…n'): it is valid UTF-8, so each name was refused for its odd symbols (824 errors
    for a 3,000-row file) and a mangled address would have been kept. One refusal now, the
    cause named, nothing written."""
    good = write_csv(tmp_path / "good.csv", DOSSIERS_HEADER, [dossier_row()])
    text = good.read_text(encoding="utf-8")
    mangled = tmp_path / "mangled.csv"
    mangled.write_text(text.encode("utf-8").decode(mangle, errors="replace"), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_file(catalog, "dossiers", mangled)
    message = str(refused.value)
    assert "bị hỏng mã" in message and "dòng 2" in message and "Chưa ghi gì" in message
    assert catalog.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert import_file(catalog, "dossiers", good).ok  # the true file is read as before


@pytest.mark.parametrize("name", ["NGÃ BA", "Đỗ Thị Ngã", "Võ Thị Ánh Tuyết", "ĐOÀN VĂN ƯỚC",
                                  "Nguyễn Ðức"])
def test_true_vietnamese_is_not_taken_for_mangled(catalog, tmp_path, name):
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                     [dossier_row(applicant_name=name, applicant_address="Ngã ba Bản Chu")])
    assert import_file(catalog, "dossiers", path).ok
