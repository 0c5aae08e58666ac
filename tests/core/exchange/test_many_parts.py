"""More format-3 parts in one operation than SQLite attaches (MAX_ATTACHED=10): every part goes
the SQL way (core.exchange.merge: one in-memory schema, each part's bytes deserialized in
turn), and the centre is the one format 2's merge of the same packages leaves."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import tempfile
import zipfile
from pathlib import Path

import pytest

from bench.bench_exchange import derive, derive_rows, totals
from core import demo, timefmt
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, fastcopy, merge, store
from core.exchange.fastcopy import facts_job
from core.exchange.merge import import_packages
from core.maintenance.audit import audit_findings
from db import chain
from tests.core.exchange.conftest import rewrite_rows
from tests.core.exchange.test_fastcopy import NOW, TODAY, content

PACKAGES = 12
SMALL = 9   # the packages of the office's last months (the others carry all its dossiers)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[int, list[Path]]:
    """What PACKAGES installations of a group sent, in format 3 and the same in format 2: the
    first SMALL of them their last months (a smaller rows part), the others everything."""
    folder = tmp_path_factory.mktemp("many")
    office = open_database(folder / "office.db")
    demo.generate(office, dossiers=120, seed=3, today=TODAY)
    sources = {}
    # the last months' made first: the packages are merged as given (merge.merge_order: by the
    # moment made, then by installation, bench-001 … bench-012)
    for name, since in (("late", dt.date(2025, 8, 1)), ("all", dt.date(2024, 1, 1))):
        sources[name] = folder / f"office-{name}.zip"
        export_package(office, sources[name], since)
    office.close()
    made: dict[int, list[Path]] = {2: [], 3: []}
    for slot in range(1, PACKAGES + 1):
        source = sources["late" if slot <= SMALL else "all"]
        for version, maker in ((2, derive), (3, derive_rows)):
            made[version].append(folder / f"p{slot}-f{version}.zip")
            maker(source, made[version][-1], slot, PACKAGES)
    return made


@pytest.fixture(autouse=True)
def own_temp(tmp_path, monkeypatch):
    """This test's own temporary folder (the parts' files are seen to go), the import's moment
    fixed (the rows' created_at compared)."""
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    folder = tmp_path / "tam"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


@pytest.fixture
def spies(monkeypatch) -> dict[str, list]:
    """The parts copied by SQL (the schema's name and what the copy left) and the records the
    records' way inserted as new dossiers."""
    seen: dict[str, list] = {"copied": [], "inserted": [], "tried": []}
    copy, insert_new = fastcopy.Copier.copy, store.Store.insert_new

    def copying(self, part, **options):
        seen["tried"].append(part)
        copied = copy(self, part, **options)
        seen["copied"].append((part, copied))
        return copied

    def inserting(self, records):
        seen["inserted"] += [r["code"] for r in records]
        return insert_new(self, records)

    monkeypatch.setattr(fastcopy.Copier, "copy", copying)
    monkeypatch.setattr(store.Store, "insert_new", inserting)
    return seen


def _merged_by_format_2(packages, tmp_path):
    """The centre format 2's merge leaves (the records' way for everything)."""
    centre = open_database(tmp_path / "centre-2.db")
    batch = import_packages(centre, packages[2])
    return centre, batch


def _same_centre(mine, theirs) -> None:
    mine_content, their_content = content(mine), content(theirs)
    for table in their_content:
        assert mine_content[table] == their_content[table], table
    assert chain.head(mine.conn) == chain.head(theirs.conn)
    assert chain.head(mine.conn) is not None
    assert totals(mine) == totals(theirs)
    assert all(f.ok for f in audit_findings(mine)), [f.text for f in audit_findings(mine)
                                                      if not f.ok]


@pytest.mark.parametrize("second_process", [False, True], ids=["one process", "two processes"])
def test_every_part_of_twelve_goes_the_sql_way(packages, tmp_path, monkeypatch, spies,
                                               second_process):
    """12 parts in one operation: each copied by SQL from the in-memory schema (none left to
    the records' way, which inserts no dossier), the centre equal to format 2's."""
    if second_process:  # the second process reads each part's FILE (the schema has none)
        monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    slow, slow_batch = _merged_by_format_2(packages, tmp_path)
    spies["inserted"].clear()
    centre = open_database(tmp_path / "centre-3.db")
    batch = import_packages(centre, packages[3])
    assert batch.written and batch.total("dossiers") == slow_batch.total("dossiers")
    assert batch.total("votes") == slow_batch.total("votes")
    assert len(spies["copied"]) == PACKAGES  # fcc38d2: 10, the 11th and 12th by records
    assert all(c.dossiers and not c.left_dossiers for _name, c in spies["copied"])
    assert sum(c.dossiers for _n, c in spies["copied"]) == batch.total("dossiers")["new"]
    assert spies["inserted"] == []  # the records' way inserted nothing
    assert {name for name, _copied in spies["copied"]} == {merge.run.MEMORY_SCHEMA}
    _same_centre(centre, slow)
    # nothing stays attached, no process is left
    assert _attached(centre) == []
    assert not multiprocessing.active_children()
    # again: every code held, all left to the records' way, nothing changes
    again = import_packages(centre, packages[3])
    assert set(again.total("dossiers")) == {"identical"}
    _same_centre(centre, slow)
    centre.close()
    slow.close()


def test_a_cancel_in_the_eleventh_part_writes_nothing(packages, tmp_path, monkeypatch, spies):
    """A cancel while the 11th part is copied by SQL: nothing written, the parts' files gone,
    the in-memory schema detached, the second process stopped; done again, it all goes in."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    centre = open_database(tmp_path / "centre.db")
    words = centre.execute("SELECT COUNT(*) FROM event_words").fetchone()[0]
    before = sum(1 for _ in centre.execute("SELECT * FROM settings"))
    offsets = []

    def progress(done, total):
        offsets.append(done)
        ten = sum(c.dossiers for _n, c in spies["copied"][:10])
        return len(spies["copied"]) < 10 or done <= ten

    with pytest.raises(InterruptedError):
        import_packages(centre, packages[3], progress=progress)
    assert len(spies["copied"]) == 10  # ten parts copied, the cancel inside the 11th's copy
    assert offsets[-1] > sum(c.dossiers for _n, c in spies["copied"])
    assert spies["inserted"] == []
    for table in ("dossier_rows", "event_rows", "vote_rows", "kpi_daily", "chain_marks",
                  "payment_rows", "supplements"):
        assert centre.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    assert centre.execute("SELECT COUNT(*) FROM event_words").fetchone()[0] == words
    assert sum(1 for _ in centre.execute("SELECT * FROM settings")) == before
    assert chain.head(centre.conn) is None
    assert _attached(centre) == []
    assert not multiprocessing.active_children()
    spies["copied"].clear()
    assert import_packages(centre, packages[3]).written
    assert len(spies["copied"]) == PACKAGES and spies["inserted"] == []
    centre.close()


def test_a_bad_record_in_the_twelfth_part_writes_nothing(packages, tmp_path, monkeypatch,
                                                          spies):
    """The 12th part's screen and judge (in memory, the judge reading the file) refuse a
    dossier: the whole operation is rolled back, the files removed, the schema detached, the
    second process stopped."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    bad = tmp_path / "p12-bad.zip"
    rewrite_rows(packages[3][-1], bad, lambda conn: conn.execute(
        "UPDATE dossier_rows SET status = 'lost' WHERE id = (SELECT MAX(id) FROM dossier_rows)"))
    centre = open_database(tmp_path / "centre.db")
    with pytest.raises(InputError, match="p12-bad.zip.*hồ sơ"):
        import_packages(centre, [*packages[3][:-1], bad])
    assert len(spies["tried"]) == PACKAGES  # fcc38d2: 10, the 12th read as records
    assert spies["inserted"] == []
    for table in ("dossier_rows", "event_rows", "vote_rows", "kpi_daily"):
        assert centre.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    assert chain.head(centre.conn) is None
    assert _attached(centre) == []
    assert not multiprocessing.active_children()
    centre.close()


def test_a_part_too_big_for_memory_is_attached_then_goes_the_records_way(packages, tmp_path,
                                                                          monkeypatch, spies):
    """The memory cap between the small parts and the big ones: the small go in memory, the
    first big one is attached as a file (the in-memory schema holds the other slot), the others
    go the records' way; the centre is format 2's."""
    sizes = []
    for path in packages[3]:
        with zipfile.ZipFile(path) as archive:
            sizes.append(archive.getinfo("rows.motcua").file_size)
    small, big = max(sizes[:SMALL]), min(sizes[SMALL:])
    assert small < big
    monkeypatch.setattr(merge.run, "DESERIALIZE_MAX", small, raising=False)  # (none at fcc38d2)
    monkeypatch.setattr(merge.run, "ATTACH_MAX", 2)
    slow, _slow_batch = _merged_by_format_2(packages, tmp_path)
    spies["inserted"].clear()
    centre = open_database(tmp_path / "centre-3.db")
    import_packages(centre, packages[3])
    assert len(spies["copied"]) == SMALL + 1  # fcc38d2: 2 (ATTACH_MAX), the others by records
    names = [name for name, _copied in spies["copied"]]
    assert names == [merge.run.MEMORY_SCHEMA] * SMALL + ["motcua_goi_2"]
    # the last two big parts' dossiers, as many as the attached big part's
    assert len(spies["inserted"]) == (PACKAGES - SMALL - 1) * spies["copied"][-1][1].dossiers > 0
    _same_centre(centre, slow)
    assert _attached(centre) == []
    centre.close()
    slow.close()


def _attached(centre) -> list[str]:
    return [row[1] for row in centre.execute("PRAGMA database_list")
            if row[1] not in ("main", "temp")]


def test_a_part_without_room_in_memory_is_attached_as_a_file(packages, tmp_path, monkeypatch,
                                                             spies):
    """No memory for the 3rd part's bytes: it is attached as a file, the others stay in
    memory, the centre is format 2's."""
    load, calls = merge.run._load, []

    def short_of_memory(conn, path):
        calls.append(path)
        if len(calls) == 3:
            raise MemoryError
        load(conn, path)

    monkeypatch.setattr(merge.run, "_load", short_of_memory)
    slow, _slow_batch = _merged_by_format_2(packages, tmp_path)
    spies["inserted"].clear()
    centre = open_database(tmp_path / "centre-3.db")
    import_packages(centre, packages[3])
    names = [name for name, _copied in spies["copied"]]
    assert names == [merge.run.MEMORY_SCHEMA] * 2 + ["motcua_goi_2"] + [merge.run.MEMORY_SCHEMA] * 9
    assert spies["inserted"] == []
    _same_centre(centre, slow)
    assert _attached(centre) == []
    centre.close()
    slow.close()


def test_the_facts_read_are_applied_as_the_parts_go(packages, tmp_path, monkeypatch, spies):
    """The kept facts the second process reads are applied as the parts go, not held till the
    end of the operation: after each part at most three parts' results are held here (a job
    the second process has not run yet holds nothing; speed11 gives the facts jobs when it is
    ahead of the chains). At mem50 (0933ba7) every part's were held until Copier.finish, with
    its kpi marks (~13 MB of Python objects at 20,000 dossiers): the merge's peak grew ~13 MB
    a package (docs/speed.md)."""
    monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    held, read = [], []
    copy, later = fastcopy.Copier.copy, fastcopy.Copier.later

    def copying(self, part, **options):
        copied = copy(self, part, **options)
        held.append(sum(1 for _first, job in self.pending if job.ready()))
        return copied

    def reading(self, job, *args, **options):
        read.append(job)
        return later(self, job, *args, **options)

    monkeypatch.setattr(fastcopy.Copier, "copy", copying)
    monkeypatch.setattr(fastcopy.Copier, "later", reading)
    centre = open_database(tmp_path / "centre.db")
    batch = import_packages(centre, packages[3])
    assert batch.written and len(held) == PACKAGES
    assert read.count(facts_job._facts_job) == PACKAGES  # every part's facts read by the second
    assert max(held) <= 3, held                         # 0933ba7: 1, 2, 3 … 12
    assert centre.execute("SELECT COUNT(*) FROM dossier_rows WHERE facts IS NOT NULL"
                          ).fetchone()[0] == batch.total("dossiers")["new"]
    centre.close()
