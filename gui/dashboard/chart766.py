"""The 766 scorecard as a chart (spec 5.1): one horizontal bar per figure, its rate against a
dashed target mark, the result and the verdict written beside it, and how many of the six are
met above. The lines are core.indicators.board766's, the ones the monthly report's 766 section
prints, so the screen and the signed paper say the same."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from core.indicators import board766, i766
from gui.dashboard.cards import colour

ROW = 30      # px per figure
TOP = 30      # the tally line
SCALE = (0, 20, 40, 60, 80, 100)
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def name_of(line: board766.Line766) -> str:
    """'2.1 Tỷ lệ hồ sơ giải quyết đúng hạn': the page already says 766."""
    return f"{line.figure.code} {line.figure.name.removesuffix(' (766)')}"


def value_of(line: board766.Line766) -> str:
    """'90,72% (215/237) — chỉ tiêu ≥ 90% — Đạt', or '— chưa có số liệu'."""
    if line.rate is None:
        return "— chưa có số liệu"
    return f"{line.result} — chỉ tiêu ≥ {line.target_text} — {line.verdict}"


class Scorecard766Chart(QWidget):
    """The total's six figures; `drawn()` gives what each row says (the tests read it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lines: list[board766.Line766] = []
        self.summary = "đang tính…"
        self.setMinimumHeight(TOP + ROW * len(i766.KEYS) + 24)

    def set_lines(self, lines: list[board766.Line766]) -> None:
        self.lines = lines
        self.summary = board766.tally(lines)
        names, _bar, values = self.columns()  # never narrower than the words and a short bar
        self.setMinimumWidth(int(names + values + 180))
        self.update()

    def drawn(self) -> list[tuple[str, str]]:
        return [(name_of(line), value_of(line)) for line in self.lines]

    def columns(self) -> tuple[float, float, float]:
        """(name width, bar width, value width): names and values whole, the bars the rest."""
        metrics = QFontMetrics(self.font())
        names = max([metrics.horizontalAdvance(name) for name, _ in self.drawn()] or [200])
        values = max([metrics.horizontalAdvance(value) for _, value in self.drawn()] or [200])
        bar = max(120.0, self.width() - names - values - 48)
        return names + 12, bar, values + 12

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#222"))
        painter.drawText(QRectF(8, 4, self.width() - 16, TOP - 8), LEFT, self.summary)
        painter.setFont(self.font())
        names, bar, _values = self.columns()
        x0 = 8 + names
        self._scale(painter, x0, bar)
        for row, line in enumerate(self.lines):
            y = TOP + row * ROW
            painter.setPen(QColor("#222"))
            painter.drawText(QRectF(8, y, names - 12, ROW), LEFT, name_of(line))
            self._bar(painter, line, QRectF(x0, y + 6, bar, ROW - 12))
            shade = colour(line.rate, line.target, line.met)
            painter.setPen(QColor(shade))
            painter.drawText(QRectF(x0 + bar + 12, y, self.width() - x0 - bar - 20, ROW), LEFT,
                             value_of(line))

    def _scale(self, painter: QPainter, x0: float, bar: float) -> None:
        bottom = TOP + ROW * len(self.lines)
        for percent in SCALE:
            x = x0 + bar * percent / 100
            painter.setPen(QPen(QColor("#e3e3e3")))
            painter.drawLine(x, TOP, x, bottom)
            painter.setPen(QColor("#555"))
            painter.drawText(QRectF(x - 24, bottom + 2, 48, 18), Qt.AlignmentFlag.AlignCenter,
                             f"{percent}%")

    def _bar(self, painter: QPainter, line: board766.Line766, box: QRectF) -> None:
        painter.fillRect(box, QColor("#f2f2f2"))
        if line.rate is not None:
            filled = QRectF(box.left(), box.top(), box.width() * min(line.rate, 1.0),
                            box.height())
            painter.fillRect(filled, QColor(colour(line.rate, line.target, line.met)))
        x = box.left() + box.width() * line.target
        painter.setPen(QPen(QColor("#222"), 2, Qt.PenStyle.DashLine))
        painter.drawLine(x, box.top() - 4, x, box.bottom() + 4)


def chart_box(chart: Scorecard766Chart) -> QGroupBox:
    box = QGroupBox(f"{i766.SET_NAME} của phạm vi: kết quả so với chỉ tiêu "
                    "(vạch đứt: chỉ tiêu; xanh: đạt, cam: gần đạt, đỏ: chưa đạt)")
    QVBoxLayout(box).addWidget(chart)
    return box
