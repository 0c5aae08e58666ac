"""Pieces shared by the one-dossier forms: the code on one line and the list of documents.

The dossier code is what a citizen types to track the dossier: it is printed whole on one
line, in a smaller type when the line is narrow, never cut at a hyphen or inside a number.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm

from core.components import DossierComponent
from core.labels import DOCUMENT_FORM_VI
from core.pdf import blocks
from core.pdf.fonts import NAMES, register_fonts
from core.pdf.oneline import fit_size

MIN_CODE_SIZE = 7  # below this a printed code is no longer read without mistakes


def one_line_size(text: str, width: float, size: float, bold: bool = False) -> float:
    """The largest type size up to `size` at which `text` fits `width` on one line."""
    register_fonts()
    room = width - 2  # a hair for rounding in the layout
    return max(MIN_CODE_SIZE, fit_size(text, NAMES["bold" if bold else "regular"], size, room))


def code_line(code: str, width: float, size: float, label: str = "Mã hồ sơ: ",
              align: str = "center"):
    """'Mã hồ sơ: <b>code</b>' on one line of `width`."""
    fit = one_line_size(label + code, width, size, bold=True)
    st = blocks.style(fit, align=align, after=3)
    st.splitLongWords = 0  # a code never breaks inside itself
    return blocks.para(f"{escape(label)}<b>{escape(code)}</b>", st, markup=True)


def code_cell(code: str, width: float, size: float, align: str = "left"):
    """The code alone, for a table cell of `width` (the grid's paddings taken off)."""
    cell = code_line(code, width - 4, size, label="", align=align)
    cell.style.spaceAfter = 0
    return cell


def documents_table(components: list[DossierComponent], width: float, size: float):
    """TT | Tên giấy tờ | Hình thức | Số lượng: what the citizen handed in (Mẫu 01, 2025)."""
    rows = [["TT", "Tên giấy tờ", "Hình thức", "Số lượng"]]
    rows += [[str(n), c.name, DOCUMENT_FORM_VI.get(c.form, c.form), f"{c.count:02d}"]
             for n, c in enumerate(components, start=1)]
    form_w = blocks.text_width("Bản sao chứng thực", size - 1) + 6
    widths = [8 * mm, width - 8 * mm - form_w - 14 * mm, form_w, 14 * mm]
    table = blocks.grid(rows, widths, size=size - 1, left_cols=(1,))
    table.spaceAfter = 3
    return table
