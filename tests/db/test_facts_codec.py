"""The stored form of a dossier's facts (db.facts_codec, schema 14): every facts core.facts
computes reads back equal, the full form of schema 13 reads the same, and a change of a row's
unit or reception day under facts not yet recomputed keeps the old ones (the trigger)."""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import demo, dossiers, facts
from core.calendar import load_calendar
from core.database import open_database
from core.maintenance import check
from core.moment import counted_unit_sql
from db import facts_codec
from db.connection import transaction
from tests.core.factories import add_dossier, add_procedures, add_units

DAY = st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat)
SPANS = st.lists(st.tuples(DAY, st.none() | DAY).map(list), max_size=3)
CLASS = st.sampled_from(["early", "on_time", "late"])


def test_the_codec_names_the_variants_flags_and_unit_of_core():
    assert facts_codec.VARIANTS == tuple(facts.VARIANTS)
    assert set(facts_codec.FLAGS) < set(facts.FACT_KEYS)
    assert facts_codec.counted_unit("d.") == counted_unit_sql("d.")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("codec") / "demo.db", create=True)
    demo.generate(db, dossiers=1500, seed=3, today=dt.date(2026, 11, 30))
    yield db
    db.close()


@pytest.mark.facts_may_differ  # a module-wide demo, not a fixture database
def test_every_demo_dossier_round_trips_and_is_stored_shorter(demo_db):
    """Open, waiting, extended, resolved, withdrawn, irregular: all kinds the demo makes."""
    cal = load_calendar(demo_db)
    ids = [r[0] for r in demo_db.execute("SELECT id FROM dossiers")]
    kinds, full, short, moments_left_out = set(), 0, 0, Counter()
    for item in facts.load_inputs(demo_db, ids):
        due, computed = facts.compute(cal, item)
        assert due == item.old_due
        row = (item.unit_code, item.received_at, due, item.finished_text)
        text = facts_codec.encode(computed, *row)
        assert json.loads(text) == json.loads(item.old_facts)  # what the demo stored
        assert facts_codec.decode(text, *row) == computed
        old = json.dumps(computed, separators=(",", ":"))  # as schema 13 stored them
        assert facts_codec.decode_before_19(old, *row[:2]) == computed
        v14 = facts_codec.recode(old, *row[:2]) or ""  # as schemas 14 to 18 stored them
        assert "hz" in v14 and facts_codec.decode_before_19(v14, *row[:2]) == computed
        for stored in (old, v14):  # the migration to schema 19 reads either
            assert json.loads(facts_codec.recode_moments(stored, *row) or "") == json.loads(text)
        moments_left_out.update(key for key in ("hz", "fd") if key not in json.loads(text))
        full, short = full + len(old), short + len(text)
        kinds |= {(computed["st"], "irr" in computed, "ld" in computed, "ks" in computed,
                   isinstance(json.loads(text).get("s"), dict))}
    assert len(kinds) >= 8, kinds
    assert short < 0.35 * full
    assert min(moments_left_out.values()) > 0.8 * len(ids), moments_left_out


@st.composite
def computed_facts(draw) -> dict:
    """Facts of the shape core.facts.compute gives, with variants equal or not."""
    out = {"u": draw(st.sampled_from(["U1", "000.00.90.H37"])), "d": draw(DAY)}
    out |= {flag: draw(st.sampled_from([0, 1])) for flag in facts_codec.FLAGS}
    out["fd"] = draw(st.none() | DAY)
    out["st"] = draw(st.sampled_from(["r", "w", "o"]))
    for key, value in (("k", st.sampled_from([0, 1])), ("ks", SPANS), ("kl", st.sampled_from([0, 1])),
                       ("lw", DAY), ("ld", st.dictionaries(st.sampled_from(facts_codec.VARIANTS),
                                                           st.none() | st.just("?") | DAY))):
        if draw(st.booleans()):
            out[key] = draw(value)
    if draw(st.booleans()):
        out["irr"] = 1
    else:
        same = draw(st.booleans())
        cls, spans = draw(st.none() | CLASS), draw(SPANS)
        out["c"] = {} if cls is None else {
            v: cls if same else draw(CLASS) for v in ("po", "ro", "pe", "re")}
        out["s"] = {v: spans if same else draw(SPANS) for v in ("po", "ro", "pe", "re")}
    out["hz"] = draw(DAY) + " 17:00:00"
    return out


@st.composite
def facts_and_row(draw) -> tuple[dict, tuple]:
    """Facts and a row (unit, received_at, calc_due_at, finished_at) that gives their moments
    or not: finished without a finish day (reopened), a horizon after the due time…"""
    computed = draw(computed_facts())
    unit, day = draw(st.sampled_from(["U1", "U2"])), draw(DAY)
    due = draw(st.sampled_from([computed["hz"], None]) | DAY.map(lambda d: d + " 17:00:00"))
    finish_days = [computed["fd"]] if computed["fd"] else []
    finished = draw(st.sampled_from([None, *finish_days]) | DAY)
    return computed, (unit, day + " 08:00:00", due, finished and finished + " 10:30:00")


@settings(max_examples=400, deadline=None)
@given(facts_and_row())
def test_any_facts_round_trip_whatever_the_row_says(case):
    computed, row = case
    text = facts_codec.encode(computed, *row)
    assert facts_codec.decode(text, *row) == computed
    assert len(text) <= len(json.dumps(computed, separators=(",", ":")))
    # what SQL reads of the moments (facts_codec.horizon_sql, finish_day_sql) agrees
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE dossiers(facts, calc_due_at, finished_at)")
    conn.execute("INSERT INTO dossiers VALUES (?, ?, ?)", [text, *row[2:]])
    assert conn.execute(f"SELECT {facts_codec.horizon_sql()}, {facts_codec.finish_day_sql('d.')} "
                        "FROM dossiers d").fetchone() == (computed["hz"], computed["fd"])


def test_what_sql_reads_stays_in_the_stored_form():
    """json_extract of hz, lw, ld.<variant>, kl and `flag = 1` answer as on the full form."""
    computed = {"u": "U1", "d": "2025-03-03", "on": 1, "oe": 0, "of": 0, "fee": 0, "pay": 0,
                "fd": None, "st": "o", "io": 0, "dg": 1, "er": 0, "cp": 0, "kl": 0,
                "ld": {"po": "2025-03-10 08:00:00", "pe": None, "ro": "?", "re": None},
                "lw": "2025-03-04 09:00:00", "c": {}, "s": dict.fromkeys(facts.VARIANTS, []),
                "hz": "2025-03-10 08:00:00"}
    stored = json.loads(facts_codec.encode(computed, "U1", "2025-03-03 08:00:00",
                                           "2025-03-07 17:00:00", None))
    for key in ("ld", "lw", "kl", "hz", "on", "dg"):
        assert stored[key] == computed[key]
    assert not {"u", "d", "oe", "fd", "c", "s"} & set(stored) and stored["st"] == "o"


def test_no_sql_reads_the_moments_but_through_the_codec():
    """"hz" and "fd" may be left out (the row gives them): SQL reading them itself would find
    NULL. Only db/facts_codec.py names them inside SQL."""
    pattern = re.compile(r"""\$\.(hz|fd)\b|->>?\s*'(hz|fd)'|'\$\.'\s*\|\|""")
    root = Path(__file__).resolve().parents[2]
    found = [str(path.relative_to(root)) for folder in ("core", "db", "gui", "tools", "bench")
             for path in (root / folder).rglob("*.py") if pattern.search(path.read_text("utf-8"))]
    found += [name for name in ("main.py", "dev.py") if pattern.search((root / name).read_text("utf-8"))]
    assert found == ["db/facts_codec.py"]


def test_a_damaged_text_is_left_for_check_to_name():
    assert facts_codec.recode("{not json", "U1", "2025-03-03") == "{not json"
    assert facts_codec.recode_moments("{not json", "U1", "2025-03-03", None, None) == "{not json"
    for text in ("[1, 2]", '{"c": "x"}'):
        with pytest.raises(ValueError):
            facts_codec.decode(text, "U1", "2025-03-03", None, None)


def _dossier(db) -> int:
    add_units(db)
    add_procedures(db)
    return add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 9, 0))


def test_a_correction_of_the_reception_day_takes_the_old_marks_back(db):
    """Without the old day in the facts the correction would leave kpi_daily one dossier off."""
    dossier_id = _dossier(db)
    dossiers.correct_field(db, dossier_id, "received_at", dt.datetime(2025, 2, 27, 9, 0),
                           reason="Nhập nhầm ngày")
    assert check.expected_sums(db) == check.stored_sums(db)
    assert db.execute("SELECT SUM(recv_direct_postal + recv_online) FROM kpi_daily "
                      "WHERE day = '2025-03-03'").fetchone()[0] == 0


def test_a_row_changed_before_its_facts_keeps_the_values_they_were_computed_with(db):
    dossier_id = _dossier(db)
    before = json.loads(db.execute("SELECT facts FROM dossiers WHERE id = ?",
                                   [dossier_id]).fetchone()[0])
    assert "u" not in before and "d" not in before
    with transaction(db) as conn:  # what an import does before it refreshes the facts
        conn.execute("UPDATE dossiers SET received_at = '2025-03-05 10:00:00' WHERE id = ?",
                     [dossier_id])
        kept = json.loads(conn.execute("SELECT facts FROM dossiers WHERE id = ?",
                                       [dossier_id]).fetchone()[0])
        assert (kept["u"], kept["d"]) == ("U1", "2025-03-03")
        facts.refresh(db, [dossier_id])
    after = json.loads(db.execute("SELECT facts FROM dossiers WHERE id = ?",
                                  [dossier_id]).fetchone()[0])
    assert "u" not in after and "d" not in after
    assert check.expected_sums(db) == check.stored_sums(db)
