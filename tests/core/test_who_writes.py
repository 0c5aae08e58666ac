"""Every write records who made it (spec 10, issue 15 §1): the signed-in account in the window,
`os:<user>` on the command line, the inviting clerk for a citizen's kiosk vote; catalogue,
calendar, unit and office changes leave a setting_changes row."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import accounts, catalogue, dossiers, intake, kiosk, office_setup, payments, votes
from core.database import open_database
from db import actor as actors
from tests.core.factories import add_procedures, add_units

ROOT = Path(__file__).resolve().parents[2]
E2E = ROOT / "tests" / "data" / "e2e"
T0 = dt.datetime(2025, 3, 3, 8, 0)
T1 = dt.datetime(2025, 3, 4, 9, 0)


@pytest.fixture
def office(db):
    add_units(db)
    add_procedures(db)
    accounts.create_account(db, "quantri", "Nguyễn Quản Trị", {"admin"}, "matkhau123")
    actors.sign_in(accounts.authenticate(db, "quantri", "matkhau123"))
    accounts.create_account(db, "canbo.an", "Phạm Thị An", {"clerk"}, "matkhau123")
    actors.sign_out()
    return db


def _as(db, login: str):
    return actors.acting_as(accounts.authenticate(db, login, "matkhau123"))


def test_a_signed_in_clerk_is_recorded_in_every_who_column(office):
    db = office
    with _as(db, "canbo.an"):
        dossier_id, _ = intake.receive(db, unit_code="U1", procedure_code="P.WD05",
                                       applicant_name="Trần Thị Hoa", received_at=T0)
        payment = payments.add_payment(db, dossier_id, amount=8000, method="cash", paid_at=T1)
        payments.cancel_payment(db, payment, reason="Ghi nhầm")
        dossiers.extend(db, dossier_id, new_due_at=dt.datetime(2025, 3, 20, 17),
                        reason="Cần xác minh", at=T1)
        dossiers.finish(db, dossier_id, at=T1)
        vote = votes.add_vote(db, unit_code="U1", rating="satisfied", voted_at=T1,
                              dossier_id=dossier_id)
        votes.cancel_vote(db, vote, reason="Nhầm phiếu")
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert one("SELECT received_by FROM dossiers") == "canbo.an"
    assert {r[0] for r in db.execute("SELECT actor FROM events")} == {"canbo.an"}
    assert one("SELECT actor || '|' || cancelled_by FROM payments") == "canbo.an|canbo.an"
    assert one("SELECT actor || '|' || cancelled_by FROM votes") == "canbo.an|canbo.an"
    assert one("SELECT actor FROM extensions") == "canbo.an"


def test_a_kiosk_vote_records_the_clerk_who_invited_it(office):
    db = office
    dossier_id, _ = dossiers.create_dossier(db, unit_code="U1", procedure_code="P.WD2",
                                            applicant_name="Trần Thị Hoa", received_at=T0)
    with _as(db, "canbo.an"):
        kiosk.invite(db, dossier_id, at=T1)
    # the citizen taps a face on a kiosk run by someone else (here the OS user, another process)
    with _as(db, "quantri"):
        cast = kiosk.cast_vote(db, "U1", "satisfied", dossier_id=dossier_id, at=T1)
    walk_in = kiosk.cast_vote(db, "U1", "neutral", at=T1 + dt.timedelta(minutes=5))
    actor_of = lambda vote_id: db.execute(  # noqa: E731
        "SELECT actor FROM votes WHERE id = ?", [vote_id]).fetchone()[0]
    assert actor_of(cast.vote_id) == "canbo.an"
    assert actor_of(walk_in.vote_id) == actors.os_user().login  # whoever runs the kiosk


def test_a_kiosk_vote_needs_no_role(office):
    """A leader signed in at the PC that also shows the kiosk: the citizen still votes."""
    db = office
    with actors.acting_as(actors.Actor("lanhdao", "Lãnh Đạo", frozenset({"leader"}))):
        kiosk.cast_vote(db, "U1", "satisfied", at=T1)
        with pytest.raises(accounts.PermissionDenied):
            votes.add_vote(db, unit_code="U1", rating="satisfied", voted_at=T1)
    assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1


def _changes(db) -> list[tuple]:
    return db.execute("SELECT actor, area, key, old_value, new_value FROM setting_changes "
                      "WHERE area != 'accounts' ORDER BY id").fetchall()


def test_catalogue_calendar_and_office_changes_are_logged_with_the_account(office):
    db = office
    with _as(db, "quantri"):
        catalogue.save_unit(db, "U1", "Xã An Sơn", "commune", None)  # unchanged: no row
        catalogue.save_unit(db, "U3", "Xã Ba", "commune", None)
        catalogue.save_unit(db, "U3", "Xã Ba Mới", "commune", None)
        values = dict(code="P.WD2", name="Chứng thực bản sao", field=None, limit_value=2,
                      limit_unit="working_days", fee=2000, online_level="full", paper_result=0,
                      same_day_cutoff=None, valid_from=dt.date(2025, 1, 1))
        catalogue.save_procedure(db, values)
        catalogue.set_calendar_day(db, dt.date(2025, 3, 10), "holiday", "Nghỉ bù")
        office_setup.save_first_start(db, unit_code="U1", unit_name="Xã An Sơn", level="commune",
                                      header={"agency": "UBND XÃ AN SƠN"},
                                      targets={"on_time": 0.9}, year=2025, today=T1.date())
    rows = _changes(db)
    assert {r[0] for r in rows} == {"quantri"}
    assert [(r[1], r[2]) for r in rows[:5]] == [
        ("units", "U3"), ("units", "U3"), ("catalogue", "P.WD2"), ("catalogue", "P.WD2: mức phí"),
        ("calendar", "2025-03-10")]
    assert rows[0][3] is None and rows[0][4].startswith("Xã Ba;")
    assert rows[1][3].startswith("Xã Ba;") and rows[1][4].startswith("Xã Ba Mới;")
    assert "0" in rows[2][3] and "2000" in rows[2][4]
    # the new fee, and how many dossiers already received kept the old one (core.fees)
    assert rows[3][3] == "0" and rows[3][4].startswith("2000; từ ")
    assert rows[3][4].endswith("hồ sơ đã tiếp nhận giữ mức phí cũ")
    assert rows[4][3] is None and rows[4][4] == "holiday; Nghỉ bù"
    assert {(r[1], r[2]) for r in rows[5:]} >= {("units", "U1"), ("settings", "report_header"),
                                                ("settings", "targets")}


def test_the_command_line_records_the_operating_system_user(tmp_path):
    """`import` run as a program: its events, and the units import's log row, say os:<user>."""
    path = tmp_path / "motcua.db"
    env = {"MOTCUA_DATA_DIR": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "QT_QPA_PLATFORM": "offscreen", "LOGNAME": "thuky"}
    for kind in ("units", "procedures", "dossiers", "payments"):
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path),
                                 "import", kind, str(E2E / f"{kind}.csv"), "--new-db"],
                                capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert result.returncode == 0, result.stderr
    db = open_database(path)
    try:
        assert {r[0] for r in db.execute("SELECT actor FROM events")} == {"os:thuky"}
        assert {r[0] for r in db.execute("SELECT actor FROM payments")} == {"os:thuky"}
        assert db.execute("SELECT actor, area FROM setting_changes WHERE key LIKE "
                          "'nhập tệp units.csv'").fetchall() == [("os:thuky", "units")]
        assert accounts.display_name(db, "os:thuky") == "thuky"
    finally:
        db.close()
