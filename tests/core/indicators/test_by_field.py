"""Biểu 06 by field grouped by level (core.indicators.by_field): the same figures as the
per-unit engine, only grouped differently."""
from __future__ import annotations

import datetime as dt

import pytest

from core import demo, indicators
from core.database import open_database
from core.errors import InputError
from core.indicators.by_field import NO_FIELD, compute_by_field, unit_levels

TODAY = dt.date(2026, 5, 29)
COUNTS = ("received.total", "received.online", "received.direct_postal", "received.carried_over",
          "resolved.total", "resolved.early", "resolved.on_time", "resolved.late", "withdrawn",
          "in_progress.total", "in_progress.within_time", "in_progress.overdue",
          "online_full.count", "online_full.eligible", "online_payment.fee_dossiers",
          "online_payment.paid_online")


def value(figures: dict, path: str) -> int:
    for part in path.split("."):
        figures = figures[part]
    return figures


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    database = open_database(tmp_path_factory.mktemp("byfield") / "demo.db")
    demo.generate(database, dossiers=2500, seed=7, today=TODAY)
    yield database
    database.close()


def summed(rows: list[dict]) -> dict[str, int]:
    return {path: sum(value(r, path) for r in rows) for path in COUNTS}


@pytest.mark.parametrize("first, last", [
    (dt.date(2025, 6, 15), dt.date(2025, 7, 14)),   # a state-report month across the merger
    (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
    (dt.date(2025, 3, 1), TODAY)])
def test_field_rows_add_up_to_the_level_and_the_unit_engine_total(demo_db, first, last):
    by_field = compute_by_field(demo_db, first, last)
    by_unit = indicators.compute(demo_db, first, last)
    for level in by_field["levels"]:
        assert summed(level["fields"]) == summed([level["total"]])
    assert summed([lv["total"] for lv in by_field["levels"]]) == summed([by_field["total"]])
    assert summed([by_field["total"]]) == summed(by_unit["units"]) == summed([by_unit["total"]])
    for level in by_field["levels"]:
        for row in level["fields"] + [level["total"]]:
            assert row["received"]["total"] == (row["resolved"]["total"] + row["withdrawn"]
                                                + row["in_progress"]["total"])
    assert by_field["total"]["on_time_rate"] == by_unit["total"]["on_time_rate"]


@pytest.mark.parametrize("first, last, unit", [
    (dt.date(2025, 6, 15), dt.date(2025, 7, 14), None),   # across the merger
    (dt.date(2026, 4, 1), dt.date(2026, 4, 30), "000.43.00.H37"),  # commune + reception point
    (dt.date(2026, 5, 1), dt.date(2026, 5, 31), None)])
def test_the_total_is_the_unit_tables_total_figure_for_figure(demo_db, first, last, unit):
    """Báo cáo "Theo lĩnh vực" showed a Tổng cộng with satisfaction "—" (no vote counted)
    beside the per-unit table's 97%, and its document's 766 set read 100% satisfaction and
    0 electronic results: every figure of the total is now the engine's, rate for rate."""
    by_field = compute_by_field(demo_db, first, last, unit=unit)
    by_unit = indicators.compute(demo_db, first, last, unit=unit)
    assert by_field["as_of"] == by_unit["as_of"]
    assert by_field["total"] == by_unit["total"]
    assert by_field["total"]["satisfaction"]["votes"] > 0
    votes = {lv["level"]: lv["total"]["satisfaction"]["votes"] for lv in by_field["levels"]}
    assert sum(votes.values()) == by_unit["total"]["satisfaction"]["votes"]
    for level in by_field["levels"]:  # a vote belongs to no field
        assert all(f["satisfaction"]["votes"] == 0 for f in level["fields"])


def test_levels_follow_the_units_of_the_period(demo_db):
    before = compute_by_field(demo_db, dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    after = compute_by_field(demo_db, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert [lv["name"] for lv in before["levels"]] == ["Cấp huyện", "Cấp xã"]
    assert [lv["name"] for lv in after["levels"]] == ["Cấp tỉnh", "Cấp xã"]  # centre and branch
    fields = {f["field"] for lv in after["levels"] for f in lv["fields"]}
    assert {"Chứng thực", "Hộ tịch"} <= fields


def test_a_unit_scope_and_a_procedure_without_field(demo_db, tmp_path):
    commune = "000.42.00.H37"  # xã Điềm He (from 1/7/2025) and its reception point below it
    scoped = compute_by_field(demo_db, dt.date(2026, 4, 1), dt.date(2026, 4, 30), unit=commune)
    engine = indicators.compute(demo_db, dt.date(2026, 4, 1), dt.date(2026, 4, 30), unit=commune)
    assert [lv["level"] for lv in scoped["levels"]] == ["commune"]
    assert summed([scoped["total"]]) == summed([engine["total"]])
    assert unit_levels(demo_db)["000.43.01.H37"] == "commune"  # a reception point
    db = open_database(tmp_path / "copy.db")
    demo.generate(db, dossiers=300, seed=2, today=TODAY)
    db.execute("UPDATE procedures SET field = '' WHERE code = '2.000635'")
    result = compute_by_field(db, dt.date(2025, 3, 1), TODAY)
    fields = [f["field"] for lv in result["levels"] for f in lv["fields"]]
    assert NO_FIELD in fields


def test_refuses_what_it_cannot_compute(demo_db):
    with pytest.raises(InputError, match="--as-of"):
        compute_by_field(demo_db, dt.date(2026, 4, 1), dt.date(2026, 4, 30),
                         as_of=dt.datetime(2026, 4, 20, 10))
    with pytest.raises(InputError, match="sau ngày kết thúc"):
        compute_by_field(demo_db, dt.date(2026, 4, 30), dt.date(2026, 4, 1))
    with pytest.raises(InputError, match="Không có đơn vị"):
        compute_by_field(demo_db, dt.date(2026, 4, 1), dt.date(2026, 4, 30), unit="nope")


def test_a_unit_takes_the_level_of_the_tier_it_sits_under(db):
    from db.connection import transaction

    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?, ?, ?, ?)", [
            ("T", "UBND tỉnh", "province", None), ("TT", "Trung tâm tỉnh", "centre", "T"),
            ("CN", "Chi nhánh", "branch", "TT"), ("X", "UBND xã", "commune", "T"),
            ("TX", "Trung tâm xã", "centre", "X"), ("DT", "Điểm tiếp nhận", "reception_point", "X"),
            ("P", "Phòng", "department", None)])
    assert unit_levels(db) == {"T": "province", "TT": "province", "CN": "province",
                               "X": "commune", "TX": "commune", "DT": "commune", "P": "province"}


def test_a_unit_deep_below_its_tier_still_takes_its_level_and_a_loop_ends(db):
    """The walk up stopped at 20 levels (as the header's chain stopped at 50, issue 16): a unit
    deeper below its commune counted at cấp tỉnh in Biểu 06. Now to the top, once per unit, and
    a loop of parents stored by an old version ends where it comes back."""
    import time

    from db.connection import transaction

    chain = [(f"D{i}", f"Tổ {i}", "centre", f"D{i - 1}" if i else "X") for i in range(5000)]
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?, ?, ?, ?)",
                         [("T", "UBND tỉnh", "province", None), ("X", "UBND xã", "commune", "T"),
                          *chain, ("L1", "Tổ L1", "centre", None), ("L2", "Tổ L2", "centre", "L1")])
    db.conn.execute("PRAGMA foreign_keys = OFF")
    db.conn.execute("UPDATE units SET parent_code = 'L2' WHERE code = 'L1'")  # an old loop
    db.conn.commit()
    started = time.perf_counter()
    levels = unit_levels(db)
    assert time.perf_counter() - started < 2
    assert levels["D25"] == levels["D4999"] == "commune"
    assert levels["L1"] == levels["L2"] == "province"
