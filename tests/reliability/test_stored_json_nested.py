"""A stored JSON value edited by SQL into a text nested past Python's recursion limit (200,000
«[») is read as a malformed one (db.stored_json, review36): json.loads raises RecursionError, no
ValueError, and a reader catching ValueError met it as a crash log at start-up, in `check`, on a
screen."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PySide6.QtWidgets import QLabel

import main
from core import dossiers
from db import settings, stored_json
from db.connection import transaction
from db.errors import DatabaseDamagedError
from gui.dossiers.detail import DossierDialog
from tests.core.tamper import tamper
from tests.reliability.helpers import small_office

DEEP = "[" * 200_000


@pytest.mark.parametrize("stored", ["{hỏng", DEEP, "]"])
def test_a_setting_json_cannot_read_is_named_never_its_default(db, db_path, stored):
    """A default read for a damaged setting would be written back whole at the next change (the
    targets of every other year) or acted on (the retention's years): the file is said damaged,
    naming the setting (review36c)."""
    with transaction(db) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('targets', ?)",
                     [stored])
    with pytest.raises(DatabaseDamagedError) as raised:
        settings.get(db, "targets")
    assert "thiết lập «targets» không đọc được" in raised.value.message
    assert str(db_path) in raised.value.message


def test_the_one_rule_names_too_deep_as_unreadable():
    with pytest.raises(ValueError, match="nested too deep"):
        stored_json.loads(DEEP)
    assert stored_json.object_of(DEEP) == {} and stored_json.object_of("[1]") == {}


def test_check_names_a_deep_setting_it_opens_by_and_never_crashes(db, db_path, data_dir, capsys):
    small_office(db)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('kpi_stale', ?)", [DEEP])
    assert main.main(["--db", str(db_path), "check"]) == 1
    out = capsys.readouterr()
    assert "Lỗi không mong muốn" not in out.err + out.out
    assert "thiết lập «kpi_stale» không đọc được" in out.err + out.out
    assert not list((data_dir / "logs").glob("crash-*.log"))


def test_the_dossier_shows_its_history_beside_a_deep_event_detail(qtbot, db, db_path):
    small_office(db)
    received = dt.datetime(2025, 3, 3, 8, 0)
    dossier_id, _ = dossiers.create_dossier(db, unit_code="U1", procedure_code="P.CD10",
                                            applicant_name="Lê Văn Cường", received_at=received)
    dossiers.add_payment(db, dossier_id, amount=1000, method="cash",
                         paid_at=received + dt.timedelta(minutes=5))
    tamper(db_path, "events", f"UPDATE events SET details = '{DEEP}' WHERE action = 'payment'")
    dialog = DossierDialog(db, dossier_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert any("Lê Văn Cường" in label.text() for label in dialog.findChildren(QLabel))
