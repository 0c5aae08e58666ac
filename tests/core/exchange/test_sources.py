"""What a centre's monthly report rests on (issue 16 §3, spec 9): communes send packages, the
centre's report names each sender's last package and warns where the data stops short."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import pytest

from core import timefmt
from core.database import open_database
from core.exchange import export_package, import_package, slots, sources
from core.pdf.monthly import build_monthly
from db.connection import transaction
from tests.core.exchange.conftest import copied, office, receive
from tests.pdfread import pdf_text

OCTOBER = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
AFTER = dt.datetime(2025, 11, 3, 10, 0)  # the report is made after October is over


@contextlib.contextmanager
def clock(moment: dt.datetime):
    """This PC's clock at `moment` meanwhile (a package made or imported then)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timefmt, "now", lambda: moment)
        yield


def send(sender, path, since: dt.date, made: dt.datetime, unit: str | None):
    with clock(made):
        export_package(sender, path, since, unit=unit)
    return path


def take(centre, path, at: dt.datetime):
    with clock(at):
        return import_package(centre, path)


def _offices(folder: Path) -> tuple:
    """The centre and communes A and B, each with a dossier of its own unit."""
    centre = office(folder / "centre.db", (1, 3))
    xa_a, xa_b = office(folder / "a.db", (2, 3)), office(folder / "b.db", (3, 3))
    receive(xa_a, "Trần Thị Hoa", unit="U1")
    receive(xa_b, "Lò Văn Sử", unit="U2")
    return centre, xa_a, xa_b


def _built(folder: Path, in_month: bool) -> dict:
    """The three installations' closed files, after `_month` when `in_month` (its packages)."""
    dbs = _offices(folder)
    packages = _month(folder, *dbs) if in_month else {}
    for db in dbs:
        db.close()
    return {"dbs": [folder / name for name in ("centre.db", "a.db", "b.db")], **packages}


@pytest.fixture
def offices(tmp_path, built_once, request):
    """The centre and communes A and B, each the test's own file (a copy of what the module
    built once, each issuing codes as the file it made itself would); after the month of
    `month` when the test takes that fixture too."""
    in_month = "month" in request.fixturenames
    built = built_once(("offices", in_month), lambda folder: _built(folder, in_month))
    dbs = tuple(open_database(copied(path, tmp_path, issues=True)) for path in built["dbs"])
    yield dbs
    for db in dbs:
        db.close()


def report(centre, scope=None) -> sources.Sources:
    return sources.sources(centre, *OCTOBER, AFTER, scope)


def text_of(found: sources.Sources) -> str:
    return " ".join(found.warnings)


def _month(folder: Path, centre, xa_a, xa_b) -> dict:
    """Commune A sends on 20/10, a package of 22/10 is lost, the next of 25/10 arrives;
    commune B's clock runs eight days ahead of the centre's."""
    first = send(xa_a, folder / "a1.zip", dt.date(2025, 10, 1), dt.datetime(2025, 10, 20, 16), "U1")
    lost = send(xa_a, folder / "a2.zip", dt.date(2025, 10, 20), dt.datetime(2025, 10, 22, 16), "U1")
    third = send(xa_a, folder / "a3.zip", dt.date(2025, 10, 22), dt.datetime(2025, 10, 25, 16), "U1")
    ahead = send(xa_b, folder / "b1.zip", dt.date(2025, 10, 1), dt.datetime(2025, 11, 11, 9), "U2")
    assert take(centre, first, dt.datetime(2025, 10, 21, 9)).dossiers == {"new": 1}
    take(centre, third, dt.datetime(2025, 10, 26, 9))
    assert take(centre, ahead, dt.datetime(2025, 11, 3, 9)).dossiers == {"new": 1}
    return {"lost": lost, "third": third}


@pytest.fixture
def month(offices, tmp_path, built_once):
    """`_month`'s packages the centre lost and took last, the test's own copies (`offices`
    gave the installations after that month)."""
    built = built_once(("offices", True), lambda folder: _built(folder, True))
    return {name: copied(built[name], tmp_path) for name in ("lost", "third")}


def test_each_sender_and_unit_has_its_last_package(offices, month):
    found = report(offices[0])
    assert [(row.unit, row.unit_name) for row in found.rows] == [("U1", "Xã An Sơn"),
                                                                ("U2", "Xã Hòa Bình")]
    a, b = found.rows
    assert (a.since, a.until, a.imported) == (dt.datetime(2025, 10, 22), dt.datetime(2025, 10, 25, 16),
                                              dt.datetime(2025, 10, 26, 9))
    assert a.package == "a3.zip" and not a.covers
    assert b.covers and b.machine != a.machine


def test_data_ending_before_the_period_end_is_warned(offices, month):
    said = text_of(report(offices[0]))
    assert ("Số liệu của Xã An Sơn (máy " in said and "chỉ đến 16:00 25/10/2025 (gói nhập lúc "
            "09:00 26/10/2025), chưa đến hết ngày 31/10/2025" in said)
    assert "Số liệu của Xã Hòa Bình" not in said


def test_a_lost_package_is_named_as_a_gap(offices, month):
    said = text_of(report(offices[0]))
    assert ("Các gói của Xã An Sơn (máy " in said and "thiếu số liệu từ 16:00 20/10/2025 đến "
            "hết ngày 21/10/2025" in said and "từ ngày 20/10/2025" in said)
    take(offices[0], month["lost"], dt.datetime(2025, 11, 3, 9, 30))  # found and taken
    said = text_of(report(offices[0]))
    assert "không liền nhau" not in said and "chỉ đến 16:00 25/10/2025" in said


def test_a_sender_clock_ahead_covers_only_up_to_the_import(offices, month):
    b = report(offices[0]).rows[1]
    assert b.until == dt.datetime(2025, 11, 3, 9) and b.claimed == dt.datetime(2025, 11, 11, 9)
    said = text_of(report(offices[0]))
    assert "chạy trước máy này: gói ghi lập lúc 09:00 11/11/2025 nhưng đã nhập lúc 09:00 " \
           "03/11/2025" in said
    # a November report made on 05/11 is not covered past the import (03/11 09:00)
    november = sources.sources(offices[0], dt.date(2025, 11, 1), dt.date(2025, 11, 30),
                               dt.datetime(2025, 11, 5, 8))
    assert "Xã Hòa Bình (máy " in " ".join(november.warnings)
    assert "chỉ đến 09:00 03/11/2025" in " ".join(november.warnings)


def test_importing_a_package_again_writes_nothing(offices, month):
    centre = offices[0]
    before = centre.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0]
    rows = centre.execute("SELECT key, value FROM settings WHERE key LIKE 'exchange_source:%'").fetchall()
    take(centre, month["third"], dt.datetime(2025, 11, 4, 8))
    assert centre.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0] == before
    assert centre.execute("SELECT key, value FROM settings WHERE key LIKE "
                          "'exchange_source:%'").fetchall() == rows
    keys = sorted(key for key, _ in rows)
    assert all(key.startswith("exchange_source:") and key.endswith((":U1", ":U2")) for key in keys)


def test_an_empty_package_still_moves_the_data_forward(offices, month, tmp_path):
    """A quiet commune's package brings no new row (no origin record, core.actor_names): its
    data still reaches the moment it was made."""
    centre, xa_a, _ = offices
    origins = "SELECT COUNT(*) FROM settings WHERE key LIKE 'exchange_origin:%'"
    before = centre.execute(origins).fetchone()[0]
    quiet = send(xa_a, tmp_path / "a4.zip", dt.date(2025, 10, 25), dt.datetime(2025, 11, 1, 7), "U1")
    assert "new" not in take(centre, quiet, dt.datetime(2025, 11, 1, 8)).dossiers
    assert centre.execute(origins).fetchone()[0] == before
    row = report(centre).rows[0]
    assert row.until == dt.datetime(2025, 11, 1, 7) and row.package == "a4.zip"
    assert "chỉ đến" not in text_of(report(centre))


def test_a_later_all_units_package_replaces_the_unit_row(offices, month, tmp_path):
    centre, xa_a, _ = offices
    whole = send(xa_a, tmp_path / "a-all.zip", dt.date(2025, 10, 25), dt.datetime(2025, 11, 2, 7), None)
    take(centre, whole, dt.datetime(2025, 11, 2, 8))
    found = report(centre)
    assert [(row.unit, row.package) for row in found.rows] == [(None, "a-all.zip"),
                                                               ("U2", "b1.zip")]
    said = text_of(found)
    # the unit's own lost package still shows, and nothing stops short any more
    assert "Các gói của Xã An Sơn" in said and "chỉ đến" not in said


def test_a_commune_report_shows_only_its_senders(offices, month):
    found = report(offices[0], scope="U2")
    assert [row.unit for row in found.rows] == ["U2"]
    assert "Xã An Sơn" not in text_of(found)


def test_a_single_pc_has_no_sources(offices):
    found = report(offices[1])
    assert found.rows == [] and found.warnings == []
    assert "NGUỒN SỐ LIỆU" not in pdf_text(build_monthly(offices[1], "2025-10"))


def test_the_monthly_report_prints_the_sources_before_section_one(offices, month):
    centre = offices[0]
    with clock(AFTER):
        text = " ".join(pdf_text(build_monthly(centre, "2025-10")).split())
    assert text.index("NGUỒN SỐ LIỆU") < text.index("I. CÁC CHỈ TIÊU")
    assert "Xã An Sơn" in text and "Xã Hòa Bình" in text and "Thiếu (xem cảnh báo)" in text
    assert "chỉ đến 16:00 25/10/2025" in text and "không liền nhau" in text


def test_a_stored_row_reads_back_as_written(offices, month):
    value = offices[0].execute("SELECT value FROM settings WHERE key LIKE "
                               "'exchange_source:%:U1'").fetchone()[0]
    said = json.loads(value)
    assert said["covered"] == [["2025-10-01 00:00:00", "2025-10-20 16:00:00"],
                               ["2025-10-22 00:00:00", "2025-10-25 16:00:00"]]
    assert said["last"]["at"] == "2025-10-26 09:00:00"


@pytest.mark.parametrize("manifest", [
    {"installation": {"id": "a"}},                                         # no period at all
    {"installation": {"id": "a"}, "period": {"since": "31/02/2025", "until": "2025-10-20 16:00:00"}},
    {"installation": {"id": "a"}, "period": {"since": "2025-10-01", "until": 5}},
    {"installation": "a", "period": {"since": "2025-10-01", "until": "2025-10-20 16:00:00"}},
    {"installation": {"id": "a"}, "sender_unit": ["U1"],
     "period": {"since": "2025-10-01", "until": "2025-10-20 16:00:00"}},
    # no sender id: pooled under one name, two senders' spans would hide each other's gaps
    {"installation": {}, "period": {"since": "2025-10-01", "until": "2025-10-20 16:00:00"}},
    {"installation": {"id": " "}, "period": {"since": "2025-10-01", "until": "2025-10-20 16:00:00"}},
    {"installation": {"id": 7}, "period": {"since": "2025-10-01", "until": "2025-10-20 16:00:00"}}])
def test_a_period_that_cannot_be_read_is_not_noted(manifest):
    assert sources.read_package(manifest, "2025-10-21 09:00:00") is None


def test_a_damaged_stored_row_is_noted_afresh(offices, month, tmp_path):
    centre, xa_a, _ = offices
    with transaction(centre) as conn:
        conn.execute("UPDATE settings SET value = '[1' WHERE key LIKE 'exchange_source:%:U1'")
    later = send(xa_a, tmp_path / "a5.zip", dt.date(2025, 10, 25), dt.datetime(2025, 11, 1, 7), "U1")
    take(centre, later, dt.datetime(2025, 11, 1, 8))
    row = report(centre).rows[0]
    assert (row.unit, row.package, row.since) == ("U1", "a5.zip", dt.datetime(2025, 10, 25))


def _changed(said: dict, path: str, value) -> dict:
    """`said` with the field at `path` ("last.until") set to `value` (None: taken away)."""
    *parents, name = path.split(".")
    inner = said
    for parent in parents:
        inner = inner[parent]
    if value is None:
        del inner[name]
    else:
        inner[name] = value
    return said


def _edit_row(centre, unit: str, path: str, value) -> None:
    """The centre's stored row of `unit`'s sender edited by SQL at `path` (`_changed`)."""
    name, stored = centre.execute("SELECT key, value FROM settings WHERE key LIKE ?",
                                  [f"exchange_source:%:{unit}"]).fetchone()
    odd = json.dumps(_changed(json.loads(stored), path, value))
    with transaction(centre) as conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = ?", [odd, name])


def _printed_then_imported(centre, xa_a, tmp_path) -> None:
    """The month's report printed, then commune A's next package imported: neither stopped."""
    with clock(AFTER):
        assert "NGUỒN SỐ LIỆU" in pdf_text(build_monthly(centre, "2025-10"))
    later = send(xa_a, tmp_path / "a5.zip", dt.date(2025, 10, 25), dt.datetime(2025, 11, 1, 7), "U1")
    assert take(centre, later, dt.datetime(2025, 11, 1, 8)).dossiers is not None


ODD_ROWS = [("last", {}), ("last", None), ("last", [1]), ("last.until", "x"),
            ("last.at", 5), ("last.claimed", None), ("last.since", "2025-10-01 00:00:00+07:00"),
            ("covered", [[1, "x"]]), ("covered", [["2025-10-01 00:00:00"]]),
            ("covered", ["2025-10-01 00:00:00"]), ("covered", {}), ("covered", None),
            ("installation", None), ("installation", 3), ("unit", ["U1"]), ("seen", {})]


@pytest.mark.parametrize(("path", "value"), ODD_ROWS)
def test_a_stored_row_of_another_shape_is_noted_afresh_and_skipped(offices, month, tmp_path,
                                                                    path, value):
    """A row not as written (hand-edited, another version's) neither fails the import nor the
    report: the report skips it, the next package notes it afresh."""
    centre, xa_a, _ = offices
    _edit_row(centre, "U1", path, value)
    assert [row.unit for row in report(centre).rows] == ["U2"]
    _printed_then_imported(centre, xa_a, tmp_path)
    row = report(centre).rows[0]
    assert (row.unit, row.package, row.since) == ("U1", "a5.zip", dt.datetime(2025, 10, 25))
    assert row.covered == [(dt.datetime(2025, 10, 25), dt.datetime(2025, 11, 1, 7))]


def test_the_senders_of_many_units_are_sorted_by_scope_from_one_read_of_the_units(
        offices, month):
    """Each sender's row asked the unit tree twice (unit_subtree of the report's unit and of
    the row's): two reads of the catalogue a row, 2 × 20 ms with 3,000 units, 30 s for a
    province's 1,500 rows. The units are read once for all the rows."""
    centre = offices[0]
    key, value = centre.execute("SELECT key, value FROM settings WHERE key LIKE "
                                "'exchange_source:%:U1'").fetchone()
    with transaction(centre) as conn:
        for i in range(200):
            conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         [f"X{i}", f"Xã {i}", "commune", None])
            said = dict(json.loads(value), unit=f"X{i}")
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                         [key[:-2] + f"X{i}", json.dumps(said)])
    statements: list[str] = []
    centre.conn.set_trace_callback(statements.append)
    try:
        found = report(centre, scope="U2")
    finally:
        centre.conn.set_trace_callback(None)
    assert [row.unit for row in found.rows] == ["U2"]
    assert sum("FROM units" in s for s in statements) <= 3, len(statements)


def test_a_report_printed_in_the_minute_of_the_last_package_does_not_contradict_itself(
        offices, tmp_path):
    """Walkthrough of round 32: the centre imported its counters' packages and printed the
    month's report the same minute; every warning read "chỉ đến 23:24 04/12/2026 …, chưa đến
    23:24 04/12/2026". When the two moments fall in one minute, the seconds tell them apart."""
    centre, xa_a, _xa_b = offices
    made = dt.datetime(2025, 10, 20, 16, 0, 5)
    take(centre, send(xa_a, tmp_path / "a.zip", dt.date(2025, 10, 1), made, "U1"),
         made + dt.timedelta(seconds=15))
    said = text_of(sources.sources(centre, *OCTOBER, made + dt.timedelta(seconds=35)))
    assert "chỉ đến 16:00:05 20/10/2025 (gói nhập lúc 16:00 20/10/2025), chưa đến " \
           "16:00:40 20/10/2025" in said, said


def test_each_sender_is_named_with_its_slot_as_the_preview_names_it(offices, month):
    """Walkthrough of round 32: the report's «NGUỒN SỐ LIỆU» named three PCs by bare ids
    ("máy 2113b272"), while the import preview said "(số hiệu 2/3)": the leader could not tell
    the counters and the commune apart. The slot of each sender's last package is shown."""
    a, b = report(offices[0]).rows
    assert a.machine.endswith(", số hiệu 2/3") and b.machine.endswith(", số hiệu 3/3")
    assert a.machine.startswith("máy ") and a.who == f"Xã An Sơn ({a.machine})"
    with clock(AFTER):
        text = " ".join(pdf_text(build_monthly(offices[0], "2025-10")).split())
    assert "số hiệu 2/3" in text and "số hiệu 3/3" in text


def test_a_slot_the_manifest_does_not_state_plainly_is_left_out():
    assert slots.slot_text({"slot": 2, "of": 3}) == "2/3"
    for sender in ({}, {"slot": "2", "of": 3}, {"slot": 4, "of": 3}, {"slot": True, "of": 3},
                   {"slot": 0, "of": 3}):
        assert slots.slot_text(sender) == "", sender


# A field inside a stored row edited by SQL into what no MotCua writes: a start's count of
# records no whole number beside its `open`; a statement's groups or a start's line naming a
# list where a code is kept (review36: round 35's readers compared or hashed them, a TypeError)
ODD_INNER = [("start.records", "5"), ("start.records", 1.5), ("start.records", [1]),
             ("cleared", [{"day": "2025-10-01", "since": "2025-10-01 00:00:00",
                           "open_in": [["own"]]}]),
             ("start", {"since": "2025-10-01 00:00:00", "records": 1, "open": 1,
                        "units": [[["U1"], None, 1, None, None, 1]]})]


@pytest.mark.parametrize(("path", "value"), ODD_INNER)
def test_a_part_of_a_stored_row_not_as_written_fails_neither_report_nor_import(
        offices, month, tmp_path, path, value):
    """Such a part is read as not said (the row still listed, its start unknown), as the
    readers promise: never a report or an import stopped on a traceback."""
    centre, xa_a, _ = offices
    _edit_row(centre, "U1", path, value)
    assert [row.unit for row in report(centre).rows] == ["U1", "U2"]
    _printed_then_imported(centre, xa_a, tmp_path)
    assert [row.unit for row in report(centre).rows] == ["U1", "U2"]
