"""Several packages in one operation (issue 16 §3, the centre's month-end): one transaction for
all, the bulk path (secondary indexes of `dossiers` dropped and made again) leaving exactly what
the row path and one-at-a-time imports leave, and nothing at all written on any failure."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import votes
from core.database import open_database
from core.errors import InputError
from core.exchange import bulk, export_package, import_package, merge
from core.exchange.merge import import_packages
from core.maintenance.audit import audit_findings
from db import fulltext
from tests.core.exchange.conftest import DAY, busy_day, in_merge_order, office, receive
from tests.core.exchange.test_bulk import _spoil_last_dossier, content, copy_of

# every test on packages of both formats the program writes (format 3: the rows part)
pytestmark = pytest.mark.usefixtures("package_format")

SINCE = dt.date(2025, 10, 1)


def indexes(db) -> list:
    return db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                      "ORDER BY name").fetchall()


@pytest.fixture
def packages(tmp_path):
    """Two counter PCs of one office (slots 1 and 2 of 2) and a commune's PC (a unit of its
    own), each with a busy day; the centre took the first counter's day already."""
    made = []
    for name, slot, unit in (("q1", (1, 2), "U1"), ("q2", (2, 2), "U1"), ("xa", (1, 1), "U2")):
        db = office(tmp_path / f"{name}.db", slot)
        if unit == "U1":
            busy_day(db, names=(f"Hoa {name}", f"Sử {name}", f"Mai {name}"))
        else:
            for minute in range(3):
                receive(db, f"Xã {minute}", minutes=minute, unit="U2")
        path = tmp_path / f"{name}.zip"
        export_package(db, path, SINCE)
        db.close()
        made.append(path)
    centre = office(tmp_path / "centre.db")
    assert import_package(centre, made[0]).written
    D.start_processing(centre, D.find_by_code(centre, "U1-251020-0005"),
                       at=DAY + dt.timedelta(hours=4))
    centre.close()
    return tmp_path / "centre.db", made


@pytest.mark.parametrize("path", [True, False], ids=["bulk", "rows"])
def test_one_operation_leaves_what_one_package_at_a_time_leaves(packages, tmp_path, path):
    centre, files = packages
    together, apart = copy_of(centre, tmp_path, "together"), copy_of(centre, tmp_path, "apart")
    shape = indexes(together)
    batch = import_packages(together, files, bulk=path)
    assert batch.written and batch.bulk is path and not batch.pending
    assert [dict(r.dossiers) for r in batch.results] == [
        {"identical": 2, "older": 1}, {"new": 3}, {"new": 3}]
    assert batch.total("dossiers") == {"new": 6, "identical": 2, "older": 1}
    for file in in_merge_order(files):  # (the operation's order, whatever the files' order)
        import_package(apart, file, bulk=False)
    assert content(together) == content(apart)
    assert indexes(together) == shape  # the very same indexes, made again from their own SQL
    assert fulltext.is_intact(together.conn)
    assert all(f.ok for f in audit_findings(together)), [f.text for f in audit_findings(together)]
    assert not any(import_packages(together, files).total("dossiers").get(k)
                   for k in ("new", "changed", "conflict"))  # idempotent
    together.close()
    apart.close()


def test_the_bulk_and_row_paths_leave_identical_tables(packages, tmp_path):
    centre, files = packages
    fast, slow = copy_of(centre, tmp_path, "fast"), copy_of(centre, tmp_path, "slow")
    assert import_packages(fast, files, bulk=True).bulk
    assert not import_packages(slow, files, bulk=False).bulk
    assert content(fast) == content(slow)
    assert indexes(fast) == indexes(slow)
    fast.close()
    slow.close()


@pytest.mark.parametrize("failure", ["bad record", "cancel", "conflict"])
def test_a_failure_in_any_package_leaves_the_centre_exactly_as_before(packages, tmp_path,
                                                                       monkeypatch, failure):
    """The first packages are written (indexes dropped, triggers dropped) before the last one
    fails: all of it is undone, the dropped indexes and triggers included."""
    centre, files = packages
    monkeypatch.setattr(merge.batches, "BATCH", 1)
    db = copy_of(centre, tmp_path, "copy")
    before, shape = content(db), indexes(db)
    if failure == "bad record":
        bad = tmp_path / "hong.zip"
        _spoil_last_dossier(files[2], bad)
        with pytest.raises(InputError, match="Gói hong.zip không dùng được.*Chưa ghi gì"):
            import_packages(db, [*files[:2], bad], bulk=True)
    elif failure == "cancel":
        with pytest.raises(InterruptedError):
            import_packages(db, files, bulk=True, progress=lambda done, total: done < 7)
    else:
        clash = tmp_path / "clash.db"
        other = office(clash, (2, 2))  # the second counter's slot: its first code clashes
        receive(other, "Người Khác Hẳn", minutes=3)
        export_package(other, tmp_path / "clash.zip", SINCE)
        other.close()
        batch = import_packages(db, [*files, tmp_path / "clash.zip"], bulk=True)
        assert batch.pending and not batch.written
        assert batch.results[3].conflict_count == 1
    assert content(db) == before
    assert indexes(db) == shape
    assert fulltext.is_intact(db.conn)
    db.close()


def test_a_dry_run_previews_every_package_and_writes_nothing(packages, tmp_path):
    centre, files = packages
    db = copy_of(centre, tmp_path, "preview")
    before = content(db)
    batch = import_packages(db, [files[1], files[1], files[2]], dry_run=True, bulk=True)
    # the same package twice: the second sees what the first would have written
    assert [dict(r.dossiers) for r in batch.results] == [{"new": 3}, {"identical": 3}, {"new": 3}]
    assert not batch.written and content(db) == before
    db.close()


def test_a_missing_or_broken_file_is_named_before_anything_is_read(packages, tmp_path):
    centre, files = packages
    db = open_database(centre)
    (tmp_path / "rac.zip").write_bytes(b"rac")
    with pytest.raises(InputError, match="Gói rac.zip không dùng được"):
        import_packages(db, [files[1], tmp_path / "rac.zip"])
    with pytest.raises(InputError, match="Không tìm thấy tệp gói .*khong-co.zip"):
        import_packages(db, [files[1], tmp_path / "khong-co.zip"])
    with pytest.raises(InputError, match="Chưa chọn"):
        import_packages(db, [])
    db.close()


def test_the_bulk_path_is_chosen_when_the_packages_outweigh_the_centre():
    assert bulk.wanted(0, 1_000_000) and bulk.wanted(200_000, 200_000)
    assert not bulk.wanted(300_000, 20_000)
    assert not bulk.wanted(0, 10)  # a few rows: the indexes are kept up row by row


def test_only_created_indexes_are_dropped_and_they_come_back(tmp_path):
    db = open_database(tmp_path / "x.db")
    shape = indexes(db)
    made = [n for n, sql in shape if sql and "ON dossier_rows" in sql]
    partial = {n for n, sql in shape if sql and "ON dossier_rows" in sql and " WHERE " in sql}
    assert "dossiers_received" in made
    assert partial == {"dossiers_irregular", "dossiers_competent_received"}
    conn = db.conn
    conn.execute("BEGIN")
    with bulk.indexes_dropped(conn):
        left = [n for n, _ in indexes(db)]
        # the partial indexes stay: kept up as the few rows they hold come (made again, each
        # would read the whole table)
        assert set(made) & set(left) == partial and "events_dossier" in left
        # the code → id look-up the merge makes meanwhile still has its index (UNIQUE)
        plan = " ".join(str(r) for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM dossiers WHERE code IN ('a', 'b')"))
        assert "autoindex" in plan
    conn.execute("COMMIT")
    assert indexes(db) == shape
    db.close()


def test_a_vote_travels_with_its_dossier_whatever_its_own_unit(tmp_path):
    """A vote on a dossier of another unit names a unit of the exported tree: it stays out
    with its dossier (it used to reach the package without it, and the import refused the
    package). A vote on a dossier of the tree naming another unit goes with the dossier; a vote
    without a dossier goes by its own unit."""
    db = office(tmp_path / "a.db")
    outside, _ = receive(db, "Ngoài Cây", unit="U2")
    inside, inside_code = receive(db, "Trong Cây", minutes=5, unit="U1")
    at = DAY + dt.timedelta(hours=1)
    votes.add_vote(db, unit_code="U1", voted_at=at, rating="satisfied", dossier_id=outside)
    votes.add_vote(db, unit_code="U2", voted_at=at, rating="satisfied", dossier_id=inside)
    votes.add_vote(db, unit_code="U1", voted_at=at, rating="neutral")
    votes.add_vote(db, unit_code="U2", voted_at=at, rating="neutral")
    package = tmp_path / "u1.zip"
    made = export_package(db, package, SINCE, unit="U1")
    db.close()
    assert made["counts"]["dossiers"] == 1 and made["counts"]["votes"] == 2
    centre = office(tmp_path / "centre.db")
    result = import_package(centre, package)
    assert result.written and result.votes == {"new": 2}
    assert sorted(centre.execute("SELECT v.unit_code, d.code FROM votes v LEFT JOIN dossiers d "
                                 "ON d.id = v.dossier_id").fetchall(), key=repr) == sorted(
        [("U2", inside_code), ("U1", None)], key=repr)
    centre.close()


def test_a_value_against_the_database_is_named_with_its_package_and_nothing_written(
        packages, monkeypatch):
    """A value of the wrong kind or against a constraint met while merging: the package's
    file and the place are named, the batch rolled back (operation._wrong_values)."""
    import sqlite3

    from core.exchange.merge import run as merge_run
    centre, files = packages
    db = open_database(centre)
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]

    def spoilt(self, conn, bulk):
        raise sqlite3.IntegrityError("CHECK constraint failed")
    monkeypatch.setattr(merge_run._Run, "merge_all", spoilt)
    with pytest.raises(InputError, match="bản kê \\(hoặc một dòng ngay trước\\): dữ liệu sai "
                                         "kiểu hoặc trái ràng buộc của cơ sở dữ liệu"):
        import_packages(db, files[:2])
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before
    db.close()
