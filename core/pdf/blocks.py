"""The parts of a Decree 30/2020 document (Phụ lục I), as reportlab flowables.

ô 1 Quốc hiệu and Tiêu ngữ, ô 2 issuing body, ô 3 number, ô 4 place and date, ô 5 title,
ô 7 signature, ô 9 Nơi nhận; plus the grid tables and paragraph styles the documents share.
Sizes are parameters so the A5 forms can use the same blocks a size smaller.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from core.limits import clip
from core.pdf.fonts import NAMES, register_fonts
from core.pdf.long_grid import ruled
from core.pdf.vnformat import doc_number, place_date

if TYPE_CHECKING:  # agency_names builds on this module's line breaking
    from core.pdf.agency_names import Line

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# A report's symbol (ô 3) when the header names none: a People's Committee's
# (core.office_setup.signing gives a centre's its own, BC-TTPVHCC).
REPORT_SYMBOL = "BC-UBND"

CELL_MAX = 1000  # characters of one table cell: a longer stored value is cut with "…"
LONG_TEXT = 200  # a cell this long may make its row taller than a page
# Two-syllable words of the forms' titles a line must not cut («ĐỀ NGHỊ GIA / HẠN THỜI GIAN»
# read as two words on Mẫu 04): title_lines keeps each whole on one line.
TITLE_COMPOUNDS = frozenset({
    "gia hạn", "thời gian", "hồ sơ", "giải quyết", "thủ tục", "hành chính", "kết quả",
    "tiếp nhận", "bổ sung", "hoàn thiện", "kiểm soát", "quá trình", "xin lỗi", "đề nghị",
    "từ chối", "thông báo", "yêu cầu", "báo cáo", "tình hình"})
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def style(size: float = 13, *, bold: bool = False, italic: bool = False, align: str = "left",
          indent: float = 0, before: float = 0, after: float = 0,
          leading: float | None = None) -> ParagraphStyle:
    register_fonts()  # cached; styles may be made before the document is rendered
    face = NAMES[("bold" if bold else "") + ("italic" if italic else "") or "regular"]
    return ParagraphStyle(f"s{size}{face}{align}{indent}{before}{after}", fontName=face,
                          fontSize=size, leading=leading or size * 1.2,
                          alignment=_ALIGN[align], firstLineIndent=indent,
                          spaceBefore=before, spaceAfter=after)


def para(text: str, st: ParagraphStyle, markup: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped) unless `markup` says it carries <b>/<i> tags."""
    return Paragraph(text if markup else escape(text), st)


def body(text: str, size: float = 13, markup: bool = False) -> Paragraph:
    """Body text (ô 6): justified, first line indented 1 cm, 6 pt after."""
    return para(text, style(size, align="justify", indent=10 * mm, after=6,
                            leading=size * 1.25), markup)


def heading(text: str, size: float = 13) -> Paragraph:
    return para(text, style(size, bold=True, align="left", before=6, after=4))


class Rule(Flowable):
    """A solid horizontal rule of a given length, centred in the available width."""

    def __init__(self, length: float, thickness: float = 0.6, before: float = 5,
                 after: float = 2):
        super().__init__()
        self.length, self.thickness, self.before, self.after = length, thickness, before, after

    def wrap(self, avail_width, avail_height):
        self._avail = avail_width
        return avail_width, self.before + self.thickness + self.after

    def draw(self):
        x0 = (self._avail - self.length) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x0, self.after, x0 + self.length, self.after)


def table_style(commands: list) -> TableStyle:
    """A table style whose default cell font is ours (reportlab's is Helvetica, not embedded)."""
    register_fonts()
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), NAMES["regular"])] + list(commands))


def text_width(text: str, size: float, bold: bool = False) -> float:
    register_fonts()
    return stringWidth(text, NAMES["bold" if bold else "regular"], size)


def balanced_lines(text: str, width: float | Sequence[float], size: float, bold: bool = False,
                   words: list[str] | None = None) -> list[str]:
    """`text` on one line if it fits, else in as few lines of nearly equal width as fit (two,
    three, at most four).

    Agency names wrap as officials write them ("ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN"), not with a
    lone last word; a long one on an A5 slip takes three lines ("TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH
    CÔNG / TỈNH LẠNG SƠN") rather than two that the cell wraps again word by word. `words`:
    the pieces a line may end after (title_words), every word by default. `width`: one width
    for every line, or each line's (the last for the lines after it: line_rooms).
    """
    if fits([text], width, size, bold):
        return [text]
    words = words or text.split()
    lines = [text]
    for parts in range(2, min(len(words), 4) + 1):
        lines = _balanced_split(words, parts, width, size, bold)
        if fits(lines, width, size, bold):
            break
    return lines


def fits(lines: list[str], width: float | Sequence[float], size: float, bold: bool) -> bool:
    """Whether each of `lines` is no wider than its room (`width`: balanced_lines)."""
    rooms = [width] if isinstance(width, (int, float)) else list(width)
    return all(text_width(line, size, bold) <= rooms[min(i, len(rooms) - 1)]
               for i, line in enumerate(lines))


def _balanced_split(words: list[str], parts: int, width: float | Sequence[float], size: float,
                    bold: bool) -> list[str]:
    """`words` in `parts` lines, the widest of them as narrow as possible among the splits whose
    lines fit their rooms (among all when none does)."""
    def lines_at(cuts: tuple[int, ...]) -> list[str]:
        bounds = (0, *cuts, len(words))
        return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    splits = [lines_at(cuts) for cuts in itertools.combinations(range(1, len(words)), parts - 1)]
    fitting = [lines for lines in splits if fits(lines, width, size, bold)] or splits
    return min(fitting, key=lambda lines: max(text_width(x, size, bold) for x in lines))


def title_words(text: str, compounds: frozenset[str] = TITLE_COMPOUNDS) -> list[str]:
    """`text`'s words, each of `compounds` joined to one piece ('GIA HẠN')."""
    words, pieces = text.split(), []
    while words:
        take = next((n for n in (3, 2) if len(words) >= n
                     and " ".join(words[:n]).lower() in compounds), 1)
        pieces.append(" ".join(words[:take]))
        words = words[take:]
    return pieces


def title_lines(text: str, width: float, size: float, bold: bool = True) -> list[str]:
    """A title in balanced lines (balanced_lines) that never cut a compound word."""
    return balanced_lines(text, width, size, bold, title_words(text))


def title_para(text: str, width: float, size: float) -> Paragraph:
    """A title in capitals, bold and centred, in the lines of title_lines."""
    lines = title_lines(text, width, size)
    return para("<br/>".join(escape(line) for line in lines),
                style(size, bold=True, align="center"), markup=True)


def _lines_para(lines: list[Line], st: ParagraphStyle) -> Paragraph:
    """`lines` (agency_names.Line) one under another, a smaller one in its own size; every line
    keeps the style's leading, as line_rooms counts them."""
    return para("<br/>".join(escape(line.text) if line.size == st.fontSize
                             else f'<font size="{line.size:g}">{escape(line.text)}</font>'
                             for line in lines), st, markup=True)


def line_rooms(left_w: float, right_w: float, size: float) -> list[float]:
    """How wide each line of the header's left column may be (the last for every line after).

    A name that would fill its column stood 2 mm from "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and
    read as one line with it: a line level with the Quốc hiệu keeps a tenth of the column clear
    (A4: 7 mm, an A5 slip: 4 mm). A line level with the narrower Tiêu ngữ and its rule, or below
    them, takes the whole column: "TỈNH / THỪA THIÊN HUẾ" took two lines on an A5 slip.
    """
    small, nation = size - 1, text_width(NATION, size - 1, True)
    lead, motto = small * 1.2, text_width(MOTTO, size, True)
    gap = left_w * 0.05 + (right_w - nation) / 2  # the least a line keeps from the right column
    motto_rule = Rule(motto)
    right = [(0.0, lead, nation),  # each line of the right column: top, bottom, width
             (lead, lead + size * 1.2 + motto_rule.before + motto_rule.thickness
              + motto_rule.after, motto)]
    rooms = []
    for k in range(int(right[-1][1] // lead) + 1):
        level = [width for top, bottom, width in right
                 if k * lead < bottom - 0.01 and (k + 1) * lead > top + 0.01]
        rooms.append(min([left_w] + [left_w + right_w - width - 2 * gap for width in level]))
    return rooms + [left_w]


def agency_column(parent: str, agency: str, width: float,
                  size: float = 13) -> tuple[list[Line], list[Line]]:
    """The lines of a header's left column (core.pdf.agency_names.Line), the parent's then the
    agency's, in the rooms line_rooms gives them beside the Quốc hiệu; a place's line on an A5
    form a little smaller rather than broken."""
    from core.pdf.agency_names import agency_lines  # it builds on this module's line breaking
    small = size - 1  # Quốc hiệu and agency names 12–13, motto 13–14
    right_w = text_width(NATION, small, True) + 3 * mm
    rooms = line_rooms(width - right_w, right_w, size)
    above = agency_lines(parent.upper(), rooms, small, False) if parent else []
    return above, agency_lines(agency.upper(), rooms[len(above):] or rooms[-1:], small, True)


def header_block(parent: str, agency: str, number_line: str | None, date_line: str | None,
                 width: float,
                 size: float = 13) -> Table:
    """ô 1–4: agency left (agency_column) with its short rule and 'Số:', nation and motto
    right, date italic."""
    small = size - 1
    right_w = text_width(NATION, small, True) + 3 * mm
    left_w = width - right_w
    above, names = agency_column(parent, agency, width, size)
    agency_w = max(text_width(line.text, line.size, True) for line in names)
    left = [_lines_para(above, style(small, align="center"))] if parent else []
    left += [_lines_para(names, style(small, bold=True, align="center")),
             Rule(max(agency_w * 0.4, 15 * mm))]
    right = [para(NATION, style(small, bold=True, align="center")),
             para(MOTTO, style(size, bold=True, align="center")),
             Rule(text_width(MOTTO, size, True))]
    rows = [[left, right]]
    if number_line or date_line:
        rows.append([para(number_line or "", style(size, align="center"), markup=True),
                     para(date_line or "", style(size, italic=True, align="center"))])
    table = Table(rows, colWidths=[left_w, right_w], hAlign="CENTER")
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, 0), 2)]
    if len(rows) > 1:
        commands.append(("TOPPADDING", (0, 1), (-1, 1), 4))
    table.setStyle(table_style(commands))
    return table


def number_line(symbol: str, number: str | None = None) -> str:
    """ô 3: 'Số:      /BC-UBND', the number left blank (non-breaking spaces) for the clerk."""
    return escape(doc_number(symbol, number)).replace("\u00a0", "&nbsp;")


def report_symbol(header: dict) -> str:
    """The symbol a report of `header` is numbered with (ô 3): the header's, or REPORT_SYMBOL."""
    return header.get("doc_symbol") or REPORT_SYMBOL


def report_opening(header: dict, issued: dt.date, kind: str, subject: str | None,
                   width: float) -> list:
    """ô 1–5 of a report a leader signs and sends (the monthly report, the reconciliation):
    `header` (core.report_header.header_for: the office's, or the unit's it reports on), its
    number left blank before its symbol, the place and date of issue, the title. One layout:
    a leader signing both sees one office's papers."""
    return [header_block(header.get("parent_agency", ""), header.get("agency", ""),
                         number_line(report_symbol(header)),
                         place_date(header.get("place", ""), issued), width),
            *title_block(kind, subject, width)]


def report_closing(header: dict, sentence: str, width: float) -> list:
    """ô 6's last sentence ('Trên đây là …./.'), ô 7 the signer of `header` and ô 9 its
    'Nơi nhận'. The sentence travels with the signature: a signature alone on the last page
    signs nothing the reader can see (a one-commune report put it alone on page 4)."""
    sign = signature_block(header.get("signer_authority", ""), header.get("signer_title", ""),
                           header.get("signer_name", ""), header.get("recipients") or [], width)
    return [KeepTogether([body(sentence), Spacer(1, 2 * mm), sign])]


def no_widow(text: str) -> str:
    """The last two words tied by a no-break space: a title never ends on one word alone
    ('… của UBND xã Văn' / 'Quan' split a unit's name on the monthly report)."""
    head, space, last = text.rstrip().rpartition(" ")
    return f"{head}\u00a0{last}" if space and head else text


def title_block(kind: str, subject: str | None, width: float, size: float = 14) -> list:
    """ô 5: the document type in capitals, the subject (trích yếu) under it, a short rule."""
    out: list = [Spacer(1, 5 * mm), title_para(kind.upper(), width, size)]
    if subject:
        out.append(para(no_widow(subject), style(size, bold=True, align="center", before=2)))
    out += [Rule(width / 4), Spacer(1, 3 * mm)]
    return out


def signature_block(authority: str, title: str, name: str, recipients: list[str] | None,
                    width: float, size: float = 13, sign_space: float = 24 * mm,
                    note: str | None = None) -> Table:
    """ô 7 and ô 9b: Nơi nhận on the left, level with the signer's authority line on the right;
    always there, '- Lưu: VT.' at least (core.report_header.recipient_lines)."""
    right = [para(line.upper(), style(size, bold=True, align="center"))
             for line in (authority, title) if line]
    if note:
        right.append(para(note, style(size - 1, italic=True, align="center")))
    right += [Spacer(1, sign_space), para(name or "", style(size, bold=True, align="center"))]
    from core.report_header import recipient_lines
    left: list = [para("Nơi nhận:", style(12 if size >= 13 else size - 1, bold=True,
                                          italic=True))]
    left += [para(line, style(11 if size >= 13 else size - 2, leading=13 if size >= 13 else 11))
             for line in recipient_lines(recipients)]
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    table.keepWithNext = False
    return table


def two_signatures(left_title: str, left_name: str, right_title: str, right_name: str,
                   width: float, size: float = 11, sign_space: float = 18 * mm) -> Table:
    """Two signers side by side (forms 01 and 03): title, '(Ký và ghi rõ họ tên)', name."""
    def column(title: str, name: str) -> list:
        return [para(title, style(size, bold=True, align="center")),
                para("(Ký và ghi rõ họ tên)", style(size - 1, italic=True, align="center")),
                Spacer(1, sign_space), para(name or "", style(size, bold=True, align="center"))]

    table = Table([[column(left_title, left_name), column(right_title, right_name)]],
                  colWidths=[width / 2, width / 2])
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def grid(rows: list[list], widths: list[float], *, header_rows: int = 1, size: float = 10,
         spans: Sequence[tuple] = (), bold_rows: tuple[int, ...] = (),
         left_cols: tuple[int, ...] = (1,), paged: bool = False) -> Flowable:
    """A ruled table: header rows bold and centred (repeated on each page), text cells wrap;
    `paged`, one of many rows is laid out a page at a time (core.pdf.long_grid: not a Table
    then, so only for a caller that adds no style of its own).

    Cells are given as plain strings; columns in `left_cols` are left-aligned, the others
    (numbers, dates) centred as Vietnamese report tables print them. A centred cell that fits
    its column stays a plain string: a Paragraph per number would make a big report slow.
    """
    head = style(size, bold=True, align="center", leading=size * 1.15)
    cell_styles = {
        (bold, align): style(size, bold=bold, align=align, leading=size * 1.15)
        for bold in (False, True) for align in ("left", "center")}
    body_rows = []
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, str):
                value = clip(value, "", CELL_MAX)
            if not isinstance(value, str):
                out.append(value)
            elif r >= header_rows and c not in left_cols and _fits(value, widths[c], size,
                                                                     r in bold_rows):
                out.append(value)
            else:
                text = escape(value).replace("\n", "<br/>")  # a line break the caller chose
                st = head if r < header_rows else cell_styles[
                    (r in bold_rows, "left" if c in left_cols else "center")]
                out.append(para(text, st, markup=True))
        body_rows.append(out)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("FONTSIZE", (0, 0), (-1, -1), size), ("LEADING", (0, 0), (-1, -1), size * 1.15),
                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.93, 0.93, 0.93))]
    return ruled(body_rows, widths, header_rows, commands, bold_rows, spans,
                 int(_has_long_text(rows)), size * 1.15 + 4, paged)


def _has_long_text(rows: list[list]) -> bool:
    """A row may then be taller than a page: let it go on over the next (reportlab would
    raise LayoutError). Ordinary rows still move whole to the next page."""
    return any(isinstance(v, str) and len(v) > LONG_TEXT for row in rows for v in row)


def _fits(value: str, width: float, size: float, bold: bool) -> bool:
    return all(text_width(line, size, bold) <= width - 5 for line in value.split("\n"))
