"""Dashboard, second set (spec 5.1): the "Chỉ số 766" switch shows its cards and unit table,
every rate named with its set, and a click on a 766 number lists the dossiers behind it."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from gui.dashboard.screen import DashboardScreen
from gui.dossiers.register_view import RegisterScreen
from tests.gui.clicks import button_named, click

TODAY = dt.date(2025, 6, 11)


def _screen(qtbot, db) -> DashboardScreen:
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.resize(1366, 728)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    return screen


def test_the_switch_shows_the_766_cards_and_units(qtbot, db, office):
    screen = _screen(qtbot, db)
    assert screen.sets.currentIndex() == 0
    assert "(Biểu 06)" in screen.cards["on_time"].title.text()
    click(qtbot, button_named(screen, "Chỉ số 766"))
    assert screen.sets.currentIndex() == 1 and screen.unit_tables.currentIndex() == 1
    card = screen.page_766.cards["on_time"]
    assert card.isVisible() and not screen.cards["on_time"].isVisible()
    assert "Đúng hạn (766)" in card.title.text() and "2.1" in card.title.text()
    # June runs: 6 dossiers in hand; Đức finished on time, Giáp is within time, Trang waits
    # since before her due time (finished at her request); the other three are late
    assert "<a href='i766.on_time.num'>3</a> / <a href='received.total'>6</a>" in \
        card.numbers.text()
    assert "Chỉ tiêu 766 ≥ 90%" in card.target.text()
    assert screen.page_766.cards["e_result"].rate.text().count("0,00%") == 1
    header = screen.page_766.table.model().headerData(1, Qt.Orientation.Horizontal)
    assert header == "2.1 Đúng hạn (766)"
    assert "Chỉ số 766" in screen.table_box.title()
    # no Biểu 06 chart ("Tỷ lệ Biểu 06 theo đơn vị") under the 766 cards (try25 F7)
    assert not screen.chart.isVisible() and screen.page_766.table.isVisible()
    click(qtbot, button_named(screen, "Biểu 06"))
    assert screen.sets.currentIndex() == 0 and "Biểu 06" in screen.table_box.title()
    assert screen.chart.isVisible() and "Biểu 06" in screen.chart_box.title()


def test_a_click_on_a_766_number_lists_its_dossiers(qtbot, db, office):
    screen = _screen(qtbot, db)
    click(qtbot, button_named(screen, "Chỉ số 766"))
    numbers = screen.page_766.cards["on_time"].numbers
    # the numerator is the first link of the line: a click on its first digit
    qtbot.mouseClick(numbers, Qt.MouseButton.LeftButton, pos=QPoint(3, 8))
    dialogs = [d for d in screen.findChildren(QDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.addWidget(dialog)
    assert dialog.windowTitle().startswith("3 hồ sơ đúng hạn theo 766")
    register = dialog.findChild(RegisterScreen)
    names = sorted(register.model.index(r, 2).data() for r in range(register.model.rowCount()))
    assert names == ["Hoàng Thu Trang", "Phạm Minh Đức", "Đồng Văn Giáp"]
    dialog.close()


def test_766_targets_are_set_per_year_in_settings_and_shown_on_the_cards(qtbot, db, office):
    from db import settings
    from gui.settings.screen import SettingsScreen
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    spin = screen.target_boxes_766["on_time"]
    assert spin.value() == 90.0
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "40")
    click(qtbot, button_named(screen, "Lưu chỉ tiêu của năm"))
    assert settings.targets_766_for_year(db, 2025)["on_time"] == 0.4
    assert settings.targets_766_for_year(db, 2024)["on_time"] == 0.9
    assert settings.targets_for_year(db, 2025)["on_time"] == 0.9  # Biểu 06's untouched
    dashboard = _screen(qtbot, db)
    click(qtbot, button_named(dashboard, "Chỉ số 766"))
    card = dashboard.page_766.cards["on_time"]  # 3 of 6 = 50% ≥ 40%
    assert "Chỉ tiêu 766 ≥ 40%" in card.target.text() and "đạt" in card.target.text()


def test_a_766_card_says_the_reports_verdict_and_how_close_it_is(qtbot):
    """3.3 at 46,00% against 50%: "chưa đạt (gần đạt)", never a verdict the paper lacks."""
    from gui.dashboard.cards766 import Card766
    card = Card766("online")
    qtbot.addWidget(card)
    card.show_part({"num": 46, "den": 100, "rate": 0.46}, 0.5)
    assert card.target.text() == "Chỉ tiêu 766 ≥ 50% — <b>chưa đạt (gần đạt)</b>"


def test_the_766_page_is_built_when_first_opened_and_follows_the_scope(qtbot, db, office):
    """Tổng quan opens on Biểu 06: the 766 cards, chart and table are made the first time the
    clerk opens their page, with the figures of the scope then chosen, and follow it after."""
    from gui.dashboard.cards766 import Card766
    screen = _screen(qtbot, db)
    assert screen.findChildren(Card766) == []  # not opened yet: nothing built for it
    box = screen.unit_box
    box.setFocus()
    while box.currentData() != "X01":  # Đồng Giáp: Giáp within time, Đức on time, Lan late
        qtbot.keyClick(box, Qt.Key.Key_Down)
    click(qtbot, button_named(screen, "Chỉ số 766"))
    assert len(screen.findChildren(Card766)) == 6
    numbers = screen.page_766.cards["on_time"].numbers
    assert "<a href='i766.on_time.num'>2</a> / <a href='received.total'>3</a>" in numbers.text()
    while box.currentData() is not None:  # back to the whole office: 3 of 6
        qtbot.keyClick(box, Qt.Key.Key_Up)
    assert "<a href='i766.on_time.num'>3</a> / <a href='received.total'>6</a>" in numbers.text()
    assert screen.page_766.chart.isVisible() and screen.page_766.table.isVisible()


def test_each_set_of_cards_is_as_tall_as_its_own_cards(qtbot, db, office):
    """Biểu 06's four wide cards stood as tall as the six narrow 766 cards' wrapped lines (Qt
    sizes a stack by all its pages), empty below their text; each set now takes its own
    height, Biểu 06's the same before and after a look at the 766 page."""
    screen = _screen(qtbot, db)
    sets, cards_06 = screen.sets, screen.sets.currentWidget()

    def snug() -> bool:
        return sets.height() == sets.currentWidget().heightForWidth(sets.width())
    qtbot.waitUntil(snug, timeout=3000)
    height_06 = sets.height()
    click(qtbot, button_named(screen, "Chỉ số 766"))
    qtbot.waitUntil(snug, timeout=3000)
    assert sets.height() > height_06  # the six cards' lines wrap more
    click(qtbot, button_named(screen, "Biểu 06"))
    qtbot.waitUntil(lambda: sets.currentWidget() is cards_06 and snug(), timeout=3000)
    assert sets.height() == height_06
