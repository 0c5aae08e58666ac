"""Review of round 29: gui.blocked_close answers a close request to any window under a job's
dialog by that window's own close. The administrator's «Dữ liệu cá nhân» window has no
question of its own at its ×: a close request there while its job ran (anonymising, writing)
closed it at once, the job going on out of sight — Qt had dropped it before round 29. A window
of its own asks as the reconciliation window does (closing.may_close_window): «Tiếp tục», the
default, keeps it open with its job; stopping closes it once the job has stopped."""
from __future__ import annotations

import threading

import pytest

from db import actor
from gui import blocked_close, closing, ops, worker
from tests.gui.privacy.test_privacy_window import ADMIN, open_window, window  # noqa: F401
from tests.gui.reconciliation.test_x_during_its_job import released, shown_progress  # noqa: F401
from tests.gui.test_close_request_windows import handed, msg
from tests.gui.test_progress_keys import answered, press

TITLE = "Đang ẩn danh dữ liệu cá nhân…"
ASKED = "Dừng ẩn danh dữ liệu cá nhân và đóng cửa sổ?"


def _held_job(qtbot, privacy, release):
    started = threading.Event()

    def held(_db, _progress):
        started.set()
        release.wait(20)
        return 0
    op = ops.Op(privacy.retention_tab, held, ops.DOSSIERS)
    op.run_in_background(privacy.retention_tab.db_path, TITLE)
    assert started.wait(10)
    return shown_progress(qtbot, privacy.retention_tab)


@pytest.mark.parametrize("answer", [closing.GO_ON, closing.STOP_AND_CLOSE])
def test_a_close_request_to_the_privacy_window_under_its_job_asks(
        answer, qtbot, window, monkeypatch, message_boxes, released):  # noqa: F811
    with actor.acting_as(ADMIN):
        privacy = open_window(qtbot, window)
        asked = answered(monkeypatch, message_boxes, press(qtbot, answer))
        _held_job(qtbot, privacy, released)
        made = msg(int(privacy.winId()), blocked_close.WM_CLOSE)
        assert handed(b"windows_generic_MSG", made)
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
        assert asked[0][0] == ASKED
        if answer == closing.GO_ON:
            qtbot.wait(300)
            assert privacy.isVisible() and not worker.clerk_jobs()[0].stopping
            released.set()
            qtbot.waitUntil(lambda: not worker.clerk_jobs(), timeout=20000)
            assert privacy.isVisible()
        else:
            qtbot.waitUntil(lambda: not privacy.isVisible(), timeout=20000)
            assert not worker.clerk_jobs()
        assert window.isVisible()
