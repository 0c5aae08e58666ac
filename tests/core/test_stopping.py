"""Ctrl+C during a writing command on the command line (core.stopping): heard as the window's
«Huỷ». A real process of the program gets SIGINT, as a terminal sends it, to its whole process
group (the demo's workers too); no timing: the program waits at a known point (a hook of this
test, patched in before main.py runs) until it has heard the signal (or, without the rule,
until Python's own KeyboardInterrupt comes).

Before the COMMIT (or the rename of the finished file): "Đã dừng theo yêu cầu. Chưa ghi gì: …",
exit 1, nothing written, no file left. After it: the work is whole, said in a note, exit 0.
No traceback from any process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core import stopping
from core.database import open_database
from core.transfer import import_file
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    PROCEDURES,
    PROCEDURES_HEADER,
    UNITS,
    UNITS_HEADER,
    dossier_row,
    write_csv,
)
from tests.ctrl_c_process import run_interrupted

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group")

# Run as the program: CTRL_C_AT="module:function:before|after" wraps that function so that,
# the first time it is called, it writes the marker (how many child processes run) and waits
# until Ctrl+C has been heard: by core.stopping's handler (its `pressed`), or, where no such
# handler is set, until Python's own KeyboardInterrupt comes. CTRL_C_SETUP: code run first.
HOOK = textwrap.dedent("""
    import importlib, multiprocessing, os, runpy, signal, sys, time
    sys.path.insert(0, {root!r})
    marker = os.environ["CTRL_C_MARKER"]
    exec(os.environ.get("CTRL_C_SETUP", ""))
    module_name, name, when = os.environ["CTRL_C_AT"].split(":")
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    waited = []

    def wait_for_ctrl_c():
        if waited:
            return
        waited.append(True)
        heard = getattr(signal.getsignal(signal.SIGINT), "__self__", None)
        with open(marker + ".tmp", "w") as out:
            out.write(str(len(multiprocessing.active_children())))
        os.replace(marker + ".tmp", marker)
        end = time.monotonic() + 60
        while not getattr(heard, "pressed", False) and time.monotonic() < end:
            time.sleep(0.01)

    def waiting(*args, **kwargs):
        if when == "before":
            wait_for_ctrl_c()
        done = real(*args, **kwargs)
        if when == "after":
            wait_for_ctrl_c()
        return done
    setattr(module, name, waiting)
    sys.argv = [os.path.join({root!r}, "main.py"), *sys.argv[1:]]
    runpy.run_path(sys.argv[0], run_name="__main__")
""")


def _interrupted(tmp_path: Path, at: str, *argv: str, setup: str = "", timeout: float = 120
                 ) -> tuple[int, str, str, int]:
    """`main.py ARGV`, Ctrl+C sent to its process group once the hook waits at `at`."""
    hook = tmp_path / "hook.py"
    hook.write_text(HOOK.format(root=str(ROOT)), encoding="utf-8")
    marker = tmp_path / "waiting"
    env = {**os.environ, "CTRL_C_MARKER": str(marker), "CTRL_C_AT": at,
           "CTRL_C_SETUP": setup, "PYTHONIOENCODING": "utf-8"}
    return run_interrupted([sys.executable, str(hook), *argv], env, tmp_path, marker,
                           timeout=timeout)


def _count(path: Path, table: str = "dossiers") -> int:
    db = open_database(path, create=False)
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


@pytest.fixture
def office(db, tmp_path) -> Path:
    """An office's database with its catalogue, and a file of three dossiers to import."""
    assert import_file(db, "units", write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS)).ok
    assert import_file(db, "procedures",
                       write_csv(tmp_path / "p.csv", PROCEDURES_HEADER, PROCEDURES)).ok
    write_csv(tmp_path / "hoso.csv", DOSSIERS_HEADER,
              [dossier_row(f"XTD-250102-000{i}") for i in (1, 2, 3)])
    return Path(db.conn.execute("PRAGMA database_list").fetchone()[2])


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def test_import_stopped_before_its_commit_writes_nothing(tmp_path, office):
    """Held once every row is written in the transaction: the question before the COMMIT
    stops it, rolled back."""
    code, out, err, _ = _interrupted(tmp_path, "core.transfer.importing:write_file:after",
                                     "--db", str(office), "import", "dossiers", "hoso.csv")
    assert code == 1, (out, err)
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: tệp hoso.csv chưa được nhập, cơ "
                          "sở dữ liệu vẫn như trước khi nhập."), err
    _no_traceback(err)
    assert "Đã nhập" not in out
    assert _count(office) == 0


def test_import_heard_after_its_commit_is_kept_and_said(tmp_path, office):
    """Ctrl+C while the summary is said: the import is written; no "Đã dừng" over it."""
    code, out, err, _ = _interrupted(tmp_path, "core.transfer.cli:summary:before",
                                     "--db", str(office), "import", "dossiers", "hoso.csv")
    assert code == 0, (out, err)
    assert "Đã nhập tệp hoso.csv: 3 dòng" in out
    assert "Lưu ý: lệnh dừng (Ctrl+C) đến khi dữ liệu của tệp hoso.csv đã được ghi xong, nên " \
        "lệnh không dừng" in " ".join(err.split()), err
    assert "Đã dừng" not in err
    _no_traceback(err)
    assert _count(office) == 3


@pytest.mark.parametrize("held_at", [
    # held when the PDF is written beside its name, before the rename: no PDF, and no temporary
    # file either (a KeyboardInterrupt there left `.motcua-….tmp` behind)
    "core.pdf.document:ordinary_file_mode:before",
    # nothing is written while the report is drawn in memory: nothing to wait for, the first
    # Ctrl+C stops there, in words
    "core.pdf.monthly:build_monthly:before"])
def test_report_stopped_leaves_no_file(tmp_path, office, held_at):
    if held_at.startswith("core.pdf.document"):
        assert import_file(open_database(office), "dossiers", tmp_path / "hoso.csv").written
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err, _ = _interrupted(
        tmp_path, held_at, "--db", str(office), "report",
        "monthly", "--month", "2025-01", "--out", str(out_dir / "bao-cao.pdf"))
    assert code == 1, (out, err)
    assert err.startswith(f"Đã dừng theo yêu cầu. Chưa ghi gì: tệp {out_dir / 'bao-cao.pdf'} "
                          "chưa được ghi"), err
    _no_traceback(err)
    assert list(out_dir.iterdir()) == []


def test_backup_stopped_before_its_rename_leaves_no_copy(tmp_path, office):
    target = tmp_path / "usb" / "sao-luu"
    code, out, err, _ = _interrupted(tmp_path, "core.maintenance.backup:verify_copy:after",
                                     "--db", str(office), "backup", "--to", str(target))
    assert code == 1, (out, err)
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: chưa có bản sao lưu nào được "
                          "ghi."), err
    _no_traceback(err)
    assert not (tmp_path / "usb").exists()  # the folder made for it went with it


def test_demo_stopped_in_the_middle_prints_no_worker_traceback(tmp_path):
    """The demo's two workers get the Ctrl+C too (the terminal's whole group): they ignore it
    (each printed its KeyboardInterrupt's traceback); the main process stops at the next chunk,
    rolled back, and the file passes `check`."""
    demo_db = tmp_path / "demo.db"
    code, out, err, children = _interrupted(
        tmp_path, "core.demo:unpack:after", "--db", str(demo_db), "demo", "--dossiers", "400",
        "--today", "2026-05-31",
        setup="import core.demo as d; d.PARALLEL_FROM = 0; d.CHUNK_SIZE = 40")
    assert children == 2  # the workers were running when the Ctrl+C came
    assert code == 1, (out, err)
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: dữ liệu mẫu chưa được tạo"), err
    _no_traceback(err)
    assert _count(demo_db) == 0
    checked = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(demo_db),
                              "check"], capture_output=True, text=True, encoding="utf-8",
                             timeout=120)
    assert checked.returncode == 0, (checked.stdout, checked.stderr)


# The demo's workers after its first chunk stay in the middle of their answer (its write lock
# taken: tests/core/answering_helper.py) once the main process waits for Ctrl+C; the main
# process ends its pool only once one does (held), with a second's wait (STOP_WAIT).
HELD_WORKERS = textwrap.dedent("""
    import os, time
    import multiprocessing.pool
    import core.demo as d, core.helper_processes as h
    from tests.core import answering_helper
    d.PARALLEL_FROM, d.CHUNK_SIZE, h.STOP_WAIT = 0, 40, 1.0
    d._work = answering_helper.demo_chunk_held
    held = os.environ["CTRL_C_MARKER"] + ".held"

    def once_held(real):
        def ending(*args, **kwargs):
            end = time.monotonic() + 20
            while not os.path.exists(held) and time.monotonic() < end:
                time.sleep(0.01)
            return real(*args, **kwargs)
        return ending
    h.stop = once_held(h.stop)
    multiprocessing.pool.Pool.terminate = once_held(multiprocessing.pool.Pool.terminate)
""")


def test_demo_stopped_while_a_worker_is_in_the_middle_of_its_answer_ends(tmp_path):
    """The CI hang (round 29): the pool ended by terminate() killed a worker holding its
    answer queue's lock, and waited on it for ever, saying nothing. Now the worker that stays
    there is killed once the wait has passed; the demo stops in words, rolled back."""
    demo_db = tmp_path / "demo.db"
    started = time.monotonic()
    code, out, err, children = _interrupted(
        tmp_path, "core.demo:unpack:after", "--db", str(demo_db), "demo", "--dossiers", "400",
        "--today", "2026-05-31", setup=HELD_WORKERS, timeout=20)
    assert children == 2 and (tmp_path / "waiting.held").exists()
    assert code == 1, (out, err)
    assert err.startswith("Đã dừng theo yêu cầu. Chưa ghi gì: dữ liệu mẫu chưa được tạo"), err
    _no_traceback(err)
    assert _count(demo_db) == 0
    assert time.monotonic() - started < 20


def test_a_report_is_stopped_at_once_while_it_is_only_drawn():
    """`reading`: nothing written yet, so nothing to wait for: the first Ctrl+C stops at once,
    in the command's words; the handler before is put back."""
    found = signal.getsignal(signal.SIGINT)

    def mine(_signum, _frame):
        pass
    signal.signal(signal.SIGINT, mine)
    try:
        with pytest.raises(stopping.Stopped) as stopped, \
                stopping.heard_as_cancel("tệp x.pdf chưa được ghi", "tệp x.pdf", reading=True):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):
                pass
        assert str(stopped.value) == "Đã dừng theo yêu cầu. Chưa ghi gì: tệp x.pdf chưa được ghi."
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, found)


def test_a_cancel_asked_before_the_commit_becomes_the_stop_in_words(capsys):
    """What the command raises once its progress answered False (its own "Đã huỷ …") is said
    as the stop; a Ctrl+C heard after the last question is said as too late to stop."""
    with pytest.raises(stopping.Stopped, match="^Đã dừng theo yêu cầu. Chưa ghi gì: a.$"), \
            stopping.heard_as_cancel("a", "b") as ctrl_c:
        ctrl_c.pressed = True
        stopping.ask(ctrl_c.progress)
    with stopping.heard_as_cancel("a", "tệp b") as ctrl_c:
        ctrl_c.pressed = True
    assert capsys.readouterr().err.startswith(
        "Lưu ý: lệnh dừng (Ctrl+C) đến khi tệp b đã được ghi xong")


def test_a_second_ctrl_c_stops_at_once_in_words():
    """The first is a flag, waited on; the second is not: Stopped with the general words, the
    handler before put back."""
    found = signal.getsignal(signal.SIGINT)

    def mine(_signum, _frame):
        pass
    signal.signal(signal.SIGINT, mine)
    try:
        with pytest.raises(stopping.Stopped) as stopped, stopping.CtrlC() as ctrl_c:
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):
                if ctrl_c.pressed:
                    break
            assert ctrl_c.pressed and ctrl_c.progress(1, 2) is False and ctrl_c.refused
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):
                pass
        assert str(stopped.value) == stopping.AGAIN_TEXT
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, found)
