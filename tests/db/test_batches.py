"""db.batches: a list of ids asked of SQLite in slices of 500 (under the 999 variables a build may allow)."""
from __future__ import annotations

import sqlite3

import pytest

from db.batches import CHUNK, in_chunks, marks, rows_in


@pytest.mark.parametrize(("count", "sizes"), [(0, []), (1, [1]), (500, [500]), (501, [500, 1]),
                                              (1001, [500, 500, 1])])
def test_slices_of_at_most_500_cover_the_list_in_order(count, sizes):
    items = list(range(count))
    chunks = list(in_chunks(items))
    assert [len(chunk) for chunk in chunks] == sizes
    assert [item for chunk in chunks for item in chunk] == items
    assert CHUNK == 500


def test_marks_are_one_question_mark_an_item():
    assert marks([7, 8, 9]) == "?,?,?"
    assert marks([]) == ""


@pytest.mark.parametrize("count", [0, 500, 501, 1001])
def test_rows_in_runs_one_statement_a_slice_and_yields_every_row(count):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"{{n{i}}}") for i in range(1200)])
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    ids = list(range(count - 1, -1, -1))  # the slices' order kept, not the table's
    rows = list(rows_in(conn, "SELECT id, note FROM t WHERE id IN ({marks}) "
                              "AND note LIKE '{%}' ORDER BY id DESC", ids))
    assert [row[0] for row in rows] == ids
    assert rows[:1] == ([(count - 1, f"{{n{count - 1}}}")] if count else [])
    assert len(statements) == -(-count // 500)  # none for an empty list
    assert all(statement.count("?") <= 500 for statement in statements)


def test_old_sqlite_variable_limit_is_never_reached():
    """A build that allows 999 variables (the default before 3.32): 1,001 ids are asked in three."""
    conn = sqlite3.connect(":memory:")
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1001)])
    assert len(list(rows_in(conn, "SELECT id FROM t WHERE id IN ({marks})", list(range(1001))))) \
        == 1001
    with pytest.raises(sqlite3.OperationalError):
        conn.execute(f"SELECT id FROM t WHERE id IN ({marks(range(1001))})", list(range(1001)))
