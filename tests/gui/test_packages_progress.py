"""Issue 16 §3, round 23's test: the import's progress dialog stood at 100 % with no text while
the work after the packages' rows went on (F6), and «Huỷ» closed it with no word (F7). With
real clicks: the dialog names the phase under way and is not full meanwhile; Huỷ mid-import
shows the dialog stopping, then says the import was cancelled and nothing written — and the
database is indeed as it was."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication, QProgressBar, QProgressDialog

from core.exchange import checks, merge, phases
from gui import exchange_cancel, file_dialogs, worker
from gui.packages import PreviewDialog
from tests.gui.clicks import button_named, click, menu_pick
from tests.gui.test_packages import counter_package, open_dialog, window  # noqa: F401 (fixtures)


def progress_dialog():
    found = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QProgressDialog) and w.isVisible()]
    return found[0] if len(found) == 1 else None


def held_at(monkeypatch, owner, name: str) -> tuple[threading.Event, threading.Event]:
    """`owner.name` waits, in the worker, till the test lets it go: the import held inside a
    phase after its rows, as a real-sized one spends seconds there."""
    reached, release = threading.Event(), threading.Event()
    real = getattr(owner, name)

    def held(*args, **kwargs):
        reached.set()
        assert release.wait(30)
        return real(*args, **kwargs)
    monkeypatch.setattr(owner, name, held)
    return reached, release


def state(db) -> list[str]:
    """Every row of the file (the GUI's connection: what the clerk's screens read)."""
    return [line for line in db.conn.iterdump() if line.startswith("INSERT")]


def showing(text: str):
    dialog = progress_dialog()
    return dialog if dialog is not None and text in dialog.labelText() else None


def start_import(qtbot, window, monkeypatch, package):  # noqa: F811
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    click(qtbot, preview.go)


@pytest.fixture(autouse=True)
def let_go():
    """A held job is let go whatever the test's end (its thread must end)."""
    releases: list[threading.Event] = []
    yield releases
    for release in releases:
        release.set()
    worker.wait_all()


def test_the_dialog_names_the_phase_under_way_and_is_not_full_meanwhile(
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, codes = counter_package
    reached, release = held_at(monkeypatch, merge._Run, "write_facts")
    let_go.append(release)
    start_import(qtbot, window, monkeypatch, package)
    qtbot.waitUntil(lambda: reached.is_set() and bool(showing(phases.TEXTS[phases.FACTS])),
                    timeout=20000)
    dialog = progress_dialog()
    assert dialog.labelText() == f"Đang nhập gói trao đổi…\n{phases.TEXTS[phases.FACTS]}"
    bar = dialog.findChild(QProgressBar)
    assert bar.minimum() < bar.value() < bar.maximum()  # moved on, not full: work remains
    assert not message_boxes
    release.set()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    found = {row[0] for row in db.execute("SELECT code FROM dossiers")}
    assert set(codes) <= found


def test_cancelling_mid_import_says_nothing_was_written(
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, codes = counter_package
    before = state(db)
    reached, release = held_at(monkeypatch, merge._Run, "write_facts")
    let_go.append(release)
    start_import(qtbot, window, monkeypatch, package)
    qtbot.waitUntil(lambda: reached.is_set() and bool(showing(phases.TEXTS[phases.FACTS])),
                    timeout=20000)
    click(qtbot, button_named(progress_dialog(), "Huỷ"))
    # the job stops at its next report: till then the dialog says it is stopping
    assert showing(worker.STOPPING_VI) is not None
    assert not message_boxes
    release.set()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes == [("information", exchange_cancel.TITLE,
                              exchange_cancel.import_text(1))]
    assert "Chưa ghi gì" in message_boxes[0][2] and "không gói nào được nhập" in \
        message_boxes[0][2]
    assert progress_dialog() is None
    assert state(db) == before
    assert not {row[0] for row in db.execute("SELECT code FROM dossiers")} & set(codes)


def test_cancelling_the_check_before_the_preview_says_so(
        window, db, qtbot, monkeypatch, message_boxes, counter_package, let_go):  # noqa: F811
    package, _ = counter_package
    before = state(db)
    reached, release = held_at(monkeypatch, checks, "absent_refusal")
    let_go.append(release)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: reached.is_set() and bool(showing(phases.TEXTS[phases.CHECKS])),
                    timeout=20000)
    assert progress_dialog().labelText() == \
        f"Đang kiểm tra gói…\n{phases.TEXTS[phases.CHECKS]}"
    click(qtbot, button_named(progress_dialog(), "Huỷ"))
    release.set()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes == [("information", exchange_cancel.PREVIEW_TITLE,
                              exchange_cancel.preview_text(1))]
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, PreviewDialog) and w.isVisible()]
    assert state(db) == before
