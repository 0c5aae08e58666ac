"""Every other list of the window says why it is empty, in its own area (gui.empty_list, the
sentences core.empty_lists'): nothing yet and how to add one, nothing in the period, unit or
filter chosen, or — for a list of problems — that there is none. With a row, nothing is said."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import complaints, dossiers, empty_lists
from core import votes as core_votes
from core.privacy import access
from gui.catalogue.calendar_view import CalendarTab
from gui.catalogue.components_editor import ComponentsEditor
from gui.catalogue.procedures import ProceduresTab
from gui.catalogue.units import UnitsTab
from gui.dashboard.behind import show_dossiers_behind
from gui.dashboard.screen import DashboardScreen
from gui.dossiers.complaints_box import ComplaintsTable
from gui.dossiers.detail import DossierDialog
from gui.dossiers.register_view import RegisterScreen
from gui.privacy.log_tab import LogTab
from gui.privacy.subject_tab import SubjectTab
from gui.votes import VotesScreen
from tests.gui.clicks import click
from tests.gui.conftest import add_catalogue
from tests.gui.test_empty_lists import painted_colours

TODAY = dt.date(2025, 6, 11)


def shown(qtbot, widget, size=(1200, 600)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_votes_say_none_yet_then_none_in_the_period_then_nothing(qtbot, db, office):
    screen = shown(qtbot, VotesScreen(db, today=TODAY))
    screen.refresh()
    assert screen.model.rowCount() == 0
    assert screen.view.shown_empty_text() == empty_lists.VOTES_YET + empty_lists.VOTES_HINT
    assert painted_colours(screen.view) > 1  # painted, not only known
    core_votes.record_paper_vote(db, unit_code="X01", rating="satisfied",
                                 voted_at=dt.datetime(2025, 3, 3, 9, 0))  # another month
    screen.refresh()
    assert screen.view.shown_empty_text() == empty_lists.VOTES_HERE
    core_votes.record_paper_vote(db, unit_code="X01", rating="satisfied",
                                 voted_at=dt.datetime(2025, 6, 10, 9, 0))
    screen.refresh()
    assert screen.model.rowCount() == 1 and screen.view.shown_empty_text() == ""


def test_the_late_lists_say_there_is_none_as_good_news(qtbot, db, office):
    screen = shown(qtbot, DashboardScreen(db, today=TODAY), (1366, 728))
    screen.refresh()
    overdue, soon = screen.late_views["overdue"], screen.late_views["soon"]
    assert screen.late_models["overdue"].rowCount() == 3 and overdue.shown_empty_text() == ""
    screen.unit_box.setCurrentIndex(screen.unit_box.findData("X02"))
    assert screen.late_models["overdue"].rowCount() == 2
    assert screen.late_models["soon"].rowCount() == 0
    assert soon.shown_empty_text() == \
        "Không có hồ sơ nào đến hạn trong 2 ngày làm việc tới trong đơn vị đã chọn."
    assert painted_colours(soon) > 1


def test_a_figure_of_nothing_says_nothing_counts_in_it(qtbot, db, office):
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    dialog = show_dossiers_behind(screen, db, "resolved.late", screen.period(), None)
    qtbot.addWidget(dialog)
    register = dialog.findChild(RegisterScreen)
    assert register.model.rowCount() == 0
    assert register.table.shown_empty_text() == empty_lists.DOSSIERS_BEHIND
    qtbot.keyClicks(register.search, "zzzz")  # a search within it: the filter's sentence
    qtbot.waitUntil(lambda: register.model.filter.search == "zzzz", timeout=3000)
    assert register.table.shown_empty_text() != empty_lists.DOSSIERS_BEHIND
    votes = show_dossiers_behind(screen, db, "satisfaction.satisfied", screen.period(), None)
    qtbot.addWidget(votes)
    view = votes.findChild(type(register.table))
    assert view.model().rowCount() == 0
    assert view.shown_empty_text() == empty_lists.VOTES_BEHIND


def test_the_access_log_asks_then_says_none_in_the_days_then_nothing(qtbot, db, frozen_now):
    tab = shown(qtbot, LogTab(db, TODAY))
    assert tab.view.shown_empty_text() == empty_lists.LOG_ASK
    click(qtbot, tab.show_button)
    assert tab.view.shown_empty_text() == empty_lists.LOG_NONE + "."
    qtbot.keyClicks(tab.account, "qt")
    click(qtbot, tab.show_button)
    assert tab.view.shown_empty_text() == empty_lists.LOG_NONE + " với tài khoản đã gõ."
    access.record(db, "subject.export", purpose="Trả lời đơn")
    tab.account.clear()
    click(qtbot, tab.show_button)
    assert tab.model.rowCount() == 1 and tab.view.shown_empty_text() == ""


def test_the_subject_search_asks_then_says_no_one_then_nothing(qtbot, db, office):
    tab = shown(qtbot, SubjectTab(db))
    assert tab.view.shown_empty_text() == empty_lists.SUBJECT_ASK
    tab.by.setCurrentIndex(2)  # Họ tên
    qtbot.keyClicks(tab.text, "Khong Co Ai")
    click(qtbot, tab.find_button)
    assert tab.view.shown_empty_text() == "Không có hồ sơ nào của người có họ tên đã gõ."
    tab.by.setCurrentIndex(1)  # Số điện thoại
    tab.text.clear()
    qtbot.keyClicks(tab.text, "0382 123 428")
    click(qtbot, tab.find_button)
    assert tab.model.rowCount() == 1 and tab.view.shown_empty_text() == ""


def test_the_calendar_says_the_year_has_no_day_then_nothing(qtbot, db):
    tab = shown(qtbot, CalendarTab(db, today=TODAY), (1366, 700))
    tab.refresh()
    assert tab.days.rowCount() > 0 and tab.table.shown_empty_text() == ""  # 2025's official days
    tab.year_box.setValue(2027)  # a year the official calendar has no day of yet
    assert tab.days.rowCount() == 0
    assert tab.table.shown_empty_text() == empty_lists.calendar(2027, True)
    assert "năm 2027" in tab.table.shown_empty_text()
    tab.date.set_value(dt.date(2027, 6, 14))
    tab.kind.setCurrentIndex(tab.kind.findData("holiday"))
    qtbot.keyClicks(tab.name, "Nghi co quan")
    click(qtbot, next(b for b in tab.findChildren(type(tab.official_button))
                      if b.text() == "Lưu ngày"))
    qtbot.waitUntil(lambda: tab.days.rowCount() == 1, timeout=3000)
    assert tab.table.shown_empty_text() == ""


def test_procedures_say_none_yet_or_none_matching_the_filter(qtbot, db):
    tab = shown(qtbot, ProceduresTab(db, today=TODAY))
    tab.refresh()
    assert tab.table.shown_empty_text() == empty_lists.PROCEDURES_YET + empty_lists.PROCEDURES_HINT
    add_catalogue(db)
    tab.refresh()
    assert tab.proxy.rowCount() > 0 and tab.table.shown_empty_text() == ""
    qtbot.keyClicks(tab.filter, "zzzz")
    assert tab.proxy.rowCount() == 0
    assert tab.table.shown_empty_text() == empty_lists.PROCEDURES_NONE


def test_units_say_none_yet_until_the_catalogue_has_one(qtbot, db):
    tab = shown(qtbot, UnitsTab(db))
    tab.refresh()
    assert tab.tree.shown_empty_text() == empty_lists.UNITS_YET + empty_lists.UNITS_HINT
    assert painted_colours(tab.tree) > 1
    add_catalogue(db)
    tab.refresh()
    assert tab.tree.topLevelItemCount() > 0 and tab.tree.shown_empty_text() == ""


def test_a_procedure_without_documents_says_so_until_one_is_added(qtbot):
    editor = shown(qtbot, ComponentsEditor(), (700, 200))
    assert editor.table.shown_empty_text() == \
        empty_lists.COMPONENTS_NONE + empty_lists.COMPONENTS_HINT
    assert painted_colours(editor.table) > 1
    click(qtbot, editor.add_button)
    assert editor.table.rowCount() == 1 and editor.table.shown_empty_text() == ""


def test_a_dossiers_complaints_and_payments_say_there_is_none(qtbot, db, office):
    dossier = office["Đồng Văn Giáp"]  # a building permit: 75.000 đ to pay, nothing paid
    dialog = shown(qtbot, DossierDialog(db, dossier), (1366, 728))
    table = dialog.payments_box.table
    assert table.rowCount() == 0
    assert table.shown_empty_text() == empty_lists.PAYMENTS_NONE + empty_lists.PAYMENTS_HINT
    assert painted_colours(table) > 1  # one row high: the sentence still fits
    bar = dialog.tabs.tabBar()
    index = dialog.tabs.indexOf(dialog.complaints_box)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    listed = dialog.complaints_box.findChild(ComplaintsTable)
    assert listed.shown_empty_text() == \
        empty_lists.COMPLAINTS_NONE + empty_lists.COMPLAINTS_HINT
    complaints.add_complaint(db, dossier, channel="phone", content="Hỏi tiến độ")
    dossiers.add_payment(db, dossier, amount=75000, method="cash",
                         paid_at=dt.datetime(2025, 6, 3, 9, 0))
    again = shown(qtbot, DossierDialog(db, dossier), (1366, 728))
    assert again.payments_box.table.shown_empty_text() == ""
    assert again.complaints_box.findChild(ComplaintsTable).shown_empty_text() == ""
