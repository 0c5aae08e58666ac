"""A job's told line under its progress dialog's title, and that line's age once it has stood
(run_in_background `aged`: an import's phase no report can count says how long it has run)."""
from __future__ import annotations

import threading

from PySide6.QtWidgets import QProgressDialog, QWidget

from gui import worker


def test_the_told_line_shows_then_says_its_age(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()
    ended = []

    def job(db, progress):
        progress.tell("Đang đọc gói")
        release.wait(10)
        return "xong"

    worker.run_in_background(
        parent, None, "Đang nhập…", job, ended.append, notify=False,
        aged=lambda text, seconds: f"{text} ({int(seconds)} giây)")
    dialog = parent.findChild(QProgressDialog)
    qtbot.waitUntil(lambda: dialog.labelText().startswith("Đang nhập…\nĐang đọc gói"), timeout=5000)
    qtbot.waitUntil(lambda: dialog.labelText() == "Đang nhập…\nĐang đọc gói (1 giây)", timeout=5000)
    assert dialog.isVisible()  # shown after its delay, though no report moved its bar
    release.set()
    qtbot.waitUntil(lambda: ended == ["xong"], timeout=5000)
    worker.wait_all()
