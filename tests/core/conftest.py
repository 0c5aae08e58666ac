"""After each core test that wrote through the test database, every dossier's stored due time
and facts must equal what the rules compute now, kpi_daily the sums of those facts and the
votes, and the search index exactly the keys computed now (FTS5's integrity-check: a 'delete'
told another text than was indexed, a change the triggers missed): a write that forgot
`core.facts.refresh` or corrupted the index fails the test that made it.

Cheap on purpose: only the `db` fixture's file (the databases the test factories fill), and
not one the test filled beyond SKIP_OVER dossiers (the demo and engine tests, checked by their
own assertions and by `motcua check`).
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from core import facts
from core.calendar import load_calendar
from core.maintenance import check
from db import facts_codec, fulltext, searchtext

SKIP_OVER = 500  # dossiers: ~1 s at most (3.000 take ~6 s on a busy machine)


@pytest.fixture(autouse=True)
def stored_facts_match_the_rules(request, tmp_path):
    yield
    if "db" not in request.fixturenames or request.node.get_closest_marker("facts_may_differ"):
        return
    path = tmp_path / "test.db"  # the `db` fixture's file (tests/conftest.py)
    if path.is_file():
        problems = drift(path)
        assert not problems, "Dữ liệu tính sẵn lệch với hồ sơ (quên facts.refresh?):\n" + \
            "\n".join(problems[:10])


def drift(path: Path) -> list[str]:
    """What differs between the stored derived data of `path` and a recomputation."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        db = sqlite_utils.Database(conn)
        if _unchecked(conn):
            return []
        problems = _dossier_drift(db, conn) + _kpi_drift(db)
    finally:
        conn.close()
    if not _index_intact(path):
        problems.append("chỉ mục tìm kiếm lệch với khoá tìm kiếm tính lại (integrity-check)")
    return problems


def _unchecked(conn: sqlite3.Connection) -> bool:
    """Not a MotCua database, a big one, or one that says itself its sums are to be rebuilt."""
    tables = {row[0] for row in conn.execute(  # `dossiers` is a view since schema 22
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if not {"dossiers", "kpi_daily", "settings"} <= tables:
        return True
    if conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] > SKIP_OVER:
        return True
    stale = conn.execute("SELECT value FROM settings WHERE key = 'kpi_stale'").fetchone()
    return bool(stale and json.loads(stale[0]))


def _dossier_drift(db, conn: sqlite3.Connection) -> list[str]:
    stored = {row[0]: row[1:] for row in conn.execute(
        "SELECT id, code, calc_due_at, facts FROM dossiers")}
    read = {row[0]: row[1:] for row in conn.execute(  # the stored form, db.facts_codec
        f"SELECT id, {facts_codec.origin_columns()} FROM dossiers")}
    if not stored:
        return []
    cal, problems = load_calendar(db), []
    for item in facts.load_inputs(db, sorted(stored)):
        code, due, text = stored[item.id]
        new_due, new_facts = facts.compute(cal, item)
        if text is None or (due, facts_codec.decode(text, *read[item.id])) != (new_due, new_facts):
            problems.append(f"hồ sơ {code}: lưu {due} {text}, tính lại {new_due} {new_facts}")
    return problems


def _index_intact(path: Path) -> bool:
    """FTS5's integrity-check (rank 1: against the computed keys), which changes nothing but
    is asked as an INSERT: a connection that may write, with the key's functions."""
    conn = sqlite3.connect(path, isolation_level=None)
    searchtext.register(conn)
    try:
        return not fulltext.exists(conn) or fulltext.is_intact(conn)
    finally:
        conn.close()


def _kpi_drift(db) -> list[str]:
    expected, stored = check.expected_sums(db), check.stored_sums(db)
    return [f"kpi_daily {key}: lưu {stored[key]}, tính lại {expected[key]}"
            for key in sorted(expected.keys() | stored.keys()) if expected[key] != stored[key]]
