"""Round 29: the helper processes' Ctrl+C at their start-up, as on Windows. On Linux a spawned
helper inherited the SIGINT its parent ignored while making it (core.stopping.ignoring_ctrl_c);
on Windows nothing is inherited, and a helper ignored Ctrl+C only from its pool's initializer
(the self-test's helper, from nowhere): a Ctrl+C while it was importing the program printed its
KeyboardInterrupt's traceback. Here the helpers are started with the 'spawn' start method (like
Windows: the parent's code is not run, the program's main module is imported again) with the
parent's SIGINT NOT ignored (`inherits_ignored_ctrl_c` as on Windows), and:
- every place the program starts a process goes through core.helper_processes.pool;
- a helper of that pool ignores SIGINT before the caller's initializer and any job;
- a real `demo` and a real `selftest`, whose helpers are held at their start-up (while they
  import the program, after main.py's first lines), get Ctrl+C at their whole process group:
  no traceback from any process, and the main process's own clean stop («Huỷ»)."""
from __future__ import annotations

import os
import re
import signal
import sys
import textwrap
from pathlib import Path

import pytest

import main
from core import helper_processes, stopping
from core.database import open_database
from tests.ctrl_c_process import run_interrupted

ROOT = Path(__file__).resolve().parents[2]
STARTS_A_PROCESS = re.compile(r"\bPool\(|\bProcess\(|get_context\(|ProcessPoolExecutor|"
                              r"\bsubprocess\b|os\.fork|os\.spawn|\bPopen\(")


def test_every_helper_process_is_made_in_one_place():
    """The program's code (dev.py, the developer's launcher, is not the program) starts no
    process but through core.helper_processes."""
    found = []
    for path in [ROOT / "main.py", *(ROOT / "core").rglob("*.py"), *(ROOT / "db").rglob("*.py"),
                 *(ROOT / "gui").rglob("*.py")]:
        if path == ROOT / "core" / "helper_processes.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if STARTS_A_PROCESS.search(code) and not code.lstrip().startswith(('"', "'")):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def _seen(tag: str) -> tuple[object, str, str]:
    """What a helper finds when its job runs: its SIGINT handler, its initializer's mark."""
    handler = signal.getsignal(signal.SIGINT)
    return ("ignored" if handler == signal.SIG_IGN else repr(handler), tag,
            os.environ.get("HELPER_INITIALIZED", ""))


def _initialize(mark: str) -> None:
    """The caller's own initializer: it finds Ctrl+C already ignored."""
    handler = signal.getsignal(signal.SIGINT)
    os.environ["HELPER_INITIALIZED"] = f"{mark}:{'ignored' if handler == signal.SIG_IGN else 'no'}"


@pytest.fixture
def as_on_windows(monkeypatch):
    """The parent's SIGINT is a handler of its own, not ignored, while the helpers are made."""
    monkeypatch.setattr(stopping, "inherits_ignored_ctrl_c", lambda: False)
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda *_: None)
    yield
    signal.signal(signal.SIGINT, before)


def test_a_helper_ignores_ctrl_c_before_its_initializer_and_jobs(as_on_windows):
    made = helper_processes.pool(1, initializer=_initialize, initargs=("demo",))
    try:
        assert made.apply_async(_seen, ("job",)).get(timeout=120) == \
            ("ignored", "job", "demo:ignored")
    finally:
        made.terminate()
        made.join()
    plain = helper_processes.pool(1)  # (the self-test's and the copier's: no initializer)
    try:
        assert plain.apply_async(_seen, ("job",)).get(timeout=120) == ("ignored", "job", "")
    finally:
        plain.terminate()
        plain.join()


def test_on_windows_the_parent_does_not_ignore_ctrl_c_while_making_them(monkeypatch):
    """Nothing to inherit there, and a Ctrl+C to the main process meanwhile would be lost."""
    seen = []

    class Context:
        def Pool(self, *_args, **_kwargs):  # noqa: N802 (multiprocessing's name)
            seen.append(signal.getsignal(signal.SIGINT))
            return "pool"
    monkeypatch.setattr(helper_processes.multiprocessing, "get_context", lambda _m: Context())
    monkeypatch.setattr(stopping, "inherits_ignored_ctrl_c", lambda: False)
    assert helper_processes.pool(2) == "pool"
    monkeypatch.setattr(stopping, "inherits_ignored_ctrl_c", lambda: True)
    assert helper_processes.pool(2) == "pool"
    assert seen[0] is signal.getsignal(signal.SIGINT) and seen[1] == signal.SIG_IGN


@pytest.mark.parametrize(("name", "argv", "helper"), [
    ("__mp_main__", ["-c", "--multiprocessing-fork", "tracker_fd=5"], True),  # spawned
    ("__main__", ["MotCua.exe", "--multiprocessing-fork", "parent_pid=8"], True),  # built
    ("__main__", ["main.py", "demo"], False), ("main", ["pytest"], False)])
def test_main_py_knows_a_helper_at_its_first_line(name, argv, helper):
    assert main._helper_process(name, argv) is helper


# The program run as a terminal runs it, its helpers made as on Windows (nothing inherited);
# each helper, once main.py's first lines have run, waits while it imports the program
# (core.cli) until the Ctrl+C has been sent: its start-up. The marker says whether the helper
# ignores Ctrl+C there (1) or not (0): the main process may end it before it could print.
HOOK = textwrap.dedent("""
    import runpy, sys
    sys.path.insert(0, {root!r})
    import core.stopping
    core.stopping.inherits_ignored_ctrl_c = lambda: False  # as on Windows
    exec(sys.argv.pop(1))
    sys.argv = [{main!r}, *sys.argv[1:]]
    runpy.run_path(sys.argv[0], run_name="__main__")
""")
HELD = textwrap.dedent("""
    import os, signal, sys, time
    if len(sys.argv) >= 2 and sys.argv[1] == "--multiprocessing-fork":
        class Hold:
            def find_spec(self, name, path=None, target=None):
                if name == "core.cli" and os.environ.get("HELPER_HELD"):
                    marker = os.environ.pop("HELPER_HELD")
                    ignoring = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
                    with open(marker + str(os.getpid()), "w") as out:
                        out.write("1" if ignoring else "0")
                    os.replace(marker + str(os.getpid()), marker)
                    end = time.monotonic() + 60
                    while not os.path.exists(marker + ".sent") and time.monotonic() < end:
                        time.sleep(0.01)
                return None
        sys.meta_path.insert(0, Hold())
""")


def _held_at_start(tmp_path: Path, setup: str, *argv: str) -> tuple[int, str, str, int]:
    hook, site = tmp_path / "hook.py", tmp_path / "site"
    hook.write_text(HOOK.format(root=str(ROOT), main=str(ROOT / "main.py")), encoding="utf-8")
    site.mkdir()
    (site / "sitecustomize.py").write_text(HELD, encoding="utf-8")
    marker = tmp_path / "held"
    env = {**os.environ, "HELPER_HELD": str(marker), "PYTHONIOENCODING": "utf-8",
           "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    return run_interrupted([sys.executable, str(hook), setup, *argv], env, tmp_path, marker,
                           sent=Path(f"{marker}.sent"))


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group")
def test_demo_helpers_stopped_at_their_start_up_print_nothing(tmp_path):
    demo_db = tmp_path / "demo.db"
    code, out, err, ignoring = _held_at_start(
        tmp_path, "import core.demo as d; d.PARALLEL_FROM = 0; d.CHUNK_SIZE = 40",
        "--db", str(demo_db), "demo", "--dossiers", "400", "--today", "2026-05-31")
    assert ignoring == 1 and code == 1, (out, err)
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: dữ liệu mẫu chưa được tạo"), err
    _no_traceback(err)
    db = open_database(demo_db, create=False)
    try:
        assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    finally:
        db.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group")
def test_the_selftests_helper_stopped_at_its_start_up_prints_nothing(tmp_path):
    code, out, err, ignoring = _held_at_start(tmp_path, "", "selftest")
    assert ignoring == 1 and code == 1, (out, err)
    assert err.strip() == main.STOPPED, err
    _no_traceback(err)
