"""The event history stored compact (db.events_codec, issue 18): moments as seconds and words as
codes, every value given back word for word by the view `events`, the hash chain unchanged.

A demo written as schema 14 stored it (plain text), with events whose values do not fit the
compact form, is upgraded: every event reads back identical, the chain head is the same and
`check` passes (it recomputes every hash from the decoded content, so it proves the codec
lossless). An edit of a stored code or word is caught; the rows stay append-only."""
from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3

import pytest

from core import demo
from core.database import _first_contents, open_database, start_ledger
from core.maintenance import audit, check_database
from db import chain, events_codec, schema
from db.connection import connect, transaction
from tests.db import older as older_rows
from tests.db.older import facts_before_19, keys_stored

BEFORE = schema.MIGRATIONS.index(schema.EVENTS_COMPACT)  # the schema that stored text
TODAY = dt.date(2026, 11, 27)
# The chain head of the 300-dossier demo of seed 1 made by the code before the compact form
# (main 4546958): the content hashed is unchanged, so the head is too.
HEAD_300 = "37BB6DF9D772307A5684282DA27E0DAE238FA5105829E9DF025B1CA1F3A81D27"
COLUMNS = "id, dossier_id, at, actor, action, from_status, to_status, reason, details, hash"
# (at, actor, action, from_status, reason, details): values the compact form cannot take, kept
# as they are; actions no replay reads and no status, so the dossier's fields stay vouched for
ODD = [
    ("2025-04-01T07:03:01", "canbo.trile.cu", "ghi_chu", None, None, None),
    ("2025-04-01 07:03", None, "ghi_chu", "", "thiếu giây", None),
    ("2025-02-30 10:00:00", "Nguyễn Văn Ánh ✓", "ghi chú lạ 🙂", None, None, '{"a":"ư"}'),
    ("2025-04-01 23:59:60", "42", "note", "received", None, None),
    ("0000-01-01 00:00:00", "os:ánh", "note", None, None, None),
    (" 2025-04-01 07:03:01", "canbo.trile.cu", "note", None, None, None),
    ("2025-04-01 07:03:01.5", "canbo.trile.cu", "note", None, None, None),
    ("２０２５-04-01 07:03:01", "canbo.trile.cu", "note", None, None, None),
    ("", "canbo.trile.cu", "note", None, None, None),
]
# canonical moments at the edges of what SQLite's datetime() gives back
EDGES = ["0001-01-01 00:00:00", "1969-12-31 23:59:59", "1970-01-01 00:00:00",
         "2024-02-29 12:00:00", "2038-01-19 03:14:08", "9999-12-31 23:59:59"]


def _schema_14(path) -> None:
    """A demo as schema 14 stored it (the events as text), plus the odd events."""
    db = connect(path)
    schema.migrate(db, target=BEFORE)
    _first_contents(db)
    start_ledger(db)
    demo.generate(db, dossiers=300, seed=1, today=TODAY)
    assert audit.chain_head(db).digest.hex().upper() == HEAD_300
    with transaction(db) as conn:
        first = conn.execute("SELECT MAX(id) FROM events").fetchone()[0] + 1
        conn.executemany("INSERT INTO events(dossier_id, at, actor, action, from_status, "
                         "to_status, reason, details) VALUES (1, ?, ?, ?, ?, NULL, ?, ?)",
                         ODD + [(at, "canbo.trile.cu", "note", None, None, None) for at in EDGES])
        chain.seal(conn, first)
        facts_before_19(conn)  # the facts as that schema stored them
        conn.execute("UPDATE settings SET value = '0' WHERE key = 'kpi_stale'")
        keys_stored(conn)
    db.close()


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "schema14.db"
    _schema_14(path)
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()
    assert conn.execute("SELECT type FROM sqlite_master WHERE name = 'events'").fetchone()[0] == "table"
    conn.close()
    return path, rows


@pytest.fixture
def older(original, tmp_path):
    path = tmp_path / "test.db"
    shutil.copy(original[0], path)
    return path, original[1]


def test_the_upgrade_keeps_every_event_word_for_word(older):
    path, before = older
    told: list[tuple[int, int]] = []
    db = open_database(path, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        after = db.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()
        stored = dict(db.execute("SELECT id, typeof(at) FROM event_rows").fetchall())
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        head = audit.chain_head(db)
        full = chain.head(db.conn)
    finally:
        db.close()
    assert len(after) == len(before) > 1000
    # row for row, column for column, type too (the hash: the prefix schema 20 keeps)
    for old, new in zip(older_rows.as_before_prefix(before), after, strict=True):
        assert [(type(v), v) for v in new] == [(type(v), v) for v in old]
    odd = {row[0] for row in before if row[2] in {o[0] for o in ODD}}
    assert len(odd) == len(ODD) and all(stored[i] == "text" for i in odd)
    assert all(kind == "integer" for i, kind in stored.items() if i not in odd)
    assert head is not None and head.event_id == before[-1][0] and head.digest == before[-1][-1][:8]
    assert full == (before[-1][0], before[-1][-1])  # the full head: the same chain
    assert "old_events" not in names and "event_words" in names
    assert (len(before), len(before)) in told
    assert [f.text for f in check_database(path) if not f.ok] == []


def test_a_cancelled_upgrade_changes_nothing(older):
    path, before = older
    with pytest.raises(InterruptedError):  # "Huỷ" while the events are converted
        open_database(path, progress=lambda done, total: total != len(before))
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall() == before
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'event_rows'").fetchone() is None
    finally:
        conn.close()


def test_a_new_demo_writes_the_compact_form_with_the_same_chain(tmp_path, original):
    db = open_database(tmp_path / "new.db")
    demo.generate(db, dossiers=300, seed=1, today=TODAY)
    try:
        head = audit.chain_head(db)
        full = chain.head(db.conn)
        rows = db.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()
        kinds = {r[0] for r in db.execute("SELECT DISTINCT typeof(at) FROM event_rows")}
        worded = db.execute("SELECT COUNT(*) FROM event_rows WHERE typeof(actor) = 'integer' "
                            "AND typeof(action) = 'integer'").fetchone()[0]
        assert audit.first_break(db) is None and audit.verify_fields(db).ok
    finally:
        db.close()
    assert head is not None and head.digest.hex().upper() == HEAD_300[:16]  # its prefix
    assert full is not None and full[1].hex().upper() == HEAD_300  # the same chain
    # the demo part of the schema-14 file, identical (the hash: its prefix)
    assert rows == older_rows.as_before_prefix(original[1][:len(rows)])
    assert kinds == {"integer"} and worded == len(rows)


def test_canonical_moments_come_back_from_sqlite_as_they_were():
    rng = random.Random(7)
    start, span = dt.datetime(1, 1, 1), (dt.datetime(9999, 12, 31, 23, 59, 59) - dt.datetime(1, 1, 1))
    moments = EDGES + [str(start + dt.timedelta(seconds=rng.randrange(int(span.total_seconds()))))
                       for _ in range(3000)]
    conn = sqlite3.connect(":memory:")
    for text in moments:
        code = events_codec.moment_code(text)
        assert isinstance(code, int), text
        assert conn.execute("SELECT datetime(?, 'unixepoch')", [code]).fetchone()[0] == text
    for at, *_ in ODD:
        assert events_codec.moment_code(at) == at
    assert events_codec.moment_code(None) is None


def _written(tmp_path):
    """A database with the worked dossiers (tests/core/tamper.py) written by MotCua."""
    from tests.core import tamper
    path = tmp_path / "worked.db"
    db = open_database(path)
    tamper.build(db)
    db.close()
    return path


def _problems(path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok]


@pytest.mark.parametrize(("edit", "broken"), [
    ("UPDATE event_rows SET at = at + 60 WHERE id = 3", 3),
    ("UPDATE event_rows SET actor = (SELECT MAX(code) FROM event_words) WHERE id = 3", 3),
    ("UPDATE event_rows SET action = (SELECT word FROM event_words WHERE code = action) || ' ' "
     "WHERE id = 3", 3),
    # a word is shared: the chain breaks at the first event that uses it
    ("UPDATE event_words SET word = word || 'x' WHERE code = "
     "(SELECT action FROM event_rows WHERE id = 3)", 3),
    ("UPDATE event_words SET word = word || 'x' WHERE code = "
     "(SELECT actor FROM event_rows WHERE id = 3)", 1),
])
def test_an_edit_of_a_stored_compact_value_is_caught(tmp_path, edit, broken):
    """What a tester does with the sqlite3 tool: the append-only triggers dropped, one stored
    value changed, the triggers made again exactly as they were (so the file still opens)."""
    path = _written(tmp_path)
    assert _problems(path) == []
    conn = sqlite3.connect(path)
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE name IN "
                            "('events_sealed_final', 'event_words_never_changed')").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(edit)
    assert conn.total_changes == 1
    for _, sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.close()
    assert any(f"Chuỗi lịch sử bị đứt ở sự kiện số {broken} " in text for text in _problems(path))


@pytest.mark.parametrize("statement", [
    "UPDATE event_rows SET reason = 'khác' WHERE id = 2",
    "UPDATE event_rows SET at = at + 1 WHERE id = 2",
    "DELETE FROM event_rows WHERE id = 2",
    "DELETE FROM event_rows WHERE id = (SELECT MAX(id) FROM event_rows)",
    "UPDATE events SET reason = 'khác' WHERE id = 2",
    "DELETE FROM events WHERE id = 2",
    "UPDATE event_words SET word = 'x' WHERE code = 1",
    "DELETE FROM event_words WHERE code = 1",
])
def test_the_stored_history_stays_append_only(tmp_path, statement):
    path = _written(tmp_path)
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    finally:
        conn.close()


def test_words_and_moments_of_any_kind_read_back_as_written(tmp_path):
    """What the old TEXT columns kept, through the one writer of single events: a number
    becomes its text, NULL stays NULL, an empty word stays empty."""
    db = open_database(tmp_path / "odd.db")
    from tests.core import tamper
    tamper.build(db)
    values = [("2025-03-03 09:00:00", 42, "note", None), (20250303, "canbo", 1.5, "x"),
              ("2025-03-03T09:00:00", "Ánh", "note ✓", "")]
    with transaction(db) as conn:
        for at, actor, action, source in values:
            event_id = events_codec.insert_one(conn, 1, at, actor, action, source, None, None, None)
            chain.seal(conn, event_id)
    rows = db.execute("SELECT at, actor, action, from_status FROM events "
                      "ORDER BY id DESC LIMIT 3").fetchall()[::-1]
    stored = db.execute("SELECT typeof(at) FROM event_rows ORDER BY id DESC LIMIT 3").fetchall()
    db.close()
    assert rows == [("2025-03-03 09:00:00", "42", "note", None), ("20250303", "canbo", "1.5", "x"),
                    ("2025-03-03T09:00:00", "Ánh", "note ✓", "")]
    assert stored == [("text",), ("text",), ("integer",)]
    assert _problems(tmp_path / "odd.db") == []
    conn = sqlite3.connect(tmp_path / "odd.db")  # the sqlite3 tool writes through the view
    conn.execute("INSERT INTO events(dossier_id, at, actor, action) VALUES (1, 20250303, 7, 'x')")
    assert conn.execute("SELECT at, actor, action, hash FROM events ORDER BY id DESC LIMIT 1"
                        ).fetchone() == ("20250303", "7", "x", None)
    conn.close()
