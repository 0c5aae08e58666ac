"""Ctrl+C during `exchange import` on the command line (issue 16 §3): heard as the window's
«Huỷ». A real process of the program gets SIGINT, as a terminal sends it, to its whole process
group (the copier's second process too); no timing: the program waits at a known point (a
hook of this test, patched in before main.py runs) until it has heard the signal.

Before the COMMIT: "Đã dừng theo yêu cầu. Chưa ghi gì: …", exit 1, nothing written. After it:
the import is whole, said in a note, exit 0. No traceback from any process."""
from __future__ import annotations

import os
import signal
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import main
from core import helper_processes
from core.database import open_database
from core.exchange import cli_stop, export_package
from core.exchange.fastcopy import jobs
from tests.core.exchange.conftest import busy_day, office
from tests.core.exchange.test_exchange import SINCE
from tests.ctrl_c_process import run_interrupted

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group")

# Run as the program: the hook waits, at `WHERE`, until Ctrl+C has been heard (the handler
# cli_stop set says so), having first written how many child processes run to the marker.
HOOK = textwrap.dedent("""
    import multiprocessing, os, runpy, signal, sys, time
    sys.path.insert(0, {root!r})
    marker, where = os.environ["CTRL_C_MARKER"], os.environ["CTRL_C_WHERE"]
    from core.exchange import cli as exchange_cli, phases
    from core.exchange.merge import run as merge_run
    merge_run.SECOND_PROCESS_MIN = 0  # the copier's second process runs, as at a month-end

    def wait_for_ctrl_c():
        heard = getattr(signal.getsignal(signal.SIGINT), "__self__", None)
        with open(marker + ".tmp", "w") as out:
            out.write(str(len(multiprocessing.active_children())))
        os.replace(marker + ".tmp", marker)
        end = time.monotonic() + 120
        while not heard.pressed and time.monotonic() < end:
            time.sleep(0.01)

    if where in ("before", "twice"):  # the indexes made again, the copier's second process on
        real_enter = phases.enter
        def enter(progress, phase, items=0):
            if phase == phases.INDEXES:
                wait_for_ctrl_c()
                if where == "twice":  # the first heard: waits for the second, which raises
                    open(marker + ".heard", "w").close()
                    time.sleep(120)
            return real_enter(progress, phase, items)
        phases.enter = enter
    elif where == "verify":  # a lone package's verification (the main thread's), begun
        from core.exchange.package import verifying
        real_checks = verifying._Verifying._verify_checksums
        def checks(self):
            wait_for_ctrl_c()
            try:
                return real_checks(self)
            except InterruptedError:  # stopped there, not after the whole verification
                open(marker + ".verify", "w").close()
                raise
        verifying._Verifying._verify_checksums = checks
    else:  # the COMMIT done, before the result is said
        real_said = exchange_cli._said
        def said(*args, **kwargs):
            wait_for_ctrl_c()
            return real_said(*args, **kwargs)
        exchange_cli._said = said
    sys.argv = [os.path.join({root!r}, "main.py"), *sys.argv[1:]]
    runpy.run_path(sys.argv[0], run_name="__main__")
""")


@pytest.fixture
def sent(tmp_path):
    counter = office(tmp_path / "counter.db", (1, 2))
    busy_day(counter)
    export_package(counter, tmp_path / "quay.zip", SINCE)
    counter.close()
    office(tmp_path / "centre.db", (2, 2)).close()
    return tmp_path / "quay.zip"


def _interrupted(tmp_path, package, where: str, db: str = "centre.db", *extra: str
                 ) -> tuple[int, str, str, int]:
    """Ctrl+C once the hook waits at `where`; at "twice", again once the first is heard."""
    hook = tmp_path / "hook.py"
    hook.write_text(HOOK.format(root=str(ROOT)), encoding="utf-8")
    marker = tmp_path / "waiting"
    env = {**os.environ, "CTRL_C_MARKER": str(marker), "CTRL_C_WHERE": where,
           "PYTHONIOENCODING": "utf-8"}
    return run_interrupted(
        [sys.executable, str(hook), "--db", str(tmp_path / db), "exchange", "import",
         str(package), *extra], env, tmp_path, marker,
        heard=Path(f"{marker}.heard") if where == "twice" else None)


def _dossiers(path) -> int:
    db = open_database(path, create=False)
    try:
        return db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    finally:
        db.close()


def test_ctrl_c_before_the_commit_stops_writing_nothing(tmp_path, sent):
    code, out, err, children = _interrupted(tmp_path, sent, "before")
    assert children >= 1  # the copier's second process got the Ctrl+C too
    assert code == 1, (out, err)
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: không gói nào được nhập"), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "đã nhập" not in out
    assert _dossiers(tmp_path / "centre.db") == 0


def test_ctrl_c_while_a_lone_package_is_verified_stops_the_verification(tmp_path, sent):
    """One package is verified in the main thread, asking no progress: Ctrl+C's Event is its
    `stop`, so the verification itself ends (not only the import once it is over)."""
    code, out, err, _children = _interrupted(tmp_path, sent, "verify")
    assert code == 1, (out, err)
    assert (tmp_path / "waiting.verify").exists()
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: không gói nào được nhập"), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert _dossiers(tmp_path / "centre.db") == 0


def test_a_second_ctrl_c_stops_at_once_writing_nothing(tmp_path, sent):
    """The first is waited on (the import is held at the hook); the second is not: the import
    stops where it stands, its transaction rolled back, said in words."""
    code, out, err, _children = _interrupted(tmp_path, sent, "twice")
    assert code == 1, (out, err)
    assert err.startswith(cli_stop.AGAIN_TEXT), err
    assert "Traceback" not in err, err
    assert "đã nhập" not in out
    assert _dossiers(tmp_path / "centre.db") == 0


def test_ctrl_c_before_the_commit_into_a_new_file_leaves_no_file(tmp_path, sent):
    """A centre's first import, into a file this command makes: stopped, the file it made
    holds nothing and goes, told (core.cli.dispatch), as any Ctrl+C of such a command."""
    code, out, err, _children = _interrupted(tmp_path, sent, "before", db="moi.db")
    said = " ".join(err.split())
    assert code == 1, (out, err)
    assert f"Tệp '{tmp_path / 'moi.db'}' do lệnh này vừa tạo chưa có dữ liệu nào nên đã được " \
        "xoá." in said
    assert "Đã dừng theo yêu cầu. Chưa ghi gì: không gói nào được nhập" in said
    assert said.count("Đã dừng theo yêu cầu") == 1 and "Traceback" not in said
    assert not list(tmp_path.glob("moi.db*"))


def test_ctrl_c_during_a_preview_stops_it(tmp_path, sent):
    code, out, err, _children = _interrupted(tmp_path, sent, "before", "centre.db", "--dry-run")
    assert code == 1, (out, err)
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: việc kiểm tra gói dừng giữa "
                          "chừng"), err
    assert "Traceback" not in err and "kiểm tra xong" not in out


def test_ctrl_c_after_the_commit_keeps_the_import_and_says_so(tmp_path, sent):
    code, out, err, _children = _interrupted(tmp_path, sent, "after")
    assert code == 0, (out, err)
    assert "đã nhập: hồ sơ mới 3" in out
    assert "Lưu ý: lệnh dừng (Ctrl+C) đến khi gói đã được ghi xong" in err
    assert "Traceback" not in err and "Đã dừng theo yêu cầu" not in err, err
    assert _dossiers(tmp_path / "centre.db") == 3


def test_the_handler_before_the_import_is_put_back_exactly(tmp_path, sent, monkeypatch):
    """Whatever it was (Python's own, or SIG_IGN under a test runner): compared with the one
    this test found, not with signal.default_int_handler."""
    found = signal.getsignal(signal.SIGINT)
    seen = []
    real = cli_stop.CtrlC.progress

    def progress(self, done, total):
        seen.append(signal.getsignal(signal.SIGINT))
        return real(self, done, total)
    monkeypatch.setattr(cli_stop.CtrlC, "progress", progress)
    assert main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import",
                      str(sent)]) == 0
    assert signal.getsignal(signal.SIGINT) is found
    assert seen  # asked while the import ran ...
    if found not in (signal.SIG_IGN, None):  # ... with Ctrl+C heard by cli_stop meanwhile
        assert all(getattr(h, "__self__", None).__class__ is cli_stop.CtrlC for h in seen)
    else:  # a process that ignores Ctrl+C keeps ignoring it
        assert all(h == found for h in seen)


def test_a_handler_of_its_own_is_put_back_too():
    found = signal.getsignal(signal.SIGINT)

    def mine(_signum, _frame):
        pass
    signal.signal(signal.SIGINT, mine)
    try:
        with cli_stop.CtrlC() as ctrl_c:
            assert ctrl_c.installed and signal.getsignal(signal.SIGINT) != mine
            os.kill(os.getpid(), signal.SIGINT)  # heard, not raised
            for _ in range(100):  # the handler runs at the main thread's next instruction
                if ctrl_c.pressed:
                    break
            assert ctrl_c.pressed and ctrl_c.progress(1, 2) is False
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, found)


def test_a_second_ctrl_c_raises_and_puts_the_handler_back():
    found = signal.getsignal(signal.SIGINT)

    def mine(_signum, _frame):
        pass
    signal.signal(signal.SIGINT, mine)
    try:
        with pytest.raises(cli_stop.Stopped) as stopped, cli_stop.CtrlC() as ctrl_c:
            os.kill(os.getpid(), signal.SIGINT)  # heard: the flag and its Event
            for _ in range(100):
                if ctrl_c.pressed:
                    break
            assert ctrl_c.pressed and ctrl_c.heard.is_set()
            os.kill(os.getpid(), signal.SIGINT)  # raises at the next instruction
            for _ in range(100):
                pass
        assert str(stopped.value) == cli_stop.AGAIN_TEXT
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, found)
    assert signal.getsignal(signal.SIGINT) is found


class _Context:
    """multiprocessing's spawn context as the copier asks it, noting Ctrl+C's handler as the
    second process is made (inherited by it)."""

    def __init__(self) -> None:
        self.seen: list = []

    def Pool(self, *_args, **_kwargs):  # noqa: N802 (multiprocessing's name)
        self.seen.append(signal.getsignal(signal.SIGINT))
        return "pool"


def test_the_copiers_process_is_made_ignoring_ctrl_c(monkeypatch):
    """Ignored from the child's very start, not only once it has imported its modules (a
    Ctrl+C meanwhile printed a traceback); the handler before put back at once."""
    found = signal.getsignal(signal.SIGINT)
    context = _Context()
    monkeypatch.setattr(helper_processes.multiprocessing, "get_context", lambda _method: context)

    def mine(_signum, _frame):
        pass
    signal.signal(signal.SIGINT, mine)
    try:
        assert jobs.spawned_pool() == "pool"
        assert context.seen == [signal.SIG_IGN]
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, found)
    assert signal.getsignal(signal.SIGINT) is found


def test_the_copiers_process_made_from_another_thread_leaves_ctrl_c_alone(monkeypatch):
    found = signal.getsignal(signal.SIGINT)
    context = _Context()
    monkeypatch.setattr(helper_processes.multiprocessing, "get_context", lambda _method: context)
    made: list = []
    thread = threading.Thread(target=lambda: made.append(jobs.spawned_pool()))
    thread.start()
    thread.join()
    assert made == ["pool"] and context.seen == [found]
    assert signal.getsignal(signal.SIGINT) is found
