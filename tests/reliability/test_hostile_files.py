"""Hostile files at every way a file gets into MotCua: refused with a Vietnamese message naming
the file (and row, column), nothing written, no crash, memory and time bounded.

Each file is made small in tmp_path: what matters is its shape (one endless line, a header of a
million columns, a DTD, a JSON line nested 100,000 deep), not gigabytes on the test disk.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import main
from core import limits
from core.errors import InputError
from core.exchange import export_package
from core.exchange.package import MANIFEST, PackageReader
from core.transfer import files, profiles, xlsx_reader
from core.transfer.xlsx_writer import column_letters
from core.workbook import forms
from db import settings
from db.connection import transaction
from tests.core.exchange.conftest import with_sums
from tests.reliability import test_input
from tests.reliability.test_input import count, run, write_csv, write_xlsx

office = test_input.office  # the fixture: a unit, a procedure and one dossier

HEADER = ["code", "unit_code", "procedure_code", "applicant_name", "channel", "received_at",
          "status"]


def dossier_row(n: int, name: str = "Vũ Thị Mai") -> list[str]:
    return [f"XTD-250102-{n:04d}", "XTD", "1.001612", name, "direct", "2025-01-02 09:00",
            "received"]


def refused(office, capsys, path: Path, *words: str, kind: str = "dossiers") -> str:
    before = count(office, "dossiers")
    assert run(office, "import", kind, path) == 2
    err = capsys.readouterr().err
    assert path.name in err
    for word in words:
        assert word in err, err
    assert "Traceback" not in err
    assert count(office, "dossiers") == before
    return err


def peak_bytes(action) -> int:
    """Python's peak allocation while `action` runs (tracemalloc: this test's own, not the
    process's, whose high-water mark other tests have raised)."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ----- CSV -----------------------------------------------------------------------------------
def test_a_csv_of_one_endless_line_is_refused_without_reading_it_into_memory(office, tmp_path,
                                                                           capsys):
    path = tmp_path / "mot_dong.csv"
    with open(path, "wb") as handle:  # 48 MB without a line break (a 2 GB one took 4 GB)
        handle.write(b"code,")
        for _ in range(48):
            handle.write(b"a" * (1 << 20))

    def check():
        with pytest.raises(InputError) as error:
            files.open_table(path)
        assert "dòng 1" in str(error.value) and "dài hơn" in str(error.value)
    assert peak_bytes(check) < 30_000_000  # the cap's 2 M characters, not the file's 48 MB
    refused(office, capsys, path, "dòng 1", "2.000.000 ký tự")


def test_a_header_of_a_million_columns_is_refused(office, tmp_path, capsys):
    path = tmp_path / "rong.csv"
    path.write_text(",".join(f"c{i}" for i in range(200_000)) + "\n" + "x\n" * 10,
                    encoding="utf-8")
    refused(office, capsys, path, "dòng tiêu đề", "200.000 cột", "16.384")


def test_short_rows_under_the_widest_header_cost_what_they_hold(office, tmp_path, capsys):
    """A 16,384-column header over 200,000 one-cell rows took minutes (every row was spread over
    every column); now a row costs its own cells."""
    path = tmp_path / "rong_vua.csv"
    names = HEADER + [f"c{i}" for i in range(limits.COLUMNS_MAX - len(HEADER))]
    path.write_text(",".join(names) + "\n" + ",\n" * 200_000, encoding="utf-8")
    started = time.process_time()
    assert run(office, "import", "dossiers", path, "--dry-run") == 0
    assert time.process_time() - started < 20


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\ufffe"])
def test_a_control_character_in_any_cell_is_refused_with_row_and_column(office, tmp_path, capsys,
                                                                      character):
    # far past the first 64 KB the encoding check reads, so only the cell check can see it
    rows = [HEADER] + [dossier_row(n) for n in range(1, 1500)]
    rows.append(dossier_row(1500, f"Vũ Thị{character}Mai"))
    rows.append([f"XTD-{character}1", *dossier_row(1501)[1:]])
    path = write_csv(tmp_path / "ky_tu.csv", rows)
    err = refused(office, capsys, path, "Dòng 1501, cột applicant_name",
                  f"U+{ord(character):04X}", "Dòng 1502, cột code")
    assert character not in err  # shown as �, never cutting the message where it is printed


def test_ordinary_text_with_tabs_and_line_breaks_still_imports(office, tmp_path, capsys):
    rows = [HEADER + ["applicant_address"],
            dossier_row(1) + ["Thôn Khòn Pá,\r\nxã Lương Năng\t(cũ)"]]
    assert run(office, "import", "dossiers", write_csv(tmp_path / "dia_chi.csv", rows)) == 0


# ----- XLSX ----------------------------------------------------------------------------------
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'.replace("&lol0;", "&lol;")
                     .encode() for i in range(1, 10)) + b"]>")


def rewrite_sheet(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, change(data) if "worksheets/" in info.filename else data)
    return target


@pytest.fixture
def sheet(tmp_path) -> Path:
    return write_xlsx(tmp_path / "goc.xlsx", [HEADER, dossier_row(1)])


def test_an_entity_bomb_is_refused_before_openpyxl_expands_it(office, tmp_path, capsys, sheet):
    bomb = rewrite_sheet(sheet, tmp_path / "bom.xlsx", lambda d: LAUGHS + d[d.index(b"<worksheet"):]
                         .replace("Vũ Thị Mai".encode(), b"&lol9;"))

    def check():
        with pytest.raises(InputError, match="DTD"):
            files.open_table(bomb)
    assert peak_bytes(check) < 20_000_000  # expat alone reached 300 MB before its own limit
    refused(office, capsys, bomb, "xl/worksheets/sheet1.xml", "DTD")


SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def shared_strings_book(path: Path, rows: list[list[str]], unused: int = 0) -> Path:
    """A minimal .xlsx whose cells are all shared strings (as Excel writes them), with `unused`
    empty strings no cell refers to."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    strings = [value for row in rows for value in row]
    cells = "".join(f'<row r="{r}">' + "".join(
        f'<c r="{chr(65 + c)}{r}" t="s"><v>{(r - 1) * len(row) + c}</v></c>'
        for c in range(len(row))) + "</row>" for r, row in enumerate(rows, start=1))
    types = "".join(f'<Override PartName="/xl/{name}" ContentType="{SPREADSHEET}.{kind}+xml"/>'
                    for name, kind in (("workbook.xml", "sheet.main"),
                                       ("worksheets/sheet1.xml", "worksheet"),
                                       ("sharedStrings.xml", "sharedStrings")))
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        f'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{types}</Types>",
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="r1" '
        f'Type="{DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{DOCUMENT_RELS}"><sheets><sheet name="a" '
        'sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="r1" Type="{DOCUMENT_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="r2" Type="{DOCUMENT_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>{cells}</sheetData></worksheet>",
        "xl/sharedStrings.xml": f"<sst {ns}>" + "".join(f"<si><t>{v}</t></si>" for v in strings)
        + "<si><t/></si>" * unused + "</sst>"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return path


def test_millions_of_unused_shared_strings_are_refused_before_openpyxl_keeps_them(
        office, tmp_path, capsys):
    """A 190 KB file of 7.4 million empty shared strings took 740 MB and three minutes."""
    bomb = shared_strings_book(tmp_path / "chuoi.xlsx", [HEADER, dossier_row(1)],
                               unused=1_000_000)
    assert bomb.stat().st_size < 100_000
    refused(office, capsys, bomb, "1.000.014 chuỗi", "14 ô", "Chưa đọc gì")
    many = [HEADER] + [dossier_row(n, f"Người nộp số {n}") for n in range(1, 1500)]
    fine = shared_strings_book(tmp_path / "that.xlsx", many, unused=5_000)
    assert run(office, "import", "dossiers", fine, "--dry-run") == 0
    assert "1.499 dòng hồ sơ hợp lệ" in capsys.readouterr().out


@pytest.mark.parametrize("damage, after", [
    (b"<row><c><<<</sheetData>", "sau dòng 2"),  # not XML
    (b'<row r="3"><c r="A3" t="n"><v>abc</v></c></row></sheetData>', "sau dòng 2"),  # a number?
])
def test_damaged_sheet_xml_is_a_clear_refusal_not_a_crash(office, tmp_path, capsys, sheet, damage,
                                                         after):
    broken = rewrite_sheet(sheet, tmp_path / "hong.xlsx",
                           lambda d: d.replace(b"</sheetData>", damage))
    refused(office, capsys, broken, "tệp hỏng", after)


def test_a_row_of_half_a_gigabyte_is_refused_before_openpyxl_builds_it(office, tmp_path, capsys,
                                                                     sheet):
    """16,384 cells of 32,000 characters in one row: a 600 KB file took 1.2 GB and more than ten
    minutes. Here 600 such cells (19 MB of XML, over the 16 MB a row may take)."""
    cells = "".join(f'<c r="{letter}3" t="inlineStr"><is><t>{"a" * 32_000}</t></is></c>'
                    for letter in column_letters(600)).encode()
    wide = rewrite_sheet(sheet, tmp_path / "dong_rong.xlsx", lambda d: d.replace(
        b"</sheetData>", b'<row r="3">' + cells + b"</row></sheetData>"))
    assert wide.stat().st_size < 1_000_000
    refused(office, capsys, wide, "một dòng của trang tính", "16 MB", "Chưa đọc gì")


def test_a_row_numbered_two_billion_is_refused_in_seconds(office, tmp_path, capsys, sheet):
    """openpyxl gives every row a sheet skips as an empty one: a row numbered 2,000,000,000
    after row 2 kept the import busy for hours on 3 KB of file."""
    far = rewrite_sheet(sheet, tmp_path / "dong_xa.xlsx", lambda d: d.replace(
        b"</sheetData>", b'<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>'
        b"</sheetData>"))
    started = time.monotonic()
    refused(office, capsys, far, "1.048.576", "Chưa ghi gì")
    assert time.monotonic() - started < 30


def test_empty_cells_in_column_xfd_on_every_row_are_refused_in_seconds(office, tmp_path, capsys,
                                                                       sheet, monkeypatch):
    """One empty cell in column XFD makes openpyxl hand over a row of 16,384 cells: a 5 MB file
    of a million such rows took more than ten minutes. Here 300 rows under a lower limit."""
    monkeypatch.setattr(limits, "XLSX_CELLS_MAX", 1_000_000)
    rows = b"".join(b'<row r="%d"><c r="XFD%d" s="0"/></row>' % (n, n) for n in range(3, 303))
    wide = rewrite_sheet(sheet, tmp_path / "o_trong.xlsx",
                         lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"))
    refused(office, capsys, wide, "1.000.000 ô", "dòng 64", "Chưa ghi gì")


def test_a_sheet_without_a_size_record_is_not_parsed_whole_when_opened(office, tmp_path, sheet):
    """openpyxl parsed a sheet without <dimension> (MotCua's own exports) to its end looking for
    one, keeping every element: a 440 KB sheet of 50 million empty rows passed 2 GB. Here
    300,000 empty rows after the header: opening the file reads the header only."""
    def change(data: bytes) -> bytes:
        start = data.index(b"<dimension")
        data = data[:start] + data[data.index(b">", start) + 1:]
        return data.replace(b"</sheetData>", b"<row/>" * 300_000 + b"</sheetData>")
    empty = rewrite_sheet(sheet, tmp_path / "khong_kich_thuoc.xlsx", change)
    assert b"<dimension" not in zipfile.ZipFile(empty).read("xl/worksheets/sheet1.xml")
    assert peak_bytes(lambda: files.open_table(empty)) < 10_000_000


def test_a_date_cell_beyond_excels_dates_is_named_without_an_english_warning(office, tmp_path):
    """openpyxl warned on stderr ("UserWarning: Cell F2 is marked as a date but the serial value
    2958466 is outside the limits for dates") above MotCua's own message. A process of its own:
    pytest records warnings itself, so only a real command shows what a clerk sees."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import save_workbook

    book = Workbook()
    book.active.append(HEADER)
    book.active.append(dossier_row(2)[:5] + [2958466, "received"])
    book.active["F2"].number_format = "dd/mm/yyyy hh:mm"
    save_workbook(book, tmp_path / "ngay_xa.xlsx")
    root = Path(main.__file__).resolve().parent
    result = subprocess.run([sys.executable, str(root / "main.py"), "--db", str(office["path"]),
                             "import", "dossiers", str(tmp_path / "ngay_xa.xlsx")],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 2
    assert "Dòng 2, cột received_at" in result.stderr, result.stderr
    assert "Warning" not in result.stderr and "warn(" not in result.stderr, result.stderr


def test_a_password_protected_or_old_excel_file_is_named_so(office, tmp_path, capsys):
    ole = tmp_path / "mat_khau.xlsx"
    ole.write_bytes(xlsx_reader.OLE_MAGIC + bytes(4000))
    refused(office, capsys, ole, "mật khẩu", ".xls")


def test_a_formula_from_a_citizen_is_text_in_every_written_workbook(tmp_path):
    """Forms (Biểu 06, 766, reconciliation) write names read from a province's file: openpyxl
    took any text starting with '=' for a formula, and refused the whole book for one control
    character."""
    book = forms.new_book()
    sheet = forms.Sheet(book, "t")
    sheet.hold = False
    forms.write_row(sheet, 1, ['=HYPERLINK("http://x","bấm")', "Vũ\x00Thị\x1bMai", 5])
    path = forms.save(book, tmp_path / "bieu.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and '<t>=HYPERLINK("http://x","bấm")</t>' in xml
    assert "<t>VũThịMai</t>" in xml


# ----- exchange packages -----------------------------------------------------------------------
@pytest.fixture
def package(office, tmp_path) -> Path:
    from core.database import open_database
    db = open_database(office["path"])
    path = tmp_path / "goi.zip"
    export_package(db, path, dt.date(2025, 1, 1), format_version=2)  # JSON lines forged here
    db.close()
    return path


def remade(package: Path, target: Path, parts: dict | None = None, manifest=None,
           extra=()) -> Path:
    """The package with some parts replaced and every checksum made to match (what an attacker
    who knows the format can do)."""
    with zipfile.ZipFile(package) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    members.update(parts or {})
    data = json.loads(members[MANIFEST])
    for name, part in data["parts"].items():
        content = members[name]
        records = content.count(b"\n") + (not content.endswith(b"\n") and bool(content))
        part.update(sha256=hashlib.sha256(content).hexdigest(), bytes=len(content),
                    records=records)
        data["counts"][name.removesuffix(".jsonl")] = records
    if manifest:
        manifest(data)
    members[MANIFEST] = json.dumps(data).encode()
    with_sums(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, content in [*members.items(), *extra]:
            new.writestr(name, content)
    return target


@pytest.mark.parametrize("line", [b"[" * 100_000 + b"]" * 100_000,
                                  b'{"a":' * 100_000 + b"1" + b"}" * 100_000])
def test_a_json_line_nested_100000_deep_is_refused(office, package, tmp_path, line):
    bad = remade(package, tmp_path / "sau.zip", {"dossiers.jsonl": line + b"\n"})
    assert run(office, "exchange", "import", bad) == 2
    with pytest.raises(InputError, match="dossiers.jsonl, dòng 1 không phải JSON"):
        with PackageReader(bad) as reader:
            list(reader.records("dossiers.jsonl"))


@pytest.mark.parametrize("change, words", [
    (lambda m: m.update(counts="rất nhiều"), "counts sai kiểu"),
    (lambda m: m.update(counts={"dossiers": -7}), "không phải số tự nhiên"),
    (lambda m: m.update(installation=["x"]), "installation sai kiểu"),
    (lambda m: m.update(sender_unit="X" * 10_000), "dài bất thường"),
])
def test_a_manifest_of_the_wrong_shape_is_refused(office, package, tmp_path, capsys, change,
                                                  words):
    bad = remade(package, tmp_path / "ban_ke.zip", manifest=change)
    assert run(office, "exchange", "import", bad) == 2
    err = capsys.readouterr().err
    assert words in err and "Chưa ghi gì" in err and "Traceback" not in err


def test_a_manifest_nested_100000_deep_is_refused(office, package, tmp_path, capsys):
    bad = tmp_path / "ban_ke_sau.zip"
    with zipfile.ZipFile(package) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    members[MANIFEST] = b"[" * 100_000 + b"]" * 100_000
    with zipfile.ZipFile(bad, "w") as new:  # its checksum made to match: parsed, and refused
        for name, data in with_sums(members).items():
            new.writestr(name, data)
    assert run(office, "exchange", "import", bad) == 2
    assert "bản kê manifest.json không phải JSON hợp lệ." in capsys.readouterr().err  # member_json


def test_a_part_twice_in_the_zip_is_refused_by_name(office, package, tmp_path, capsys):
    with pytest.warns(UserWarning, match="Duplicate name"):
        bad = remade(package, tmp_path / "hai_lan.zip", extra=[("dossiers.jsonl", b"{}\n")])
    with pytest.raises(InputError, match="hai phần cùng tên"):
        PackageReader(bad)


# ----- saved column mappings -------------------------------------------------------------------
@pytest.mark.parametrize("stored", ["{hỏng", '{"a": "chữ", "b": {"columns": [1, 2]}}',
                                    '{"c": {"columns": {"code": 5}}}', "[" * 100_000])
def test_a_damaged_saved_mapping_leaves_the_builtin_one_working(db, stored):
    with transaction(db) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                     [profiles.SETTING, stored])
    assert [p.name for p in profiles.list_profiles(db)] == [profiles.NATIONAL]
    with pytest.raises(InputError, match="Không có mẫu cột tên 'b'"):
        profiles.get_profile(db, "b")
    profiles.save_profile(db, "tinh", dict(profiles.NATIONAL_COLUMNS))
    assert settings.get(db, profiles.SETTING) == {
        "tinh": {"columns": dict(profiles.NATIONAL_COLUMNS)}}


def test_every_refusal_says_nothing_was_imported(office, tmp_path, capsys):
    """The window and the command show the same words; `main` never prints a traceback."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"code,name\n" + b"a" * (limits.CSV_LINE_MAX + 10))
    assert main.main(["--db", str(office["path"]), "import", "units", str(path)]) == 2
    assert "Chưa ghi gì" in capsys.readouterr().err


def _with_junk(tmp_path, per_row: int) -> Path:
    """An .xlsx of 200 dossier rows, each followed by `per_row` empty junk elements."""
    path = write_xlsx(tmp_path / "clean.xlsx", [HEADER] + [dossier_row(n) for n in range(1, 201)])
    junk = tmp_path / f"junk{per_row}.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(junk, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</row>", b"</row>" + b"<j/>" * per_row)
            out.writestr(info, data)
    return junk


def test_junk_between_a_sheets_rows_is_refused_in_bounded_memory(tmp_path):
    """openpyxl's sheet reader keeps every element it reads in the sheet's tree, and never
    frees those it does not know: a 594 KB .xlsx of 100,000 empty rows each followed by 400
    junk elements took 3.5 GB and 27 s (ninth round). Rows and parts are now let go once read,
    and more than STRAYS_MAX elements in sheetData that are not rows (no program writes one)
    name the file as damaged: here 400,000 of them, refused within a few MB."""
    junk = _with_junk(tmp_path, 2000)
    refusal: list[InputError] = []

    def read() -> None:
        try:
            list(xlsx_reader._xlsx_records(junk))
        except InputError as exc:
            refusal.append(exc)

    peak = peak_bytes(read)
    assert refusal and "tệp hỏng hoặc đã bị sửa bất thường" in str(refusal[0])
    assert junk.name in str(refusal[0])
    assert peak < 12_000_000, f"{peak / 1e6:.1f} MB"


def test_a_few_stray_elements_do_not_stop_the_rows(tmp_path):
    rows = list(xlsx_reader._xlsx_records(_with_junk(tmp_path, 20)))  # 4,000 strays
    assert len(rows) == 201 and rows[200][1][3] == "Vũ Thị Mai"
