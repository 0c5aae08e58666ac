"""«Cách ghép» in the «Đã ghép» tab at the office's 1366 px (walk33): with the province's long
codes (000.42.00.H37-261106-0007) the column showed «thủ tục + chủ hồ sơ + giờ tiếp nhận, cùng
đơn …». The list says how in words that fit — the unit both sides share is the same for every
pair of a reconciliation, said in the column's tooltip — and each row's tooltip keeps the whole
explanation, with the gap."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import choose, click_tab, dialog, office, run  # noqa: F401

LONG = "000.42.00.H37-261106-0007"


def test_the_method_of_a_pair_made_by_time_is_readable_at_1366(qtbot, dialog, tmp_path,  # noqa: F811
                                                               monkeypatch):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    near = next(p for p in dialog.result.pairs if not p.by_code)
    long = replace(near, ours=replace(near.ours, code=LONG, applicant="Nguyễn Công Cường"),
                   theirs=replace(near.theirs, code="H37.42-261106-9068"),
                   unit="đơn vị giải quyết")
    dialog.models["pairs"].set_rows([long, *dialog.result.pairs])
    view = dialog.views["pairs"]
    view.resizeColumnsToContents()
    click_tab(qtbot, dialog, dialog.tabs.indexOf(view))
    model = view.model()
    method = model.columnCount() - 1
    shown = model.index(0, method).data()
    assert shown == "thủ tục + chủ hồ sơ + giờ tiếp nhận"  # 35 characters, not 58
    assert view.columnViewportPosition(method) + view.columnWidth(method) <= \
        view.viewport().width()  # no sideways scrolling
    assert view.columnWidth(method) >= view.fontMetrics().horizontalAdvance(shown) + 8, shown
    assert model.index(0, method).data(Qt.ItemDataRole.ToolTipRole) == long.how
    assert "cùng đơn vị giải quyết" in long.how and "lệch 15 phút" in long.how
    tip = model.headerData(method, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip and "cùng đơn vị" in tip


def test_the_differences_tab_says_how_in_the_same_short_words(qtbot, dialog, tmp_path,  # noqa: F811
                                                              monkeypatch):
    """The reception gap of a pair made by time is a difference now (walk33): its «Cách ghép»
    in «Khác nhau» was cut the same way."""
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    view = dialog.views["differences"]
    click_tab(qtbot, dialog, dialog.tabs.indexOf(view))
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 3).data() == "Tiếp nhận")
    assert model.index(row, 6).data() == "thủ tục + chủ hồ sơ + giờ tiếp nhận"
    assert "(lệch 15 phút)" in model.index(row, 6).data(Qt.ItemDataRole.ToolTipRole)
    tip = model.headerData(6, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "cùng đơn vị" in tip
