"""A long ruled table drawn straight onto a canvas, page by page (the register of core.pdf.book).

A platypus story of one Table with tens of thousands of rows is what made the register hang:
reportlab keeps every cell as a flowable and re-measures the rest of the table at each page
break (200 s and 5.9 GB for 14,000 rows). Here each row is measured once with the font metrics,
drawn, and forgotten: memory holds one page of rows, time grows with the rows only.

The layout follows blocks.grid (Decree 30 fonts, 0.5 pt rules, grey header repeated on every
page, centred cells unless a column is left-aligned); a `one_line` column never wraps: its text
shrinks to fit the column (core.pdf.oneline: a dossier code is never split).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from core.pdf import document, fonts
from core.pdf.oneline import fit_size

PAD_X, PAD_TOP, PAD_BOTTOM = 2.0, 1.5, 2.5  # as blocks.grid
HEAD_GREY = Color(0.93, 0.93, 0.93)
ELLIPSIS = "…"
CACHE_SIZE = 20_000  # strings remembered (dates, units, procedures repeat); then forgotten


@dataclass(frozen=True)
class Column:
    width: float  # points
    left: bool = False  # left-aligned text (names, addresses); the others are centred
    one_line: bool = False  # never wrapped: the text shrinks to fit


@dataclass(frozen=True)
class HeadCell:
    """A header cell over columns [first, last] and header rows [top, bottom]."""
    text: str
    first: int
    last: int
    top: int = 0
    bottom: int = 0


class Measure:
    """Widths of words in one font and size, remembered: a register's words (Vietnamese
    syllables, dates, place names) repeat on every row. reportlab's widths have no kerning, so
    a line's width is the sum of its words' and spaces'."""

    def __init__(self, font: str, size: float):
        self.font, self.size = font, size
        self.space = stringWidth(" ", font, size)
        self._widths: dict[str, float] = {}

    def __call__(self, word: str) -> float:
        width = self._widths.get(word)
        if width is None:
            if len(self._widths) >= CACHE_SIZE:
                self._widths.clear()
            width = self._widths[word] = stringWidth(word, self.font, self.size)
        return width

    def wrap(self, text: str, width: float) -> list[str]:
        """`text` in lines no wider than `width`: at spaces, and inside a word only when the
        word alone is wider than the column (a long address with no spaces must not spill)."""
        lines: list[str] = []
        for part in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in part.split():
                wide = self(word)
                if line and used + self.space + wide <= width:
                    line.append(word)
                    used += self.space + wide
                    continue
                if line:
                    lines.append(" ".join(line))
                while wide > width and len(word) > 1:
                    cut = self._longest_prefix(word, width)
                    lines.append(word[:cut])
                    word = word[cut:]
                    wide = self(word)
                line, used = [word], wide
            lines.append(" ".join(line))
        return lines

    def _longest_prefix(self, word: str, width: float) -> int:
        """The most characters of `word` (at least 1, fewer than all) that fit in `width`.
        A prefix's width only grows with its length, so a binary search finds it: trying every
        shorter prefix made a 5,000-digit phone an older version stored take 51 s to print."""
        low, high = 1, len(word) - 1  # low always fits or is the least allowed
        while low < high:
            middle = (low + high + 1) // 2
            if stringWidth(word[:middle], self.font, self.size) > width:
                high = middle - 1
            else:
                low = middle
        return low


class Ledger:
    """Pages of `setup` with a ruled table; rows are added one at a time and drawn at once.

    `opening` (flowables: the document header and title) is drawn at the top of page 1;
    `head` repeats on every page. The page number is centred in the top margin from page 2
    (Decree 30, as core.pdf.document) and a draft carries its mark on every page.
    """

    def __init__(self, out: str | BinaryIO, setup: document.PageSetup, columns: list[Column],
                 head: list[HeadCell], head_rows: int, *, title: str, draft: bool,
                 size: float = 8):
        fonts.register_fonts()
        self.setup, self.columns, self.head, self.head_rows = setup, columns, head, head_rows
        self.draft, self.size, self.leading = draft, size, size * 1.15
        self.regular, self.bold = fonts.NAMES["regular"], fonts.NAMES["bold"]
        self.canvas = Canvas(out, pagesize=setup.size, pageCompression=1,
                             initialFontName=self.regular, initialFontSize=13)
        for setter, value in ((self.canvas.setTitle, title), (self.canvas.setSubject, title),
                              (self.canvas.setAuthor, document.AUTHOR),
                              (self.canvas.setCreator, document.AUTHOR)):
            setter(value)
        self.left = setup.left + (setup.frame_width - sum(c.width for c in columns)) / 2
        self.edges = [self.left]
        for column in columns:
            self.edges.append(self.edges[-1] + column.width)
        self.top, self.bottom = setup.size[1] - setup.top, setup.bottom
        self.page, self.y = 1, self.top
        self._cache: dict[tuple, tuple[str, float]] = {}
        self._measure = Measure(self.regular, size)
        self._head_heights = self._measure_head()
        self._max_lines = int((self.top - self.bottom - sum(self._head_heights)
                               - PAD_TOP - PAD_BOTTOM) // self.leading)
        self._decorate()

    # --- pages -------------------------------------------------------------------------
    def _decorate(self) -> None:
        if self.page > 1:
            document._draw_page_number(self.canvas, self.setup, self.page)
        if self.draft:
            document._draw_draft_mark(self.canvas, *self.setup.size)

    def new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self.y = self.top
        self._decorate()

    def flowables(self, items: list) -> None:
        """Draw flowables (paragraphs, the header block) in the text width from the current
        line, on a new page when one does not fit."""
        width = self.setup.frame_width
        for item in items:
            _, height = item.wrap(width, self.y - self.bottom)
            before, after = item.getSpaceBefore(), item.getSpaceAfter()
            if self.y - before - height < self.bottom and self.y < self.top:
                self.new_page()
                _, height = item.wrap(width, self.y - self.bottom)
            self.y -= before + height
            item.drawOn(self.canvas, self.setup.left, self.y)
            self.y -= after

    def finish(self) -> None:
        self.canvas.showPage()
        self.canvas.save()

    # --- the table ---------------------------------------------------------------------
    def _head_lines(self, cell: HeadCell) -> list[str]:
        width = self.edges[cell.last + 1] - self.edges[cell.first] - 2 * PAD_X
        return Measure(self.bold, self.size).wrap(cell.text, width)

    def _measure_head(self) -> list[float]:
        heights = [0.0] * self.head_rows
        for cell in sorted(self.head, key=lambda c: c.bottom - c.top):
            need = len(self._head_lines(cell)) * self.leading + PAD_TOP + PAD_BOTTOM
            have = sum(heights[cell.top:cell.bottom + 1])
            if need > have:
                heights[cell.bottom] += need - have
        return heights

    def start_table(self) -> None:
        """The header rows where the table starts, on a new page when no row would fit
        under them (a header alone at the foot of page 1 is no use)."""
        if self.y - sum(self._head_heights) - 4 * self.leading < self.bottom:
            self.new_page()
        self.draw_head()

    def draw_head(self) -> None:
        tops = [self.y]
        for height in self._head_heights:
            tops.append(tops[-1] - height)
        canvas = self.canvas
        canvas.setFillColor(HEAD_GREY)
        canvas.rect(self.edges[0], tops[-1], self.edges[-1] - self.edges[0], self.y - tops[-1],
                    stroke=0, fill=1)
        canvas.setFillColor(black)
        for cell in self.head:
            x0, x1 = self.edges[cell.first], self.edges[cell.last + 1]
            y0, y1 = tops[cell.top], tops[cell.bottom + 1]
            canvas.setLineWidth(0.5)
            canvas.rect(x0, y1, x1 - x0, y0 - y1)
            self._text(self._head_lines(cell), self.bold, self.size, x0, x1, y0, y1, False)
        self.y = tops[-1]

    def row(self, cells: list[str]) -> None:
        """Measure one row, start a new page (with the header) when it does not fit, draw it."""
        laid = [self._lay(column, text) for column, text in zip(self.columns, cells, strict=False)]
        height = max(len(lines) for lines, _ in laid) * self.leading + PAD_TOP + PAD_BOTTOM
        if self.y - height < self.bottom:
            self.new_page()
            self.draw_head()
        y0, y1 = self.y, self.y - height
        canvas = self.canvas
        canvas.setLineWidth(0.5)
        # the cell rules of the row (its top is the rule under the row above)
        canvas._code.append(" ".join(f"{x:.2f} {y0:.2f} m {x:.2f} {y1:.2f} l" for x in self.edges)
                            + f" {self.edges[0]:.2f} {y1:.2f} m {self.edges[-1]:.2f} {y1:.2f} l S")
        for c, (lines, size) in enumerate(laid):
            self._text(lines, self.regular, size, self.edges[c], self.edges[c + 1], y0, y1,
                       self.columns[c].left)
        self.y = y1

    def _lay(self, column: Column, text: str) -> tuple[list[str], float]:
        room = column.width - 2 * PAD_X
        if column.one_line:
            text = " ".join(text.split())
            return [text], fit_size(text, self.regular, self.size, room)
        lines = self._measure.wrap(text, room)
        if len(lines) > self._max_lines:  # a value longer than a page: cut, never lost silently
            lines = lines[:self._max_lines]
            lines[-1] = lines[-1][:-1] + ELLIPSIS
        return lines, self.size

    def _text(self, lines: list[str], font: str, size: float, x0: float, x1: float,
              y0: float, y1: float, left: bool) -> None:
        """Lines vertically centred between y0 (top) and y1, left-aligned or centred."""
        block = len(lines) * self.leading
        middle = (y0 + y1) / 2 - (PAD_BOTTOM - PAD_TOP) / 2
        baseline = middle + block / 2 - self.leading + (self.leading - size) / 2 + size * 0.22
        for line in lines:
            if line:
                ops, width = self._encoded(font, size, line)
                x = x0 + PAD_X if left else (x0 + x1 - width) / 2
                # what canvas.drawString writes, with the encoded string computed once
                self.canvas._code.append(f"BT 1 0 0 1 {x:.2f} {baseline:.2f} Tm {ops} ET")
            baseline -= self.leading

    def _encoded(self, font: str, size: float, text: str) -> tuple[str, float]:
        """The PDF text operators of `text` (font subset selection included) and its width.

        reportlab's drawString re-encodes every string into the embedded subset (two thirds
        of the register's time); dates, units and procedures repeat on every page."""
        key = (font, size, text)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            maker = self.canvas.beginText()
            maker.setFont(font, size, self.leading)  # a TrueType font: Tf comes with the text
            found = self._cache[key] = (maker._formatText(text), stringWidth(text, font, size))
        return found
