"""The gap to each target and the month-end projection, as the dashboard and report word them."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from core.calendar import WorkCalendar
from core.indicators import gaps as gaps_module
from core.indicators import i766
from core.indicators.gaps import gaps, needed, pace_factor, project


def doc(early=0, on_time=0, late=0, of=0, eligible=0, received=0, paid=0, fee=0, sat=0, votes=0):
    total = {"resolved": {"total": early + on_time + late, "early": early, "on_time": on_time,
                          "late": late},
             "online_full": {"count": of, "eligible": eligible, "received": received},
             "online_payment": {"paid_online": paid, "fee_dossiers": fee},
             "satisfaction": {"satisfied": sat, "votes": votes}}
    return {"from": "2025-06-01", "to": "2025-06-30", "total": total,
            "policy": {"online_denominator": "eligible"},
            "targets": {"on_time": 0.9, "online_full": 0.7, "online_payment": 0.45,
                        "satisfaction": 0.95}}


def test_needed_is_the_smallest_count_reaching_the_exact_target():
    assert needed(80, 100, 0.9, "both") == 100      # (80 + 100) / 200 = 90%
    assert needed(81, 100, 0.9, "both") == 90
    assert needed(90, 100, 0.9, "both") == 0
    assert needed(30, 100, 0.45, "numerator") == 15
    assert needed(0, 0, 0.45, "numerator") is None   # no fee-bearing dossier: nothing to say
    assert needed(9, 10, 1.0, "both") is None        # 100% can never be reached by adding


def test_sentences_name_the_indicator_and_target():
    g = gaps(doc(early=8, late=2, of=5, eligible=10, paid=2, fee=10, sat=19, votes=20))
    assert g["online_payment"].sentence == "cần thêm 3 hồ sơ thanh toán trực tuyến để đạt 45%"
    assert g["on_time"].sentence == "cần thêm 10 hồ sơ giải quyết đúng hạn để đạt 90%"
    assert g["online_full"].sentence == "cần thêm 7 hồ sơ nộp trực tuyến toàn trình để đạt 70%"
    assert g["satisfaction"].sentence == "đã đạt chỉ tiêu 95%"


def test_projection_scales_by_working_days_elapsed():
    cal = WorkCalendar()
    # June 2025: 21 working days; up to Friday 13/06: 10 of them
    assert pace_factor(cal, dt.date(2025, 6, 1), dt.date(2025, 6, 13), dt.date(2025, 6, 30)) == \
        Fraction(21, 10)
    p = project(doc(paid=6, fee=30), cal, dt.date(2025, 6, 13), dt.date(2025, 6, 30))
    assert (p["online_payment"].numerator, p["online_payment"].denominator) == (13, 63)
    assert p["online_payment"].needed == 16  # 45% of 63 = 28.35 -> 29 paid online


# ----- thousand separators in the sentences and projections --------------------------------
def november(paid_online: int, fee_dossiers: int) -> dict:
    """A running November 2026 with only fee-bearing dossiers."""
    figures = {"resolved": {"early": 0, "on_time": 0, "total": 0},
               "online_full": {"count": 0, "eligible": 0, "received": 0},
               "online_payment": {"paid_online": paid_online, "fee_dossiers": fee_dossiers},
               "satisfaction": {"satisfied": 0, "votes": 0}}
    return {"from": "2026-11-01", "to": "2026-11-30", "total": figures,
            "policy": {"online_denominator": "eligible"},
            "targets": {"on_time": 0.9, "online_full": 0.7, "online_payment": 0.45,
                        "satisfaction": 0.95}}


def test_large_numbers_in_the_sentences_carry_thousand_separators():
    # 1.000 of 5.000 fee dossiers paid online; 45% of 5.000 is 2.250, so 1.250 more
    found = gaps_module.gaps(november(1000, 5000))["online_payment"]
    assert found.sentence == "cần thêm 1.250 hồ sơ thanh toán trực tuyến để đạt 45%"


def test_projection_numbers_carry_thousand_separators():
    cal = WorkCalendar()
    # on 13/11, 10 of the 20 working days of November are gone: the pace doubles the figures
    projected = gaps_module.project(november(1000, 5000), cal, dt.date(2026, 11, 13), dt.date(2026, 11, 30))
    text = projected["online_payment"].sentence
    assert text.startswith("cuối tháng dự kiến 20,00% (2.000/10.000); cần thêm ")


# ----- the least evidence a projection rests on ----------------------------------------------
def test_one_resolved_dossier_projects_nothing():
    """1 of 1 resolved on time is 100% by chance: the month-end says there is too little."""
    cal = WorkCalendar()
    p = project(doc(on_time=1), cal, dt.date(2025, 6, 13), dt.date(2025, 6, 30))["on_time"]
    assert (p.rate, p.needed) == (None, None)
    assert p.sentence == ("cuối tháng: chưa đủ số liệu để dự kiến (mới có 1 hồ sơ đã giải quyết,"
                          " cần ít nhất 30)")


def test_enough_dossiers_but_too_few_working_days_project_nothing():
    cal = WorkCalendar()
    # Monday 02/06/2025 and Tuesday 03/06: 2 working days of June gone
    p = project(doc(on_time=40, late=5), cal, dt.date(2025, 6, 3), dt.date(2025, 6, 30))
    assert p["on_time"].rate is None
    assert p["on_time"].sentence == ("cuối tháng: chưa đủ số liệu để dự kiến (mới qua 2 ngày làm"
                                     " việc, cần ít nhất 5)")


def test_the_least_evidence_is_its_bounds_and_each_figure_its_own_denominator():
    cal = WorkCalendar()
    # Friday 06/06/2025: the fifth working day; 30 resolved, 29 votes
    p = project(doc(early=3, on_time=24, late=3, sat=29, votes=29), cal, dt.date(2025, 6, 6),
                dt.date(2025, 6, 30))
    # 21 working days in June over 5 gone: 27/30 becomes 113/126 (rounded counts)
    assert p["on_time"].rate == Fraction(113, 126)
    assert p["on_time"].sentence.startswith("cuối tháng dự kiến 89,68% (113/126); ")
    assert p["satisfaction"].rate is None
    assert p["satisfaction"].sentence == ("cuối tháng: chưa đủ số liệu để dự kiến (mới có 29"
                                          " phiếu đánh giá, cần ít nhất 30)")
    # Thursday 05/06: the fourth working day
    assert project(doc(on_time=30), cal, dt.date(2025, 6, 5), dt.date(2025, 6, 30))[
        "on_time"].rate is None


def test_the_766_projections_follow_the_same_rule():
    from core.indicators import gaps766
    cal = WorkCalendar()
    part = {"num": 1, "den": 1, "rate": 1.0}
    many = {"num": 40, "den": 45, "rate": 0.8889}
    figures = {key: (part if key == "on_time" else many) for key in i766.KEYS}
    document = {"from": "2025-06-01", "to": "2025-06-30", "total": {"i766": figures}}
    targets = dict.fromkeys(i766.KEYS, 0.9)
    said = gaps766.projections(document, targets, cal, dt.date(2025, 6, 13), dt.date(2025, 6, 30))
    assert said["on_time"] == ("cuối tháng: chưa đủ số liệu để dự kiến (mới có 1 hồ sơ tiếp nhận"
                               " (kể cả kỳ trước chuyển sang), cần ít nhất 30)")
    assert said["online"].startswith("cuối tháng dự kiến 89,36% (84/94); ")


# ----- a period that is over: what was missing, over the same denominator --------------------
def test_a_closed_period_states_how_many_of_those_counted_were_missing():
    """October 2026 of xã Yên Phúc in the 30k demo: 258/312 on time against 90% printed 'còn
    thiếu 228 hồ sơ giải quyết đúng hạn' — more on-time dossiers than the 312 resolved, which
    no leader can sign; 281/312 reaches 90%, so 23 of the 54 late ones were missing."""
    over = dict(doc(early=92, on_time=166, late=54, of=80, eligible=136, paid=76, fee=209,
                    sat=86, votes=91), as_of="2025-07-01 00:00:00")
    g = gaps(over)
    assert g["on_time"].sentence == \
        "cần 281/312 hồ sơ giải quyết đúng hạn để đạt 90%, thực tế 258/312 (thiếu 23)"
    assert g["online_full"].sentence == (  # 96/136 = 70,6%
        "cần 96/136 hồ sơ nộp trực tuyến toàn trình để đạt 70%, thực tế 80/136 (thiếu 16)")
    assert g["online_payment"].needed == 19  # ceil(45% of 209 = 94.05) - 76, as before
    # 87/91 = 95,6%. Said "còn thiếu 1 phiếu đánh giá hài lòng so với chỉ tiêu 95%", read as
    # if one more vote would do (try25 F7): the fractions say which votes are meant
    assert g["satisfaction"].sentence == \
        "cần 87/91 phiếu đánh giá hài lòng để đạt 95%, thực tế 86/91 (thiếu 1)"
    # the same figures while the month still runs: new dossiers add to both parts
    running = gaps(doc(early=92, on_time=166, late=54, sat=86, votes=91))
    assert running["on_time"].sentence == "cần thêm 228 hồ sơ giải quyết đúng hạn để đạt 90%"


def test_a_closed_period_of_the_766_set_follows_the_same_rule():
    from core.indicators import gaps766
    parts = {key: {"num": 1, "den": 1, "rate": 1.0} for key in i766.KEYS}
    parts["on_time"] = {"num": 305, "den": 369, "rate": 0.8266}  # xã Yên Phúc, 10/2026
    targets = {key: 0.9 for key in i766.KEYS}
    over = {"from": "2026-10-01", "to": "2026-10-31", "as_of": "2026-11-01 00:00:00",
            "total": {"i766": parts}}
    # 333/369 = 90,2%: 28 short; adding to both parts would have said 288
    said = gaps766.gaps(over, targets)["on_time"]
    assert said.startswith("cần 333/369 ") and said.endswith("thực tế 305/369 (thiếu 28)")
