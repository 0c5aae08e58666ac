"""Any single SQL edit of a row the history vouches for, or its deletion, is named by `check`
(spec 10, issue 15 §2): dossiers and events against the chain, payments, votes, waits and
extensions against their ledger, the chain's last events against its recorded head. The quick
check at start (core.maintenance.audit_quick) and its checkpoint are tested here too."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core import payments as P
from core.database import open_database
from core.maintenance import audit, audit_quick
from db import chain, ledger
from main import main
from tests.copies import copied, fingerprint, unchanged
from tests.core import tamper


@pytest.fixture(scope="module")
def worked_once(tmp_path_factory):
    """The worked database of this module: built by the first test that asks (under that
    test's fixtures: its data folder, its confirmed slot), closed, then only copied (`worked`).
    At the module's end it must be as built (`unchanged`): a test wrote to its copy only."""
    made: dict = {}

    def get() -> Path:
        if not made:
            folder = tmp_path_factory.mktemp("worked")
            db = open_database(folder / "test.db")
            tamper.build(db)
            db.close()
            made.update(path=folder / "test.db", folder=folder, files=fingerprint(folder))
        unchanged(made["folder"], made["files"])
        return made["path"]
    yield get
    if made:
        unchanged(made["folder"], made["files"])


@pytest.fixture
def worked(worked_once, tmp_path) -> Path:
    """The worked database, this test's own copy (tamper.build once per module, not per test:
    ~0.06 s of CPU each), the installation at its place as a file made there is."""
    return copied(worked_once(), tmp_path, issues=True)


def problems(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [f.text for f in audit.audit_findings(conn) if not f.ok]
    finally:
        conn.close()


def quick(path) -> tuple[list[str], list[str]]:
    """(problems, everything said) of the start-up check, keeping its checkpoint."""
    db = open_database(path)
    try:
        found = audit_quick.start_check(db)
    finally:
        db.close()
    return [f.text for f in found if not f.ok], [f.text for f in found]


def test_the_worked_database_is_intact_and_every_table_has_its_ledger(worked):
    assert problems(worked) == []
    conn = sqlite3.connect(worked)
    assert ledger.missing(conn) == []
    counts = {t: sum(c for c, _ in ledger.stored(conn, t).values()) for t in ledger.TABLES}
    conn.close()
    assert counts == {"payments": 2, "votes": 2, "supplements": 1, "extensions": 1}


@pytest.mark.parametrize("table, statement, said", tamper.cases())
def test_check_names_any_single_edit(worked, capsys, table, statement, said):
    tamper.tamper(worked, table, statement)
    assert main(["--db", str(worked), "check"]) == 1
    out = capsys.readouterr()
    assert said in out.out + out.err


@pytest.mark.parametrize("table, statement, said", [
    case for case in tamper.cases() if case.values[0] != "events" or "delete_last" in case.id])
def test_the_quick_check_from_a_checkpoint_names_it_at_once(worked, table, statement, said):
    """Everything but an edit of an old event shows in the quick pass (that one is the whole-chain
    pass's: test_an_old_event_edit_hides_from_the_quick_pass_not_from_the_whole_chain)."""
    assert quick(worked)[0] == []  # the checkpoint is kept
    tamper.tamper(worked, table, statement)
    found, said_all = quick(worked)
    assert any(said in text for text in found), said_all
    assert not any("nhanh" in text for text in said_all)  # a problem keeps no new checkpoint


def test_ordinary_work_after_the_checkpoint_is_checked_quickly(worked):
    assert any("lưu mốc" in text for text in quick(worked)[1])  # the first start: in full
    db = open_database(worked)
    P.add_payment(db, 3, amount=10000, method="cash", paid_at=tamper.hours(9))
    db.close()
    found, said = quick(worked)
    assert found == [] and any("nhanh" in text for text in said)
    assert quick(worked)[0] == []


def test_an_old_event_edit_hides_from_the_quick_pass_not_from_the_whole_chain(db_path, monkeypatch):
    # a mark every 4 events, so event 3 lies before the last mark, as old events do in a real
    # file (the quick pass hashes again the events since the last mark, for the head's full hash)
    monkeypatch.setattr(chain, "MARK_EVERY", 4)
    db = open_database(db_path)
    tamper.build(db)
    db.close()
    worked = db_path
    quick(worked)
    tamper.tamper(worked, "events", "UPDATE events SET reason = 'khác' WHERE id = 3")
    assert quick(worked)[0] == []  # documented: the quick pass reads only what changed
    conn = sqlite3.connect(worked)
    assert "sự kiện số 3" in audit.verify_chain(conn).text  # the window's second pass
    conn.close()


def test_an_old_event_edited_with_its_dossier_is_caught_by_the_quick_pass(worked):
    """A consistent edit (the receive event's moment and the dossier's) breaks the event's hash."""
    quick(worked)
    tamper.tamper(worked, "events", "UPDATE events SET at = datetime(at, '-1 hour') WHERE id = 1")
    tamper.tamper(worked, "dossiers", "UPDATE dossiers SET received_at = datetime(received_at, "
                                      "'-1 hour') WHERE id = 1")
    found, _ = quick(worked)
    assert any("sự kiện số 1 " in text for text in found)


def test_a_checkpoint_whose_event_changed_means_a_full_check(worked):
    quick(worked)
    tamper.tamper(worked, "settings", "UPDATE settings SET value = replace(value, '\"count\":', "
                                      "'\"count\":1') WHERE key = 'audit.checkpoint'")
    tamper.tamper(worked, "events", "UPDATE events SET reason = 'khác' WHERE id = 3")
    found, said = quick(worked)
    assert any("sự kiện số 3" in text for text in found)


def test_a_database_of_the_earlier_version_gets_its_ledger_on_opening(worked):
    conn = sqlite3.connect(worked)
    conn.execute("DELETE FROM settings WHERE key LIKE 'audit.%'")
    conn.commit()
    conn.close()
    assert any("chưa có sổ kiểm" in text for text in problems(worked))
    open_database(worked).close()  # the baseline: the data as it stands
    assert problems(worked) == []


def test_every_dossiers_last_event_deleted_is_named(worked):
    """Deleting the last event of a dossier: the event after it in the chain no longer follows
    (or, for the chain's own last event, the recorded head is gone); when the event set a field
    the dossier also disagrees."""
    conn = sqlite3.connect(worked)
    lasts = [row[0] for row in conn.execute("SELECT MAX(id) FROM events GROUP BY dossier_id")]
    conn.close()
    assert len(lasts) == 3
    for event_id in lasts:
        copy = worked.with_name(f"copy{event_id}.db")
        copy.write_bytes(worked.read_bytes())
        tamper.tamper(copy, "events", f"DELETE FROM events WHERE id = {event_id}")
        found = " ".join(problems(copy))
        assert (f"sự kiện số {event_id + 1} " in found or "mất các sự kiện cuối" in found), found


def test_a_tail_deleted_with_its_recorded_head_is_left_to_the_paper(worked):
    """What the sqlite3 tool can still do (docs/audit.md): delete the last event and write the
    head before it into the settings. The chain then holds; the fingerprint on paper does not."""
    conn = sqlite3.connect(worked)
    fingerprint = audit.chain_head(conn).fingerprint
    before = conn.execute("SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET 1").fetchone()
    before = (before[0], chain.full_hash(conn, before[0]))  # the table keeps a prefix (db.chain)
    conn.close()
    tamper.tamper(worked, "events", "DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)")
    tamper.tamper(worked, "settings", f"UPDATE settings SET value = '[{before[0]}, \"{before[1].hex()}\"]' "
                                      "WHERE key = 'audit.head'")
    assert problems(worked) == []  # a payment's event: no field of the dossier depends on it
    assert main(["--db", str(worked), "check", "--against", fingerprint]) == 1


def test_a_deleted_ledger_or_head_is_named_and_never_made_again(worked):
    tamper.tamper(worked, "settings", "DELETE FROM settings WHERE key = 'audit.rows.payments'")
    tamper.tamper(worked, "settings", "DELETE FROM settings WHERE key = 'audit.head'")
    db = open_database(worked)  # opening and ordinary work make neither again
    P.add_payment(db, 3, amount=10000, method="cash", paid_at=tamper.hours(9))
    db.close()
    found = " ".join(problems(worked))
    assert "Khoản thu: chưa có sổ kiểm" in found and "Chưa có bản ghi đầu chuỗi" not in found


@pytest.mark.parametrize("value", ["'not json'", "'{}'", "'{\"event\": 5, \"count\": 1, \"dossiers\": {}}'",
                                   "'{\"event\": [1, \"zz\"], \"count\": 1, \"dossiers\": {}}'"])
def test_a_checkpoint_not_written_by_motcua_means_a_full_check(worked, value):
    quick(worked)
    tamper.tamper(worked, "settings", f"UPDATE settings SET value = {value} WHERE key = 'audit.checkpoint'")
    tamper.tamper(worked, "events", "UPDATE events SET reason = 'khác' WHERE id = 3")
    found, said = quick(worked)
    assert any("sự kiện số 3" in text for text in found), said


@pytest.mark.parametrize("column", ["reason", "at"])
def test_one_edited_event_is_one_finding(worked, capsys, column):
    """Round 22: `check` said "Chuỗi lịch sử bị đứt ở sự kiện số 9…" twice and counted 2 problems
    after one sealed event was edited: the chain pass and the recorded head's recheck (which
    hashes the chain again from its nearest mark) each named the same break."""
    tamper.tamper(worked, *tamper._update("events", column, tamper.EVENT_EDITS[column], "9"))
    broken = [text for text in problems(worked) if "bị đứt" in text]
    assert len(broken) == 1 and "sự kiện số 9 " in broken[0], broken
    assert main(["--db", str(worked), "check"]) == 1
    out = capsys.readouterr().out
    assert out.count("bị đứt ở sự kiện số 9") == 1, out
