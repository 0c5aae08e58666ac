"""The merge's bulk path (issue 16 §3, speed): new dossiers are indexed for search in one pass
at the end instead of by a trigger per row. It must leave exactly what the row-by-row path
leaves — dossiers, events and their hashes, the ledger, kpi_daily, the search index — on a
package with new, changed, identical and conflicting dossiers, and write nothing on error."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
import zipfile

import pytest

from core import dossiers as D
from core import installation, payments
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, import_package, merge
from core.exchange.package import MANIFEST, ROWS_PART
from core.maintenance.audit import audit_findings
from core.textnorm import fold
from db import fulltext
from tests.core.exchange.conftest import DAY, busy_day, receive, rewrite_rows

# every test on packages of both formats the program writes (format 3: the rows part)
pytestmark = pytest.mark.usefixtures("package_format")

SINCE = dt.date(2025, 10, 1)
TABLES = ("dossiers", "events", "payments", "supplements", "extensions", "dossier_components",
          "votes", "kpi_daily", "units", "procedures")


def content(db) -> dict:
    """Everything the merge writes, row by row, and the search index term by term."""
    out = {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
           for table in TABLES}
    out["ledger"] = db.execute("SELECT key, value FROM settings WHERE key LIKE 'audit.%' "
                               "ORDER BY key").fetchall()
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING "
               "fts5vocab(main, dossiers_fts, instance)")
    out["fts"] = db.execute("SELECT term, doc, offset FROM temp.terms "
                            "ORDER BY doc, offset, term").fetchall()
    out["triggers"] = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                 "ORDER BY name").fetchall()
    return out


@pytest.fixture
def mixed(counter, tmp_path):
    """A centre that took the counter's first package and went on with one dossier, and the
    counter's second package: one dossier identical, one changed, one conflicting, new ones."""
    codes = busy_day(counter)
    first = tmp_path / "a.zip"
    export_package(counter, first, SINCE)
    centre = open_database(tmp_path / "centre.db")
    assert import_package(centre, first).written
    D.start_processing(centre, D.find_by_code(centre, codes[2]), at=DAY + dt.timedelta(hours=4))
    centre.close()
    D.finish(counter, D.find_by_code(counter, codes[1]), at=DAY + dt.timedelta(hours=5))
    D.start_processing(counter, D.find_by_code(counter, codes[2]), at=DAY + dt.timedelta(hours=6))
    for minute in range(30, 36):
        dossier_id, _ = receive(counter, f"Người Mới {minute}", minutes=minute,
                                procedure="P.SD" if minute % 2 else "P.WD2")
        if minute % 2:
            payments.add_payment(counter, dossier_id, amount=10000, method="cash",
                                 paid_at=DAY + dt.timedelta(minutes=minute + 1))
    second = tmp_path / "b.zip"
    export_package(counter, second, SINCE)
    return tmp_path / "centre.db", second


def copy_of(centre, tmp_path, name):
    target = tmp_path / f"{name}.db"
    shutil.copy(centre, target)
    db = open_database(target)
    installation.stay_the_same(db)  # the same centre tried twice, not a second PC
    return db


@contextlib.contextmanager
def by_trigger(conn, new_from=None, given=None):
    """The row-by-row path: the search triggers stay and index every row as it is written."""
    yield


def test_the_bulk_path_leaves_exactly_what_the_row_by_row_path_leaves(mixed, tmp_path,
                                                                      monkeypatch):
    centre, package = mixed
    bulk, rows = copy_of(centre, tmp_path, "bulk"), copy_of(centre, tmp_path, "rows")
    made = import_package(bulk, package, conflicts="theirs")
    assert made.dossiers == {"identical": 1, "changed": 1, "conflict": 1, "new": 6}
    assert made.resolved == {"theirs": 1}
    with monkeypatch.context() as patch:
        patch.setattr(fulltext, "deferred", by_trigger)
        assert import_package(rows, package, conflicts="theirs").dossiers == made.dossiers
    assert content(bulk) == content(rows)
    for db in (bulk, rows):
        assert fulltext.is_intact(db.conn)
        assert all(f.ok for f in audit_findings(db)), [f.text for f in audit_findings(db)]
    # the new dossiers are found by the search index, as any dossier typed in
    hits = bulk.execute(*_match("Người Mới 3")).fetchall()
    assert len(hits) == 6
    again = import_package(bulk, package, conflicts="theirs")
    assert again.dossiers == {"identical": 8, "decided": 1} and not again.pending
    bulk.close()
    rows.close()


def _match(text):
    where, params = fulltext.rows_matching("id", [fold(text)])
    return f"SELECT id FROM dossiers WHERE {where}", params


def _spoil_last_dossier(source, target):
    """The package with its last dossier's status made unknown (checksums made to match)."""
    with zipfile.ZipFile(source) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    if ROWS_PART in members:
        rewrite_rows(source, target, lambda conn: conn.execute(
            "UPDATE dossier_rows SET status = 'lost' WHERE id = (SELECT MAX(id) FROM "
            "dossier_rows)"))
        return
    lines = members["dossiers.jsonl"].decode().splitlines()
    record = json.loads(lines[-1])
    record["fields"]["status"] = "lost"
    lines[-1] = json.dumps(record, ensure_ascii=False)
    members["dossiers.jsonl"] = ("\n".join(lines) + "\n").encode()
    manifest = json.loads(members[MANIFEST])
    manifest["parts"]["dossiers.jsonl"]["sha256"] = hashlib.sha256(
        members["dossiers.jsonl"]).hexdigest()
    members[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members.items():
            new.writestr(name, data)


@pytest.mark.parametrize("failure", ["bad record", "cancel"])
def test_a_failure_after_new_dossiers_went_in_leaves_nothing(mixed, tmp_path, monkeypatch,
                                                              failure):
    """One dossier a batch: the first new ones are written (the search triggers dropped) before
    the last record is refused or the clerk cancels; all of it, triggers included, is undone."""
    centre, package = mixed
    monkeypatch.setattr(merge.batches, "BATCH", 1)
    db = copy_of(centre, tmp_path, "centre-copy")
    before = content(db)
    if failure == "bad record":
        bad = tmp_path / "bad.zip"
        _spoil_last_dossier(package, bad)
        with pytest.raises(InputError, match="Chưa ghi gì"):
            import_package(db, bad, conflicts="theirs")
    else:
        with pytest.raises(InterruptedError):
            import_package(db, package, conflicts="theirs",
                           progress=lambda done, total: done < 7)
    assert content(db) == before
    assert fulltext.is_intact(db.conn)
    # the triggers are back: a dossier received now is found by the search at once
    receive(db, "Khách Sau Lỗi", minutes=90)
    assert len(db.execute(*_match("Khách Sau")).fetchall()) == 1
    db.close()
