"""The register from the Báo cáo screen: built in a worker with progress and a working Cancel,
previewed once, a page at a time (issue 14.10, issue 18)."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from core.pdf import book
from gui import book_preview, worker
from tests.pdfread import page_texts


@pytest.fixture
def progress_seen(monkeypatch):
    """Every (done, total) the register's build reported to its worker."""
    seen = []
    original = worker.Worker._progress

    def record(self, done, total):
        seen.append((done, total))
        return original(self, done, total)
    monkeypatch.setattr(worker.Worker, "_progress", record)
    return seen


def test_progress_reaches_100_percent_and_the_preview_shows_the_register(
        qtbot, db, reports, previews, progress_seen):
    qtbot.mouseClick(reports.buttons["book"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(previews), timeout=15000)
    total = db.execute("SELECT COUNT(*) FROM dossiers WHERE received_at >= '2025-06-01' "
                       "AND received_at < '2025-07-01'").fetchone()[0]
    assert total > 0 and progress_seen[-1] == (total, total)
    dialog = previews[0]
    assert dialog.kind == "BookPreviewDialog"
    assert dialog.built_once  # built once: the mark is painted, not laid out again
    text = " ".join(" ".join(page_texts(dialog.final)).split())
    # June 2025 is before the 2025 forms: the register of its time (Mẫu 06 of Circular 01/2018)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Ngày, giờ chuyển hồ sơ" in text
    assert "BẢN NHÁP" not in text and dialog.draft_mark
    assert dialog.page_count == len(page_texts(dialog.final))


def _slow_rows(monkeypatch, pause: float):
    """Each register line takes `pause` seconds: time for the clerk to press Cancel; returns
    what puts the real speed back."""
    real, page_rows = book.rows, book.PAGE_ROWS

    def slow(db, data):
        for line in real(db, data):
            time.sleep(pause)
            yield line
    monkeypatch.setattr(book, "rows", slow)
    monkeypatch.setattr(book, "PAGE_ROWS", 1)

    def restore():
        monkeypatch.setattr(book, "rows", real)
        monkeypatch.setattr(book, "PAGE_ROWS", page_rows)
    return restore


def test_cancel_stops_the_build_leaves_no_file_and_the_window_answers(
        qtbot, reports, previews, monkeypatch, tmp_path):
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.chdir(folder)
    restore = _slow_rows(monkeypatch, 0.4)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    qtbot.mouseClick(reports.buttons["book"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in reports.findChildren(QProgressDialog)),
                    timeout=5000)
    dialog = next(d for d in reports.findChildren(QProgressDialog) if d.isVisible())
    assert "Sổ theo dõi hồ sơ" in dialog.labelText()
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Huỷ")
    pressed = time.monotonic()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not worker._running, timeout=5000)
    qtbot.wait(100)
    timer.stop()
    assert previews == []  # nothing was shown
    assert os.listdir(folder) == []  # and nothing written
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False) if a < pressed]
    assert gaps and max(gaps) < 0.35  # the window kept answering while the register was drawn
    assert not any(d.isVisible() for d in reports.findChildren(QProgressDialog))
    restore()
    qtbot.mouseClick(reports.buttons["book"], Qt.MouseButton.LeftButton)  # and works again
    qtbot.waitUntil(lambda: bool(previews), timeout=15000)


def test_a_long_register_is_previewed_a_few_pages_at_a_time(qtbot, db, office):
    from db.connection import transaction
    with transaction(db) as conn:  # 300 more dossiers like the office's first
        first = conn.execute("SELECT * FROM dossiers ORDER BY id LIMIT 1").fetchone()
        names = [d[0] for d in conn.execute("SELECT * FROM dossiers LIMIT 0").description]
        for i in range(300):
            row = dict(zip(names, first, strict=True), id=None, code=f"X01-250602-{9000 + i}")
            conn.execute(f"INSERT INTO dossiers({','.join(names)}) VALUES "
                         f"({','.join('?' * len(names))})", list(row.values()))
    data = book.build_book(db, dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    dialog = book_preview.BookPreviewDialog(None, "Sổ", data, "so.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.page_count == len(page_texts(data)) > 2 * book_preview.KEPT
    bar = dialog.view.verticalScrollBar()
    for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 30)):
        bar.setValue(value)
        qtbot.wait(5)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: dialog.page_count - 1 in dialog.view.rendered(), timeout=5000)
    assert len(dialog.view.rendered()) <= book_preview.KEPT
    dialog.close()


def test_thousands_of_progress_calls_signal_little_and_keep_true_alive(qtbot):
    """A month's register reports progress 1,500 times: the bar moves at most ~100 times, and
    the binding keeps True's references (PySide6 6.12.0 did not: see tests/test_qt_runtime.py)."""
    import sys

    from PySide6.QtWidgets import QWidget
    owner = QWidget()
    qtbot.addWidget(owner)
    signals = []

    def job(db, progress):
        return [progress(i, 3000) for i in range(3001)]
    before = sys.getrefcount(True)
    running = worker.run_in_background(owner, None, "Đang thử…", job, signals.append,
                                       notify=False)
    running.progressed.connect(lambda done, total: signals.append((done, total)))
    qtbot.waitUntil(lambda: bool(signals) and isinstance(signals[-1], list), timeout=10000)
    assert all(signals[-1])  # never cancelled
    assert sys.getrefcount(True) > before - 50
    assert len(signals) <= 103  # the bar moves 100 times, not 3,000
