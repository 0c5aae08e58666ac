"""The second set, Decision 766 (spec 5.1): hand-worked cases for each formula, and the fast
engine (kpi_daily sums) against a straightforward per-dossier reference on random dossiers."""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import timefmt
from core.calendar import load_calendar
from core.database import open_database
from core.due import Policy, classify_finished
from core.facts import load_inputs
from core.indicators import compute
from core.indicators.i766_drill import dossiers_behind_766
from core.moment import CLOSED, RESOLVED, effective_at, overdue_at
from db import schema
from tests.core.factories import add_dossier, add_procedures, add_units
from tests.core.indicators.test_engine import BASE, dossier_specs, insert

JAN_FROM, JAN_TO = dt.date(2025, 1, 1), dt.date(2025, 1, 31)
RESTART = {"supplement": "restart", "due_basis": "extended", "online_denominator": "all"}


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "i766.db")
    add_units(database)
    add_procedures(database)
    yield database
    database.close()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 1, day, hour, minute)


def i766(db, policy=None, date_from=JAN_FROM, date_to=JAN_TO):
    return compute(db, date_from, date_to, policy=policy)["total"]["i766"]


def test_the_schema_carries_the_766_sums():
    assert schema.SCHEMA_VERSION == len(schema.MIGRATIONS)
    assert {"i_ok", "i_od_start", "i_od_end"} <= set(schema.KPI_COLUMNS)


def test_a_second_supplement_request_makes_a_dossier_late(db):
    # P.WD2 received Mon 06/01 08:00 is due Wed 08/01 08:00; both finish on Tue 07/01, early.
    add_dossier(db, code="A", received=at(6, 8), status="done", finished=at(7, 9),
                waits=[(at(6, 9), at(6, 10))])
    add_dossier(db, code="B", received=at(6, 8), status="done", finished=at(7, 9),
                waits=[(at(6, 9), at(6, 10)), (at(6, 11), at(6, 11, 10))])
    doc = compute(db, JAN_FROM, JAN_TO)
    assert doc["total"]["on_time_rate"] == 1.0  # Biểu 06: both early
    assert doc["total"]["i766"]["on_time"] == {"num": 1, "den": 2, "rate": 0.5}
    ids = dossiers_behind_766(db, "i766.on_time.num", JAN_FROM, JAN_TO)
    assert [db.execute("SELECT code FROM dossiers WHERE id = ?", [i]).fetchone()[0]
            for i in ids] == ["A"]


def test_a_second_request_makes_an_open_dossier_late_from_that_request(db):
    # due Wed 08/01 08:00; the second request comes on Tue 07/01
    add_dossier(db, code="C", received=at(6, 8), status="processing",
                waits=[(at(6, 9), at(6, 10)), (at(7, 9), at(7, 9, 10))])
    day6, day7 = dt.date(2025, 1, 6), dt.date(2025, 1, 7)
    assert i766(db, date_from=day6, date_to=day6)["on_time"] == {"num": 1, "den": 1, "rate": 1.0}
    doc = compute(db, day6, day7)
    assert doc["total"]["in_progress"]["within_time"] == 1  # Biểu 06: within time
    assert doc["total"]["i766"]["on_time"] == {"num": 0, "den": 1, "rate": 0.0}
    assert dossiers_behind_766(db, "i766.on_time.num", day6, day7) == []


def test_waiting_at_the_moment_counts_as_finished_at_its_request(db):
    # D asked for a supplement Tue 07/01 10:00, before its due (Wed 08:00): on time, whatever
    # the wait lasts. E asked Thu 09/01 10:00, after its due: late, even under `restart`, which
    # stops Biểu 06's clock while a wait is open.
    add_dossier(db, code="D", received=at(6, 8), status="supplement", waits=[(at(7, 10), None)])
    add_dossier(db, code="E", received=at(6, 8), status="supplement", waits=[(at(9, 10), None)])
    for policy in (None, RESTART):
        assert i766(db, policy)["on_time"] == {"num": 1, "den": 2, "rate": 0.5}
    doc = compute(db, JAN_FROM, JAN_TO, policy=RESTART)
    assert doc["total"]["in_progress"]["overdue"] == 0  # restart: never overdue while waiting
    # evaluated while the period runs (now = Fri 10/01 12:00): the same, classified now
    with mock.patch.object(timefmt, "now", lambda: at(10, 12)):
        assert i766(db)["on_time"] == {"num": 1, "den": 2, "rate": 0.5}
        assert len(dossiers_behind_766(db, "i766.on_time.num", JAN_FROM, JAN_TO)) == 1


def test_766_ignores_the_extended_due_and_restart(db):
    # late against its original due (Wed 08/01 08:00), on time against the extension
    add_dossier(db, code="F", received=at(6, 8), status="done", finished=at(9, 9),
                extended=at(10, 17))
    assert compute(db, JAN_FROM, JAN_TO, policy=RESTART)["total"]["on_time_rate"] == 1.0
    assert i766(db, RESTART)["on_time"]["num"] == 0
    assert i766(db, RESTART)["satisfaction"] == {"num": 0, "den": 1, "rate": 0.0}


def test_a_zero_denominator_is_null(db):
    empty = i766(db)
    assert all(part == {"num": 0, "den": 0, "rate": None} for part in empty.values())
    add_dossier(db, code="G", received=at(6, 8), status="processing", channel="online")
    figures = i766(db)
    assert figures["e_result"]["rate"] is None and figures["satisfaction"]["rate"] is None
    assert figures["online"] == {"num": 1, "den": 1, "rate": 1.0}
    assert figures["online_payment"]["rate"] is None  # P.WD2 bears no fee


def test_satisfaction_is_floored_at_zero(db):
    # both resolved late AND complained about: 1 − (2/2 + 2/2) = −1, floored at 0
    add_dossier(db, code="H", received=at(6, 8), status="done", finished=at(10, 9),
                complaints=[(at(10, 10), None)])
    add_dossier(db, code="I", received=at(6, 8), status="returned", finished=at(10, 9),
                votes=[(at(10, 11), "dissatisfied")])
    assert i766(db)["satisfaction"] == {"num": 0, "den": 2, "rate": 0.0}
    doc = compute(db, JAN_FROM, JAN_TO, detail=True)
    assert doc["total"]["i766"]["satisfaction"] == {"num": 0, "den": 2, "rate": 0.0}
    assert doc["i766_parts"]["total"] == {"late": 2, "complained": 2}
    assert doc["i766_parts"]["units"]["U2"] == {"late": 0, "complained": 0}


def test_satisfaction_counts_late_and_complained_shares(db):
    add_dossier(db, code="J", received=at(6, 8), status="done", finished=at(10, 9))  # late
    add_dossier(db, code="K", received=at(6, 8), status="done", finished=at(7, 9),
                complaints=[(at(7, 10), None)])
    add_dossier(db, code="L", received=at(6, 8), status="done", finished=at(7, 9),
                complaints=[(at(7, 10), at(7, 11))])  # cancelled: counts nowhere
    add_dossier(db, code="M", received=at(6, 8), status="done", finished=at(7, 9),
                votes=[(at(7, 10), "neutral")])
    assert i766(db)["satisfaction"] == {"num": 2, "den": 4, "rate": 0.5}
    late = dossiers_behind_766(db, "i766.satisfaction.late", JAN_FROM, JAN_TO)
    complained = dossiers_behind_766(db, "i766.satisfaction.complained", JAN_FROM, JAN_TO)
    assert (len(late), len(complained)) == (1, 1)


def test_online_divides_by_all_received(db):
    add_dossier(db, code="N", received=at(6, 8), channel="online", procedure="P.WH4")  # partial
    add_dossier(db, code="O", received=at(6, 8), channel="online", procedure="P.WD05")  # paper
    add_dossier(db, code="P", received=at(6, 8), channel="online", procedure="P.WD05",
                status="done", finished=at(6, 10), e_result=1)
    add_dossier(db, code="Q", received=at(6, 8), channel="direct")
    figures = i766(db)
    assert figures["online"] == {"num": 2, "den": 4, "rate": 0.5}
    assert figures["e_result"] == {"num": 1, "den": 1, "rate": 1.0}


def test_digitised_needs_every_submitted_document_and_the_result(db):
    add_dossier(db, code="R", received=at(6, 8), documents=[(1, 1), (0, 0)])  # unsent not needed
    add_dossier(db, code="S", received=at(6, 8), documents=[(1, 1), (1, 0)], digitised=1)
    add_dossier(db, code="T", received=at(6, 8), digitised=1, status="done",
                finished=at(6, 10))  # result not digitised
    add_dossier(db, code="U", received=at(6, 8), digitised=1, status="done",
                finished=at(6, 10), result_digitised=1)
    add_dossier(db, code="V", received=at(6, 8), digitised=1, status="withdrawn",
                finished=at(6, 10))  # no result to digitise
    add_dossier(db, code="W", received=at(6, 8))  # nothing recorded
    assert i766(db)["digitised"] == {"num": 3, "den": 6, "rate": 0.5}
    ids = dossiers_behind_766(db, "i766.digitised.num", JAN_FROM, JAN_TO)
    codes = {db.execute("SELECT code FROM dossiers WHERE id = ?", [i]).fetchone()[0] for i in ids}
    assert codes == {"R", "U", "V"}


# ----- the fast engine against the per-dossier reference ------------------------------------

PAUSE_ORIGINAL = Policy("pause", "original")


def reference(db, period_from, period_to, now) -> dict:
    """Spec 5.1 dossier by dossier, written out plainly."""
    cal = load_calendar(db)
    start = dt.datetime.combine(period_from, dt.time())
    end = dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time())
    moment = min(end, now)
    c: Counter = Counter()
    for item in load_inputs(db, [r[0] for r in db.execute("SELECT id FROM dossiers")]):
        closed = item.finished_at if item.status in CLOSED else None
        received_in = start <= item.received_at < end
        carried = item.received_at < start and not (closed is not None and closed < start)
        c["received_in"] += received_in
        c["received_total"] += received_in or carried
        if received_in:
            c["online"] += item.channel == "online" and (not item.paper_result or item.e_result)
            c["digitised"] += item.docs_digitised and (
                item.status not in RESOLVED or bool(item.result_digitised))
            c["fee"] += (item.fee or 0) > 0
            c["paid"] += (item.fee or 0) > 0 and item.paid_online
        if closed is not None and start <= closed < end:
            requests = sum(w.requested_at < closed for w in item.waits)
            late = classify_finished(closed, effective_at(cal, item, PAUSE_ORIGINAL, end)) == "late"
            c["ok"] += not (late or requests > 1)
            if item.status in RESOLVED:
                c["resolved"] += 1
                c["late"] += late
                c["e_result"] += bool(item.e_result)
                c["complained"] += item.complained
        elif (received_in or carried) and not (closed is not None and closed < end):
            c["ok"] += not _late_open(cal, item, moment)
    return c


def _late_open(cal, item, moment) -> bool:
    asked = sorted((w for w in item.waits if w.requested_at < moment), key=lambda w: w.requested_at)
    if len(asked) > 1:
        return True
    if asked and (asked[0].completed_at is None or asked[0].completed_at >= moment):
        request = asked[0].requested_at  # finished at its request
        return request > effective_at(cal, item, PAUSE_ORIGINAL, request)
    return overdue_at(moment, effective_at(cal, item, PAUSE_ORIGINAL, moment))


def expected(c: Counter) -> dict:
    def part(num, den):
        return {"num": num, "den": den, "rate": None if den == 0 else round(num / den, 4)}
    return {"on_time": part(c["ok"], c["received_total"]),
            "online": part(c["online"], c["received_in"]),
            "online_payment": part(c["paid"], c["fee"]),
            "e_result": part(c["e_result"], c["resolved"]),
            "digitised": part(c["digitised"], c["received_in"]),
            "satisfaction": part(max(0, c["resolved"] - c["late"] - c["complained"]),
                                 c["resolved"])}


@st.composite
def specs_766(draw):
    spec = draw(dossier_specs())
    spec["digitised"] = draw(st.sampled_from([None, 0, 1]))
    spec["result_digitised"] = draw(st.sampled_from([0, 1]))
    spec["documents"] = draw(st.lists(st.tuples(st.sampled_from([0, 1]), st.sampled_from([0, 1])),
                                      max_size=2))
    spec["complaint"] = draw(st.sampled_from([None, "live", "cancelled", "dissatisfied"]))
    return spec


def insert_766(db, index, spec):
    insert(db, index, spec)
    dossier_id, unit, received = db.execute(
        "SELECT id, unit_code, received_at FROM dossiers WHERE code = ?",
        [f"X-{index:05d}"]).fetchone()
    db.execute("UPDATE dossiers SET digitised = ?, result_digitised = ? WHERE id = ?",
               [spec["digitised"], spec["result_digitised"], dossier_id])
    for position, (sent, scanned) in enumerate(spec["documents"], 1):
        db.execute("INSERT INTO dossier_components(dossier_id, position, name, received, "
                   "digitised) VALUES (?,?,?,?,?)", [dossier_id, position, "Tờ khai", sent, scanned])
    if spec["complaint"] == "dissatisfied":
        db.execute("INSERT INTO votes(unit_code, voted_at, rating, dossier_id) VALUES (?,?,?,?)",
                   [unit, received, "dissatisfied", dossier_id])
    elif spec["complaint"]:
        db.execute("INSERT INTO complaints(dossier_id, unit_code, received_at, channel, content, "
                   "cancelled_at) VALUES (?,?,?,'phone','Chậm',?)",
                   [dossier_id, unit, received, received if spec["complaint"] == "cancelled" else None])
    from core import facts
    db.conn.commit()
    facts.refresh(db, [dossier_id])


EXAMPLES = int(os.environ.get("MOTCUA_PROPERTY_EXAMPLES", "25"))
DRILLED = {"i766.on_time.num": ("on_time", "num"), "i766.online.num": ("online", "num"),
           "i766.e_result.num": ("e_result", "num"), "i766.digitised.num": ("digitised", "num")}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(specs_766(), min_size=1, max_size=25),
       start_day=st.integers(0, 80), length=st.integers(0, 40),
       now_minutes=st.one_of(st.none(), st.integers(-60 * 24 * 3, 60 * 24 * 45)),
       policy=st.sampled_from([None, RESTART]))
def test_engine_equals_the_766_rules_on_random_dossiers(tmp_path_factory, specs, start_day,
                                                        length, now_minutes, policy):
    db = open_database(tmp_path_factory.mktemp("i766") / "h.db")
    add_units(db)
    add_procedures(db)
    for index, spec in enumerate(specs):
        insert_766(db, index, spec)
    period_from = (BASE + dt.timedelta(days=start_day)).date()
    period_to = period_from + dt.timedelta(days=length)
    now = dt.datetime(2030, 1, 1) if now_minutes is None else \
        dt.datetime.combine(period_from, dt.time()) + dt.timedelta(minutes=now_minutes)
    with mock.patch.object(timefmt, "now", lambda: now):
        doc = compute(db, period_from, period_to, policy=policy)
        c = reference(db, period_from, period_to, now)
        assert doc["total"]["i766"] == expected(c)
        for figure, (key, side) in DRILLED.items():
            ids = dossiers_behind_766(db, figure, period_from, period_to)
            assert len(ids) == doc["total"]["i766"][key][side], figure
        assert len(dossiers_behind_766(db, "i766.satisfaction.complained", period_from,
                                       period_to)) == c["complained"]
        assert len(dossiers_behind_766(db, "i766.satisfaction.late", period_from,
                                       period_to)) == c["late"]
    db.close()


def test_recording_and_cancelling_a_complaint_moves_the_766_satisfaction(db):
    from core import complaints, votes
    from core.accounts import PermissionDenied
    from db import actor
    done = add_dossier(db, code="Y", received=at(6, 8), status="done", finished=at(7, 9))
    add_dossier(db, code="Z", received=at(6, 8), status="returned", finished=at(7, 9))
    assert i766(db)["satisfaction"]["num"] == 2
    complaint = complaints.add_complaint(db, done, channel="phone", received_at=at(8, 9),
                                         content="Phản ánh chậm trả kết quả")
    assert i766(db)["satisfaction"] == {"num": 1, "den": 2, "rate": 0.5}
    assert db.execute("SELECT actor FROM complaints WHERE id = ?", [complaint]).fetchone()[0]
    complaints.cancel_complaint(db, complaint, reason="Nhập nhầm hồ sơ", at=at(8, 10))
    assert i766(db)["satisfaction"]["num"] == 2
    zed = db.execute("SELECT id FROM dossiers WHERE code = 'Z'").fetchone()[0]
    vote = votes.add_vote(db, unit_code="U1", rating="dissatisfied", voted_at=at(8, 9),
                          dossier_id=zed)
    assert i766(db)["satisfaction"]["num"] == 1
    votes.cancel_vote(db, vote, reason="Bấm nhầm", at=at(8, 10))
    assert i766(db)["satisfaction"]["num"] == 2
    with actor.acting_as(actor.Actor("kiosk", "Máy đánh giá", frozenset())), \
            pytest.raises(PermissionDenied):
        complaints.add_complaint(db, done, channel="phone", content="Phản ánh")
