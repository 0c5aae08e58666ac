"""The fast copy of format-3 parts (core.exchange.fastcopy, issue 16 §3): it must leave exactly
what the existing merge leaves for the same packages in the same order — every row, the chain
and its head, the ledger, kpi_daily, the search index — and refuse exactly the records the
existing checks refuse."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import sqlite3
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from bench.bench_exchange import derive
from bench.fastcopy_parts import catalogue, make_part, merge_parts
from core import demo, timefmt
from core.actor_names import ORIGIN_PREFIX
from core.database import open_database
from core.exchange import checks, export_package, fastcopy, merge, records
from core.exchange import part as part_module
from core.exchange.fastcopy import (
    Copied,
    Copier,
    chain_jobs,
    conditions,
    constraints,
    copy_new,
    copy_part,
    facts_job,
    partdb,
    screening,
)
from core.exchange.merge import import_packages
from core.exchange.part import checking
from core.exchange.sources import PREFIX as SOURCE_PREFIX
from core.maintenance.audit import audit_findings
from db import chain
from db.connection import transaction
from tests.copies import copied

TODAY = dt.date(2025, 10, 31)
NFD_NOTE = unicodedata.normalize("NFD", ("Hường trả lời ngày mười bốn, " * 40)[:1000])
# the screen's SQLite VM steps per row read (dossiers and events) of the clean part: 111 with
# its checks as conditions, 222 as values (test_the_screen_stops_at_the_first_check_that_decides),
# and 58 more for the schema's CHECK constraints it evaluates since (constraints._constraints_bad)
BUDGET_STEPS = 220
# part._no_blobs's VM steps per value of the clean part: 2.3 with `>= x''`, 3.4 with typeof
BLOB_BUDGET = 2.9
# the copy's VM steps per row its dossiers' and children's steps write, of the clean part: 222
# with the schema's CHECK constraints evaluated, 163 without (test_the_copy_evaluates_no_check_…)
CHECKS_BUDGET = 190
NOW = dt.datetime(2025, 11, 3, 9, 30, 0)
BOOKKEEPING = (ORIGIN_PREFIX, SOURCE_PREFIX)  # the merge's settings rows of its packages
# every stored table the merge writes, read raw (the stored forms: codes, seconds, prefixes)
RAW = ("dossier_rows", "event_rows", "event_words", "chain_marks", "payment_rows", "vote_rows",
       "supplements", "extensions", "dossier_components", "complaints", "kpi_daily")


def content(db) -> dict:
    out = {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in RAW}
    # and every other table, but what tells two installations apart
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                               "NOT LIKE 'dossiers_fts%' AND name NOT LIKE 'sqlite_%'"):
        if table not in RAW:
            out[table] = db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    out["settings"] = [row for row in out["settings"] if not row[0].startswith("installation")
                       and not row[0].startswith(BOOKKEEPING)]
    # where each package's rows came from (core.actor_names) and the span it brought
    # (core.exchange.sources): the merge's bookkeeping, naming
    # the sender and logged at the clock's moment, which bench/fastcopy_parts' wiring of the
    # copy alone does not keep (tests/core/exchange/test_actor_names.py compares the paths')
    out["setting_changes"] = [row for row in out["setting_changes"]
                              if not str(row[4]).startswith(BOOKKEEPING)]
    out["events"] = db.execute("SELECT * FROM events ORDER BY id").fetchall()
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING "
               "fts5vocab(main, dossiers_fts, instance)")
    out["fts"] = db.execute("SELECT term, doc FROM temp.terms ORDER BY doc, term").fetchall()
    out["indexes"] = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                "ORDER BY name").fetchall()
    return out


def _offices(folder: Path) -> tuple[list[Path], list[Path]]:
    office_path = folder / "office.db"
    office = open_database(office_path)
    demo.generate(office, dossiers=400, seed=1, today=TODAY)
    source = folder / "office.zip"
    export_package(office, source, dt.date(2024, 1, 1))
    office.close()
    packages, parts = [], []
    for slot in (1, 2, 3):
        packages.append(folder / f"p{slot}.zip")
        derive(source, packages[-1], slot, 3)
        parts.append(make_part(office_path, folder / f"part{slot}.db", slot, 3))
    return packages, parts


@pytest.fixture
def offices(tmp_path, monkeypatch, built_once):
    """One demo office, and what 3 installations of a group sent for the same work: as
    packages (the existing format) and as parts (MotCua databases, format 3). Built once a
    module; each test reads its own copies."""
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    packages, parts = built_once("offices", _offices)
    return ([copied(path, tmp_path) for path in packages],
            [copied(path, tmp_path) for path in parts])


@pytest.mark.parametrize("bulk,batch,processes,spread", [
    (True, 2000, True, 4), (False, 2000, False, 4), (True, 37, False, 4), (True, 2000, False, 0)],
    ids=["bulk-two-processes", "rows", "batches", "hashes-by-place"])
def test_the_copy_leaves_what_the_existing_merge_leaves(offices, tmp_path, monkeypatch, bulk,
                                                        batch, processes, spread):
    """`batch`: the existing path's batches of records (merge.BATCH), each adding the words it
    meets first: the copy adds them in the same order, so every event_words code is the same.
    `processes`: the chain and the facts read by a second process (core.exchange.fastcopy.Copier).
    `spread` 0: the events' ids taken as too far apart to lay their hashes out by id
    (chain_jobs.BY_ID_SPREAD): each hash is taken by the event's place in the chain instead."""
    monkeypatch.setattr(merge.batches, "BATCH", batch)
    monkeypatch.setattr(chain_jobs, "BY_ID_SPREAD", spread)
    packages, parts = offices
    slow = open_database(tmp_path / "slow.db")
    merged = import_packages(slow, packages, bulk=bulk)
    assert merged.total("dossiers") == {"new": 1200}
    fast = open_database(tmp_path / "fast.db")
    copied = merge_parts(fast, parts, bulk=bulk, processes=processes)
    assert [c.dossiers for c in copied] == [400] * 3
    assert sum(c.votes for c in copied) == merged.total("votes")["new"]
    mine, theirs = content(fast), content(slow)
    for table in theirs:
        assert mine[table] == theirs[table], table
    assert chain.head(fast.conn) == chain.head(slow.conn)
    assert all(f.ok for f in audit_findings(fast)), [f.text for f in audit_findings(fast)
                                                      if not f.ok]
    slow.close()
    fast.close()


# ----- the same verdicts as core.exchange.checks -------------------------------------------------
def _spoiling(conn) -> None:
    """A hostile or broken sender's file: its rows written past the schema's own rules."""
    conn.execute("PRAGMA ignore_check_constraints = 1")
    conn.create_function("motcua_search_key", 6, lambda *values: "")
    for trigger in ("events_sealed_final", "event_words_never_changed"):
        conn.execute(f"DROP TRIGGER {trigger}")


# (what is spoiled, SQL run on the part, whether checks refuses it). Each on the part's dossier
# 7 (or its rows), votes on the part's first vote.
SPOILED = [
    ("nothing", "SELECT 1", False),
    ("status", "UPDATE dossier_rows SET status = 'lost' WHERE id = 7", True),
    ("channel", "UPDATE dossier_rows SET channel = 'fax' WHERE id = 7", True),
    ("reception beyond year 9999", "UPDATE dossier_rows SET received_at = 999999999999 "
                                   "WHERE id = 7", True),
    # the years the program computes in (core.limits): a reception in 9999 once crashed the
    # due computation of the import instead of naming the record
    ("reception in year 9999", "UPDATE dossier_rows SET received_at = 253402300740 "
                               "WHERE id = 7", True),
    ("reception in 1900", "UPDATE dossier_rows SET received_at = -2195913600 WHERE id = 7", True),
    # the lengths every entry keeps (core.limits.TEXT): a package stored a 300-character phone
    ("phone of 21 characters", "UPDATE dossier_rows SET applicant_phone = "
                               "'091234567890123456789' WHERE id = 7", True),
    ("note of 1001 characters", "UPDATE dossier_rows SET note = printf('%.1001c', 'x') "
                                "WHERE id = 7", True),
    ("phone of 20 characters allowed", "UPDATE dossier_rows SET applicant_phone = "
                                       "'09123456789012345678' WHERE id = 7", False),
    ("clerk's login of 101 characters", "UPDATE dossier_rows SET received_by = "
                                        "printf('%.101c', 'a') WHERE id = 7", True),
    ("event moment in 2100", "UPDATE event_rows SET at = 4102740000 WHERE id = (SELECT MAX(id) "
                             "FROM event_rows WHERE dossier_id = 7)", True),
    ("wait requested in 2100", "INSERT INTO supplements(dossier_id, requested_at) "
                               "VALUES (7, '2100-01-04 10:00:00')", True),
    ("payment in 2100", "INSERT INTO payment_rows(dossier_id, amount, method, paid_at) "
                        "VALUES (7, 5, 'cash', 4102740000)", True),
    # a closed status without its finish: the import's refusal (core.moment), every closed one
    *[(f"{status} without its finish", f"UPDATE dossier_rows SET status = '{status}', "
       "finished_at = NULL WHERE id = 7", True)
      for status in ("done", "returned", "rejected", "withdrawn", "stopped")],
    ("open without a finish (allowed)", "UPDATE dossier_rows SET status = 'processing', "
                                        "finished_at = NULL, returned_at = NULL WHERE id = 7",
     False),
    # a sender's clock ahead of this PC's: stored as sent (merge warns at the preview)
    ("reception a day ahead of this PC's clock (allowed)",
     "UPDATE dossier_rows SET received_at = unixepoch('2025-11-04 09:30:00') WHERE id = 7", False),
    ("due time beyond year 9999 (read as none)",
     "UPDATE dossier_rows SET due_at = 999999999999 WHERE id = 7", False),
    # a note an older version stored with Unikey's separate marks (NFD): 1,000 letters as the
    # sender's desk counted them (core.limits.text_length), some 1,300 code points: taken (the
    # screen's length() flags it, the existing path takes it); one letter more, refused
    ("note of 1000 letters typed with separate marks", "UPDATE dossier_rows SET note = '"
     + NFD_NOTE + "' WHERE id = 7", False),
    ("note of 1001 letters typed with separate marks", "UPDATE dossier_rows SET note = '"
     + NFD_NOTE + "a' WHERE id = 7", True),
    ("blank applicant", "UPDATE dossier_rows SET applicant_name = ' \t' WHERE id = 7", True),
    ("applicant of ideographic spaces", "UPDATE dossier_rows SET applicant_name = "
                                        "char(12288, 12288) WHERE id = 7", True),
    ("unit unknown", "UPDATE dossier_rows SET unit_code = 'NOPE' WHERE id = 7", True),
    ("competent unit unknown", "UPDATE dossier_rows SET competent_unit_code = 'NOPE' "
                               "WHERE id = 7", True),
    ("procedure unknown", "UPDATE dossier_rows SET procedure_code = 'NOPE' WHERE id = 7", True),
    ("negative fee", "UPDATE dossier_rows SET fee = -5 WHERE id = 7", True),
    ("fee not whole", "UPDATE dossier_rows SET fee = 1.5 WHERE id = 7", True),
    ("digitised 2", "UPDATE dossier_rows SET digitised = 2 WHERE id = 7", True),
    ("result digitised 3", "UPDATE dossier_rows SET result_digitised = 3 WHERE id = 7", True),
    ("control in the address", "UPDATE dossier_rows SET applicant_address = 'a' || char(1) "
                               "WHERE id = 7", True),
    ("non-character in a note", "UPDATE dossier_rows SET note = 'x' || char(65534) "
                                "WHERE id = 7", True),
    ("NUL in the phone", "UPDATE dossier_rows SET applicant_phone = '09' || char(0) || '1' "
                         "WHERE id = 7", True),
    ("tab and newline in a note (allowed)", "UPDATE dossier_rows SET note = 'a' || char(9) || "
                                            "char(10) || 'b' WHERE id = 7", False),
    ("control in a wait's reason (allowed: checks reads no wait's text)",
     "INSERT INTO supplements(dossier_id, requested_at, reason) VALUES (7, '2025-01-02 10:00:00', "
     "'r' || char(1))", False),
    ("code too long", "UPDATE dossier_rows SET code = printf('%.65c', 'X') WHERE id = 7", True),
    ("code blank", "UPDATE dossier_rows SET code = '   ' WHERE id = 7", True),
    ("event moment unreadable", "UPDATE event_rows SET at = 'hôm qua' WHERE id = (SELECT MIN(id) "
                                "FROM event_rows WHERE dossier_id = 7)", True),
    ("event moment kept as text (readable)", "UPDATE event_rows SET at = '2025-01-02 10:00:00' "
                                             "WHERE id = (SELECT MIN(id) FROM event_rows WHERE "
                                             "dossier_id = 7)", False),
    ("event action of no word", "UPDATE event_rows SET action = 99999 WHERE id = (SELECT MIN(id) "
                                "FROM event_rows WHERE dossier_id = 7)", True),
    ("control in an event's reason", "UPDATE event_rows SET reason = 'r' || char(7) WHERE id = "
                                     "(SELECT MIN(id) FROM event_rows WHERE dossier_id = 7)", True),
    ("event details a raw blob", "UPDATE event_rows SET details = x'0001' WHERE id = (SELECT "
                                 "MIN(id) FROM event_rows WHERE dossier_id = 7)", True),
    ("event details of a shape no word has (read as none)",
     "UPDATE event_rows SET details = x'3939393939' WHERE id = (SELECT MIN(id) FROM event_rows "
     "WHERE dossier_id = 7)", False),
    ("event details of a shape with values no word has (read as none)",
     "UPDATE event_rows SET details = CAST('[99999,1]' AS BLOB) WHERE id = (SELECT MIN(id) FROM "
     "event_rows WHERE dossier_id = 7)", False),
    # coded details whose shape's code is not written as MotCua writes it ('[7,'): read
    # alike by the checks, but re-coding would change their bytes, so they are not copied as
    # they are (fastcopy._canonical): left to the existing path, which writes them its way
    *[(f"event details coded, the shape's code written '{form}' (read alike)",
       "UPDATE event_rows SET details = (SELECT CAST(" + sql + " AS BLOB) FROM event_rows "
       "WHERE substr(details, 1, 1) = x'5b' LIMIT 1) WHERE id = (SELECT MIN(id) FROM "
       "event_rows WHERE dossier_id = 7)", False)
      for form, sql in (
          ("[ 7,", "'[ ' || substr(CAST(details AS TEXT), 2)"),
          ("[7 ,", "substr(CAST(details AS TEXT), 1, instr(details, ',') - 1) || ' ' || "
                   "substr(CAST(details AS TEXT), instr(details, ','))"))],
    # … and other blobs the screen's one branch a first byte (conditions._coded_ok) must not pass
    *[(f"event details the blob {form!r} (read as MotCua does not write it)",
       "UPDATE event_rows SET details = (SELECT CAST(" + sql + " AS BLOB) FROM event_rows "
       "WHERE substr(details, 1, 1) = x'5b' LIMIT 1) WHERE id = (SELECT MIN(id) FROM "
       "event_rows WHERE dossier_id = 7)", False)
      for form, sql in (
          ("07", "'0' || CAST(CAST(substr(details, 2, instr(details, ',') - 2) AS INTEGER) "
                 "AS TEXT)"),
          ("[07,", "'[0' || substr(CAST(details AS TEXT), 2)"),
          ("7 x", "CAST(CAST(substr(details, 2, instr(details, ',') - 2) AS INTEGER) AS TEXT) "
                  "|| ' x'"),
          ("[7]", "substr(CAST(details AS TEXT), 1, instr(details, ',') - 1) || ']'"),
          ("[,7]", "'[,' || substr(CAST(details AS TEXT), 2)"),
          ("", "''"),
          ("[7, 10 values]", "substr(CAST(details AS TEXT), 1, instr(details, ',')) || "
                             "'1,2,3,4,5,6,7,8,9]'"))],
    ("event details coded, unreadable JSON (read as none)",
     "UPDATE event_rows SET details = CAST('[1,' AS BLOB) WHERE id = (SELECT MIN(id) FROM "
     "event_rows WHERE dossier_id = 7)", False),
    ("control in an event word", "UPDATE event_words SET word = word || char(2) WHERE code = "
                                 "(SELECT actor FROM event_rows WHERE dossier_id = 7 AND actor "
                                 "IS NOT NULL LIMIT 1)", True),
    ("payment amount 0", "INSERT INTO payment_rows(dossier_id, amount, method, paid_at) "
                         "VALUES (7, 0, 'cash', 1700000000)", True),
    ("payment method unknown", "INSERT INTO payment_rows(dossier_id, amount, method, paid_at) "
                               "VALUES (7, 5, 'bitcoin', 1700000000)", True),
    ("wait requested unreadable", "INSERT INTO supplements(dossier_id, requested_at) "
                                  "VALUES (7, 'yesterday')", True),
    ("complaint channel unknown", "INSERT INTO complaints(dossier_id, unit_code, received_at, "
                                  "channel, content) SELECT 7, unit_code, '2025-01-02 10:00:00', "
                                  "'fax', 'x' FROM dossier_rows WHERE id = 7", True),
    ("complaint blank", "INSERT INTO complaints(dossier_id, unit_code, received_at, channel, "
                        "content) SELECT 7, unit_code, '2025-01-02 10:00:00', 'phone', '  ' "
                        "FROM dossier_rows WHERE id = 7", True),
    ("complaint of no unit", "INSERT INTO complaints(dossier_id, unit_code, received_at, channel, "
                             "content) VALUES (7, 'NOPE', '2025-01-02 10:00:00', 'phone', 'x')",
     True),
    ("control in a complaint", "INSERT INTO complaints(dossier_id, unit_code, received_at, "
                               "channel, content) SELECT 7, unit_code, '2025-01-02 10:00:00', "
                               "'phone', 'x' || char(3) FROM dossier_rows WHERE id = 7", True),
    # the CHECK constraints of the tables the copy writes that checks does not read: the
    # screen evaluates them (constraints._constraints_bad) and leaves the dossier to the
    # existing path, whose INSERT refuses it as the copy's did (IntegrityError)
    ("e-result 2", "UPDATE dossier_rows SET e_result = 2 WHERE id = 7", False),
    ("result delivered by fax", "UPDATE dossier_rows SET result_delivery = 'fax' WHERE id = 7",
     False),
    ("component at position 0", "INSERT INTO dossier_components(dossier_id, position, name, "
                                "form) VALUES (7, 0, 'Đơn', 'original')", False),
    ("component of a form no one has", "INSERT INTO dossier_components(dossier_id, position, "
                                       "name, form) VALUES (7, 1, 'Đơn', 'scan')", False),
    ("component counted -1", "INSERT INTO dossier_components(dossier_id, position, name, "
                             "count) VALUES (7, 1, 'Đơn', -1)", False),
    # the CHECK constraints the screen's own conditions prove (constraints.implied: not evaluated
    # twice), each with a value of a storage class its column does not keep
    ("due time not whole", "UPDATE dossier_rows SET due_at = 1700000000.5 WHERE id = 7", False),
    ("fee as text", "UPDATE dossier_rows SET fee = 'năm' WHERE id = 7", True),
    ("payment amount as text", "INSERT INTO payment_rows(dossier_id, amount, method, paid_at) "
                               "VALUES (7, 'năm', 'cash', 1700000000)", True),
    ("payment moment not whole", "INSERT INTO payment_rows(dossier_id, amount, method, paid_at) "
                                 "VALUES (7, 5, 'cash', 1700000000.5)", False),
    ("payment cancelled as text", "INSERT INTO payment_rows(dossier_id, amount, method, paid_at, "
                                  "cancelled_at) VALUES (7, 5, 'cash', 1700000000, 'hôm qua')",
     False),
    ("vote moment as text", "UPDATE vote_rows SET voted_at = 'hôm qua' WHERE id = (SELECT "
                            "MIN(id) FROM vote_rows)", True),
    ("vote rating unknown", "UPDATE vote_rows SET rating = 'meh' WHERE id = (SELECT MIN(id) "
                            "FROM vote_rows)", True),
    ("vote of no unit", "UPDATE vote_rows SET unit_code = 'NOPE' WHERE id = (SELECT MIN(id) "
                        "FROM vote_rows)", True),
    ("vote moment beyond year 9999", "UPDATE vote_rows SET voted_at = 999999999999 WHERE id = "
                                     "(SELECT MIN(id) FROM vote_rows)", True),
    # a vote's origin (schema 25, db.vote_origin): a text of 1 to 200 characters, or none
    ("vote origin empty", "UPDATE vote_rows SET origin = '' WHERE id = (SELECT MIN(id) FROM "
                          "vote_rows)", True),
    ("vote origin too long", "UPDATE vote_rows SET origin = printf('%.201c', 'x') WHERE id = "
                             "(SELECT MIN(id) FROM vote_rows)", True),
    ("vote origin none allowed", "UPDATE vote_rows SET origin = NULL", False),
    # … of the form "<installation id>:<its id of the vote>" (db.vote_origin.FORM)
    ("vote origin without its id", "UPDATE vote_rows SET origin = 'abc' WHERE id = "
                                   "(SELECT MIN(id) FROM vote_rows)", True),
    ("vote origin without installation", "UPDATE vote_rows SET origin = ':5' WHERE id = "
                                         "(SELECT MIN(id) FROM vote_rows)", True),
    ("vote origin id not a number", "UPDATE vote_rows SET origin = 'abc:1x' WHERE id = "
                                    "(SELECT MIN(id) FROM vote_rows)", True),
    ("vote origin id zero", "UPDATE vote_rows SET origin = 'abc:0' WHERE id = "
                            "(SELECT MIN(id) FROM vote_rows)", True),
    ("vote origin well formed allowed", "UPDATE vote_rows SET origin = 'abc:' || id", False),
]


def _clean_part(folder: Path) -> Path:
    office_path = folder / "office.db"
    office = open_database(office_path)
    demo.generate(office, dossiers=30, seed=1, today=TODAY)
    office.close()
    return make_part(office_path, folder / "clean.db", 1, 1)


@pytest.fixture
def clean_part(tmp_path, monkeypatch, built_once):
    """A part of a 30-dossier demo office, built once a module: each test its own copy."""
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    return copied(built_once("clean part", _clean_part), tmp_path)


def _python_verdict(part: Path, units: set, procedures: set) -> str | None:
    """What the existing path's checks say of the part's records, read as a package holds them."""
    conn = sqlite3.connect(part)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM dossiers ORDER BY id")]
        for record in records.dossier_records(conn, ids, False):
            checks.code_of(record)
            checks.check_dossier(record, units, procedures)
        for row in conn.execute(records.VOTES_SQL + " ORDER BY v.id"):
            checks.check_vote(records.vote_record(row), units)
    except checks.BadRecord as exc:
        return str(exc)
    finally:
        conn.close()
    return None


class _Rollback(Exception):
    pass


def _fast_verdict(centre, part: Path) -> tuple[str | None, Copied | None]:
    copied = None
    try:
        with transaction(centre) as conn:
            conn.execute("ATTACH ? AS part", [str(part)])
            catalogue(conn, "part")
            copied = copy_new(conn, "part", now="2025-11-03 09:30:00", fast=True,
                              delta=Counter(), refresh=[])
            raise _Rollback
    except checks.BadRecord as exc:
        return str(exc), None
    except _Rollback:
        return None, copied
    finally:
        centre.conn.execute("DETACH part")


@pytest.mark.parametrize("what,sql,refused", SPOILED, ids=[s[0] for s in SPOILED])
def test_the_copy_refuses_what_the_checks_refuse(clean_part, tmp_path, what, sql, refused):
    part = tmp_path / "spoiled.db"
    shutil.copy(clean_part, part)
    conn = sqlite3.connect(part)
    _spoiling(conn)
    conn.execute(sql)
    conn.commit()
    conn.close()
    centre = open_database(tmp_path / "centre.db")
    units = {r[0] for r in sqlite3.connect(part).execute("SELECT code FROM units")}
    procedures = {r[0] for r in sqlite3.connect(part).execute("SELECT code FROM procedures")}
    theirs = _python_verdict(part, units, procedures)
    assert (theirs is not None) is refused, theirs
    mine, copied = _fast_verdict(centre, part)
    assert (mine is not None) is refused, mine
    if refused:  # the checks' own words, the dossier named
        assert mine is not None and theirs in mine
    else:  # accepted but not in the stored form the copy takes: left to the existing path
        assert copied is not None
        assert copied.dossiers + len(copied.left_dossiers) == 30
        if what == "nothing" or "allowed" in what:
            assert copied.left_dossiers == [] and copied.dossiers == 30
        else:
            assert copied.left_dossiers == [7]
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    centre.close()


@pytest.mark.parametrize("what", [s[0] for s in SPOILED], ids=[s[0] for s in SPOILED])
def test_each_distinct_details_blob_tested_once_gives_each_event_s_verdict(clean_part, tmp_path,
                                                                           monkeypatch, what):
    """The screen tests the part's distinct coded details blobs once (`_blobs_coded`, sixteenth
    round) and, when every one passes, not each event's again: the same dossiers and votes
    flagged as when every event's blob is tested, for every spoiled form; and `_blobs_coded`
    says a part holds a blob `_coded_ok` refuses exactly when an event's, tested alone, is."""
    part = _spoiled(clean_part, tmp_path, what)
    conn = partdb.read_only(str(part))
    try:
        words = screening._word_test(conn, "main")
        refused = conditions._refused(conditions._coded_ok("e.details", words))  # NULL too
        alone = conn.execute(f"SELECT 1 FROM event_rows e WHERE typeof(e.details) = 'blob' AND "
                             f"{refused} LIMIT 1", conditions.params()).fetchone()
        assert conditions._blobs_coded(conn, "main", words) is (alone is None)
        once = screening._screen_part(conn, "main")
        monkeypatch.setattr(screening, "_blobs_coded", lambda *args: False)
        every = screening._screen_part(conn, "main")
    finally:
        conn.close()
    assert (once.dossiers, once.votes) == (every.dossiers, every.votes)


def test_spoiled_blobs_are_among_the_forms_screened(clean_part, tmp_path):
    """(The test above meets parts where some blob fails and parts where none does.)"""
    verdicts = set()
    for what in ("nothing", "event details a raw blob",
                 "event details coded, unreadable JSON (read as none)"):
        conn = partdb.read_only(str(_spoiled(clean_part, tmp_path, what)))
        try:
            verdicts.add((what, conditions._blobs_coded(conn, "main",
                                                      screening._word_test(conn, "main"))))
        finally:
            conn.close()
    assert verdicts == {("nothing", True), ("event details a raw blob", False),
                        ("event details coded, unreadable JSON (read as none)", False)}


# ----- what is left to the existing path; a cancel ---------------------------------------------
def test_codes_the_centre_holds_are_left_with_their_votes(clean_part, tmp_path):
    """The same part twice: the second time every code is held, so nothing is copied and every
    dossier and vote is left to the existing path (compare.classify: identical), in part order."""
    centre = open_database(tmp_path / "centre.db")
    first = merge_parts(centre, [clean_part])[0]
    assert first.dossiers == 30 and not first.left_dossiers and not first.left_votes
    votes = centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0]
    assert first.votes == votes > 0
    head = chain.head(centre.conn)
    _, again = _fast_verdict(centre, clean_part)
    assert again is not None
    assert again.dossiers == again.votes == 0 and again.first_id is None
    assert again.left_dossiers == list(range(1, 31))
    assert again.left_votes == [r[0] for r in sqlite3.connect(clean_part).execute(
        "SELECT id FROM vote_rows ORDER BY id")]
    assert chain.head(centre.conn) == head
    centre.close()


def test_a_cancel_writes_nothing_and_stops_the_second_process(offices, tmp_path):
    _packages, parts = offices
    centre = open_database(tmp_path / "centre.db")
    calls = []

    def progress(done, total):
        calls.append(done)
        return len(calls) < 12  # in the second part

    with pytest.raises(InterruptedError):
        merge_parts(centre, parts, progress=progress, processes=True)
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert centre.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    assert chain.head(centre.conn) is None
    assert not multiprocessing.active_children()
    assert merge_parts(centre, parts)[2].dossiers == 400  # and it can be done again
    centre.close()


def _spoiled(clean_part: Path, tmp_path: Path, what: str) -> Path:
    sql = next(sql for name, sql, _refused in SPOILED if name == what)
    part = tmp_path / "spoiled.db"
    shutil.copy(clean_part, part)
    conn = sqlite3.connect(part)
    _spoiling(conn)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return part


def test_the_second_process_ahead_of_the_screen(clean_part, tmp_path):
    """The second process hashes a part's events before the screen has read them: a row it
    cannot hash leaves the verdict to the screen (the checks' words), and a dossier the judge
    leaves besides the codes held has the chain asked for again without it."""
    centre = open_database(tmp_path / "centre.db")
    bad = _spoiled(clean_part, tmp_path, "event details a raw blob")
    with pytest.raises(checks.BadRecord, match="hồ sơ .*: một sự kiện trong lịch sử"):
        merge_parts(centre, [bad], processes=True)
    assert centre.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    left = _spoiled(clean_part, tmp_path, "event moment kept as text (readable)")
    with pytest.raises(ValueError, match="1 dossiers and 0 votes left"):  # merge_parts refuses
        merge_parts(centre, [left], processes=True)                      # what is left
    with Copier(centre.conn, delta=Counter(), refresh=[], processes=True) as copier:
        centre.conn.execute("ATTACH ? AS part", [str(left)])
        with transaction(centre) as conn:
            catalogue(conn, "part")
            copied = copier.copy("part", now="2025-11-03 09:30:00", fast=False)
            copier.finish()
    centre.conn.execute("DETACH part")
    assert copied.left_dossiers == [7] and copied.dossiers == 29
    assert all(f.ok for f in audit_findings(centre)), [f.text for f in audit_findings(centre)
                                                        if not f.ok]
    centre.close()


def test_progress_rises_to_the_part_s_dossiers(clean_part, tmp_path):
    centre = open_database(tmp_path / "centre.db")
    calls: list[tuple[int, int]] = []
    with transaction(centre) as conn:
        conn.execute("ATTACH ? AS part", [str(clean_part)])
        catalogue(conn, "part")
        copy_new(conn, "part", now="2025-11-03 09:30:00", fast=True, delta=Counter(),
                 refresh=[], progress=lambda done, total: calls.append((done, total)))
    centre.conn.execute("DETACH part")
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    assert calls[-1] == (30, 30) and len(calls) == 7
    centre.close()


def test_a_part_in_a_folder_named_with_uri_signs(clean_part, tmp_path):
    """The part's own connections (the judge, the second process) open it by a URI: a '#' or
    a '?' in a folder's name stays part of the path."""
    folder = tmp_path / "gói #3 ?tháng 11"
    folder.mkdir()
    part = folder / "rows.motcua"
    shutil.copy(_spoiled(clean_part, tmp_path, "due time beyond year 9999 (read as none)"), part)
    centre = open_database(tmp_path / "centre.db")
    _, copied = _fast_verdict(centre, part)
    assert copied is not None and copied.left_dossiers == [7] and copied.dossiers == 29
    centre.close()


# ----- a procedure's same-day cut-off in the part's catalogue ----------------------------------
# (what is spoiled, SQL run on the part, the value named when refused, None when accepted). The
# catalogue is merged before the copy (_Merger._catalogue, bench's `catalogue`): each checked by
# checks.check_catalogue on the records a format-3 reader gives (core.exchange.part).
_FIRST = "(SELECT MIN(code) FROM procedures)"
_RULE = ("INSERT INTO procedure_rules(procedure_code, valid_from, valid_until, limit_value, "
         "limit_unit, same_day_cutoff, online_level, paper_result) SELECT MIN(code), "
         "'2020-01-01', '2024-01-01', 0, 'same_day', {}, 'none', 0 FROM procedures")
SPOILED_CUTOFFS = [
    ("cut-off 25:99", f"UPDATE procedures SET same_day_cutoff = '25:99' WHERE code = {_FIRST}",
     "'25:99' không đọc được"),
    ("cut-off abc", f"UPDATE procedures SET same_day_cutoff = 'abc' WHERE code = {_FIRST}",
     "'abc' không đọc được"),
    ("cut-off empty", f"UPDATE procedures SET same_day_cutoff = '' WHERE code = {_FIRST}",
     "'' để trống"),
    ("cut-off 24:01", f"UPDATE procedures SET same_day_cutoff = '24:01' WHERE code = {_FIRST}",
     "'24:01' không đọc được"),
    ("cut-off a number (kept as text '1500')",
     f"UPDATE procedures SET same_day_cutoff = 1500 WHERE code = {_FIRST}",
     "'1500' không đọc được"),
    ("cut-off a blob (no value JSON carries)",
     f"UPDATE procedures SET same_day_cutoff = x'31353a3030' WHERE code = {_FIRST}",
     "có giá trị sai kiểu (dữ liệu nhị phân)"),
    ("cut-off of a dated rule 25:99", _RULE.format("'25:99'"),
     "quy định áp dụng từ 2020-01-01: giờ chốt trả trong ngày '25:99' không đọc được"),
    ("cut-off 24:00 of an older version (kept)",
     f"UPDATE procedures SET same_day_cutoff = '24:00' WHERE code = {_FIRST}", None),
    ("cut-off 9:30 as an older version wrote it (kept)",
     f"UPDATE procedures SET same_day_cutoff = '9:30' WHERE code = {_FIRST}", None),
    ("cut-off 18:00, after office hours (kept)",
     f"UPDATE procedures SET same_day_cutoff = '18:00' WHERE code = {_FIRST}", None),
    ("cut-off 24:00 of a dated rule (kept)", _RULE.format("'24:00'"), None),
]


def _python_catalogue_verdict(part: Path) -> str | None:
    from core.exchange.part import catalogue_records
    conn = sqlite3.connect(part)
    try:
        for record in catalogue_records(conn, "procedures.jsonl"):
            checks.check_catalogue(record, records.PROCEDURE_COLUMNS, "code")
    except checks.BadRecord as exc:
        return str(exc)
    finally:
        conn.close()
    return None


@pytest.mark.parametrize("what,sql,named", SPOILED_CUTOFFS, ids=[s[0] for s in SPOILED_CUTOFFS])
def test_a_cutoff_in_the_part_s_catalogue_gets_the_checks_verdict(clean_part, tmp_path, what,
                                                                   sql, named):
    part = tmp_path / "spoiled.db"
    shutil.copy(clean_part, part)
    conn = sqlite3.connect(part)
    _spoiling(conn)
    conn.execute(sql)
    first, name, stored = conn.execute("SELECT code, name, same_day_cutoff FROM procedures "
                                       "ORDER BY code LIMIT 1").fetchone()
    conn.commit()
    conn.close()
    theirs = _python_catalogue_verdict(part)
    centre = open_database(tmp_path / "centre.db")
    mine, copied = _fast_verdict(centre, part)
    assert mine == theirs
    if named is None:
        assert theirs is None and copied is not None and copied.dossiers == 30
    else:  # the procedure, its name and the value named; nothing written
        assert theirs is not None and named in theirs
        assert "blob" in what or f"thủ tục {first!r} ({name})" in theirs
    assert centre.execute("SELECT COUNT(*) FROM procedures").fetchone()[0] == 0
    centre.close()
    if named is None and "rule" not in what:  # kept as the sender stored it
        merged = open_database(tmp_path / "merged.db")
        merge_parts(merged, [part])
        assert merged.execute("SELECT same_day_cutoff FROM procedures WHERE code = ?",
                              [first]).fetchone()[0] == stored
        merged.close()


def test_the_kept_facts_marks_are_summed_once_and_forgotten(offices, tmp_path):
    """The kpi marks of kept facts are summed where the facts are read (facts_job._MARKS, per
    operation) and handed over once at the end: the merged kpi_daily is the records' way's
    (test above), and nothing stays behind in this process, whether the operation ended or
    was cancelled after its facts were read."""
    _packages, parts = offices
    centre = open_database(tmp_path / "centre.db")
    merge_parts(centre, parts, processes=False)
    assert facts_job._MARKS == {}
    assert centre.execute("SELECT SUM(recv_direct_postal) FROM kpi_daily").fetchone()[0] > 0
    again = open_database(tmp_path / "again.db")
    with pytest.raises(InterruptedError), Copier(again.conn, delta=Counter(), refresh=[],
                                                 processes=False) as copier:
        again.conn.execute("ATTACH ? AS part", [str(parts[0])])
        with transaction(again) as conn:
            catalogue(conn, "part")
            copier.copy("part", now="2025-11-03 09:30:00", fast=True)
            copier.flush()  # the facts job given (here: run when asked for)
            copier.pending[0][1].get()  # the facts read (and their marks summed) here
            assert list(facts_job._MARKS.values())[0]
            raise InterruptedError("import cancelled")
    again.conn.execute("DETACH part")
    assert facts_job._MARKS == {}
    centre.close()
    again.close()


def test_jobs_kept_for_later_never_go_before_a_chain_asked_for(tmp_path):
    """The facts jobs (`later`) wait while the second process is behind with the chains the
    main process waits for: one is given each time a chain was ready before it was asked for
    (`spare`), the rest at the end of the parts (`flush`), none by `start`."""
    with Copier(None, delta=Counter(), refresh=[], processes=False) as copier:
        kept = [copier.later(str, n) for n in range(3)]
        copier.start(int)
        copier.spare(False)
        assert [k.result for k in kept] == [None, None, None]
        copier.spare(True)
        assert kept[0].get() == "0" and kept[1].result is None
        copier.flush()
        assert [k.get() for k in kept] == ["0", "1", "2"] and copier.waiting == []


def test_keys_piled_up_are_not_given_all_at_once(tmp_path):
    """Search keys (rank 0) kept while the second process was behind are given two at a time
    (`spare`, SPARE_MOST): the next chain, asked just before, waits behind at most two jobs
    (chain14: five at once, 0.5–0.7 s, before), the rest given at the next spare or the end."""
    with Copier(None, delta=Counter(), refresh=[], processes=False) as copier:
        facts = copier.later(str, "facts")
        keys = [copier.later(str, n, rank=0) for n in range(4)]
        copier.spare(True)
        assert [k.result is not None for k in keys] == [True, True, False, False]
        assert facts.result is None
        copier.spare(True)
        assert [k.result is not None for k in keys] == [True] * 4 and facts.result is None
        copier.spare(True)
        assert facts.get() == "facts" and copier.waiting == []


def test_the_built_program_has_its_second_process_too(monkeypatch):
    """The built program (PyInstaller) spawns itself as the second process (main.py's
    freeze_support; its selftest proves the round trip on the built program, and a merge of
    3 x 20,000 by the built MotCua-console ran with it, docs/speed.md eleventh round): frozen
    or not, a big operation's Copier uses one."""
    from core import paths
    monkeypatch.setattr(paths, "is_frozen", lambda: True)
    assert Copier(None, delta=Counter(), refresh=[]).processes is True
    assert Copier(None, delta=Counter(), refresh=[], processes=False).processes is False


# ----- the main process's SQL (twelfth round) ---------------------------------------------------
def test_walk_in_votes_a_stored_one_matches_are_left_beside_new_dossiers(clean_part, tmp_path):
    """A part bringing new dossiers AND walk-in votes the centre holds already (an installation
    sending some of last month's rows again): those votes are left to the existing path, which
    counts them identical (or cancels the stored one); not dropped unseen (a walk-in vote's NULL
    dossier_id made the old test NULL: neither copied nor left)."""
    centre = open_database(tmp_path / "centre.db")
    merge_parts(centre, [clean_part])
    again = tmp_path / "again.db"
    shutil.copy(clean_part, again)
    conn = sqlite3.connect(again)
    conn.create_function("motcua_search_key", 6, lambda *values: "")  # the part's index: unread
    conn.execute("UPDATE dossier_rows SET code = code || 'N'")  # new dossiers, same walk-ins
    walk_ins = [r[0] for r in conn.execute("SELECT id FROM vote_rows WHERE dossier_id IS NULL "
                                           "ORDER BY id")]
    on_dossiers = conn.execute("SELECT COUNT(*) FROM vote_rows WHERE dossier_id IS NOT NULL"
                               ).fetchone()[0]
    conn.commit()
    conn.close()
    assert walk_ins and on_dossiers
    verdict, copied = _fast_verdict(centre, again)
    assert verdict is None and copied is not None
    assert copied.dossiers == 30 and copied.left_dossiers == []
    assert copied.left_votes == walk_ins
    assert copied.votes == on_dossiers
    centre.close()


def _traced(centre, part: Path) -> list[tuple[str, list[str]]]:
    """Each statement copy_new ran on the centre's connection, with its query plan (asked in
    the same transaction, the temp tables as the copy left them)."""
    ran: list[str] = []
    plans = []
    try:
        with transaction(centre) as conn:
            conn.execute("ATTACH ? AS part", [str(part)])
            catalogue(conn, "part")
            conn.set_trace_callback(ran.append)
            copy_new(conn, "part", now="2025-11-03 09:30:00", fast=True, delta=Counter(),
                     refresh=[])
            conn.set_trace_callback(None)
            for sql in ran:
                if sql.lstrip().upper().startswith(("SELECT", "INSERT", "WITH")):
                    plans.append((sql, [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]))
            raise _Rollback
    except _Rollback:
        pass
    finally:
        centre.conn.set_trace_callback(None)
        centre.conn.execute("DETACH part")
    return plans


def test_each_code_of_a_part_is_looked_up_once(clean_part, tmp_path):
    """The part's codes are looked up in the centre's code index by one statement (the codes
    held, before the screen); the map of the dossiers to copy is made from that list, not by
    looking every code up again (docs/speed.md, twelfth round)."""
    centre = open_database(tmp_path / "centre.db")
    merge_parts(centre, [make_part(clean_part, tmp_path / "other.db", 2, 2)])
    plans = _traced(centre, clean_part)
    by_code = [sql for sql, plan in plans
               if any("sqlite_autoindex_dossier_rows_1 (code=?)" in step for step in plan)]
    assert len(by_code) == 1 and "EXISTS" in by_code[0], by_code
    centre.close()


def test_the_votes_look_stored_walk_in_votes_up_once(clean_part, tmp_path):
    """Which of the part's votes are taken is decided by one statement: the stored walk-in
    votes (main.vote_rows by voted_at) are looked up once a walk-in vote, not once for the
    votes left and again for the insert."""
    centre = open_database(tmp_path / "centre.db")
    merge_parts(centre, [make_part(clean_part, tmp_path / "other.db", 2, 2)])
    plans = _traced(centre, clean_part)
    lookups = [sql for sql, plan in plans
               if any("votes_voted (voted_at=?)" in step for step in plan)]
    assert len(lookups) == 1, lookups
    centre.close()


def test_the_screen_stops_at_the_first_check_that_decides(clean_part, tmp_path):
    """The screen's checks are conditions (CASE WHEN), where SQLite stops at the first operand
    of AND/OR that decides, not values (COALESCE), where it evaluated them all: a budget of
    SQLite's VM steps per row read (the old screen took ~205 a row of a 20,000-dossier part,
    this one ~95, and ~140 with the schema's CHECK constraints; measured here on the clean
    part: 222, 111 and 169)."""
    centre = open_database(tmp_path / "centre.db")
    conn = centre.conn
    conn.execute("ATTACH ? AS part", [str(clean_part)])
    with transaction(centre) as writing:
        catalogue(writing, "part")  # its units and procedures known here
    try:
        steps = [0]

        def tick() -> int:
            steps[0] += 1
            return 0

        conn.set_progress_handler(tick, 1)
        assert fastcopy.screen(conn, "part") == ([], [])
        conn.set_progress_handler(None, 0)
        rows = conn.execute("SELECT (SELECT COUNT(*) FROM part.dossier_rows) + (SELECT COUNT(*) "
                            "FROM part.event_rows)").fetchone()[0]
        assert steps[0] / rows < BUDGET_STEPS, steps[0] / rows
    finally:
        conn.set_progress_handler(None, 0)
        conn.execute("DETACH part")
        centre.close()


def _counting(step: str, steps: Counter):
    real = getattr(copy_part._Copy, step)

    def counted(self):
        def tick() -> int:
            steps[step] += 1
            return 0
        self.conn.set_progress_handler(tick, 1)
        try:
            return real(self)
        finally:
            self.conn.set_progress_handler(None, 0)
    return counted


def test_the_copy_evaluates_no_check_the_screen_evaluated(clean_part, tmp_path, monkeypatch):
    """The copy's INSERTs leave the CHECK constraints the screen has evaluated on the part's
    rows (constraints._constraints_bad, _checks_proven): a budget of SQLite's VM steps per row
    the dossiers' and the children's steps write, their ledger read back included (measured
    on the clean part: 222 a row with the CHECKs, 163 without: an IN list of a CHECK is a
    table made anew every row); the setting as it was after the copy, and after a copy that
    fails."""
    centre = open_database(tmp_path / "centre.db")
    conn = centre.conn
    steps: Counter = Counter()
    for step in ("dossiers", "children"):
        monkeypatch.setattr(copy_part._Copy, step, _counting(step, steps))
    verdict, copied = _fast_verdict(centre, clean_part)
    assert verdict is None and copied is not None and copied.dossiers == 30
    rows = sum(sqlite3.connect(clean_part).execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
               for table in ("dossier_rows", "supplements", "extensions", "payment_rows",
                             "dossier_components", "complaints"))
    assert (steps["dossiers"] + steps["children"]) / rows < CHECKS_BUDGET, (steps, rows)
    assert conn.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0

    def failing(self, *args):
        raise InterruptedError("import cancelled")

    monkeypatch.setattr(copy_part._Copy, "votes", failing)
    with pytest.raises(InterruptedError):
        _fast_verdict(centre, clean_part)
    assert conn.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0
    centre.close()


def test_the_screen_reads_every_check_constraint_of_the_tables_the_copy_writes(tmp_path):
    """constraints.checks_of finds each CHECK of a CREATE TABLE as written, and none in quoted
    text; for the tables the copy writes, as many as the schema's text says."""
    assert constraints.checks_of(
        "CREATE TABLE t (a TEXT CHECK (a IN ('x)', 'CHECK (y)')), \"check\" INT, b INT "
        "CHECK(b >= (1 + 1)), c TEXT DEFAULT 'check (z)' CHECK ( c <> ')' ))") == (
        "a IN ('x)', 'CHECK (y)')", "b >= (1 + 1)", "c <> ')'")
    part_module.create(tmp_path / "p.db")
    part = sqlite3.connect(tmp_path / "p.db")
    try:
        for table, _owner in constraints.WRITTEN:
            sql = part.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
            found = constraints.checks_of(sql)
            assert len(found) == sql.upper().count("CHECK"), table
            for expression in found:  # each an expression of the table's columns
                part.execute(f"SELECT ({expression}) FROM {table}").fetchall()
    finally:
        part.close()


def test_the_checks_the_screen_proves_are_the_schema_s_own(tmp_path):
    """constraints.implied names CHECK expressions exactly as the schema writes them (one written
    otherwise would be evaluated again: correct, the saving lost), and the constraints left
    to evaluate still name the columns whose class the screen does not prove."""
    part_module.create(tmp_path / "p.db")
    part = sqlite3.connect(tmp_path / "p.db")
    try:
        for table, proven in constraints.implied().items():
            sql = part.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
            assert proven <= set(constraints.checks_of(sql)), table
        dossiers, votes = constraints._constraints_bad(part, "main")
    finally:
        part.close()
    assert votes == "SELECT 0 WHERE 0"  # every CHECK of vote_rows proven by the votes' screen
    left = next(sql for sql in dossiers if " main.dossier_rows " in sql)
    assert "result_delivery IN" in left and 'typeof(t."digitised")' in left
    assert "status IN" not in left and "typeof(t.\"due_at\")" not in left
    assert not any(" main.payment_rows " in sql for sql in dossiers)


def test_the_blob_scan_costs_one_comparison_a_value(clean_part):
    """core.exchange.part._no_blobs (the opening of every format-3 part) tests each value with
    `>= x''`, not typeof(…) = 'blob': a budget of SQLite's VM steps per value read (measured on
    the clean part: 2.3 with the comparison, 3.4 with typeof)."""
    conn = sqlite3.connect(clean_part)
    try:
        values = sum(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] * len(
            [r for r in conn.execute(f'PRAGMA table_info("{table}")')
             if (table, r[1]) not in part_module.BLOB_COLUMNS])
            for table in (*part_module.CATALOGUE, "dossier_rows", *part_module.CHILDREN,
                          "vote_rows"))
        steps = [0]

        def tick() -> int:
            steps[0] += 1
            return 0

        conn.set_progress_handler(tick, 1)
        checking._no_blobs(conn)
        conn.set_progress_handler(None, 0)
        assert steps[0] / values < BLOB_BUDGET, steps[0] / values
    finally:
        conn.close()
