"""The provincial set's scratch database keeps no rollback journal (core.reconcile.scratch).

An in-memory database journals in memory, and SQLite walks that statement journal from its
start each time a statement inside a savepoint ends: the import recomputes its figures in a
savepoint of its transaction (core.facts.refresh, or rebuild_all for a file that is most of
the set), so every UPDATE there cost as much as all the pages changed before it, and a file of
160,000 rows took four minutes instead of one. No timing here: the mode the figures are
recomputed under is read where they are recomputed, in the real reconciliation."""
from __future__ import annotations

import pytest

from core import facts
from core.errors import OperationError
from core.reconcile import reconcile
from core.reconcile.scratch import scratch_database
from tests.core.reconcile.test_reconcile import FIRST, LAST, office, province_file  # noqa: F401


def _spy(monkeypatch) -> list[tuple[str, int]]:
    """(journal mode, transaction depth) of every refresh of figures with dossiers in a
    reconciliation (a new in-memory database also rebuilds its empty figures once)."""
    seen: list[tuple[str, int]] = []
    for name in ("refresh", "rebuild_all"):
        real = getattr(facts, name)

        def spy(db, *args, _real=real, **kwargs):
            if db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]:
                seen.append((db.execute("PRAGMA journal_mode").fetchone()[0], db.conn.depth))
            return _real(db, *args, **kwargs)
        monkeypatch.setattr(facts, name, spy)
    return seen


def test_the_figures_of_the_provincial_set_are_recomputed_without_a_journal(
        office, province_file, monkeypatch):  # noqa: F811
    seen = _spy(monkeypatch)
    result = reconcile(office, province_file, FIRST, LAST)
    assert result.ok and result.pairs
    # the import's refresh (inside its transaction) and the missing dossiers' copy
    assert len(seen) >= 2
    assert {mode for mode, _ in seen} == {"off"}
    assert any(depth > 0 for _, depth in seen)  # the case that was quadratic: in a savepoint


def test_the_scratch_database_alone_keeps_no_journal(office):  # noqa: F811
    temp = scratch_database(office)
    try:
        assert temp.execute("PRAGMA journal_mode").fetchone()[0] == "off"
    finally:
        temp.close()
    # the live database keeps its own (WAL): only the throw-away copy goes without
    assert office.execute("PRAGMA journal_mode").fetchone()[0] != "off"


def test_a_cancelled_reconciliation_still_leaves_the_live_database_as_it_was(
        office, province_file):  # noqa: F811
    """Without a journal the scratch database cannot roll back; it is thrown away instead."""
    before = office.execute("SELECT COUNT(*), SUM(length(facts)) FROM dossiers").fetchone()
    with pytest.raises(OperationError):
        reconcile(office, province_file, FIRST, LAST, progress=lambda done, total: done < 80)
    assert office.execute("SELECT COUNT(*), SUM(length(facts)) FROM dossiers").fetchone() == before
    assert reconcile(office, province_file, FIRST, LAST).ok  # and a new one works
