"""The ledger's sums of the rows the fast copy writes, made beside the merge's main thread
(core.exchange.fastcopy `_ledger_job`, Copier.hash_later / settle; docs/speed.md, fifteenth
round): the very sums db.ledger.added made on the main thread, and added before anything else
writes the ledger."""
from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest

from bench.bench_exchange import derive_rows
from bench.fastcopy_parts import catalogue, make_part, merge_parts
from core import demo, timefmt
from core.database import open_database
from core.exchange import compare, export_package, fastcopy
from core.exchange.fastcopy import ledger_sums, written
from core.exchange.merge import import_packages
from core.maintenance.audit import audit_findings
from db import ledger
from db.connection import transaction
from tests.core.exchange.conftest import made_later, rewrite_rows

TODAY = dt.date(2025, 10, 31)
NOW = dt.datetime(2025, 11, 3, 9, 30, 0)


@pytest.fixture
def office(tmp_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    path = tmp_path / "office.db"
    db = open_database(path)
    demo.generate(db, dossiers=120, seed=1, today=TODAY)
    db.close()
    return path


def _ledger_is_the_rows(db) -> None:
    """Every ledger as stored equals the sums of the rows as they stand, and audit agrees."""
    for table in ledger.TABLES:
        assert ledger.stored(db.conn, table) == ledger.sums(db.conn, table), table
    assert all(f.ok for f in audit_findings(db)), [f.text for f in audit_findings(db) if not f.ok]


def test_the_main_thread_hashes_no_row_the_copy_writes(office, tmp_path, monkeypatch):
    """The rows of supplements, extensions, payments and votes three parts bring are hashed in
    the ledger's thread, none on the main thread (there ~1.6 µs a row before); the ledger is
    what the rows say, as on the main thread."""
    hashed: Counter = Counter()
    real, real_from = ledger.summed, ledger.summed_from

    def counted(out):
        hashed[threading.current_thread() is threading.main_thread()] += sum(
            count for count, _sum in out.values())

    def spied(rows):
        out = real(rows)
        counted(out)
        return out

    def spied_from(texts, first):  # (the ledger's thread: rows with ids in a run)
        out, count = real_from(texts, first)
        counted(out)
        return out, count
    monkeypatch.setattr(ledger, "summed", spied)
    monkeypatch.setattr(ledger, "summed_from", spied_from)
    parts = [make_part(office, tmp_path / f"part{slot}.db", slot, 3) for slot in (1, 2, 3)]
    centre = open_database(tmp_path / "centre.db")
    copied = merge_parts(centre, parts, processes=False)
    assert [c.dossiers for c in copied] == [120] * 3
    rows = sum(centre.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
               for table in ledger.TABLES)
    assert (hashed[True], hashed[False]) == (0, rows) and rows > 300
    monkeypatch.setattr(ledger, "summed", real)
    monkeypatch.setattr(ledger, "summed_from", real_from)
    _ledger_is_the_rows(centre)
    centre.close()


def _stored_otherwise(path) -> int:
    """A hostile sender's part: a payment's reference stored as an integer in its TEXT column
    (the column declared INTEGER a moment, sqlite_master written directly, then as it was: the
    schema's text is the program's again), which the centre's column stores as the text '5'.
    Returns the payment's id."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("motcua_search_key", 6, lambda *values: "")
    payment = conn.execute("SELECT MIN(id) FROM payment_rows").fetchone()[0]
    for old, new in (("reference TEXT", "reference INTEGER"), ("reference INTEGER", "reference TEXT")):
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' "
                     "AND name = 'payment_rows'", [old, new])
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("PRAGMA writable_schema = OFF")
        conn.close()
        conn = sqlite3.connect(path, isolation_level=None)
        if new == "reference INTEGER":
            conn.execute("UPDATE payment_rows SET reference = 5 WHERE id = ?", [payment])
    assert conn.execute("SELECT typeof(reference) FROM payment_rows WHERE id = ?",
                        [payment]).fetchone()[0] == "integer"
    conn.close()
    return payment


def test_a_value_the_centre_stores_otherwise_is_summed_from_the_centre(office, tmp_path):
    """The job sums a table only when each value it copies keeps its storage class in the
    centre's column (else the text it hashes would not be the centre's): here it gives none for
    payments, and the main thread sums them from the centre's rows; the ledger stays what the
    rows say."""
    part = make_part(office, tmp_path / "part.db", 1, 1)
    clean, _marks = ledger_sums._ledger_job(str(part), [], 1, {"payments": (1, _count(part))}, [])
    assert clean["payments"]
    _stored_otherwise(part)
    assert ledger_sums._ledger_job(str(part), [], 1, {"payments": (1, _count(part))}, []) == (
        {"payments": None}, None)
    centre = open_database(tmp_path / "centre.db")
    merge_parts(centre, [part])
    assert centre.execute("SELECT reference, typeof(reference) FROM payment_rows WHERE id = 1"
                          ).fetchone() == ("5", "text")
    _ledger_is_the_rows(centre)
    assert ledger.stored(centre.conn, "payments") != clean["payments"]  # the text '5' hashed
    centre.close()


def _count(part) -> int:
    conn = sqlite3.connect(part)
    try:
        return conn.execute("SELECT COUNT(*) FROM payment_rows").fetchone()[0]
    finally:
        conn.close()


def test_a_vote_the_copy_wrote_cancelled_by_a_later_package_of_the_same_operation(office,
                                                                                  tmp_path):
    """Package 1's walk-in votes copied, package 2 (new dossiers, the same walk-in votes, one of
    them cancelled) in the same operation: the existing path cancels the stored vote
    (db.ledger.changing) after package 1's copy, whose sums must be in the ledger before it (a
    bucket the change found empty would be forgotten)."""
    first, second = tmp_path / "p1.zip", tmp_path / "p2.zip"
    db = open_database(office)
    export_package(db, tmp_path / "office.zip", dt.date(2024, 1, 1))
    db.close()
    derive_rows(tmp_path / "office.zip", first, 1, 2)

    def cancelled(conn):  # (the part's search index is never read: its triggers off meanwhile)
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                                "name LIKE 'dossiers_fts_%'").fetchall()
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("UPDATE dossier_rows SET code = code || 'N'")
        conn.execute("UPDATE vote_rows SET cancelled_at = voted_at + 60, cancel_reason = 'nhầm', "
                     "cancelled_by = 'admin' WHERE id = (SELECT MIN(id) FROM vote_rows WHERE "
                     "dossier_id IS NULL AND cancelled_at IS NULL)")
        for _name, sql in triggers:
            conn.execute(sql)
    rewrite_rows(first, second, cancelled)
    made_later(second)  # (merged after the first, wherever given: merge.merge_order)
    centre = open_database(tmp_path / "centre.db")
    batch = import_packages(centre, [first, second], bulk=True)
    assert batch.results[1].votes[compare.CHANGED] == 1
    assert centre.execute("SELECT COUNT(*) FROM votes WHERE cancelled_at IS NOT NULL AND "
                          "cancel_reason = 'nhầm'").fetchone()[0] == 1
    _ledger_is_the_rows(centre)
    centre.close()


def test_a_copy_that_leaves_rows_to_the_existing_path_adds_its_sums_first(office, tmp_path):
    """`copy` leaving something (here a dossier whose code the centre holds) has added every
    sum made so far when it returns: nothing is waiting (Copier.hashing) when the existing path
    writes."""
    part = make_part(office, tmp_path / "part.db", 1, 1)
    other = tmp_path / "other.db"
    shutil.copy(part, other)
    conn = sqlite3.connect(other)
    conn.create_function("motcua_search_key", 6, lambda *values: "")
    conn.execute("UPDATE dossier_rows SET code = code || 'N' WHERE id > 1")
    conn.commit()
    conn.close()
    centre = open_database(tmp_path / "centre.db")
    with transaction(centre) as writing:
        with fastcopy.Copier(writing, delta=Counter(), refresh=[], processes=False) as copier:
            for name, path in (("a", part), ("b", other)):
                writing.execute(f"ATTACH ? AS {name}", [str(path)])
                catalogue(writing, name)
                copied = copier.copy(name, now="2025-11-03 09:30:00", fast=True)
                if name == "a":
                    assert copied.left_dossiers == [] and copier.hashing
                else:
                    assert copied.left_dossiers == [1] and copier.hashing == []
    for name in ("a", "b"):
        centre.conn.execute(f"DETACH {name}")
    _ledger_is_the_rows(centre)
    centre.close()


# ----- the stored walk-in votes kept at the operation's moments (Copier.walk_ins) ---------------
def _walk_ins(part) -> list[int]:
    conn = sqlite3.connect(part)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM vote_rows WHERE dossier_id IS NULL "
                                           "ORDER BY id")]
    finally:
        conn.close()


def _renamed(part, target, change: str = "SELECT 1"):
    """The part with new dossier codes (its walk-in votes as they were), `change` run on it."""
    shutil.copy(part, target)
    conn = sqlite3.connect(target)
    conn.create_function("motcua_search_key", 6, lambda *values: "")
    conn.execute("UPDATE dossier_rows SET code = code || 'N'")
    conn.execute(change)
    conn.commit()
    conn.close()
    return target


def _copied(centre, parts, between=None, trace=None) -> list:
    """The parts copied by one Copier in one transaction (rolled back), what each left;
    `between(conn, k)` run after part k's copy, `trace` given each statement."""
    out = []
    try:
        with transaction(centre) as writing:
            with fastcopy.Copier(writing, delta=Counter(), refresh=[],
                                 processes=False) as copier:
                for k, path in enumerate(parts):
                    writing.execute(f"ATTACH ? AS p{k}", [str(path)])
                    catalogue(writing, f"p{k}")
                    writing.set_trace_callback(trace)
                    out.append(copier.copy(f"p{k}", now="2025-11-03 09:30:00", fast=True))
                    writing.set_trace_callback(None)
                    if between is not None:
                        between(copier, writing, k)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        centre.conn.set_trace_callback(None)
        for k in range(len(parts)):
            centre.conn.execute(f"DETACH p{k}")
    return out


class _Rollback(Exception):
    pass


def test_walk_in_votes_the_copy_added_are_matched_by_a_later_part(office, tmp_path):
    """Parts 1 and 2 bring walk-in votes at the same moments that differ only in their comment
    (two machines): all taken; part 3 brings part 2's again: all left to the existing path
    (matched by the votes part 2's copy added, kept in step), as the centre's table says."""
    one = make_part(office, tmp_path / "one.db", 1, 2)
    two = make_part(office, tmp_path / "two.db", 2, 2)
    three = _renamed(two, tmp_path / "three.db")
    centre = open_database(tmp_path / "centre.db")
    copied = _copied(centre, [one, two, three])
    assert [c.dossiers for c in copied] == [120] * 3
    assert [c.left_votes for c in copied] == [[], [], _walk_ins(three)] and _walk_ins(three)
    centre.close()


def test_a_walk_in_vote_another_writer_adds_between_parts_is_matched(office, tmp_path):
    """A walk-in vote written between two parts' copies by another writer (here SQL, as the
    existing path's Store.insert_votes writes), at a moment already kept: `settle`, which such
    a writer is preceded by, forgets the kept votes, so the next part's identical vote is
    matched (left), not taken."""
    one = make_part(office, tmp_path / "one.db", 1, 1)
    conn = sqlite3.connect(one)
    moment, unit = conn.execute("SELECT voted_at, unit_code FROM vote_rows WHERE dossier_id IS "
                                "NULL ORDER BY id LIMIT 1").fetchone()
    conn.close()
    two = _renamed(one, tmp_path / "two.db", "INSERT INTO vote_rows(unit_code, voted_at, rating, "
                   f"comment, source) VALUES ('{unit}', {moment}, 'neutral', 'khác', 'paper')")
    added = _walk_ins(two)[-1]

    def writes(copier, conn, k):
        if k == 0:
            copier.settle()
            conn.execute("INSERT INTO vote_rows(unit_code, voted_at, rating, comment, source) "
                         "VALUES (?, ?, 'neutral', 'khác', 'paper')", [unit, moment])
    centre = open_database(tmp_path / "centre.db")
    copied = _copied(centre, [one, two], between=writes)
    assert copied[0].left_votes == []
    assert copied[1].left_votes == _walk_ins(two)  # its own, and the one written between
    assert added in copied[1].left_votes
    centre.close()


def test_the_centre_s_votes_are_searched_once_a_moment_an_operation(office, tmp_path):
    """The stored walk-in votes at a part's moments are read from the centre's table (by
    `votes_voted`) for the moments not yet kept only: a second part at the same moments adds
    none, and its votes are matched in the kept copy by all a vote says (its index)."""
    one = make_part(office, tmp_path / "one.db", 1, 2)
    two = make_part(office, tmp_path / "two.db", 2, 2)
    ran: list[str] = []
    found: dict[str, object] = {}

    def second(copier, conn, k):
        if k == 0:
            found["kept"] = conn.execute(f"SELECT COUNT(*) FROM temp.{copier.WALK_INS}"
                                         ).fetchone()[0]
            ran.clear()
            return
        loads = [sql for sql in ran if sql.startswith(f"INSERT OR IGNORE INTO temp.{copier.WALK_INS}")]
        taken = [sql for sql in ran if "INTO temp.fastcopy_taken SELECT" in sql]
        assert len(loads) == 1 and len(taken) == 1
        found["plan"] = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + taken[0])]
        found["loaded"] = conn.execute(f"SELECT COUNT(*) FROM temp.{copier.WALK_INS}"
                                       ).fetchone()[0]
    centre = open_database(tmp_path / "centre.db")
    copied = _copied(centre, [one, two], between=second, trace=ran.append)
    assert copied[1].left_votes == []
    walk_ins = len(_walk_ins(one))
    # after part 1: its own walk-in votes (none stored before); after part 2: both parts'
    assert found["kept"] == walk_ins and found["loaded"] == 2 * walk_ins
    assert any(f"{fastcopy.Copier.WALK_INS}_match (voted_at=? AND unit_code=? AND rating=? AND "
               "comment=?)" in step for step in found["plan"]), found["plan"]
    centre.close()


# ----- the map left out when every dossier is copied (sixteenth round) -----------------------
def _typeless(path, table: str) -> None:
    """The part's `table` with its dossier_id column declared without a type (sqlite_master
    written directly), so that a value is stored as given (a real 5.0 stays a real); the
    caller writes such values, then `_typed` declares it as the program does again."""
    _declare(path, table, "dossier_id INTEGER", "dossier_id ANY")


def _typed(path, table: str) -> None:
    _declare(path, table, "dossier_id ANY", "dossier_id INTEGER")


def _declare(path, table: str, old: str, new: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND "
                 "name = ?", [old, new, table])
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")
    conn.close()


# a child's or a vote's dossier id as a hostile file may hold it: what the map's join
# (m.old = c.dossier_id) finds or not, each met by `_MAPPED` as the join meets it
ODD_IDS = ["5.0", "5.5", "'abc'", "'5x'", "x'05'", "NULL", "0", "-3", "(SELECT MAX(id) + 1 FROM "
           "dossier_rows)", "(SELECT MIN(id) - 1 FROM dossier_rows)", "1e30", "9223372036854775807"]


def _odd_part(office, tmp_path, gap: bool) -> Path:
    part = make_part(office, tmp_path / "odd.db", 1, 1)
    tables = ("payment_rows", "supplements", "extensions", "vote_rows")
    for table in tables:
        _typeless(part, table)
    conn = sqlite3.connect(part, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.create_function("motcua_search_key", 6, lambda *values: "")
    ids = [r[0] for r in conn.execute("SELECT id FROM payment_rows ORDER BY id")]
    votes = [r[0] for r in conn.execute("SELECT id FROM vote_rows ORDER BY id")]
    for row, odd in zip(ids, [odd for odd in ODD_IDS if odd != "NULL"], strict=False):
        conn.execute(f"UPDATE payment_rows SET dossier_id = {odd} WHERE id = ?", [row])
    for row, odd in zip(votes[1::3], ODD_IDS, strict=False):
        conn.execute(f"UPDATE vote_rows SET dossier_id = {odd} WHERE id = ?", [row])
    conn.execute("UPDATE supplements SET dossier_id = 7.0 WHERE id = (SELECT MIN(id) FROM "
                 "supplements)")
    if gap:  # a dossier gone from the middle: the ids are no run
        conn.execute("DELETE FROM dossier_rows WHERE id = 11")
    kinds = {r[0] for r in conn.execute("SELECT typeof(dossier_id) FROM payment_rows UNION "
                                        "SELECT typeof(dossier_id) FROM vote_rows")}
    conn.close()
    for table in tables:
        _typed(part, table)
    assert kinds == {"integer", "real", "text", "blob", "null"}
    return part


def _counts(part, left: list[int], left_votes: list[int]) -> dict[str, tuple[int, int]]:
    """Each ledger table's rows the copy's join writes (the map's: the dossiers but `left`)."""
    conn = sqlite3.connect(part)
    try:
        conn.execute("CREATE TEMP TABLE m(old INTEGER PRIMARY KEY)")
        conn.execute(f"INSERT INTO temp.m SELECT id FROM dossier_rows WHERE id NOT IN "
                     f"({','.join(map(str, left))})")
        out = {table: (1, conn.execute(f"SELECT COUNT(*) FROM temp.m JOIN {rows} c ON "
                                       "c.dossier_id = m.old").fetchone()[0])
               for table, rows in written.LEDGER_ROWS.items() if table != "votes"}
        out["votes"] = (1, conn.execute(f"SELECT COUNT(*) FROM vote_rows WHERE id NOT IN "
                                        f"({','.join(map(str, left_votes))})"
                                        ).fetchone()[0])
        return out
    finally:
        conn.close()


@pytest.mark.parametrize("gap,left,left_votes", [
    (False, [], []), (False, [], [2, 3]), (True, [], []), (False, [4, 9], [])],
    ids=["every-dossier", "votes-left", "ids-with-a-gap", "dossiers-left"])
def test_the_sums_without_the_map_are_the_map_s(office, tmp_path, monkeypatch, gap, left,
                                                left_votes):
    """When every dossier is copied and the part's ids run without a gap, the ledger's job
    gives each row its new dossier id by arithmetic (`_shifted`, `_MAPPED`) instead of a map:
    the same sums and marks as the map's join, for every value a hostile file may hold where
    a dossier id goes (a real equal to an id, another real, texts, a blob, NULL, ids out of
    the part's range, beyond 64 bits); the map where the ids are no run or dossiers are left."""
    part = _odd_part(office, tmp_path, gap)
    rows = _counts(part, left, left_votes)
    shifted = []
    real = ledger_sums._shifted

    def spied(*args):
        shifted.append(real(*args))
        return shifted[-1]
    monkeypatch.setattr(ledger_sums, "_shifted", spied)
    mine = ledger_sums._ledger_job(str(part), left, 101, rows, left_votes)
    monkeypatch.setattr(ledger_sums, "_shifted", lambda *args: None)
    theirs = ledger_sums._ledger_job(str(part), left, 101, rows, left_votes)
    assert mine == theirs
    assert all(sums is not None for sums in theirs[0].values()) and theirs[1], (theirs, rows)
    assert (shifted[0] is not None) is (not gap and not left)
    # the centre stores what the map's join gives: the sums are those of the rows as there
    assert theirs[0]["payments"] != ledger_sums._ledger_job(
        str(part), left, 102, rows, left_votes)[0]["payments"]
