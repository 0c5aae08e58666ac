"""The dossier register: lazy model, tabs, filters, diacritic-free search, sorting, colours."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from gui.dossiers.register_model import OVERDUE_BG, SOON_BG, RegisterModel
from gui.dossiers.register_view import RegisterScreen
from gui.lazymodel import ID_ROLE
from tests.gui.clicks import click


def _codes_and_names(model):
    return [model.index(r, 2).data() for r in range(model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, db, office):
    model = RegisterModel(db)
    model.prepare()
    model.reload()
    assert model.rowCount() == 6
    qtmodeltester.check(model)


def test_newest_dossier_first_with_vietnamese_columns(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    model = screen.model
    assert model.index(0, 2).data() == "Nguyễn Thị Lan"  # received 10/06, the latest
    assert model.index(0, 4).data() == "Trực tuyến"
    assert model.index(0, 5).data() == "08:30 10/06/2025"
    assert model.index(0, 8).data() == "Đã tiếp nhận"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 7)] == \
        ["Mã hồ sơ", "Thời gian còn lại"]


def test_time_left_in_working_time_and_colours(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    rows = {screen.model.index(r, 2).data(): r for r in range(screen.model.rowCount())}
    model = screen.model
    # Lê Thị Hà: 1 working day from Mon 02/06 09:00 -> Tue 03/06 09:00; now Wed 11/06 09:30
    late = rows["Lê Thị Hà"]
    assert model.index(late, 6).data() == "09:00 03/06/2025"
    assert model.index(late, 7).data() == "Quá hạn 6 ngày"
    assert model.index(late, 0).data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BG
    # Đồng Văn Giáp: 15 working days from Mon 02/06 08:00 -> Mon 23/06 08:00
    giap = rows["Đồng Văn Giáp"]
    assert model.index(giap, 6).data() == "08:00 23/06/2025"
    assert model.index(giap, 7).data() == "Còn 7 ngày 6 giờ"  # 7 days + 6 h 30 min of work
    assert model.index(giap, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    done = rows["Phạm Minh Đức"]
    assert model.index(done, 7).data() == "Trước hạn"
    assert model.index(rows["Hoàng Thu Trang"], 7).data() == "Tạm dừng tính hạn"


def test_tabs_count_and_filter(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    assert screen.tabs.tabText(0) == "Tất cả (6)"
    assert screen.tabs.tabText(1) == "Đang giải quyết (5)"
    assert screen.tabs.tabText(3) == "Quá hạn (3)"
    assert screen.tabs.tabText(4) == "Chờ bổ sung (1)"
    screen.tabs.setCurrentIndex(3)
    assert sorted(_codes_and_names(screen.model)) == ["Lê Thị Hà", "Nguyễn Thị Lan", "Trần Văn Bình"]
    screen.tabs.setCurrentIndex(4)
    assert _codes_and_names(screen.model) == ["Hoàng Thu Trang"]


def test_due_soon_tab(qtbot, db, office):
    from core import dossiers
    dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Vũ Văn Nam", received_at=dt.datetime(2025, 6, 11, 9, 0))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.tabs.setCurrentIndex(2)
    assert _codes_and_names(screen.model) == ["Vũ Văn Nam"]
    assert screen.model.index(0, 7).data() == "Còn 7 giờ"  # due Thu 09:00, 7 h 30 min away
    assert screen.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color() == SOON_BG


def test_search_ignores_diacritics_and_d(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    for text in ("van giap", "ĐỒNG VĂN GIÁP", "0382123428", "x01-250602", "giap van dong"):
        screen.search.setText(text)
        screen.apply_filters()
        assert _codes_and_names(screen.model) == ["Đồng Văn Giáp"], text
    screen.search.setText("không có ai")
    screen.apply_filters()
    assert screen.model.rowCount() == 0


def test_search_finds_the_address_and_the_unit_typed_without_diacritics(qtbot, db, office):
    """Issue 14.8: what clerks type — a commune's name, a village — finds its dossiers."""
    from core import dossiers
    dossiers.correct_field(db, office["Trần Văn Bình"], "applicant_address",
                           "Thôn Nà Làng, xã Yên Phúc", reason="Bổ sung địa chỉ")
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.mouseClick(screen.search, Qt.MouseButton.LeftButton)
    assert "địa chỉ" in screen.search.placeholderText() and "đơn vị" in screen.search.placeholderText()
    qtbot.keyClicks(screen.search, "dong giap")  # the unit UBND xã Đồng Giáp (X01)
    screen.apply_filters()
    assert sorted(_codes_and_names(screen.model)) == ["Nguyễn Thị Lan", "Phạm Minh Đức", "Đồng Văn Giáp"]
    screen.search.clear()
    qtbot.keyClicks(screen.search, "na lang yen")  # the applicant's village and commune
    screen.apply_filters()
    assert _codes_and_names(screen.model) == ["Trần Văn Bình"]
    screen.search.clear()
    qtbot.keyClicks(screen.search, "ang")  # a letter word starts a word: not inside "Tràng", "Làng"
    screen.apply_filters()
    assert screen.model.rowCount() == 0


def test_filters_unit_with_sub_units_channel_and_dates(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.unit_box.setCurrentIndex(screen.unit_box.findData("H01"))
    assert screen.model.rowCount() == 6  # the district's scope holds both communes
    screen.unit_box.setCurrentIndex(screen.unit_box.findData("X02"))
    assert sorted(_codes_and_names(screen.model)) == ["Hoàng Thu Trang", "Lê Thị Hà", "Trần Văn Bình"]
    click(qtbot, screen.clear_button)
    screen.channel_box.setCurrentIndex(screen.channel_box.findData("online"))
    assert sorted(_codes_and_names(screen.model)) == ["Nguyễn Thị Lan", "Phạm Minh Đức"]
    click(qtbot, screen.clear_button)
    screen.date_from.set_value(dt.date(2025, 6, 4))
    screen.date_to.set_value(dt.date(2025, 6, 5))
    assert sorted(_codes_and_names(screen.model)) == ["Hoàng Thu Trang", "Trần Văn Bình"]


def test_sort_by_any_column_in_sql(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    names = _codes_and_names(screen.model)
    assert names == sorted(names)
    screen.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    dues = [screen.model.index(r, 6).data(ID_ROLE) for r in range(screen.model.rowCount())]
    assert len(dues) == 6
    first_due = screen.model.index(0, 2).data()
    assert first_due == "Lê Thị Hà"  # due 03/06 09:00, the earliest


def test_a_full_length_dossier_code_is_never_cut_off(qtbot, db, office):
    """Real unit identifiers are 13 characters (000.29.27.H37): the sequence at the end of the
    code is what the clerk reads aloud, so the column fits the whole code."""
    from core import dossiers
    from db.connection import transaction
    from gui.dashboard.screen import DashboardScreen
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                     ["000.29.27.H37", "UBND xã Đồng Giáp", "commune", "H01"])
    _, code = dossiers.create_dossier(db, unit_code="000.29.27.H37", procedure_code="1.003003",
                                      applicant_name="Hoàng Văn Thụ", channel="direct",
                                      received_at=dt.datetime(2025, 6, 2, 8, 0))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    needed = screen.table.fontMetrics().horizontalAdvance(code) + 12  # cell margins
    assert screen.table.columnWidth(0) >= needed
    dashboard = DashboardScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(dashboard)
    dashboard.refresh()  # the late lists' models come with the first figures
    late_views = [view for view in dashboard.findChildren(type(screen.table))
                  if view.model() in dashboard.late_models.values()]
    assert len(late_views) == 2
    assert all(view.columnWidth(0) >= needed for view in late_views)


def test_enter_in_the_search_opens_the_first_result_and_down_goes_to_the_list(qtbot, db, office,
                                                                               monkeypatch):
    """Issue 14 §3: Enter after typing opens the (single or first) result at once; Down moves
    into the list with its first row selected."""
    from gui.dossiers import detail
    opened = []
    monkeypatch.setattr(detail.DossierDialog, "exec", lambda dialog: opened.append(dialog.dossier_id))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    screen.search.setFocus()
    qtbot.keyClicks(screen.search, "dong van giap")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)  # before the 250 ms search timer fires
    assert screen.model.rowCount() == 1 and len(opened) == 1
    assert screen.model.id_at(0) == opened[0]
    qtbot.keyClick(screen.search, Qt.Key.Key_Down)
    assert screen.focusWidget() is screen.table and screen.table.currentIndex().row() == 0


def test_tab_from_the_search_reaches_the_list_through_the_filters(qtbot, db, office):
    """Issue 14 §3: Tab follows the screen and never stays in the "Nhận từ" date field (it
    swallowed every Tab while showing "—")."""
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()
    qtbot.waitExposed(screen)
    screen.focus_search()
    visited = []
    for _ in range(12):
        qtbot.keyClick(screen.focusWidget(), Qt.Key.Key_Tab)
        visited.append(screen.focusWidget())
        if visited[-1] is screen.table:
            break
    assert visited == [screen.unit_box, screen.procedure_box, screen.channel_box,
                       screen.status_box, screen.date_from.edit, screen.date_to.edit, screen.clear_button,
                       screen.tabs, screen.table]
    for _ in range(3):
        qtbot.keyClick(screen.focusWidget(), Qt.Key.Key_Backtab)
    assert screen.focusWidget() is screen.date_to.edit  # and back again


def test_a_filled_date_filter_lets_tab_go_on_too(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()
    qtbot.waitExposed(screen)
    screen.date_from.set_value(dt.date(2025, 6, 1))
    screen.date_from.setFocus()
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Tab)
    assert screen.focusWidget() is screen.date_to.edit


def test_the_register_shows_every_column_at_1366_px(qtbot, db, db_path, office):
    """Issue 14 §2: in the maximised window on a 1366×768 PC "Thời gian còn lại" and "Trạng
    thái" are in view without scrolling sideways; codes, times and statuses are whole."""
    from core.labels import STATUS_VI
    from gui.main_window import MainWindow
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.showMaximized()
    qtbot.waitExposed(window)
    screen = window.show_screen("dossiers")
    qtbot.wait(20)
    table, header = screen.table, screen.table.horizontalHeader()
    assert window.width() <= 1366
    last = table.model().columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= \
        table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    metrics = table.fontMetrics()
    assert table.columnWidth(0) > metrics.horizontalAdvance("000.31.27.H37-261130-0001")
    assert table.columnWidth(5) > metrics.horizontalAdvance("09:34 30/11/2026")
    assert table.columnWidth(8) > max(metrics.horizontalAdvance(s) for s in STATUS_VI.values())
    assert table.columnWidth(1) >= 80  # the procedure keeps a readable start


def test_reversed_days_are_said_beside_them_and_nothing_is_listed(qtbot, db, office):
    """Nhận từ after đến: said in Vietnamese beside the days (core.periods.require_order, the
    rule of Thanh toán and Đánh giá too), no row and no count shown; set right, the list is back."""
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    screen.date_from.set_value(dt.date(2025, 6, 5))
    screen.date_to.set_value(dt.date(2025, 6, 4))
    said = "Ngày bắt đầu 05/06/2025 sau ngày kết thúc 04/06/2025."
    assert screen.date_problem.isVisible() and screen.date_problem.text() == said
    assert screen.summary.text() == f"Không có danh sách: {said}"
    assert screen.model.rowCount() == 0
    assert all(screen.tabs.tabText(i).endswith("(—)") for i in range(screen.tabs.count()))
    screen.date_to.set_value(dt.date(2025, 6, 5))
    assert not screen.date_problem.isVisible()
    assert sorted(_codes_and_names(screen.model)) == ["Trần Văn Bình"]  # received on 05/06
    assert "Không có danh sách" not in screen.summary.text()
