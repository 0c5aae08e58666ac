"""Settings json reads but of a shape MotCua never writes, edited in by SQL (mend37, from
review36b): a number where a mapping is kept, a list where a text is. Read by the targets
(weighed and written back whole), the installation's id, slot and home (codes are issued by
them), a sign-off (printed under the report), they raised TypeError/AttributeError (a crash
log) or divided by zero; now the file is said damaged, naming what, as a setting json cannot
read (db.settings.damaged, tests/reliability/test_stored_json_nested.py). A vote's reasons are
only shown: a number there names none."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PySide6.QtWidgets import QLabel

import main
from core import dossiers, installation, kiosk, office_settings, signoff
from core.maintenance import check
from db import settings, vote_origin
from db.connection import transaction
from db.errors import DatabaseDamagedError
from gui.dossiers.detail import DossierDialog
from tests.core.tamper import tamper
from tests.reliability.helpers import small_office
from tests.reliability.test_damaged import _answer_box, _run_window


def _edit(db, key: str, stored: str) -> None:
    with transaction(db) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", [key, stored])


def _named(raised, what: str) -> None:
    assert f"«{what}» không đọc được" in raised.value.message


@pytest.mark.parametrize("stored", ["5", "[1, 2]", '{"2025": 0.9}', '{"năm": {}}',
                                    '{"2025": {"on_time": "cao"}}', '{"2025": {"on_time": true}}'])
@pytest.mark.parametrize("key", ["targets", "targets_766"])
def test_targets_of_the_wrong_shape_are_damage_never_written_back(db, key, stored):
    _edit(db, key, stored)
    reader = settings.targets_for_year if key == "targets" else settings.targets_766_for_year
    with pytest.raises(DatabaseDamagedError) as raised:
        reader(db, 2026)
    _named(raised, key)
    with pytest.raises(DatabaseDamagedError):  # a year saved would write the others back
        office_settings.save_targets(db, 2026, {"on_time": 0.9}, {"on_time": 0.9})
    assert db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()[0] == stored


@pytest.mark.parametrize("stored", ["5", '["c3cd08e7"]', "{}", '""'])
def test_an_installation_id_that_is_no_text_is_damage(db, stored):
    _edit(db, installation.ID_KEY, stored)
    with pytest.raises(DatabaseDamagedError) as raised:
        installation.installation_id(db)
    _named(raised, installation.ID_KEY)


@pytest.mark.parametrize("stored", ["5", '["c3cd08e7"]', "{}", '""'])
def test_an_id_that_is_no_text_never_becomes_a_votes_origin(db, stored):
    """The votes' import stamps origins through db.vote_origin.here, not installation_id: an
    id of the wrong shape was written into them for good ('5:1', "['c3cd08e7']:1") and `check`
    said every origin well formed (review37). None is stamped; `check` names the id."""
    _edit(db, installation.ID_KEY, stored)
    assert vote_origin.here(db) is None
    finding = check.vote_origins(db)
    assert not finding.ok and "installation_id" in finding.text, finding


@pytest.mark.parametrize("stored", ["5", "[1, 2]", '{"slot": "một", "of": 2}',
                                    '{"slot": 1, "of": 0}', '{"slot": 3, "of": 2}',
                                    '{"slot": true, "of": 1}'])
def test_a_code_slot_of_the_wrong_shape_issues_no_code(db, stored):
    small_office(db)
    _edit(db, installation.SLOT_KEY, stored)
    with pytest.raises(DatabaseDamagedError) as raised:
        installation.slot(db)
    _named(raised, installation.SLOT_KEY)
    with pytest.raises(DatabaseDamagedError):  # «of» 0 divided by zero
        dossiers.create_dossier(db, unit_code="U1", procedure_code="P.CD10",
                                applicant_name="Lê Văn Cường",
                                received_at=dt.datetime(2025, 3, 3, 8, 0))
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


@pytest.mark.parametrize("stored", ["5", '["MAY-1"]', "{hỏng"])
def test_a_home_of_the_wrong_shape_is_damage(db, stored):
    _edit(db, installation.HOME_KEY, stored)
    with pytest.raises(DatabaseDamagedError) as raised:
        installation.home(db)
    _named(raised, installation.HOME_KEY)


@pytest.mark.parametrize("stored", ["5", '{"fingerprint": "AB"}', '{"at": 5}',
                                    '{"at": "2026-11-30 09:12:00", "figures": [1]}'])
def test_a_sign_off_of_the_wrong_shape_is_named(db, stored):
    with transaction(db) as conn:
        conn.execute("INSERT INTO setting_changes(at, actor, area, key, old_value, new_value) "
                     "VALUES ('2026-11-30 09:12:00', 'lanhdao', 'signoff', "
                     "'2026-11-01..2026-11-30:*', NULL, ?)", [stored])
    with pytest.raises(DatabaseDamagedError) as raised:
        signoff.footer_line(db, dt.date(2026, 11, 1), dt.date(2026, 11, 30), None)
    _named(raised, "2026-11-01..2026-11-30:*")
    assert "bản ghi duyệt số liệu" in raised.value.message


def test_a_command_says_a_damaged_slot_and_never_crashes(db, db_path, data_dir, capsys):
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('code_slot', '5')")
    assert main.main(["--db", str(db_path), "exchange", "identity"]) == 1
    out = capsys.readouterr()
    assert "thiết lập «code_slot» không đọc được" in out.err + out.out
    assert "Traceback" not in out.err + out.out and "Lỗi không mong muốn" not in out.err + out.out
    assert not list((data_dir / "logs").glob("crash-*.log"))


def test_a_command_says_damaged_targets_and_never_crashes(db, db_path, data_dir, capsys):
    small_office(db)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('targets', '[0.9]')")
    assert main.main(["--db", str(db_path), "kpi", "--from", "2025-01-01",
                      "--to", "2025-01-31"]) == 1
    out = capsys.readouterr()
    assert "thiết lập «targets» không đọc được" in out.err + out.out
    assert "Lỗi không mong muốn" not in out.err + out.out
    assert not list((data_dir / "logs").glob("crash-*.log"))


def test_the_window_start_says_a_damaged_home(db, db_path, data_dir, monkeypatch, qtbot):
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES "
                     "('installation_home', '[1]')")
    shown: list = []
    _answer_box(qtbot, "Đóng", shown)
    code, opened = _run_window(monkeypatch, db_path)
    assert code == 1 and opened == []
    assert len(shown) == 1 and "thiết lập «installation_home» không đọc được" in shown[0][0]
    assert not list((data_dir / "logs").glob("crash-*.log"))


def test_reasons_that_are_no_list_of_codes_name_none():
    assert kiosk.reason_labels(5) == [] and kiosk.reason_labels({"a": 1}) == []
    assert kiosk.reason_labels([["x"], {"y": 1}, 7]) == []
    assert kiosk.reason_labels(None) == []


def test_the_dossier_shows_a_vote_whose_reasons_are_a_number(qtbot, db, db_path):
    small_office(db)
    received = dt.datetime(2025, 3, 3, 8, 0)
    dossier_id, _ = dossiers.create_dossier(db, unit_code="U1", procedure_code="P.CD10",
                                            applicant_name="Lê Văn Cường", received_at=received)
    dossiers.add_vote(db, unit_code="U1", rating="satisfied", dossier_id=dossier_id,
                      voted_at=received + dt.timedelta(minutes=9))
    tamper(db_path, "votes", "UPDATE votes SET reasons = '5'")
    dialog = DossierDialog(db, dossier_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert any("Lê Văn Cường" in label.text() for label in dialog.findChildren(QLabel))


@pytest.mark.parametrize("key, stored", [
    ("targets", "5"), ("targets_766", "[1]"), ("targets", "{"),
    (installation.ID_KEY, "5"), (installation.SLOT_KEY, '{"slot": 1, "of": 0}'),
    (installation.HOME_KEY, "[1]")])
def test_check_names_the_setting_every_command_refuses(db, db_path, key, stored, capsys):
    """Every command and the window's start refuse such a file with «… Hãy chạy lệnh check
    để xem chi tiết»: `check` said «cơ sở dữ liệu tốt» (targets, slot), or refused with the
    same advice (home) (review37). It names the setting now, and exits non-zero."""
    _edit(db, key, stored)
    db.close()
    assert main.main(["--db", str(db_path), "check"]) != 0
    out = capsys.readouterr().out
    named = [line for line in out.splitlines() if key in line and "không đọc được" in line]
    assert named and "cơ sở dữ liệu tốt" not in out, out
