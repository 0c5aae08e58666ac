"""db.connection.joined: the caller's transaction joined as it is (no savepoint), or a
transaction of its own when there is none (core.facts.refresh and rebuild_all run in it)."""
from __future__ import annotations

import pytest

from db.connection import joined, transaction


def _statements(db) -> list[str]:
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    return seen


def _value(db):
    row = db.execute("SELECT value FROM settings WHERE key = 'joined_test'").fetchone()
    return None if row is None else row[0]


def _put(conn, value: str) -> None:
    conn.execute("INSERT INTO settings(key, value) VALUES ('joined_test', ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [value])


def test_alone_it_is_a_transaction_of_its_own(db):
    seen = _statements(db)
    with joined(db) as conn:
        _put(conn, '"a"')
    assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT"
    assert _value(db) == '"a"'
    with pytest.raises(RuntimeError), joined(db) as conn:
        _put(conn, '"b"')
        raise RuntimeError("stop")
    assert _value(db) == '"a"'  # rolled back whole


def test_inside_a_transaction_it_opens_no_savepoint_and_fails_with_it(db):
    seen = _statements(db)
    with pytest.raises(RuntimeError), transaction(db) as outer:
        _put(outer, '"a"')
        with joined(db) as conn:
            assert conn is outer
            _put(conn, '"b"')
            raise RuntimeError("stop")
    assert not any(sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")) for sql in seen)
    assert _value(db) is None  # the caller's rollback took both
    with transaction(db) as outer:
        with joined(db) as conn:
            _put(conn, '"c"')
            with transaction(db) as inner:  # a nested transaction inside still has its own
                _put(inner, '"d"')
    assert _value(db) == '"d"'
