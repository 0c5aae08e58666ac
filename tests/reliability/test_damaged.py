"""A damaged or altered database is recognised, never half-used (issue 10 §2).

Each damage class is run against every command: the clerk gets one Vietnamese message naming
what is wrong, the exit code says failure, and not one byte of the file changes.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core import paths
from core.database import open_database
from db import searchtext
from db.errors import environment_message
from main import main

ROOT = Path(__file__).resolve().parents[2]
DAMAGED = "bị hỏng hoặc đã bị sửa đổi bên ngoài MotCua"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A small, healthy demo database, made once."""
    from core import demo
    path = tmp_path_factory.mktemp("good") / "good.db"
    db = open_database(path)
    demo.generate(db, dossiers=300, seed=3, today=dt.date(2026, 11, 27))
    db.close()
    return path


def _sql(path: Path, *statements: str) -> None:
    """The sqlite3 tool, given the search key's functions: without them SQLite refuses an
    ALTER TABLE at all (it checks every trigger, and the index's call them: docs/audit.md)."""
    conn = sqlite3.connect(path, isolation_level=None)
    searchtext.register(conn)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def _overwrite_pages(path: Path) -> None:
    pages = path.stat().st_size // 4096
    rnd = random.Random(7)
    with open(path, "r+b") as handle:
        for page in rnd.sample(range(2, pages), min(20, pages - 2)):
            handle.seek(page * 4096)
            handle.write(rnd.randbytes(4096))


# class -> (how to damage a copy, what every command says, what check/restore name)
DAMAGE = {
    "overwritten pages": (_overwrite_pages, DAMAGED, "bị hỏng"),
    "dropped table": (lambda p: _sql(p, "PRAGMA foreign_keys = OFF", "DROP TABLE payment_rows"),
                      "Thiếu bảng payment_rows", "Thiếu bảng payment_rows"),
    # (the rows are `dossier_rows` since schema 22, `dossiers` their view: db.dossier_rows)
    "renamed column": (lambda p: _sql(p, "ALTER TABLE dossier_rows RENAME COLUMN received_at TO "
                                         "received"),
                       "Cột dossier_rows.received_at bị đổi tên/thiếu",
                       "Cột dossier_rows.received_at bị đổi tên/thiếu"),
    "foreign trigger": (lambda p: _sql(p, "CREATE TRIGGER evil_trigger AFTER INSERT ON dossier_rows "
                                          "BEGIN DELETE FROM votes; END"),
                        "Trigger lạ: evil_trigger", "Trigger lạ: evil_trigger"),
    "invalid facts": (lambda p: _sql(p, "UPDATE dossiers SET facts = '{broken' WHERE id = 5"),
                      "không đọc được", "không đọc được"),
    "0-byte file": (lambda p: p.write_bytes(b""), "rỗng (0 byte)", "không phải là cơ sở dữ liệu MotCua"),
    "non-SQLite file": (lambda p: p.write_text("Danh sách hồ sơ\n" * 300, encoding="utf-8"),
                        "không phải là cơ sở dữ liệu MotCua", "không phải là cơ sở dữ liệu MotCua"),
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, good, tmp_path) -> tuple[Path, str, str]:
    make, says, named = DAMAGE[request.param]
    path = tmp_path / "office" / "motcua.db"
    path.parent.mkdir()
    shutil.copyfile(good, path)
    make(path)
    if request.param in ("dropped table", "renamed column", "foreign trigger"):
        assert says.split(":")[0] in named  # the same words everywhere
    return path, says, named


def _units_csv(tmp_path: Path) -> Path:
    csv = tmp_path / "units.csv"
    csv.write_text("code,name\nX99,UBND xã Thử\n", encoding="utf-8")
    return csv


def _files(folder: Path) -> dict[str, bytes]:
    """The files of a folder, but SQLite's own shared-memory index (-shm) and an empty -wal,
    which reading a WAL database that cannot be checkpointed (damaged) may leave: no data."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()
            and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and not p.stat().st_size)}


@pytest.mark.parametrize("command", ["kpi", "export", "import", "report", "slip", "backup", "demo"])
def test_every_command_refuses_a_damaged_database_and_writes_nothing(damaged, command, tmp_path,
                                                                      capsys, data_dir):
    path, says, _ = damaged
    out = tmp_path / "out"
    out.mkdir()
    args = {"kpi": ["kpi", "--from", "2026-01-01", "--to", "2026-01-31"],
            "export": ["export", "dossiers", str(out / "hs.csv")],
            "import": ["import", "units", str(_units_csv(tmp_path))],
            "report": ["report", "monthly", "--month", "2026-01", "--out", str(out / "r.pdf")],
            "slip": ["slip", "receipt", "X-1", "--out", str(out / "s.pdf")],
            "backup": ["backup", "--to", str(out / "bk")],
            "demo": ["demo", "--dossiers", "10"]}[command]
    before = _files(path.parent)
    assert main(["--db", str(path), *args]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and "không mong muốn" not in err
    assert _files(path.parent) == before  # not one byte, and no -wal/-shm/-journal left
    assert not [p for p in out.rglob("*") if p.is_file()]  # no output, no backup copy
    assert not (data_dir / "logs").exists()  # a known failure is not a crash


def test_check_names_every_problem_and_does_not_crash(damaged, capsys, data_dir):
    path, _, named = damaged
    before = path.read_bytes()
    assert main(["--db", str(path), "check"]) == 1
    captured = capsys.readouterr()
    assert named in captured.out and "[LỖI]" in captured.out and "tốt" not in captured.out
    assert "không mong muốn" not in captured.err and path.read_bytes() == before
    assert not (data_dir / "logs").exists()


@pytest.mark.parametrize("make", [lambda p: p.write_bytes(b""),
                                  lambda p: _sql(p, "CREATE TABLE notes (x)")],
                         ids=["0-byte file", "another program's SQLite file"])
def test_check_of_a_file_not_motcuas_says_that_alone(make, tmp_path, capsys, data_dir):
    """Under "không phải là cơ sở dữ liệu MotCua" check went on to read the file's history as
    ours and said "chưa có chuỗi lịch sử (lược đồ cũ): hãy mở bằng MotCua để nâng cấp": opening
    it would upgrade nothing, the file is not an office's at all."""
    path = tmp_path / "other.db"
    make(path)
    assert main(["--db", str(path), "check"]) == 1
    out = capsys.readouterr().out
    problems = [line for line in out.splitlines() if line.startswith("[LỖI]")]
    assert len(problems) == 1 and "không phải là cơ sở dữ liệu MotCua" in problems[0], out
    assert "lược đồ cũ" not in out and "nâng cấp" not in out


def test_restore_refuses_a_damaged_file_before_touching_the_good_database(damaged, good, tmp_path,
                                                                          capsys, data_dir):
    backup, _, named = damaged
    target = tmp_path / "live" / "motcua.db"
    target.parent.mkdir()
    shutil.copyfile(good, target)
    assert main(["--db", str(target), "restore", str(backup)]) == 2
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err
    assert target.read_bytes() == good.read_bytes()
    assert sorted(p.name for p in target.parent.iterdir()) == ["motcua.db"]  # no staged copy left
    assert not (data_dir / "backups").exists() or not any((data_dir / "backups").iterdir())


def test_check_lists_every_schema_difference(good, tmp_path, capsys):
    path = tmp_path / "motcua.db"
    shutil.copyfile(good, path)
    _sql(path, "PRAGMA foreign_keys = OFF", "DROP TABLE payment_rows", "DROP INDEX dossiers_finished",
         "CREATE VIEW secret AS SELECT applicant_name FROM dossiers",
         "CREATE TRIGGER evil_trigger AFTER INSERT ON vote_rows BEGIN SELECT 1; END")
    assert main(["--db", str(path), "check"]) == 1
    out = capsys.readouterr().out
    for text in ("Thiếu bảng payment_rows", "Thiếu chỉ mục dossiers_finished", "View lạ: secret",
                 "Trigger lạ: evil_trigger"):
        assert f"[LỖI] {text}" in out


def test_a_zero_byte_file_is_never_turned_into_a_database_but_a_new_path_is(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for args in (["kpi", "--from", "2026-01-01", "--to", "2026-01-31"],
                 ["export", "units", str(tmp_path / "u.csv")], ["demo", "--dossiers", "5"]):
        assert main(["--db", str(empty), *args]) == 1
        assert empty.stat().st_size == 0
    assert "rỗng (0 byte)" in capsys.readouterr().err
    fresh = tmp_path / "new.db"  # demo on a path that does not exist: explicitly creating
    assert main(["--db", str(fresh), "demo", "--dossiers", "5"]) == 0
    assert fresh.stat().st_size > 0 and not list(tmp_path.glob(".*"))  # built aside, renamed
    missing = tmp_path / "missing.db"  # a reading command never creates
    assert main(["--db", str(missing), "kpi", "--from", "2026-01-01", "--to", "2026-01-31"]) == 2
    assert not missing.exists()


def _answer_box(qtbot, button_text: str, shown: list) -> None:
    """When the modal box comes up, note its text and click `button_text` (a real click)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        shown.append((box.text(), [b.text() for b in box.buttons()]))
        button = next(b for b in box.buttons() if b.text() == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QTimer.singleShot(50, click)


def _run_window(monkeypatch, path: Path, real_window: bool = False) -> tuple[int, list]:
    from PySide6.QtWidgets import QApplication

    from gui import app
    from gui.main_window import MainWindow
    opened = []

    class FakeWindow:
        def __init__(self, db, db_path):
            if real_window:  # builds its screens and reads its first figures
                MainWindow(db, db_path, auto_backup=False).close()
            self.db = db
            opened.append(db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0])

        def show(self):
            pass
    monkeypatch.setattr("gui.main_window.MainWindow", FakeWindow)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(app.errors, "install", lambda: None)  # keep the test run's excepthook

    class Args:
        db = str(path)
    return app.run_gui(Args), opened


def test_the_window_shows_the_message_and_does_not_open_a_damaged_database(damaged, monkeypatch,
                                                                            qtbot):
    path, says, _ = damaged
    before = path.read_bytes()
    shown: list = []
    _answer_box(qtbot, "Đóng", shown)
    code, opened = _run_window(monkeypatch, path)
    assert code == 1 and opened == [] and path.read_bytes() == before
    assert len(shown) == 1 and says in shown[0][0]
    damaged_file = "Khôi phục từ bản sao lưu…" in shown[0][1]
    assert damaged_file == (DAMAGED in says or "Thiếu" in says or "Cột" in says
                            or "Trigger" in says or "facts" in says or "không đọc được" in says)


def test_a_big_damaged_file_met_while_the_window_opens_is_refused_the_same_way(good, tmp_path,
                                                                              monkeypatch, qtbot):
    monkeypatch.setattr("core.database.QUICK_CHECK_BYTES", 0)  # as for a file over 64 MiB
    path = tmp_path / "motcua.db"
    shutil.copyfile(good, path)
    _overwrite_pages(path)
    before = path.read_bytes()
    shown: list = []
    _answer_box(qtbot, "Đóng", shown)
    code, opened = _run_window(monkeypatch, path, real_window=True)
    assert code == 1 and opened == [] and DAMAGED in shown[0][0] and path.read_bytes() == before


def test_the_window_offers_to_restore_a_backup_over_a_damaged_database(good, tmp_path, qtbot,
                                                                       monkeypatch, data_dir):
    from gui import file_dialogs, widgets
    path = tmp_path / "motcua.db"
    shutil.copyfile(good, path)
    _sql(path, "CREATE TRIGGER evil_trigger AFTER INSERT ON dossier_rows BEGIN DELETE FROM votes; "
               "END")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(good))
    told = []
    monkeypatch.setattr(widgets, "inform", lambda parent, title, text, **k: told.append(text))
    shown: list = []
    _answer_box(qtbot, "Khôi phục từ bản sao lưu…", shown)
    code, opened = _run_window(monkeypatch, path)
    assert code == 0 and opened == [300] and "Trigger lạ: evil_trigger" in shown[0][0]
    kept = next(paths.backup_dir(path).glob("*-damaged.db"))  # the damaged file is kept
    conn = sqlite3.connect(kept)
    assert ("evil_trigger",) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    conn.close()
    assert str(kept) in told[0]


# ----- errors decided by SQLite's code --------------------------------------------------------

def test_real_sqlite_errors_are_classified_by_their_code(good, tmp_path):
    conn = sqlite3.connect(f"{good.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as readonly:
        conn.execute("DELETE FROM votes")
    with pytest.raises(sqlite3.OperationalError) as bug:
        conn.execute("SELECT locked FROM dossiers")  # "no such column: locked" is a bug
    conn.close()
    assert "chỉ đọc" in environment_message(readonly.value, good)
    assert environment_message(bug.value, good) is None


def test_a_bug_whose_message_mentions_locking_goes_to_the_crash_log(good, tmp_path, monkeypatch,
                                                                     capsys, data_dir):
    import core.indicators.cli as kpi_cli

    def broken(*args, **kwargs):
        sqlite3.connect(":memory:").execute("SELECT locked, readonly, full FROM sqlite_master")
    monkeypatch.setattr(kpi_cli, "compute", broken)
    path = tmp_path / "motcua.db"
    shutil.copyfile(good, path)
    assert main(["--db", str(path), "kpi", "--from", "2026-01-01", "--to", "2026-01-31"]) == 1
    err = capsys.readouterr().err
    assert "không mong muốn" in err and "khoá" not in err
    assert len(list((data_dir / "logs").glob("crash-*.log"))) == 1


# ----- read-only folder and full disk (real mounts when the tests run as root) -----------------

def _mount(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.fixture
def read_only_copy(good, tmp_path):
    """The database in a read-only folder: a read-only tmpfs as root, else chmod."""
    folder = tmp_path / "ro"
    mounted = _mount(folder, "64M")
    if not mounted:
        folder.mkdir(exist_ok=True)
    try:
        path = folder / "motcua.db"
        shutil.copyfile(good, path)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        elif os.geteuid() == 0:
            pytest.skip("root without mount: file permissions cannot make a folder read-only")
        else:
            path.chmod(0o444)
            folder.chmod(0o555)
        yield path
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)
        else:
            folder.chmod(0o755)


@pytest.fixture
def full_disk_copy(good, tmp_path):
    folder = tmp_path / "full"
    if not _mount(folder, f"{good.stat().st_size // 1024 + 256}k"):
        pytest.skip("a full disk is simulated with a small tmpfs, which needs root")
    try:
        path = folder / "motcua.db"
        shutil.copyfile(good, path)
        _fill(folder / "filler")
        yield path
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def _fill(file: Path) -> None:
    """Write zeros until the disk is full."""
    handle = open(file, "wb", buffering=0)
    try:
        while True:
            handle.write(b"\0" * 4096)
    except OSError:
        pass
    finally:
        try:
            handle.close()
        except OSError:
            pass


@pytest.mark.parametrize("where, says", [("read_only_copy", "chỉ đọc"), ("full_disk_copy", "Ổ đĩa đầy")])
def test_reading_commands_work_and_writing_ones_say_why_not(where, says, request, tmp_path, capsys):
    path = request.getfixturevalue(where)
    before = path.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    assert main(["--db", str(path), "kpi", "--from", "2026-01-01", "--to", "2026-01-31", "--json"]) == 0
    assert main(["--db", str(path), "export", "dossiers", str(out / "hs.csv")]) == 0
    assert main(["--db", str(path), "report", "monthly", "--month", "2026-01",
                 "--out", str(out / "r.pdf")]) == 0
    assert main(["--db", str(path), "backup", "--to", str(out / "bk")]) == 0  # another disk
    capsys.readouterr()
    for args in (["import", "units", str(_units_csv(tmp_path))], ["demo", "--dossiers", "5"]):
        assert main(["--db", str(path), *args]) == 1
        err = capsys.readouterr().err
        assert says in err and "restore" not in err and "không mong muốn" not in err
    assert path.read_bytes() == before


def test_the_window_opens_a_read_only_database_read_only_and_says_so(read_only_copy, qtbot):
    from gui.main_window import MainWindow
    db = open_database(read_only_copy, create=False, mode="browse")
    window = MainWindow(db, str(read_only_copy), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    assert db.read_only and window.read_only_note.isVisible()
    assert "Chế độ chỉ đọc" in window.read_only_note.text()
    window.close_database()  # screens first, then the connection (the folder is unmounted next)
    window.close()


# ----- interrupted backup and restore leave nothing behind -------------------------------------

KILLED_BACKUP = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from core.maintenance import backup
    def stall(copy, source):
        print("copied", flush=True)
        time.sleep(60)
    backup.verify_copy = stall
    backup.make_backup({db!r}, {folder!r})
""")


def test_a_killed_backup_leaves_no_hidden_copy_after_the_next_one(good, tmp_path):
    folder = tmp_path / "bk"
    child = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP.format(
        root=str(ROOT), db=str(good), folder=str(folder))], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "copied"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")]  # the hidden .part
    from core.maintenance import make_backup
    made = make_backup(good, folder)
    assert sorted(p.name for p in folder.iterdir()) == [made.name]


KILLED_RESTORE = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    import core.maintenance
    module = sys.modules["core.maintenance.restore"]  # the package exports the function
    def stall(staged, source):
        print("staged", flush=True)
        time.sleep(60)
    module.validate = stall
    module.restore({source!r}, {db!r}, backup_folder={folder!r})
""")


def test_a_killed_restore_leaves_no_hidden_copy_after_the_next_one(good, tmp_path):
    from core.maintenance import restore
    live = tmp_path / "live"
    live.mkdir()
    target = live / "motcua.db"
    shutil.copyfile(good, target)
    child = subprocess.Popen([sys.executable, "-c", KILLED_RESTORE.format(
        root=str(ROOT), source=str(good), db=str(target), folder=str(tmp_path / "bk"))],
        stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "staged"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert [p.name for p in live.iterdir() if p.name.startswith(".motcua-restore-")]
    assert target.read_bytes() == good.read_bytes()  # killed before the swap: nothing changed
    restore(good, target, backup_folder=tmp_path / "bk")
    assert sorted(p.name for p in live.iterdir()) == ["motcua.db"]


def test_a_restore_interrupted_earlier_is_tidied_at_the_next_start(good, tmp_path):
    from core.maintenance import auto_backup
    dead = _dead_pid()
    live = tmp_path / "live"
    live.mkdir()
    shutil.copyfile(good, live / "motcua.db")
    stale = [live / f".motcua-restore-{dead}-abc.db", live / f".motcua-restore-{dead}-abc.db-journal",
             live / f".motcua.db.{dead}.new"]
    mine = live / f".motcua-restore-{os.getpid()}-x.db"  # this process may still be writing it
    for file in stale + [mine]:
        file.write_bytes(b"x")
    auto_backup(live / "motcua.db", tmp_path / "bk")
    assert sorted(p.name for p in live.iterdir()) == sorted(["motcua.db", mine.name])


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("big", [False, True])
def test_the_start_up_backup_that_finds_the_database_damaged_says_so_at_once(good, tmp_path, qtbot,
                                                                              monkeypatch, big):
    """A big file is only fully checked by the daily backup: its finding is not a mere note."""
    if big:  # no quick_check at opening: the copy's integrity_check finds it
        monkeypatch.setattr("core.database.QUICK_CHECK_BYTES", 0)
    from gui import backup_restore, errors, worker
    from gui.main_window import MainWindow
    path = tmp_path / "motcua.db"
    shutil.copyfile(good, path)
    db = open_database(path, create=False)
    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc.message))
    window = MainWindow(db, str(path), auto_backup=False)
    qtbot.addWidget(window)
    _overwrite_pages_after_opening(path)
    backup_restore.start_auto_backup(window)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert DAMAGED in shown[0] and window.backup_label.text() == "Chưa sao lưu tự động được"
    window.close_database()


def _overwrite_pages_after_opening(path: Path) -> None:
    """Damage the file behind an open connection, as a failing disk would."""
    _overwrite_pages(path)
