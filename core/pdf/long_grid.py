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
    (space left) / lowest rows; `lead`: what is left of row `first`, cut inside."""

    def __init__(self, make: Make, first: int, stop: int, lowest: float,
                 lead: list | None = None) -> None:
        super().__init__()
        self.make, self.first, self.stop, self.lowest = make, first, stop, lowest
        self.lead = lead
        self.spaceAfter = 8  # blocks.grid's, after the last piece
        self._table: Table | None = None
        self._piece: tuple[float, Table] | None = None  # the last piece wrapped, for split

    def _made(self, height: float) -> Table:
        """The piece for `height`; the frame asks wrap, then split, with the same height."""
        if self._piece is None or self._piece[0] != height:
            self._piece = (height, self.make(self.first, self._end(height), self.lead))
        return self._piece[1]

    def _end(self, height: float) -> int:
        """The first row past what `height` could hold, and one more so the piece overflows."""
        return min(self.stop, self.first + int(height // self.lowest) + 2)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        end = self._end(availHeight)
        self._table = self._made(availHeight)
        width, height = self._table.wrap(availWidth, availHeight)
        # rows are left beyond the piece: too tall for this page, so the frame splits it
        return width, height if end == self.stop else max(height, availHeight + 1)

    def split(self, availWidth: float, availHeight: float) -> list:
        end = self._end(availHeight)
        piece = self._made(availHeight)
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
                                            self.lowest, lead)]
        return [parts[0], long_or_plain(self.make, self.first + fitted, self.stop, self.lowest)]

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        assert self._table is not None  # wrap came first: the frame asks the size
        self._table.drawOn(canvas, x, y, _sW)


def long_or_plain(make: Make, first: int, stop: int, lowest: float,
                  lead: list | None = None) -> Flowable:
    """One Table for a few rows; a LongGrid, measured page by page, for many."""
    if stop - first <= LONG_ROWS:
        return make(first, stop, lead)
    return LongGrid(make, first, stop, lowest, lead)


def ruled(rows: list[list], widths: list[float], header_rows: int, commands: list,
          bold_rows: tuple[int, ...], spans, split_in_row: int, lowest: float,
          paged: bool) -> Flowable:
    """core.pdf.blocks.grid's table of `rows` (cells made), with its style `commands`; the bold
    rows and the spans are moved along when it is cut in pieces."""
    def make(first: int, stop: int, lead: list | None = None) -> Table:
        def moved(r: int) -> int:
            return r if r < header_rows else r - first + header_rows
        body = rows[first:stop] if lead is None else [lead] + rows[first + 1:stop]
        table = Table(rows[:header_rows] + body, colWidths=widths,
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
