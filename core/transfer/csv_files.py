"""CSV files: the checks before one is read (UTF-8, not UTF-16, not mangled by a save in the
wrong encoding, its delimiter), its records streamed with bounded lines, and its writing.

CSV cells that Excel would run as a formula (starting with = + - @, a tab or a carriage return)
are written with a leading apostrophe, as OWASP advises against CSV injection; reading a CSV
removes exactly that apostrophe again, so export → import gives back every value unchanged.
(Split from core.transfer.files, which opens a table of either kind.)
"""
from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path

from core import limits
from core.errors import InputError, read_reason
from core.textnorm import shown_text
from core.timefmt import vn_number
from core.transfer.csv_quotes import RecordLines, unclosed_quote
from core.transfer.layout import HEADER_SCAN

SNIFF_BYTES = 1 << 16
# A CSV cell Excel would take for a formula; with apostrophes before it, one was added on export.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


# What the clerk does again once the file is saved right, where the message is shown: an import
# ("nhập lại"); the reconciliation window says its own (core.reconcile.AGAIN_WINDOW)
AGAIN_IMPORT = "nhập lại"


def utf8_advice(again: str = AGAIN_IMPORT) -> str:
    """How to save a CSV as UTF-8 from Excel, then `again`: one rule, its last step in the
    words of the place that shows it."""
    return ("Hãy lưu lại tệp dưới dạng \"CSV UTF-8\": trong Excel chọn File → Save As (Lưu "
            "thành), ở ô \"Save as type\" (Kiểu tệp) chọn \"CSV UTF-8 (Comma delimited) "
            f"(*.csv)\", rồi {again}. Hoặc lưu thành tệp Excel .xlsx.")


def original_advice(again: str = AGAIN_IMPORT) -> str:
    """What to do with a file whose Vietnamese was mangled by a save in the wrong encoding."""
    return (f"Hãy lấy lại tệp gốc (xuất lại từ hệ thống), không mở rồi lưu lại, rồi {again}. "
            "Chưa ghi gì.")


class EncodingError(InputError):
    """A CSV file not saved as UTF-8: what is wrong (`problem`) and what to do (`advice`, by
    default how to save it as UTF-8), whose last step names what to do again (`again`: an
    import's words by default)."""

    def __init__(self, problem: str, again: str = AGAIN_IMPORT, advice=utf8_advice):
        super().__init__(f"{problem} {advice(again)}")
        self.problem, self.advice = problem, advice

    def told_for(self, again: str) -> EncodingError:
        """The same error, its advice ending with `again` (where it is shown)."""
        return EncodingError(self.problem, again, self.advice)


def told_for(error: Exception, again: str) -> Exception:
    """`error` as a place that does not import the file says it: an EncodingError's advice
    ending with `again` (the reconciliation: open the file again, not "nhập lại"); any other
    error as it is."""
    return error.told_for(again) if isinstance(error, EncodingError) else error



def read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {read_reason(exc)}.") from exc


def check_csv_bytes(path: Path) -> str:
    """Refuse what is not UTF-8 with advice; return the delimiter found in the first line."""
    head = read_head(path)
    if not head.strip() or head.strip() == codecs.BOM_UTF8:
        raise InputError(f"Tệp {path.name} trống: không có dòng tiêu đề và dữ liệu.")
    # UTF-16 text has a NUL in about every other byte; a few NULs mean a binary file
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or \
            head.count(b"\x00") >= len(head) // 4 > 0:
        raise EncodingError(f"Tệp {path.name} được lưu bằng mã UTF-16 (Unicode Text), "
                            "không phải CSV UTF-8.")
    if b"\x00" in head:
        raise InputError(f"Tệp {path.name} không phải tệp CSV: có ký tự nhị phân (byte 0), có "
                         "lẽ là tệp của chương trình khác được đặt tên .csv.")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    _refuse_mangled(path, sample)
    return _delimiter(sample.lstrip("\ufeff").splitlines()[:HEADER_SCAN])


# Vietnamese written in UTF-8, read as Windows-1252 (or Latin-1) and saved again as UTF-8: each
# letter with a mark becomes two or three ("ệ" → "á»‡", "ư" → "Æ°", "đ" → "Ä‘"). These pairs are
# in no Vietnamese word. Such a file is valid UTF-8: its names were refused one by one ("có ký
# hiệu không dùng trong họ tên: '¯'", 824 errors), its addresses would have been kept mangled.
_MANGLED = re.compile("á[»º]|Æ[°¡]|Ä[‘\x91]|Ã[¡-¿]")


def _refuse_mangled(path: Path, sample: str) -> None:
    for number, line in enumerate(sample.lstrip("\ufeff").splitlines(), start=1):
        found = _MANGLED.search(line)
        if found:
            raise EncodingError(
                f"Tệp {path.name} có chữ tiếng Việt đã bị hỏng mã (ví dụ '{found.group()}' ở "
                f"dòng {vn_number(number)}): tệp đã được mở bằng bảng mã sai (Windows-1252) rồi "
                "lưu lại, mọi chữ có dấu đều sai.", advice=original_advice)


def _delimiter(lines: list[str]) -> str:
    """Comma per spec 7; Excel set to Vietnamese regional settings writes ';' instead.

    A first line holding a comma (or else a ';', a tab) twice or more is the header and
    decides, as always. A title line does not ("Lạng Sơn, ngày 30 tháng 11" above a ';' file):
    then the top line holding the most of one of them, the header's place, decides."""
    first = lines[0] if lines else ""
    for candidate in (",", ";", "\t"):
        if first.count(candidate) >= 2:
            return candidate
    most = {d: max((line.count(d) for line in lines), default=0) for d in (",", ";", "\t")}
    best = max(most, key=lambda d: most[d])  # the first of equals: the comma
    return best if most[best] else ","


def _not_utf8(path: Path) -> InputError:
    return EncodingError(f"Tệp {path.name} không phải mã UTF-8 (có lẽ được Excel lưu bằng bảng "
                         "mã Windows-1258 hoặc Windows-1252, tiếng Việt sẽ bị lỗi font).")


class _LineTooLong(Exception):
    pass


def _bounded_lines(handle) -> Iterator[str]:
    """The file's lines, none longer than CSV_LINE_MAX characters.

    Iterating a file reads a whole line into memory before csv sees any of it: a file of one
    2 GB line would take gigabytes before the cell limit could refuse it.
    """
    while line := handle.readline(limits.CSV_LINE_MAX + 1):
        if len(line) > limits.CSV_LINE_MAX and line[-1] not in "\r\n":
            raise _LineTooLong
        yield line


def csv_records(path: Path, delimiter: str) -> Generator[tuple[int, list], None, None]:
    """Records numbered as a spreadsheet shows them (a quoted line break stays in its row)."""
    number = 0
    try:
        with open(path, encoding="utf-8-sig", newline="", errors="strict") as handle:
            lines = RecordLines(_bounded_lines(handle))
            reader = csv.reader(lines, delimiter=delimiter)
            for number, record in enumerate(reader, start=1):
                lines.record_read()
                yield number, [unquote(cell) if cell[:1] == "'" else cell for cell in record]
            if lines.unclosed(delimiter):
                raise unclosed_quote(path.name, number, len(record))
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except _LineTooLong:
        raise InputError(f"Tệp {path.name}, dòng {number + 1}: dòng dài hơn "
                         f"{vn_number(limits.CSV_LINE_MAX)} ký tự; tệp hỏng hoặc không phải bảng "
                         "dữ liệu CSV. Chưa ghi gì.") from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(f"Tệp {path.name}, dòng {number + 1}: có một ô dài hơn "
                             f"{vn_number(csv.field_size_limit())} ký tự; chưa đọc gì.") from None
        raise InputError(f"Tệp {path.name} không đúng định dạng CSV gần dòng {number + 1}: {exc}.") from exc
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path}: {read_reason(exc)}.") from exc



def quote(value):
    """A text cell Excel would run as a formula gets an apostrophe before it (OWASP); every text
    cell is written as core.textnorm.shown_text shows it (no bidi, format or control character).

    A text that already starts with apostrophes before such a character gets one more, so
    `unquote` can tell the added apostrophe from the citizen's own.
    """
    if isinstance(value, str):
        value = shown_text(value)  # no bidi control in what a report reader sees (core.textnorm)
        if _FORMULA_LIKE.match(value):
            return "'" + value
    return value


def unquote(cell: str) -> str:
    """The cell as it was before `quote`: exactly one added apostrophe removed."""
    return cell[1:] if _QUOTED.match(cell) else cell


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence],
               above: Sequence[Sequence] = ()) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows(["" if v is None else quote(v) for v in row] for row in above)
        writer.writerow(quote(name) for name in header)  # a saved profile's column names too
        writer.writerows(["" if v is None else quote(v) for v in row] for row in rows)
