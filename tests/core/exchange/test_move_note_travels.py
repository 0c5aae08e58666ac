"""Issue 16 §3, "every change attributable" (round 24): the move_vote event of a reopened clash
(the votes an earlier "keep" misfiled on this installation's dossier X, moved to the re-coded
dossier Y) travels in Y's history. Its note said "… từ hồ sơ X của máy này …", false at every
installation that reads it from a package. It now names the installations as the move's cancel
reason does (replaced.machine: the id's first characters, as a package's name shows them; an
installation with no id by what it did). Events are compared as written: a note already
written in the old words keeps them, and travels and re-imports as it is."""
from __future__ import annotations

import sqlite3

import pytest

from core import installation
from core.database import open_database
from core.exchange import export_package, merge, moved, recode
from core.exchange.merge import import_packages
from core.exchange.store import sender_key
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _dissatisfied_b, _everything, _kept_the_old_way

pytestmark = [pytest.mark.slot_unconfirmed, pytest.mark.usefixtures("package_format")]

Y = "TT-251020-0002"  # B's citizen at the centre, re-coded there


def _old_note(count: int, code: str, package: str, sender: str, here: str | None) -> str:
    """The note as the program before round 24 wrote it."""
    return (f"Nhận {count} phiếu đánh giá chuyển từ hồ sơ {code} của máy này (lần nhập trước "
            "đã gắn nhầm vào hồ sơ ấy)")


def _notes(db) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT e.reason FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? "
        "AND e.action = ? ORDER BY e.id", [Y, recode.MOVE_VOTE])]


def _moved_at_the_centre(tmp_path, monkeypatch, *, no_id=False):
    """B's vote misfiled at the centre by an import before round 20, then the clash reopened
    (--choose MÃ=both): the vote moves to Y."""
    centre, code, package_b = _dissatisfied_b(tmp_path)
    with monkeypatch.context() as patch:
        _kept_the_old_way(patch)
        assert import_packages(centre, [package_b], clashes="keep").written
    if no_id:
        centre.execute("DELETE FROM settings WHERE key = ?", [installation.ID_KEY])
        centre.conn.commit()
    assert import_packages(centre, [package_b], choices={code: recode.BOTH}).written
    return centre, code


@pytest.mark.parametrize("fast", [True, False])
def test_the_move_s_note_names_the_installations_here_and_at_a_third(tmp_path, monkeypatch,
                                                                    fast):
    """At the centre, which moved the vote, the note names B (whose citizen gave it) and the
    centre by their ids' first characters; a third installation that imports the centre's
    package shows the same note in Y's history, and it is true there: no "máy này"."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    centre, code = _moved_at_the_centre(tmp_path, monkeypatch)
    b = open_database(tmp_path / "b.db")
    here, theirs = (sender_key(installation.installation_id(db)) for db in (centre, b))
    b.close()
    assert _notes(centre) == [
        f"Nhận 1 phiếu đánh giá chuyển từ hồ sơ {code} ở máy {here} khi máy ấy nhập gói b.zip "
        f"chọn giữ cả hai: phiếu của người nộp hồ sơ mã {code} ở máy {theirs}, một lần nhập "
        "trước đã gắn nhầm vào hồ sơ ấy"]
    package = tmp_path / "centre.zip"
    export_package(centre, package, SINCE)
    third = installed(tmp_path / "third.db", CENTRE, (1, 1))
    assert import_packages(third, [package]).written
    assert _notes(third) == _notes(centre)
    assert "máy này" not in _notes(third)[0]
    ok(third)
    for db in (centre, third):
        db.close()


def test_an_installation_with_no_id_is_named_by_what_it_did(tmp_path, monkeypatch):
    """No id yet ("máy ?" before): the note and the vote's reason name the centre by the
    import that moved the vote, and that reason is still known as a move's copy, the
    records' way and in SQL (fastcopy)."""
    centre, code = _moved_at_the_centre(tmp_path, monkeypatch, no_id=True)
    b = open_database(tmp_path / "b.db")
    theirs = sender_key(installation.installation_id(b))
    b.close()
    [note] = _notes(centre)
    assert note == (f"Nhận 1 phiếu đánh giá chuyển từ hồ sơ {code} ở máy đã nhập gói b.zip chọn "
                    f"giữ cả hai: phiếu của người nộp hồ sơ mã {code} ở máy {theirs}, một lần "
                    "nhập trước đã gắn nhầm vào hồ sơ ấy")
    [(reason, at)] = centre.execute("SELECT cancel_reason, cancelled_at FROM votes "
                                    "WHERE cancelled_at IS NOT NULL").fetchall()
    assert reason == (f"Chuyển sang hồ sơ {Y}: phiếu của người nộp hồ sơ mã {code} ở máy "
                      f"{theirs}, bị gắn nhầm vào hồ sơ {code} ở máy đã nhập gói b.zip khi máy "
                      "ấy giữ hồ sơ của mình cho mã này ở một lần nhập trước; máy ấy chuyển "
                      "phiếu khi nhập gói b.zip chọn giữ cả hai")
    assert recode.moved_copy({"cancelled_at": at, "dossier_code": code, "cancel_reason": reason})
    assert not recode.moved_copy({"cancelled_at": at, "dossier_code": Y,
                                  "cancel_reason": reason})
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE v(cancelled_at, cancel_reason, code)")
    conn.executemany("INSERT INTO v VALUES (?, ?, ?)", [(at, reason, code), (at, reason, Y)])
    where, params = recode.moved_copy_sql("v", "v.code")
    assert conn.execute(f"SELECT rowid FROM v WHERE {where}", params).fetchall() == [(1,)]
    conn.close()
    centre.close()


def test_a_note_written_before_round_24_travels_as_written(tmp_path, monkeypatch):
    """The old words ("… của máy này …", already in databases and sent packages) are no rule's
    input (the event is known by its action): a receiver stores them as written, and the same
    package imported again changes nothing."""
    with monkeypatch.context() as patch:
        patch.setattr(merge.keep_both, "move_note", _old_note)
        centre, code = _moved_at_the_centre(tmp_path, monkeypatch)
    assert _notes(centre) == [_old_note(1, code, "b.zip", "", None)]
    package = tmp_path / "centre.zip"
    export_package(centre, package, SINCE)
    third = installed(tmp_path / "third.db", CENTRE, (1, 1))
    assert import_packages(third, [package]).written
    assert _notes(third) == _notes(centre)
    before = _everything(third)
    again = import_packages(third, [package]).results[0]
    assert _everything(third) == before and not again.warnings, again.warnings
    ok(third)
    for db in (centre, third):
        db.close()


def test_the_note_is_written_by_the_one_naming_rule():
    """replaced.machine names the installations of the note as of the reasons."""
    assert moved.move_note(2, "X", "b.zip", "7922d16b", "c3cd08e7") == (
        "Nhận 2 phiếu đánh giá chuyển từ hồ sơ X ở máy c3cd08e7 khi máy ấy nhập gói b.zip chọn "
        "giữ cả hai: phiếu của người nộp hồ sơ mã X ở máy 7922d16b, một lần nhập trước đã gắn "
        "nhầm vào hồ sơ ấy")
