"""The command line's common rules (spec 6), one test per rule over every command it covers:
the kinds of `export` that take a period."""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import main
from core import cli
from core.errors import InputError
from core.workbook.cli import PERIOD_KINDS, refuse_period_options

ROOT = Path(__file__).resolve().parent.parent


def _help(*argv: str, capsys) -> str:
    with pytest.raises(SystemExit):
        main.build_parser().parse_args([*argv, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_export_help_names_every_kind_that_takes_a_period(capsys):
    """`export dossiers FILE --from --to --unit` works since round 20; the help said
    'register, bieu06, i766' only. The help and the refusal read one list."""
    said = _help("export", capsys=capsys)
    kinds = ", ".join(PERIOD_KINDS)
    assert "dossiers" in PERIOD_KINDS
    for option in ("--from DATE", "--to DATE", "--unit CODE"):
        assert f"{option} {kinds}:" in said, option
    for kind in main.KINDS:
        args = argparse.Namespace(kind=kind, date_from="2026-10-01", date_to=None, unit=None,
                                  by=None)
        if kind in PERIOD_KINDS:
            refuse_period_options(args)
        else:
            with pytest.raises(InputError, match="chỉ dùng với export " + "\\|".join(PERIOD_KINDS)):
                refuse_period_options(args)


# ----- a database file that is not there (core.cli.require_database) -------------------------
PERIOD = ("--from", "2026-10-01", "--to", "2026-10-31")
# every command that reads or adds to an office's existing data, as a clerk would type it
ON_EXISTING_DATA = {
    "import": ("import", "units", "u.csv"),
    "export": ("export", "units", "x.csv"),
    "export register": ("export", "register", "x.xlsx", *PERIOD),
    "export bieu06": ("export", "bieu06", "x.xlsx", *PERIOD),
    "export i766": ("export", "i766", "x.xlsx", *PERIOD),
    "kpi": ("kpi", *PERIOD),
    "reconcile": ("reconcile", "tinh.csv", *PERIOD),
    "report monthly": ("report", "monthly", "--month", "2026-10", "--out", "r.pdf"),
    "report book": ("report", "book", *PERIOD, "--out", "r.pdf"),
    "slip": ("slip", "receipt", "U1-1", "--out", "s.pdf"),
    "backup": ("backup",),
    "check": ("check",),
    "exchange export": ("exchange", "export", "--since", "2026-10-01", "--out", "g.zip"),
    "exchange import": ("exchange", "import", "g.zip"),
    "exchange identity": ("exchange", "identity", "--slot", "1", "--of", "2"),
    "exchange forget-key": ("exchange", "forget-key", "0123456789abcdef"),
    "exchange keys": ("exchange", "keys"),
    "profile list": ("profile", "list"),
    "profile show": ("profile", "show", "national"),
    "profile rename": ("profile", "rename", "a", "b"),
    "profile delete": ("profile", "delete", "a"),
    "profile export": ("profile", "export", "national", "p.json"),
    "profile import": ("profile", "import", "p.json"),
    "privacy log": ("privacy", "log", *PERIOD),
    "privacy retention": ("privacy", "retention", "--dry-run"),
    "privacy find": ("privacy", "find", "--name", "Nguyễn Văn A"),
    "privacy export": ("privacy", "export", "--name", "Nguyễn Văn A", "--out", "x.pdf"),
    "privacy breach": ("privacy", "breach", *PERIOD, "--out", "x.pdf"),
    "kiosk": ("kiosk",),  # a window, started before core.cli.dispatch (main.run)
}


def test_every_command_is_either_creating_or_refuses_a_missing_file():
    assert set(ON_EXISTING_DATA) | cli.CREATES_DATABASE == set(cli.COMMANDS) | {"kiosk"}
    assert not set(ON_EXISTING_DATA) & cli.CREATES_DATABASE
    assert cli.CREATES_WHEN_TOLD <= set(ON_EXISTING_DATA)


@pytest.mark.parametrize("name", sorted(set(ON_EXISTING_DATA) - cli.CREATES_WHEN_TOLD))
def test_a_mistyped_db_is_refused_and_nothing_is_created(name, tmp_path, monkeypatch, capsys):
    """`--db trungtam.db` typed `trungtam.bd`: every command that only reads an office's data
    refuses it, exit 2 (kpi refused in its own words, exit 1; export made an empty file)."""
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    typo = tmp_path / "trungtam.bd"
    assert main.main(["--db", str(typo), *ON_EXISTING_DATA[name]]) == 2
    err = capsys.readouterr().err
    assert f"Không có tệp cơ sở dữ liệu '{typo}' — kiểm tra lại tên tệp (--db). Chưa tạo gì." in err
    assert "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("name", sorted(cli.CREATES_WHEN_TOLD))
def test_a_command_that_fails_on_a_new_file_leaves_no_file(name, tmp_path, monkeypatch, capsys):
    """import, exchange import, exchange identity may start a new file (spec 6: `import KIND
    FILE` sets up an office), but one that fails after opening it (a row without its name, a
    package that is not there, a slot out of range) leaves no empty database behind to be
    taken for an office's data."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text("code,name,level,parent_code\nX01,,commune,\n",
                                    encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    argv = {"exchange identity": ("exchange", "identity", "--slot", "3", "--of", "2")}.get(
        name, ON_EXISTING_DATA[name])
    assert main.main(["--db", str(tmp_path / "trungtam.bd"), *argv]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert sorted(tmp_path.rglob("*")) == before


def test_without_db_a_machine_that_never_opened_the_app_is_told_so(data_dir, capsys):
    assert main.main(["kpi", *PERIOD]) == 2
    err = capsys.readouterr().err
    assert f"Chưa có cơ sở dữ liệu trên máy này ('{data_dir / 'motcua.db'}'" in err
    assert list(data_dir.iterdir()) == []


UNITS_CSV = "code,name,level,parent_code\nX01,Xã Một,commune,\n"


def test_a_new_office_or_centre_creates_its_file_and_is_told_unless_it_says_new_db(
        tmp_path, capsys):
    """import, exchange import and exchange identity start a new file: told on stderr (a
    mistyped name is seen at once), quietly with --new-db; a dry run previews against an
    empty database and still creates nothing."""
    units = tmp_path / "u.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    new = tmp_path / "xa.db"
    assert main.main(["--db", str(new), "import", "units", str(units), "--dry-run",
                      "--new-db"]) == 0
    assert not new.exists()
    assert main.main(["--db", str(new), "import", "units", str(units), "--new-db"]) == 0
    assert new.is_file()
    assert "đã tạo" not in capsys.readouterr().err  # --new-db: meant, not told
    package = tmp_path / "goi.zip"
    assert main.main(["--db", str(new), "exchange", "export", "--since", "2026-01-01",
                      "--out", str(package)]) == 0
    capsys.readouterr()
    centre = tmp_path / "trungtam.db"
    assert main.main(["--db", str(centre), "exchange", "import", str(package), "--dry-run"]) == 0
    assert not centre.exists()
    assert "đã tạo" not in capsys.readouterr().err
    assert main.main(["--db", str(centre), "exchange", "import", str(package)]) == 0
    told = " ".join(capsys.readouterr().err.split())
    assert f"Lưu ý: chưa có tệp '{centre}' nên đã tạo cơ sở dữ liệu mới ở đó." in told
    assert main.main(["--db", str(centre), "exchange", "import", str(package)]) == 0
    assert "đã tạo" not in capsys.readouterr().err  # the second time: the file was there
    assert main.main(["--db", str(centre), "export", "units", str(tmp_path / "c.csv")]) == 0
    assert "X01" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    counter = tmp_path / "quay2.db"
    assert main.main(["--db", str(counter), "exchange", "identity", "--slot", "2", "--of", "3",
                      "--new-db"]) == 0
    assert counter.is_file()
    capsys.readouterr()


def test_the_demo_creates_its_file(tmp_path):
    new = tmp_path / "demo.db"
    assert main.main(["--db", str(new), "demo", "--dossiers", "5"]) == 0
    assert new.is_file()


# ----- a file that is there already (core.paths.refuse_existing) ---------------------------
# every command that writes a file the user names: its argv for a target named T
WRITING = {
    "export": ("export", "units", "T.csv"),
    "export register": ("export", "register", "T.xlsx", *PERIOD),
    "export bieu06": ("export", "bieu06", "T.xlsx", *PERIOD),
    "export i766": ("export", "i766", "T.xlsx", *PERIOD),
    "report monthly": ("report", "monthly", "--month", "2026-10", "--out", "T.pdf"),
    "report book": ("report", "book", *PERIOD, "--out", "T.pdf"),
    "slip": ("slip", "receipt", "U1-1", "--out", "T.pdf"),
    "reconcile": ("reconcile", "tinh.csv", *PERIOD, "--out", "T.pdf"),
    "privacy export": ("privacy", "export", "--name", "Nguyễn Văn A", "--out", "T.pdf"),
    "privacy breach": ("privacy", "breach", *PERIOD, "--out", "T.pdf"),
    "profile export": ("profile", "export", "national", "T.json"),
    "exchange export": ("exchange", "export", "--since", "2026-10-01", "--out", "T.zip"),
}


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    """An office with one dossier, and the provincial export `reconcile` reads (tinh.csv)."""
    from core.database import open_database
    from tests.core.factories import add_dossier, add_procedures, add_units

    folder = tmp_path_factory.mktemp("office")
    path = folder / "office.db"
    db = open_database(path)
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="U1-1", received=dt.datetime(2026, 10, 5, 9))
    db.close()
    assert main.main(["--db", str(path), "export", "dossiers", str(folder / "tinh.csv"),
                      "--profile", "national"]) == 0
    return path


def test_every_writing_command_takes_overwrite():
    assert set(WRITING) == set(cli.WRITES)
    for name, argv in WRITING.items():
        args = main.build_parser().parse_args([*argv, "--overwrite"])
        assert cli.command_name(args) == name and args.overwrite
        assert getattr(args, cli.WRITES[name]).startswith("T.")


@pytest.mark.parametrize("name", sorted(WRITING))
def test_an_existing_file_is_refused_untouched_and_replaced_with_overwrite(
        name, office, tmp_path, monkeypatch, capsys):
    """`export units` over yesterday's provincial export, `report monthly` over last month's
    report: written over in silence; only `exchange export` refused."""
    monkeypatch.chdir(office.parent)
    argv = [arg.replace("T.", f"{tmp_path}/T.") for arg in WRITING[name]]
    target = next(Path(arg) for arg in argv if arg.startswith(f"{tmp_path}/T."))
    target.write_bytes(b"cannot be made again")
    assert main.main(["--db", str(office), *argv]) == 2
    err = capsys.readouterr().err
    assert (f"Tệp '{target}' đã có. Chưa ghi gì. Muốn thay tệp ấy, thêm --overwrite.") in err
    assert target.read_bytes() == b"cannot be made again"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["T" + target.suffix, "data"]
    assert main.main(["--db", str(office), *argv, "--overwrite"]) == 0, capsys.readouterr().err
    assert target.read_bytes() != b"cannot be made again" and target.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["T" + target.suffix, "data"]


@pytest.mark.parametrize("argv", [("import", "units", "u.csv"),
                                  ("exchange", "identity", "--slot", "1", "--of", "1")])
def test_a_new_database_in_a_folder_not_there_is_bad_input(argv, tmp_path, monkeypatch, capsys):
    """Tester, round 21: `--db nodir/x.db import …` exited 1 where every file written into a
    folder typed wrong exits 2 (core.paths.require_folder), naming the folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text(UNITS_CSV, encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    assert main.main(["--db", str(tmp_path / "nodir" / "x.db"), *argv]) == 2
    err = capsys.readouterr().err
    assert f"Thư mục {tmp_path / 'nodir'} không tồn tại" in err and "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before


def test_a_demo_into_a_file_with_dossiers_is_bad_input(tmp_path, capsys):
    """Tester, round 21: refused, nothing written, but exit 1 (a failure of the program)."""
    db = tmp_path / "x.db"
    assert main.main(["--db", str(db), "demo", "--dossiers", "20"]) == 0
    assert main.main(["--db", str(db), "demo", "--dossiers", "20"]) == 2
    assert "đã có 20 hồ sơ" in capsys.readouterr().err


def test_showing_the_identity_of_a_missing_file_creates_nothing(tmp_path, capsys):
    """`exchange identity` alone shows this installation's id and slot: it reads. On a
    mistyped --db it made a new database (a fresh installation id shown as if it were the
    office's, the file left behind); only setting the slot (--slot K --of N) starts a file."""
    typo = tmp_path / "quay2.bd"
    before = sorted(tmp_path.rglob("*"))
    assert main.main(["--db", str(typo), "exchange", "identity"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"Không có tệp cơ sở dữ liệu '{typo}' — kiểm tra lại tên tệp (--db). Chưa tạo gì." in err
    assert "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("argv", [("--new-machine",), ("--new-machine", "--slot", "2", "--of", "3"),
                                  ("--same-machine",)])
def test_answering_for_a_copied_file_that_is_not_there_says_so(argv, tmp_path, capsys):
    """`exchange identity --new-machine` answers for a file copied from another PC. On a
    path holding no file it said "kiểm tra lại tên tệp … Cơ sở dữ liệu mới được tạo …" (a
    new database is no answer to a copy) or, with --slot, made a new file and refused it
    with "Tệp dữ liệu này được lập cho máy này. Không cần --new-machine": a file the clerk
    never had. It says there is no database at that path, nothing was done, and what to do."""
    typo = tmp_path / "quay2.bd"
    before = sorted(tmp_path.rglob("*"))
    assert main.main(["--db", str(typo), "exchange", "identity", *argv]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"Không có tệp cơ sở dữ liệu nào ở '{typo}'" in err
    assert f"{argv[0]} dùng cho một tệp dữ liệu đã chép từ máy khác sang" in err
    assert "Chưa làm gì, chưa tạo tệp nào." in err
    assert "exchange identity --slot K --of N" in err and "được lập cho máy này" not in err
    assert "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before


class _ReaderGone:
    """A stdout whose reader has left (`motcua … | head -1`)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        import io
        raise io.UnsupportedOperation("fileno")


@pytest.mark.real_new_database  # the creation itself (tests/new_database.py)
def test_a_new_file_an_import_wrote_stays_when_the_reader_of_its_output_left(
        tmp_path, monkeypatch, capsys):
    """The import commits, then prints its summary; `| head -1` closes the pipe and the print
    fails (BrokenPipeError, exit 1). The new file the import made and filled was removed as
    if the command had failed before writing: the centre's packages gone with it."""
    units = tmp_path / "u.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    office, package = tmp_path / "xa.db", tmp_path / "goi.zip"
    assert main.main(["--db", str(office), "import", "units", str(units), "--new-db"]) == 0
    assert main.main(["--db", str(office), "exchange", "export", "--since", "2026-01-01",
                      "--out", str(package)]) == 0
    capsys.readouterr()
    centre = tmp_path / "trungtam.db"
    monkeypatch.setattr("sys.stdout", _ReaderGone())
    assert main.main(["--db", str(centre), "exchange", "import", str(package)]) == 1
    monkeypatch.undo()
    assert centre.is_file()
    assert main.main(["--db", str(centre), "export", "units", str(tmp_path / "c.csv")]) == 0
    assert "X01" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")


@pytest.mark.real_new_database  # the creation itself (tests/new_database.py)
def test_a_new_file_an_import_wrote_stays_when_what_it_says_after_fails(
        tmp_path, monkeypatch, capsys):
    """A fault after the commit (in the summary printed) is a bug to report, not "nothing
    written": the centre's new file keeps what was imported, and says it was made."""
    units = tmp_path / "u.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    office, package = tmp_path / "xa.db", tmp_path / "goi.zip"
    assert main.main(["--db", str(office), "import", "units", str(units), "--new-db"]) == 0
    assert main.main(["--db", str(office), "exchange", "export", "--since", "2026-01-01",
                      "--out", str(package)]) == 0
    capsys.readouterr()
    centre = tmp_path / "trungtam.db"

    def broken(*_args):
        raise RuntimeError("a fault in the summary")

    monkeypatch.setattr("core.exchange.cli.summary", broken)
    monkeypatch.setattr("core.crashlog.write", lambda exc: tmp_path / "crash.txt")
    assert main.main(["--db", str(centre), "exchange", "import", str(package)]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"Lưu ý: chưa có tệp '{centre}' nên đã tạo cơ sở dữ liệu mới ở đó." in err
    monkeypatch.undo()
    assert main.main(["--db", str(centre), "export", "units", str(tmp_path / "c.csv")]) == 0
    assert "X01" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")


# ----- Ctrl-C during a command that made a new file (core.cli.dispatch) -----------------------
def _interrupted(*_args, **_kwargs):
    raise KeyboardInterrupt


@pytest.mark.real_new_database  # the creation itself (tests/new_database.py)
def test_ctrl_c_before_an_import_wrote_leaves_no_new_file(tmp_path, monkeypatch, capsys):
    """Ctrl-C while `import units FILE` wrote into a new file, before its commit: an empty
    database stayed behind, with the note that it had been made, to be taken for an office's
    data next time. The file this very run made and that holds nothing but a new file's
    contents goes; what happened is said; the exit code is the command line's for a stop (1)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text(UNITS_CSV, encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    new = tmp_path / "xa.db"
    # inside the import's transaction, its rows written and not committed
    monkeypatch.setattr("core.transfer.importing.log_change", _interrupted)
    assert main.main(["--db", str(new), "import", "units", "u.csv"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "Đã dừng theo yêu cầu." in err
    assert f"Tệp '{new}' do lệnh này vừa tạo chưa có dữ liệu nào nên đã được xoá." in err
    assert "đã tạo cơ sở dữ liệu mới" not in err and "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.real_new_database  # the creation itself (tests/new_database.py)
def test_ctrl_c_after_an_import_wrote_keeps_the_new_file(tmp_path, monkeypatch, capsys):
    """Stopped after the commit (the summary being printed): the units are in the file, which
    stays and is told, as a new file a successful import made."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text(UNITS_CSV, encoding="utf-8")
    new = tmp_path / "xa.db"
    monkeypatch.setattr("core.transfer.cli.summary", _interrupted)
    assert main.main(["--db", str(new), "import", "units", "u.csv"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"Lưu ý: chưa có tệp '{new}' nên đã tạo cơ sở dữ liệu mới ở đó." in err
    assert "đã được xoá" not in err
    monkeypatch.undo()
    assert main.main(["--db", str(new), "export", "units", str(tmp_path / "c.csv")]) == 0
    assert "X01" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")


@pytest.mark.real_new_database  # the creation itself (tests/new_database.py)
def test_a_new_file_is_removed_only_when_it_is_this_runs_and_holds_nothing(tmp_path, monkeypatch):
    """The two checks before a stopped run removes a file (core.database.fresh_and_made_here):
    the file at that path is the very one this process made (not one put there meanwhile),
    and it holds nothing a new file does not (a unit, a setting, a day of the calendar)."""
    from core import database
    from core.database import open_database
    from db.connection import transaction

    made = tmp_path / "made.db"
    open_database(made).close()
    assert database.fresh_and_made_here(made)
    for change in ("INSERT INTO units(code, name, level) VALUES ('X01', 'Xã Một', 'commune')",
                   "INSERT INTO settings(key, value) VALUES ('office_name', '\"UBND\"')",
                   "INSERT INTO calendar(date, kind, name) VALUES ('2026-12-24', 'holiday', 'x')"):
        copy = tmp_path / "changed.db"
        db = open_database(copy)
        with transaction(db) as conn:
            conn.execute(change)
        db.close()
        assert not database.fresh_and_made_here(copy), change
        database.remove_with_sidecars(copy)
    # a file put at the path after this process made its own there
    other = tmp_path / "other.db"
    open_database(other).close()
    moved = tmp_path / "moved.db"
    other.rename(moved)
    made.unlink()
    moved.rename(made)
    assert not database.fresh_and_made_here(made)
    assert not database.fresh_and_made_here(tmp_path / "none.db")
    (tmp_path / "junk.db").write_bytes(b"not a database")
    assert not database.fresh_and_made_here(tmp_path / "junk.db")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process: POSIX")
def test_a_real_ctrl_c_during_an_import_into_a_new_file_leaves_no_file(tmp_path):
    """The same with the signal a terminal sends: `import units` of 100,000 rows into a new
    file (~9 s of checking here; 20,000 rows, ~1.5 s, were all written before a test process
    starved by a loaded CI machine sent the signal), SIGINT as soon as the file is there."""
    rows = "".join(f"X{i:06d},Xã số {i},commune,\n" for i in range(100000))
    (tmp_path / "u.csv").write_text("code,name,level,parent_code\n" + rows, encoding="utf-8")
    new = tmp_path / "xa.db"
    env = {"MOTCUA_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
           "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(new),
                                "import", "units", str(tmp_path / "u.csv")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    started = time.monotonic()
    while not new.exists() and process.poll() is None and time.monotonic() - started < 60:
        time.sleep(0.01)
    assert new.exists(), process.communicate()
    process.send_signal(signal.SIGINT)
    out, err = (part.decode() for part in process.communicate(timeout=120))
    said = " ".join(err.split())
    assert process.returncode == 1, said
    assert "Đã dừng theo yêu cầu." in said and "Traceback" not in said
    assert f"Tệp '{new}' do lệnh này vừa tạo chưa có dữ liệu nào nên đã được xoá." in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "u.csv"] or \
        sorted(p.name for p in tmp_path.iterdir()) == ["u.csv"]


def _refused_after(*_args, **_kwargs):
    raise InputError("một lời từ chối sau khi đã ghi")


@pytest.mark.real_new_database  # the creation itself (tests/new_database.py)
def test_a_refusal_after_the_commit_never_removes_what_was_written(tmp_path, monkeypatch,
                                                                    capsys):
    """review22: a command that made a new file and then failed with a refusal (MotCuaError)
    or an exit code other than 0 had its file removed unread, on the word that a refusal
    writes nothing. Raised after the commit, the units written went with the file. A new file
    goes only when it holds nothing a new file does not (core.database.fresh_and_made_here),
    whatever the way the command ended; otherwise it stays and is told."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text(UNITS_CSV, encoding="utf-8")
    new = tmp_path / "xa.db"
    monkeypatch.setattr("core.transfer.cli.summary", _refused_after)
    assert main.main(["--db", str(new), "import", "units", "u.csv"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"Lưu ý: chưa có tệp '{new}' nên đã tạo cơ sở dữ liệu mới ở đó." in err
    monkeypatch.undo()
    assert main.main(["--db", str(new), "export", "units", str(tmp_path / "c.csv")]) == 0
    assert "X01" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")


# ----- an empty path (core.cli.guard_paths) ---------------------------------------------------
# every command's path arguments, as argv with the path written "" (the rest of argv valid)
EMPTY_PATHS = {
    "backup --to": ("backup", "--to", ""),
    "--db": ("--db", "", "check"),
    "reconcile --out": ("reconcile", "tinh.csv", *PERIOD, "--out", ""),
    "reconcile FILE": ("reconcile", "  ", *PERIOD),
    "import FILE": ("import", "units", ""),
    "restore FILE": ("restore", ""),
    "exchange import FILE": ("exchange", "import", "g.zip", " "),
    **{f"{name} (written)": tuple("" if a.startswith("T.") else a for a in argv)
       for name, argv in WRITING.items()},
}


@pytest.mark.parametrize("name", sorted(EMPTY_PATHS))
def test_an_empty_path_is_refused_not_taken_for_the_default(name, capsys):
    """`backup --to ""` (a script's empty variable) wrote the copy into the default folder in
    silence, as if no --to had been given; every path of the command line is one rule."""
    with pytest.raises(SystemExit) as stopped:
        main.build_parser().parse_args(EMPTY_PATHS[name])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "đường dẫn đang trống" in err and "Chưa làm gì" in err, err


def test_every_path_argument_takes_the_empty_path_rule():
    """Every argument whose metavar names a path (FILE, DIR, PATH…) reads through path_text,
    so an option added later is covered without a word of its own."""
    seen: list[str] = []

    def walk(parser):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    walk(child)
            elif isinstance(action.metavar, str) and action.metavar.startswith(cli.PATH_METAVARS):
                assert action.type is cli.path_text, action
                seen.append(action.metavar)
    walk(main.build_parser())
    assert {"DIR", "PATH", "FILE", "FILE.pdf", "FILE.zip", "FILE.json"} <= set(seen)


# ----- `--version` (round 34: which version a PC runs, before and after updating) ------------
def test_version_is_answered_before_anything_and_touches_no_file(tmp_path, data_dir, capsys):
    """`MotCua-console.exe --version` on a PC being updated: it names the program and its schema
    whatever else is on the line — a mistyped --db, a command — and opens, creates or upgrades no
    database (docs/updating.md: an old file is checked before the update upgrades it)."""
    from core.version import VERSION, VERSION_TEXT
    from db.schema import SCHEMA_VERSION
    typo = tmp_path / "trungtam.bd"
    for argv in (["--version"], ["--db", str(typo), "--version"], ["--version", "check"]):
        assert main.main(argv) == 0, argv
        assert capsys.readouterr().out == f"{VERSION_TEXT}\n"
    assert VERSION_TEXT == f"MotCua {VERSION} (lược đồ dữ liệu {SCHEMA_VERSION})"
    assert sorted(tmp_path.rglob("*")) == [data_dir]  # (the test's own empty data folder)
    assert "--version" in _help(capsys=capsys) and "in phiên bản" in _help(capsys=capsys)
