"""The start-up check of the event history (spec 10, issue 15 §2), in the status bar.

Verifying the hash chain and every dossier against its events reads the whole history: about
5 s for 200,000 dossiers (a million events), so it runs in a worker with no dialog, like the
start-up backup, and its result is a note in the status bar. A problem turns the note red, says
which dossier or event in its tooltip and in a status message, and asks for `check`.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLabel

from core.maintenance.audit import audit_findings
from gui import errors
from gui.worker import Worker, run_quietly

OK_TEXT = "Lịch sử xử lý: nguyên vẹn"
BAD_TEXT = "Lịch sử xử lý: CÓ SAI LỆCH"


def start(window, label: QLabel) -> Worker:
    """Check the history of the window's database in the background; `label` shows the result."""
    def done(findings) -> None:
        if not shiboken6.isValid(label):
            return  # the window was closed meanwhile
        show(window, label, [f.text for f in findings if not f.ok],
             "\n".join(f.text for f in findings))

    def failed(exc: BaseException) -> None:
        text, _is_bug = errors.message_for(exc)  # a bug is written to the crash log here
        if shiboken6.isValid(label):
            show(window, label, [f"Chưa kiểm tra được lịch sử xử lý: {text}"], text)

    return run_quietly(window.db_path, lambda db, _progress: audit_findings(db), done, failed)


def show(window, label: QLabel, problems: list[str], details: str) -> None:
    label.setText(BAD_TEXT if problems else OK_TEXT)
    label.setToolTip(details)
    label.setStyleSheet("color: #b3261e; font-weight: bold;" if problems else "color: #1e6b35;")
    label.show()
    if problems:
        window.statusBar().showMessage(f"{problems[0]} (chi tiết: lệnh “motcua check”)", 60000)
