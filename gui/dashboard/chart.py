"""The four rates per unit as grouped bars against dashed target lines (drawn with QPainter)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from core.indicators.vocabulary import rate_of, target_text
from core.labels import unit_text
from gui.dashboard.cards import INDICATORS

SERIES = {"on_time": "#1565c0", "online_full": "#2e7d32", "online_payment": "#ef6c00",
          "satisfaction": "#6a1b9a"}
SHORT = {"on_time": "Đúng hạn", "online_full": "Toàn trình", "online_payment": "TT trực tuyến",
         "satisfaction": "Hài lòng"}


LABEL_LINES = 6  # a unit's name under its bars: at most so many lines (the whole in its tip)
LABEL_WRAP = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap


def short_name(name: str) -> str:
    """A leader reads unit names, not codes: "UBND xã Trấn Ninh" -> "xã Trấn Ninh"."""
    for prefix in ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


class RatesChart(QWidget):
    """Bars per unit; a unit below any target gets its name in red."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.units: list[dict] = []
        self.empty_text = "đang tính…"  # until the first figures (a big file: after the paint)
        self.targets: dict[str, float] = {}
        self._label_height: tuple[int, list, int] | None = None  # (width, units, height)
        self.setMinimumHeight(260)

    def set_data(self, units: list[dict], targets: dict[str, float]) -> None:
        self.units, self.targets = units, targets
        self.empty_text = "Không có đơn vị trong phạm vi"
        self.setMinimumWidth(max(400, 90 * len(units) + 80))
        self.update()

    def unit_at(self, x: float) -> dict | None:
        left, right = 44, 12
        width = self.width() - left - right
        if not self.units or not left <= x < left + width:
            return None
        return self.units[int((x - left) * len(self.units) // width)]

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            unit = self.unit_at(event.position().x() if hasattr(event, "position") else event.x())
            if unit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), unit_text(unit['name'], unit['code']), self)
            return True
        return super().event(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setFont(self.small_font())
        left, top, right = 44, 28, 12
        bottom = 10 + self.label_height()
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        self._axes(painter, plot)
        self._legend(painter)
        if not self.units:
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        group = plot.width() / len(self.units)
        bar = min(16.0, group * 0.8 / 4)
        for i in self._groups_in(event.rect(), plot.left(), group):
            unit = self.units[i]
            x0 = plot.left() + i * group + (group - 4 * bar) / 2
            behind = False
            for j, key in enumerate(INDICATORS):
                rate = rate_of(unit, key)
                if rate is None:
                    continue
                behind |= unit["meets"][key] is False  # the exact comparison (spec 5)
                height = plot.height() * min(rate, 1.0)
                painter.fillRect(QRectF(x0 + j * bar, plot.bottom() - height, bar - 1, height),
                                 QColor(SERIES[key]))
            painter.setPen(QColor("#c62828") if behind else QColor("#222"))
            painter.drawText(QRectF(plot.left() + i * group + 2, plot.bottom() + 4, group - 4,
                                    bottom - 4), LABEL_WRAP, short_name(unit["name"]))
        self._targets(painter, plot)

    def _groups_in(self, area: QRect, left: float, group: float) -> range:
        """The units whose group of bars `area` shows: a scroll paints the groups in sight,
        not all 40,000 of a crafted catalogue."""
        if group <= 0:
            return range(len(self.units))
        first = max(0, int((area.left() - left) // group))
        return range(first, min(len(self.units), int((area.right() - left) // group) + 2))

    def small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(8)
        return small

    def label_height(self) -> int:
        """The height the units' names take under their bars, each wrapped to its group's
        width: as many lines as the longest needs, up to LABEL_LINES. Held to 40 px, a merged
        commune named with its history (core.indicators.history_names) read "xã Tú Xuyên
        (đến 30/06/2025 →", its successor cut off."""
        metrics = QFontMetrics(self.small_font())
        if not self.units:
            return 3 * metrics.lineSpacing()
        width = max(1, int((self.width() - 56) / len(self.units)) - 4)
        known = self._label_height
        if known is not None and known[0] == width and known[1] is self.units:
            return known[2]  # every paint asks; the names are measured once a width
        needed = max(metrics.boundingRect(QRect(0, 0, width, 10_000), int(LABEL_WRAP),
                                          short_name(unit["name"])).height()
                     for unit in self.units)
        height = max(3 * metrics.lineSpacing(), min(needed, LABEL_LINES * metrics.lineSpacing()))
        self._label_height = (width, self.units, height)
        return height

    def _axes(self, painter: QPainter, plot: QRectF) -> None:
        painter.setPen(QPen(QColor("#ddd")))
        for percent in range(0, 101, 20):
            y = plot.bottom() - plot.height() * percent / 100
            painter.setPen(QPen(QColor("#e3e3e3")))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(QColor("#555"))
            painter.drawText(QRectF(0, y - 8, plot.left() - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{percent}%")

    def _targets(self, painter: QPainter, plot: QRectF) -> None:
        for key, target in self.targets.items():
            if key not in SERIES:
                continue
            pen = QPen(QColor(SERIES[key]), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = plot.bottom() - plot.height() * target
            painter.drawLine(plot.left(), y, plot.right(), y)

    def _legend(self, painter: QPainter) -> None:
        x = 48
        for key, shade in SERIES.items():
            painter.fillRect(QRectF(x, 8, 12, 12), QColor(shade))
            painter.setPen(QColor("#222"))
            text = f"{SHORT[key]} ≥{target_text(self.targets.get(key, 0))}"
            painter.drawText(x + 16, 19, text)
            x += 26 + painter.fontMetrics().horizontalAdvance(text)
