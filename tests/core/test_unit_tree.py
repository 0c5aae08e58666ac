"""Issue 16: the unit tree's rules checked where they are written, and fast however deep.

A unit's links are checked inside the write's transaction (core.catalogue.save_unit): checked
before it, a second writer could close a loop between the check and the write. A unit's scope
(core.unit_scope.unit_subtree) and the units above it (core.report_header) are one read of the units
walked in Python: a recursive query took 31 s for `kpi --unit` over a tree 20,000 deep."""
from __future__ import annotations

import time

import pytest

from core import catalogue, report_header
from core.catalogue import link_loops
from core.errors import FieldError
from core.office_setup import SETUP_KEY
from core.unit_scope import subtree_codes, unit_subtree
from db import settings
from db.connection import connect, transaction

DEEP = 20_000


def test_a_second_writer_cannot_close_a_loop_between_the_check_and_the_write(
        db, db_path, monkeypatch):
    """B is put under A; while its loop check runs, a second clerk puts A under B. Checked
    outside the transaction, both were written: A under B under A. Now the second writer waits
    for the first (BEGIN IMMEDIATE), and is then refused by the loop rule."""
    catalogue.save_unit(db, "A", "Xã A", "commune", None)
    catalogue.save_unit(db, "B", "Xã B", "commune", None)
    other = connect(db_path, create=False)
    other.execute("PRAGMA busy_timeout = 100")
    between: list[str] = []

    def checked(links):
        if not between:  # the second writer, between the first's check and its write
            try:
                with transaction(other) as conn:
                    conn.execute("UPDATE units SET parent_code = 'B' WHERE code = 'A'")
                between.append("written")
            except Exception as exc:  # noqa: BLE001 - what it met is the finding
                between.append(type(exc).__name__)
        return link_loops(links)

    monkeypatch.setattr(catalogue, "link_loops", checked)
    catalogue.save_unit(db, "B", "Xã B", "commune", "A")
    monkeypatch.undo()
    assert between == ["DatabaseBusyError"]  # busy: it waits for the first writer
    parents = dict(db.execute("SELECT code, parent_code FROM units"))
    assert parents == {"A": None, "B": "A"} and link_loops(parents) == {}
    with pytest.raises(FieldError) as refused:  # trying again, it meets the rule
        catalogue.save_unit(other, "A", "Xã A", "commune", "B")
    assert refused.value.message == "Cấp trên tạo thành vòng lặp: A → B → A."
    other.close()


def deep_chain(db) -> None:
    """LS, then D0 under LS, D1 under D0, … (the office's unit at the bottom)."""
    catalogue.save_unit(db, "LS", "UBND tỉnh Lạng Sơn", "province", None)
    rows = [(f"D{i}", f"Phòng {i}", "department", f"D{i - 1}" if i else "LS")
            for i in range(DEEP)]
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         rows)


def test_a_tree_20000_deep_gives_its_scope_in_linear_time(db):
    deep_chain(db)
    catalogue.save_unit(db, "OLD", "Xã cũ", "commune", "LS", successor_code=f"D{DEEP - 1}")
    started = time.perf_counter()
    scope = unit_subtree(db, "D0")
    assert time.perf_counter() - started < 3  # 0.05 s; the recursive query took 31 s
    assert len(scope) == DEEP + 1 and scope[0] == ("D0", "Phòng 0")
    assert ("OLD", "Xã cũ") in scope  # a predecessor of a unit at the bottom
    assert unit_subtree(db, f"D{DEEP - 1}") == [(f"D{DEEP - 1}", f"Phòng {DEEP - 1}"),
                                                ("OLD", "Xã cũ")]
    assert unit_subtree(db, "NOPE") == [] and subtree_codes(db, "NOPE") == []
    assert sorted(subtree_codes(db, "LS")) == sorted(
        ["LS", "OLD", *(f"D{i}" for i in range(DEEP))])


def test_the_office_deep_below_a_province_keeps_the_provinces_documents_its_own(db):
    """The units above a unit were read by a recursive query stopped at 50 levels: an office
    deeper than that was not seen below its province, whose documents then took a header made
    from the province's name instead of the office's."""
    deep_chain(db)
    settings.put(db, SETUP_KEY, {"unit_code": f"D{DEEP - 1}", "date": "2025-07-01"})
    started = time.perf_counter()
    header = report_header.header_for(db, "LS")
    assert time.perf_counter() - started < 3
    assert header.source == report_header.OFFICE
    assert report_header.header_for(db, "D60").source == report_header.OFFICE


def test_the_coverage_notes_of_a_big_table_read_the_units_once(db):
    """The notes under a table (core.indicators.coverage) walked each unit's scope with a query
    of its own: 1,500 communes with a reception point each took 2.6 s (a read of the units for
    each, 9 s). The units are read once for every row."""
    from core.indicators.coverage import coverages
    catalogue.save_unit(db, "LS", "UBND tỉnh Lạng Sơn", "province", None)
    rows = [row for i in range(300) for row in (
        (f"X{i}", f"UBND xã {i}", "commune", "LS"),
        (f"X{i}.1", f"Điểm tiếp nhận {i}", "reception_point", f"X{i}"))]
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         rows)
    part = {"satisfaction": {"votes": 10, "satisfied": 9, "rate": 0.9},
            "received": {"total": 5}, "resolved": {"total": 5}}
    kpi = {"units": [{"code": code, "name": name, **part} for code, name, *_ in rows]}
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        found = coverages(db, kpi)
    finally:
        db.conn.set_trace_callback(None)
    assert len(found) == 300 and found[0].below == ("Điểm tiếp nhận 0",)
    # a fixed number of reads (ended, names, the scopes, the parent links), none for each row
    assert sum("FROM units" in s for s in statements) <= 4, len(statements)


def test_a_units_file_meets_a_loop_a_second_writer_closed_after_its_check(db, db_path,
                                                                          tmp_path, monkeypatch):
    """`import units` checked the loops against the links read before its transaction: a clerk
    putting A under B at the desk between the file's check and its write (B under A) left A
    under B under A in the catalogue. The file's links are checked again inside its write's
    transaction: refused, nothing written, in the file's words."""
    from core.errors import InputError
    from core.transfer import import_file
    from core.transfer.units import Units
    catalogue.save_unit(db, "A", "Xã A", "commune", None)
    catalogue.save_unit(db, "B", "Xã B", "commune", None)
    path = tmp_path / "units.csv"
    path.write_text("code,name,level,parent_code\nB,Xã B,commune,A\n", encoding="utf-8")
    other = connect(db_path, create=False)

    def desk_meanwhile(self, result):  # after every row is checked, before any is written
        catalogue.save_unit(other, "A", "Xã A", "commune", "B")
        return frozenset()

    monkeypatch.setattr(Units, "withhold", desk_meanwhile)
    with pytest.raises(InputError) as refused:
        import_file(db, "units", path)
    other.close()
    assert refused.value.message == (
        "Chưa nhập gì: danh mục đơn vị vừa được sửa trong lúc kiểm tra tệp, và dòng 2 (B): "
        "cấp trên tạo thành vòng lặp: B → A → B. Hãy nhập lại tệp.")
    parents = dict(db.execute("SELECT code, parent_code FROM units"))
    assert parents == {"A": "B", "B": None} and link_loops(parents) == {}


def test_a_header_reads_the_units_above_not_the_whole_catalogue(db):
    """header_for (every slip, notice and report) read the whole catalogue to walk up a chain
    3 units long: 4 ms a document with 3,000 units, 15 ms with 20,000 (0.1 ms before round 31).
    It reads the units above, one by one, to the top, however deep (test above)."""
    catalogue.save_unit(db, "LS", "UBND tỉnh Lạng Sơn", "province", None)
    rows = [(f"X{i}", f"UBND xã {i}", "commune", "LS") for i in range(DEEP)]
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         [*rows, ("X0.1", "Điểm tiếp nhận", "reception_point", "X0")])
    settings.put(db, SETUP_KEY, {"unit_code": "X1", "date": "2025-07-01"})
    started = time.perf_counter()
    for _ in range(300):
        header = report_header.header_for(db, "X0.1")
    assert time.perf_counter() - started < 1.5  # 0.1 s; 5 s reading the catalogue each time
    assert header.source == report_header.MADE and header.owner_name == "UBND xã 0"
