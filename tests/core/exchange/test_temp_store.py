"""The merge's temporary store (issue 16 §3, twenty-third round): the dossiers' indexes made
again at the end of the bulk path sort with SQLite's temporary store in a file (packed runs,
~40 % less CPU than in memory at a million dossiers, docs/speed.md), set before the merge's
transaction (SQLite refuses it inside one) and given back afterwards, and a merge that fails
after those builds still leaves the centre exactly as it was."""
from __future__ import annotations

import contextlib
import sqlite3

import pytest

from core.bulk import droppable_indexes
from core.database import open_database
from core.exchange import bulk, merge
from core.exchange.merge import import_packages
from db import fulltext
from tests.core.exchange.test_bulk import content, copy_of
from tests.core.exchange.test_many import indexes, packages  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("package_format")

MEMORY, FILE = 2, 1


def watched_builds(monkeypatch, conn) -> list:
    """The bulk path's index builds watched: the temporary store read on the merge's
    connection as they begin (inside its transaction), once they are made."""
    seen: list = []
    real = bulk.without_indexes

    @contextlib.contextmanager
    def watched(inner, tables, partial=True):
        with real(inner, tables, partial):
            yield
            seen.append(("builds", inner.execute("PRAGMA temp_store").fetchone()[0],
                         inner.in_transaction))
        seen.append(("made", len(droppable_indexes(inner, tables, partial))))
    monkeypatch.setattr(bulk, "without_indexes", watched)
    return seen


@pytest.mark.parametrize("was", [0, MEMORY], ids=["default", "memory"])
def test_the_indexes_are_made_again_with_the_temporary_store_in_a_file(packages, tmp_path,  # noqa: F811
                                                                       monkeypatch, was):
    centre, files = packages
    db = copy_of(centre, tmp_path, "merged")
    db.conn.execute(f"PRAGMA temp_store = {was}")
    seen = watched_builds(monkeypatch, db.conn)
    batch = import_packages(db, files, bulk=True)
    assert batch.written and batch.bulk
    # the seven indexes dropped, made again inside the merge's transaction, the store a file
    assert seen == [("builds", FILE, True), ("made", 7)]
    assert db.conn.execute("PRAGMA temp_store").fetchone()[0] == was  # given back
    assert fulltext.is_intact(db.conn)
    db.close()


def test_a_merge_cancelled_after_the_builds_leaves_the_centre_as_it_was(packages, tmp_path,  # noqa: F811
                                                                       monkeypatch):
    """The clerk's Huỷ heard after the indexes were made again (the bar at 100 %): the rows,
    the indexes, the search index, all as before, and the connection's setting given back."""
    centre, files = packages
    monkeypatch.setattr(merge.batches, "BATCH", 1)
    db = copy_of(centre, tmp_path, "merged")
    db.conn.execute(f"PRAGMA temp_store = {MEMORY}")
    before, shape = content(db), indexes(db)
    seen = watched_builds(monkeypatch, db.conn)
    with pytest.raises(InterruptedError):
        import_packages(db, files, bulk=True, progress=lambda done, total: not seen)
    assert seen == [("builds", FILE, True), ("made", 7)]
    assert content(db) == before
    assert indexes(db) == shape
    assert fulltext.is_intact(db.conn)
    assert db.conn.execute("PRAGMA temp_store").fetchone()[0] == MEMORY
    db.close()


def test_the_merge_s_own_error_is_what_propagates_when_the_store_cannot_be_given_back(
        tmp_path):
    """review23 L1: a merge failing with its transaction still open on the temporary file (its
    ROLLBACK failed on an I/O error) — SQLite refuses the temporary store's switch back. The
    merge's own error, already worded for the clerk, still propagates (not SQLite's "cannot
    be changed from within a transaction"), and the page cache is given back all the same."""
    db = open_database(tmp_path / "centre.db")
    conn = db.conn
    conn.execute("PRAGMA cache_size = -4000")
    conn.execute(f"PRAGMA temp_store = {MEMORY}")
    with pytest.raises(ValueError, match="the merge's own error"):
        with bulk.big_cache(db):
            conn.execute("BEGIN")
            conn.execute("CREATE TEMP TABLE held(x)")  # its temporary file open in it
            raise ValueError("the merge's own error")
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -4000
    conn.execute("ROLLBACK")
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == FILE  # (SQLite refused)
    conn.execute(f"PRAGMA temp_store = {MEMORY}")
    # with nothing failing, SQLite's refusal is not hidden
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        with bulk.big_cache(db):
            conn.execute("BEGIN")
            conn.execute("CREATE TEMP TABLE held(x)")
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -4000
    conn.execute("ROLLBACK")
    db.close()

