"""Checks on an .xlsx before openpyxl reads it: sizes, over-long cells, formulas.

An .xlsx is a zip of XML parts. A 1 MB file can unpack to gigabytes (one cell repeated a
billion times compresses to almost nothing), and openpyxl builds each cell's text — and the
whole shared-strings part — in memory. So the sizes the zip declares are checked first
(zipfile never unpacks more than a member declares), then the cells' parts are streamed once
looking for a cell longer than Excel itself allows. Both refusals take seconds whatever the
file holds. The same pass notes whether the sheet holds formulas, whose cached values the
reader must then check (core.transfer.files).
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from core import limits, zipdir
from core.errors import InputError
from core.timefmt import vn_number

CHUNK = 1 << 16
# Bytes of XML one cell may take: 32,767 characters of up to 4 bytes, plus escapes and tags.
CELL_BYTES_MAX = limits.CELL_MAX * 8
# Every value, cell and shared string ends with a closing tag ("</v>", "</t>", "</x:c>"…) or
# is an empty element ("/>"); a text cannot hold "</" (it is written "&lt;/"). So a stretch
# without either is one text longer than CELL_BYTES_MAX. Tags may carry a prefix ("x:").
CELL_ENDS = (b"</", b"/>")
FORMULA_STARTS = (b"<f>", b"<f ", b":f>", b":f ")
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
OTHER_PART_MAX = 50_000_000  # workbook, styles, relations: small in any real file
# Elements of a part openpyxl reads whole: it builds every one of them as an object (styles.xml's
# fonts, formats and cell styles, the content types, the relations), some 600 bytes and 40 µs
# each: a 95 KB file whose styles.xml held 5.6 million empty fonts took 3 GB and two and a half
# minutes. Excel itself keeps at most 64,000 cell formats and styles (each with an alignment
# child at most), far below this.
OTHER_ELEMENTS_MAX = 250_000
ELEMENT_CLOSES = (b"</", b"<?", b"<!")
# The parts holding cells, told by their root element (an optional prefix: "x:worksheet"),
# whatever their name; the parts openpyxl reads whole at fixed names never count as such.
SHEET_ROOTS = ("worksheet", "chartsheet", "dialogsheet")
CELLS_ROOTS = SHEET_ROOTS + ("sst",)
PARSED_WHOLE = ("[Content_Types].xml", "xl/styles.xml", "xl/workbook.xml", "docProps/core.xml",
                "docProps/custom.xml", "docProps/app.xml")
# … and the roots of such parts under another name (the workbook part is found by its content
# type). Parts a read-only openpyxl never parses (comments, drawings, pivot caches, whose
# records may well pass the limit) are only checked for a DTD.
WHOLE_ROOTS = ("workbook", "styleSheet", "Types", "Relationships")
ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


# A shared string is used by a cell at least once in any file Excel writes; a part with millions
# of strings and a sheet of a few cells is a memory bomb (openpyxl keeps every string: a 190 KB
# file of 7.4 million empty strings took 740 MB and three minutes). Counted in every part, so a
# strings part under another name is counted too.
STRING_STARTS = (b"<si>", b"<si ", b":si>", b":si ")
CELL_STARTS = (b"<c ", b"<c>", b":c ", b":c>")
STRINGS_SPARE = 10_000
ROW_STARTS = (b"<row", b":row")  # unused strings some writers leave behind


@dataclass
class XlsxReport:
    has_formulas: bool = False
    strings: int = 0
    cells: int = 0


def _mb(size: int) -> str:
    return f"{vn_number(size / 1_000_000)} MB"


def _cells_part(name: str) -> bool:
    """A cells part at its usual name: refused early by its declared size (check_xlsx then
    tells every part by what it holds)."""
    return name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"


def check_xlsx(path: Path) -> XlsxReport:
    """Refuse (InputError) a file too big once unpacked or with an over-long cell."""
    _check_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(path, members)
            report = XlsxReport()
            for info in members:
                root = _root(path, archive, info)
                if root is None:
                    continue
                whole = info.filename in PARSED_WHOLE or info.filename.endswith(".rels") \
                    or root in WHOLE_ROOTS
                # a root not within the first bytes: both checks, as no real part does that
                cells = not whole and (root in CELLS_ROOTS or root == "")
                _check_size(path, info, root, cells)
                report.has_formulas |= _scan(path, archive, info, report, cells=cells,
                                             counted=whole or root == "",
                                             sheet=cells and root != "sst")
            _check_strings(path, report)
            return report
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError,
            zlib.error):
        return XlsxReport()  # not a readable zip: openpyxl says so in the usual words


def _check_directory(path: Path) -> None:
    try:
        size = zipdir.directory_bytes(path)
    except OSError:
        return  # openpyxl names what cannot be read in the usual words
    if size is not None and size > limits.ZIP_DIRECTORY_MAX:
        raise InputError(f"Tệp {path.name} có danh mục các phần nén chiếm {_mb(size)} (hàng chục "
                         "nghìn phần trở lên), trong khi một bảng tính chỉ có vài chục phần: tệp hỏng "
                         "hoặc bất thường (có thể là tệp độc hại làm cạn bộ nhớ). Chưa đọc gì.")


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    total = sum(info.file_size for info in members)
    if total > limits.XLSX_TOTAL_MAX:
        raise InputError(f"Tệp {path.name} khi giải nén chiếm {_mb(total)}, vượt giới hạn "
                         f"{_mb(limits.XLSX_TOTAL_MAX)}; chưa đọc gì. Hãy chia nhỏ tệp "
                         "hoặc lưu thành CSV.")
    for info in members:
        name, size = info.filename, info.file_size
        if name == "xl/sharedStrings.xml" and size > limits.XLSX_STRINGS_MAX:
            raise InputError(f"Tệp {path.name} có phần chữ dùng chung {_mb(size)}, vượt giới "
                             f"hạn {_mb(limits.XLSX_STRINGS_MAX)}; chưa đọc gì. Hãy lưu thành CSV.")
        if not _cells_part(name) and name.endswith((".xml", ".rels")) and size > OTHER_PART_MAX:
            raise InputError(f"Tệp {path.name} có phần {name} lớn bất thường ({_mb(size)}); "
                             "tệp hỏng hoặc không phải bảng tính thông thường. Chưa đọc gì.")


def _root(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """The name of the part's root element ("" when not within its first bytes), or None for
    a part that is no XML (a picture, printer settings). What the part is comes from what it
    holds, not from its name: a sheet or a strings part may live under any name the workbook's
    relations give it, and openpyxl reads it from there. Excel writes every part in UTF-8; a
    part in UTF-16 would pass the byte-wise checks unseen, so it is refused."""
    with archive.open(info) as part:
        head = part.read(CHUNK)
    start = head.lstrip(b" \t\r\n")
    if start.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00")):
        raise InputError(f"Tệp {path.name} có phần {info.filename} không ghi bằng mã UTF-8 như "
                         "Excel vẫn ghi: tệp hỏng hoặc đã bị sửa bất thường. Chưa đọc gì; hãy mở "
                         "bằng Excel và lưu lại, hoặc lưu thành CSV.")
    start = start.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if not start.startswith(b"<"):
        return "" if info.filename.endswith((".xml", ".rels")) else None
    found = ROOT.search(start)
    return found.group(1).decode("ascii") if found else ""


def _check_size(path: Path, info: zipfile.ZipInfo, root: str, cells: bool) -> None:
    name, size = info.filename, info.file_size
    if root == "sst" and size > limits.XLSX_STRINGS_MAX:
        raise InputError(f"Tệp {path.name} có phần chữ dùng chung {_mb(size)}, vượt giới "
                         f"hạn {_mb(limits.XLSX_STRINGS_MAX)}; chưa đọc gì. Hãy lưu thành CSV.")
    if not cells and size > OTHER_PART_MAX:
        raise InputError(f"Tệp {path.name} có phần {name} lớn bất thường ({_mb(size)}); "
                         "tệp hỏng hoặc không phải bảng tính thông thường. Chưa đọc gì.")


def _scan(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, report: XlsxReport,
          cells: bool = True, counted: bool = False, sheet: bool = False) -> bool:
    """Stream one part; refuse a cell longer than allowed (in `cells` parts), more elements
    than OTHER_ELEMENTS_MAX (in `counted` parts) and any DTD. A `sheet`'s cells are counted and
    its rows measured. True when it holds formulas."""
    run = 0          # bytes since the last end of a cell
    row = 0          # bytes since the last start of a row
    tail = b""       # the last bytes of the previous chunk: a marker may straddle two chunks
    formulas = False
    elements = 0     # in a `counted` part
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            window = tail + chunk
            _check_dtd(path, info.filename, window)
            report.strings += _count(window, tail, STRING_STARTS)
            if sheet:
                report.cells += _count(window, tail, CELL_STARTS)
                row = _row_run(path, window, len(chunk), row)
            if counted:
                elements += _count(window, tail, (b"<",)) - _count(window, tail, ELEMENT_CLOSES)
                _check_elements(path, info.filename, elements)
            if not cells:
                tail = chunk[-16:]
                continue
            first = min((i for i in (window.find(m) for m in CELL_ENDS) if i >= 0), default=-1)
            if first < 0:
                run += len(chunk)
            else:
                run += max(first - len(tail), 0)
                _check_run(path, run)
                last = max(window.rfind(m) + len(m) for m in CELL_ENDS if window.rfind(m) >= 0)
                run = len(window) - last
            _check_run(path, run)
            formulas = formulas or any(m in window for m in FORMULA_STARTS)
            tail = chunk[-16:]
    return formulas


def _row_run(path: Path, window: bytes, added: int, run: int) -> int:
    """Bytes since the last row started, refused beyond XLSX_ROW_MAX: openpyxl builds a whole
    row before giving it, and 16,384 cells of 32,767 characters are half a gigabyte."""
    last = max(window.rfind(m) for m in ROW_STARTS)
    run = run + added if last < 0 else len(window) - last
    if run > limits.XLSX_ROW_MAX:
        raise InputError(f"Tệp {path.name} có một dòng của trang tính chiếm hơn "
                         f"{_mb(limits.XLSX_ROW_MAX)} khi giải nén; tệp hỏng hoặc đã bị sửa bất "
                         "thường. Chưa đọc gì.")
    return run


def _count(window: bytes, tail: bytes, markers: tuple[bytes, ...]) -> int:
    """Markers starting in this chunk (those wholly in `tail` were counted with the last one)."""
    return sum(window.count(m) - tail.count(m) for m in markers)


def _check_strings(path: Path, report: XlsxReport) -> None:
    if report.strings > 2 * report.cells + STRINGS_SPARE:
        raise InputError(f"Tệp {path.name} có {vn_number(report.strings)} chuỗi chữ dùng chung "
                         f"mà trang tính chỉ có {vn_number(report.cells)} ô: tệp bất thường (có "
                         "thể là tệp độc hại làm cạn bộ nhớ). Chưa đọc gì; hãy lưu lại bằng Excel "
                         "hoặc lưu thành CSV.")


def _check_dtd(path: Path, part: str, window: bytes) -> None:
    """Excel never writes a DTD; one is how an XML entity bomb (billion laughs) or an external
    entity gets in, and expat would expand it into memory before refusing it."""
    if any(marker in window for marker in DTD_MARKERS):
        raise InputError(f"Tệp {path.name} có phần {part} chứa khai báo DTD/ENTITY mà Excel không "
                         "bao giờ ghi (có thể là tệp độc hại); chưa đọc gì.")


def _check_elements(path: Path, part: str, elements: int) -> None:
    if elements > OTHER_ELEMENTS_MAX:
        raise InputError(f"Tệp {path.name} có phần {part} chứa hơn "
                         f"{vn_number(OTHER_ELEMENTS_MAX)} phần tử (kiểu chữ, định dạng ô, liên "
                         "kết…), nhiều hơn Excel bao giờ ghi: tệp hỏng hoặc bất thường (có thể là "
                         "tệp độc hại làm cạn bộ nhớ). Chưa đọc gì; hãy mở bằng Excel và lưu lại, "
                         "hoặc lưu thành CSV.")


def _check_run(path: Path, run: int) -> None:
    if run > CELL_BYTES_MAX:
        raise InputError(f"Tệp {path.name} có một ô dài hơn {vn_number(limits.CELL_MAX)} ký tự "
                         "(giới hạn của chính Excel); tệp hỏng hoặc đã bị sửa bất thường. "
                         "Chưa đọc gì.")
