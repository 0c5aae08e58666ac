"""An .xlsx whose harm is outside the sheet: the parts openpyxl reads whole (styles, content
types, relations, workbook), and a sheet under another name or in another encoding, which the
checks told by name used to let through to openpyxl unchecked.

A 95 KB file whose styles.xml held 5.6 million empty fonts took 3 GB and two and a half minutes
to import (round 18); each is now refused in words naming the part, nothing written, within a
few MB.
"""
from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from core import limits, zipdir
from core.errors import InputError
from core.transfer import files
from core.transfer.xlsx_guard import OTHER_ELEMENTS_MAX
from tests.reliability.test_hostile_files import (
    HEADER,
    LAUGHS,
    dossier_row,
    office,
    package,
    peak_bytes,
    refused,
)
from tests.reliability.test_input import count, run, write_xlsx

__all__ = ["office", "package"]
MANY = OTHER_ELEMENTS_MAX + 50_000


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], tuple[str, bytes]]) -> Path:
    """Each part of `source` through change(name, data) -> (name, data)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            name, data = change(info.filename, old.read(info.filename))
            new.writestr(name, data)
    return target


@pytest.fixture
def sheet(tmp_path) -> Path:
    return write_xlsx(tmp_path / "goc.xlsx", [HEADER, dossier_row(1), dossier_row(2, "Lò Văn An")])


def _inside(part: str, before: bytes, extra: bytes):
    def change(name: str, data: bytes) -> tuple[str, bytes]:
        if name == part:
            assert before in data, data[:300]
            data = data.replace(before, extra + before, 1)
        return name, data
    return change


@pytest.mark.parametrize("part, before, element", [
    ("xl/styles.xml", b"</fonts>", b"<font/>"),
    ("xl/styles.xml", b"</cellXfs>", b"<xf/>"),
    ("[Content_Types].xml", b"</Types>", b"<Default/>"),
    ("xl/_rels/workbook.xml.rels", b"</Relationships>", b"<Relationship/>"),
    ("xl/workbook.xml", b"</sheets>", b"<sheet/>"),
])
def test_a_part_read_whole_with_hundreds_of_thousands_of_elements_is_refused(
        office, tmp_path, capsys, sheet, part, before, element):
    bomb = rewrite(sheet, tmp_path / "kieu.xlsx", _inside(part, before, element * MANY))
    assert bomb.stat().st_size < 100_000

    def check():
        with pytest.raises(InputError, match="phần tử"):
            files.open_table(bomb)
    assert peak_bytes(check) < 20_000_000  # openpyxl took some 600 bytes an element
    refused(office, capsys, bomb, part, "Chưa đọc gì")


def test_many_styles_as_a_real_workbook_has_them_still_import(office, tmp_path, capsys, sheet):
    """Excel keeps at most 64,000 cell formats; a file with 20,000 fonts and formats reads."""
    styled = rewrite(sheet, tmp_path / "nhieu_kieu.xlsx",
                     _inside("xl/styles.xml", b"</cellXfs>",
                             b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 20_000))
    assert run(office, "import", "dossiers", styled, "--dry-run") == 0
    assert "2 dòng hồ sơ hợp lệ" in capsys.readouterr().out


def test_a_big_part_openpyxl_never_parses_is_not_counted(office, tmp_path, capsys, sheet):
    """A pivot table's cached records may pass the limit in a real file; read-only openpyxl
    never builds them."""
    records = (b'<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
               b'main">' + b"<r/>" * MANY + b"</pivotCacheRecords>")
    with zipfile.ZipFile(sheet, "a") as book:
        book.writestr("xl/pivotCache/pivotCacheRecords1.xml", records)
    assert run(office, "import", "dossiers", sheet, "--dry-run") == 0
    assert "2 dòng hồ sơ hợp lệ" in capsys.readouterr().out


def _moved(extra: Callable[[bytes], bytes] = lambda d: d):
    """The sheet moved to xl/data/s.bin, the workbook's relations and content types following:
    openpyxl reads it from there."""
    def change(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            name, data = "xl/data/s.bin", extra(data)
        return name, data.replace(b"worksheets/sheet1.xml", b"data/s.bin")
    return change


def test_a_sheet_under_another_name_is_still_read_and_checked(office, tmp_path, capsys, sheet):
    moved = rewrite(sheet, tmp_path / "doi_ten.xlsx", _moved())
    assert "xl/worksheets/sheet1.xml" not in zipfile.ZipFile(moved).namelist()
    assert run(office, "import", "dossiers", moved, "--dry-run") == 0
    assert "2 dòng hồ sơ hợp lệ" in capsys.readouterr().out

    def laughs(data: bytes) -> bytes:
        return LAUGHS + data[data.index(b"<worksheet"):].replace(
            b"</row>", b'<c r="H1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1)
    bomb = rewrite(sheet, tmp_path / "doi_ten_bom.xlsx", _moved(laughs))
    refused(office, capsys, bomb, "xl/data/s.bin", "DTD")

    def long_cell(data: bytes) -> bytes:
        return data.replace(b"</row>", b'<c r="H1" t="inlineStr"><is><t>' + b"x" * 300_000
                            + b"</t></is></c></row>", 1)
    long = rewrite(sheet, tmp_path / "doi_ten_dai.xlsx", _moved(long_cell))
    refused(office, capsys, long, "32.767 ký tự", "Chưa đọc gì")


def test_a_sheet_in_utf16_is_refused_as_excel_never_writes_one(office, tmp_path, capsys, sheet):
    def utf16(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            text = data.decode("utf-8")
            text = text[text.index("<worksheet"):]
            data = ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")
        return name, data
    wide = rewrite(sheet, tmp_path / "utf16.xlsx", utf16)
    before = count(office, "dossiers")
    refused(office, capsys, wide, "xl/worksheets/sheet1.xml", "UTF-8")
    assert count(office, "dossiers") == before


def _with_members(source: Path, target: Path, count: int) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info.filename), zipfile.ZIP_DEFLATED)
        for n in range(count):
            new.writestr(f"x/{n}", b"")
    return target


def test_a_zip_of_hundreds_of_thousands_of_members_is_refused_before_zipfile_lists_them(
        office, package, tmp_path, capsys, sheet, monkeypatch):
    """zipfile builds an object for every member as it opens a file: a 46 MB .xlsx or package
    of 500,000 empty members took 330 MB and 20 s to be refused. Here 80,000 members (past the
    65,535 an ordinary end record can count: the ZIP64 one is read) under a 4 MB limit, and
    2,000 under a limit lowered to match."""
    many = _with_members(sheet, tmp_path / "nhieu_phan.xlsx", 80_000)
    assert zipdir.directory_bytes(many) > limits.ZIP_DIRECTORY_MAX

    def check():
        with pytest.raises(InputError, match="danh mục các phần nén"):
            files.open_table(many)
    assert peak_bytes(check) < 2_000_000
    refused(office, capsys, many, "danh mục các phần nén", "Chưa đọc gì")

    monkeypatch.setattr(limits, "ZIP_DIRECTORY_MAX", 50_000)
    crowded = _with_members(package, tmp_path / "goi_nhieu_phan.zip", 2_000)
    assert zipdir.directory_bytes(crowded) > 50_000
    before = count(office, "dossiers")
    assert run(office, "exchange", "import", crowded) == 2
    err = capsys.readouterr().err
    assert "goi_nhieu_phan.zip" in err and "danh mục các phần nén" in err, err
    assert "Chưa ghi gì" in err and count(office, "dossiers") == before


def test_an_ordinary_zip_declares_its_directory(sheet, package):
    for path in (sheet, package):
        with zipfile.ZipFile(path) as archive:
            assert 0 < zipdir.directory_bytes(path) < 1_000 * len(archive.infolist())
    assert zipdir.directory_bytes(Path(__file__)) is None  # no zip: zipfile says so itself


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_a_pipe_named_like_a_package_is_named_a_pipe_not_missing(office, tmp_path, capsys):
    pipe = tmp_path / "goi.zip"
    os.mkfifo(pipe)
    assert run(office, "exchange", "import", pipe) == 2
    err = capsys.readouterr().err
    assert "ống dẫn" in err and "Không tìm thấy" not in err, err


def _empty_members(path: Path, count: int, first: bytes = b"<Types/>") -> tuple[bytes, int]:
    """A zip of `count` empty members after one holding `first`: its bytes and the true size
    of its central directory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", first)
        for n in range(count):
            archive.writestr(f"x/{n}", b"")
    with zipfile.ZipFile(path) as archive:
        real = sum(46 + len(info.filename.encode()) + len(info.extra) + len(info.comment)
                   for info in archive.infolist())
    return path.read_bytes(), real


def _lists(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return len(archive.infolist())


def test_an_end_record_holding_its_own_signature_is_read_where_zipfile_reads_it(tmp_path):
    """zipfile takes the last 22 bytes first when they are an end record; the guard searched
    backwards for the signature, so an offset field holding `PK\\x05\\x06` made it find that
    copy, say "not a zip" and let 200,000 members through (5 s, 150 MB to refuse)."""
    path = tmp_path / "tu_ky.xlsx"
    data, real = _empty_members(path, 300)
    end = len(data) - 22
    data = data[:end + 16] + zipdir.END + data[end + 20:]  # the directory's offset field
    path.write_bytes(data)
    assert _lists(path) == 301  # zipfile still reads it whole
    assert zipdir.directory_bytes(path) >= real


def test_a_zip64_locator_pointing_at_a_smaller_record_does_not_hide_the_one_zipfile_reads(
        tmp_path, monkeypatch):
    """zipfile reads the ZIP64 end record immediately before its locator, whatever the
    locator points at; the guard followed the pointer, to a record declaring 100 bytes hidden
    in a member, while the ordinary record said 100 bytes and one entry."""
    fake = struct.pack("<4sQ2H2L2Q2Q", zipdir.END64, 44, 45, 45, 0, 0, 1, 1, 100, 0)
    path = tmp_path / "z64.xlsx"
    data, real = _empty_members(path, 300, b"<Types/><!--" + fake + b"-->")
    end = len(data) - 22
    offset, = struct.unpack_from("<I", data, end + 16)
    size, = struct.unpack_from("<I", data, end + 12)
    body = data[:end]
    record = struct.pack("<4sQ2H2L2Q2Q", zipdir.END64, 44, 45, 45, 0, 0, 301, 301, size, offset)
    locator = struct.pack("<4sLQL", zipdir.LOCATOR, 0, data.find(fake), 1)
    ordinary = struct.pack("<4s4H2LH", zipdir.END, 0, 0, 1, 1, 100, offset, 0)
    path.write_bytes(body + record + locator + ordinary)
    assert _lists(path) == 301
    assert zipdir.directory_bytes(path) >= real


def test_the_entries_an_end_record_counts_bound_its_directory(tmp_path):
    """An entry takes at least 46 bytes: a record counting 100,000 entries declares at
    least 4.6 MB whatever size it states."""
    path = tmp_path / "dem.zip"
    data, _ = _empty_members(path, 3)
    end = len(data) - 22
    path.write_bytes(data[:end + 8] + struct.pack("<HHI", 60_000, 60_000, 100) + data[end + 16:])
    assert zipdir.directory_bytes(path) >= 60_000 * 46
