"""The second process reads each distinct kept facts text of a part once (core.exchange.fastcopy
`_facts_job`, `_reading`; twelfth round): what it gives must be exactly what reading every row
alone gives (`_kept_facts` then facts.marks, as Store._derived does): the same texts rewritten,
the same dossiers computed at the centre, the same kpi marks, for canonical, non-canonical,
unreadable and hostile facts, and for one text shared by rows of other units and days."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter

import pytest

from bench.fastcopy_parts import make_part
from core import demo, facts, timefmt
from core.database import open_database
from core.exchange.fastcopy import facts_job

TODAY = dt.date(2025, 10, 31)
NOW = dt.datetime(2025, 11, 3, 9, 30, 0)
UNIT = "COALESCE(NULLIF(competent_unit_code, ''), unit_code)"
DUE = "datetime(calc_due_at, 'unixepoch')"


def _one_by_one(path, left: list[int]) -> tuple[list, list, Counter]:
    """The reading of the eleventh round, row by row (the reference)."""
    conn = sqlite3.connect(path)
    marks: Counter = Counter()
    rewrite, computed, kept = [], [], []
    rows = conn.execute(
        f"SELECT facts, {UNIT}, datetime(received_at, 'unixepoch'), {DUE}, "
        "datetime(finished_at, 'unixepoch') FROM dossier_rows WHERE id NOT IN "
        f"({','.join(str(i) for i in left) or '-1'}) ORDER BY id")
    for place, (text, unit, received, due, finished) in enumerate(rows):
        found = facts_job._kept_facts(text, unit, received, due, finished)
        if found is None:
            computed.append(place)
            continue
        full, stored = found
        try:
            facts.marks(full, marks)
        except (ValueError, KeyError, TypeError, AttributeError):
            computed.append(place)
            marks = Counter()
            for other in kept:
                facts.marks(other, marks)
            continue
        kept.append(full)
        if stored != text:
            rewrite.append((place, stored))
    conn.close()
    return rewrite, computed, marks


# (which dossiers, SQL setting their facts): every kind of text a part may carry
SPOILED = [
    # one finished dossier's text on dossiers of other units, days and finishes (some open)
    ("id BETWEEN 1 AND 40", "(SELECT facts FROM dossier_rows WHERE finished_at IS NOT NULL "
                            "ORDER BY id LIMIT 1)"),
    # and an open one's on others (finished ones among them)
    ("id BETWEEN 41 AND 70", "(SELECT facts FROM dossier_rows WHERE finished_at IS NULL "
                             "ORDER BY id LIMIT 1)"),
    # the row's own values restated (rewritten without them) or other ones (kept)
    ("id BETWEEN 71 AND 75", f"json_set(facts, '$.u', {UNIT})"),
    ("id BETWEEN 76 AND 78", "json_set(facts, '$.u', 'KHAC')"),
    ("id BETWEEN 79 AND 81", "json_set(facts, '$.d', date(received_at, 'unixepoch'))"),
    ("id BETWEEN 82 AND 84", "json_set(facts, '$.d', '2020-02-02')"),
    ("id BETWEEN 85 AND 87", f"json_set(facts, '$.hz', {DUE})"),
    ("id BETWEEN 88 AND 90", "json_set(facts, '$.hz', '2030-01-01 08:00:00')"),
    ("id BETWEEN 91 AND 93", "json_set(facts, '$.fd', date(finished_at, 'unixepoch'))"),
    ("id BETWEEN 94 AND 96", "json_set(facts, '$.fd', '2021-03-03')"),
    ("id BETWEEN 97 AND 99", "json_set(facts, '$.fd', NULL)"),
    # a key spelt with an escape: the first row's own day restated (rewritten without it),
    # the same text on rows of other days (kept)
    ("id IN (100, 160, 170, 180, 190)",
     "'{\"\\u0064\":\"' || (SELECT date(received_at, 'unixepoch') FROM dossier_rows "
     "WHERE id = 100) || '\",\"k\":1}'"),
    # the first row's own due restated, the same text on rows of other dues
    ("id BETWEEN 135 AND 139",
     f"'{{\"hz\":\"' || (SELECT {DUE} FROM dossier_rows WHERE id = 135) || '\",\"k\":1}}'"),
    ("id BETWEEN 105 AND 109", "'{\"\\u0066d\":null,\"k\":1}'"),
    # keys in another order, spaces
    ("id BETWEEN 110 AND 114", "'{ \"k\" : 1, \"fee\" : 1 }'"),
    # unreadable: not JSON, not an object, an unknown class
    ("id BETWEEN 115 AND 116", "'not json'"),
    ("id BETWEEN 117 AND 118", "'[1, 2]'"),
    ("id BETWEEN 119 AND 120", "'{\"c\":\"x\"}'"),
    # read, but facts.marks refuses them half-way (a span without its end)
    ("id BETWEEN 121 AND 124", "'{\"s\":[[\"2025-01-02\"]]}'"),
    # a value of the wrong kind
    ("id BETWEEN 125 AND 126", "'{\"on\":\"yes\",\"c\":{\"po\":\"late\"}}'"),
    ("id BETWEEN 127 AND 128", "'{\"u\":[1],\"k\":1}'"),
    # no facts, facts that are no text
    ("id BETWEEN 129 AND 130", "NULL"),
    ("id BETWEEN 131 AND 132", "5"),
    ("id BETWEEN 133 AND 134", "x'7b7d'"),
]


@pytest.fixture
def part(tmp_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    office_path = tmp_path / "office.db"
    office = open_database(office_path)
    demo.generate(office, dossiers=200, seed=1, today=TODAY)
    office.close()
    path = make_part(office_path, tmp_path / "part.db", 1, 1)
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER dossiers_facts_origin")  # facts written as they are given
    conn.execute("PRAGMA ignore_check_constraints = 1")
    for ids, value in SPOILED:
        conn.execute(f"UPDATE dossier_rows SET facts = {value} WHERE {ids}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("left,bound", [([], None), ([3, 41, 160, 121], None), ([], 3)],
                         ids=["all", "some-left", "forgetting-every-3"])
def test_each_text_read_once_gives_what_each_row_read_alone_gives(part, left, bound,
                                                                  monkeypatch):
    """`bound`: the readings kept are forgotten every few texts (READINGS_MAX), in the middle
    of the part: the same result."""
    if bound is not None:
        monkeypatch.setattr(facts_job, "READINGS_MAX", bound)
    expected = _one_by_one(part, left)
    assert expected[0] and expected[1] and expected[2]  # rewritten, computed, marked: all there
    if not left:  # (places: ids - 1) the row's own value left out, another's kept
        rewritten = dict(expected[0])
        assert '"d"' not in rewritten[99] and '"d"' in rewritten[159]
        assert '"hz"' not in rewritten[134] and 135 not in rewritten
    facts_job._READINGS.clear()
    for run in ("first", "again"):  # again: every text already read in this process
        rewrite, computed = facts_job._facts_job(str(part), left, "t")
        marks = facts_job._MARKS.pop("t").total()
        assert rewrite == expected[0], run
        assert computed == expected[1], run
        assert marks == expected[2], run
    # the texts shared by many rows were read once, not once a row
    rows = sqlite3.connect(part).execute("SELECT COUNT(*) FROM dossier_rows").fetchone()[0]
    assert len(facts_job._READINGS) < (rows - 60 if bound is None else bound + 1)
    facts_job._marks_total("t")
    assert facts_job._READINGS == {}  # forgotten with the operation's marks


def test_a_shared_text_gives_each_row_its_own_unit_and_days(part):
    """The marks of one text on rows of other units and days land on each row's own."""
    conn = sqlite3.connect(part)
    units = {r[0] for r in conn.execute(f"SELECT {UNIT} FROM dossier_rows WHERE id BETWEEN 1 "
                                        "AND 40")}
    days = {r[0] for r in conn.execute("SELECT date(received_at, 'unixepoch') FROM dossier_rows "
                                       "WHERE id BETWEEN 1 AND 40")}
    conn.close()
    assert len(units) > 1 and len(days) > 1  # the case is there
    facts_job._READINGS.clear()
    facts_job._facts_job(str(part), list(range(41, 201)), "t")
    marks = facts_job._MARKS.pop("t").total()
    assert {unit for unit, _day, _column in marks} == units
    assert days <= {day for _unit, day, column in marks if column.startswith("recv_")}
    assert marks == _one_by_one(part, list(range(41, 201)))[2]
    facts_job._READINGS.clear()
