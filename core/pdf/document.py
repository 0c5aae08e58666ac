"""Turning a story of flowables into PDF bytes, and writing those bytes safely to a file.

Page set-up follows Decree 30/2020, Phụ lục I: A4, margins top/bottom 20–25 mm, left 30–35 mm,
right 15–20 mm; the page number centred in the top margin from page 2 on. A draft (preview not
yet saved or printed) carries a diagonal "BẢN NHÁP" on every page.
"""
from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from core.errors import InputError, OperationError, os_reason
from core.paths import ordinary_file_mode, refuse_unfit_output, require_folder
from core.pdf import fonts
from core.stopping import ask

DRAFT_TEXT = "BẢN NHÁP"
AUTHOR = "MotCua"


@dataclass(frozen=True)
class PageSetup:
    size: tuple[float, float]
    top: float
    bottom: float
    left: float
    right: float

    @property
    def frame_width(self) -> float:
        return self.size[0] - self.left - self.right


A4_PORTRAIT = PageSetup(A4, 20 * mm, 20 * mm, 30 * mm, 15 * mm)
# The register is a wide table: landscape pages keep the same margins (Phụ lục I allows them).
A4_LANDSCAPE = PageSetup(landscape(A4), 20 * mm, 20 * mm, 30 * mm, 15 * mm)
# Forms 01–05 are A5 (a rule from Circular 01/2018 Art. 9.2); Decree 30's A4 margins scaled down.
A5_PORTRAIT = PageSetup(A5, 12 * mm, 12 * mm, 18 * mm, 10 * mm)


def _draw_draft_mark(canvas, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.22))
    size = min(width, height) / 5.5
    canvas.setFont(fonts.NAMES["bold"], size)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35 if height > width else 20)
    canvas.drawCentredString(0, -size / 3, DRAFT_TEXT)
    canvas.restoreState()


def _draw_page_number(canvas, setup: PageSetup, page: int) -> None:
    canvas.saveState()
    canvas.setFont(fonts.NAMES["regular"], 13)
    canvas.drawCentredString(setup.left + setup.frame_width / 2,
                             setup.size[1] - setup.top / 2 - 4, str(page))
    canvas.restoreState()


def _draw_page_note(canvas, setup: PageSetup, note: str) -> None:
    """Lines in the bottom margin of every page (a provisional report says so, spec 5; the
    monthly report's data fingerprint, spec 10), centred on the margin's middle."""
    lines = note.splitlines()
    canvas.saveState()
    canvas.setFont(fonts.NAMES["italic"], 10)
    top = setup.bottom / 2 - 2 + 6 * (len(lines) - 1)
    for index, line in enumerate(lines):
        canvas.drawCentredString(setup.left + setup.frame_width / 2, top - 12 * index, line)
    canvas.restoreState()


def render(story: list, setup: PageSetup, *, title: str, draft: bool,
           number_pages: bool = True, page_note: str = "") -> bytes:
    """Lay out `story` on pages of `setup` and return the PDF bytes (fonts embedded);
    `page_note` is printed at the foot of every page."""
    fonts.register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=setup.size, topMargin=setup.top,
                          bottomMargin=setup.bottom, leftMargin=setup.left,
                          rightMargin=setup.right, title=title, author=AUTHOR,
                          creator=AUTHOR, subject=title,
                          # reportlab would start each page in Helvetica, never embedded
                          initialFontName=fonts.NAMES["regular"], initialFontSize=13)

    def decorate(canvas, the_doc):
        if number_pages and the_doc.page > 1:  # Phụ lục I: no number on page 1
            _draw_page_number(canvas, setup, the_doc.page)
        if draft:
            _draw_draft_mark(canvas, *setup.size)
        if page_note:
            _draw_page_note(canvas, setup, page_note)

    # No frame padding: the text block is exactly the page minus the Decree 30 margins.
    frame = Frame(setup.left, setup.bottom, setup.frame_width,
                  setup.size[1] - setup.top - setup.bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    doc.build(story)
    return buffer.getvalue()



def check_writable(path: str | os.PathLike) -> Path:
    """Fail early, before a long build, when the output file cannot be written."""
    target = Path(path)
    refuse_unfit_output(target)
    try:  # is_dir() raises, not answers, on a name the system refuses (too long)
        is_folder = target.is_dir()
    except OSError as exc:
        raise OperationError(f"Không ghi được tệp {target}: {os_reason(exc)}.") from exc
    if is_folder:  # a name typed wrong, as a missing folder is (require_folder): exit 2
        raise InputError(f"Không ghi được tệp {target}: đây là một thư mục. Hãy ghi cả tên "
                         "tệp sau tên thư mục. Chưa ghi gì.")
    require_folder(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not os.access(folder, os.W_OK):
        raise OperationError(f"Không ghi được tệp {target}: không có quyền ghi vào thư mục {folder}.")
    return target


def write_atomic(path: str | os.PathLike, data: bytes,
                 progress: Callable[[int, int], object] | None = None) -> Path:
    """Write to a temporary file beside `path`, then swap it in: never a half-written PDF.
    `progress` is asked just before the swap (the command line's Ctrl+C, core.stopping): its
    False stops with InterruptedError, and the temporary file goes as on any failure (a
    KeyboardInterrupt while it was written left it behind)."""
    target = check_writable(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=".motcua-", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, ordinary_file_mode(target))  # mkstemp makes it private
        ask(progress)
        os.replace(tmp_name, target)
    except InterruptedError:  # stopped (an OSError too): no message, no file
        _discard(tmp_name)
        raise
    except OSError as exc:
        _discard(tmp_name)
        reason = os_reason(exc)
        raise OperationError(f"Không ghi được tệp {target}: {reason}.") from exc
    except BaseException:
        _discard(tmp_name)
        raise
    return target


def _discard(tmp_name: str | None) -> None:
    if tmp_name and os.path.exists(tmp_name):
        os.unlink(tmp_name)
