"""Text that is never split over two lines: a dossier code (Circular 03/2025 Art. 13).

Citizens type the code to track their dossier; "000.22.27.H37-2 / 60429-0002" on paper is a
code nobody can type. Where the column is too narrow the text is set smaller instead.
"""
from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from core.pdf.fonts import NAMES, register_fonts


def fit_size(text: str, font: str, size: float, width: float) -> float:
    """The font size at which `text` fits `width` on one line (at most `size`)."""
    wide = stringWidth(text, font, size)
    return size if wide <= width else size * width / wide


class OneLine(Flowable):
    """A table cell's text on one line, centred, shrunk to the cell's width when needed."""

    def __init__(self, text: str, size: float, bold: bool = False):
        super().__init__()
        register_fonts()
        self.text = " ".join((text or "").split())
        self.size, self.font = size, NAMES["bold" if bold else "regular"]
        self._fit, self._width = size, 0.0

    def wrap(self, avail_width, avail_height):
        self._width = avail_width
        self._fit = fit_size(self.text, self.font, self.size, avail_width)
        return avail_width, self.size * 1.15

    def draw(self):
        self.canv.setFont(self.font, self._fit)
        # the baseline where a Paragraph of `size` would put it, whatever the shrink
        self.canv.drawCentredString(self._width / 2, self.size * 0.3, self.text)
