"""A ruled table of many rows, measured one page at a time.

reportlab's Table, split at a page's foot, hands the next page a new Table of every row left,
which measures (wraps each cell of) all of them again: a table of n rows over p pages costs
about n·p/2 row measurements — 5,000 units under a province, 100 pages a table, took 19 s for
the monthly report, 40,000 units would take hours. `LongGrid` gives the frame only the rows
that could fit on the space left (the space over the smallest row height), so each page
measures a page of rows and the whole table costs about n.
"""
from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable, Table, TableStyle

from core.pdf.fonts import NAMES

# above this many body rows a table is laid out a page at a time (below, one Table is cheap)
LONG_ROWS = 120

# (first, stop, lead) -> the header rows and body rows [first, stop), the first one replaced
# by `lead` when given (the rest of a row cut inside at the foot of the page before)
Make = Callable[[int, int, "list | None"], Table]


class LongGrid(Flowable):
    """The body rows from `first` of a table `make` builds in pieces; `lowest` is the height
    no row is under (its text's leading and paddings), so a page never holds more than
    (space left) / lowest rows; `lead`: what is left of row `first`, cut inside. `heights`:
    the rows' heights measured by the pieces before ({width: {row: height}}), so a page of
    tall rows (a unit's 200-character name on three lines) is made of about the rows it holds,
    not of space / lowest (recon34: each name was measured some 25 times, 5,000 units 42 s)."""

    def __init__(self, make: Make, first: int, stop: int, lowest: float,
                 lead: list | None = None, heights: dict | None = None) -> None:
        super().__init__()
        self.make, self.first, self.stop, self.lowest = make, first, stop, lowest
        self.lead = lead
        self.heights: dict[float, dict[int, float]] = {} if heights is None else heights
        self.spaceAfter = 8  # blocks.grid's, after the last piece
        self._table: Table | None = None
        # the last piece wrapped, for split: (width, height, its end, the piece)
        self._piece: tuple[float, float, int, Table] | None = None

    def _made(self, width: float, height: float) -> tuple[int, Table]:
        """The piece for `height` and its end; the frame asks wrap, then split, with the same
        height."""
        if self._piece is None or self._piece[:2] != (width, height):
            end = self._end(width, height)
            piece = self.make(self.first, end, self.lead)
            self._piece = (width, height, end, piece)
        return self._piece[2], self._piece[3]

    def _end(self, width: float, height: float) -> int:
        """The first row past what `height` could hold (rows measured before by their height,
        the others by `lowest`), and one more so the piece overflows."""
        known = self.heights.get(width, {})
        row, total = self.first, 0.0
        while row < self.stop and total <= height:
            total += self.lowest if row == self.first and self.lead else known.get(row, self.lowest)
            row += 1
        return min(self.stop, row + 1)

    def _measured(self, width: float, table: Table) -> None:
        heads = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
        known = self.heights.setdefault(width, {})
        for n, tall in enumerate(table._rowHeights[heads:]):
            if isinstance(tall, (int, float)) and (n or not self.lead):  # the rest of a cut
                known[self.first + n] = tall  # row is not the row's height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        end, self._table = self._made(availWidth, availHeight)
        width, height = self._table.wrap(availWidth, availHeight)
        self._measured(availWidth, self._table)
        # rows are left beyond the piece: too tall for this page, so the frame splits it
        return width, height if end == self.stop else max(height, availHeight + 1)

    def split(self, availWidth: float, availHeight: float) -> list:
        end, piece = self._made(availWidth, availHeight)
        parts = piece.split(availWidth, availHeight)
        if end == self.stop or not parts:
            return parts
        heads = piece.repeatRows if isinstance(piece.repeatRows, int) else len(piece.repeatRows)
        fitted = len(parts[0]._cellvalues) - heads
        if fitted <= 0:
            return []
        if len(parts) > 1 and len(parts[1]._cellvalues) - heads > end - self.first - fitted:
            # the last row went on over the page (splitInRow): its rest leads the next piece
            lead = parts[1]._cellvalues[heads]
            return [parts[0], long_or_plain(self.make, self.first + fitted - 1, self.stop,
                                            self.lowest, lead, self.heights)]
        return [parts[0], long_or_plain(self.make, self.first + fitted, self.stop, self.lowest,
                                        heights=self.heights)]

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        assert self._table is not None  # wrap came first: the frame asks the size
        self._table.drawOn(canvas, x, y, _sW)


class Grid(Table):
    """A ruled table whose NOSPLIT rows stay together where a page can hold them: rows kept
    together that are taller than a whole page (a short list moved whole with its heading,
    core.pdf.reconcile, of five 500-character procedures) are split as if not asked, where
    reportlab refused the whole PDF (LayoutError: «too large on page 2»)."""

    def split(self, availWidth, availHeight):  # noqa: N803  (reportlab's names)
        parts = super().split(availWidth, availHeight)
        frame = getattr(self, "_frame", None)  # set by the frame around this call
        if parts or not getattr(self, "_nosplitCmds", None) or not getattr(frame, "_atTop", 0):
            return parts  # split, or a page further on may hold the rows kept together
        self._nosplitCmds: list = []  # at a page's top already: no page holds them
        return super().split(availWidth, availHeight)


def long_or_plain(make: Make, first: int, stop: int, lowest: float,
                  lead: list | None = None, heights: dict | None = None) -> Flowable:
    """One Table for a few rows; a LongGrid, measured page by page, for many."""
    if stop - first <= LONG_ROWS:
        return make(first, stop, lead)
    return LongGrid(make, first, stop, lowest, lead, heights)


def ruled(rows: list[list], widths: list[float], header_rows: int, commands: list,
          bold_rows: tuple[int, ...], spans, split_in_row: int, lowest: float,
          paged: bool) -> Flowable:
    """core.pdf.blocks.grid's table of `rows` (cells made), with its style `commands`; the bold
    rows and the spans are moved along when it is cut in pieces."""
    def make(first: int, stop: int, lead: list | None = None) -> Table:
        def moved(r: int) -> int:
            return r if r < header_rows else r - first + header_rows
        body = rows[first:stop] if lead is None else [lead] + rows[first + 1:stop]
        table = Grid(rows[:header_rows] + body, colWidths=widths,
                      repeatRows=header_rows, hAlign="CENTER", splitInRow=split_in_row)
        kept = [r for r in bold_rows if r < header_rows or first <= r < stop]
        table.setStyle(TableStyle(  # blocks.table_style's: our regular font first
            [("FONTNAME", (0, 0), (-1, -1), NAMES["regular"])] + commands
            + [("FONTNAME", (0, moved(r)), (-1, moved(r)), NAMES["bold"]) for r in kept]
            + [("SPAN", (a[0], moved(a[1])), (b[0], moved(b[1]))) for a, b in spans
               if a[1] < header_rows or first <= a[1] < stop]))
        table.spaceAfter = 8  # what follows a table should not touch its last rule
        return table

    if not paged or any(a[1] != b[1] for a, b in spans if b[1] >= header_rows):
        return make(header_rows, len(rows), None)  # a span over body rows: no cut between them
    # the caller asked for a table laid out page by page: it adds nothing a Table alone has
    return long_or_plain(make, header_rows, len(rows), lowest)
