"""The register at 1366 px: the procedure column gets a readable width (it had ≈115 px, every
name cut after two words), the applicant and unit give way first; at 1920 px all are full."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui.dossiers import register_view
from gui.dossiers.register_view import NAMES, NAMES_LEAST, PROCEDURE, RegisterScreen
from tests.gui.cell_text import SCREEN_AT_1366, SCREEN_AT_1920, painted


def test_the_procedure_column_is_readable_at_1366_and_the_names_full_at_1920(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366 - 160, 600)  # the register beside the navigation list of the window
    screen.show()
    qtbot.waitExposed(screen)
    table = screen.table
    qtbot.waitUntil(lambda: table.columnWidth(PROCEDURE) >= 120, timeout=3000)
    procedure = table.columnWidth(PROCEDURE)
    assert all(table.columnWidth(c) >= least for c, least in NAMES_LEAST.items())
    assert procedure > table.columnWidth(register_view.UNIT)  # the applicant's name comes first
    shown = sum(table.columnWidth(c) for c in range(table.model().columnCount()))
    assert shown <= table.viewport().width() + 1  # still no sideways scrolling
    assert table.columnWidth(0) >= register_view.code_width(table)
    screen.resize(1920 - 160, 900)
    qtbot.waitUntil(lambda: table.columnWidth(2) == NAMES[2], timeout=3000)
    full = register_view.names_full(table)
    assert [table.columnWidth(c) for c in full] == list(full.values())
    assert table.columnWidth(PROCEDURE) > 2 * procedure


def test_the_catalogue_names_procedures_readably_at_1366(qtbot, db, office):
    from gui.catalogue.procedures_model import LIMIT, NAME
    from gui.catalogue.screen import CatalogueScreen
    screen = CatalogueScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366 - 160, 600)
    screen.tabs.setCurrentIndex(1)
    screen.show()
    screen.refresh()
    qtbot.waitExposed(screen)
    table = screen.procedures.table
    same_day = next(table.model().index(r, LIMIT) for r in range(table.model().rowCount())
                    if "trong ngày" in table.model().index(r, LIMIT).data())
    whole = table.fontMetrics().horizontalAdvance(same_day.data())
    assert table.columnWidth(LIMIT) < whole  # the same-day sentence no longer takes the room
    assert same_day.data(Qt.ItemDataRole.ToolTipRole) == same_day.data()
    qtbot.waitUntil(lambda: table.columnWidth(NAME) >= 150, timeout=3000)


def test_a_search_by_name_shows_the_given_name_it_matched_at_1366(qtbot, db, office,
                                                                  window_font):
    # at 1366 px the applicant had 104 px: "hong nhung" found "Nguyễn Thị …", hiding the match;
    # the procedure now comes first, and a name too long is cut in its middle, by words
    from core.dossiers import create_dossier
    APPLICANT = 2  # Người nộp
    create_dossier(db, unit_code="X01", procedure_code="1.004227",
                   applicant_name="Nguyễn Thị Hồng Nhung")
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(SCREEN_AT_1366, 600)
    screen.show()
    qtbot.waitExposed(screen)
    table = screen.table
    screen.refresh()
    qtbot.keyClicks(screen.search, "hong nhung")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=3000)
    index = screen.model.index(0, APPLICANT)
    assert index.data() == "Nguyễn Thị Hồng Nhung"
    assert table.columnWidth(APPLICANT) < table.fontMetrics().horizontalAdvance(index.data())
    shown = painted(table, index)  # "Nguyễn … Hồng Nhung", narrower "Nguyễn … Nhung"
    assert shown.startswith("Nguyễn … ") and shown.endswith(" Nhung"), shown
    assert "Nguyễn Thị Hồng Nhung" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert table.columnWidth(0) >= register_view.code_width(table)  # the code still whole
    shown_width = sum(table.columnWidth(c) for c in range(table.model().columnCount()))
    assert shown_width <= table.viewport().width() + 1


def test_the_applicants_whole_name_never_leaves_the_procedure_under_its_least(qtbot, db, office):
    # with DejaVu (a Linux PC, Xvfb) at 1366 the applicant's whole name left the procedure
    # 60 px, "Đăng …" on every row; a narrower register shows the same squeeze offscreen
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366 - 160 - 56, 600)
    screen.show()
    qtbot.waitExposed(screen)
    table = screen.table
    screen.refresh()
    qtbot.waitUntil(lambda: table.columnWidth(PROCEDURE) >= register_view.PROCEDURE_LEAST,
                    timeout=3000)
    assert table.columnWidth(2) >= register_view.NAMES_LEAST[2]  # the applicant's old least
    assert table.columnWidth(0) >= register_view.code_width(table)


def test_the_time_left_column_gives_the_supplement_wording_back_to_the_names(qtbot, db, office):
    # at 1366 px "Chờ bổ sung (tạm dừng)" sized the time-left column (172 px on the offices'
    # PCs) though the status beside it already says "Chờ bổ sung"; the procedure paid for it
    LEFT, STATUS = 7, 8
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366 - 160, 600)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    table, model = screen.table, screen.model
    metrics = table.fontMetrics()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    assert table.columnWidth(LEFT) < metrics.horizontalAdvance("Chờ bổ sung (tạm dừng)") + 14
    paused = [r for r in range(model.rowCount()) if model.index(r, STATUS).data() == "Chờ bổ sung"]
    assert paused, "the office has a dossier waiting for a supplement"
    for row in range(model.rowCount()):  # every time left still whole
        assert table.columnWidth(LEFT) >= metrics.horizontalAdvance(
            model.index(row, LEFT).data()) + 8
    assert table.columnWidth(LEFT) >= metrics.horizontalAdvance("Quá hạn 12 ngày 7 giờ") + 8


def test_a_narrow_unit_column_keeps_the_end_of_each_name(qtbot, db, office):
    # at its least width the unit column read "UBND xã …" on nearly every row
    from PySide6.QtWidgets import QStyleOptionViewItem
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366 - 160 - 56, 600)  # the squeeze of a wider font at 1366
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    table, model = screen.table, screen.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    unit = register_view.UNIT
    index = next(model.index(r, unit) for r in range(model.rowCount())
                 if model.index(r, unit).data() == "UBND xã Tràng Các")
    width = table.columnWidth(unit)
    assert width < table.fontMetrics().horizontalAdvance(index.data())  # it must be cut
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.textElideMode = table.textElideMode()
    table.itemDelegateForIndex(index).initStyleOption(option, index)
    shown = table.fontMetrics().elidedText(index.data(), option.textElideMode, width - 8)
    assert shown.endswith("Tràng Các") and shown.startswith("…"), shown


def test_a_unit_resolving_for_another_reads_whole_on_a_wide_screen(qtbot, db, office):
    # at 1920 px the unit column kept 150 px: "… UBND xã Yên Phúc)" beside a 580-px procedure
    import datetime as dt

    from core.dossiers import create_dossier
    create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Hà Văn Sơn",
                   competent_unit_code="X02", received_at=dt.datetime(2025, 6, 10, 9, 0))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1920 - 160, 900)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    table, model = screen.table, screen.model
    unit = register_view.UNIT
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    text = next(model.index(r, unit).data() for r in range(model.rowCount())
                if "giải quyết" in model.index(r, unit).data())
    assert text == "UBND xã Đồng Giáp (giải quyết: UBND xã Tràng Các)"
    qtbot.waitUntil(lambda: table.columnWidth(unit)
                    >= table.fontMetrics().horizontalAdvance(text) + 8, timeout=3000)
    assert table.columnWidth(PROCEDURE) >= 300  # the procedure still the widest


LONG_PROCEDURE = ("Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản "
                  "khác gắn liền với đất lần đầu")


def test_the_procedure_shares_the_width_first_at_1366_in_the_windows_font(qtbot, db, office,
                                                                          window_font):
    # the lead at 1366 px (the window's 10-pt font): the procedure stayed at its 100-px least,
    # "Đăng ký kh…" on every row, while the applicant's whole name and the unit took the rest
    import datetime as dt

    from core.dossiers import create_dossier
    from db.connection import transaction
    with transaction(db) as conn:
        conn.execute("INSERT INTO procedures(code, name, field, limit_value, limit_unit, fee, "
                     "online_level, paper_result) VALUES ('1.012345', ?, 'Đất đai', 30, "
                     "'working_days', 0, 'partial', 1)", [LONG_PROCEDURE])
    create_dossier(db, unit_code="X01", procedure_code="1.012345", applicant_name="Lê Văn Nam",
                   received_at=dt.datetime(2025, 6, 11, 9, 0))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(SCREEN_AT_1366, 600)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    table, model = screen.table, screen.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    index = next(model.index(r, PROCEDURE) for r in range(model.rowCount())
                 if model.index(r, PROCEDURE).data() == LONG_PROCEDURE)
    at_1366 = table.columnWidth(PROCEDURE)
    assert at_1366 >= 150, at_1366
    shown = painted(table, index)
    assert shown.endswith("…") and len(shown) >= 20, shown  # "Đăng ký, cấp Giấy chứ…"
    assert LONG_PROCEDURE in index.data(Qt.ItemDataRole.ToolTipRole)
    assert at_1366 > max(table.columnWidth(c) for c in NAMES)  # the widest of the three
    assert all(table.columnWidth(c) >= least for c, least in NAMES_LEAST.items())
    assert table.columnWidth(0) >= register_view.code_width(table)
    assert table.horizontalScrollBar().maximum() == 0  # nothing scrolls sideways
    assert sum(table.columnWidth(c) for c in range(model.columnCount())) \
        <= table.viewport().width() + 1
    screen.resize(SCREEN_AT_1920, 900)
    qtbot.waitUntil(lambda: table.columnWidth(PROCEDURE) >= 300, timeout=3000)
    assert table.columnWidth(PROCEDURE) > at_1366 + 100
    full = register_view.names_full(table)
    assert [table.columnWidth(c) for c in full] == list(full.values())
    assert table.horizontalScrollBar().maximum() == 0


def test_a_unit_resolving_for_another_is_cut_to_its_resolving_unit_at_1366(qtbot, db, office,
                                                                           window_font):
    # cut at its start as one text, "UBND xã Đồng Giáp (giải quyết: UBND xã Tràng Các)" read
    # "…xã Tràng Các)": a stray ")" and nothing saying another unit resolves it
    import datetime as dt

    from core.dossiers import create_dossier
    create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Hà Văn Sơn",
                   competent_unit_code="X02", received_at=dt.datetime(2025, 6, 11, 9, 0))
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(SCREEN_AT_1366, 600)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    table, model = screen.table, screen.model
    unit = register_view.UNIT
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    rows = {model.index(r, unit).data(): r for r in range(model.rowCount())}
    whole = "UBND xã Đồng Giáp (giải quyết: UBND xã Tràng Các)"
    index = model.index(rows[whole], unit)
    shown = painted(table, index)
    assert shown.count("(") == shown.count(")"), shown  # no stray parenthesis
    assert shown.startswith("→ ") and shown.endswith("ràng Các"), shown  # "→ …ràng Các"
    assert whole in index.data(Qt.ItemDataRole.ToolTipRole)
    plain = painted(table, model.index(rows["UBND xã Tràng Các"], unit))
    assert plain.endswith("Tràng Các") and not plain.startswith("→"), plain
    # wider, the whole is cut at its start only while the resolving part stays whole
    table.setColumnWidth(unit, table.fontMetrics().horizontalAdvance(
        "…ồng Giáp (giải quyết: UBND xã Tràng Các)") + 12)
    shown = painted(table, index)
    assert shown.startswith("…") and shown.endswith("(giải quyết: UBND xã Tràng Các)"), shown
