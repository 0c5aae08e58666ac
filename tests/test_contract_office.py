"""A tool written against the contract (spec.md 2, 5, 5.1, 6, 8) reads these figures: a small
office imported through the command line, every number worked out by hand from the spec.

tests/data/contract: province P with communes A and B (and OLD, dissolved 31/10/2026 into A);
procedures W1 (1 working day, free, full online), W3 (3 working days, 10.000 đ, full online,
paper result), C5 (5 calendar days, free, not online) and S (same day, cut-off 15:00, 2.000 đ).
Office hours 07:00–11:30, 13:30–17:00. The dossiers of November 2026 (the period is over):

  A-261030-0001  A  W1 direct  Fri 30/10 16:00 -> due Mon 02/11 16:00; done 02/11 15:00: on time,
                 carried over
  A-261102-0001  A  W3 online  Mon 02/11 07:00 -> due Wed 04/11 17:00; done 04/11 10:00: on time;
                 e_result, paid online: counts fully online
  A-261105-0001  A  W3 online  Thu 05/11 10:00 -> due Tue 10/11 10:00; waits Thu 11:00 – Mon
                 09/11 11:00 = 4 + 8 + 4 working hours: pause due Thu 12/11 10:00, restart due
                 09/11 11:00 + 3 days = Thu 12/11 11:00; done 12/11 10:30: late (pause), on time
                 (restart); paid in cash; paper result not electronic: not fully online
  A-261110-0001  A  W1 direct  withdrawn 11/11 08:00 (before its due Wed 11/11 15:00)
  A-261125-0001  A  W3 direct  Wed 25/11 09:00 -> due Mon 30/11 09:00: open, overdue at 01/12
                 00:00; extended to 03/12 17:00 (within time under `extended`)
  A-261127-0001  A  C5 postal  Fri 27/11 10:00 -> due Wed 02/12 17:00: open, within time
  A-261116-0001  received at B for A (competent unit A: counts in A's row), W1 online Mon 16/11
                 08:00 -> due Tue 17/11 08:00; rejected 18/11 09:00: late
  B-261120-0001  B  S  direct  Fri 20/11 15:30, after the cut-off -> due Mon 23/11 17:00; done
                 23/11 09:00: on time; paid online on 01/12 (after the period: still counts)
  B-261102-0001  B  W3 direct  Mon 02/11 08:00 -> due Thu 05/11 08:00; done 04/11: early; a
                 dissatisfied vote tied to it (766 5.4 complaint share)
  B-261015-0001  B  closed 30/10: in no figure of November
  B-261130-0001  B  W1 direct  Mon 30/11 16:00, waiting for a supplement since 16:30: within time
Votes: A 03/11 and 30/11 23:59 (satisfied), 01/12 00:00 (December); B 05/11 dissatisfied,
31/10 23:00 (October). The August dossiers pin the official 2026 schedule (spec 2.1).
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "contract"
KINDS = ("units", "procedures", "dossiers", "payments", "votes")
NOVEMBER = ("--from", "2026-11-01", "--to", "2026-11-30")


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("contract") / "office.db"
    for kind in KINDS:
        result = cli(db, "import", kind, str(DATA / f"{kind}.csv"), "--new-db")
        assert result.returncode == 0, result.stderr
    return db


def kpi(db: Path, *extra: str) -> dict:
    result = cli(db, "kpi", *NOVEMBER, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def part(num: int, den: int, rate: float | None) -> dict:
    return {"num": num, "den": den, "rate": rate}


UNIT_A = {
    "code": "A", "name": "Xã An",
    "received": {"total": 7, "online": 3, "direct_postal": 3, "carried_over": 1},
    "resolved": {"total": 4, "early": 0, "on_time": 2, "late": 2},
    "withdrawn": 1,
    "in_progress": {"total": 2, "within_time": 1, "overdue": 1},
    "on_time_rate": 0.5,
    "online_full": {"count": 2, "eligible": 5, "received": 6, "rate": 0.4},
    "online_payment": {"paid_online": 1, "fee_dossiers": 3, "rate": 0.3333},
    "satisfaction": {"votes": 2, "satisfied": 2, "rate": 1.0},
    "meets": {"on_time": False, "online_full": False, "online_payment": False,
              "satisfaction": True},
    "i766": {
        # finished not late: 30/10's, 02/11's, the withdrawal; open within time: 27/11's
        "on_time": part(4, 7, 0.5714), "online": part(2, 6, 0.3333),
        "online_payment": part(1, 3, 0.3333), "e_result": part(1, 4, 0.25),
        "digitised": part(0, 6, 0.0), "satisfaction": part(2, 4, 0.5)},
}
UNIT_B = {
    "code": "B", "name": "Xã Bình",
    "received": {"total": 3, "online": 0, "direct_postal": 3, "carried_over": 0},
    "resolved": {"total": 2, "early": 1, "on_time": 1, "late": 0},
    "withdrawn": 0,
    "in_progress": {"total": 1, "within_time": 1, "overdue": 0},
    "on_time_rate": 1.0,
    "online_full": {"count": 0, "eligible": 2, "received": 3, "rate": 0.0},
    "online_payment": {"paid_online": 1, "fee_dossiers": 2, "rate": 0.5},
    "satisfaction": {"votes": 1, "satisfied": 0, "rate": 0.0},
    "meets": {"on_time": True, "online_full": False, "online_payment": True,
              "satisfaction": False},
    "i766": {
        # the waiting dossier counts as finished at its request, before its due time
        "on_time": part(3, 3, 1.0), "online": part(0, 3, 0.0),
        "online_payment": part(1, 2, 0.5), "e_result": part(0, 2, 0.0),
        "digitised": part(0, 3, 0.0), "satisfaction": part(1, 2, 0.5)},
}
EMPTY = {"received": {"total": 0, "online": 0, "direct_postal": 0, "carried_over": 0},
         "resolved": {"total": 0, "early": 0, "on_time": 0, "late": 0}, "withdrawn": 0,
         "in_progress": {"total": 0, "within_time": 0, "overdue": 0}, "on_time_rate": None,
         "online_full": {"count": 0, "eligible": 0, "received": 0, "rate": None},
         "online_payment": {"paid_online": 0, "fee_dossiers": 0, "rate": None},
         "satisfaction": {"votes": 0, "satisfied": 0, "rate": None},
         "meets": dict.fromkeys(("on_time", "online_full", "online_payment", "satisfaction")),
         "i766": {k: part(0, 0, None) for k in ("on_time", "online", "online_payment",
                                                 "e_result", "digitised", "satisfaction")}}
TOTAL = {
    "received": {"total": 10, "online": 3, "direct_postal": 6, "carried_over": 1},
    "resolved": {"total": 6, "early": 1, "on_time": 3, "late": 2},
    "withdrawn": 1,
    "in_progress": {"total": 3, "within_time": 2, "overdue": 1},
    "on_time_rate": 0.6667,
    "online_full": {"count": 2, "eligible": 7, "received": 9, "rate": 0.2857},
    "online_payment": {"paid_online": 2, "fee_dossiers": 5, "rate": 0.4},
    "satisfaction": {"votes": 3, "satisfied": 2, "rate": 0.6667},
    "meets": {"on_time": False, "online_full": False, "online_payment": False,
              "satisfaction": False},
    "i766": {"on_time": part(7, 10, 0.7), "online": part(2, 9, 0.2222),
             "online_payment": part(2, 5, 0.4), "e_result": part(1, 6, 0.1667),
             "digitised": part(0, 9, 0.0), "satisfaction": part(3, 6, 0.5)},
}


def test_november_json_is_the_document_of_spec_8_worked_by_hand(office):
    doc = kpi(office)
    assert list(doc) == ["from", "to", "as_of", "policy", "targets", "units", "total"]
    assert (doc["from"], doc["to"], doc["as_of"]) == ("2026-11-01", "2026-11-30",
                                                      "2026-12-01 00:00:00")
    assert doc["policy"] == {"supplement": "pause", "due_basis": "original",
                             "online_denominator": "eligible"}
    assert doc["targets"] == {"on_time": 0.9, "online_full": 0.7, "online_payment": 0.45,
                              "satisfaction": 0.95}
    # every unit valid on some day of November, by code, P with no activity; OLD was
    # dissolved on 31/10 and has nothing in November
    assert doc["units"] == [UNIT_A, UNIT_B, {"code": "P", "name": "Tỉnh X", **EMPTY}]
    assert doc["total"] == TOTAL
    for figures in [*doc["units"], doc["total"]]:  # the invariant of spec 5
        r, ip = figures["received"], figures["in_progress"]
        assert r["total"] == r["online"] + r["direct_postal"] + r["carried_over"] \
            == figures["resolved"]["total"] + figures["withdrawn"] + ip["total"]


def test_a_unit_and_everything_below_it(office):
    doc = kpi(office, "--unit", "A")
    # A and OLD, its predecessor (not valid in November, nothing counted there)
    assert [u["code"] for u in doc["units"]] == ["A"]
    assert {k: v for k, v in doc["total"].items()} == {k: v for k, v in UNIT_A.items()
                                                       if k not in ("code", "name")}


def test_the_three_policies_override_the_settings_for_one_run(office):
    restart = kpi(office, "--supplement", "restart")
    # the 05/11 dossier: due afresh from its completion 09/11 11:00, done 12/11 10:30
    assert restart["units"][0]["resolved"] == {"total": 4, "early": 0, "on_time": 3, "late": 1}
    assert restart["units"][0]["on_time_rate"] == 0.75
    assert restart["units"][0]["i766"] == UNIT_A["i766"]  # 766 counts under pause, always
    extended = kpi(office, "--due-basis", "extended")
    assert extended["units"][0]["in_progress"] == {"total": 2, "within_time": 2, "overdue": 0}
    assert extended["units"][0]["i766"] == UNIT_A["i766"]  # and with the original due time
    everyone = kpi(office, "--online-denominator", "all")
    assert everyone["units"][0]["online_full"] == {"count": 2, "eligible": 5, "received": 6,
                                                   "rate": 0.3333}
    assert everyone["total"]["online_full"]["rate"] == 0.2222
    assert everyone["policy"]["online_denominator"] == "all"


def test_as_of_shows_what_was_recorded_then(office):
    doc = kpi(office, "--as-of", "2026-11-11 12:00")
    assert doc["as_of"] == "2026-11-11 12:00:00"
    a, b = doc["units"][0], doc["units"][1]
    # received by then: 30/10 (carried), 02/11, 05/11 (finished 12/11: still open, its wait
    # over, due Thu 12/11 10:00: within time), the withdrawal of 11/11 08:00
    assert a["received"] == {"total": 4, "online": 2, "direct_postal": 1, "carried_over": 1}
    assert a["resolved"] == {"total": 2, "early": 0, "on_time": 2, "late": 0}
    assert (a["withdrawn"], a["in_progress"]) == (1, {"total": 1, "within_time": 1, "overdue": 0})
    assert a["online_payment"] == {"paid_online": 1, "fee_dossiers": 2, "rate": 0.5}
    assert a["satisfaction"] == {"votes": 1, "satisfied": 1, "rate": 1.0}
    # B: the 02/11 dossier only; the 20/11 one, its payment of 01/12, are unknown
    assert b["received"]["total"] == 1 and b["resolved"]["early"] == 1
    assert b["online_payment"] == {"paid_online": 0, "fee_dossiers": 1, "rate": 0.0}
    assert b["i766"]["satisfaction"] == part(0, 1, 0.0)  # the vote of 05/11 was known


def test_the_official_2026_schedule_comes_with_a_new_database(office):
    """Spec 2.1: Saturday 22/08/2026 worked, 31/08–02/09 off (Công văn 9859/VPCP-KGVX)."""
    result = cli(office, "kpi", "--from", "2026-08-01", "--to", "2026-09-30", "--unit", "B",
                 "--json")
    doc = json.loads(result.stdout)
    # Fri 21/08 16:00 + 1 day = Sat 22/08 16:00, done Mon 24/08 08:00: late; Fri 28/08 16:00
    # + 1 day = Thu 03/09 16:00, done 15:00: on time; 16:30 + 1 day = 03/09 16:30, done 16:45
    assert doc["total"]["resolved"] == {"total": 3, "early": 0, "on_time": 1, "late": 2}


def pdf_pages(path: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    return [" ".join(document[i].get_textpage().get_text_range().split())
            for i in range(len(document))]


def test_the_monthly_report_and_the_table_print_the_same_figures(office, tmp_path):
    out = tmp_path / "nov.pdf"
    made = cli(office, "report", "monthly", "--month", "2026-11", "--out", str(out))
    assert made.returncode == 0, made.stderr
    text = " ".join(pdf_pages(out))
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn 66,67% (4/6) 90% Chưa đạt" in text
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình 28,57% (2/7) 70% Chưa đạt" in text
    assert "Tỷ lệ hồ sơ thanh toán trực tuyến 40,00% (2/5) 45% Chưa đạt" in text
    assert "Tỷ lệ người dân hài lòng 66,67% (2/3) 95% Chưa đạt" in text
    # Biểu 06 columns (3)–(13) per unit and the total
    assert "1 Xã An 7 3 3 1 4 0 2 2 2 1 1" in text
    assert "2 Xã Bình 3 0 3 0 2 1 1 0 1 1 0" in text
    assert "Tổng cộng 10 3 6 1 6 1 3 2 3 2 1" in text
    assert "1 A-261125-0001 Ba ngày Xã An 09:00 30/11/2026 6 giờ" in text  # live_due.overdue_span
    for line in ("2.1. Tỷ lệ hồ sơ giải quyết đúng hạn (766) 70,00% (7/10)",
                 "3.3. Tỷ lệ hồ sơ trực tuyến (766) 22,22% (2/9)",
                 "4.1. Tỷ lệ trả kết quả điện tử (766) 16,67% (1/6)",
                 "5.4. Mức độ hài lòng (766) 50,00% (3/6)",
                 "1 Xã An 57,14% 33,33% 33,33% 25,00% 0,00% 50,00%"):
        assert line in text
    assert "tạm tính" not in text  # the period is over
    table = cli(office, "kpi", *NOVEMBER)
    assert table.returncode == 0, table.stderr
    biểu_06 = table.stdout.split("So với chỉ tiêu")[0]  # the 766 table follows
    rows = {line.split("  ")[0]: line.split()[-11:] for line in biểu_06.splitlines()
            if line.startswith(("Xã An ", "TỔNG CỘNG"))}
    assert rows["Xã An"] == ["7", "3", "1", "4", "50,00%", "2", "2", "1", "40,00%", "33,33%",
                             "100,00%"]
    assert rows["TỔNG CỘNG"] == ["10", "3", "1", "6", "66,67%", "2", "3", "1", "28,57%",
                                 "40,00%", "66,67%"]
    assert table.stdout.splitlines()[1] == "Số liệu tính đến hết ngày 30/11/2026"


def test_a_running_period_is_evaluated_now(office, tmp_path, monkeypatch, capsys):
    """Spec 2.3, 5: while November runs (now 30/11 08:30), an open dossier is classified now —
    25/11's, due at 09:00, is still within time — and every page says the figures are
    provisional."""
    import main
    from core import timefmt

    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2026, 11, 30, 8, 30))
    assert main.main(["--db", str(office), "kpi", *NOVEMBER, "--unit", "A", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["as_of"] == "2026-11-30 08:30:00"
    assert doc["total"]["in_progress"] == {"total": 2, "within_time": 2, "overdue": 0}
    assert doc["total"]["i766"]["on_time"] == part(5, 7, 0.7143)
    out = tmp_path / "running.pdf"
    assert main.main(["--db", str(office), "report", "monthly", "--month", "2026-11",
                      "--unit", "A", "--out", str(out)]) == 0
    pages = pdf_pages(out)
    assert len(pages) > 1
    assert all("Số liệu tạm tính đến 08 giờ 30 phút, ngày 30/11/2026" in p for p in pages)
