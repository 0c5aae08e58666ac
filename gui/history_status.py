"""The start-up check of the event history (spec 10, issue 15 §2), in the status bar.

Two passes in a worker with no dialog, like the start-up backup; the result is a note in the
status bar. First the quick check (core.maintenance.audit_quick: what changed since the last
intact check, every dossier's fields through digests, the payments, votes, waits and
extensions through their ledger, the chain's recorded end): seconds even for a million
dossiers. When that is clean, the whole chain is re-hashed (core.maintenance.audit.verify_chain,
tens of seconds for a million dossiers), which no checkpoint can shortcut. A problem turns the
note red, says which dossier, event or rows in its tooltip and in a status message, and asks
for `check`. While a pass runs the note says how far it has come.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLabel

from core.maintenance import audit, audit_quick
from gui import errors, shown, status_note
from gui.worker import Worker, run_quietly

OK_TEXT = "Lịch sử xử lý: nguyên vẹn"
BAD_TEXT = "Lịch sử xử lý: CÓ SAI LỆCH"
CHECKING_TEXT = "Lịch sử xử lý: đang kiểm tra…"
WHOLE_CHAIN = "Đang rà lại toàn bộ chuỗi lịch sử…"


def start(window, label: QLabel) -> Worker:
    """Check the history of the window's database in the background; `label` shows the result."""
    def done(findings) -> None:
        if not shiboken6.isValid(label):
            return  # the window was closed meanwhile
        details = "\n".join(f.text for f in findings)
        problems = [f.text for f in findings if not f.ok]
        show(window, label, problems, details)
        if not problems:  # then the pass no checkpoint can shortcut
            window.history_worker = _whole_chain(window, label, details)

    label.setText(CHECKING_TEXT)
    label.setStyleSheet("")
    label.show()
    worker = run_quietly(window.db_path, audit_quick.start_check, done, _failed(window, label))
    worker.progressed.connect(lambda done_, total: _progress(label, CHECKING_TEXT, done_, total))
    return worker


def _whole_chain(window, label: QLabel, before: str) -> Worker:
    def done(finding) -> None:
        if not shiboken6.isValid(label):
            return
        details = f"{before}\n{finding.text}"
        show(window, label, [] if finding.ok else [finding.text], details)

    label.setToolTip(f"{before}\n{WHOLE_CHAIN}")
    worker = run_quietly(window.db_path, lambda db, progress: audit.verify_chain(db, progress),
                         done, _failed(window, label))
    worker.progressed.connect(
        lambda done_, total: _progress(label, None, done_, total, f"{before}\n{WHOLE_CHAIN}"))
    return worker


def _progress(label: QLabel, text: str | None, done: int, total: int, tip: str = "") -> None:
    if not shiboken6.isValid(label) or not total:
        return
    share = f"{min(done * 100 // total, 100)}%"
    if text:
        label.setText(f"{text} {share}")
    else:  # the second pass: the note keeps the first verdict, the tooltip says how far
        label.setToolTip(f"{tip} {share}")


def _failed(window, label: QLabel):
    def failed(exc: BaseException) -> None:
        text, _is_bug = errors.message_for(exc)  # a bug is written to the crash log here
        if shiboken6.isValid(label):
            show(window, label, [f"Chưa kiểm tra được lịch sử xử lý: {text}"], text)
    return failed


def show(window, label: QLabel, problems: list[str], details: str) -> None:
    label.setText(BAD_TEXT if problems else OK_TEXT)
    label.setToolTip(shown.tip(details))
    label.setStyleSheet("color: #b3261e; font-weight: bold;" if problems else "color: #1e6b35;")
    label.show()
    if problems:
        status_note.show(window, problems[0], 60000, " (chi tiết: lệnh “motcua check”)")
