"""backup / restore / check (spec 6): what a clerk or support person sees when keeping data safe."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from core import facts, history, paths, votes
from core.database import open_database
from core.errors import OperationError
from core.maintenance import backup as backups
from core.maintenance import check_database, restore
from db import ledger
from db.connection import connect, transaction
from db.schema import MIGRATIONS, SCHEMA_VERSION, apply_migration
from main import main

MOMENT = dt.datetime(2025, 3, 14, 9, 30, 5)


def fill(db, dossiers: int = 40, unit: str = "X01") -> None:
    """Units, a procedure, dossiers in several states and votes, written the way the app does."""
    with transaction(db) as conn:
        conn.execute("INSERT OR IGNORE INTO units(code, name, level) VALUES (?, ?, ?)",
                     [unit, f"UBND xã {unit}", "commune"])
        conn.execute("INSERT OR IGNORE INTO procedures(code, name, limit_value, limit_unit, fee) "
                     "VALUES (?, ?, ?, ?, ?)", ["1.001612", "Đăng ký khai sinh", 3, "working_days", 0])
        ids = []
        for n in range(dossiers):
            day = dt.date(2025, 1, 2) + dt.timedelta(days=n % 60)
            done = n % 3 == 0
            conn.execute(
                "INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, channel, "
                "received_at, status, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [f"{unit}-{day:%y%m%d}-{n:04d}", unit, "1.001612", f"Nguyễn Văn {n}",
                 ("direct", "online")[n % 2], f"{day} 09:00:00", "done" if done else "processing",
                 f"{day + dt.timedelta(days=n % 9)} 15:00:00" if done else None])
            made = conn.execute("SELECT MAX(id) FROM dossiers").fetchone()[0]  # not lastrowid: a view
            ids.append(made)
            _history(conn, made, n, day, done)
        facts.refresh(db, ids)
        for n in range(dossiers // 4):
            rating = ("very_satisfied", "satisfied", "neutral")[n % 3]
            voted = f"2025-02-{1 + n % 27:02d} 10:00:00"
            conn.execute("INSERT INTO votes(unit_code, voted_at, rating) VALUES (?, ?, ?)",
                         [unit, voted, rating])
            made = conn.execute("SELECT MAX(id) FROM votes").fetchone()[0]  # not lastrowid: a view
            ledger.added(conn, "votes", "id = ?", [made])  # as core.votes does
            facts.count_vote(conn, unit, voted, rating)


def count(path: Path, sql: str = "SELECT COUNT(*) FROM dossiers"):
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _history(conn, dossier_id: int, n: int, day: dt.date, done: bool) -> None:
    """The events the app writes with such a dossier (check compares the two)."""
    history.record(conn, dossier_id, f"{day} 09:00:00", None, "receive", None, "received", None,
                   history.receive_details(("direct", "online")[n % 2], None, None))
    history.record(conn, dossier_id, f"{day} 09:00:00", None, "start_processing", "received",
                   "processing", None)
    if done:
        history.record(conn, dossier_id, f"{day + dt.timedelta(days=n % 9)} 15:00:00", None,
                       "finish", "processing", "done", None)


@pytest.fixture
def filled(db_path) -> Path:
    """A database with data, closed again (as when MotCua is not running)."""
    db = open_database(db_path)
    fill(db)
    db.close()
    return db_path


@pytest.fixture
def app_db(filled):
    """The same database held open, as by a running MotCua window."""
    db = open_database(filled)
    yield db
    db.close()


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("core.timefmt.now", lambda: MOMENT)
    return MOMENT


# ----- backup ------------------------------------------------------------------------------

def test_backup_command_writes_a_verified_named_copy_and_prints_its_path(filled, data_dir, frozen_now, capsys):
    assert main(["--db", str(filled), "backup"]) == 0
    copy = paths.backup_dir(filled) / "motcua-20250314-093005.db"
    assert str(copy) in capsys.readouterr().out
    assert count(copy) == 40
    assert count(copy, "PRAGMA integrity_check") == "ok"
    assert count(copy, "PRAGMA journal_mode") == "delete"  # one self-contained file
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]


def test_backup_to_a_folder_not_there_makes_it_and_says_so(filled, tmp_path, frozen_now, capsys):
    """`backup --to E:\\2025-03-14` (a new dated folder on a USB stick) is normal: the folder
    is made, as before, but no longer in silence (a mistyped folder name was seen nowhere),
    said on stderr in the words of a new database file's note; stdout names the copy."""
    target = tmp_path / "usb" / "2025-03-14"
    assert main(["--db", str(filled), "backup", "--to", str(target)]) == 0
    out, err = capsys.readouterr()
    copy = target / "motcua-20250314-093005.db"
    assert f"Đã sao lưu cơ sở dữ liệu vào {copy}" in out
    said = " ".join(err.split())
    assert f"Lưu ý: chưa có thư mục '{target}' nên đã tạo thư mục ấy" in said
    assert str(copy) in said and "Traceback" not in said
    assert count(copy) == 40
    assert main(["--db", str(filled), "backup", "--to", str(target)]) == 0
    assert "chưa có thư mục" not in capsys.readouterr().err  # there now: nothing to say


def test_a_failed_backup_leaves_no_folder_it_made(filled, tmp_path, monkeypatch, capsys):
    """The folders a backup made for its copy go again when the copy fails (nothing left
    behind); a folder that was there already stays."""
    monkeypatch.setattr(backups, "verify_copy", lambda copy, source: (_ for _ in ()).throw(
        backups.DamagedSource("hỏng")))
    assert main(["--db", str(filled), "backup", "--to", str(tmp_path / "usb" / "moi")]) == 1
    assert "chưa có thư mục" not in capsys.readouterr().err
    assert not (tmp_path / "usb").exists()
    (tmp_path / "usb").mkdir()
    with pytest.raises(OperationError):
        backups.make_backup(filled, tmp_path / "usb" / "moi", moment=MOMENT)
    assert list((tmp_path / "usb").iterdir()) == []


def test_backup_sees_what_the_running_app_just_wrote(filled, tmp_path, app_db):
    fill(app_db, dossiers=5, unit="X02")  # committed in the app's WAL, not yet checkpointed
    assert Path(f"{filled}-wal").stat().st_size > 0
    copy = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    assert count(copy) == 45


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(filled, tmp_path):
    first = backups.make_backup(filled, tmp_path, moment=MOMENT)
    second = backups.make_backup(filled, tmp_path, moment=MOMENT)
    assert (first.name, second.name) == ("motcua-20250314-093005.db", "motcua-20250314-093005-2.db")


def test_backup_to_a_place_that_cannot_be_written_says_so_and_leaves_nothing(filled, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["--db", str(filled), "backup", "--to", str(blocker / "sub")]) == 1
    err = capsys.readouterr().err
    assert "Không ghi được bản sao lưu vào thư mục" in err and "Traceback" not in err
    assert main(["--db", str(filled), "backup", "--to", str(blocker)]) == 1
    assert "là một tệp" in capsys.readouterr().err


def test_backup_onto_a_read_only_disk_says_so_without_a_crash(filled, tmp_path, monkeypatch, capsys):
    """A write-protected USB stick: the copy fails and so does removing its leftovers."""
    import errno

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    def copy_fails(source, dest, folder):
        raise OperationError(backups._unwritable(folder, sqlite3.OperationalError("readonly")))
    monkeypatch.setattr(backups, "copy_database", copy_fails)
    monkeypatch.setattr(backups.Path, "unlink", read_only)
    assert main(["--db", str(filled), "backup", "--to", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Không ghi được bản sao lưu vào thư mục" in err
    assert "lỗi không mong muốn" not in err.lower() and "Read-only" not in err


def test_a_copy_that_fails_verification_leaves_no_file_behind(filled, tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "verify_copy", lambda copy, source: (_ for _ in ()).throw(
        backups.DamagedSource("hỏng")))
    with pytest.raises(OperationError):
        backups.make_backup(filled, tmp_path / "b", moment=MOMENT)
    assert not (tmp_path / "b").exists()  # not even the folder it made for the copy


def test_backup_of_a_missing_database_is_refused_without_creating_it(tmp_path, capsys):
    missing = tmp_path / "none.db"
    assert main(["--db", str(missing), "backup", "--to", str(tmp_path)]) == 2
    assert f"Không có tệp cơ sở dữ liệu '{missing}'" in capsys.readouterr().err
    assert not missing.exists()


# ----- automatic backups ---------------------------------------------------------------------

def test_auto_backup_makes_at_most_one_copy_a_day(filled, tmp_path):
    first = backups.auto_backup(filled, tmp_path, moment=MOMENT)
    assert first.name == "motcua-20250314-093005-auto.db"
    assert backups.auto_backup(filled, tmp_path, moment=MOMENT + dt.timedelta(hours=5)) is None
    assert backups.auto_backup(filled, tmp_path, moment=MOMENT + dt.timedelta(days=1)) is not None


def test_auto_backup_does_nothing_before_a_database_exists(tmp_path):
    assert backups.auto_backup(tmp_path / "new.db", tmp_path / "b", moment=MOMENT) is None
    assert not (tmp_path / "b").exists()


def test_thinning_keeps_7_daily_4_weekly_12_monthly_like_anki():
    start = dt.datetime(2024, 1, 1, 8, 0)
    stamps = [start + dt.timedelta(days=n) for n in range(500)]
    dropped = set(backups.obsolete(stamps))
    kept = sorted(set(stamps) - dropped, reverse=True)
    assert len(kept) == 7 + 4 + 12
    assert kept[:7] == stamps[-7:][::-1]  # the last seven days, every one
    assert len({s.date() for s in kept}) == len(kept)
    assert (kept[0] - kept[-1]).days > 330  # weekly, then monthly copies reach back a year


def test_daily_auto_backups_over_two_months_are_thinned_and_manual_ones_kept(filled, tmp_path):
    manual = backups.make_backup(filled, tmp_path, moment=MOMENT - dt.timedelta(days=90))
    for n in range(60):
        backups.auto_backup(filled, tmp_path, moment=MOMENT + dt.timedelta(days=n))
    autos = backups.backups_in(tmp_path, auto=True)
    assert 7 <= len(autos) <= 7 + 4 + 12
    assert autos[0][0] == MOMENT + dt.timedelta(days=59)
    assert manual.exists()


# ----- restore -----------------------------------------------------------------------------

def test_restore_puts_the_backup_back_and_keeps_a_copy_of_what_was_there(filled, tmp_path, data_dir,
                                                                          frozen_now, capsys):
    saved = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    db = open_database(filled)
    fill(db, dossiers=8, unit="X02")  # work done after the backup
    db.close()
    assert main(["--db", str(filled), "restore", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "Đã khôi phục" in out and "Đã sao lưu cơ sở dữ liệu cũ" in out
    assert "Bản khôi phục cũ hơn" in out and "sự kiện ghi sau bản sao lưu không còn" in out
    assert count(filled) == 40
    previous = paths.backup_dir(filled) / "motcua-20250314-093005.db"
    assert count(previous) == 48
    assert check_database(filled) and all(f.ok for f in check_database(filled))
    assert not [p for p in filled.parent.iterdir() if p.name.startswith(".motcua-restore")]


def test_restore_onto_a_new_pc_creates_the_data_folder(filled, tmp_path, data_dir, monkeypatch):
    saved = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    new_home = tmp_path / "newpc" / "MotCua"
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(new_home))
    assert main(["restore", str(saved)]) == 0
    assert count(new_home / "motcua.db") == 40


def _assert_refused(filled: Path, bad: Path, capsys, words: str) -> None:
    before = filled.read_bytes()
    assert main(["--db", str(filled), "restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert words in err and str(bad) in err and "Traceback" not in err
    assert filled.read_bytes() == before
    leftovers = [p.name for p in filled.parent.iterdir() if p.name.startswith(".motcua-restore")]
    assert leftovers == []


def test_restore_refuses_a_file_that_is_not_a_database(filled, tmp_path, capsys):
    bad = tmp_path / "baocao.db"
    bad.write_bytes(b"Day la mot bao cao, khong phai co so du lieu\n" * 200)
    _assert_refused(filled, bad, capsys, "không phải là cơ sở dữ liệu MotCua")


def test_restore_refuses_another_programs_sqlite_file(filled, tmp_path, capsys):
    bad = tmp_path / "other.db"
    conn = sqlite3.connect(str(bad))
    conn.execute("CREATE TABLE contacts(name TEXT)")
    conn.commit()
    conn.close()
    _assert_refused(filled, bad, capsys, "không phải là cơ sở dữ liệu MotCua")


def test_restore_refuses_a_database_from_a_newer_version(filled, tmp_path, capsys):
    bad = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    conn = sqlite3.connect(str(bad))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    conn.close()
    _assert_refused(filled, bad, capsys, "phiên bản MotCua mới hơn")


def corrupt(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk or a cut copy would."""
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file first
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    pages = path.stat().st_size // page
    with open(path, "r+b") as handle:
        # two whole pages in the middle: a part of one page could fall in its unused space,
        # which no check reads (it did once pages grew to 16 KB)
        handle.seek(pages // 2 * page)
        handle.write(b"\xff\x00" * page)


def test_restore_refuses_a_damaged_backup(filled, tmp_path, capsys):
    db = open_database(filled)
    fill(db, dossiers=400, unit="X02")
    db.close()
    bad = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    corrupt(bad)
    _assert_refused(filled, bad, capsys, "hỏng")


def test_restore_refuses_the_database_itself(filled, capsys):
    assert main(["--db", str(filled), "restore", str(filled)]) == 2
    assert "chính là cơ sở dữ liệu đang dùng" in capsys.readouterr().err


def test_restore_of_a_missing_file_is_bad_input(filled, tmp_path, capsys):
    assert main(["--db", str(filled), "restore", str(tmp_path / "khong-co.db")]) == 2
    assert "Không tìm thấy tệp sao lưu" in capsys.readouterr().err


def test_restore_waits_for_other_windows_to_close(filled, tmp_path, app_db):
    saved = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    fill(app_db, dossiers=3, unit="X03")  # the app still has the database open
    with pytest.raises(OperationError, match="đang được mở"):
        restore(saved, filled, backup_folder=tmp_path / "b")
    assert count(filled) == 43


def test_restore_migrates_an_older_backup(filled, tmp_path):
    old = tmp_path / "v1.db"
    conn_db = connect(old)
    apply_migration(conn_db, 0)  # a database of schema version 1
    with transaction(conn_db) as conn:
        conn.execute("INSERT INTO units(code, name) VALUES ('X09', 'UBND xã cũ')")
        conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) "
                     "VALUES ('2.000001', 'Chứng thực', 1, 'working_days')")
        conn.execute("INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, "
                     "channel, received_at, status) VALUES ('X09-250124-0001', 'X09', '2.000001', "
                     "'Lê Thị Cũ', 'direct', '2025-01-24 10:00:00', 'received')")
    conn_db.close()
    result = restore(old, filled, backup_folder=tmp_path / "b")
    assert result.schema_before == 1 < len(MIGRATIONS)
    assert count(filled, "PRAGMA user_version") == SCHEMA_VERSION
    assert count(filled, "SELECT calc_due_at FROM dossiers") == "2025-02-03 10:00:00"  # one working day, across Tết


def test_restore_over_a_damaged_database_keeps_its_bytes(filled, tmp_path):
    saved = backups.make_backup(filled, tmp_path / "usb", moment=MOMENT)
    filled.write_bytes(b"hong" * 1000)
    result = restore(saved, filled, backup_folder=tmp_path / "b", moment=MOMENT)
    assert result.previous_backup.name == "motcua-20250314-093005-damaged.db"
    assert result.previous_backup.read_bytes() == b"hong" * 1000
    assert count(filled) == 40


# ----- check -------------------------------------------------------------------------------

def test_check_of_a_healthy_database_exits_0(filled, capsys):
    assert main(["--db", str(filled), "check"]) == 0
    out = capsys.readouterr().out
    assert out.count("[ĐẠT]") == 20 and "[LỖI]" not in out
    assert "[ĐẠT] Chưa có bản ghi duyệt số liệu nào." in out  # round 38 (mend38)
    assert "[ĐẠT] Nguồn của mọi phiếu đánh giá đúng dạng" in out  # round 33 (review33b)
    assert "[ĐẠT] Mã và tên mọi đơn vị trong Danh mục đúng quy tắc (độ dài, không có ký tự điều " \
        "khiển)." in out  # round 32
    assert "[ĐẠT] Danh mục đơn vị không có vòng lặp cấp trên hay đơn vị kế thừa." in out  # round 31
    assert "[ĐẠT] Mỗi hồ sơ có nhiều nhất một phiếu đánh giá còn hiệu lực." in out
    assert "[ĐẠT] Mọi hồ sơ được tiếp nhận và giao giải quyết ở đơn vị đang hoạt động vào ngày " \
        "tiếp nhận (theo ngày hoạt động trong Danh mục)." in out  # round 30
    assert "cơ sở dữ liệu tốt" in out


def test_check_finds_tampered_indicator_sums_and_the_next_opening_repairs_them(filled, capsys):
    conn = sqlite3.connect(str(filled))
    conn.execute("UPDATE kpi_daily SET recv_online = recv_online + 2 "
                 "WHERE day = (SELECT MIN(day) FROM kpi_daily WHERE recv_online > 0)")
    day = conn.execute("SELECT MIN(day) FROM kpi_daily WHERE recv_online > 0").fetchone()[0]
    conn.commit()
    conn.close()
    assert main(["--db", str(filled), "check"]) == 1
    out = capsys.readouterr().out
    shown = dt.date.fromisoformat(day).strftime("%d/%m/%Y")
    assert "[LỖI] Số liệu tổng hợp" in out and f"ngày {shown}, cột recv_online" in out
    assert main(["--db", str(filled), "check"]) == 0  # rebuilt from the dossiers on opening


def test_check_finds_a_dossier_holding_two_live_votes(filled, capsys):
    """One vote a dossier (kiosk, window, vote import): an exchange choice of an older program
    left a citizen's vote live on another citizen's dossier of the code beside its own (round
    22's tester) — the satisfaction share counted it and `check` said nothing."""
    db = open_database(filled)
    dossier, code = db.execute("SELECT id, code FROM dossiers ORDER BY id LIMIT 1").fetchone()
    votes.add_vote(db, unit_code="X01", voted_at=dt.datetime(2025, 2, 3, 10, 0),
                   rating="satisfied", dossier_id=dossier)
    with transaction(db) as conn:  # the other citizen's, as the older merge wrote it
        conn.execute("INSERT INTO votes(unit_code, voted_at, rating, dossier_id) "
                     "VALUES ('X01', '2025-02-03 11:00:00', 'dissatisfied', ?)", [dossier])
        made = conn.execute("SELECT MAX(id) FROM votes").fetchone()[0]
        ledger.added(conn, "votes", "id = ?", [made])
        facts.count_vote(conn, "X01", "2025-02-03 11:00:00", "dissatisfied")
    facts.refresh(db, [dossier])  # its 766 facts (a complaint) as the merge recomputed them
    db.close()
    assert main(["--db", str(filled), "check"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert (f"[LỖI] Hồ sơ có hơn một phiếu đánh giá còn hiệu lực (một phiếu bị tính hai lần, "
            f"hoặc phiếu của công dân khác nằm nhầm hồ sơ): {code} (2 phiếu).") in out
    assert "không cần khôi phục bản sao lưu" in out  # the vote cancelled, not a backup
    # what the dossier window offers (gui.dossiers.vote_cancel): the clerk picks the extra one
    assert ("Mở hồ sơ (dòng Đánh giá nêu từng phiếu), xem Lịch sử xử lý để biết phiếu nào thừa; "
            "bấm «Huỷ phiếu đánh giá…», chọn đúng phiếu thừa trong bảng của hộp thoại rồi ghi "
            "lý do.") in out
    db = open_database(filled)
    first = db.execute("SELECT MIN(id) FROM votes WHERE dossier_id = ?", [dossier]).fetchone()[0]
    votes.cancel_vote(db, first, reason="Phiếu thừa")
    db.close()
    assert main(["--db", str(filled), "check"]) == 0


def test_check_finds_dangling_references(filled, capsys):
    conn = sqlite3.connect(str(filled))
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO payments(dossier_id, amount, method, paid_at) "  # its rows: payment_rows
                 "VALUES (99999, 1000, 'cash', '2025-02-01 09:00:00')")
    conn.commit()
    conn.close()
    assert main(["--db", str(filled), "check"]) == 1
    assert "[LỖI] Có 1 dòng trỏ tới dữ liệu không tồn tại (payment_rows: 1 dòng)" in capsys.readouterr().out


def test_check_reports_a_damaged_file_and_does_not_touch_it(filled, capsys):
    db = open_database(filled)
    fill(db, dossiers=400, unit="X02")
    db.close()
    corrupt(filled)
    before = filled.read_bytes()
    assert main(["--db", str(filled), "check"]) == 1
    captured = capsys.readouterr()
    assert "[LỖI]" in captured.out and "restore" in captured.out + captured.err
    assert filled.read_bytes() == before


def test_check_of_a_foreign_file_or_a_missing_one(tmp_path, capsys):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(str(other))
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    assert main(["--db", str(other), "check"]) == 1
    assert "không phải là cơ sở dữ liệu MotCua" in capsys.readouterr().out
    missing = tmp_path / "none.db"
    assert main(["--db", str(missing), "check"]) == 2
    assert f"Không có tệp cơ sở dữ liệu '{missing}'" in capsys.readouterr().err
    assert not missing.exists() and not Path(f"{missing}-wal").exists()


def test_check_reports_an_older_schema_and_upgrades_it(tmp_path, capsys):
    old = tmp_path / "v1.db"
    db = connect(old)
    apply_migration(db, 0)
    db.close()
    assert main(["--db", str(old), "check"]) == 0
    assert "Lược đồ phiên bản 1: cũ, được nâng cấp lên" in capsys.readouterr().out
    assert count(old, "PRAGMA user_version") == SCHEMA_VERSION


def test_maintenance_commands_are_registered():
    from core.cli import COMMANDS

    for name in ("backup", "restore", "check", "selftest"):
        module, _, function = COMMANDS[name].partition(":")
        assert callable(getattr(__import__(module, fromlist=[function]), function))
