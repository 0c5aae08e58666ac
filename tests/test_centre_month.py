"""Issue 16 §3 as a centre lives it, end to end through the real commands and several files.

A provincial centre (slot 1 of 5) and two counter PCs of the same unit (2/5, 3/5) receive
dossiers for the same unit on the same day, offline; two communes (4/5, 5/5) receive their own,
one of them still holding the dossiers of a commune merged into it on 01/07/2025. Each is set up
as a new office is (first administrator, first start, catalogue imported with `import`), its
clerks sign in with their own accounts — the same login `canbo1` at every PC, a different person
at each. Packages go to the centre with `exchange export`/`exchange import` (preview first, then
for real, one package twice, then a second round with later changes). The centre's `kpi --json`
must give the figures worked out by hand below (spec 2.2–2.4, 5, 5.1), per unit and for all;
the monthly PDF must print the same; every merged row names the person of the PC that wrote it;
`check` is clean and the fingerprint in the PDF footer is the one `check --against` accepts.

Hand work (November 2026, evaluated at 24:00 on 30/11; office hours 07:00–11:30, 13:30–17:00):
each of the three PCs of the centre receives on Tue 10/11/2026
  b: TT.B same day, 08:00, fee 20,000 paid cash, finished 15:00 (due 17:00 that day): on time;
     returned 16:00; vote very satisfied;
  c: TT.C 5 working days, online 09:00 (due Tue 17/11 09:00), 50,000 paid online; waits
     11/11 09:00 → 13/11 09:00 = 16 working hours, so due Thu 19/11 09:00; finished 19/11 16:00
     with an electronic result: late; vote dissatisfied;
  a: TT.A 3 working days, direct 10:00 (due Fri 13/11 10:00), no fee; extended on 12/11 to
     20/11 17:00 (KPIs use the original due time): open and overdue at the end of the month.
  Counter A, in a second package: finishes its `a` on 20/11 15:00 (late) and records a vote
  (satisfied) with no dossier on 25/11.
each commune receives on 10/11/2026
  b: TT.B 07:30, finished 10:00, returned 11:00, 20,000 paid cash, vote satisfied: on time;
  a: TT.A 08:30 (due Fri 13/11 08:30); waits 11/11 08:00 → 12/11 08:00 (8 h: Mon 16/11 08:30)
     and 12/11 14:00 → 13/11 08:00 (4 h: Mon 16/11 14:30); finished 16/11 10:00: on time —
     but for 766 (2.1) a dossier with more than one supplement request is late.
Tân Văn also sends the two dossiers of Tú Xuyên (merged into it on 01/07/2025): received
20/06/2025 and 23/06/2025 (TT.A), one still open (overdue), one finished 12/11/2026 (late);
both are carried over into November, in Tú Xuyên's row (rows add up to the total).
"""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

import main
from core import accounts, actor_names, installation, office_setup, payments, timefmt, votes
from core import dossiers as D
from core.database import open_database
from db import actor as actors
from tests.pdfread import pdf_text

T = dt.datetime
NOW = T(2026, 12, 2, 10, 0)
CENTRE, VQ, TV, TX = "000.00.31.H37", "000.31.27.H37", "000.32.27.H37", "000.21.27.H37"
CENTRE_NAME = "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"
PROCEDURES = """code,name,field,limit_value,limit_unit,fee,online_level,paper_result
TT.A,Chứng thực bản sao từ bản chính,Chứng thực,3,working_days,0,full,0
TT.B,Đăng ký khai sinh,Hộ tịch,0,same_day,20000,none,0
TT.C,Cấp giấy phép xây dựng nhà ở riêng lẻ,Xây dựng,5,working_days,50000,full,1
"""
CENTRE_UNITS = f"""code,name,level,parent_code,valid_from,valid_to,successor_code
{VQ},UBND xã Văn Quan,commune,,2025-07-01,,
{TV},UBND xã Tân Văn,commune,,2025-07-01,,
"""
TV_UNITS = f"""code,name,level,parent_code,valid_from,valid_to,successor_code
{TX},UBND xã Tú Xuyên,commune,,,2025-06-30,{TV}
"""
# (unit, unit name, level, slot, {login: full name}); every PC has its own canbo1
OFFICES = {
    "centre": (CENTRE, CENTRE_NAME, "centre", 1, {"admin": "Nguyễn Quản Trị",
                                                   "canbo1": "Hoàng Văn Trung"}),
    "quay_a": (CENTRE, CENTRE_NAME, "centre", 2, {"admin": "Đặng Văn Máy",
                                                   "canbo1": "Lê Thị Quầy"}),
    "quay_b": (CENTRE, CENTRE_NAME, "centre", 3, {"admin": "Đặng Văn Máy",
                                                   "canbo1": "Vi Thị Bốn"}),
    "van_quan": (VQ, "UBND xã Văn Quan", "commune", 4, {"admin": "Lương Văn Xã",
                                                       "canbo1": "Hà Thị Năm"}),
    "tan_van": (TV, "UBND xã Tân Văn", "commune", 5, {"admin": "Mông Văn Sáu",
                                                     "canbo1": "Nông Thị Bảy"}),
}


def day(d: int, hour: int, minute: int = 0) -> dt.datetime:
    return T(2026, 11, d, hour, minute)


def run(capsys, path, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main.main(["--db", str(path), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


class Office:
    """One installation, set up as a new office is, its clerk signed in."""

    def __init__(self, tmp_path, capsys, name: str):
        unit, unit_name, level, slot, people = OFFICES[name]
        self.path, self.unit, self.people = tmp_path / f"{name}.db", unit, people
        db = open_database(self.path)
        admin = accounts.create_account(db, "admin", people["admin"], {"admin"}, "matkhau123")
        with actors.acting_as(admin.as_actor()):
            choice = office_setup.Choice(unit_name, level, unit_name.split(" ")[-1])
            office_setup.save_first_start(
                db, unit_code=unit, unit_name=unit_name, level=level,
                header=office_setup.suggested_header(choice), targets={"on_time": 0.9},
                year=2026, today=dt.date(2026, 10, 1))
            accounts.create_account(db, "canbo1", people["canbo1"], {"clerk"}, "matkhau123")
            installation.set_slot(db, slot, 5)
        db.close()
        procedures = tmp_path / "procedures.csv"
        procedures.write_text(PROCEDURES, encoding="utf-8")
        assert run(capsys, self.path, "import", "procedures", str(procedures))[0] == 0
        self.codes: list[str] = []

    def work(self, steps) -> None:
        db = open_database(self.path)
        try:
            with actors.acting_as(accounts.get(db, "canbo1").as_actor()):
                steps(db)
        finally:
            db.close()

    def receive(self, db, procedure, channel, at, unit=None) -> int:
        dossier_id, code = D.create_dossier(
            db, unit_code=unit or self.unit, procedure_code=procedure, applicant_name="Quách Thị Riêng",
            channel=channel, received_at=at, applicant_phone="0912345678")
        self.codes.append(code)
        return dossier_id


def centre_day(office: Office):
    def steps(db):
        b = office.receive(db, "TT.B", "direct", day(10, 8))
        payments.add_payment(db, b, amount=20000, method="cash", paid_at=day(10, 8))
        D.finish(db, b, at=day(10, 15))
        D.return_result(db, b, at=day(10, 16))
        votes.add_vote(db, unit_code=CENTRE, rating="very_satisfied", voted_at=day(10, 16),
                       dossier_id=b)
        c = office.receive(db, "TT.C", "online", day(10, 9))
        payments.add_payment(db, c, amount=50000, method="online", paid_at=day(10, 9))
        D.start_processing(db, c, at=day(10, 9))
        D.request_supplement(db, c, reason="Thiếu bản vẽ", at=day(11, 9))
        D.receive_supplement(db, c, at=day(13, 9))
        D.finish(db, c, at=day(19, 16), e_result=True)
        votes.add_vote(db, unit_code=CENTRE, rating="dissatisfied", voted_at=day(19, 16),
                       dossier_id=c)
        a = office.receive(db, "TT.A", "direct", day(10, 10))
        D.start_processing(db, a, at=day(10, 10))
        D.extend(db, a, new_due_at=day(20, 17), reason="Cần xác minh", at=day(12, 9))
    return steps


def commune_day(office: Office):
    def steps(db):
        b = office.receive(db, "TT.B", "direct", day(10, 7, 30))
        D.finish(db, b, at=day(10, 10))
        D.return_result(db, b, at=day(10, 11))
        payments.add_payment(db, b, amount=20000, method="cash", paid_at=day(10, 11))
        votes.add_vote(db, unit_code=office.unit, rating="satisfied", voted_at=day(10, 11),
                       dossier_id=b)
        a = office.receive(db, "TT.A", "direct", day(10, 8, 30))
        D.start_processing(db, a, at=day(10, 8, 30))
        for asked, given in ((day(11, 8), day(12, 8)), (day(12, 14), day(13, 8))):
            D.request_supplement(db, a, reason="Thiếu giấy tờ", at=asked)
            D.receive_supplement(db, a, at=given)
        D.finish(db, a, at=day(16, 10))
    return steps


def figures(unit: dict) -> tuple:
    return (unit["received"], unit["resolved"], unit["withdrawn"], unit["in_progress"],
            (unit["online_full"]["count"], unit["online_full"]["eligible"]),
            (unit["online_payment"]["paid_online"], unit["online_payment"]["fee_dossiers"]),
            (unit["satisfaction"]["votes"], unit["satisfaction"]["satisfied"]),
            {key: (value["num"], value["den"]) for key, value in unit["i766"].items()})


def rec(total, online, direct, carried, early, on_time, late, within, overdue, withdrawn=0):
    return ({"total": total, "online": online, "direct_postal": direct, "carried_over": carried},
            {"total": early + on_time + late, "early": early, "on_time": on_time, "late": late},
            withdrawn, {"total": within + overdue, "within_time": within, "overdue": overdue})


COMMUNE = (*rec(2, 0, 2, 0, 0, 2, 0, 0, 0), (0, 1), (0, 1), (1, 1),
           {"on_time": (1, 2), "online": (0, 2), "online_payment": (0, 1), "e_result": (0, 2),
            "digitised": (0, 2), "satisfaction": (2, 2)})
EXPECTED = {
    # 9 received (3 online), 3 on time + 4 late, 2 open overdue; online full 3 of 6 eligible;
    # paid online 3 of 6 fee dossiers; 7 votes, 4 satisfied. 766: 3 finished not late / 9;
    # 3 e-results / 7 resolved; 5.4: 1 − (4 late + 3 dissatisfied)/7, floored at 0
    CENTRE: (*rec(9, 3, 6, 0, 0, 3, 4, 0, 2), (3, 6), (3, 6), (7, 4),
             {"on_time": (3, 9), "online": (3, 9), "online_payment": (3, 6),
              "e_result": (3, 7), "digitised": (0, 9), "satisfaction": (0, 7)}),
    TX: (*rec(2, 0, 0, 2, 0, 0, 1, 0, 1), (0, 0), (0, 0), (0, 0),
         {"on_time": (0, 2), "online": (0, 0), "online_payment": (0, 0), "e_result": (1, 1),
          "digitised": (0, 0), "satisfaction": (0, 1)}),
    VQ: COMMUNE,
    TV: COMMUNE,
}
TOTAL = (*rec(15, 3, 10, 2, 0, 7, 5, 0, 3), (3, 8), (3, 8), (9, 6),
         {"on_time": (5, 15), "online": (3, 13), "online_payment": (3, 8), "e_result": (4, 12),
          "digitised": (0, 13), "satisfaction": (4, 12)})


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


def test_a_centre_consolidates_its_counters_and_communes_for_the_month(tmp_path, capsys,
                                                                       frozen):
    offices = {name: Office(tmp_path, capsys, name) for name in OFFICES}
    centre = offices["centre"]
    units = tmp_path / "units.csv"
    units.write_text(CENTRE_UNITS, encoding="utf-8")
    assert run(capsys, centre.path, "import", "units", str(units))[0] == 0
    old = tmp_path / "old_units.csv"
    old.write_text(TV_UNITS, encoding="utf-8")
    assert run(capsys, offices["tan_van"].path, "import", "units", str(old))[0] == 0
    for name in ("centre", "quay_a", "quay_b"):
        offices[name].work(centre_day(offices[name]))
    for name in ("van_quan", "tan_van"):
        offices[name].work(commune_day(offices[name]))
    # the same unit and day at three PCs: the slots keep the codes apart (spec 4)
    same_day = sorted(c for o in offices.values() for c in o.codes if c.startswith(CENTRE))
    assert [int(c[-4:]) for c in same_day] == [1, 2, 3, 6, 7, 8, 11, 12, 13]
    assert sorted(offices["quay_a"].codes) == [f"{CENTRE}-261110-{n:04d}" for n in (2, 7, 12)]

    def package(name: str, since: str) -> str:
        out = tmp_path / f"{name}-{since}.zip"
        code, text = run(capsys, offices[name].path, "exchange", "export", "--since", since,
                         "--out", str(out))
        assert code == 0, text
        return str(out)

    first = [package(name, "2026-11-01") for name in ("quay_a", "quay_b", "van_quan", "tan_van")]
    code, text = run(capsys, centre.path, "exchange", "import", "--dry-run", *first)
    assert code == 0 and "nếu nhập sẽ có: hồ sơ mới 10," in text and "Chưa ghi gì" in text
    assert "cùng số hiệu" not in text and "chia mã theo" not in text  # one group of 5
    code, text = run(capsys, centre.path, "exchange", "import", *first)
    assert code == 0 and "đã nhập trong một giao dịch: hồ sơ mới 10," in text, text
    code, text = run(capsys, centre.path, "exchange", "import", first[0])  # the same again
    assert code == 0 and "hồ sơ mới 0, thay đổi 0, giống hệt 3" in text

    # a second round: later changes at counter A, the merged commune's dossiers at Tân Văn
    def later_a(db):
        a = D.find_by_code(db, f"{CENTRE}-261110-0012")
        D.finish(db, a, at=day(20, 15))
        votes.add_vote(db, unit_code=CENTRE, rating="satisfied", voted_at=day(25, 9))

    def merged_commune(db):
        tan_van = offices["tan_van"]
        tan_van.receive(db, "TT.A", "direct", T(2025, 6, 20, 9), unit=TX)
        done = tan_van.receive(db, "TT.A", "direct", T(2025, 6, 23, 9), unit=TX)
        D.finish(db, done, at=day(12, 9), e_result=True)
    offices["quay_a"].work(later_a)
    offices["tan_van"].work(merged_commune)
    second = [package("quay_a", "2026-11-15"), package("tan_van", "2026-06-01")]
    code, text = run(capsys, centre.path, "exchange", "import", *second)
    assert code == 0 and "hồ sơ mới 2, thay đổi 1," in text, text

    code, text = run(capsys, centre.path, "kpi", "--from", "2026-11-01", "--to", "2026-11-30",
                     "--json")
    assert code == 0
    doc = json.loads(text)
    assert doc["as_of"] == "2026-12-01 00:00:00"
    assert {u["code"]: figures(u) for u in doc["units"]} == EXPECTED
    assert figures(doc["total"]) == TOTAL
    # the total is the sum of the rows, figure by figure
    for key in ("received", "resolved", "in_progress"):
        for part in doc["total"][key]:
            assert doc["total"][key][part] == sum(u[key][part] for u in doc["units"])

    # whose login: counter A's canbo1 is Lê Thị Quầy at the centre, not the centre's canbo1
    db = open_database(centre.path, create=False, mode="read")
    try:
        names = actor_names.Names(db)
        for name, office in offices.items():
            for code_ in office.codes:
                row = db.execute("SELECT id, received_by FROM dossier_rows WHERE code = ?",
                                 [code_]).fetchone()
                assert names.of(row[1], "dossier_rows", row[0]) == office.people["canbo1"], name
                for event_id, login in db.execute(
                        "SELECT id, actor FROM events WHERE dossier_id = ?", [row[0]]):
                    assert names.of(login, "event_rows", event_id) == office.people[login]
    finally:
        db.close()

    # the monthly PDF prints the same rows, and its footer's fingerprint is the data's
    out = tmp_path / "thang11.pdf"
    code, text = run(capsys, centre.path, "report", "monthly", "--month", "2026-11",
                     "--out", str(out))
    assert code == 0, text
    printed = " ".join(pdf_text(out).split())
    for unit in doc["units"] + [dict(doc["total"], name="Tổng cộng")]:
        r, s, w, p = unit["received"], unit["resolved"], unit["withdrawn"], unit["in_progress"]
        del w
        row = " ".join(str(v) for v in (r["total"], r["online"], r["direct_postal"],
                                         r["carried_over"], s["total"], s["early"],
                                         s["on_time"], s["late"], p["total"],
                                         p["within_time"], p["overdue"]))
        assert row in printed, (unit["name"], row)
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn 58,33% (7/12)" in printed
    assert "2.1. Tỷ lệ hồ sơ giải quyết đúng hạn (766) 33,33% (5/15)" in printed
    assert "0912345678" not in printed and "Quách Thị Riêng" not in printed
    marks = set(re.findall(r"Dấu kiểm chứng dữ liệu: ([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})",
                           printed))
    assert len(marks) == 1
    code, text = run(capsys, centre.path, "check")
    assert code == 0 and "Kết quả: cơ sở dữ liệu tốt." in text
    code, text = run(capsys, centre.path, "check", "--against", marks.pop())
    assert code == 0 and text.startswith("KHỚP"), text
