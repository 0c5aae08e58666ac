"""The window's start-up check names any single SQL edit or deletion of a row the history vouches
for (spec 10, issue 15 §2): from a checkpoint kept by an earlier start, the quick pass or the
whole-chain pass after it turns the status bar note red and says what is wrong."""
from __future__ import annotations

import pytest

from core.maintenance import audit_quick
from gui import errors, history_status, worker
from gui.main_window import MainWindow
from tests.core import tamper


@pytest.fixture
def quiet(monkeypatch):
    from core import maintenance
    monkeypatch.setattr(maintenance, "auto_backup", lambda path: None)
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))
    return shown


@pytest.fixture
def worked(db, frozen_now):
    tamper.build(db)
    assert all(f.ok for f in audit_quick.start_check(db))  # an earlier start kept its checkpoint
    return db


def test_an_intact_history_from_the_checkpoint_stays_green_after_both_passes(qtbot, worked, db_path,
                                                                           quiet):
    window = MainWindow(worked, str(db_path))
    qtbot.addWidget(window)
    label = window.history_label
    qtbot.waitUntil(lambda: label.text() == history_status.OK_TEXT, timeout=15000)
    qtbot.waitUntil(lambda: "Chuỗi lịch sử xử lý nguyên vẹn (" in label.toolTip(), timeout=15000)
    worker.wait_all()
    assert label.text() == history_status.OK_TEXT and "nhanh" in label.toolTip()
    assert window.statusBar().currentMessage() == "" and quiet == []


@pytest.mark.parametrize("table, statement, said", tamper.cases())
def test_the_status_bar_names_any_single_edit(qtbot, worked, db_path, quiet, table, statement, said):
    tamper.tamper(db_path, table, statement)
    window = MainWindow(worked, str(db_path))  # as the app opens it: start-up jobs included
    qtbot.addWidget(window)
    label = window.history_label
    qtbot.waitUntil(lambda: label.text() == history_status.BAD_TEXT, timeout=15000)
    worker.wait_all()
    assert said in label.toolTip()
    assert "motcua check" in window.statusBar().currentMessage()
    assert "color: #b3261e" in label.styleSheet() and quiet == []
