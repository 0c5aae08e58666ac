"""Writing a privacy document: a table (csv/xlsx) or a titled text with a table (pdf/txt).

The data-subject export and the breach kit write through here, so a file's format follows its
extension the same way for both.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from core.errors import InputError, OperationError, os_reason
from core.stopping import ask
from db.connection import transaction

TABLE_SUFFIXES = (".csv", ".xlsx")
TEXT_SUFFIXES = (".pdf", ".txt")
SUFFIXES = TABLE_SUFFIXES + TEXT_SUFFIXES


def suffix_of(path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"Tệp {Path(path).name}: chọn đuôi .csv, .xlsx, .pdf hoặc .txt.")
    return suffix


def write_logged(db, path, write: Callable[[Path], Path], log: Callable[[], None],
                 progress: Callable[[int, int], object] | None = None) -> Path:
    """A file of personal data and its access_log rows, whole or not at all (Law 91/2025: every
    export of a person's data is recorded): `log` (the rows) and `write` (the file, to the
    path it is given) in one transaction; `progress` (the command line's Ctrl+C,
    core.stopping) asked once the file is written, before the COMMIT. The file is written
    beside `path` under a temporary name and put over `path` only after that question, just
    before the COMMIT: a stop there leaves the file of the same name as it was (an earlier
    export, maybe already promised to the citizen). Anything failing before the COMMIT ends
    returns the rows and removes the file just written, so there is never a file of
    citizens' data on the disk that its log does not name. A read-only database holds no
    rows (access.record): the file alone."""
    target = Path(path)
    if getattr(db, "read_only", False):
        return write(target)
    from core.pdf.document import check_writable
    check_writable(target)  # the name itself, as the writers check it (a folder, no right)
    before = _identity(target)
    temp = target.with_name(f".motcua-{os.getpid()}-{target.name}")  # its suffix, its format
    try:
        with transaction(db):
            log()
            write(temp)
            ask(progress)
            _swap(temp, target)
    except BaseException:
        # a stop may come while the swap returns: the file is known by its name, and it is
        # this run's when it is not the one that was there before (a new file, by its rename)
        with contextlib.suppress(OSError):
            temp.unlink()
        if _identity(target) not in (None, before):
            with contextlib.suppress(OSError):
                target.unlink()
        raise
    return target


def _swap(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as exc:  # (Windows: the file of that name open in Excel)
        raise OperationError(f"Không ghi được tệp {target}: {os_reason(exc)}.") from exc


def _identity(path) -> tuple[int, int, int] | None:
    try:
        found = Path(path).stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino, found.st_mtime_ns


def write(path, title: str, paragraphs: Sequence[str], header: Sequence[str],
          rows: Sequence[Sequence]) -> Path:
    """`rows` under `header`; a .pdf or .txt also carries the title and the paragraphs."""
    suffix = suffix_of(path)
    if suffix in TABLE_SUFFIXES:
        from core.transfer.files import write_table
        write_table(path, header, rows, len(rows))
        return Path(path)
    if suffix == ".txt":
        return _write_text(path, title, paragraphs, header, rows)
    return _write_pdf(path, title, paragraphs, header, rows)


def _write_text(path, title, paragraphs, header, rows) -> Path:
    from core.pdf.document import write_atomic
    lines = [title.upper(), "", *(p for para in paragraphs for p in (para, "")),
             " | ".join(header)]
    lines += [" | ".join("" if v is None else str(v) for v in row) for row in rows]
    return write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))


# Column widths by heading (relative); the codes and numbers in ONE_LINE are never split (a
# dossier code on two lines cannot be typed back: core.pdf.oneline).
WEIGHTS = {"STT": 0.5, "Số hồ sơ": 0.6, "Mã hồ sơ": 2.6, "Điện thoại": 1.3, "Số định danh": 1.5,
           "Tiếp nhận": 1.1, "Họ tên": 2.0, "Địa chỉ": 2.6, "Thủ tục": 2.2}
ONE_LINE = ("Mã hồ sơ", "Điện thoại", "Số định danh", "Tiếp nhận")


def _cells(header, rows, size: float) -> list[list]:
    from core.pdf.oneline import OneLine
    keep = [h in ONE_LINE for h in header]
    return [list(header)] + [[OneLine(str(v), size) if keep[i] and v else
                              ("" if v is None else str(v)) for i, v in enumerate(row)]
                             for row in rows]


def _write_pdf(path, title, paragraphs, header, rows) -> Path:
    from core.pdf import blocks, document
    setup = document.A4_LANDSCAPE if len(header) > 5 else document.A4_PORTRAIT
    story: list = [blocks.para(title.upper(), blocks.style(14, bold=True, align="center",
                                                           after=8))]
    for text in paragraphs:
        story.append(blocks.heading(text[2:]) if text.startswith("# ") else blocks.body(text))
    if rows:
        weights = [WEIGHTS.get(h, 1.2) for h in header]
        widths = [setup.frame_width * w / sum(weights) for w in weights]
        story.append(blocks.grid(_cells(header, rows, 9), widths, size=9,
                                 left_cols=tuple(range(len(header)))))
    data = document.render(story, setup, title=title, draft=False)
    return document.write_atomic(path, data)
