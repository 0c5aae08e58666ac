"""One card per indicator: the rate, numerator/denominator, target, colour, gap and projection."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QFrame, QGroupBox, QLabel, QVBoxLayout

from core.indicators.i766 import FIRST_SET_NAME
from core.indicators.vocabulary import INDICATORS as VOCABULARY
from core.indicators.vocabulary import (
    KEYS,
    denominator_path,
    met_word,
    rate_of,
    ratio,
    target_text,
)
from core.timefmt import vn_number, vn_percent

GREEN, AMBER, RED, GREY = "#2e7d32", "#b26a00", "#c62828", "#757575"
BACKGROUND = {GREEN: "#e8f5e9", AMBER: "#fff4e0", RED: "#fdecea", GREY: "#f2f2f2"}
AMBER_MARGIN = 0.05  # within 5 points below the target: amber, further: red

INDICATORS = KEYS  # the order of the cards, the chart and the unit table


def link(figure: str, value: int) -> str:
    """A figure the clerk can click to list its dossiers (when core can list them)."""
    return f"<a href='{figure}'>{vn_number(value)}</a>"


def verdict(shade: str) -> str:
    """The card's word: the report's and the kpi table's (vocabulary.met_word) — the card said
    "gần đạt" where the signed paper said "Chưa đạt" — amber adding how close it is."""
    met = None if shade == GREY else shade == GREEN
    word = met_word(met).lower()
    return f"{word} (gần đạt)" if shade == AMBER else word


def colour(rate: float | None, target: float, met: bool | None = None) -> str:
    """Green when met (the engine's exact comparison when given, spec 5), amber close below."""
    if rate is None:
        return GREY
    if met if met is not None else rate >= target:
        return GREEN
    return AMBER if rate >= target - AMBER_MARGIN else RED


BORDER, RADIUS = 2, 6  # px: the card's coloured frame


class ShadedCard(QFrame):
    """A card framed and filled in its verdict's colour (`shade_with`), painted by itself: a
    style sheet per card made Qt polish the card and its six labels again at every refresh
    (a tenth of a dashboard's opening), and every label under it at the window's first show."""

    shade: str | None = None  # until the first figures: the plain frame

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def shade_with(self, shade: str) -> None:
        if self.shade is None:  # the frame is painted here from now on, as wide
            self.setFrameShape(QFrame.Shape.NoFrame)
            self.setContentsMargins(BORDER, BORDER, BORDER, BORDER)
        self.shade = shade
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.shade is None:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(self.shade), BORDER))
        painter.setBrush(QColor(BACKGROUND[self.shade]))
        half = BORDER / 2  # the pen is drawn astride the path: its outer edge on the card's
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half),
                                RADIUS - half, RADIUS - half)
        painter.end()


class CardSet(QGroupBox):
    """A set's row of cards, a page of the dashboard's stack of sets. A page not shown asks for
    no height: Qt's stack is as tall as the tallest height-for-width of all its pages, so
    Biểu 06's four cards stood as tall as the six narrow 766 cards' wrapped lines."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return -1 if self.isHidden() else super().heightForWidth(width)


class FigureCard(ShadedCard):
    """A figure's card, Biểu 06's or 766's: title, rate, the fraction whose numbers open their
    dossiers (`figure_clicked(figure)`), the target and its verdict, the gap and projection."""

    figure_clicked = Signal(str)

    def __init__(self, key: str, title: str, min_width: int, wrap_title: bool, parent=None):
        super().__init__(parent)
        self.key = key
        self.setMinimumWidth(min_width)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        self.title = QLabel(title)
        self.rate = QLabel()
        self.numbers = QLabel()
        self.target = QLabel()
        self.gap = QLabel()
        self.projection = QLabel()
        wrapped = (self.numbers, self.target, self.gap, self.projection)
        for label in (self.title, *wrapped) if wrap_title else wrapped:
            label.setWordWrap(True)
        self.numbers.linkActivated.connect(self.figure_clicked)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse |
                                             Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        for label in (self.title, self.rate, self.numbers, self.target, self.gap, self.projection):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_shaded(self, shade: str, rate: float | None, points: int, numbers: str, target: str,
                    gap: str, projection: str) -> None:
        """The card in the verdict's colour: the rate in `points`, the other lines as given
        (a gap or projection left empty is hidden)."""
        self.shade_with(shade)
        self.rate.setText(f"<span style='font-size:{points}pt; font-weight:bold; "
                          f"color:{shade}'>{vn_percent(rate)}</span>")
        self.numbers.setText(numbers)
        self.target.setText(f"{target} — <b>{verdict(shade)}</b>")
        self.gap.setText(gap)
        self.gap.setVisible(bool(gap))
        self.projection.setText(projection)
        self.projection.setVisible(bool(projection))


class IndicatorCard(FigureCard):
    """A Biểu 06 figure's card."""

    def __init__(self, key: str, parent=None):
        super().__init__(key, f"<b>{VOCABULARY[key].short}</b> <small>({FIRST_SET_NAME})</small>",
                         230, False, parent)

    def show_figures(self, figures: dict, target: float, denominator: str,
                     gap: str = "", projection: str = "") -> None:
        rate = rate_of(figures, self.key)
        shade = colour(rate, target, figures.get("meets", {}).get(self.key))
        numerator, denominator_value = ratio(figures, self.key, denominator)
        words = VOCABULARY[self.key]
        den_fig = denominator_path(self.key, denominator)
        numbers = (f"{link(words.numerator, numerator)} / "
                   f"{link(den_fig, denominator_value)} {words.counted}")
        self.show_shaded(shade, rate, 22, numbers, f"Chỉ tiêu ≥ {target_text(target)}",
                         gap, projection)
