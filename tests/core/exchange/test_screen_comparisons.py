"""The screen's conditions written with fewer SQLite function calls (docs/speed.md, thirty-first
round) give the very verdict of the forms they replace, for values of every kind: "not blank"
asks trim() only where the first character might be whitespace (`_not_blank`), a width asks
typeof() only of a text too long or a value of another kind (`_fits`), and a storage class is
told by comparisons where it can be (`constraints._KEPT`, the events' details)."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from bench.fastcopy_parts import make_part
from core import demo, timefmt
from core.database import open_database
from core.exchange.fastcopy import conditions, constraints, partdb

# values of every storage class, and texts that try the first character's test: every
# whitespace character alone, before and after a letter; NUL, control characters, a
# character past the BMP; and bytes that are no UTF-8 (stored as text by a CAST)
SPACES = [chr(p) for p in range(0x10000) if chr(p).isspace()]
TEXTS = ["", "A", "a b", "Đỗ Văn A", "Ư", "~", "!", "\x00a", "\x00", "\x01x", "\x7f", "\x84x",
         "😀 x", "\ufffd", "\ufeffA", *SPACES, *(s + "A" for s in SPACES),
         *("A" + s for s in SPACES), *(s + s for s in SPACES[:6])]
RAW = ["c2a0", "c2a080", "c2a041", "c2c2a0", "e38080", "e3808041", "80", "ff41", "20ff", "c0a0",
       "e082a0", "eda080", "f09f9880",
       # unicode() reads every continuation byte, its sum wrapping at 32 bits: a whitespace
       # (NEL) followed by stray ones, and an overlong form, read as 128, inside the run
       "c285808080808280", "e08280", "c181"]
OTHERS = [None, 0, 5, -12345, 5.5, 2.0, b"", b"A", b"\xc2\xa0", b" "]


def _table(column_type: str = "") -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE TABLE t(x {column_type})")
    conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in [*TEXTS, *OTHERS]])
    conn.executemany("INSERT INTO t VALUES (CAST(? AS TEXT))", [(bytes.fromhex(h),) for h in RAW])
    return conn


def _pairs(conn, new: str, old: str) -> list:
    return conn.execute(f"SELECT typeof(x) || hex(x), {new}, {old} FROM t", conditions.params()).fetchall()


@pytest.mark.parametrize("column_type", ["TEXT", ""])
def test_not_blank_is_trim_s_verdict(column_type):
    conn = _table(column_type)
    rows = _pairs(conn, conditions._not_blank("x"), "trim(x, :space) <> ''")
    assert len(rows) == len(TEXTS) + len(OTHERS) + len(RAW)
    assert [r for r in rows if r[1] != r[2]] == []


def test_not_blank_is_checks_rule_for_texts():
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {conditions._not_blank('v.x')} FROM (SELECT :value AS x) v"
    for value in TEXTS:
        found = conn.execute(sql, {**conditions.params(), "value": value}).fetchone()[0]
        assert bool(found) is bool(value.strip()), repr(value)


def test_the_solid_run_holds_no_whitespace():
    made = conditions.params()
    low, high = made["solid_low"], made["solid_high"]
    assert low <= ord("A") <= high and (low, high) == (33, 132)
    assert not any(chr(p).isspace() for p in range(low, high + 1))


@pytest.mark.parametrize("column_type", ["TEXT", ""])
def test_fits_is_the_width_check_s_verdict(column_type):
    conn = _table(column_type)
    for most in (0, 1, 2, 3, 5):
        rows = _pairs(conn, conditions._fits("x", most),
                      f"(typeof(x) <> 'text' OR length(x) <= {most})")
        assert [r for r in rows if r[1] != r[2]] == [], most


OLD_KEPT = {"integer": "('null', 'integer')", "numeric": "('null', 'integer')",
            "real": "('null', 'real')", "text": "('null', 'text', 'blob')"}


def test_no_class_is_asked_of_a_column_without_affinity():
    assert constraints._affinity("") == "blob" and "blob" not in constraints._KEPT


@pytest.mark.parametrize("column_type", ["INTEGER", "NUMERIC", "REAL", "TEXT"])
def test_kept_classes_are_typeof_s(column_type):
    affinity = constraints._affinity(column_type)
    conn = _table(column_type)
    assert {r[0] for r in conn.execute("SELECT typeof(x) FROM t")} >= {"null", "text"}
    rows = _pairs(conn, constraints._KEPT[affinity].format("x"),
                  f"typeof(x) IN {OLD_KEPT[affinity]}")
    assert [r for r in rows if r[1] != r[2]] == []


def _events(details: list, column_type: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE event_rows (id INTEGER PRIMARY KEY, dossier_id INTEGER, at, "
                 f"actor, action, from_status, to_status, reason TEXT, details {column_type})")
    second = conditions.params()["first_second"] + 86400
    conn.executemany("INSERT INTO event_rows VALUES (NULL, ?, ?, 1, 2, NULL, 3, NULL, ?)",
                     [(i, second, v) for i, v in enumerate(details)])
    conn.executemany("INSERT INTO event_rows VALUES (NULL, ?, ?, 1, 2, NULL, 3, NULL, "
                     "CAST(? AS TEXT))", [(100 + i, second, bytes.fromhex(h))
                                          for i, h in enumerate(RAW)])
    return conn


@pytest.mark.parametrize("texts", [False, True])
@pytest.mark.parametrize("coded", [False, True])
@pytest.mark.parametrize("column_type", ["TEXT", ""])
def test_the_events_details_told_apart_by_comparisons(texts, coded, column_type):
    """The events' screen flags exactly the dossiers whose details are neither NULL, a text
    (free of control characters, `texts`) nor a BLOB the coded test takes, as typeof() did
    (numbers: kept as numbers only where the column has no TEXT affinity, a crafted file's)."""
    details = [None, "x", "", "a\x01b", 5, 5.5, 0, b"7", b"[7,1]", b"\x00", b"", b"zz"]
    conn = _events(details, column_type)
    words = "{0} BETWEEN 1 AND 9"
    coded_sql = "1" if coded else conditions._coded_ok("e.details", words)
    old_ok = ("(e.details IS NULL OR (typeof(e.details) = 'text'"
              + (f" AND NOT {conditions._has_control('e.details')}" if texts else "")
              + f") OR (typeof(e.details) = 'blob' AND {coded_sql}))")
    old = {r[0] for r in conn.execute(
        f"SELECT dossier_id FROM event_rows e WHERE {conditions._refused(old_ok)}",
        conditions.params())}
    new = {r[0] for r in conn.execute(conditions._events_bad("main", texts, words, coded),
                                      conditions.params())}
    assert new == old
    assert ({4, 5, 6} <= new) is (column_type == "")  # the numbers
    assert (3 in new) is texts  # a control character
    assert 0 not in new and 1 not in new and 2 not in new


@pytest.fixture
def part(tmp_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 11, 3, 9, 30))
    office_path = tmp_path / "office.db"
    office = open_database(office_path)
    demo.generate(office, dossiers=60, seed=1, today=dt.date(2025, 10, 31))
    office.close()
    return make_part(office_path, tmp_path / "part.db", 1, 1)


def test_the_dossiers_screen_asks_trim_only_of_a_first_character_that_may_be_space(part):
    """trim() (with a set of characters: parsed again on every call) is asked of a dossier's
    code and applicant's name only when its first character is outside the run around "A"
    that holds no whitespace; before, of every dossier, twice (a third of the dossiers'
    screen)."""
    conn = partdb.read_only(str(part))
    try:
        calls = []

        def counted(value, chars):
            calls.append(value)
            return value.strip(chars) if isinstance(value, str) else value
        conn.create_function("trim", 2, counted, deterministic=True)
        made = conditions.params()
        rows = conn.execute("SELECT code, applicant_name FROM dossier_rows").fetchall()
        outside = [v for row in rows for v in row
                   if not made["solid_low"] <= ord(v[0]) <= made["solid_high"]]
        flagged = conn.execute(
            f"SELECT d.id FROM dossier_rows d WHERE "
            f"{conditions._refused(conditions._dossier_ok(False))}", made).fetchall()
        assert flagged == []
        assert len(rows) == 60 and sorted(calls) == sorted(outside)
        assert len(calls) < len(rows)
    finally:
        conn.close()


def _crafted(path, column_type: str, values: list) -> sqlite3.Connection:
    """A table whose column is declared `column_type` but holds `values` as they were given
    (numbers in a TEXT column too): stored under no affinity, then the declared type written
    into the schema, as a crafted package may (PRAGMA writable_schema)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE event_rows (id INTEGER PRIMARY KEY, dossier_id INTEGER, at, "
                 "actor, action, from_status, to_status, reason TEXT, details)")
    second = conditions.params()["first_second"] + 86400
    conn.executemany("INSERT INTO event_rows VALUES (NULL, ?, ?, 1, 2, NULL, 3, NULL, ?)",
                     [(i, second, v) for i, v in enumerate(values)])
    conn.commit()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'details)', ?) WHERE name = "
                 "'event_rows'", [f"details {column_type})"])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT type FROM pragma_table_info('event_rows') WHERE name = "
                        "'details'").fetchone()[0] == column_type
    return conn


CRAFTED = [None, "x", "", 5, 5.5, 0, -3, b"", b"7"]


@pytest.mark.parametrize("affinity", ["text", "integer", "numeric", "real"])
def test_kept_classes_of_numbers_a_crafted_file_stores_in_a_text_column(tmp_path, affinity):
    """A TEXT column compares a number with a text as its text (5 >= '' is true): the
    comparison that tells a text or a BLOB from a number must not take the column's affinity,
    or a number a crafted package stores in a TEXT column passes as a text."""
    declared = {"text": "TEXT", "integer": "INTEGER", "numeric": "NUMERIC", "real": "REAL"}
    conn = _crafted(tmp_path / "crafted.db", declared[affinity], CRAFTED)
    rows = conn.execute(f"SELECT typeof(details), {constraints._KEPT[affinity].format('details')},"
                        f" typeof(details) IN {OLD_KEPT[affinity]} FROM event_rows").fetchall()
    # (a REAL column reads an integer it holds as a real)
    assert {r[0] for r in rows} >= {"null", "text", "real", "blob"}
    assert [r for r in rows if bool(r[1]) != bool(r[2])] == []


@pytest.mark.parametrize("texts", [False, True])
def test_numbers_a_crafted_file_stores_in_the_details_column_are_flagged(tmp_path, texts):
    """event_rows.details is a TEXT column: a number stored there is not a form MotCua
    writes, and the events' screen flags its dossier as typeof() did."""
    conn = _crafted(tmp_path / "crafted.db", "TEXT", CRAFTED)
    words = "{0} BETWEEN 1 AND 9"
    coded_sql = conditions._coded_ok("e.details", words)
    old_ok = ("(e.details IS NULL OR (typeof(e.details) = 'text'"
              + (f" AND NOT {conditions._has_control('e.details')}" if texts else "")
              + f") OR (typeof(e.details) = 'blob' AND {coded_sql}))")
    old = {r[0] for r in conn.execute(
        f"SELECT dossier_id FROM event_rows e WHERE {conditions._refused(old_ok)}",
        conditions.params())}
    new = {r[0] for r in conn.execute(conditions._events_bad("main", texts, words),
                                      conditions.params())}
    assert {3, 4, 5, 6} <= old  # the numbers
    assert new == old
