"""The side-by-side indicators at the office's 1366 px: each row's figures next to its name."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import choose, dialog, office, run  # noqa: F401  (fixtures)


def test_the_change_column_sits_beside_the_figures(qtbot, dialog, tmp_path,  # noqa: F811
                                                   monkeypatch):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    dialog.tabs.setCurrentIndex(1)
    view = dialog.views["indicators"]
    change = view.model().columnCount() - 1
    texts = [view.model().index(r, change).data() for r in range(view.model().rowCount())]
    widest = max(view.fontMetrics().horizontalAdvance(t) for t in texts + ["Thay đổi"])
    assert view.columnWidth(change) < widest + 60  # not the table's spare 500 px
    assert view.columnWidth(0) >= max(view.fontMetrics().horizontalAdvance(
        view.model().index(r, 0).data()) for r in range(view.model().rowCount()))


def test_each_difference_names_whose_dossier_it_is(qtbot, dialog, tmp_path,  # noqa: F811
                                                   monkeypatch):
    """The printed report lists the applicant beside each difference; the window did not."""
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    model = dialog.views["differences"].model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = titles.index("Chủ hồ sơ")
    rows = {model.index(r, 0).data(): model.index(r, column).data()
            for r in range(model.rowCount())}
    assert rows["XTD-250106-0001"] == "Lê Văn Cường"
