"""Packages of another rules revision, recomputed at the centre (issue 16 §3): the same centre as
packages of this revision leave, the facts computed in the operation's own transaction, never
under a savepoint of their own (db.connection.joined).

On the old code core.facts.refresh (and rebuild_all) opened a savepoint inside the merge's
transaction. SQLite then copied every page the recomputation changed into the savepoint's
sub-journal, in memory under the merge's bulk settings (temp_store = MEMORY); each row's UPDATE
(a statement journal of its own: the dossiers' trigger and CHECKs) copied its page once more and
cut the sub-journal back at its end by walking it from its first KiB. A row cost as much as the
rows before it: 1, 2, 3, 5 × 20,000 dossiers took 3.6, 17, 42, 181 s CPU (docs/speed.md). The
count of the recomputation's UPDATEs run under a savepoint is what these tests watch: every
refreshed dossier on the old code, none now (not a time: the tests time nothing).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from bench.bench_exchange import derive, derive_rows
from core import demo, due, facts, timefmt
from core.database import open_database
from core.exchange import export_package
from core.exchange.merge import import_packages
from tests.core.exchange.test_fastcopy import NOW, TODAY, content
from tests.core.exchange.test_many_parts import _same_centre

GROUP = 3
DOSSIERS = 150  # an office's; a centre merges GROUP × DOSSIERS
UPDATE = "UPDATE dossier_rows SET calc_due_at"  # core.facts._refresh_chunk's


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, list]:
    """What GROUP installations of one office sent for the same work, in formats 2 and 3: made
    by this revision of the time rules ("current"), and the same rows by a program of the
    revision before ("older": its rules fingerprint is not the centre's, so the centre computes
    every dossier again). "calendar": slot 1's package again, with a day off the centre's
    calendar lacks (its due times move: the merge recomputes everything it holds)."""
    folder = tmp_path_factory.mktemp("revisions")
    made: dict[str, list] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timefmt, "now", lambda: NOW)
        office = open_database(folder / "office.db")
        demo.generate(office, dossiers=DOSSIERS, seed=7, today=TODAY)
        for name, revision in (("current", due.RULES_REVISION), ("older", due.RULES_REVISION - 1)):
            patch.setattr(due, "RULES_REVISION", revision)
            source = folder / f"{name}.zip"
            export_package(office, source, dt.date(2024, 1, 1), format_version=3)
            for version, maker in ((2, derive), (3, derive_rows)):
                made[f"{name}-{version}"] = [folder / f"{name}-{slot}-f{version}.zip"
                                             for slot in range(1, GROUP + 1)]
                for slot, path in enumerate(made[f"{name}-{version}"], 1):
                    maker(source, path, slot, GROUP)
        patch.setattr(due, "RULES_REVISION", due.RULES_REVISION)
        office.conn.execute("INSERT INTO calendar(date, kind, name) VALUES "
                            "('2025-09-29', 'holiday', 'Nghỉ bù')")
        office.conn.commit()
        export_package(office, folder / "calendar.zip", dt.date(2024, 1, 1), format_version=3)
        made["calendar"] = [folder / "calendar-1.zip"]
        derive_rows(folder / "calendar.zip", made["calendar"][0], 1, GROUP)
        office.close()
    return made


def _facts(db) -> list:
    return [(code, due_at, json.loads(text)) for code, due_at, text in db.execute(
        "SELECT code, calc_due_at, facts FROM dossiers ORDER BY code")]


@pytest.fixture(autouse=True)
def merged_now(monkeypatch):
    """The merges' moment: after the period the centres' figures are compared over."""
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


class Statements:
    """The statements a connection runs (its trace), told apart by whether a savepoint was
    open (db.connection.transaction nested) when each ran."""

    def __init__(self, db):
        self.savepoints = 0
        self.under: Counter = Counter()
        self.outside: Counter = Counter()
        db.conn.set_trace_callback(self)

    def __call__(self, sql: str) -> None:
        if sql.startswith("SAVEPOINT "):
            self.savepoints += 1
        elif sql.startswith("RELEASE "):
            self.savepoints -= 1
        else:
            (self.under if self.savepoints else self.outside)[sql.startswith(UPDATE)] += 1


@pytest.mark.parametrize("version", [3, 2], ids=["rows part", "JSON Lines"])
@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "rows"])
def test_an_older_revision_leaves_the_centre_the_current_one_leaves(packages, tmp_path, bulk,
                                                                    version):
    """The dossiers computed here again are what the senders of this revision computed (the
    facts read back), and every table, kpi_daily, the search index and the chain's head what
    the current packages leave once rebuilt here (the demo writes the facts' keys in another
    order than core.facts: the stored text of a kept dossier's facts may differ)."""
    older = open_database(tmp_path / "older.db")
    recomputed = import_packages(older, packages[f"older-{version}"], bulk=bulk)
    current = open_database(tmp_path / "current.db")
    kept = import_packages(current, packages[f"current-{version}"], bulk=bulk)
    assert not any(result.fast for result in recomputed.results)
    assert all(result.fast for result in kept.results)
    assert recomputed.total("dossiers") == kept.total("dossiers") == {"new": GROUP * DOSSIERS}
    assert _facts(older) == _facts(current)
    assert content(older)["kpi_daily"] == content(current)["kpi_daily"]
    facts.rebuild_all(current)
    _same_centre(older, current)
    older.close()
    current.close()


def test_the_recompute_runs_under_no_savepoint(packages, tmp_path):
    """Every copied dossier is computed again, each by its UPDATE, in the operation's
    transaction as it is (old code: all GROUP × DOSSIERS of them under the savepoint)."""
    centre = open_database(tmp_path / "centre.db")
    seen = Statements(centre)
    import_packages(centre, packages["older-3"], bulk=True)
    centre.conn.set_trace_callback(None)
    assert seen.under[True] == 0  # old code: every row's UPDATE, GROUP × DOSSIERS or more
    assert seen.outside[True] >= GROUP * DOSSIERS  # the trace sees each row's UPDATE
    assert sum(seen.under.values()) == 0
    centre.close()


def test_a_calendar_day_new_to_the_centre_rebuilds_under_no_savepoint(packages, tmp_path,
                                                                      monkeypatch):
    """A day off the centre lacks, taken by the clerk's choice (a centre holding dossiers lists
    it, kept unless chosen: test_centre_agrees), moves the due times of what it holds:
    everything is computed again (facts.rebuild_all inside the merge), in the operation's
    transaction as it is, and the centre is what a rebuild of its own gives afterwards (on the
    old code too)."""
    centre = open_database(tmp_path / "centre.db")
    import_packages(centre, packages["current-3"])
    rebuilt = []
    rebuild = facts.rebuild_all
    monkeypatch.setattr(facts, "rebuild_all", lambda db, progress=None: (
        rebuilt.append(db), rebuild(db, progress)))
    seen = Statements(centre)
    batch = import_packages(centre, packages["calendar"], catalogue="theirs")
    centre.conn.set_trace_callback(None)
    assert batch.total("dossiers") == {"identical": DOSSIERS}
    assert rebuilt == [centre]
    assert seen.under[True] == 0
    assert seen.outside[True] >= GROUP * DOSSIERS  # every dossier the centre holds
    merged = content(centre)
    facts.rebuild_all(centre)
    assert content(centre) == merged
    centre.close()
