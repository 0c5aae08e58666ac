"""The facts JSON's short keys are documented in one place (core.facts.FACT_KEYS): every key the
computation writes and every key SQL reads with json_extract is in that table."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from core import facts
from core.indicators import variant_key
from db import facts_codec

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.facts_may_differ  # not a fixture database: nothing to compare after the test
def test_every_key_written_is_documented(tmp_path):
    """A small demo writes every kind of dossier (open, waiting, resolved, irregular…)."""
    from core import demo
    from core.database import open_database
    db = open_database(tmp_path / "demo.db", create=True)
    demo.generate(db, dossiers=1500, seed=3, today=dt.date(2026, 11, 30))
    written = set()
    stored = set()
    for text, *origin in db.execute(
            f"SELECT facts, {facts_codec.origin_columns()} FROM dossiers"):
        written |= set(facts_codec.decode(text, *origin))
        stored |= set(json.loads(text))
    assert stored <= written  # the stored form has no key of its own
    db.close()
    assert {"u", "d", "st", "c", "s", "hz", "ld", "lw"} <= written
    assert written <= set(facts.FACT_KEYS), written - set(facts.FACT_KEYS)


def test_every_key_read_by_sql_is_documented():
    read = set()
    for path in (ROOT / "core").rglob("*.py"):
        for key in re.findall(r"\$\.([a-z]+)", path.read_text(encoding="utf-8")):
            read.add(key)
        if "FLAG = {" in path.read_text(encoding="utf-8"):
            from core.indicators.drill import FLAG
            read |= set(FLAG.values())
    assert read and read <= set(facts.FACT_KEYS), read - set(facts.FACT_KEYS)


def test_the_variants_name_the_policies_and_the_kpi_columns():
    from db.schema import KPI_COLUMNS
    for key, policy in facts.VARIANTS.items():
        assert variant_key({"supplement": policy.supplement, "due_basis": policy.due_basis}) == key
        assert f"early_{key}" in KPI_COLUMNS
