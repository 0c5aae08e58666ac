"""A change's preview (core.recompute.impact) computes each dossier by the one rule without
what it does not count (core.facts.compute(whole=False): no 766 keys, overdue spans or live
dues; a third of its pass over a centre's 200,000 dossiers, mend35): the due time, the status
and every variant's class are those of the whole computation, for every kind of dossier a
demo makes (waits, extensions, open, withdrawn, irregular), under this office's hours and
under a package's taken from the beginning."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import facts, recompute, rules
from core.calendar import load_calendar
from core.database import open_database
from core.moment import load_inputs
from db.connection import transaction

LATE = [["07:30", "11:30"], ["13:30", "17:30"]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main.main(["--db", str(path), "demo", "--seed", "3", "--today", "2026-11-27",
                      "--dossiers", "3000"]) == 0
    return path


def counted(cal, items) -> list:
    out = []
    for item in items:
        due, whole = facts.compute(cal, item)
        light_due, light = facts.compute(cal, item, whole=False)
        assert (light_due, light["st"], light.get("c")) == (due, whole["st"], whole.get("c")), \
            item.id
        out.append(item)
    return out


def test_the_preview_counts_as_the_whole_computation(demo):
    db = open_database(demo, create=False)
    ids = recompute.dossiers_received_from(db, rules.BEGINNING)
    items = list(load_inputs(db, ids))
    counted(load_calendar(db), items)
    try:
        with transaction(db):  # the package's hours, as a preview applies them
            rules.set_office_hours(db, LATE, rules.BEGINNING)
            counted(load_calendar(db), items)
            raise KeyError("rolled back")
    except KeyError:
        pass
    # every kind of dossier was among them
    assert sum(bool(i.waits) for i in items) > 50
    assert sum(i.extended_due_at is not None for i in items) > 5
    assert sum(i.finished_at is None for i in items) > 10
    assert sum(i.finished_at is None and bool(i.waits) for i in items) > 0, "an open one waiting"
    db.close()


def test_the_preview_of_the_hours_says_what_taking_them_changes(demo):
    db = open_database(demo, create=False)
    ids = recompute.dossiers_received_from(db, rules.BEGINNING)
    seen = recompute.impact(db, lambda d: rules.set_office_hours(d, LATE, rules.BEGINNING), ids,
                            rules.BEGINNING)
    assert seen.dossiers == len(ids) and 0 < seen.due_moved < len(ids)
    assert sum(seen.moves.values()) > 0  # finished dossiers whose class the hours change
    assert recompute.impact(db, lambda d: None, ids, dt.date(2020, 1, 1)).due_moved == 0
    db.close()
