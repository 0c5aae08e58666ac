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
from tests.gui.test_packages import (  # noqa: F401
    counter_package,
    open_dialog,
    second_package,
    window,
)


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


def test_the_heading_counts_the_clashes_past_the_list(window, db, qtbot, monkeypatch,  # noqa: F811
                                                      counter_package):  # noqa: F811
    """Two clashes, one listed: the heading said "1 hồ sơ xung đột" beside a count of 2."""
    package, _ = counter_package
    for name in ("Khách Của Máy Này", "Người Khác Của Máy Này"):
        D.create_dossier(db, unit_code="X01", procedure_code="1.004227", applicant_name=name,
                         received_at=NOW - dt.timedelta(hours=1))
    for reads in (merge, merge.results, merge.previewed, merge.writing, merge.outcomes):
        monkeypatch.setattr(reads, "CONFLICTS_SHOWN", 1)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    row = [r for r in range(preview.counts.rowCount())
           if preview.counts.item(r, 0).text().startswith("Hồ sơ xung đột: cùng mã")][0]
    assert preview.counts.item(row, 1).text() == "2"
    assert preview.conflicts_said.text().startswith("2 hồ sơ xung đột — ")
    preview.reject()


def test_several_packages_past_the_list_together_are_said(
        window, db, qtbot, monkeypatch, counter_package, second_package):  # noqa: F811
    """Two packages of one clash each, the list holding one line in all: each package's own
    conflicts fitted its own 500, so nothing said the second package's clash was not listed."""
    (first, codes), (second, code) = counter_package, second_package
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    # this PC holds the second package's code too, for another citizen
    db.execute("UPDATE dossiers SET code = ? WHERE code = ?", (code, codes[0]))
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Người Khác Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    for reads in (merge, merge.results, merge.previewed, merge.writing, merge.outcomes):
        monkeypatch.setattr(reads, "CONFLICTS_SHOWN", 1)
    monkeypatch.setattr(file_dialogs, "open_file_names",
                        lambda *a, **k: [str(first), str(second)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.conflict_count == 2 and preview.conflicts.rowCount() == 1
    said = preview.conflicts_said.text()
    assert said.startswith("2 hồ sơ xung đột — "), said
    assert "Bảng chỉ liệt kê 1 hồ sơ xung đột đầu tiên (của cả 2 gói, theo thứ tự gói)" in said
    preview.reject()
