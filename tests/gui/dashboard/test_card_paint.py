"""The cards paint their verdict's colours themselves: a style sheet per card made Qt polish
the card and its labels again at every refresh of the figures (gui.dashboard.cards)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor

from gui.dashboard.cards import BACKGROUND, GREEN, RED
from gui.dashboard.screen import DashboardScreen

TODAY = dt.date(2025, 6, 11)


class Polishes(QObject):
    """Counts the polish events of the widgets it watches."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange):
            self.count += 1
        return False


def _shown(qtbot, db) -> DashboardScreen:
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.resize(1366, 728)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    return screen


def test_a_card_is_framed_and_filled_in_its_verdicts_colour(qtbot, db, office):
    screen = _shown(qtbot, db)
    for key, shade in (("on_time", GREEN), ("online_payment", RED)):
        card = screen.cards[key]
        assert card.shade == shade
        picture = card.grab().toImage()
        middle = picture.height() // 2
        assert picture.pixelColor(0, middle) == QColor(shade)  # the 2 px frame
        assert picture.pixelColor(1, middle) == QColor(shade)
        # the card's foot, under its last line: its background
        assert picture.pixelColor(picture.width() // 2, picture.height() - 5) == \
            QColor(BACKGROUND[shade])


def test_new_figures_polish_no_card_again(qtbot, db, office):
    """A refresh writes the figures into the cards' labels; no card or label is polished
    again (a style sheet set on a card re-polished the card and its six labels)."""
    screen = _shown(qtbot, db)
    counter = Polishes()
    cards = [*screen.cards.values()]
    watched = cards + [label for card in cards for label in card.findChildren(QObject)]
    for widget in watched:
        widget.installEventFilter(counter)
    screen.refresh()
    assert counter.count == 0
    assert all(not card.styleSheet() for card in cards)
