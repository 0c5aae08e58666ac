"""Main window: navigation, status bar, shortcuts, remembered screen, welcome page on an empty DB."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from gui.main_window import SCREENS, MainWindow
from tests.db import older
from tests.gui.clicks import shortcut


@pytest.fixture
def window(qtbot, db, db_path, office):
    win = MainWindow(db, str(db_path))
    qtbot.addWidget(win)
    return win


def test_every_screen_opens(window):
    for key, title, _ in SCREENS:
        screen = window.show_screen(key)
        assert window.stack.currentWidget() is screen
        assert window.nav.currentItem().text() == title


def test_status_bar_shows_database_and_todays_counts(window, db_path):
    assert window.db_label.text() == f"CSDL: {db_path}"
    # now Wed 11/06 09:30: nothing received today; Nguyễn Thị Lan due 08:30 today is overdue,
    # with Lê Thị Hà and Trần Văn Bình
    assert window.counts_label.text() == "Hôm nay 11/06/2025: tiếp nhận 0 · đến hạn 1 · quá hạn 3"


def test_ctrl_f_goes_to_the_register_search(window, qtbot):
    shortcut(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    register = window.screens["dossiers"]
    assert window.stack.currentWidget() is register
    qtbot.waitUntil(register.search.hasFocus, timeout=1000)


def test_last_screen_is_remembered(qtbot, db, db_path, office):
    first = MainWindow(db, str(db_path))
    qtbot.addWidget(first)
    first.show_screen("votes")
    first.close()
    assert QSettings().value("main/screen") == "votes"
    second = MainWindow(db, str(db_path))
    qtbot.addWidget(second)
    assert second.current_key() == "votes"


def test_first_start_opens_maximised_then_keeps_the_clerks_size(qtbot, db, db_path, office):
    from PySide6.QtCore import Qt
    first = MainWindow(db, str(db_path))
    qtbot.addWidget(first)
    assert first.windowState() & Qt.WindowState.WindowMaximized
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.resize(900, 600)
    first.close()
    second = MainWindow(db, str(db_path))
    qtbot.addWidget(second)
    assert not second.windowState() & Qt.WindowState.WindowMaximized


def test_every_screen_fits_a_1366_px_screen_with_long_catalogue_names(qtbot, db, db_path, office):
    """Real procedure names run past 120 characters; no screen may force the window wider
    than the office PCs' 1366×768 screens."""
    from db.connection import transaction
    long_name = ("Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng "
                 "thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký)")
    with transaction(db) as conn:
        conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) VALUES (?,?,?,?)",
                     ["2.000884", long_name, 1, "same_day"])
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                     ["000.20.27.H37", "UBND thị trấn Văn Quan huyện Văn Quan tỉnh Lạng Sơn",
                      "commune", "H01"])
    win = MainWindow(db, str(db_path))
    qtbot.addWidget(win)
    win.show()
    for key, _, _ in SCREENS:
        win.show_screen(key)
        qtbot.wait(10)
        assert win.minimumSizeHint().width() <= 1366, key


def test_a_change_refreshes_the_visible_screen_and_the_status(window, db):
    from core import dossiers
    from gui import bus
    register = window.show_screen("dossiers")
    dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name="Vũ Nam")
    bus.notify_changed()
    assert register.model.rowCount() == 7
    assert "tiếp nhận 1" in window.counts_label.text()


def test_empty_database_shows_the_welcome_page(qtbot, db, db_path, frozen_now):
    win = MainWindow(db, str(db_path))
    qtbot.addWidget(win)
    win.show_screen("dashboard")
    page = win.screens["welcome"]
    assert win.stack.currentWidget() is page
    shortcut(qtbot, win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # no catalogue: a
    # message instead of an empty form
    assert "Chưa có danh mục thủ tục" in win.statusBar().currentMessage()


def test_no_screen_gives_a_message_instead_of_a_qt_abort():
    from gui.app import display_missing
    assert display_missing({}, "linux")
    assert not display_missing({"DISPLAY": ":99"}, "linux")
    assert not display_missing({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not display_missing({}, "win32")


def test_missing_x11_libraries_are_named_in_vietnamese_and_english(monkeypatch, capsys):
    """Issue 14 §11: without libxcb-cursor0 Qt aborted with an English plugin error."""
    import main
    from gui import app
    lacks_cursor = lambda name: name != "libxcb-cursor.so.0"  # noqa: E731
    assert app.xcb_packages_missing({"DISPLAY": ":0"}, "linux", lacks_cursor) == ["libxcb-cursor0"]
    assert app.xcb_packages_missing({"DISPLAY": ":0"}, "linux", lambda name: True) == []
    assert app.xcb_packages_missing({"QT_QPA_PLATFORM": "offscreen"}, "linux", lacks_cursor) == []
    assert app.xcb_packages_missing({"DISPLAY": ":0"}, "win32", lacks_cursor) == []
    monkeypatch.setattr(app, "xcb_packages_missing", lambda: ["libxcb-cursor0"])
    monkeypatch.setattr(app, "display_missing", lambda: False)
    assert main.run([]) == 1
    err = capsys.readouterr().err
    assert "Máy thiếu thư viện hệ thống" in err and "apt-get install libxcb-cursor0" in err


def test_rebuild_after_an_upgrade_shows_progress_and_can_be_cancelled(qtbot):
    from gui.app import RebuildProgress
    progress = RebuildProgress()
    assert progress(0, 4000) is True
    assert progress.dialog.isVisible() and progress.dialog.maximum() == 4000
    from PySide6.QtWidgets import QPushButton
    qtbot.mouseClick(progress.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Huỷ
    assert progress(2000, 4000) is False
    progress.dialog.close()


def test_the_vacuum_after_an_upgrade_shows_a_busy_bar_without_cancel(qtbot):
    """The upgrade's VACUUM (db.vacuum) says (0, 0): it cannot stop, so no "Huỷ" is offered and
    an Escape meanwhile does not stop the rebuild that follows."""
    from PySide6.QtWidgets import QPushButton

    from gui.app import RebuildProgress
    progress = RebuildProgress()
    assert progress(0, 1) is True
    assert progress(0, 0) is True and progress(0, 0) is True
    dialog = progress.dialog
    assert dialog.isVisible() and (dialog.minimum(), dialog.maximum()) == (0, 0)  # busy bar
    assert "không huỷ được" in dialog.labelText()
    assert not [b for b in dialog.findChildren(QPushButton) if b.isVisible()]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert progress(1, 1) is True  # the upgrade is over
    assert progress(0, 4000) is True and dialog.isVisible()  # the rebuild, cancellable again
    assert "cập nhật số liệu" in dialog.labelText()
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Huỷ
    assert progress(2000, 4000) is False
    dialog.close()


def test_an_upgrade_then_a_rebuild_is_not_taken_for_a_cancel(qtbot, db_path):
    """An older file is upgraded (0 of 1, 1 of 1), then its figures rebuilt (0 of N …): the end
    of the first phase must not read as "Huỷ" to the second (the window closed at once, exit
    1, with nothing said)."""
    import sqlite3

    from core.database import open_database
    from db import fulltext, settings, steps
    from gui.app import RebuildProgress, _open_window
    from tests.core.factories import add_dossier, add_procedures, add_units
    progress = RebuildProgress()
    assert progress(0, 1) and progress(1, 1) and not progress.dialog.isVisible()
    assert progress(0, 4000) and progress.dialog.isVisible()
    assert progress(4000, 4000) and not progress.dialog.isVisible()
    db = open_database(db_path)
    add_units(db)
    add_procedures(db)
    import datetime as dt
    add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 8))
    settings.put(db, "kpi_stale", 1)
    db.close()
    conn = sqlite3.connect(db_path)  # as schema 12 left it: an upgrade, then the rebuild
    older.text_events(conn)  # stored compact later (db.events_codec)
    older.stored_keys(conn)  # computed since schema 21
    conn.execute("ALTER TABLE events ADD COLUMN prev_hash BLOB")
    conn.execute("DROP TRIGGER dossiers_facts_origin")  # schema 14's
    conn.execute("CREATE INDEX dossiers_status ON dossiers(status)")  # schema 14 dropped it
    for name in ("dossiers_fts_inserted", "dossiers_fts_deleted", "dossiers_fts_changed"):
        conn.execute(f"DROP TRIGGER {name}")  # schema 15 made the search index again
    conn.execute(f"DROP TABLE {fulltext.TABLE}")
    for statement in steps.statements(fulltext.SCHEMA):  # as schema 12 made it
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 12")
    conn.commit()
    conn.close()
    window = _open_window(db_path)
    assert window is not None
    window.db.close()
    window.deleteLater()


def test_open_database_reports_rebuild_progress(db_path):
    import datetime as dt

    from core.database import open_database
    from db import settings
    from tests.core.factories import add_dossier, add_procedures, add_units
    db = open_database(db_path)
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 8))
    settings.put(db, "kpi_stale", 1)
    db.close()
    calls = []
    open_database(db_path, progress=lambda done, total: calls.append((done, total)) or True).close()
    assert calls == [(1, 1)]


def test_the_navigation_list_is_as_wide_as_its_names_at_1366(window, qtbot):
    # at a fixed 150 px it kept 40 px empty beside "Thanh toán" while the register's
    # procedure column had 100 px ("Đăng ký kh…" on every row)
    from PySide6.QtCore import QPoint
    NAV_PADDING = 8  # the items' padding in the list's style
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    nav = window.nav
    widest = max(nav.fontMetrics().horizontalAdvance(nav.item(r).text())
                 for r in range(nav.count()) if not nav.item(r).isHidden())
    for row in range(nav.count()):
        if not nav.item(row).isHidden():  # each name whole, with its padding
            assert nav.visualItemRect(nav.item(row)).width() >= \
                nav.fontMetrics().horizontalAdvance(nav.item(row).text()) + 2 * NAV_PADDING
    assert nav.width() <= widest + 2 * NAV_PADDING + 20  # no empty band beside the names
    register_row = [nav.item(r).text() for r in range(nav.count())].index("Hồ sơ")
    rect = nav.visualItemRect(nav.item(register_row))
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center()))
    assert window.stack.currentWidget() is window.screens["dossiers"]
