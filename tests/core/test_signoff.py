"""A leader's sign-off of a period's figures, printed under the data fingerprint (issue 15 §1)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import accounts, signoff
from core import dossiers as D
from core.database import open_database
from core.errors import InputError
from core.pdf.monthly import build_monthly
from db import actor
from tests.core.test_audit import T0, head_fingerprint, worked  # noqa: F401  (fixture)

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def people(db):
    admin = accounts.create_account(db, "quantri", "Trần Quản Trị", ["admin"], "matkhau123")
    with actor.acting_as(admin.as_actor()):
        clerk = accounts.create_account(db, "canbo", "Nguyễn Thị Tiếp", ["clerk"], "matkhau123")
        leader = accounts.create_account(db, "lanhdao", "Hoàng Thị Mai", ["leader"], "matkhau123")
    return clerk.as_actor(), leader.as_actor()


def test_only_a_leader_signs_and_the_report_prints_it(worked):  # noqa: F811
    pypdf = pytest.importorskip("pypdf")
    db = open_database(worked)
    clerk, leader = people(db)
    assert signoff.footer_line(db, *MARCH, None) == ""
    with actor.acting_as(clerk), pytest.raises(accounts.PermissionDenied, match="ký, chốt"):
        signoff.sign_off(db, *MARCH, None)
    with actor.acting_as(leader):
        signed = signoff.sign_off(db, *MARCH, None, at=dt.datetime(2025, 4, 2, 9, 15))
    assert signed.name == "Hoàng Thị Mai" and signed.fingerprint == head_fingerprint(worked)
    line = signoff.footer_line(db, *MARCH, None)
    assert line == f"Đã duyệt: Hoàng Thị Mai lúc 09:15 02/04/2025 (dấu {signed.fingerprint})"
    assert signoff.footer_line(db, *MARCH, "U1") == ""  # another scope was not signed
    pages = pypdf.PdfReader(__import__("io").BytesIO(build_monthly(db, "2025-03"))).pages
    assert all(line in page.extract_text() for page in pages)
    db.close()


def test_the_report_says_when_the_data_changed_after_the_sign_off(worked):  # noqa: F811
    db = open_database(worked)
    _, leader = people(db)
    with actor.acting_as(leader):
        signoff.sign_off(db, *MARCH, None)
    D.receive_supplement(db, 3, at=T0 + dt.timedelta(hours=7))
    assert signoff.footer_line(db, *MARCH, None).endswith("dữ liệu đã thay đổi sau khi duyệt")
    with actor.acting_as(leader):
        signoff.sign_off(db, *MARCH, None)  # signed again: the latest counts
    assert "thay đổi" not in signoff.footer_line(db, *MARCH, None)
    rows = db.execute("SELECT actor FROM setting_changes WHERE area = 'signoff'").fetchall()
    assert rows == [("lanhdao",), ("lanhdao",)]  # kept, append-only
    db.close()


def test_a_period_turned_round_not_begun_or_of_an_unknown_unit_is_refused(worked):  # noqa: F811
    db = open_database(worked)
    _, leader = people(db)
    at = dt.datetime(2025, 3, 20, 9, 0)
    with actor.acting_as(leader):
        with pytest.raises(InputError, match="sau ngày kết thúc"):
            signoff.sign_off(db, MARCH[1], MARCH[0], None, at=at)
        with pytest.raises(InputError, match="chưa bắt đầu"):
            signoff.sign_off(db, dt.date(2025, 4, 1), dt.date(2025, 4, 30), None, at=at)
        with pytest.raises(InputError, match="không có trong danh mục"):
            signoff.sign_off(db, *MARCH, "KHONG.CO", at=at)
        assert signoff.sign_off(db, *MARCH, None, at=at).login == "lanhdao"  # the month so far
    db.close()


def test_the_report_says_when_the_figures_moved_with_no_event_after_the_sign_off(worked):  # noqa: F811
    """A leader signs March; then a target is changed (or the policy, or a holiday is added):
    the figures of March move while the event history, and so the fingerprint, stays
    the same. The report printed the approval with no word of it: the paper signed and the
    paper printed now showed different numbers for one period."""
    from core import indicators
    from db import settings

    db = open_database(worked)
    _, leader = people(db)
    with actor.acting_as(leader):
        signed = signoff.sign_off(db, *MARCH, None)
    same = indicators.compute(db, *MARCH)
    assert signed.figures == signoff.figures_digest(same, settings.targets_766_for_year(db, 2025))
    assert "khác" not in signoff.footer_line(db, *MARCH, None, same)
    settings.put(db, "targets", {"2025": {"online_full": 0.3}})  # a setting: no event
    moved = indicators.compute(db, *MARCH)
    assert moved["total"]["meets"]["online_full"] is not same["total"]["meets"]["online_full"]
    assert signoff.current_fingerprint(db) == signed.fingerprint  # no event was written
    line = signoff.footer_line(db, *MARCH, None, moved)
    assert line.endswith(" — số liệu đã khác lúc duyệt")
    text = " ".join(page_text for page_text in _texts(build_monthly(db, "2025-03")))
    assert "số liệu đã khác lúc duyệt" in " ".join(text.split())
    db.close()


def _texts(data: bytes) -> list[str]:
    from tests.pdfread import page_texts
    return page_texts(data)


def test_a_unit_renamed_after_the_sign_off_is_not_figures_that_moved(worked):  # noqa: F811
    """A unit's name changed in the catalogue (no event, the fingerprint the same): the
    report said "số liệu đã khác lúc duyệt" though every figure was the one approved."""
    from core import catalogue, indicators

    db = open_database(worked)
    _, leader = people(db)
    with actor.acting_as(leader):
        signoff.sign_off(db, *MARCH, None)
    name, level, parent = db.execute("SELECT name, level, parent_code FROM units WHERE "
                                     "code = 'U1'").fetchone()
    with actor.acting_as(actor.Actor("quantri", "Trần Quản Trị", frozenset({"admin"}))):
        catalogue.save_unit(db, "U1", f"{name} mới", level, parent)
    doc = indicators.compute(db, *MARCH)
    assert f"{name} mới" in [unit["name"] for unit in doc["units"]]
    line = signoff.footer_line(db, *MARCH, None, doc)
    assert line.startswith("Đã duyệt: Hoàng Thị Mai") and "khác" not in line
    assert "thay đổi" not in line
    db.close()


def test_a_766_target_changed_after_the_sign_off_is_said(worked):  # noqa: F811
    """The report weighs the 766 figures against the year's 766 targets (met or not, how far):
    a target changed after the sign-off (a setting, no event) turned a verdict the leader
    approved, and the footer said nothing, the 766 targets being no part of the digest."""
    from core import indicators
    from core.indicators import i766
    from db import settings

    db = open_database(worked)
    _, leader = people(db)
    with actor.acting_as(leader):
        signed = signoff.sign_off(db, *MARCH, None)
    doc = indicators.compute(db, *MARCH)
    assert "khác" not in signoff.footer_line(db, *MARCH, None, doc)
    key = next(k for k in i766.KEYS  # a figure whose verdict a target can turn
               if 0 < doc["total"]["i766"][k]["num"] < doc["total"]["i766"][k]["den"])
    part = doc["total"]["i766"][key]
    before = settings.targets_766_for_year(db, 2025)[key]
    target = 0.0 if i766.meets(part, before) is False else 1.0  # the verdict turned
    settings.put(db, "targets_766", {"2025": {key: target}})
    assert i766.meets(part, target) is not i766.meets(part, before)
    assert signoff.current_fingerprint(db) == signed.fingerprint  # no event was written
    line = signoff.footer_line(db, *MARCH, None, indicators.compute(db, *MARCH))
    assert line.endswith(" — số liệu đã khác lúc duyệt")
    db.close()
