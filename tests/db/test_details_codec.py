"""The events' details stored coded (db.events_codec `Details`, issue 18): a text's JSON shape
kept once in `event_words`, its values as a JSON array, the text given back byte for byte by
the view `events` in SQL; a text that would not come back exactly is kept as it was.

A schema-16 file (details stored as written) holding a demo and details of every odd kind is
upgraded: every event reads back identical (types too), the chain head is the same and
`check` passes; an edit of a stored code or value is caught at its event; a cancelled upgrade
changes nothing; random JSON-ish texts come back from SQLite exactly as written."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import demo
from core.database import _first_contents, open_database, start_ledger
from core.maintenance import audit, check_database
from db import chain, events_codec, schema, steps
from db.connection import connect, transaction
from tests.db import older as older_rows
from tests.db.older import facts_before_19, keys_stored

BEFORE = schema.MIGRATIONS.index(schema.DETAILS_COMPACT)  # the schema that stored them as written
TODAY = dt.date(2026, 11, 27)
# The chain head of the 300-dossier demo of seed 1 made by the code before (tests/db/
# test_events_codec.py): the text hashed is the decoded one, so the head is unchanged.
HEAD_300 = "37BB6DF9D772307A5684282DA27E0DAE238FA5105829E9DF025B1CA1F3A81D27"
COLUMNS = "id, dossier_id, at, actor, action, from_status, to_status, reason, details, hash"
CODED = [  # texts the coded form takes
    '{"channel":"direct","fee":null,"due_at":null}',  # SQLite's json_object (the demo)
    '{"channel": "direct", "fee": 2000, "due_at": "2026-12-01 17:00:00"}',  # json.dumps
    '{"amount":100000,"method":"online","over_fee":5000}',
    '{"note": "Đơn đề nghị, bản sao", "ok": true, "n": -3, "x": 1.5}',
    '{"note": "\\u0110\\u01a1n \\"x\\"\\n", "r": 0.1}',  # ensure_ascii, escapes
    '{"a":1,"a":2}',  # a key repeated, both kept
    '{"stage": {"received_at": "2025-04-01 07:03:01", "fee": null, "status": "done"}}',
    '{"components": [{"position": 1, "name": "Tờ khai", "problem": "missing"}]}',
    '{"pct":"50%","fmt":"%s %d %%"}', '{"pct": "100%", "ok": false}',  # printf's own sign
    '{"big":123456789012345678901234567890}', '{"tiny":1e-07,"neg0":-0.0}',
    "{}", "[]", '[1,"a",null]', '{"deep":' + "[" * 50 + "]" * 50 + "}",
]
KEPT = [  # texts kept as they are: coded, SQLite or the shape would not give them back
    '{"amount": 1e5}', '{"amount":100000.00}', '{"x":NaN}', '{"x":Infinity}',
    '{"a" : 1}', '{"a":1} ', ' {"a":1}', '{\n  "a": 1\n}', '{"a":1,"b":2, "c":3}',
    '{"x":"\\u00e9","y":"é"}',  # escapes of both kinds in one text
    '{"x":"\\/"}', '{"n":-0}', '{"n":01}', '"just a string"', "42", "null", "true",
    "not json at all", "", "{", '{"a":1}{"b":2}', '{"x":"' + "y" * 3000 + '"}',
    '{"v":[1,2,3,4,5,6,7,8,9]}',  # more values than a shape takes
    "[" * 990 + "]" * 990,  # deeper than Python's recursion goes
]


def _events(conn, details: list) -> list[tuple]:
    """Events of dossier 1 with these details, written by SQL through schema 16's view."""
    return [(1, "2025-04-01 07:03:01", "canbo.trile.cu", "ghi_chu", None, None, None, d)
            for d in details]


def _schema_16(path) -> None:
    """A demo as schema 16 stored it (details as written), plus details of every kind, the odd
    ones written by SQL as the sqlite3 tool would (a blob, a number: the TEXT column's text)."""
    db = connect(path)
    schema.migrate(db, target=BEFORE)
    _first_contents(db)
    start_ledger(db)
    demo.generate(db, dossiers=300, seed=1, today=TODAY)
    assert audit.chain_head(db).digest.hex().upper() == HEAD_300
    with transaction(db) as conn:
        first = conn.execute("SELECT MAX(id) FROM events").fetchone()[0] + 1
        conn.executemany("INSERT INTO events(dossier_id, at, actor, action, from_status, "
                         "to_status, reason, details) VALUES (?,?,?,?,?,?,?,?)",
                         _events(conn, [*CODED, *KEPT, 12, 2.5, None]))
        chain.seal(conn, first)
        facts_before_19(conn)  # the facts as that schema stored them
        conn.execute("UPDATE settings SET value = '0' WHERE key = 'kpi_stale'")
        keys_stored(conn)
    db.close()


def _read(path) -> tuple[list, list]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()
        kinds = conn.execute("SELECT id, typeof(details) FROM events ORDER BY id").fetchall()
    finally:
        conn.close()
    return rows, kinds


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    path = tmp_path_factory.mktemp("details") / "schema16.db"
    _schema_16(path)
    return path, *_read(path)


@pytest.fixture
def older(original, tmp_path):
    path = tmp_path / "test.db"
    shutil.copy(original[0], path)
    return path, original[1], original[2]


def test_the_upgrade_codes_the_details_and_gives_every_event_back(older):
    path, before, kinds = older
    told: list[tuple[int, int]] = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        stored = dict(db.execute("SELECT id, details FROM event_rows").fetchall())
        head = audit.chain_head(db)
        full = chain.head(db.conn)
    finally:
        db.close()
    after, kinds_after = _read(path)
    assert kinds_after == kinds  # typeof(details) too: text, blob, NULL as they were
    for old, new in zip(older_rows.as_before_prefix(before), after, strict=True):
        assert [(type(v), v) for v in new] == [(type(v), v) for v in old]  # the hash: its prefix
    assert head is not None and head.digest == before[-1][-1][:8]
    assert full == (before[-1][0], before[-1][-1])  # the full head: the same chain
    details = {row[0]: row[8] for row in before}
    coded = {i for i, value in stored.items() if isinstance(value, bytes)}
    assert {details[i] for i in coded} >= set(CODED)  # every one of them stored coded
    assert not {details[i] for i in coded} & set(KEPT)
    assert all(stored[i] == details[i] for i in stored if details[i] in KEPT)
    assert len(coded) > 300 + len(CODED)  # a receive of each dossier, its payments …
    last = len(before)
    assert (last, last) in told
    assert [f.text for f in check_database(path) if not f.ok] == []


def test_a_cancelled_upgrade_changes_nothing(older):
    path, before, kinds = older
    with pytest.raises(InterruptedError):  # "Huỷ" while the details are coded
        open_database(path, progress=lambda done, total: False)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert conn.execute("SELECT COUNT(*) FROM event_rows WHERE typeof(details) = 'blob'"
                            ).fetchone()[0] == 0
        assert "details coded" not in conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    finally:
        conn.close()
    assert _read(path) == (before, kinds)
    assert [f.text for f in check_database(path) if not f.ok] == []


def test_a_blob_written_by_sql_before_is_kept_as_it_was(older):
    """A blob cannot be hashed (db.chain): the sqlite3 tool's blob events stay unsealed, for
    `check` to name, but their values come through the upgrade as they were."""
    path = older[0]
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO events(dossier_id, at, actor, action, from_status, to_status, "
                     "reason, details) VALUES (?,?,?,?,?,?,?,?)",
                     _events(conn, [b"17", b"[1,2]", b"\x00[1]\xff", b"", "[1]"]))
    conn.commit()
    conn.close()
    before = _read(path)
    open_database(path).close()
    # every value as it was (the hash: the prefix schema 20 keeps; those events have none)
    assert _read(path) == (older_rows.as_before_prefix(before[0]), before[1])
    conn = sqlite3.connect(path)
    stored = [r[0] for r in conn.execute("SELECT details FROM event_rows ORDER BY id DESC LIMIT 5")]
    assert stored[:0:-1] == [b"\x0017", b"\x00[1,2]", b"\x00\x00[1]\xff", b"\x00"]
    assert stored[0].startswith(b"[") and stored[0].endswith(b",1]")  # the text [1], coded
    conn.close()


def test_the_upgraded_rows_stay_append_only(older):
    path = older[0]
    open_database(path).close()
    conn = sqlite3.connect(path)
    try:
        for statement in ("UPDATE event_rows SET details = NULL WHERE id = 1",
                          "DELETE FROM event_rows WHERE id = 1",
                          "UPDATE events SET details = '{}' WHERE id = 1"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    finally:
        conn.close()


def _problems(path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok]


def _first_coded(conn, kind: str) -> int:
    """The first event whose details are coded with (`[`) or without values."""
    test = "substr(details, 1, 1) = x'5b'" if kind == "values" else "substr(details, 1, 1) <> x'5b'"
    return conn.execute(f"SELECT MIN(id) FROM event_rows WHERE typeof(details) = 'blob' AND "
                        f"{test}").fetchone()[0]


@pytest.mark.parametrize("edit", [
    # the shape's code: another shape
    "UPDATE event_rows SET details = CAST(CAST(CAST(details AS INTEGER) + 1 AS TEXT) AS BLOB) "
    "WHERE id = {plain}",
    # a value changed (2000 → 2001, 100000 → 100001 …)
    "UPDATE event_rows SET details = CAST(replace(CAST(details AS TEXT), '0]', '1]') AS BLOB) "
    "WHERE id = {values}",
    # a value's array broken: SQLite cannot read it, the check still names the event
    "UPDATE event_rows SET details = CAST(substr(CAST(details AS TEXT), 1, "
    "length(details) - 1) AS BLOB) WHERE id = {values}",
    # the coded text taken for text
    "UPDATE event_rows SET details = CAST(details AS TEXT) WHERE id = {plain}",
])
def test_an_edit_of_a_stored_details_code_or_value_is_caught(tmp_path, original, edit):
    path = tmp_path / "test.db"
    shutil.copy(original[0], path)
    open_database(path).close()
    conn = sqlite3.connect(path)
    targets = {"plain": _first_coded(conn, "plain"), "values": _first_coded(conn, "values")}
    sql = edit.format(**targets)
    broken = targets["plain" if "{plain}" in edit else "values"]
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'events_sealed_final'"
                           ).fetchone()[0]
    conn.execute("DROP TRIGGER events_sealed_final")
    conn.execute(sql)
    assert conn.total_changes == 1
    conn.execute(trigger)
    conn.commit()
    conn.close()
    assert any(f"Chuỗi lịch sử bị đứt ở sự kiện số {broken} " in text
               for text in _problems(path))


def test_a_new_demo_codes_its_details_with_the_same_chain(tmp_path, original):
    db = open_database(tmp_path / "new.db")
    demo.generate(db, dossiers=300, seed=1, today=TODAY)
    try:
        head = audit.chain_head(db)
        full = chain.head(db.conn)
        rows = db.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()
        kinds = dict(db.execute("SELECT typeof(details), COUNT(*) FROM event_rows GROUP BY 1"))
        assert audit.first_break(db) is None and audit.verify_fields(db).ok
    finally:
        db.close()
    assert head is not None and head.digest.hex().upper() == HEAD_300[:16]  # its prefix
    assert full is not None and full[1].hex().upper() == HEAD_300  # the same chain
    assert rows == older_rows.as_before_prefix(original[1][:len(rows)])
    assert set(kinds) == {"blob", "null"} and kinds["blob"] > 300


# ----- the codec on its own --------------------------------------------------------------------
def _through_sqlite(texts: list) -> list:
    """Each value written by MotCua's writer of one event into a new file, read back through
    the view `events` (what every reader sees)."""
    conn = sqlite3.connect(":memory:")
    for statement in steps.statements(events_codec.TABLES + events_codec.VIEW):
        conn.execute(statement)
    conn.execute("CREATE TABLE dossiers (id INTEGER PRIMARY KEY)")
    conn.execute("INSERT INTO dossiers VALUES (1)")
    ids = [events_codec.insert_one(conn, 1, "2025-04-01 07:03:01", "x", "note", None, None,
                                   None, text) for text in texts]
    got = [conn.execute("SELECT details, typeof(details) FROM events WHERE id = ?", [i]).fetchone()
           for i in ids]
    conn.close()
    return got


def test_every_kind_of_details_comes_back_from_sqlite_as_written():
    texts = [*CODED, *KEPT, None, b"17", b"\x00\xff", b"[1,2]"]
    got = _through_sqlite(texts)
    assert [value for value, _ in got] == texts
    assert [kind for _, kind in got] == [
        "null" if t is None else "blob" if isinstance(t, bytes) else "text" for t in texts]
    for text in CODED:
        assert events_codec.shape_of(text) is not None, text
    for text in KEPT:
        assert events_codec.shape_of(text) is None, text


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                     st.floats(allow_nan=True, allow_infinity=True),
                     st.text(max_size=12), st.sampled_from(["direct", "online", "cash", "a_b"]))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=10)
_DUMPS = st.sampled_from([
    {"ensure_ascii": False, "separators": (",", ":")}, {"ensure_ascii": False},
    {"ensure_ascii": True}, {"ensure_ascii": True, "separators": (",", ":")},
    {"ensure_ascii": False, "indent": 1}, {"ensure_ascii": False, "separators": (", ", ":")}])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.tuples(_JSON, _DUMPS).map(lambda p: json.dumps(p[0], **p[1])),
                          st.text(max_size=40)), min_size=1, max_size=8))
def test_random_json_texts_come_back_byte_for_byte(texts):
    got = _through_sqlite(texts)
    assert got == [(text, "text") for text in texts]
