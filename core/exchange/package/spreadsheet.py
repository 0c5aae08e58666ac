"""A spreadsheet given where a package goes (issue 16 §3): a clerk who picks the provincial
system's export, an Excel workbook or a CSV file, instead of a package is told what the file is
and where a spreadsheet's dossiers are imported, not that a zip has "a strange member
[Content_Types].xml". Known by the file's content, whatever its name says
(core.exchange.package.reader)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from core.errors import InputError

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # Excel 97-2003 (.xls), or a workbook with a password
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
HEAD = 64 * 1024  # what is read of a file that zipfile cannot open
WHERE = ("Để nhập hồ sơ từ bảng tính, dùng nút «Nhập dữ liệu…» ở màn hình Báo cáo, hoặc "
         "Dữ liệu → Đối chiếu với hệ thống tỉnh… cho tệp xuất của hệ thống tỉnh (trên dòng "
         "lệnh: lệnh import hoặc reconcile).")


def zip_kind(names: Iterable[str], mimetype: bytes = b"") -> str | None:
    """What a zip that opened is, by its members, when it is a workbook: an Excel workbook
    (.xlsx, .xlsm: its parts under xl/ and the [Content_Types].xml of every Office file), a
    LibreOffice one (its `mimetype` member)."""
    names = set(names)
    if any(name.startswith("xl/") for name in names):
        return "bảng tính Excel"
    if "mimetype" in names and mimetype.strip() == ODS_MIME:
        return "bảng tính LibreOffice (.ods)"
    return None


def head_kind(path: Path) -> str | None:
    """What a file zipfile cannot open is, by its first bytes, when it is a spreadsheet: an
    Excel 97-2003 workbook, or text in rows of fields (CSV, or the tab-separated text Excel
    saves)."""
    try:
        with path.open("rb") as file:
            head = file.read(HEAD)
    except OSError:
        return None
    if head.startswith(OLE2):
        return "bảng tính Excel (định dạng .xls cũ, hoặc có đặt mật khẩu)"
    if head.startswith(b"PK"):  # a zip cut short: said so (refused._unreadable_zip)
        return None
    return "bảng tính CSV" if _rows_of_fields(head) else None


def _rows_of_fields(head: bytes) -> bool:
    """Text whose first lines hold several fields apart by one separator (, ; or tab)."""
    for encoding in ("utf-16", "utf-8-sig") if head[:2] in (b"\xff\xfe", b"\xfe\xff") \
            else ("utf-8-sig",):
        try:
            text = head.decode(encoding, errors="strict" if len(head) < HEAD else "ignore")
        except UnicodeDecodeError:
            continue
        if "\x00" in text or text.lstrip().startswith(("{", "[", "<")):  # JSON, XML, HTML
            return False
        lines = [line for line in text.splitlines()[:5] if line.strip()]
        if lines and any(all(line.count(sep) >= 1 for line in lines) for sep in ",;\t"):
            return True
    return False


def refusal(path: Path, kind: str) -> InputError:
    return InputError(f"Tệp {path.name} là {kind}, không phải gói trao đổi của MotCua. {WHERE} "
                      "Chưa ghi gì vào cơ sở dữ liệu.")
