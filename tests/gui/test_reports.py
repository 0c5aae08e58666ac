"""Báo cáo: the Biểu 06 columns per unit and the total for a chosen period, computed in a
worker while the screen keeps answering, sorted by a click on a column's header."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel

from core import indicators, periods
from core.indicators import vocabulary
from core.textnorm import fold
from gui import report_table, reports
from gui.reports import ReportsScreen
from tests.gui.clicks import button_named, click


def shown(screen) -> list[list[str]]:
    model = screen.table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def click_header(qtbot, view, column: int) -> None:
    header = view.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(column) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def ready(qtbot, db, **kwargs) -> ReportsScreen:
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    return screen


def test_the_model_passes_the_model_tester(qtmodeltester):
    model = report_table.Table06Model()
    unit = {"code": "X01", "name": "Xã A", "received": {"total": 3, "online": 1,
            "direct_postal": 2, "carried_over": 0}, "resolved": {"total": 1, "early": 0,
            "on_time": 1, "late": 0}, "in_progress": {"total": 2, "within_time": 2,
            "overdue": 0}, "withdrawn": 0, "on_time_rate": 1.0, "online_full": {"rate": None},
            "online_payment": {"rate": 0.5}, "satisfaction": {"rate": None}}
    model.show(report_table.unit_rows({"units": [unit], "total": unit}), by_field=False)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Xã A (X01)" and model.index(1, 0).data() == "TỔNG CỘNG"
    assert model.index(0, 13).data() == "100,00%" and model.index(0, 14).data() == "—"


def test_figures_per_unit_and_total(qtbot, db, office):
    screen = ready(qtbot, db)
    rows = shown(screen)
    assert len(rows) == 4  # three units and the total
    assert rows[3][:5] == ["TỔNG CỘNG", "6", "2", "4", "0"]  # received: total, online, direct…
    assert rows[3][13] == "100,00%"  # on-time rate
    screen.preset.setCurrentIndex(screen.preset.findData("cutoff_month"))
    assert screen.period.period() == (dt.date(2025, 5, 15), dt.date(2025, 6, 14))
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert "15/05/2025" in screen.title.text()


def test_a_header_click_sorts_by_the_figure_and_the_total_stays_last(qtbot, db, office):
    screen = ready(qtbot, db)
    before = shown(screen)
    received = {row[0]: int(row[1]) for row in before[:-1]}
    click_header(qtbot, screen.table, 1)  # "Tiếp nhận tổng số"
    first = shown(screen)
    click_header(qtbot, screen.table, 1)
    second = shown(screen)
    for rows in (first, second):
        assert rows[-1][0] == "TỔNG CỘNG" and sorted(rows) == sorted(before)
    orders = [[received[row[0]] for row in rows[:-1]] for rows in (first, second)]
    assert sorted(orders) == sorted([sorted(received.values()),
                                     sorted(received.values(), reverse=True)])
    click_header(qtbot, screen.table, 0)  # by name, without diacritics
    names = [row[0] for row in shown(screen)[:-1]]
    assert names in (sorted(names, key=fold), sorted(names, key=fold, reverse=True))
    assert names.index("UBND xã Đồng Giáp (X01)") < names.index("UBND xã Tràng Các (X02)") or \
        names[0] == "UBND xã Tràng Các (X02)"  # Đ sorts as D, not after Z


def test_the_figures_are_computed_off_the_gui_thread_and_the_screen_answers(
        qtbot, db, office, monkeypatch):
    """A slow compute (a big office) runs in a worker: while it runs, a click on a button of
    the screen is handled at once; the figures appear once it is done."""
    release, threads = threading.Event(), []
    real = indicators.compute

    def slow(*args, **kwargs):
        threads.append(threading.current_thread())
        assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(indicators, "compute", slow)
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert screen.computing() and shown(screen) == []
    qtbot.waitUntil(lambda: bool(threads), timeout=10000)  # on the GUI thread: stuck above
    assert threads[0] is not threading.main_thread()
    qtbot.keyClick(screen.preset, Qt.Key.Key_Down)  # the GUI thread answers meanwhile
    assert screen.preset.currentData() == "quarter" and screen.computing()  # from "Tháng"
    release.set()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert shown(screen)[-1][0] == "TỔNG CỘNG"


def test_a_database_opened_read_only_is_read_by_the_worker_read_only(qtbot, db, office,
                                                                      monkeypatch):
    """The window may browse a file it cannot write (spec: read-only media): the worker then
    opens it read-only too, and the figures are the same."""
    writable = ready(qtbot, db)
    expected = shown(writable)
    opened = []
    real = reports.connect_read_only

    def read_only(path):
        opened.append(path)
        return real(path)

    monkeypatch.setattr(reports, "connect_read_only", read_only)
    monkeypatch.setattr(db, "read_only", True, raising=False)
    screen = ready(qtbot, db)
    assert opened == [db.path] and shown(screen) == expected


def test_biểu_06_by_field_grouped_by_level_adds_up_to_the_unit_total(qtbot, db, office,
                                                                      monkeypatch):
    from core.votes import add_vote
    from gui import printing

    for rating in ("satisfied", "very_satisfied", "neutral"):  # votes belong to no field
        add_vote(db, unit_code="X01", rating=rating, voted_at=dt.datetime(2025, 6, 9, 10, 0))
    screen = ready(qtbot, db)
    by_unit = shown(screen)[-1][1:]  # every column: the counts and the four rates
    assert by_unit[-1] != "—"  # votes were cast: the total's satisfaction is a figure
    qtbot.keyClick(screen.by, Qt.Key.Key_Down)  # "Theo đơn vị" → "Theo lĩnh vực"
    assert screen.by.currentData() == "field"
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)  # computed in a worker
    model = screen.table.model()
    header = model.headerData(0, Qt.Orientation.Horizontal)
    assert header.startswith("Lĩnh vực, công việc")
    rows = shown(screen)
    names = [row[0] for row in rows]
    assert names[0].startswith("CẤP ") and names[-1] == "TỔNG CỘNG"
    assert any(n.startswith("    ") for n in names)  # fields under their level
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    assert rows[-1][1:] == by_unit  # its satisfaction read "—" beside the unit table's
    click_header(qtbot, screen.table, 1)  # a header click keeps levels with their fields
    assert [row[0] for row in shown(screen)] == names
    printed = []
    monkeypatch.setattr(printing, "monthly_report", lambda *args: printed.append(args))
    qtbot.mouseClick(screen.buttons["monthly"], Qt.MouseButton.LeftButton)
    assert printed and printed[0][-1] == "field"


def test_a_leader_signs_off_the_period_shown_and_a_clerk_has_no_such_button(
        qtbot, db, office, message_boxes):
    from PySide6.QtWidgets import QMessageBox

    from core import signoff
    from db import actor
    from tests.gui.accounts_setup import CLERK, LEADER, make_accounts
    people = make_accounts(db)
    actor.sign_in(people[CLERK].as_actor())
    screen = ready(qtbot, db)
    assert screen.buttons["signoff"].isHidden()
    actor.sign_in(people[LEADER].as_actor())
    screen = ready(qtbot, db)
    button = screen.buttons["signoff"]
    assert not button.isHidden()
    first, last = screen.period.period()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # asked, answered "Không": nothing
    assert signoff.latest(db, first, last, screen.period.unit()) is None
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    signed = signoff.latest(db, first, last, screen.period.unit())
    assert signed is not None and signed.login == LEADER
    assert message_boxes[-1][1] == "Duyệt số liệu" and "Hoàng Văn Đạo duyệt" in message_boxes[-1][2]


def test_a_period_not_yet_begun_cannot_be_signed_off(qtbot, db, office, message_boxes):
    """December picked on 30 November: the approval would print under a report of figures that
    do not exist yet. Core refuses, the leader reads why, nothing is recorded."""
    from PySide6.QtWidgets import QMessageBox

    from core import signoff, timefmt
    from db import actor
    from tests.gui.accounts_setup import LEADER, make_accounts
    actor.sign_in(make_accounts(db)[LEADER].as_actor())
    screen = ready(qtbot, db)
    first = timefmt.now().date() + dt.timedelta(days=10)
    screen.period.set_period(first, first + dt.timedelta(days=30))
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(screen.buttons["signoff"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("chưa bắt đầu" in box[2] for box in message_boxes), timeout=10000)
    assert signoff.latest(db, first, first + dt.timedelta(days=30), None) is None


def test_the_sign_off_names_the_chosen_unit_without_the_pickers_indent(qtbot, db, office,
                                                                       message_boxes):
    """The question and the receipt read "của UBND xã …", not "của \u2003\u2003UBND xã …"
    (a commune sits indented under its district in the unit picker)."""
    from PySide6.QtWidgets import QMessageBox

    from db import actor
    from tests.gui.accounts_setup import LEADER, make_accounts
    actor.sign_in(make_accounts(db)[LEADER].as_actor())
    screen = ready(qtbot, db)
    box = screen.period.unit_box
    indented = next(i for i in range(box.count()) if box.itemText(i).startswith("\u2003"))
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(indented):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    name = box.itemText(indented).strip()
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(screen.buttons["signoff"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("duyệt số liệu" in m[2] for m in message_boxes), timeout=10000)
    texts = [m[2] for m in message_boxes]
    assert all("\u2003" not in text for text in texts), texts
    assert any(f"của {name}?" in text for text in texts)
    assert any(f"của {name} lúc" in text for text in texts)


def test_the_chosen_unit_is_read_whole_at_1366_px(qtbot, db, office):
    """The unit picker kept 16 letters ("UBND xã Tri Lễ (000.4") with the row's spare width
    empty beside it."""
    screen = ready(qtbot, db)
    screen.resize(1366 - 150, 600)  # the window's width less its navigation list
    box = screen.period.unit_box
    longest = max(range(1, box.count()), key=lambda i: len(box.itemText(i)))
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(longest):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    text = box.currentText()
    assert box.width() > box.fontMetrics().horizontalAdvance(text) + 30, (box.width(), text)
    assert screen.sizeHint().width() <= 1366 - 150  # and the row still fits the screen


def test_a_commune_with_its_national_code_is_read_whole_at_1366_px(qtbot, db, office,
                                                                   window_font):
    """The walkthrough on the 30k demo: "UBND xã Yên Phúc (000.43.00.H3" — the two typed
    days (each a line edit inside) took as much of the row's spare width as the unit."""
    from db.connection import transaction
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES "
                     "('000.43.00.H37', 'UBND xã Yên Phúc', 'commune', 'H01')")
    screen = ready(qtbot, db)
    screen.resize(1366 - 150, 600)  # the window's width less its navigation list
    box = screen.period.unit_box
    row = box.findData("000.43.00.H37")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(row):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert box.currentData() == "000.43.00.H37"
    text = box.currentText()  # indented under its district, code and all
    assert box.width() > box.fontMetrics().horizontalAdvance(text) + 30, (box.width(), text)
    assert screen.sizeHint().width() <= 1366 - 150
    # each label stays beside its field ("đến" once stood 150 px before its day)
    row = screen.period.layout_
    pairs = [(row.itemAt(i).widget(), row.itemAt(i + 1).widget()) for i in range(row.count() - 1)]
    for label, field in (pair for pair in pairs if isinstance(pair[0], QLabel)):
        words_end = label.x() + label.fontMetrics().horizontalAdvance(label.text())
        assert field.x() - words_end <= 16, (label.text(), field.x() - words_end)


def test_the_period_shown_names_its_kind(qtbot, db, office):
    """The walkthrough: Báo cáo opened on this month under "Kỳ: Tự chọn", and October typed
    day by day stayed "Tự chọn" beside the title "(Tháng 10 năm 2026)"."""
    screen = ready(qtbot, db)
    assert screen.preset.currentText() == "Tháng"  # 01/06/2025 – 30/06/2025
    for edit, text in ((screen.period.from_edit, "01/05/2025"),
                       (screen.period.to_edit, "31/05/2025")):
        edit.setFocus()
        qtbot.keyClick(edit.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(edit.edit, text)
        qtbot.keyClick(edit.edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert screen.preset.currentText() == "Tháng"
    assert "Tháng 5 năm 2025" in screen.title.text()
    edit = screen.period.from_edit
    edit.setFocus()
    qtbot.keyClick(edit.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit.edit, "02/05/2025")
    qtbot.keyClick(edit.edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.preset.currentText() == "Tự chọn"  # a period of one's own
    screen.preset.setFocus()  # a preset chosen with the keys still sets its days
    qtbot.keyClick(screen.preset, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.preset.currentText() == "Tháng"  # of the month in "tháng": May's, typed
    assert screen.period.period() == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))


def test_every_rate_is_in_sight_at_1366_px_without_scrolling(qtbot, db, office):
    """The walkthrough: at 1366 px the four rates a leader signs (đúng hạn, toàn trình, thanh
    toán trực tuyến, hài lòng) lay past the right edge, behind the horizontal scroll bar."""
    screen = ready(qtbot, db)
    table, header = screen.table, screen.table.horizontalHeader()
    screen.resize(1366 - 150, 600)  # the window's width less its navigation list
    qtbot.waitUntil(lambda: table.viewport().width() < 1366 - 150 - 20)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
    last = header.count() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= \
        table.viewport().width()
    metrics = header.fontMetrics()
    for column in range(1, header.count()):  # each figure and each word of its header whole
        text = screen.model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= max(map(metrics.horizontalAdvance, text.split()))
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)
        lines = metrics.boundingRect(QRect(0, 0, header.sectionSize(column) - 8, 10_000),
                                     int(Qt.TextFlag.TextWordWrap), text).height()
        assert header.height() >= lines, (text, header.height(), lines)
    rates = [screen.model.headerData(c, Qt.Orientation.Horizontal) for c in range(13, 17)]
    assert rates == [f"{vocabulary.INDICATORS[k].short} (%)" for k in vocabulary.KEYS]
    name = screen.model.index(0, 0)  # the unit column may elide: the whole name on hover
    assert name.data(Qt.ItemDataRole.ToolTipRole) == name.data()
    screen.resize(1920 - 150, 1000)  # a wide screen: the names whole, still no scrolling
    qtbot.waitUntil(lambda: header.sectionSize(0) >= table.sizeHintForColumn(0))
    assert table.horizontalScrollBar().maximum() == 0


def test_a_long_unit_name_is_whole_at_1366_when_the_figures_leave_room(qtbot, db, office):
    """The walkthrough: at 1366 px the names column was held to 45% of what the figures left,
    "UBND xã Văn Q…00.41.00.H37)" on every row (neither name nor code whole) while each figure
    column had 15 px to spare; at 1920 px a province centre's branch was still cut."""
    from db.connection import transaction
    with transaction(db) as conn:
        conn.execute("UPDATE units SET name = ? WHERE code = 'X01'",
                     ("Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",))
    screen = ready(qtbot, db)
    table, header = screen.table, screen.table.horizontalHeader()
    screen.resize(1366 - 150, 600)  # the window's width less its navigation list
    qtbot.waitUntil(lambda: table.viewport().width() < 1366 - 150 - 20)
    model = screen.model
    row = next(r for r in range(model.rowCount()) if "Trung tâm" in model.index(r, 0).data())
    name = model.index(row, 0).data()
    needed = table.fontMetrics().horizontalAdvance(name) + 8
    qtbot.waitUntil(lambda: header.sectionSize(0) >= needed)  # whole, not elided
    assert table.horizontalScrollBar().maximum() == 0  # and every rate still in sight
    for column in range(1, header.count()):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)


def test_no_two_figure_columns_read_alike(qtbot, db, office):
    """Two columns were headed "Quá hạn" (one with a trailing space): a leader could not tell
    the dossiers resolved late from those still open past their due time."""
    screen = ready(qtbot, db)
    model = screen.table.model()
    headers = [" ".join(str(model.headerData(c, Qt.Orientation.Horizontal)).split())
               for c in range(model.columnCount())]
    assert len(set(headers)) == len(headers), headers
    overdue = next(c for c, (_, path, _) in enumerate(report_table.COLUMNS, start=1)
                   if path == "in_progress.overdue")
    assert headers[overdue].startswith("Đang giải quyết")
    assert model.headerData(overdue, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) \
        == "Hồ sơ đang giải quyết quá hạn"  # core.indicators.vocabulary, as its list is titled


def type_into(qtbot, field, text: str) -> None:
    """As a leader types: the field clicked, its text selected, the new one typed, Tab."""
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


def test_a_month_typed_sets_its_days_and_the_figures(qtbot, db, office, monkeypatch):
    """The walkthrough: doing October's month end a leader typed both days by hand, Báo cáo
    having no month field (Tổng quan had one). "tháng" now sets the days of the kind chosen,
    the typed days still make a period of one's own, and the Excel takes the period shown."""
    screen = ready(qtbot, db)
    assert screen.month_edit.text() == "06/2025" and screen.preset.currentText() == "Tháng"
    type_into(qtbot, screen.month_edit, "05/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert screen.period.from_edit.text() == "01/05/2025"
    assert screen.period.to_edit.text() == "31/05/2025"
    assert "Tháng 5 năm 2025" in screen.title.text() and screen.preset.currentText() == "Tháng"
    screen.month_edit.setFocus()
    qtbot.keyClick(screen.month_edit.edit, Qt.Key.Key_Up)  # the month after, as on Tổng quan
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    screen.preset.setFocus()
    qtbot.keyClick(screen.preset, Qt.Key.Key_Down)  # Quý: the quarter of that month
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.preset.currentData() == "quarter"
    assert screen.period.period() == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert screen.month_edit.text() == "06/2025"  # the month typed stays
    assert "Từ ngày 01/04/2025 đến ngày 30/06/2025" in screen.title.text()
    # days typed by hand: a period of one's own, which the month field does not undo
    type_into(qtbot, screen.period.from_edit, "03/04/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.preset.currentText() == "Tự chọn"
    assert screen.period.period() == (dt.date(2025, 4, 3), dt.date(2025, 6, 30))
    assert "Từ ngày 03/04/2025" in screen.title.text()
    # October typed day by day names its month in the field too
    type_into(qtbot, screen.period.from_edit, "01/03/2025")
    type_into(qtbot, screen.period.to_edit, "31/03/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.preset.currentText() == "Tháng" and screen.month_edit.text() == "03/2025"
    # under "Tự chọn" a month typed is that month
    type_into(qtbot, screen.period.to_edit, "20/03/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.preset.currentText() == "Tự chọn"
    type_into(qtbot, screen.month_edit, "5/2025")
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.preset.currentText() == "Tháng"
    assert screen.period.period() == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    assert "Tháng 5 năm 2025" in screen.title.text()
    # a month that is not one is said under the days; the figures shown stay May's
    type_into(qtbot, screen.month_edit, "13/2025")
    assert screen.period.problem.isVisible() and "13" in screen.period.problem.text()
    assert screen.period.period() == (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    type_into(qtbot, screen.month_edit, "05/2025")
    assert not screen.period.problem.isVisible()
    # the Excel of the screen is of exactly the period shown
    asked = []
    import gui.form_export
    monkeypatch.setattr(gui.form_export, "export_form",
                        lambda _parent, _path, kind, period, unit, by: asked.append((kind, period)))
    click(qtbot, button_named(screen, "Xuất Excel Biểu 06…"))
    assert asked == [("bieu06", periods.Period(dt.date(2025, 5, 1), dt.date(2025, 5, 31)))]


@pytest.mark.parametrize("today, opens", [
    (dt.date(2026, 12, 1), (dt.date(2026, 11, 1), dt.date(2026, 11, 30))),  # 1st working day
    (dt.date(2026, 12, 7), (dt.date(2026, 11, 1), dt.date(2026, 11, 30))),  # 5th
    (dt.date(2026, 12, 8), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),  # 6th: its own
])
def test_in_a_months_first_working_days_it_opens_on_the_month_before(qtbot, db, office,
                                                                       today, opens):
    """The walkthrough: on 01/12 Báo cáo opened on December, empty, while the leader was to
    report November (the monthly report is made in the first days of the next month)."""
    screen = ReportsScreen(db, today=today)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == opens
    assert screen.month_edit.text() == f"{opens[0]:%m/%Y}" and screen.preset.currentText() == "Tháng"
    assert f"Tháng {opens[0].month} năm {opens[0].year}" in screen.title.text()
