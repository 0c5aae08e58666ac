"""A unit's scope goes into SQL in one form, written in one place (core.unit_scope): `column IN`
json_each over the JSON list of unit_subtree's codes. The exchange's export had its own form (a
`tree` CTE, core.moment.SCOPE_SQL with scope_codes) beside the filters' (core.live_due.scope_in);
the rows each caller selects are the same as by the two old forms, written out here, for every
unit of the demo office."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from core import demo
from core.exchange import export
from core.transfer.dossier_export import Selection

ROOT = Path(__file__).resolve().parents[2]
# the two old forms, as they were
OLD_CTE = "WITH tree(code) AS (SELECT value FROM json_each(:tree)) "
OLD_SCOPE = ("d.unit_code IN (SELECT code FROM tree) OR d.competent_unit_code IN "
             "(SELECT code FROM tree)")


def old_filter(column: str) -> str:
    return f"{column} IN (SELECT value FROM json_each(?))"


def codes_of(db, unit: str) -> list[str]:
    """unit_subtree's codes, walked here from the units table (the unit, its sub-units, the
    units whose successor chain leads to it, with theirs)."""
    below: dict[str, set[str]] = {}
    for code, parent, successor in db.execute(
            "SELECT code, parent_code, successor_code FROM units"):
        for above in {parent, successor} - {None}:
            below.setdefault(above, set()).add(code)
    seen, todo = {unit}, [unit]
    while todo:
        for code in below.get(todo.pop(), ()):
            if code not in seen:
                seen.add(code)
                todo.append(code)
    return sorted(seen)


def old_changed(db, since: dt.date, tree: str) -> list[int]:
    params = export.events_codec.since_params("since", since)
    params["tree"] = tree
    sql = OLD_CTE + export._changed_sql(f"({OLD_SCOPE}) AND")
    return [r[0] for r in db.execute(sql, params)]


def old_vote_ids(db, since: dt.date, tree: str) -> list[int]:
    scope = (f"CASE WHEN v.dossier_id IS NULL THEN v.unit_code IN (SELECT code FROM tree) "
             f"ELSE ({OLD_SCOPE}) END")
    return [r[0] for r in db.execute(
        OLD_CTE + "SELECT v.id FROM votes v LEFT JOIN dossiers d ON d.id = v.dossier_id "
        f"WHERE (v.voted_at >= :since OR v.cancelled_at >= :since) AND {scope} ORDER BY v.id",
        {"since": since.isoformat(), "tree": tree})]


@pytest.fixture
def office(db):
    demo.generate(db, dossiers=400, seed=5, today=dt.date(2025, 6, 30))
    return db


def test_every_unit_selects_the_same_rows_as_by_the_two_old_forms(office):
    db, since = office, dt.date(2025, 6, 1)
    units = [r[0] for r in db.execute("SELECT code FROM units ORDER BY code")]
    assert len(units) > 3
    seen_rows = seen_predecessor = 0
    for unit in units:
        codes = codes_of(db, unit)
        tree = json.dumps(codes)
        changed = export.changed_dossiers(db, since, unit)
        assert changed == old_changed(db, since, tree), unit
        assert export.changed_vote_ids(db, since, unit) == old_vote_ids(db, since, tree), unit
        assert len(export.changed_votes(db, since, unit)) == len(old_vote_ids(db, since, tree))
        where, params = Selection(units=tuple(codes)).where()
        new = [r[0] for r in db.execute(f"SELECT id FROM dossiers {where} ORDER BY id", params)]
        old = [r[0] for r in db.execute(
            "SELECT id FROM dossiers WHERE (" + old_filter("unit_code") + " OR "
            + old_filter("competent_unit_code") + ") ORDER BY id", [tree, tree])]
        assert new == old, unit
        seen_rows += bool(changed and new)
        seen_predecessor += len(codes) > 1
    assert seen_rows and seen_predecessor  # the comparison met rows and scopes of many units


def test_the_scope_form_is_written_in_one_place():
    """Only core/unit_scope.py writes json_each over a scope; core.moment has no SCOPE_SQL."""
    from core import live_due, moment, unit_scope
    assert not hasattr(moment, "SCOPE_SQL") and not hasattr(moment, "scope_codes")
    # one name too (review 32): core.live_due re-exported scope_in/scope_param, and its own
    # unit_subtree gave codes where core.unit_scope's of the same name gives (code, name)
    assert not {"scope_in", "scope_param", "subtree_codes", "unit_subtree"} & set(vars(live_due))
    assert callable(unit_scope.scope_in)
    writers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")
                     if "json_each(:tree)" in p.read_text(encoding="utf-8")
                     or "json_each({marker})" in p.read_text(encoding="utf-8"))
    assert writers == ["core/unit_scope.py"]
