"""The fast copy of format-3 parts (core.exchange.fastcopy, issue 16 §3): it must leave exactly
what the existing merge leaves for the same packages in the same order — every row, the chain
and its head, the ledger, kpi_daily, the search index — and refuse exactly the records the
existing checks refuse."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.bench_exchange import derive
from bench.fastcopy_parts import make_part, merge_parts
from core import demo, timefmt
from core.database import open_database
from core.exchange import export_package
from core.exchange import merge
from core.exchange.merge import import_packages
from core.maintenance.audit import audit_findings
from db import chain

TODAY = dt.date(2025, 10, 31)
NOW = dt.datetime(2025, 11, 3, 9, 30, 0)
# every stored table the merge writes, read raw (the stored forms: codes, seconds, prefixes)
RAW = ("dossier_rows", "event_rows", "event_words", "chain_marks", "payment_rows", "vote_rows",
       "supplements", "extensions", "dossier_components", "complaints", "kpi_daily")


def content(db) -> dict:
    out = {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in RAW}
    out["events"] = db.execute("SELECT * FROM events ORDER BY id").fetchall()
    out["settings"] = db.execute("SELECT key, value FROM settings WHERE key LIKE 'audit.%' "
                                 "ORDER BY key").fetchall()
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING "
               "fts5vocab(main, dossiers_fts, instance)")
    out["fts"] = db.execute("SELECT term, doc FROM temp.terms ORDER BY doc, term").fetchall()
    out["indexes"] = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                "ORDER BY name").fetchall()
    return out


@pytest.fixture
def offices(tmp_path, monkeypatch):
    """One demo office, and what 3 installations of a group sent for the same work: as
    packages (the existing format) and as parts (MotCua databases, format 3)."""
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    office_path = tmp_path / "office.db"
    office = open_database(office_path)
    demo.generate(office, dossiers=400, seed=1, today=TODAY)
    source = tmp_path / "office.zip"
    export_package(office, source, dt.date(2024, 1, 1))
    office.close()
    packages, parts = [], []
    for slot in (1, 2, 3):
        packages.append(tmp_path / f"p{slot}.zip")
        derive(source, packages[-1], slot, 3)
        parts.append(make_part(office_path, tmp_path / f"part{slot}.db", slot, 3))
    return packages, parts


@pytest.mark.parametrize("bulk,batch", [(True, 2000), (False, 2000), (True, 37)],
                         ids=["bulk", "rows", "batches"])
def test_the_copy_leaves_what_the_existing_merge_leaves(offices, tmp_path, monkeypatch, bulk,
                                                        batch):
    """`batch`: the existing path's batches of records (merge.BATCH), each adding the words it
    meets first: the copy adds them in the same order, so every event_words code is the same."""
    monkeypatch.setattr(merge, "BATCH", batch)
    packages, parts = offices
    slow = open_database(tmp_path / "slow.db")
    merged = import_packages(slow, packages, bulk=bulk)
    assert merged.total("dossiers") == {"new": 1200}
    fast = open_database(tmp_path / "fast.db")
    copied = merge_parts(fast, parts, bulk=bulk)
    assert [c.dossiers for c in copied] == [400] * 3
    assert sum(c.votes for c in copied) == merged.total("votes")["new"]
    mine, theirs = content(fast), content(slow)
    for table in theirs:
        assert mine[table] == theirs[table], table
    assert chain.head(fast.conn) == chain.head(slow.conn)
    assert all(f.ok for f in audit_findings(fast)), [f.text for f in audit_findings(fast)
                                                      if not f.ok]
    slow.close()
    fast.close()
