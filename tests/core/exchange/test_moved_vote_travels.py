"""Issue 16 §3, spec 9 (round 22): a vote moved at a reopened clash (recode.misfiled_votes:
cancelled on this installation's dossier X with the reason, the same vote on the re-coded
dossier Y, a move_vote event there) travels as a move. The centre's package carries the
cancelled copy on X: an installation that got the vote misfiled from the centre's earlier
package has it cancelled there (the same state as the centre); one that never had it leaves
the copy out — it counts nothing, and its reason ("… hồ sơ X của máy này") is the centre's
bookkeeping, which read as the receiver's own and showed in its preview as a second new vote."""
from __future__ import annotations

import pytest

from core import installation
from core.database import open_database
from core.exchange import export_package, merge, recode
from core.exchange.merge import import_packages
from core.exchange.store import sender_key
from tests.core.exchange.conftest import copied
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import (
    _dissatisfied_packages,
    _everything,
    _kept_the_old_way,
    _on,
)
from tests.stored_facts import stored_facts

pytestmark = [pytest.mark.slot_unconfirmed, pytest.mark.usefixtures("package_format")]

Y = "TT-251020-0002"  # B's citizen at the centre


def _key(db) -> str:
    """An installation as a reason names it (its id's first characters)."""
    return sender_key(installation.installation_id(db))


def _state(db, code: str) -> dict:
    """What the figures read: the live votes by dossier, the complaints (766 5.4), the kpi
    marks of the votes."""
    live = db.execute("SELECT d.code, v.rating FROM votes v JOIN dossiers d ON d.id = "
                      "v.dossier_id WHERE v.cancelled_at IS NULL ORDER BY d.code").fetchall()
    return {"live": live,
            "cp": {c: stored_facts(db, "code = ?", [c])[0]["cp"] for c in (code, Y)},
            "kpi": db.execute("SELECT SUM(votes), SUM(satisfied) FROM kpi_daily").fetchone()}


def _kept_misfiled(senders: tuple, folder) -> tuple:
    """The centre that took A's package, then kept its own dossier X against B's the way
    before round 20 (B's vote misfiled on A's X: test_keep_both), with B's package and
    database; every database closed (files only, for `copied`)."""
    code, package_a, package_b = senders
    centre = installed(folder / "centre.db", CENTRE, (1, 1))
    assert import_packages(centre, [package_a]).written
    with pytest.MonkeyPatch.context() as patch:
        _kept_the_old_way(patch)
        assert import_packages(centre, [package_b], clashes="keep").written
    centre.close()
    return folder / "centre.db", code, package_b, package_b.parent / "b.db"


def _misfiled_sent(kept: tuple, folder) -> tuple:
    """`_kept_misfiled`'s centre after its package of then (the vote misfiled), and an
    installation that got the misfiled vote from it; both closed."""
    centre = open_database(copied(kept[0], folder))
    misfiled = folder / "centre1.zip"  # the centre's package while the vote was misfiled
    export_package(centre, misfiled, SINCE)
    had = installed(folder / "had.db", CENTRE, (1, 1))  # got the misfiled vote
    assert import_packages(had, [misfiled]).results[0].votes == {"new": 1}
    for db in (centre, had):
        db.close()
    return folder / "centre.db", folder / "had.db"


def _kept(built_once, package_format: int) -> tuple:
    """`_kept_misfiled` made once per module, package format and the copy path now set
    (merge.run.FAST_COPY), on A's and B's packages made once per format."""
    senders = built_once(("senders", package_format), _dissatisfied_packages)
    return built_once(("kept", package_format, merge.run.FAST_COPY),
                      lambda folder: _kept_misfiled(senders, folder))


def _new_office(folder) -> object:
    """An installation of the centre's unit that never had the vote, closed."""
    installed(folder / "never.db", CENTRE, (1, 1)).close()
    return folder / "never.db"


def _written_by_round_22(code: str, new: str, package: str, sender: str, here: str) -> str:
    """The reason as the program of rounds 21-22 wrote it ("… của máy này")."""
    return f"{recode.MOVED_START}{new}{recode.votes._moved_middle(code)}{package}"


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("wording", ["round 23", "round 22"])
def test_the_move_travels_and_a_receiver_that_never_had_the_vote_leaves_its_copy_out(
        tmp_path, monkeypatch, built_once, package_format, fast, wording):
    """Either wording of the move's reason: the centre's package made by the program of round
    22 (already sent, "… của máy này") is recognised as a move as the new one is, by both
    paths (the records' way and fastcopy's SQL); the new one, read at a third installation,
    names the installations, never "máy này" (false there). The installations up to the
    misfiled vote's package are made once per format and path (`_kept_misfiled`,
    `_misfiled_sent`); each case keeps both and imports on its own copies."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    kept = _kept(built_once, package_format)
    sent = built_once(("misfiled", package_format, fast), lambda f: _misfiled_sent(kept, f))
    code, package_b = kept[1], copied(kept[2], tmp_path)
    copied(kept[3], tmp_path)  # B's database, its id read below
    centre = open_database(copied(sent[0], tmp_path, issues=True))  # gives Y its code
    had = open_database(copied(sent[1], tmp_path))
    with monkeypatch.context() as patch:
        if wording == "round 22":
            patch.setattr(recode, "moved_reason", _written_by_round_22)
        assert import_packages(centre, [package_b], choices={code: recode.BOTH}).written
    [(reason,)] = centre.execute("SELECT cancel_reason FROM votes WHERE cancelled_at IS NOT NULL"
                                 ).fetchall()
    assert ("máy này" in reason) == (wording == "round 22"), reason
    assert _on(centre) == [(code, "Người A", 0), (Y, "Người B", 1)]  # moved
    moved = tmp_path / "centre2.zip"
    export_package(centre, moved, SINCE)
    want = _state(centre, code)
    assert want == {"live": [(Y, "dissatisfied")], "cp": {code: 0, Y: 1}, "kpi": (1, 0)}

    # an installation that never had the vote: only the vote on Y, no cancelled copy on X
    never = open_database(copied(built_once("never", _new_office), tmp_path))
    preview = import_packages(never, [moved], dry_run=True).results[0]
    result = import_packages(never, [moved]).results[0]
    assert result.written and result.votes == preview.votes == {"new": 1}, result.votes
    assert _on(never) == [(Y, "Người B", 1)]
    assert _state(never, code) == want
    ok(never)
    before = _everything(never)
    again = import_packages(never, [moved]).results[0]
    assert again.votes == {"identical": 1} and _everything(never) == before

    # the installation that had it misfiled: cancelled there, as at the centre
    result = import_packages(had, [moved]).results[0]
    assert result.written and result.votes == {"changed": 1, "new": 1}, result.votes
    assert _on(had) == [(code, "Người A", 0), (Y, "Người B", 1)]
    assert _state(had, code) == want
    assert had.execute("SELECT cancel_reason FROM votes WHERE cancelled_at IS NOT NULL"
                       ).fetchall() == [(reason,)]  # the centre's, as written there
    if wording == "round 23":  # true at this third installation: whose vote, where moved
        assert f"hồ sơ {code} ở máy {_key(centre)}" in reason and "máy này" not in reason
        b = open_database(tmp_path / "b.db")  # B's citizen gave the vote
        assert f"hồ sơ mã {code} ở máy {_key(b)}" in reason, reason
        b.close()
    ok(had)
    before = _everything(had)
    again = import_packages(had, [moved]).results[0]
    assert again.votes == {"identical": 2} and _everything(had) == before
    for db in (centre, never, had):
        db.close()


def test_only_a_moves_copy_is_left_out():
    """A vote cancelled at the counter with the clerk's reason is history the receiver keeps;
    only the copy of a move on its own dossier's code is recognised."""
    assert not recode.moved_copy({"cancelled_at": "2025-10-20 10:00:00", "dossier_code": "X",
                                  "cancel_reason": "Chuyển sang hồ sơ khác: nhập nhầm"})
    assert recode.moved_copy({"cancelled_at": "2025-10-20 10:00:00", "dossier_code": "X",
                              "cancel_reason": recode.moved_reason("X", "Y", "b.zip", "b",
                                                                   "c")})
    assert not recode.moved_copy({"cancelled_at": None, "dossier_code": "X",
                                  "cancel_reason": recode.moved_reason("X", "Y", "b.zip", "b", "c")})
    assert not recode.moved_copy({"cancelled_at": "2025-10-20 10:00:00", "dossier_code": "Z",
                                  "cancel_reason": recode.moved_reason("X", "Y", "b.zip", "b", "c")})


# A move's reason as the program of round 21-22 writes it, in packages already sent and in
# databases already holding it: a receiver recognises a move's copy by it (recode.moved_copy).
WRITTEN = ("Chuyển sang hồ sơ TT-251020-0002: phiếu của người nộp hồ sơ mã TT-251020-0001 ở "
           "máy gửi, lần nhập trước (giữ của máy này) đã gắn nhầm vào hồ sơ TT-251020-0001 của "
           "máy này; giữ cả hai khi nhập gói b.zip")


# … and as round 23 writes it: the installations named (the vote's, the one that moved it)
WRITTEN_23 = ("Chuyển sang hồ sơ TT-251020-0002: phiếu của người nộp hồ sơ mã TT-251020-0001 "
              "ở máy 7922d16b, bị gắn nhầm vào hồ sơ TT-251020-0001 ở máy c3cd08e7 khi máy ấy "
              "giữ hồ sơ của mình cho mã này ở một lần nhập trước; máy ấy chuyển phiếu khi "
              "nhập gói b.zip chọn giữ cả hai")


def test_a_move_written_by_the_program_of_round_22_is_still_recognised():
    """review22: the reason is part of what packages carry. The tests above build it with
    recode.moved_reason, so a new wording would pass them all while every copy already sent
    (and every database holding one) went unrecognised: counted a new vote again, its "… của
    máy này" read as the receiver's own. Frozen here, in the records' way and in SQL
    (fastcopy): a new wording must keep this one recognised."""
    import sqlite3
    vote = {"cancelled_at": "2025-10-20 10:00:00", "dossier_code": "TT-251020-0001",
            "cancel_reason": WRITTEN}
    assert recode.moved_copy(vote)
    assert not recode.moved_copy({**vote, "dossier_code": "TT-251020-0002"})
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE v(cancelled_at, cancel_reason, code)")
    assert recode.moved_copy({**vote, "cancel_reason": WRITTEN_23})
    assert not recode.moved_copy({**vote, "cancel_reason": WRITTEN_23,
                                  "dossier_code": "TT-251020-0002"})
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE v(cancelled_at, cancel_reason, code)")
    conn.executemany("INSERT INTO v VALUES (?, ?, ?)", [
        ("2025-10-20 10:00:00", WRITTEN, "TT-251020-0001"),
        ("2025-10-20 10:00:00", WRITTEN, "TT-251020-0002"),
        (None, WRITTEN, "TT-251020-0001"),
        ("2025-10-20 10:00:00", "Chuyển sang hồ sơ khác: nhập nhầm", "TT-251020-0001"),
        ("2025-10-20 10:00:00", WRITTEN_23, "TT-251020-0001"),
        ("2025-10-20 10:00:00", WRITTEN_23, "TT-251020-0002"),
        (None, WRITTEN_23, "TT-251020-0001")])
    where, params = recode.moved_copy_sql("v", "v.code")
    assert conn.execute(f"SELECT rowid FROM v WHERE {where}", params).fetchall() == [(1,), (5,)]
    conn.close()


def test_the_voters_own_installation_is_not_told_of_a_vote_not_taken(tmp_path, built_once,
                                                                     package_format):
    """B (whose citizen gave the vote) keeps its own dossier X against the centre's X (citizen
    A): the centre's votes on X are another citizen's and left out, and said — but the move's
    copy is no vote of A's: nothing to say. B's own vote stays live."""
    if package_format == 2:
        pytest.skip("format 2 carries no aliases: Y is a new dossier at B (docs)")
    kept = _kept(built_once, package_format)  # made once: the first test's, same path
    code, package_b = kept[1], copied(kept[2], tmp_path)
    centre = open_database(copied(kept[0], tmp_path, issues=True))  # gives Y its code
    assert import_packages(centre, [package_b], choices={code: recode.BOTH}).written
    moved = tmp_path / "centre2.zip"
    export_package(centre, moved, SINCE)
    b = open_database(copied(kept[3], tmp_path))
    result = import_packages(b, [moved], clashes="keep").results[0]
    assert result.written
    assert not [w for w in result.warnings if recode.FOREIGN_VOTES_VI in w], result.warnings
    assert _on(b) == [(code, "Người B", 1)]
    ok(b)
    for db in (centre, b):
        db.close()
