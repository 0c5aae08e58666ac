"""The start-up check of the event history: a note in the status bar, red with the dossier when
someone edited the data behind MotCua's back (issue 15 §2)."""
from __future__ import annotations

import sqlite3

import pytest

from gui import errors, history_status, worker
from gui.main_window import MainWindow


@pytest.fixture
def quiet(monkeypatch):
    """The start-up backup is not what these tests look at, and no dialog may open."""
    from core import maintenance
    monkeypatch.setattr(maintenance, "auto_backup", lambda path: None)
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))
    return shown


def open_window(qtbot, db, db_path) -> MainWindow:
    window = MainWindow(db, str(db_path))  # as the app opens it: start-up jobs included
    qtbot.addWidget(window)
    worker.wait_all()
    qtbot.waitUntil(lambda: window.history_label.text() in (history_status.OK_TEXT,
                                                            history_status.BAD_TEXT), timeout=10000)
    return window


def test_an_intact_history_says_so_quietly(qtbot, db, db_path, office, quiet):
    window = open_window(qtbot, db, db_path)
    assert window.history_label.text() == history_status.OK_TEXT
    assert "nguyên vẹn" in window.history_label.toolTip()
    assert window.statusBar().currentMessage() == "" and quiet == []


def test_an_edit_by_sql_turns_the_note_red_and_names_the_dossier(qtbot, db, db_path, office, quiet):
    code = db.execute("SELECT code FROM dossiers ORDER BY id LIMIT 1").fetchone()[0]
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE dossiers SET received_at = '2025-06-01 07:00:00' WHERE code = ?", [code])
    conn.commit()
    conn.close()
    window = open_window(qtbot, db, db_path)
    assert window.history_label.text() == history_status.BAD_TEXT
    assert code in window.history_label.toolTip()
    assert code in window.statusBar().currentMessage() and "check" in window.statusBar().currentMessage()
    assert quiet == []


def test_a_long_finding_fits_the_status_bar_and_is_whole_in_its_tooltip(qtbot, db, db_path,
                                                                        office, quiet):
    """Every dossier edited behind MotCua's back, in several fields: the finding names them
    all, longer than any screen. The status bar showed it cut (or widened the window); now a
    short text that fits, the whole finding in the tooltip."""
    codes = [row[0] for row in db.execute("SELECT code FROM dossiers ORDER BY id")]
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE dossiers SET received_at = '2025-06-01 07:00:00', channel = 'online', "
                 "status = 'done', finished_at = '2025-06-01 08:00:00'")
    conn.commit()
    conn.close()
    window = MainWindow(db, str(db_path))  # shown at once, as the app does: the check runs after
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    worker.wait_all()
    qtbot.waitUntil(lambda: window.history_label.text() == history_status.BAD_TEXT, timeout=10000)
    bar = window.statusBar()
    message, whole = bar.currentMessage(), " ".join(bar.toolTip().split())
    assert window.history_label.text() == history_status.BAD_TEXT
    assert sum(code in whole for code in codes) == 5 and "motcua check" in whole  # 5 named
    assert len(whole) > 300  # the longest finding check gives (audit.EXAMPLES dossiers named)
    assert message and "check" in message
    room = bar.width() - sum(label.width() for label in (
        window.history_label, window.backup_label, window.kiosk_label, window.counts_label,
        window.privacy_label) if label.isVisible())
    assert bar.fontMetrics().horizontalAdvance(message) < room
    assert window.width() <= 1366 and window.minimumSizeHint().width() <= 1366
