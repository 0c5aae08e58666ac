"""The reconciliation window on the office PC's screen (1366×768 less a 40 px taskbar: the
suite's screen, tests/office_screen.json): with a provincial file's columns in the pickers its
four fixed columns of fields made it 1,386 px wide, past the screen's edge. Every button and
field now lies inside the window (the fields inside their scroll area, reached by scrolling
down, never cut sideways), and a greyed button says why."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from core.transfer.profiles import NATIONAL_COLUMNS, save_profile
from gui import file_dialogs, widgets
from gui.reconciliation.mapping import BUILTIN_KEPT, NO_COLUMNS, NO_FILE_ROW
from gui.reconciliation.screen import NO_FILE, NO_RESULT
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import choose, dialog, office, run  # noqa: F401

FIELDS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def shown_fields(window: QWidget) -> list[QWidget]:
    return [w for kind in FIELDS for w in window.findChildren(kind)
            if w.isVisibleTo(window) and w.window() is window
            and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))]


def outside(window: QWidget) -> list[str]:
    """What the clerk cannot reach: the window past the screen (with a real title bar), or
    a button or field outside the window, or outside the area its scroll area scrolls."""
    area = QApplication.primaryScreen().availableGeometry()
    extra_w, extra_h = widgets.FRAME_ALLOWANCE
    out = []
    if window.width() + extra_w > area.width() or window.height() + extra_h > area.height():
        out.append(f"window {window.width()}×{window.height()} on {area.width()}×{area.height()}")
    scroll = getattr(window.mapping, "fields", None)
    for field in shown_fields(window):
        name = getattr(field, "text", lambda: "")() or field.objectName() or type(field).__name__
        if not window.rect().contains(rect_in(field, window)):
            out.append(f"“{name}” at {rect_in(field, window).getRect()}")
        if scroll is not None and scroll.isAncestorOf(field):  # scrolled into view, it is inside the viewport
            scroll.ensureWidgetVisible(field)
            QApplication.processEvents()
            seen = scroll.viewport().rect()
            if not seen.contains(rect_in(field, scroll.viewport())):
                out.append(f"“{name}” cut in the scroll area: {rect_in(field, scroll.viewport())}")
    return out


def with_file(qtbot, dialog, tmp_path, monkeypatch) -> None:  # noqa: F811
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)


def test_everything_is_on_the_office_screen(qtbot, window_font, dialog, tmp_path,  # noqa: F811
                                            monkeypatch):
    area = QApplication.primaryScreen().availableGeometry()
    assert (area.width(), area.height()) == (1366, 728)
    with_file(qtbot, dialog, tmp_path, monkeypatch)
    qtbot.wait(50)
    assert len([p for p in dialog.mapping.pickers.values() if p.currentData()]) >= 9
    assert outside(dialog) == []
    grid = dialog.mapping.grid
    assert grid.columns >= 3  # the width used, not one long column
    assert grid.width() <= dialog.mapping.fields.viewport().width()  # never cut sideways
    # the results too: every tab's buttons and the summary's line
    run(qtbot, dialog)
    assert outside(dialog) == []


def test_a_narrow_window_wraps_the_fields_to_fewer_columns(  # noqa: F811
        qtbot, window_font, dialog, tmp_path, monkeypatch):  # noqa: F811
    with_file(qtbot, dialog, tmp_path, monkeypatch)
    wide = dialog.mapping.grid.columns
    dialog.resize(dialog.minimumSizeHint().width(), dialog.height())
    qtbot.waitUntil(lambda: dialog.mapping.grid.columns < wide, timeout=3000)
    assert outside(dialog) == []


def test_a_greyed_button_says_why(qtbot, dialog, office, tmp_path, monkeypatch):  # noqa: F811
    panel = dialog.mapping
    for button, why in ((dialog.run_button, NO_FILE), (dialog.import_button, NO_FILE),
                        (dialog.pdf_button, NO_RESULT), (dialog.xlsx_button, NO_RESULT),
                        (panel.save_button, NO_COLUMNS), (panel.rename_button, BUILTIN_KEPT),
                        (panel.delete_button, BUILTIN_KEPT), (panel.header_row, NO_FILE_ROW)):
        assert not button.isEnabled() and why in button.toolTip(), why
    save_profile(office, "iGate", dict(NATIONAL_COLUMNS))
    panel.reload_profiles("iGate")
    with_file(qtbot, dialog, tmp_path, monkeypatch)
    for button in (dialog.run_button, panel.save_button, panel.rename_button,
                   panel.delete_button, panel.header_row):  # the usual tooltip, no "Đang mờ"
        assert button.isEnabled() and "Đang mờ" not in button.toolTip(), button.toolTip()
    assert panel.rename_button.toolTip() == "Đổi tên mẫu cột đang chọn"
    # every greyed button of the window says why
    silent = [b.text() for b in dialog.findChildren(QAbstractButton)
              if b.isVisibleTo(dialog) and not b.isEnabled() and "Đang mờ" not in b.toolTip()]
    assert silent == []


def test_ctrl_q_over_a_reconciliations_progress_asks_to_close_the_program(
        qtbot, office, db_path, tmp_path, monkeypatch, message_boxes):  # noqa: F811
    """The progress dialog belongs to the reconciliation window, a window of its own above the
    main one: Ctrl+Q over it asks the main window's quit question ("Tiếp tục làm việc": the
    program and the reconciliation stay)."""
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    from gui import closing, worker
    from gui.main_window import MainWindow
    from gui.reconciliation import screen
    from tests.gui.clicks import click, menu_pick
    go_on = threading.Event()
    real = screen.reconcile

    def slow(db, *args, progress, **kwargs):
        go_on.wait(10)
        return real(db, *args, progress=progress, **kwargs)
    monkeypatch.setattr(screen, "reconcile", slow)
    window = MainWindow(office, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    menu_pick(qtbot, window, window.reconcile_action)
    reconciling = window.reconcile_dialog
    with_file(qtbot, reconciling, tmp_path, monkeypatch)
    click(qtbot, reconciling.run_button)
    qtbot.waitUntil(lambda: any(p.isVisible() for p in reconciling.findChildren(QProgressDialog)),
                    timeout=5000)
    progress = next(p for p in reconciling.findChildren(QProgressDialog) if p.isVisible())
    qtbot.wait(100)  # the windows' own activations, shown one over the other, come first
    progress.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is progress, timeout=3000)
    qtbot.keyClick(progress, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    asked = [m for m in message_boxes if m[1] == closing.TITLE]
    assert asked and "Đang đối chiếu với hệ thống tỉnh…" in asked[0][2]
    assert window.isVisible() and reconciling.isVisible()
    go_on.set()
    worker.wait_all()
    qtbot.waitUntil(lambda: reconciling.result is not None, timeout=10000)
