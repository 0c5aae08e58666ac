"""«Đối chiếu» pressed with a mapping that lacks a required column (a vendor's file, the columns
not chosen yet): the refusal came in a box titled "MotCua", as if the program had failed. It is
titled "Chưa đối chiếu", names the columns and says what to do; nothing is shown as a result."""
from __future__ import annotations

from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401


def test_a_missing_column_is_refused_under_the_windows_words(qtbot, dialog, tmp_path,  # noqa: F811
                                                             monkeypatch, message_boxes):
    header = ["So ho so" if name == "MaHoSo" else name for name in PROVINCE_HEADER]
    source = write_csv(tmp_path / "igate.csv", header, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert "thiếu cột" in dialog.mapping.note.text()
    click(qtbot, dialog.run_button)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", "Chưa đối chiếu")
    assert "thiếu cột: Mã hồ sơ" in text and "Hãy chọn lại cột" in text
    assert dialog.result is None
