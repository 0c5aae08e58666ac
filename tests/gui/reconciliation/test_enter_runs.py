"""A clerk who works from the keyboard: once the provincial file is chosen, the period typed and
Enter pressed run «Đối chiếu». Before, Enter pressed the dialog's first button, «Chọn tệp…»: the
file dialog opened again over the dates just typed, and the comparison never ran."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui import file_dialogs, worker
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401


def test_enter_after_the_dates_runs_the_comparison_not_the_file_dialog(
        qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    asked: list[str] = []

    def open_file_name(*_args, **_kwargs):
        asked.append("file")
        return str(source)
    monkeypatch.setattr(file_dialogs, "open_file_name", open_file_name)
    choose(qtbot, dialog)
    assert asked == ["file"]
    field = dialog.date_to.edit
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "31/01/2025")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert asked == ["file"]  # the file dialog was not opened again
    worker.wait_all()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    assert dialog.result.date_to.isoformat() == "2025-01-31"


def test_before_a_file_is_chosen_enter_opens_the_file_dialog(qtbot, dialog, tmp_path,  # noqa: F811
                                                            monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: asked.append("f") or "")
    field = dialog.date_from.edit
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert asked == ["f"]  # the first step, the only one Enter can take yet
