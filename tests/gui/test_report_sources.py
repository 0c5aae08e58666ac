"""Báo cáo at a centre that took communes' packages: before the monthly report is printed, a
line says whose data stops short of the period or left a gap (core.exchange.sources)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core import timefmt
from core.exchange import sources
from core.pdf.monthly_sources import cells
from db.connection import transaction
from gui.reports import ReportsScreen
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_sources import send, take
from tests.core.exchange.test_sources_start import NOVEMBER, PRINTED, first_packages, opened
from tests.gui.drawn import drawn, label_drawn

AFTER = dt.datetime(2025, 11, 3, 10, 0)


@pytest.fixture
def centre(tmp_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 10, 20, 16))
    centre, xa_a = office(tmp_path / "centre.db", (1, 2)), office(tmp_path / "a.db", (2, 2))
    receive(xa_a, "Trần Thị Hoa", unit="U1")
    first = send(xa_a, tmp_path / "a1.zip", dt.date(2025, 10, 1), dt.datetime(2025, 10, 20, 16), "U1")
    send(xa_a, tmp_path / "a2.zip", dt.date(2025, 10, 20), dt.datetime(2025, 10, 22, 16), "U1")
    third = send(xa_a, tmp_path / "a3.zip", dt.date(2025, 10, 22), dt.datetime(2025, 10, 25, 16), "U1")
    take(centre, first, dt.datetime(2025, 10, 21, 9))
    take(centre, third, dt.datetime(2025, 10, 26, 9))
    monkeypatch.setattr(timefmt, "now", lambda: AFTER)
    yield centre, xa_a
    centre.close()
    xa_a.close()


def ready(qtbot, db) -> ReportsScreen:
    screen = ReportsScreen(db, today=AFTER.date())
    qtbot.addWidget(screen)
    screen.resize(1366 - 150, 600)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    return screen


def test_the_centre_is_warned_before_printing_the_month(qtbot, centre):
    screen = ready(qtbot, centre[0])
    assert screen.period.period() == (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert screen.sources.isVisible() and not screen.sources.details.isVisible()
    assert "2 cảnh báo" in screen.sources.line.text()
    qtbot.mouseClick(screen.sources.line, Qt.MouseButton.LeftButton)
    said = screen.sources.details.text()
    assert screen.sources.details.isVisible()
    assert "Số liệu của Xã An Sơn (máy " in said and "chỉ đến 16:00 25/10/2025" in said
    assert "thiếu số liệu từ 16:00 20/10/2025 đến hết ngày 21/10/2025" in said


def test_a_single_pc_sees_no_such_line(qtbot, centre):
    screen = ready(qtbot, centre[1])
    assert not screen.sources.isVisible()


def test_a_unit_name_in_a_warning_shows_as_typed_line_by_line(qtbot, centre):
    """A unit's name comes from a package: '<b>X</b>' is read, not drawn bold, and each warning
    keeps its own line, opened or in the tooltip."""
    with transaction(centre[0]) as conn:
        conn.execute("UPDATE units SET name = '<b>X</b>' WHERE code = 'U1'")
    screen = ready(qtbot, centre[0])
    qtbot.mouseClick(screen.sources.line, Qt.MouseButton.LeftButton)
    warnings = label_drawn(screen.sources.details).split("\n")
    assert len(warnings) == 2 and all("<b>X</b> (máy " in said for said in warnings)
    tooltip = drawn(screen.sources.line.toolTip()).replace("\u2028", "\n").replace("\u2029", "\n")
    assert tooltip.split("\n") == warnings


def test_the_leader_opens_the_sources_table(qtbot, centre):
    """The table the monthly report prints, opened from the screen: one row per sender."""
    screen = ready(qtbot, centre[0])
    assert screen.source_bar.button.isVisible()
    qtbot.mouseClick(screen.source_bar.button, Qt.MouseButton.LeftButton)
    dialog = screen.source_bar.dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert heads[0] == "Đơn vị gửi" and heads[-1] == "Đủ số liệu của kỳ báo cáo"
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[0] == "Xã An Sơn" and row[1].startswith("máy ")
    assert row[2] == "từ 22/10/2025\nđến 16:00 25/10/2025" and row[4] == "Thiếu (xem cảnh báo)"
    assert table.rowCount() == 1 and "chỉ đến 16:00 25/10/2025" in dialog.warnings.text()
    dialog.reject()


def test_sources_without_warnings_still_open_as_a_table(qtbot, centre, tmp_path):
    later = send(centre[1], tmp_path / "a9.zip", dt.date(2025, 10, 20), dt.datetime(2025, 11, 1, 8),
                 "U1")
    take(centre[0], later, dt.datetime(2025, 11, 2, 9))
    screen = ready(qtbot, centre[0])
    assert not screen.sources.isVisible() and screen.source_bar.button.isVisible()
    qtbot.mouseClick(screen.source_bar.button, Qt.MouseButton.LeftButton)
    assert screen.source_bar.dialog.table.item(0, 4).text() == "Đủ"


def test_a_single_pc_has_no_sources_button(qtbot, centre):
    assert not ready(qtbot, centre[1]).source_bar.button.isVisible()


@pytest.fixture
def offices(tmp_path):
    with opened(tmp_path) as found:
        yield found


def test_the_table_before_a_first_package_shows_the_report_cells(qtbot, offices, tmp_path,
                                                                 monkeypatch):
    """November at a centre whose senders' first packages began on 03/12 (round 32
    walkthrough): the screen's table says what the report prints, by the one rule (cells)."""
    first_packages(offices, tmp_path)
    monkeypatch.setattr(timefmt, "now", lambda: PRINTED)
    screen = ReportsScreen(offices[0], today=PRINTED.date())
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == NOVEMBER and "1 cảnh báo" in screen.sources.line.text()
    qtbot.mouseClick(screen.source_bar.button, Qt.MouseButton.LeftButton)
    table = screen.source_bar.dialog.table
    shown = [[table.item(r, c).text() for c in range(table.columnCount())]
             for r in range(table.rowCount())]
    printed = cells(sources.sources(offices[0], *NOVEMBER, PRINTED).rows)
    assert shown == [row[1:] for row in printed]
    assert [row[-1] for row in shown] == ["Thiếu (xem cảnh báo)", "Đủ"]
    assert "chỉ có từ 03/12/2025: máy đó còn 1 hồ sơ" in \
        screen.source_bar.dialog.warnings.text()
    screen.source_bar.dialog.reject()


def test_the_screen_judges_each_unit_with_all_its_packages(qtbot, tmp_path, monkeypatch):
    """Round 33: a commune that sent its unit's packages and then all units is «Đủ» for
    October, one whose U2 dossier never travelled «Thiếu», a PC holding the centre's dossier
    «Đủ» — on the screen as in the report (cells, the one rule)."""
    from tests.core.exchange.test_held_units import OCTOBER, three_senders
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 10, 20, 16))
    centre = three_senders(tmp_path)
    monkeypatch.setattr(timefmt, "now", lambda: PRINTED)
    screen = ReportsScreen(centre, today=dt.date(2025, 11, 5))
    qtbot.addWidget(screen)
    screen.resize(1366 - 150, 600)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == OCTOBER and "1 cảnh báo" in screen.sources.line.text()
    qtbot.mouseClick(screen.source_bar.button, Qt.MouseButton.LeftButton)
    dialog = screen.source_bar.dialog
    table = dialog.table
    shown = [[table.item(r, c).text() for c in range(table.columnCount())]
             for r in range(table.rowCount())]
    assert shown == [row[1:] for row in cells(sources.sources(centre, *OCTOBER, PRINTED).rows)]
    assert sorted(row[-1] for row in shown) == ["Thiếu (xem cảnh báo)", "Đủ", "Đủ"]
    assert "(Xã Hòa Bình: 1)" in dialog.warnings.text()
    dialog.reject()
    centre.close()
