"""The 766 cards (spec 5.1): the same card as Biểu 06's — rate, fraction, target, gap,
projection — for each figure of the second set, every number opening its dossiers."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout

from core.indicators import i766
from core.indicators.vocabulary import target_text
from core.timefmt import vn_number, vn_percent
from gui.dashboard.cards import ShadedCard, colour, link, verdict


class Card766(ShadedCard):
    """Clicking the numbers opens the dossiers behind them (`figure_clicked(figure)`)."""

    figure_clicked = Signal(str)

    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        figure = i766.FIGURES[key]
        self.setMinimumWidth(140)  # six cards side by side on a 1366-pixel screen
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        self.title = QLabel(f"<b>{figure.short}</b> <small>tiêu chí {figure.code}</small>")
        self.title.setToolTip(figure.name)
        self.rate = QLabel()
        self.numbers = QLabel()
        self.target = QLabel()
        self.gap = QLabel()
        self.projection = QLabel()
        for label in (self.title, self.numbers, self.target, self.gap, self.projection):
            label.setWordWrap(True)
        self.numbers.linkActivated.connect(self.figure_clicked)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse |
                                             Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        for label in (self.title, self.rate, self.numbers, self.target, self.gap, self.projection):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_part(self, part: dict, target: float, gap: str = "", projection: str = "",
                  parts: dict | None = None) -> None:
        """`part`: the figure's {num, den, rate}; `parts`: what 5.4 subtracts (late,
        complained: core.indicators.compute(detail=True))."""
        met = i766.meets(part, target)
        shade = colour(part["rate"], target, met)
        self.shade_with(shade)
        self.rate.setText(f"<span style='font-size:20pt; font-weight:bold; color:{shade}'>"
                          f"{vn_percent(part['rate'])}</span>")
        self.numbers.setText(self._numbers(part, parts or {}))
        self.target.setText(f"Chỉ tiêu 766 ≥ {target_text(target)} — <b>{verdict(shade)}</b>")
        self.gap.setText(gap)
        self.gap.setVisible(bool(gap))
        self.projection.setText(projection)
        self.projection.setVisible(bool(projection))

    def _numbers(self, part: dict, parts: dict) -> str:
        numerator, denominator = i766.DRILL[self.key]
        words = i766.FIGURES[self.key].numerator
        if self.key != "satisfaction":
            return (f"{link(numerator, part['num'])} / {link(denominator, part['den'])} "
                    f"{words}")
        # 5.4's numerator is resolved − late − complained (floored at 0): its parts open
        late, complained = parts.get("late", 0), parts.get("complained", 0)
        return (f"{vn_number(part['num'])} / {link(denominator, part['den'])} đã giải quyết; "
                f"trừ {link('i766.satisfaction.late', late)} trễ hạn, "
                f"{link('i766.satisfaction.complained', complained)} bị phản ánh")
