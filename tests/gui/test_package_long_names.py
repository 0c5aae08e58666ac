"""Issue 16 §3, walkthrough of round 32: a centre previews its counters' packages saved under
the names the export dialog suggests (`goi-000.31.01.H01-may1-add2-tu20261203-20261204.zip`).
The file name took its whole width and the sender's column — the one that tells the counters
apart, "… — máy add2cbbc (số hiệu 1/3)" — was squeezed to "tất cả …" at 1366 px. The sender is
read whole; the file name gives way (elided in its middle, whole on its tooltip)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import dossiers as D
from core import installation
from core.database import open_database
from core.exchange import export_package
from core.exchange.export import suggested_name
from gui import file_dialogs
from gui.packages import PreviewDialog
from tests.gui.clicks import menu_pick
from tests.gui.conftest import NOW, add_catalogue
from tests.gui.test_packages import open_dialog, window  # noqa: F401 (fixture)


def counter(tmp_path, number: int) -> str:
    """Counter `number` of 3 receives two dossiers and saves its package as suggested."""
    other = open_database(tmp_path / f"quay{number}.db")
    add_catalogue(other)
    installation.set_slot(other, number, 3)
    for n in range(2):
        D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                         applicant_name=f"Khách Quầy {number} Người {n}",
                         received_at=NOW - dt.timedelta(hours=2, minutes=number * 5 + n))
    path = tmp_path / suggested_name(other, "X01", dt.date(2025, 6, 1), NOW.date())
    export_package(other, path, dt.date(2025, 6, 1), "X01")
    other.close()
    return str(path)


def test_the_sender_column_is_read_whole_beside_long_package_names(
        window, qtbot, tmp_path, monkeypatch, message_boxes, frozen_now, window_font):  # noqa: F811
    paths = [counter(tmp_path, 1), counter(tmp_path, 2)]
    assert all(len(p.rsplit("/", 1)[-1]) > 35 for p in paths)
    window.resize(1366, 728)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    qtbot.waitExposed(preview)
    assert preview.width() <= 1366
    table = preview.packages
    for row in (1, 2):
        sender = table.item(row, 1).text()
        assert sender.endswith(f"(số hiệu {row}/3)"), sender
        needed = table.fontMetrics().horizontalAdvance(sender)
        assert table.columnWidth(1) >= needed, (table.columnWidth(1), needed, sender)
        # the file name whole on its tooltip when the cell elides it
        assert table.item(row, 0).toolTip().endswith(paths[row - 1].rsplit("/", 1)[-1])
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(table.columnCount())) \
        <= table.viewport().width() + 1  # no column pushed out of sight
    preview.reject()


def test_the_elided_names_keep_what_tells_the_counters_apart(
        window, qtbot, tmp_path, monkeypatch, message_boxes, frozen_now, window_font):  # noqa: F811
    """Review of round 32: elided in its middle, both names read 'goi-X01-m…50611.zip' — the
    middle is where the counters' names differ (may1-…, may2-…). The start they all share is
    left out ('…may1-3e40-tu…'), the whole name still on the tooltip."""
    paths = [counter(tmp_path, 1), counter(tmp_path, 2)]
    window.resize(1366, 728)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    qtbot.waitExposed(preview)
    table = preview.packages
    metrics = table.fontMetrics()
    read = [metrics.elidedText(table.item(row, 0).text(), Qt.TextElideMode.ElideMiddle,
                               table.columnWidth(0) - 12) for row in (1, 2)]
    assert "may1" in read[0] and "may2" in read[1], read
    for row in (1, 2):
        assert table.item(row, 0).toolTip().endswith(paths[row - 1].rsplit("/", 1)[-1])
    preview.reject()


def test_two_packages_warnings_are_read_whole_when_the_window_has_room(
        window, qtbot, tmp_path, monkeypatch, message_boxes, frozen_now, window_font):  # noqa: F811
    """Review of round 32: the two counters' slot warnings sat in a box four lines tall, each
    cut in its second line ("…nhưng hễ cùng ngày là trùng" half hidden), above a third of the
    window left empty. Without conflicts to pick, the warnings take the spare height."""
    paths = [counter(tmp_path, 1), counter(tmp_path, 2)]
    window.resize(1366, 728)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    qtbot.waitExposed(preview)
    assert preview.height() <= 728
    area = preview.warnings_area
    assert area is not None and area.widget().layout().count() >= 2  # two warnings, a stretch
    needed = area.widget().layout().heightForWidth(area.viewport().width())
    assert area.viewport().height() >= needed, (area.viewport().height(), needed)
    preview.reject()
