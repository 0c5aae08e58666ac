"""A PC set up by copying another PC's database file (issue 16 §3, spec 4): the file remembers
the machine and path it was made for, issues no code elsewhere until the administrator says
what it is, and two PCs made from one file then never hand out the same code."""
from __future__ import annotations

import contextlib
import shutil
import sqlite3

import pytest

import main
from core import installation
from core.database import open_database
from core.errors import InputError, OperationError
from core.exchange import export_package, import_package
from core.maintenance.backup import make_backup
from core.maintenance.restore import restore
from tests.core.exchange.conftest import busy_day, office, receive
from tests.core.exchange.test_exchange import SINCE, ok


@pytest.fixture
def machine(monkeypatch):
    """Which PC the test is on: `machine.now = "QUAY2"`."""
    class Machine:
        now = "QUAY1"
    # raising=False: on a program without the check the tests fail on what they check
    monkeypatch.setattr(installation, "machine_name", lambda: Machine.now, raising=False)
    return Machine


@contextlib.contextmanager
def on(machine, name: str, path):
    machine.now = name
    db = open_database(path)
    try:
        yield db
    finally:
        db.close()


def count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]


@pytest.fixture
def copied(tmp_path, machine):
    """Counter 1 worked a morning; its file was copied onto counter 2 (another folder, another
    PC) to set it up. Returns (path of counter 1's file, path of the copy, the morning's codes)."""
    first = tmp_path / "quay1" / "motcua.db"
    first.parent.mkdir()
    db = office(first)
    morning = busy_day(db)
    db.close()
    second = tmp_path / "quay2" / "motcua.db"
    second.parent.mkdir()
    shutil.copy(first, second)
    return first, second, morning


def test_the_copy_issues_no_code_until_the_administrator_says_what_it_is(copied, machine):
    first, second, morning = copied
    with on(machine, "QUAY2", second) as db:
        before = count(db)
        with pytest.raises(OperationError, match="Chưa cấp mã hồ sơ mới") as refused:
            receive(db, "Khách Quầy Hai", minutes=120)  # the old program gave U1-251020-0004
        assert "máy «QUAY1»" in refused.value.message and "QUAY2" in refused.value.message
        assert count(db) == before  # nothing half-written: the reception's transaction is undone
        where = installation.home(db)
        assert (where.state, where.made_on, where.now_on) == ("copied", "QUAY1", "QUAY2")
    with on(machine, "QUAY1", first) as db:  # the original goes on as before, nothing asked
        assert installation.home(db).state == "here"
        assert receive(db, "Khách Quầy Một", minutes=120)[1].endswith("-0004")


def test_two_pcs_made_from_one_file_issue_codes_the_same_day_and_merge_without_a_clash(
        copied, machine, tmp_path):
    first, second, morning = copied
    with on(machine, "QUAY1", first) as db:
        old_id = installation.installation_id(db)
    with on(machine, "QUAY2", second) as db:
        with pytest.raises(InputError, match="từ 2 trở lên"):
            installation.become_new_machine(db, 1, 1)
        with pytest.raises(InputError, match="Số hiệu 1 là của máy cũ"):
            installation.become_new_machine(db, 1, 2)
        new_id = installation.become_new_machine(db, 2, 3)  # two counters and the centre
        assert new_id != old_id and installation.installation_id(db) == new_id
        assert installation.slot(db) == (2, 3) and installation.home(db).state == "here"
        codes_2 = [receive(db, f"Khách Hai {i}", minutes=120 + i)[1] for i in range(3)]
        export_package(db, tmp_path / "quay2.zip", SINCE)
    with on(machine, "QUAY1", first) as db:  # what the dialog tells: counter 1 becomes 1 of 3
        installation.set_slot(db, 1, 3)
        codes_1 = [receive(db, f"Khách Một {i}", minutes=120 + i)[1] for i in range(3)]
        export_package(db, tmp_path / "quay1.zip", SINCE)
    # the same unit, the same day, both after the copy: never the same number
    assert [c[-4:] for c in codes_1] == ["0004", "0007", "0010"]
    assert [c[-4:] for c in codes_2] == ["0005", "0008", "0011"]
    machine.now = "TRUNGTAM"
    centre = office(tmp_path / "centre.db", (3, 3))
    first_in = import_package(centre, tmp_path / "quay1.zip")
    second_in = import_package(centre, tmp_path / "quay2.zip")
    assert first_in.dossiers == {"new": 6}
    # the morning's dossiers, issued by counter 1 before the copy, are the same dossiers
    assert second_in.dossiers == {"identical": 3, "new": 3}
    assert second_in.conflict_count == 0 and not second_in.warnings
    assert count(centre) == 9
    ok(centre)
    centre.close()


def test_a_replacement_pc_keeps_the_id_and_slot(copied, machine):
    first, second, morning = copied
    with on(machine, "QUAY1", first) as db:
        ident = installation.installation_id(db)
    first.unlink()  # the old PC is gone
    with on(machine, "QUAY2", second) as db:
        assert installation.home(db).ask  # another machine: asked even with the old file gone
        installation.stay_the_same(db)
        assert (installation.installation_id(db), installation.slot(db)) == (ident, (1, 1))
        assert receive(db, "Khách Máy Thay", minutes=120)[1].endswith("-0004")
        changes = db.execute("SELECT key, new_value FROM setting_changes WHERE key = ?",
                             [installation.HOME_KEY]).fetchall()
        assert changes and "QUAY2" in changes[-1][1]  # who decided what is in the log


def test_on_the_same_pc_a_moved_file_follows_and_a_copy_beside_it_asks(copied, machine,
                                                                       tmp_path):
    first, second, morning = copied
    beside = tmp_path / "thu-nghiem.db"
    shutil.copy(first, beside)
    with on(machine, "QUAY1", beside) as db:  # the original is still there: a twin
        where = installation.home(db)
        assert where.state == "twin" and str(first) in where.text()
        with pytest.raises(OperationError, match="bản chép của tệp"):
            receive(db, "Khách Thử", minutes=120)
    moved = tmp_path / "o-d" / "motcua.db"
    moved.parent.mkdir()
    shutil.move(first, moved)
    with on(machine, "QUAY1", moved) as db:  # the administrator moved the data folder
        assert installation.home(db).state == "here"  # taken at the opening, nothing asked
        assert receive(db, "Khách Sau Khi Chuyển", minutes=120)[1].endswith("-0004")


def test_restoring_this_pcs_own_backup_asks_nothing(copied, machine, tmp_path):
    first, _second, _morning = copied
    with on(machine, "QUAY1", first) as db:
        receive(db, "Khách Trước Sao Lưu", minutes=100)
    backup = make_backup(first, tmp_path / "saoluu")
    restore(backup, first, backup_folder=tmp_path / "saoluu")
    with on(machine, "QUAY1", first) as db:
        assert installation.home(db).state == "here"
        assert receive(db, "Khách Sau Khôi Phục", minutes=120)[1].endswith("-0005")


def test_a_database_in_memory_is_nowhere_and_asks_nothing(machine):
    db = open_database(":memory:")
    assert installation.home(db).state == "here"
    db.close()


def test_the_command_line_asks_and_decides(copied, machine, capsys):
    first, second, _morning = copied
    machine.now = "QUAY2"
    assert main.main(["--db", str(second), "exchange", "identity"]) == 2
    err = capsys.readouterr().err
    assert "máy «QUAY1»" in err and "--new-machine" in err and "--same-machine" in err
    assert main.main(["--db", str(second), "exchange", "identity", "--new-machine"]) == 2
    assert "--slot 2 --of 2" in capsys.readouterr().err
    assert main.main(["--db", str(second), "exchange", "identity", "--new-machine",
                      "--slot", "2", "--of", "2"]) == 0
    assert "máy 2 trong nhóm 2 máy" in capsys.readouterr().out
    with on(machine, "QUAY2", second) as db:
        assert receive(db, "Khách Dòng Lệnh", minutes=120)[1].endswith("-0004")
    # a file that was not copied needs no answer
    assert main.main(["--db", str(second), "exchange", "identity", "--same-machine"]) == 2
    assert "Không cần" in capsys.readouterr().err


def test_the_place_is_the_file_on_disk(tmp_path):
    """Two paths naming one file (a link) are one place; the same path on two machines is two."""
    real = tmp_path / "a.db"
    sqlite3.connect(real).close()
    link = tmp_path / "lien-ket.db"
    link.symlink_to(real)
    assert installation.place_of(str(link), "M1") == installation.place_of(str(real), "M1")
    assert installation.place_of(str(real), "M1") != installation.place_of(str(real), "M2")
    assert installation.place_of("", "M1") is None


@pytest.mark.parametrize(("number", "of", "taken", "suggested"), [
    (1, 1, set(), (2, 2)),
    (1, 5, set(), (2, 5)),
    (1, 5, {(2, 5), (3, 5)}, (4, 5)),
    (4, 5, {(5, 5), (1, 5)}, (2, 5)),        # round the group, skipping the held ones
    (1, 5, {(2, 4), (3, 6)}, (2, 5)),        # another group's numbers are not this group's
    (1, 5, {(2, 5), (3, 5), (4, 5), (5, 5)}, (6, 6)),  # all held: one machine more
])
def test_a_new_machine_is_offered_a_slot_no_known_machine_holds(number, of, taken, suggested):
    assert installation.suggested_new_slot(number, of, taken) == suggested


def test_a_copy_of_a_centre_is_not_offered_a_counters_slot(tmp_path, machine, capsys):
    """Round 17 (centre17): a centre (1 of 5) merged the packages of counters 2/5 and 3/5; a
    copy of its file made a new machine was offered 2 of 5, counter 2's slot, and would then
    have issued counter 2's codes again. The origin records keep each sender's slot."""
    from core.actor_names import seen_slots
    centre_path = tmp_path / "centre" / "motcua.db"
    centre_path.parent.mkdir()
    machine.now = "TRUNGTAM"
    centre = office(centre_path, (1, 5))
    for number in (2, 3):
        counter = office(tmp_path / f"quay{number}.db", (number, 5))
        receive(counter, f"Khách Quầy {number}")
        export_package(counter, tmp_path / f"quay{number}.zip", SINCE)
        counter.close()
        assert import_package(centre, tmp_path / f"quay{number}.zip").dossiers["new"] == 1
    ok(centre)
    assert seen_slots(centre) == {(2, 5), (3, 5)}
    centre.close()
    copy = tmp_path / "copy" / "motcua.db"
    copy.parent.mkdir()
    shutil.copy(centre_path, copy)
    machine.now = "MAYMOI"
    assert main.main(["--db", str(copy), "exchange", "identity", "--new-machine"]) == 2
    assert "--slot 4 --of 5" in capsys.readouterr().err
