"""A month-end package with more conflicts than the preview lists (core's CONFLICTS_SHOWN, 500 a
package): the heading said "500 hồ sơ xung đột" beside a count of 580, and nothing said what the
80 not listed would become. It now says the list holds the first ones and what the others get."""
from __future__ import annotations

import datetime as dt

from core import dossiers as D
from core.exchange import merge
from gui import file_dialogs
from gui.packages import PreviewDialog
from tests.gui.clicks import menu_pick
from tests.gui.conftest import NOW
from tests.gui.test_packages import counter_package, open_dialog, window  # noqa: F401


def test_conflicts_past_the_list_are_said(window, db, qtbot, monkeypatch,  # noqa: F811
                                          counter_package):  # noqa: F811
    package, codes = counter_package
    for name in ("Khách Của Máy Này", "Người Khác Của Máy Này"):  # both codes clash
        D.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name=name,
                         received_at=NOW - dt.timedelta(hours=1))
    for reads in (merge, merge.results, merge.previewed, merge.writing, merge.outcomes):
        monkeypatch.setattr(reads, "CONFLICTS_SHOWN", 1)  # only the first listed
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.dossiers["conflict"] == 2
    assert preview.conflicts.rowCount() == 1
    said = preview.conflicts_said.text()
    assert "Bảng chỉ liệt kê 1 hồ sơ xung đột đầu tiên" in said
    assert "hồ sơ không liệt kê giữ như máy này" in said and "giữ cả hai" in said
    preview.reject()


def test_a_whole_list_says_nothing_more(window, db, qtbot, monkeypatch,  # noqa: F811
                                        counter_package):  # noqa: F811
    package, _ = counter_package
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.conflicts.rowCount() == 1
    assert "liệt kê" not in preview.conflicts_said.text()
    preview.reject()
