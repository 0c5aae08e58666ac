"""The core refuses what a role may not do (issue 15 §1: "a test per role and action").

Every action of core.accounts.PERMISSIONS is tried with each role, through every real core
function that does it, by an account signed in with db.actor.acting_as: a role the table allows
succeeds and the write records its login; any other gets PermissionDenied and nothing changes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import (
    accounts,
    catalogue,
    complaints,
    components,
    dossiers,
    exchange,
    installation,
    intake,
    kiosk,
    office_settings,
    office_setup,
    payments,
    rules,
    signoff,
    transfer,
    votes,
)
from core.maintenance import backup
from core.maintenance import restore as restore_backup
from core.official_calendar import Change
from core.pdf import book, dossier_forms, monthly
from core.privacy import access, breach, masking, retention, subject
from core.transfer import mapped, profiles
from db import actor as actors
from db.actor import Actor
from tests.core.factories import add_procedures, add_units

T0 = dt.datetime(2025, 3, 3, 8, 0)
T1 = dt.datetime(2025, 3, 4, 9, 0)
ROLES = ("clerk", "leader", "admin")
# actions no core function does yet (issue 15 §2-3 is another part of the work): listed here
# so that a new action of the table cannot go untested unnoticed
NOT_YET: set[str] = set()
# writes whose table has no who-column (yet): the role is checked, the account not recorded
NO_WHO = {"components.set_digitised"}
WATCHED = ("dossiers", "events", "payments", "votes", "kiosk_invitations", "units",
           "procedures", "procedure_components", "calendar", "settings", "setting_changes",
           "accounts", "extensions", "supplements", "dossier_components", "access_log", "complaints")


@dataclass
class World:
    db: object
    path: Path
    tmp: Path
    fresh: int        # a dossier just received (with one document handed in)
    paid: int         # a payment that can be cancelled
    voted: int        # a vote that can be cancelled
    waiting: int      # a dossier waiting for a supplement
    code: str         # the fresh dossier's code


def _receive(db, **kw) -> tuple[int, str]:
    fields = dict(unit_code="U1", procedure_code="P.WD05", applicant_name="Trần Thị Hoa",
                  received_at=T0, components=[intake.Handed("Đơn đề nghị", received=True)])
    fields.update(kw)
    return intake.receive(db, **fields)


@pytest.fixture
def world(db, db_path, tmp_path) -> World:
    """Built by the operating-system user, who may do everything."""
    add_units(db)
    add_procedures(db)
    accounts.create_account(db, "quantri", "Nguyễn Quản Trị", {"admin"}, "matkhau123")
    fresh, code = _receive(db)
    other, _ = _receive(db)
    paid = payments.add_payment(db, other, amount=8000, method="cash", paid_at=T1)
    voted = votes.add_vote(db, unit_code="U1", rating="satisfied", voted_at=T1, dossier_id=other)
    waiting, _ = _receive(db)
    dossiers.request_supplement(db, waiting, reason="Thiếu bản sao", at=T1)
    exchange.export_package(db, tmp_path / "goi-nhap.zip", T0.date())  # for _import_package
    return World(db, db_path, tmp_path, fresh, paid, voted, waiting, code)


def _procedure(code: str, fee: int = 0) -> dict:
    return dict(code=code, name="Thủ tục mới", field="Hộ tịch", limit_value=3,
                limit_unit="working_days", fee=fee, online_level="full", paper_result=0,
                same_day_cutoff=None, valid_from=dt.date(2025, 1, 1))


def _import_units(w: World):
    path = w.tmp / "donvi.csv"
    path.write_text("code,name,level,parent_code\nU7,Xã Bảy,commune,\n", encoding="utf-8")
    return transfer.import_file(w.db, "units", path)


def _import_national(w: World):
    """A dossier file of the provincial system, imported into the office's own data."""
    path = w.tmp / "tinh.csv"
    path.write_text("MaHoSo,MaTTHC,KenhThucHien,ChuHoSo,NgayTiepNhan,TrangThaiHoSo\n"
                    "U1-250305-0901,P.WD2,1,Lê Văn Tỉnh,20250305080000,2\n", encoding="utf-8")
    result = mapped.import_mapped(w.db, path, profiles.NATIONAL_PROFILE)
    assert result.ok and result.added == 1, result.errors  # allowed: it really imports
    return result


def _import_package(w: World):
    """A package made by the OS user (as another machine would), then merged by the role."""
    return exchange.import_package(w.db, w.tmp / "goi-nhap.zip", conflicts="keep")


def _restore(w: World):
    with actors.acting_as(None):  # the backup to restore is made by the OS user
        copy = backup.make_backup(w.path, w.tmp / "saoluu")
    (w.tmp / "khoiphuc").mkdir(exist_ok=True)
    return restore_backup(copy, w.tmp / "khoiphuc" / "motcua.db")


CASES: dict[str, dict[str, Callable[[World], object]]] = {
    "dossier.receive": {
        "intake.receive": lambda w: _receive(w.db, received_at=T1),
        "dossiers.create_dossier": lambda w: dossiers.create_dossier(
            w.db, unit_code="U2", procedure_code="P.WD2", applicant_name="Lê Văn Nam",
            received_at=T1),
    },
    "dossier.act": {
        "dossiers.start_processing": lambda w: dossiers.start_processing(w.db, w.fresh, at=T1),
        "dossiers.finish": lambda w: dossiers.finish(w.db, w.fresh, at=T1),
        "dossiers.reject": lambda w: dossiers.reject(w.db, w.fresh, reason="Sai thẩm quyền",
                                                     at=T1),
        "dossiers.withdraw": lambda w: dossiers.withdraw(w.db, w.fresh, reason="Xin rút", at=T1),
        "dossiers.stop": lambda w: dossiers.stop(w.db, w.fresh, reason="Dừng", at=T1),
        "components.request_supplement": lambda w: components.request_supplement(
            w.db, w.fresh, reason="Thiếu giấy tờ", flagged={1: ("missing", None)}, at=T1),
        "components.receive_supplement": lambda w: components.receive_supplement(
            w.db, w.waiting, at=T1 + dt.timedelta(hours=1)),
        "components.set_digitised": lambda w: components.set_digitised(w.db, w.fresh, {1: True}),
    },
    "dossier.extend": {
        "dossiers.extend": lambda w: dossiers.extend(
            w.db, w.fresh, new_due_at=dt.datetime(2025, 3, 20, 17), reason="Cần xác minh", at=T1),
    },
    "dossier.correct": {
        "dossiers.correct_field": lambda w: dossiers.correct_field(
            w.db, w.fresh, "applicant_name", "Trần Thị Hoà", reason="Gõ nhầm"),
    },
    "payment.record": {
        "payments.add_payment": lambda w: payments.add_payment(w.db, w.fresh, amount=8000,
                                                               method="cash", paid_at=T1),
        "payments.cancel_payment": lambda w: payments.cancel_payment(w.db, w.paid, reason="Nhầm"),
    },
    "vote.record": {
        "votes.add_vote": lambda w: votes.add_vote(w.db, unit_code="U2", rating="neutral",
                                                   voted_at=T1),
        "votes.record_paper_vote": lambda w: votes.record_paper_vote(
            w.db, unit_code="U1", rating="satisfied", voted_at=T1, dossier_id=w.fresh),
        "votes.cancel_vote": lambda w: votes.cancel_vote(w.db, w.voted, reason="Nhầm"),
        "kiosk.invite": lambda w: kiosk.invite(w.db, w.fresh),
        "kiosk.cancel_invitation": lambda w: kiosk.cancel_invitation(w.db, w.fresh),
    },
    "slip.print": {
        "dossier_forms.build": lambda w: dossier_forms.build(w.db, "receipt", w.code),
    },
    "report.print": {
        "monthly.build_monthly": lambda w: monthly.build_monthly(w.db, "2025-03"),
        "book.build_book": lambda w: book.build_book(w.db, T0.date(), T1.date()),
    },
    "data.export": {
        "transfer.export_file": lambda w: transfer.export_file(w.db, "dossiers",
                                                               w.tmp / "hoso.csv"),
        "exchange.export_package": lambda w: exchange.export_package(
            w.db, w.tmp / "goi.zip", T0.date()),
    },
    "data.import": {"transfer.import_file": _import_units,
                    "mapped.import_mapped": _import_national,
                    "exchange.import_package": _import_package},
    "data.backup": {
        "backup.make_backup": lambda w: backup.make_backup(w.path, w.tmp / "saoluu"),
    },
    "data.restore": {"maintenance.restore": _restore},
    "settings.edit": {
        "office_settings.save_policies": lambda w: office_settings.save_policies(
            w.db, {"supplement_policy": "restart"}),
        "office_settings.save_targets": lambda w: office_settings.save_targets(
            w.db, 2025, {"on_time": 0.92}),
        "office_settings.save_header": lambda w: office_settings.save_header(
            w.db, {"agency": "UBND XÃ AN SƠN"}, ["Lưu: VT"]),
        "installation.set_slot": lambda w: installation.set_slot(w.db, 2, 3),
        "rules.set_office_hours": lambda w: rules.set_office_hours(
            w.db, [["07:30", "11:30"], ["13:30", "17:00"]], dt.date(2025, 4, 1)),
        "office_setup.save_first_start": lambda w: office_setup.save_first_start(
            w.db, unit_code="U9", unit_name="Xã Chín", level="commune", header={},
            targets={"on_time": 0.9}, year=2025, today=T1.date()),
        "office_setup.skip_first_start": lambda w: office_setup.skip_first_start(w.db, T1.date()),
    },
    "catalogue.edit": {
        "catalogue.save_unit": lambda w: catalogue.save_unit(w.db, "U3", "Xã Ba", "commune", None),
        "catalogue.save_procedure (new)": lambda w: catalogue.save_procedure(
            w.db, _procedure("P.NEW")),
        "catalogue.save_procedure (changed)": lambda w: catalogue.save_procedure(
            w.db, _procedure("P.WD2", fee=5000)),
        "catalogue.procedure_change with components": lambda w: catalogue.procedure_change(
            w.db, _procedure("P.WD2"), [components.Component("Tờ khai")]).change(w.db),
        "components.save_procedure_components": lambda w: components.save_procedure_components(
            w.db, "P.WD2", [components.Component("Tờ khai")]),
    },
    "calendar.edit": {
        "catalogue.set_calendar_day": lambda w: catalogue.set_calendar_day(
            w.db, dt.date(2025, 3, 10), "holiday", "Nghỉ bù"),
        "catalogue.calendar_changes": lambda w: catalogue.calendar_changes(
            [Change(dt.date(2025, 3, 11), "holiday", "Nghỉ", "thêm ngày nghỉ")])(w.db),
    },
    "complaint.record": {
        "complaints.add_complaint": lambda w: complaints.add_complaint(
            w.db, w.fresh, channel="phone", content="Chưa được hẹn ngày trả", received_at=T1),
    },
    "report.sign": {
        "signoff.sign_off": lambda w: signoff.sign_off(w.db, T0.date(), T1.date(), None),
    },
    "personal.full": {
        "masking.full_data": lambda w: masking.full_data("Cung cấp cho công an theo văn bản"),
        "transfer.export_file (full)": lambda w: transfer.export_file(
            w.db, "dossiers", w.tmp / "day-du.csv", full=masking.full_data("Theo yêu cầu")),
    },
    "privacy.manage": {
        "access.read": lambda w: access.read(w.db, T0.date(), T1.date()),
        "subject.find": lambda w: subject.find(w.db, name="Trần Thị Hoa"),
        "retention.configure": lambda w: retention.configure(w.db, 10, True),
        "retention.anonymise": lambda w: (retention.configure(w.db, 10, True),
                                          retention.anonymise(w.db)),
        "breach.census": lambda w: breach.census(w.db, T0.date(), T1.date()),
    },
    "accounts.manage": {
        "accounts.create_account": lambda w: accounts.create_account(
            w.db, "canbo.moi", "Lê Thị Mới", {"clerk"}, "matkhau123"),
        "accounts.update_account": lambda w: accounts.update_account(w.db, "quantri",
                                                                     full_name="Nguyễn Văn Trị"),
        "accounts.reset_password": lambda w: accounts.reset_password(w.db, "quantri",
                                                                     "matkhau456"),
    },
}

PAIRS = [(action, name) for action, functions in CASES.items() for name in functions]


def _counts(db) -> dict[str, list]:
    """The watched tables' rows (a small world: compared whole)."""
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in WATCHED}


def _last_actors(db) -> set[str]:
    """Every account recorded by any who-column since the world was built."""
    found: set[str] = set()
    for sql in ("SELECT actor FROM events", "SELECT actor FROM payments",
                "SELECT cancelled_by FROM payments", "SELECT actor FROM votes",
                "SELECT cancelled_by FROM votes", "SELECT actor FROM extensions",
                "SELECT actor FROM kiosk_invitations", "SELECT received_by FROM dossiers",
                "SELECT actor FROM setting_changes", "SELECT actor FROM access_log", "SELECT actor FROM complaints"):
        found |= {r[0] for r in db.execute(sql) if r[0]}
    return found


def test_every_action_of_the_table_is_tried():
    assert set(CASES) | NOT_YET == set(accounts.PERMISSIONS)
    assert not set(CASES) & NOT_YET


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "function"), PAIRS, ids=[f"{a}:{f}" for a, f in PAIRS])
def test_a_role_does_only_what_the_table_allows(world, action, function, role):
    who = Actor(f"tk.{role}", f"Tài khoản {role}", frozenset({role}))
    before = _counts(world.db)
    allowed = role in accounts.PERMISSIONS[action][1]
    with actors.acting_as(who):
        if allowed:
            CASES[action][function](world)
        else:
            with pytest.raises(accounts.PermissionDenied) as refused:
                CASES[action][function](world)
            assert who.login in str(refused.value)
            assert accounts.PERMISSIONS[action][0] in str(refused.value)
    if not allowed:
        assert _counts(world.db) == before, "a refused action changed the database"
    elif _counts(world.db) != before and function not in NO_WHO:  # a write records who
        assert who.login in _last_actors(world.db)


def test_the_operating_system_user_may_do_everything(world):
    assert actors.current().is_system
    for action in CASES:
        assert accounts.can(None, action)
        assert accounts.require(action).login.startswith(actors.OS_PREFIX)
