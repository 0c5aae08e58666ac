"""The consolidated report is what each installation computes for its own unit (issue 16 §3).

Three installations — commune U1, commune U2, ward U3 with its reception point U3A below it —
each record the hard cases below in their own database file and send packages to a centre,
which merges them; installation 1 then changes dossiers it already sent and sends a second
package. For the past month (August 2026: the official schedule's swapped Saturday 22/08, the
Quốc khánh days 29/08–02/09), the running month (September, evaluated at the frozen now, spec
2.3) and two `--as-of` moments, the centre's figures for each unit are the installation's own,
numerators and denominators (Biểu 06 and 766); the centre's whole is the sum of the
installations'; the monthly report's data are the kpi's; every dossier's due time is the same.

What the centre cannot make agree, it must say before writing: a day off of one commune that
the centre's calendar lacks is a catalogue difference kept unless chosen (it moved every other
unit's due times when added silently), and office hours that differ are named in the preview.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

import main
from core import catalogue, installation, payments, rules, timefmt, votes
from core import dossiers as D
from core.database import open_database
from core.exchange import export_package, import_package
from core.exchange.merge import import_packages
from core.indicators import compute
from core.live_due import due_of_dossier
from core.pdf.monthly_data import gather
from core.periods import Period
from db.connection import transaction
from tests.core.factories import add_procedures

T = dt.datetime
NOW = T(2026, 9, 15, 10, 0)  # inside September: the running month
SINCE = dt.date(2026, 7, 1)
UNITS = {1: [("U1", "Xã An Sơn", None)], 2: [("U2", "Xã Hòa Bình", None)],
         3: [("U3", "Phường Đông", None), ("U3A", "Điểm tiếp nhận Đông", "U3")]}
AUGUST, SEPTEMBER = (dt.date(2026, 8, 1), dt.date(2026, 8, 31)), (dt.date(2026, 9, 1),
                                                                   dt.date(2026, 9, 30))
PERIODS = {"august": (*AUGUST, None), "september-now": (*SEPTEMBER, None),
           "august-as-of-20": (*AUGUST, T(2026, 8, 20, 12)),
           # after the month, before installation 1 cancelled an online payment of August's
           "august-as-of-sep-12": (*AUGUST, T(2026, 9, 12, 10)),
           "september-as-of-12": (*SEPTEMBER, T(2026, 9, 12, 10))}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):  # this module's clock, not the exchange tests' (conftest)
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


def received(db, unit, procedure, at, channel="direct") -> int:
    return D.create_dossier(db, unit_code=unit, procedure_code=procedure, channel=channel,
                            applicant_name="Lê Văn Bình", received_at=at,
                            applicant_phone="0912345678")[0]


def paused(db, unit):
    """A supplement wait (spec 2.3 pause), then finished."""
    a = received(db, unit, "P.WD2", T(2026, 8, 3, 9))
    D.start_processing(db, a, at=T(2026, 8, 3, 9))
    D.request_supplement(db, a, reason="Thiếu bản sao", at=T(2026, 8, 4, 9))
    D.receive_supplement(db, a, at=T(2026, 8, 6, 14))
    D.finish(db, a, at=T(2026, 8, 7, 10))
    votes.add_vote(db, unit_code=unit, rating="satisfied", voted_at=T(2026, 8, 7, 10),
                   dossier_id=a)


def two_waits(db, unit):
    """Two supplement requests: late for 766 (5.1), a cancelled dissatisfied vote."""
    b = received(db, unit, "P.WD2", T(2026, 8, 10, 8))
    for asked, given in ((T(2026, 8, 10, 14), T(2026, 8, 11, 8)),
                         (T(2026, 8, 11, 14), T(2026, 8, 12, 8))):
        D.request_supplement(db, b, reason="Thiếu giấy tờ", at=asked)
        D.receive_supplement(db, b, at=given)
    D.finish(db, b, at=T(2026, 8, 13, 16))
    vote = votes.add_vote(db, unit_code=unit, rating="dissatisfied",
                          voted_at=T(2026, 8, 13, 16), dossier_id=b)
    votes.cancel_vote(db, vote, reason="Nhập nhầm", at=T(2026, 8, 14, 8))


def extended(db, unit):
    """An extension (Mẫu 04): the KPIs keep the original due time."""
    c = received(db, unit, "P.WH4", T(2026, 8, 17, 9))
    D.start_processing(db, c, at=T(2026, 8, 17, 9))
    D.extend(db, c, new_due_at=T(2026, 8, 20, 17), reason="Cần xác minh", at=T(2026, 8, 17, 12))
    D.finish(db, c, at=T(2026, 8, 19, 9))


def online_fees(db, unit):
    """Online, fee-bearing, full online level, electronic results; an online payment
    cancelled and paid again in cash; one paid online."""
    d = received(db, unit, "P.CD10", T(2026, 8, 20, 10), channel="online")
    paid = payments.add_payment(db, d, amount=100000, method="online", paid_at=T(2026, 8, 20, 10))
    payments.cancel_payment(db, paid, reason="Nhập nhầm", at=T(2026, 8, 20, 11))
    payments.add_payment(db, d, amount=100000, method="cash", paid_at=T(2026, 8, 21, 10))
    D.finish(db, d, at=T(2026, 9, 3, 15), e_result=True)
    e = received(db, unit, "P.WD05", T(2026, 8, 21, 10), channel="online")
    payments.add_payment(db, e, amount=8000, method="online", paid_at=T(2026, 8, 21, 10))
    D.finish(db, e, at=T(2026, 8, 21, 16), e_result=True)


def month_end(db, unit):
    """Received late on the last day of August (16:30; 17:30 after hours, same-day procedure),
    finished and returned in September after the Quốc khánh days off."""
    f = received(db, unit, "P.WD2", T(2026, 8, 31, 16, 30))
    D.finish(db, f, at=T(2026, 9, 3, 16))
    D.return_result(db, f, at=T(2026, 9, 4, 9))
    g = received(db, unit, "P.SD", T(2026, 8, 31, 17, 30))
    payments.add_payment(db, g, amount=10000, method="cash", paid_at=T(2026, 8, 31, 17, 30))
    D.finish(db, g, at=T(2026, 9, 3, 11))


def swapped_saturday(db, unit):
    """Across Saturday 22/08/2026, worked (the official schedule, spec 2.1), and 28/08."""
    h = received(db, unit, "P.WD2", T(2026, 8, 21, 15))
    D.finish(db, h, at=T(2026, 8, 24, 16))
    x = received(db, unit, "P.WD2", T(2026, 8, 27, 9))
    D.finish(db, x, at=T(2026, 8, 31, 8))


def running(db, unit):
    """The running month: a wait open now, an open dossier, withdrawn, refused; a vote."""
    i = received(db, unit, "P.WD2", T(2026, 9, 8, 9))
    D.request_supplement(db, i, reason="Thiếu bản sao", at=T(2026, 9, 9, 9))
    received(db, unit, "P.WH4", T(2026, 9, 9, 9), channel="online")
    k = received(db, unit, "P.WD2", T(2026, 9, 10, 9))
    D.withdraw(db, k, reason="Công dân rút hồ sơ", at=T(2026, 9, 11, 9))
    r = received(db, unit, "P.WD2", T(2026, 9, 14, 8))
    D.reject(db, r, reason="Không đủ điều kiện", at=T(2026, 9, 15, 9))
    votes.add_vote(db, unit_code=unit, rating="neutral", voted_at=T(2026, 9, 10, 8))


CASES: dict[str, Callable] = {f.__name__: f for f in (
    paused, two_waits, extended, online_fees, month_end, swapped_saturday, running)}


def office(path, slot: int, units, *, hours: bool = False):
    db = open_database(path)
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         [(code, name, "commune", parent) for code, name, parent in units])
    add_procedures(db)
    installation.set_slot(db, slot, 4)
    return db


def later_changes(db) -> None:
    """Installation 1 after its first package: the open wait completed and the dossier
    finished, the online payment cancelled, a new vote."""
    wait = db.execute("SELECT id FROM dossiers WHERE status = 'supplement'").fetchone()[0]
    D.receive_supplement(db, wait, at=T(2026, 9, 14, 9))
    D.finish(db, wait, at=T(2026, 9, 15, 9))
    paid = db.execute("SELECT id FROM payments WHERE method = 'online' AND cancelled_at IS NULL"
                      ).fetchone()[0]
    payments.cancel_payment(db, paid, reason="Hoàn tiền", at=T(2026, 9, 14, 10))
    votes.add_vote(db, unit_code="U1", rating="very_satisfied", voted_at=T(2026, 9, 14, 11))


@pytest.fixture(scope="module", params=["recomputed", "kept"])
def merged(tmp_path_factory, request):
    """({unit: its installation's database}, the centre's database, {case: [(unit, code)]},
    {unit or "centre": the database file}), a procedure's time limit changed from 15/08
    everywhere (a dated rule the packages carry). "recomputed": each installation knows only
    its own units, so the centre computes every due time and fact again with its rules;
    "kept": every installation holds the centre's whole catalogue, the centre keeps the
    senders' (core.exchange.records.rules_fingerprint)."""
    folder = tmp_path_factory.mktemp("agree")
    every = [u for n in UNITS for u in UNITS[n]]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timefmt, "now", lambda: NOW)
        offices = {n: office(folder / f"o{n}.db", n + 1,
                             every if request.param == "kept" else UNITS[n]) for n in UNITS}
        centre = office(folder / "centre.db", 1, every)
        for db in (*offices.values(), centre):  # the same decision entered everywhere
            rules.set_procedure_rule(db, "P.WD2", rules.ProcedureRule(
                3, "working_days", None, "full", 0), dt.date(2026, 8, 15))
        made: dict[str, list] = {name: [] for name in CASES}
        for n, db in offices.items():
            for code, _, _ in UNITS[n]:
                for name, case in CASES.items():
                    before = {r[0] for r in db.execute("SELECT code FROM dossiers")}
                    case(db, code)
                    made[name] += [(UNITS[n][0][0], r[0]) for r in db.execute(
                        "SELECT code FROM dossiers") if r[0] not in before]
            export_package(db, folder / f"o{n}.zip", SINCE)
        batch = import_packages(centre, [folder / f"o{n}.zip" for n in UNITS])
        assert all(r.written and not r.catalogue_diffs and not r.warnings for r in batch.results)
        assert all(r.fast == (request.param == "kept") for r in batch.results)
        later_changes(offices[1])
        export_package(offices[1], folder / "o1-second.zip", dt.date(2026, 9, 1))
        second = import_package(centre, folder / "o1-second.zip")
        assert second.dossiers == {"changed": 2, "identical": 11}, second.dossiers
        by_unit = {code: offices[n] for n in UNITS for code, _, _ in UNITS[n][:1]}
        paths = {"centre": folder / "centre.db",
                 **{UNITS[n][0][0]: folder / f"o{n}.db" for n in UNITS}}
        yield by_unit, centre, made, paths
        for db in (*offices.values(), centre):
            db.close()


def counted(figures: dict) -> dict:
    """Every count of a unit's figures (numerators and denominators), no rate."""
    out: dict = {}
    for key, value in figures.items():
        if key in ("code", "name", "meets") or key.endswith("rate"):
            continue
        if isinstance(value, dict):
            value = {k: (v["num"], v["den"]) if isinstance(v, dict) else v
                     for k, v in value.items() if k != "rate"}
        out[key] = value
    return out


def added(a, b):
    if isinstance(a, dict):
        return {k: added(a[k], b[k]) for k in a}
    if isinstance(a, tuple):
        return tuple(x + y for x, y in zip(a, b, strict=True))
    return a + b


POLICIES = {"saved": None, "restart-extended": {"supplement": "restart", "due_basis": "extended"},
            "online-all": {"online_denominator": "all"}}


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("period", PERIODS)
def test_each_unit_at_the_centre_is_its_installation_and_the_whole_their_sum(merged, period,
                                                                             policy):
    by_unit, centre, _, _ = merged
    start, end, as_of = PERIODS[period]
    chosen = POLICIES[policy]
    summed = None
    for unit, db in by_unit.items():
        here, there = (compute(d, start, end, unit=unit, as_of=as_of, policy=chosen)
                       for d in (db, centre))
        assert here["as_of"] == there["as_of"]
        assert [counted(u) for u in there["units"]] == [counted(u) for u in here["units"]], unit
        assert counted(there["total"]) == counted(here["total"]), unit
        summed = counted(here["total"]) if summed is None else added(summed, counted(here["total"]))
    whole = compute(centre, start, end, as_of=as_of, policy=chosen)
    assert counted(whole["total"]) == summed
    assert whole["total"]["received"]["total"] > 0 and whole["total"]["resolved"]["total"] > 0


def kpi_json(capsys, path, unit: str | None, *when: str) -> dict:
    capsys.readouterr()
    assert main.main(["--db", str(path), "kpi", "--json", *when,
                      *(["--unit", unit] if unit else [])]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("when", [("--from", "2026-09-01", "--to", "2026-09-30"),
                                  ("--from", "2026-08-01", "--to", "2026-08-31", "--as-of",
                                   "2026-08-28 10:00")], ids=["running", "as-of"])
def test_kpi_json_at_each_installation_is_the_centre_s_for_its_unit(merged, capsys, when):
    by_unit, _, _, paths = merged
    for unit in by_unit:
        here, there = (kpi_json(capsys, paths[side], unit, *when) for side in (unit, "centre"))
        assert here["as_of"] == there["as_of"]
        assert [counted(u) for u in there["units"]] == [counted(u) for u in here["units"]]
        assert counted(there["total"]) == counted(here["total"])


@pytest.mark.parametrize("period", PERIODS)
def test_the_monthly_report_prints_the_kpi(merged, period):
    _, centre, _, _ = merged
    start, end, as_of = PERIODS[period]
    kpi = compute(centre, start, end, as_of=as_of)
    data = gather(centre, Period(start, end), as_of=as_of)
    assert data.kpi == kpi
    assert sum(data.overdue_found.values()) == kpi["total"]["in_progress"]["overdue"]
    rated = [n for unit in data.votes.values() for n in unit.values()]
    assert sum(rated) == kpi["total"]["satisfaction"]["votes"]


@pytest.mark.parametrize("period", PERIODS)
def test_each_unit_s_monthly_report_at_the_centre_is_its_installation_s(merged, period):
    """The report of one unit (`report monthly --unit`): its figures, its overdue list with due
    times, its votes by rating and its reception workload."""
    by_unit, centre, _, _ = merged
    start, end, as_of = PERIODS[period]
    for unit, db in by_unit.items():
        here, there = (gather(d, Period(start, end), unit, as_of=as_of) for d in (db, centre))
        assert [counted(u) for u in there.kpi["units"]] == [counted(u) for u in here.kpi["units"]]
        assert [(r.code, r.due) for r in there.overdue] == [(r.code, r.due) for r in here.overdue]
        assert there.overdue_found == here.overdue_found
        assert there.votes == here.votes and there.reception == here.reception, unit


@pytest.mark.parametrize("case", CASES)
def test_every_dossier_is_due_when_its_installation_says(merged, case):
    by_unit, centre, made, _ = merged
    assert len(made[case]) >= len(by_unit) + 1  # at every unit, U3A (in U3's file) too
    for unit, code in made[case]:
        db = by_unit[unit]
        here, there = D.find_by_code(db, code), D.find_by_code(centre, code)
        calc = "SELECT calc_due_at FROM dossiers WHERE id = ?"
        assert centre.execute(calc, [there]).fetchone() == db.execute(calc, [here]).fetchone()
        for moment in (NOW, T(2026, 8, 25, 12)):
            assert due_of_dossier(centre, there, moment)[1] == \
                due_of_dossier(db, here, moment)[1], code


def test_a_commune_s_own_day_off_is_listed_not_added_and_moves_no_other_unit(tmp_path):
    """Installation 3's local day off (28/08) the centre has no row of: before, it was added
    silently and every other unit's dossier across it was due a day later at the centre than
    at its own installation."""
    one, three = office(tmp_path / "o1.db", 2, UNITS[1]), office(tmp_path / "o3.db", 4, UNITS[3])
    centre = office(tmp_path / "centre.db", 1, UNITS[1] + UNITS[3])
    catalogue.set_calendar_day(three, dt.date(2026, 8, 28), "holiday", "Nghỉ địa phương")
    for db, unit, name in ((one, "U1", "o1.zip"), (three, "U3", "o3.zip")):
        swapped_saturday(db, unit)
        export_package(db, tmp_path / name, SINCE)
    import_package(centre, tmp_path / "o1.zip")
    result = import_package(centre, tmp_path / "o3.zip")
    assert [d.item for d in result.catalogue_diffs] == ["calendar:2026-08-28"]
    assert ("Loại ngày", "Ngày làm việc", "Ngày nghỉ") in result.catalogue_diffs[0].differs
    assert centre.execute("SELECT COUNT(*) FROM calendar WHERE date = '2026-08-28'"
                          ).fetchone()[0] == 0
    for dossier_id, code in one.execute("SELECT id, code FROM dossiers"):
        assert due_of_dossier(centre, D.find_by_code(centre, code), NOW)[1] == \
            due_of_dossier(one, dossier_id, NOW)[1], code
    assert counted(compute(centre, *AUGUST, unit="U1")["total"]) == \
        counted(compute(one, *AUGUST, unit="U1")["total"])


def test_differing_office_hours_are_named_before_anything_is_written(tmp_path):
    """Hours are a setting no package carried: a commune working until 17:30 from 01/08 had its
    due times recomputed at the centre until 17:00, and nothing said so."""
    two, centre = office(tmp_path / "o2.db", 3, UNITS[2]), office(tmp_path / "c.db", 1, UNITS[2])
    rules.set_office_hours(two, [["07:30", "11:30"], ["13:30", "17:30"]], dt.date(2026, 8, 1))
    month_end(two, "U2")
    export_package(two, tmp_path / "o2.zip", SINCE)
    preview = import_package(centre, tmp_path / "o2.zip", dry_run=True)
    said = [w for w in preview.warnings if w.startswith("Giờ làm việc của máy gửi khác")]
    [item] = [d for d in preview.catalogue_diffs if d.kind == "hours"]
    assert said == ["Giờ làm việc của máy gửi khác máy này vào ngày tiếp nhận của 2 hồ sơ trong "
                    "gói — tiếp nhận 31/08/2026 (2 hồ sơ): máy gửi 07:30–11:30, 13:30–17:30, "
                    "máy này 07:00–11:30, 13:30–17:00. Giữ giờ của máy này (mặc định): hạn của "
                    "những hồ sơ ấy tính theo giờ làm việc của máy này, 2 hồ sơ có hạn khác hạn "
                    "tính theo giờ của máy gửi (hạn máy gửi đã hẹn, số liệu máy gửi tự tính). "
                    "Lấy theo gói (đánh dấu dòng Giờ làm việc; dòng lệnh: --catalogue-item "
                    f"{item.item}=theirs): giờ làm việc của máy này thành của máy gửi từ "
                    "01/08/2026, hạn của mọi hồ sơ máy này giữ tiếp nhận từ ngày ấy được tính "
                    "lại."]
    # taken by the clerk's choice: the same due times as the commune's own
    taker = office(tmp_path / "c2.db", 1, UNITS[2])
    taken = import_package(taker, tmp_path / "o2.zip", catalogue_choices={item.item: "theirs"})
    assert taken.catalogue_taken == [item.item]
    for dossier_id, code in two.execute("SELECT id, code FROM dossiers"):
        assert due_of_dossier(taker, D.find_by_code(taker, code), NOW)[1] == \
            due_of_dossier(two, dossier_id, NOW)[1], code
    rules.set_office_hours(centre, [["07:30", "11:30"], ["13:30", "17:30"]], dt.date(2026, 8, 1))
    result = import_package(centre, tmp_path / "o2.zip")
    assert result.written and not result.warnings
    for dossier_id, code in two.execute("SELECT id, code FROM dossiers"):
        assert due_of_dossier(centre, D.find_by_code(centre, code), NOW)[1] == \
            due_of_dossier(two, dossier_id, NOW)[1], code


def test_a_listed_day_says_whose_it_is_and_what_each_choice_does(tmp_path, capsys):
    """The catalogue line alone ("Loại ngày: máy này Ngày làm việc, gói Ngày nghỉ") did not say
    that the day is the sender's calendar, nor what keeping or taking it does to whose due
    times; a day off here the package works is said the other way round. The default keeps
    the centre's day and writes the rest; the same package again lists it again, writes
    nothing new."""
    one, three = office(tmp_path / "o1.db", 2, UNITS[1]), office(tmp_path / "o3.db", 4, UNITS[3])
    centre = office(tmp_path / "centre.db", 1, UNITS[1] + UNITS[3])
    catalogue.set_calendar_day(three, dt.date(2026, 8, 28), "holiday", "Nghỉ địa phương")
    catalogue.set_calendar_day(three, dt.date(2026, 8, 30), "workday", None)  # a Sunday
    for db, unit, name in ((one, "U1", "o1.zip"), (three, "U3", "o3.zip")):
        swapped_saturday(db, unit)
        export_package(db, tmp_path / name, SINCE)
    import_package(centre, tmp_path / "o1.zip")
    said = [w for w in import_package(centre, tmp_path / "o3.zip", dry_run=True).warnings
            if w.startswith("Ngày ")]
    assert said == [
        "Ngày 28/08/2026 (Thứ Sáu): lịch của máy gửi ghi là ngày nghỉ (Nghỉ địa phương), máy "
        "này là ngày làm việc. Giữ lịch của máy này (mặc định): hạn của hồ sơ trong gói qua "
        "ngày ấy có thể sớm hơn hạn máy gửi đã hẹn. Lấy theo gói (đánh dấu dòng ấy; dòng lệnh: "
        "--catalogue-item calendar:2026-08-28=theirs): ngày ấy thành ngày nghỉ cho mọi hồ sơ "
        "máy này giữ, hạn của hồ sơ các đơn vị khác qua ngày ấy muộn hơn hạn máy của họ đã "
        "tính.",
        "Ngày 30/08/2026 (Chủ nhật): lịch của máy gửi ghi là ngày làm việc, máy này là ngày "
        "nghỉ (nghỉ cuối tuần). Giữ lịch của máy này (mặc định): hạn của hồ sơ trong gói qua ngày ấy "
        "có thể muộn hơn hạn máy gửi đã hẹn. Lấy theo gói (đánh dấu dòng ấy; dòng lệnh: "
        "--catalogue-item calendar:2026-08-30=theirs): ngày ấy thành ngày làm việc cho mọi hồ "
        "sơ máy này giữ, hạn của hồ sơ các đơn vị khác qua ngày ấy sớm hơn hạn máy của họ đã "
        "tính."]
    days = "SELECT * FROM calendar ORDER BY date"
    before = centre.execute(days).fetchall()
    for time in (1, 2):  # kept, the rest written; again: listed again, nothing new
        result = import_package(centre, tmp_path / "o3.zip")
        assert [d.item for d in result.catalogue_diffs] == ["calendar:2026-08-28",
                                                            "calendar:2026-08-30"]
        assert result.catalogue_taken == [] and result.written
        assert result.dossiers == ({"new": 2} if time == 1 else {"identical": 2})
        assert centre.execute(days).fetchall() == before


def test_a_day_a_centre_without_dossiers_takes_is_said(tmp_path):
    """A centre holding no dossier yet adds the package's days as before (nothing it holds
    moves: a new installation takes its calendar so), but the calendar is one for the whole
    installation: every other unit's dossiers imported later are due by it. That was silent,
    so whichever commune's package came first set its own days off for all."""
    three = office(tmp_path / "o3.db", 4, UNITS[3])
    centre = office(tmp_path / "centre.db", 1, UNITS[1] + UNITS[3])
    catalogue.set_calendar_day(three, dt.date(2026, 8, 28), "holiday", "Nghỉ địa phương")
    catalogue.set_calendar_day(three, dt.date(2026, 9, 1), "holiday", "Quốc khánh")  # as here
    swapped_saturday(three, "U3")
    export_package(three, tmp_path / "o3.zip", SINCE)
    result = import_package(centre, tmp_path / "o3.zip")
    assert not result.catalogue_diffs and result.catalogue["calendar_new"] == 2
    assert [w for w in result.warnings if w.startswith("Gói thêm vào lịch")] == [
        "Gói thêm vào lịch của máy này 1 ngày khác ngày máy này đang tính: 28/08/2026 (Thứ "
        "Sáu) ngày nghỉ (Nghỉ địa phương). Máy này chưa có hồ sơ nên chưa hồ sơ nào đổi hạn; "
        "nhưng lịch là một cho cả máy: hồ sơ của các đơn vị khác nhập sau mà qua ngày ấy sẽ "
        "tính theo lịch này, có thể khác hạn máy của họ đã tính. Nếu đó là ngày riêng của máy "
        "gửi, hãy xoá ngày ấy ở Danh mục, thẻ Lịch làm việc."]
