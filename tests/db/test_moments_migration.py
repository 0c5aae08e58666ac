"""Schema 19 (issue 18, size): the facts leave out "hz" and "fd" when the dossier's row gives them
(calc_due_at, the day of finished_at; db.facts_codec). A real file of the schema before, made
by the demo, upgrades with every figure, list behind a figure, the 766 lists, `kpi --json` and
`check` answering exactly as before; a cancelled upgrade leaves it as it was; a row whose
finish or due time changes before its facts are computed again keeps kpi_daily right (the
trigger dossiers_facts_origin)."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from core import demo, dossiers, facts
from core.calendar import load_calendar
from core.database import _first_contents, open_database, start_ledger
from core.maintenance import check, check_database
from db import facts_codec, schema
from db.connection import connect, transaction
from main import main
from tests.core.factories import add_dossier, add_procedures, add_units
from tests.db.older import facts_before_19, keys_stored
from tests.db.test_compact_migration import PERIODS, _figures

BEFORE = schema.MIGRATIONS.index(schema.MOMENTS)  # the schema before (18 when written)


def _older_file(path) -> None:
    """A demo as the schema before stored it: "hz" always, "fd" whenever not null."""
    db = connect(path)
    schema.migrate(db, target=BEFORE)
    _first_contents(db)
    start_ledger(db)
    demo.generate(db, dossiers=800, seed=5, today=dt.date(2026, 11, 30))
    with transaction(db) as conn:
        facts_before_19(conn)  # the demo of this version wrote the new form
        conn.execute("UPDATE settings SET value = '0' WHERE key = 'kpi_stale'")
        keys_stored(conn)
    db.close()


@pytest.fixture
def older(db_path):
    _older_file(db_path)
    db = connect(db_path)  # read as it is, without upgrading it
    try:
        before = _figures(db)
        texts = dict(db.execute("SELECT id, facts FROM dossiers"))
    finally:
        db.close()
    assert all('"hz"' in text for text in texts.values())  # the older form indeed
    return db_path, before, texts


def test_the_upgrade_keeps_every_figure_and_leaves_the_moments_out(older, capsys):
    path, before, texts = older
    told: list[tuple[int, int]] = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        after = _figures(db)
        stored = dict(db.execute("SELECT id, facts FROM dossiers"))
        trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = "
                             "'dossiers_facts_origin'").fetchone()[0]
    finally:
        db.close()
    assert before["sums"] and after == before
    assert (800, 800) in told and (0, 0) in told  # the long step, then the VACUUM
    left_out = {key: sum(key not in json.loads(text) for text in stored.values())
                for key in ("hz", "fd")}
    assert min(left_out.values()) > 0.8 * len(stored), left_out
    assert sum(map(len, stored.values())) < sum(map(len, texts.values())) - 30 * len(stored)
    assert "calc_due_at" in trigger and "finished_at" in trigger
    assert list(Path(path).parent.glob(f"{Path(path).name}.v{BEFORE}-*.bak"))
    assert [f.text for f in check_database(path) if not f.ok] == []
    start, end = PERIODS[0]
    capsys.readouterr()
    assert main(["--db", str(path), "kpi", "--from", start.isoformat(), "--to", end.isoformat(),
                 "--as-of", f"{end.isoformat()} 23:00", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(before[("kpi", start)], ensure_ascii=False))


def test_a_cancelled_upgrade_changes_nothing(older):
    path, _, texts = older
    with pytest.raises(InterruptedError):
        open_database(path, progress=lambda done, total: False)  # "Huỷ" at the first report
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert dict(conn.execute("SELECT id, facts FROM dossiers")) == texts
        assert "'$.hz'" not in conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                                            "'dossiers_facts_origin'").fetchone()[0]
    finally:
        conn.close()


# ----- the trigger: a row changed under facts not yet computed again ---------------------------
def _finished(db) -> int:
    add_units(db)
    add_procedures(db)
    dossier_id = add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 9, 0))
    dossiers.finish(db, dossier_id, at=dt.datetime(2025, 3, 5, 10, 0))
    return dossier_id


def _stored(db, dossier_id: int) -> dict:
    return json.loads(db.execute("SELECT facts FROM dossiers WHERE id = ?",
                                 [dossier_id]).fetchone()[0])


def _as_computed(db, dossier_id: int) -> None:
    """The stored due time and facts read back equal what the rules compute now."""
    (item,) = facts.load_inputs(db, [dossier_id])
    row = db.execute(f"SELECT calc_due_at, facts, {facts_codec.origin_columns()} FROM dossiers "
                     "WHERE id = ?", [dossier_id]).fetchone()
    assert (row[0], facts_codec.decode(row[1], *row[2:])) == facts.compute(load_calendar(db), item)


def test_finishing_takes_no_finish_mark_back(db):
    """finish() writes finished_at before the facts are computed again: the open dossier's
    facts (no finish day) must not read as finished that day, or its marks taken back from
    kpi_daily would remove a `closed` it never added."""
    dossier_id = _finished(db)
    assert "fd" not in _stored(db, dossier_id)  # late: "hz" is the finish, stored
    assert check.expected_sums(db) == check.stored_sums(db)
    assert db.execute("SELECT SUM(closed) FROM kpi_daily").fetchone()[0] == 1


def test_a_correction_of_the_finish_takes_the_old_marks_back(db):
    """What an import (or a repair) does: the finish moves, the facts are computed after."""
    dossier_id = _finished(db)
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET finished_at = '2025-03-07 15:00:00', "
                     "calc_due_at = '2025-03-20 17:00:00' WHERE id = ?", [dossier_id])
        kept = _stored(db, dossier_id)
        assert kept["fd"] == "2025-03-05" and kept["hz"] != "2025-03-20 17:00:00"
        facts.refresh(db, [dossier_id])
    assert "fd" not in _stored(db, dossier_id)
    assert check.expected_sums(db) == check.stored_sums(db)
    assert db.execute("SELECT day FROM kpi_daily WHERE closed > 0").fetchall() == [("2025-03-07",)]
    _as_computed(db, dossier_id)


def test_a_reopened_dossier_keeps_its_finish_day_until_computed_again(db):
    dossier_id = _finished(db)
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET status = 'processing', finished_at = NULL WHERE id = ?",
                     [dossier_id])
        assert _stored(db, dossier_id)["fd"] == "2025-03-05"
        facts.refresh(db, [dossier_id])
    assert check.expected_sums(db) == check.stored_sums(db)
    assert db.execute("SELECT COALESCE(SUM(closed), 0) FROM kpi_daily").fetchone()[0] == 0
    _as_computed(db, dossier_id)


def test_an_extension_and_a_new_due_time_keep_the_horizon_right(db):
    """An extension after the facts were computed: the horizon moves past calc_due_at and is
    stored. A corrected due time of an open dossier gives the same text with "hz" left out
    (now meaning the new due): the refresh keeps "hz" in, or the trigger would write the old
    due in as the horizon, and a calendar change after it would miss the dossier."""
    add_units(db)
    add_procedures(db)
    dossier_id = add_dossier(db, code="A", received=dt.datetime(2025, 3, 3, 9, 0))
    assert "hz" not in _stored(db, dossier_id)
    text = _stored(db, dossier_id)
    dossiers.correct_field(db, dossier_id, "due_at", dt.datetime(2025, 3, 5, 16, 0),
                           reason="Hẹn lại")  # the same day: the same overdue span
    assert _stored(db, dossier_id) == {**text, "hz": "2025-03-05 16:00:00"}
    _as_computed(db, dossier_id)
    early = add_dossier(db, code="B", received=dt.datetime(2025, 3, 3, 9, 0),
                        status="done", finished=dt.datetime(2025, 3, 4, 9, 0))
    text = _stored(db, early)  # finished early: the horizon is the due time, left out
    dossiers.correct_field(db, early, "due_at", dt.datetime(2025, 3, 12, 17, 0), reason="Hẹn lại")
    assert _stored(db, early) == {**text, "hz": "2025-03-12 17:00:00"}
    _as_computed(db, early)
    dossiers.extend(db, dossier_id, new_due_at=dt.datetime(2025, 4, 10, 17, 0), reason="Chờ",
                    at=dt.datetime(2025, 3, 20, 9, 0))
    assert _stored(db, dossier_id)["hz"] == "2025-04-10 17:00:00"
    _as_computed(db, dossier_id)
    dossiers.finish(db, dossier_id, at=dt.datetime(2025, 4, 2, 10, 0))
    assert check.expected_sums(db) == check.stored_sums(db)
    _as_computed(db, dossier_id)


def test_a_package_carries_the_moments_the_row_gives(db):
    """Exchange packages (spec 9) carry the full form whatever the sender stores: "hz" and
    "fd" put back from the row (core.exchange.records)."""
    from core.exchange.records import dossier_records
    dossier_id = _finished(db)
    stored = _stored(db, dossier_id)
    assert "fd" not in stored
    (record,) = dossier_records(db.conn, [dossier_id])
    (item,) = facts.load_inputs(db, [dossier_id])
    assert json.loads(record["derived"][1]) == facts.compute(load_calendar(db), item)[1]
    assert json.loads(record["derived"][1])["fd"] == "2025-03-05"
