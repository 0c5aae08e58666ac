"""Báo cáo's "Xuất Excel Biểu 06" and "Xuất Excel 766": a click asks for the file, the worker
writes the form workbook of the period, unit and grouping the screen shows, with the engine's
figures, and the clerk is told where it is."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from core import indicators
from core.workbook.bieu06 import columns_3_13
from gui import file_dialogs, permissions, worker
from tests.core.workbook.demo import body, column_numbers_row
from tests.gui.test_reports import ready


def _save(qtbot, screen, monkeypatch, key: str, path) -> None:
    asked = []
    monkeypatch.setattr(file_dialogs, "save_file_name",
                        lambda *args: asked.append(args) or str(path.with_suffix("")))
    qtbot.mouseClick(screen.buttons[key], Qt.MouseButton.LeftButton)
    worker.wait_all()
    qtbot.waitUntil(path.exists, timeout=30000)
    assert asked and asked[0][2].endswith(".xlsx")  # a file name offered for the period


def test_excel_biểu_06_of_the_period_shown_has_the_engines_figures(
        qtbot, db, office, tmp_path, monkeypatch, message_boxes):
    screen = ready(qtbot, db)
    assert screen.buttons["excel06"].property(permissions.PROPERTY) == "report.print"
    path = tmp_path / "bieu06.xlsx"
    _save(qtbot, screen, monkeypatch, "excel06", path)
    sheet = load_workbook(path)["Biểu 06"]
    rows = body(sheet, column_numbers_row(sheet) + 1, 13)
    engine = indicators.compute(db, *screen.period.period())
    assert rows[-1][2:] == columns_3_13(engine["total"])
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    assert "Đã lưu Biểu 06/VPCP/KSTT" in message_boxes[-1][2] and str(path) in message_boxes[-1][2]


def test_excel_biểu_06_by_field_and_the_766_table(qtbot, db, office, tmp_path, monkeypatch,
                                                    message_boxes):
    screen = ready(qtbot, db)
    qtbot.keyClick(screen.by, Qt.Key.Key_Down)  # "Theo lĩnh vực"
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    by_field = tmp_path / "field.xlsx"
    _save(qtbot, screen, monkeypatch, "excel06", by_field)
    sheet = load_workbook(by_field)["Biểu 06"]
    assert sheet.cell(column_numbers_row(sheet) - 2, 2).value.startswith("Lĩnh vực")
    table = tmp_path / "i766.xlsx"
    _save(qtbot, screen, monkeypatch, "excel766", table)
    sheet = load_workbook(table)["Chỉ số 766"]
    total = body(sheet, column_numbers_row(sheet) + 1, 20)[-1]
    engine = indicators.compute(db, *screen.period.period())["total"]["i766"]
    assert total[2:5] == [engine["on_time"]["num"], engine["on_time"]["den"],
                          engine["on_time"]["rate"] if engine["on_time"]["rate"] is not None
                          else "—"]


def test_cancelling_the_file_dialog_writes_nothing(qtbot, db, office, tmp_path, monkeypatch):
    screen = ready(qtbot, db)
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *args: "")
    qtbot.mouseClick(screen.buttons["excel766"], Qt.MouseButton.LeftButton)
    worker.wait_all()
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_reversed_period_is_named_before_any_file_is_asked_for(qtbot, db, office, tmp_path,
                                                                monkeypatch, message_boxes):
    """From after to: the Excel buttons and the register book say which days are wrong, at once,
    instead of asking for a file (Excel) or opening an empty preview (the book)."""
    screen = ready(qtbot, db)
    screen.period.to_edit.set_value(dt.date(2025, 5, 1))
    screen.period.from_edit.set_value(dt.date(2025, 6, 20))
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    asked: list = []
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *args: asked.append(args) or "")
    message_boxes.clear()
    for key in ("excel06", "excel766", "book"):
        qtbot.mouseClick(screen.buttons[key], Qt.MouseButton.LeftButton)
    worker.wait_all()
    assert asked == []
    assert [text for _kind, _title, text in message_boxes] == [
        "Ngày bắt đầu 20/06/2025 sau ngày kết thúc 01/05/2025."] * 3
    assert list(tmp_path.glob("*.xlsx")) == []


@pytest.mark.parametrize("key", ["excel06", "excel766"])
def test_cancel_in_the_progress_dialog_stops_the_form_midway_and_leaves_no_file(
        qtbot, db, office, tmp_path, monkeypatch, message_boxes, key):
    """The clerk presses "Huỷ" while the rows are written: the worker stops before the next
    row (it does not run to the end), no file is left, and no "Đã lưu" is said."""
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from core.workbook import forms
    screen = ready(qtbot, db)
    started, go, rows = threading.Event(), threading.Event(), []
    real_row = forms.write_row

    def slow_row(*args, **kwargs):  # the first row waits for the clerk's click
        rows.append(args[1])
        started.set()
        go.wait(10)
        return real_row(*args, **kwargs)
    monkeypatch.setattr(forms, "write_row", slow_row)
    target = tmp_path / "f.xlsx"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *args: str(target))
    message_boxes.clear()
    qtbot.mouseClick(screen.buttons[key], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=30000)
    dialog = screen.findChildren(QProgressDialog)[-1]
    dialog.show()
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Huỷ")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    go.set()
    worker.wait_all()
    qtbot.wait(50)
    assert len(rows) == 1  # stopped between rows, not at the end
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".motcua-*")) == []
    assert message_boxes == []
