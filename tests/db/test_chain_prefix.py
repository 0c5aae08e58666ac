"""Each event keeps the first 8 bytes of its hash (schema 20, issue 18, db.chain): the chain is
still made over full SHA-256 hashes, so every fingerprint printed before still verifies, `check`
and the quick check at start still name an edited event, a deleted tail still shows, and
appending after the upgrade continues the very chain the code before would have made. The
upgrade re-hashes the chain once, refuses one already broken, keeps one full hash in
`chain_marks` for every block of MARK_EVERY ids, and leaves the history append-only."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from core import demo, searchkey
from core import payments as P
from core.database import _first_contents, open_database, start_ledger
from core.maintenance import audit, audit_quick, check_database
from db import chain, schema
from db.connection import connect, transaction
from db.errors import DatabaseEnvironmentError
from tests.core import tamper

TODAY = dt.date(2026, 11, 27)
BEFORE = schema.MIGRATIONS.index(schema.CHAIN_PREFIX)
# The head of the 300-dossier demo (seed 1), the same since schema 8 (tests/db/test_events_codec.py)
HEAD_300 = "37BB6DF9D772307A5684282DA27E0DAE238FA5105829E9DF025B1CA1F3A81D27"


def _problems(path) -> list[str]:
    return [f.text for f in check_database(path) if not f.ok]


def _schema_19(path: Path) -> None:
    """The 300-dossier demo as schema 19 stored it: full hashes, no marks."""
    db = connect(path)
    schema.migrate(db, target=BEFORE)
    _first_contents(db)
    start_ledger(db)
    demo.generate(db, dossiers=300, seed=1, today=TODAY)
    with transaction(db) as conn:
        conn.execute("UPDATE settings SET value = '0' WHERE key = 'kpi_stale'")
        searchkey.mark_current(conn)
    db.close()


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("prefix") / "schema19.db"
    _schema_19(path)
    return path


@pytest.fixture
def older(original, tmp_path) -> Path:
    path = tmp_path / "test.db"
    path.write_bytes(original.read_bytes())
    return path


def _rows(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, hash FROM event_rows ORDER BY id").fetchall()
    finally:
        conn.close()


def _fingerprint(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return audit.chain_head(conn).fingerprint
    finally:
        conn.close()


def _independent_chain(conn) -> list[bytes]:
    """Every event's full hash, made from the decoded content by content_hash alone."""
    full: list[bytes] = []
    for row in conn.execute(chain.CONTENT_SQL + " ORDER BY e.id"):
        full.append(chain.content_hash(full[-1] if full else None, *row[1:]))
    return full


# ----- the upgrade ------------------------------------------------------------------------------
def test_the_upgrade_keeps_prefixes_and_marks_of_the_same_chain(older):
    before = _rows(older)
    assert len(before) > chain.MARK_EVERY and all(len(h) == 32 for _, h in before)
    printed = _fingerprint(older)  # as the monthly report printed it before the upgrade
    assert before[-1][1].hex().upper() == HEAD_300
    told: list[tuple[int, int]] = []
    db = open_database(older, progress=lambda done, total: told.append((done, total)) or True)
    try:
        assert schema.version(db) == schema.SCHEMA_VERSION
        marks = db.execute("SELECT id, hash FROM chain_marks ORDER BY id").fetchall()
        full = chain.head(db.conn)
        ok, said = audit.against(db, printed)
    finally:
        db.close()
    after = _rows(older)
    assert after == [(event_id, digest[:8]) for event_id, digest in before]  # 8 bytes each
    assert marks == [(event_id, digest) for event_id, digest in before
                     if event_id % chain.MARK_EVERY == 0]
    assert full == (before[-1][0], before[-1][1])  # the full head: the same chain
    assert ok and "KHỚP" in said and _fingerprint(older) == printed  # the paper still holds
    assert (len(before), len(before)) in told  # the long step told the upgrade's dialog
    assert list(older.parent.glob(f"{older.name}.v{BEFORE}-*.bak"))  # the backup first
    assert _problems(older) == []


def test_after_the_upgrade_the_history_and_its_marks_stay_append_only(older):
    open_database(older).close()
    conn = sqlite3.connect(older)
    try:
        for statement in ("UPDATE event_rows SET hash = x'00' WHERE id = 1",
                          "UPDATE event_rows SET reason = 'khác' WHERE id = 1",
                          "DELETE FROM event_rows WHERE id = 1",
                          f"UPDATE chain_marks SET hash = x'00' WHERE id = {chain.MARK_EVERY}",
                          f"DELETE FROM chain_marks WHERE id = {chain.MARK_EVERY}"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    finally:
        conn.close()


def test_a_cancelled_upgrade_changes_nothing(older):
    before = older.read_bytes()
    with pytest.raises(InterruptedError):  # "Huỷ" while the chain is hashed again
        open_database(older, progress=lambda done, total: False)
    conn = sqlite3.connect(older)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
    finally:
        conn.close()
    assert _rows(older) == [(i, h) for i, h in _rows_of(before, older)]


def _rows_of(data: bytes, near: Path) -> list[tuple]:
    copy = near.with_name("before.db")
    copy.write_bytes(data)
    return _rows(copy)


def test_an_already_broken_chain_is_not_blessed_by_the_upgrade(older):
    tamper.tamper(older, "events", "UPDATE event_rows SET reason = 'sửa bằng SQL' WHERE id = 700")
    before = _rows(older)
    with pytest.raises(DatabaseEnvironmentError, match="chuỗi lịch sử xử lý đã bị đứt ở sự kiện "
                                                        "số 700 của hồ sơ .*Tệp được giữ nguyên"):
        open_database(older)
    conn = sqlite3.connect(older)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'chain_marks'").fetchone() is None
    finally:
        conn.close()
    assert _rows(older) == before  # every full hash as it was
    conn = sqlite3.connect(older)  # read as the version before reads it: the break is named
    try:
        assert audit.first_break(conn)[0] == 700
    finally:
        conn.close()


def test_appending_after_the_upgrade_continues_the_chain_the_code_before_made(older):
    db = open_database(older)
    try:
        dossier = db.execute("SELECT id FROM dossiers WHERE status = 'processing' "
                             "ORDER BY id LIMIT 1").fetchone()[0]
        P.add_payment(db, dossier, amount=1000, method="cash",
                      paid_at=dt.datetime(2026, 11, 27, 9, 0), confirm_overpayment=True)
        full = _independent_chain(db.conn)  # over the content, from the first event
        stored = [h for _, h in db.execute("SELECT id, hash FROM events ORDER BY id")]
        head = chain.head(db.conn)
    finally:
        db.close()
    assert full[-2].hex().upper() == HEAD_300  # the new event is chained over the old head
    assert head == (len(full), full[-1])
    assert stored == [digest[:8] for digest in full]
    assert _problems(older) == []


# ----- a file made by this version ------------------------------------------------------------
@pytest.fixture
def small_marks(monkeypatch):
    """Marks every 4 ids, so a small file has several and the quick check starts from them."""
    monkeypatch.setattr(chain, "MARK_EVERY", 4)


@pytest.fixture
def worked(db_path, small_marks):
    db = open_database(db_path)
    tamper.build(db)
    db.close()
    return db_path


def test_clerk_actions_store_8_bytes_and_the_marks(worked):
    conn = sqlite3.connect(worked)
    try:
        full = _independent_chain(conn)
        stored = [r[0] for r in conn.execute("SELECT hash FROM event_rows ORDER BY id")]
        marks = conn.execute("SELECT id, hash FROM chain_marks ORDER BY id").fetchall()
    finally:
        conn.close()
    assert len(full) == 12 and stored == [digest[:8] for digest in full]
    assert marks == [(4, full[3]), (8, full[7]), (12, full[11])]
    assert _problems(worked) == []


def _quick(path) -> list[str]:
    db = open_database(path)
    try:
        return [f.text for f in audit_quick.start_check(db) if not f.ok]
    finally:
        db.close()


@pytest.mark.parametrize("event_id", [1, 5, 7])
def test_an_edited_event_is_named_by_check_and_by_the_quick_check(worked, event_id):
    """Before a mark, right after one, between two: the quick check hashes again from the mark
    before the event."""
    assert _quick(worked) == []  # the checkpoint
    tamper.tamper(worked, "events", f"UPDATE event_rows SET reason = 'khác' WHERE id = {event_id}")
    db = open_database(worked)  # ordinary work after it: the dossiers' bucket is replayed
    P.add_payment(db, 3, amount=1000, method="cash", paid_at=tamper.hours(10))
    db.close()
    assert any(f"sự kiện số {event_id} " in text for text in _quick(worked))
    assert any(f"sự kiện số {event_id} " in text for text in _problems(worked))


def test_an_edited_or_missing_mark_is_named_by_check(worked):
    copy = worked.with_name("copy.db")
    copy.write_bytes(worked.read_bytes())
    for path, statement in ((worked, "UPDATE chain_marks SET hash = zeroblob(32) WHERE id = 8"),
                            (copy, "DELETE FROM chain_marks WHERE id = 8")):
        conn = sqlite3.connect(path)
        conn.execute("DROP TRIGGER chain_marks_never_changed")
        conn.execute("DROP TRIGGER chain_marks_never_deleted")
        conn.execute(statement)
        conn.executescript(chain.MARKS_TRIGGERS)  # the triggers again
        conn.commit()
        conn.close()
        assert any("sự kiện số 8 " in text and "chain_marks" in text for text in _problems(path))


def test_a_deleted_tail_is_still_detected_and_the_next_action_chains_from_the_marks(worked):
    conn = sqlite3.connect(worked)
    last = conn.execute("SELECT MAX(id) FROM events").fetchone()[0]
    conn.close()
    assert last % chain.MARK_EVERY == 0  # the deleted event had a mark
    tamper.tamper(worked, "events", f"DELETE FROM event_rows WHERE id = {last}")
    assert any("mất các sự kiện cuối" in text for text in _problems(worked))
    db = open_database(worked)  # the recorded head is gone from the table: the full hash of
    try:  # the event now last comes from the mark before it
        P.add_payment(db, 3, amount=1000, method="cash", paid_at=tamper.hours(10))
        full = _independent_chain(db.conn)
        head = chain.head(db.conn)
    finally:
        db.close()
    assert head == (last, full[-1])  # chained on: only the new event's own hash is new
    # the mark the deleted event left still names the deletion after the recorded head moved on
    assert any(f"sự kiện số {last} " in text and "chain_marks" in text
               for text in _problems(worked))


def test_a_fingerprint_is_found_by_its_digits_in_the_prefixes(worked):
    conn = sqlite3.connect(worked)
    try:
        full = _independent_chain(conn)
        for event_id in (1, 6, 11):
            digits = full[event_id - 1].hex()[:audit.FINGERPRINT_DIGITS]
            assert audit.find_digits(conn, digits)[0] == event_id
        printed = audit.format_fingerprint(full[5].hex())
        ok, said = audit.against(conn, printed)
    finally:
        conn.close()
    assert ok and f"sau đó có thêm {len(full) - 6} sự kiện" in said


def test_a_checkpoint_kept_before_the_upgrade_still_serves_the_quick_check(older):
    db = connect(older)  # the file as schema 19 reads it (full hashes), its start-up check
    try:
        assert all(f.ok for f in audit_quick.start_check(db))
    finally:
        db.close()
    db = open_database(older)
    try:
        P.add_payment(db, 1, amount=1000, method="cash",
                      paid_at=dt.datetime(2026, 11, 27, 9, 0), confirm_overpayment=True)
        found, point = audit_quick.quick_findings(db)
    finally:
        db.close()
    assert all(f.ok for f in found) and "nhanh" in found[-1].text  # from the old checkpoint
    assert point is not None and len(bytes.fromhex(point["event"][1])) == 32  # a full hash
