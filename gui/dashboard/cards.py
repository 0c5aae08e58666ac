"""One card per indicator: the rate, numerator/denominator, target, colour, gap and projection."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from core.timefmt import vn_number, vn_percent

GREEN, AMBER, RED, GREY = "#2e7d32", "#b26a00", "#c62828", "#757575"
BACKGROUND = {GREEN: "#e8f5e9", AMBER: "#fff4e0", RED: "#fdecea", GREY: "#f2f2f2"}
AMBER_MARGIN = 0.05  # within 5 points below the target: amber, further: red

# indicator -> (title, numerator figure, denominator figure, what the numbers count)
INDICATORS = {
    "on_time": ("Giải quyết đúng hạn", "resolved.early+resolved.on_time", "resolved.total",
                "hồ sơ trước/đúng hạn"),
    "online_full": ("Hồ sơ trực tuyến toàn trình", "online_full.count", "online_full.eligible",
                    "hồ sơ toàn trình"),
    "online_payment": ("Thanh toán trực tuyến", "online_payment.paid_online",
                       "online_payment.fee_dossiers", "hồ sơ thanh toán trực tuyến"),
    "satisfaction": ("Mức độ hài lòng", "satisfaction.satisfied", "satisfaction.votes",
                     "phiếu hài lòng"),
}


def link(figure: str, value: int) -> str:
    """A figure the clerk can click to list its dossiers (when core can list them)."""
    return f"<a href='{figure}'>{vn_number(value)}</a>"


def rate_of(figures: dict, key: str):
    return figures["on_time_rate"] if key == "on_time" else figures[key]["rate"]


def numbers_of(figures: dict, key: str, denominator: str = "eligible") -> tuple[int, int]:
    if key == "on_time":
        resolved = figures["resolved"]
        return resolved["early"] + resolved["on_time"], resolved["total"]
    if key == "online_full":
        f = figures["online_full"]
        return f["count"], f["eligible"] if denominator == "eligible" else f["received"]
    if key == "online_payment":
        f = figures["online_payment"]
        return f["paid_online"], f["fee_dossiers"]
    f = figures["satisfaction"]
    return f["satisfied"], f["votes"]


def colour(rate: float | None, target: float) -> str:
    if rate is None:
        return GREY
    if rate >= target:
        return GREEN
    return AMBER if rate >= target - AMBER_MARGIN else RED


class IndicatorCard(QFrame):
    """Clicking the numbers opens the dossiers behind them (`figure_clicked(figure)`)."""

    figure_clicked = Signal(str)

    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(230)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        self.title = QLabel(f"<b>{INDICATORS[key][0]}</b>")
        self.rate = QLabel()
        self.numbers = QLabel()
        self.target = QLabel()
        self.gap = QLabel()
        self.projection = QLabel()
        for label in (self.numbers, self.gap, self.projection):
            label.setWordWrap(True)
        self.numbers.linkActivated.connect(self.figure_clicked)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse |
                                             Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        for label in (self.title, self.rate, self.numbers, self.target, self.gap, self.projection):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_figures(self, figures: dict, target: float, denominator: str,
                     gap: str = "", projection: str = "") -> None:
        rate = rate_of(figures, self.key)
        shade = colour(rate, target)
        self.setStyleSheet(f"IndicatorCard {{ background: {BACKGROUND[shade]}; "
                           f"border: 2px solid {shade}; border-radius: 6px; }}")
        self.rate.setText(f"<span style='font-size:22pt; font-weight:bold; color:{shade}'>"
                          f"{vn_percent(rate)}</span>")
        numerator, denominator_value = numbers_of(figures, self.key, denominator)
        _, num_fig, den_fig, what = INDICATORS[self.key]
        if self.key == "online_full" and denominator == "all":
            den_fig = "online_full.received"
        self.numbers.setText(f"{link(num_fig, numerator)} / {link(den_fig, denominator_value)} "
                             f"{what}")
        state = {GREEN: "đạt", AMBER: "gần đạt", RED: "chưa đạt", GREY: "chưa có số liệu"}[shade]
        self.target.setText(f"Chỉ tiêu ≥ {vn_percent(target, 0)} — <b>{state}</b>")
        self.gap.setText(gap)
        self.gap.setVisible(bool(gap))
        self.projection.setText(projection)
        self.projection.setVisible(bool(projection))
        self.shade = shade
