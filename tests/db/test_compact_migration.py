"""Schema 14 (issue 18, size): a schema-13 file, its facts in the full form that version wrote,
opens, is copied aside, gets its facts in the compact form (db.facts_codec) and loses the index
that another one contains; every figure, every list behind a figure, `kpi --json`, the 766
figures and `check` answer exactly as before."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from core import demo, indicators
from core.database import _first_contents, open_database, start_ledger
from core.indicators.drill import DOSSIER_FIGURES, dossiers_behind
from core.indicators.i766_drill import FIGURES, dossiers_behind_766
from core.maintenance import check, check_database
from db import facts_codec, schema
from db.connection import connect, transaction
from main import main
from tests.db.older import keys_stored, rows_in_seconds

BEFORE = schema.MIGRATIONS.index(schema.COMPACT)  # schema 13
TODAY = dt.date(2026, 11, 30)
PERIODS = ((dt.date(2026, 1, 1), dt.date(2026, 10, 31)), (dt.date(2026, 9, 1), dt.date(2026, 9, 30)))
POLICIES = [{"supplement": s, "due_basis": b}
            for s in ("pause", "restart") for b in ("original", "extended")]


def _schema_13(path) -> None:
    """A demo as schema 13 stored it: every facts with all its keys."""
    db = connect(path)
    schema.migrate(db, target=BEFORE)
    _first_contents(db)
    start_ledger(db)
    demo.generate(db, dossiers=800, seed=4, today=TODAY)
    with transaction(db) as conn:
        conn.create_function("full_facts", 5, facts_codec.full_text)
        conn.execute(f"UPDATE dossiers SET facts = full_facts(facts, "
                     f"{facts_codec.origin_columns()})")
        # as a file schema 13 has opened once: its sums built (the demo wrote them)
        conn.execute("UPDATE settings SET value = '0' WHERE key = 'kpi_stale'")
        keys_stored(conn)
    db.close()


def _figures(db) -> dict:
    """Everything read from the stored facts or the sums they made."""
    rows_in_seconds(db.conn)  # read before schema 22 too
    out: dict = {"sums": check.expected_sums(db) == check.stored_sums(db)}
    for start, end in PERIODS:
        as_of = dt.datetime.combine(end, dt.time(23, 0))
        out[("detail", start)] = indicators.compute(db, start, end, as_of=as_of, detail=True)
        out[("kpi", start)] = indicators.compute(db, start, end, as_of=as_of)  # kpi --json
        for policy in POLICIES:
            out[("drill", start, str(policy))] = {
                figure: dossiers_behind(db, figure, start, end, policy=policy, moment=as_of)
                for figure in DOSSIER_FIGURES}
        out[("766", start)] = {figure: dossiers_behind_766(db, figure, start, end, moment=as_of)
                               for figure in FIGURES}
    return out


@pytest.fixture
def older(db_path):
    _schema_13(db_path)
    db = connect(db_path)  # read as it is, without upgrading it
    try:
        before = _figures(db)
        lengths = db.execute("SELECT SUM(length(facts)) FROM dossiers").fetchone()[0]
    finally:
        db.close()
    return db_path, before, lengths


def test_the_upgrade_keeps_every_figure_and_stores_the_facts_compact(older, capsys):
    path, before, full_length = older
    told: list[tuple[int, int]] = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        after = _figures(db)
        compact = db.execute("SELECT SUM(length(facts)) FROM dossiers").fetchone()[0]
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        db.close()
    assert before["sums"] and after == before
    assert compact < 0.4 * full_length
    assert "dossiers_status" not in names and "dossiers_facts_origin" in names
    # the dialog moved with the facts rewritten, then each later long step of the upgrade (the
    # search index filled, the events converted); nothing was rebuilt after the upgrade
    assert told[0] == (0, 1) and told[1] == (800, 800) and told[-1] == (1, 1)
    # (0, 0): the VACUUM after the upgrade is busy (db.vacuum)
    assert (events, events) in told and set(told[1:-1]) == {(800, 800), (events, events), (0, 0)}
    assert list(Path(path).parent.glob(f"{Path(path).name}.v{BEFORE}-*.bak"))
    assert [f.text for f in check_database(path) if not f.ok] == []
    start, end = PERIODS[1]
    capsys.readouterr()
    assert main(["--db", str(path), "kpi", "--from", start.isoformat(), "--to", end.isoformat(),
                 "--as-of", f"{end.isoformat()} 23:00", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(before[("kpi", start)], ensure_ascii=False))


def test_a_cancelled_upgrade_changes_nothing(older):
    path, _, full_length = older
    with pytest.raises(InterruptedError):
        open_database(path, progress=lambda done, total: total == 1)  # "Huỷ" once it counts
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert conn.execute("SELECT SUM(length(facts)) FROM dossiers").fetchone()[0] == full_length
    finally:
        conn.close()
