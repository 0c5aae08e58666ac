"""Issue 16 §3, spec 9 (round 22): a package's vote that comes WITHOUT its dossier's record (a
package of a program before 30/11/2026, format 1, wrote the votes changed since the day and not
their dossiers; a hand-made one may too) names only the sender's code. After a clash kept both
here (the other citizen's dossier re-coded here from X to Y) that code is two dossiers here:
this installation's X and the sender's X, now Y. The vote goes where the recorded keep proves
it belongs — the sender whose X was re-coded: on Y — and is never filed on a guess: a vote of
another sender on X (which of its dossiers its X is, the package does not say) is not written,
and the import says which vote, which codes, and what to do."""
from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from core import dossiers as D
from core import votes
from core.exchange import export_package, recode, signing
from core.exchange.merge import import_packages
from core.exchange.package import MANIFEST
from db.connection import transaction
from tests.core.exchange.conftest import DAY, receive, repack
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installations import figures
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _everything
from tests.stored_facts import stored_facts

pytestmark = pytest.mark.slot_unconfirmed

X, Y = "TT-251020-0001", "TT-251020-0002"  # the code of A's and B's citizens; B's here


def _vote_only(package, target) -> None:
    """The package as a program before 8b0314a (format 1) wrote it: the vote, not its dossier."""
    with zipfile.ZipFile(package) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    manifest = json.loads(members[MANIFEST])
    assert manifest["format_version"] == 2 and manifest["counts"]["votes"] == 1
    members["dossiers.jsonl"] = b""
    manifest["format_version"] = 1
    manifest["parts"]["dossiers.jsonl"]["records"] = 0
    for key in ("dossiers", "events", "waits", "payments", "components", "complaints",
                "extensions"):
        manifest["counts"][key] = 0
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, target)


def _kept_both_across_senders(tmp_path):
    """Citizen A's dossier X at the centre; citizen B's dossier got the same code X at B (one
    slot); counter C took B's package and finished it. The centre kept both: B's citizen is Y
    here, remembered (code_aliases) for C, whose version (the furthest) was written."""
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    c = installed(tmp_path / "c.db", CENTRE, (2, 2))
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    mine, code = receive(centre, "Người A", minutes=1, unit=CENTRE)
    D.finish(centre, mine, at=DAY + dt.timedelta(minutes=30))  # a complaint would count
    theirs, same = receive(b, "Người B", minutes=2, unit=CENTRE)
    assert code == same == X
    package_b, package_c = tmp_path / "b.zip", tmp_path / "c.zip"
    export_package(b, package_b, SINCE)
    assert import_packages(c, [package_b]).written
    D.finish(c, D.find_by_code(c, X), at=DAY + dt.timedelta(hours=3))
    export_package(c, package_c, SINCE)
    assert import_packages(centre, [package_b, package_c], clashes=recode.BOTH).written
    assert centre.execute("SELECT code, applicant_name FROM dossiers ORDER BY code"
                          ).fetchall() == [(X, "Người A"), (Y, "Người B")]
    return b, c, centre


def _late_vote(db, tmp_path, name: str, centre):
    """The citizen's dissatisfied vote on the sender's X, sent without the dossier, by a
    program before 8b0314a: unsigned, so the centre is as before packages were signed (its
    senders' keys not pinned: an unsigned package of a sender pinned as signing is refused,
    tests/core/exchange/test_package_signature.py)."""
    with transaction(centre) as conn:
        conn.execute("DELETE FROM settings WHERE key LIKE ?", [signing.PIN_PREFIX + "%"])
    votes.add_vote(db, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=4),
                   rating="dissatisfied", dossier_id=D.find_by_code(db, X))
    whole, package = tmp_path / f"{name}-whole.zip", tmp_path / f"{name}.zip"
    export_package(db, whole, SINCE, format_version=2)
    _vote_only(whole, package)
    return package


def _complaints(db) -> dict[str, int]:
    return {code: stored_facts(db, "code = ?", [code])[0]["cp"] for code in (X, Y)}


def test_the_vote_of_the_sender_whose_dossier_was_re_coded_goes_on_the_re_coded_dossier(
        tmp_path):
    b, c, centre, = _kept_both_across_senders(tmp_path)
    sender = centre.execute("SELECT sender FROM code_aliases WHERE local_code = ?", [Y]
                            ).fetchone()[0]
    package = _late_vote(c, tmp_path, "c2", centre)  # C: the alias's sender, its X is B's citizen
    from core import installation
    assert sender == installation.installation_id(c)
    preview = import_packages(centre, [package], dry_run=True).results[0]
    result = import_packages(centre, [package]).results[0]
    assert result.written and result.votes == preview.votes == {"new": 1}
    assert centre.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id"
                          ).fetchall() == [(Y,)]
    assert _complaints(centre) == {X: 0, Y: 1}
    assert figures(centre)["votes"] == 1
    ok(centre)
    before = _everything(centre)
    again = import_packages(centre, [package]).results[0]
    assert again.votes == {"identical": 1} and _everything(centre) == before
    for db in (b, c, centre):
        db.close()


def test_another_senders_vote_on_the_code_is_not_filed_on_a_guess_and_is_said(tmp_path):
    """B's vote on its X: B is not the sender the keep was recorded for, and without the
    record nothing says whether B's X is citizen B's dossier (Y here) or another. It went on
    A's dossier X: a complaint A never made (766 5.4), a vote in A's figures."""
    b, c, centre = _kept_both_across_senders(tmp_path)
    package = _late_vote(b, tmp_path, "b2", centre)
    before = _everything(centre)
    preview = import_packages(centre, [package], dry_run=True).results[0]
    result = import_packages(centre, [package]).results[0]
    assert result.written and not result.votes and not preview.votes, result.votes
    assert centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
    assert _complaints(centre) == {X: 0, Y: 0}
    assert figures(centre)["votes"] == 0
    said = [w for w in result.warnings if recode.UNSENT_VOTES_VI in w]
    assert said and said == [w for w in preview.warnings if recode.UNSENT_VOTES_VI in w]
    assert f"mã {X} (1 phiếu): hồ sơ {X} hay {Y}" in said[0], said
    assert recode.told_after_import(said[0])  # the window repeats it after the import
    ok(centre)
    assert _everything(centre) == before
    again = import_packages(centre, [package]).results[0]  # again: the same, nothing written
    assert not again.votes and _everything(centre) == before
    assert [w for w in again.warnings if recode.UNSENT_VOTES_VI in w] == said
    # as the note advises: B's package of this program carries the dossier with the vote,
    # which says who the dossier is (recode.followed): the vote goes on B's citizen's, Y
    whole = tmp_path / "b3.zip"
    export_package(b, whole, SINCE)
    result = import_packages(centre, [whole]).results[0]
    assert result.written and result.votes == {"new": 1}, (result.votes, result.warnings)
    assert centre.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id"
                          ).fetchall() == [(Y,)]
    assert _complaints(centre) == {X: 0, Y: 1}
    ok(centre)
    for db in (b, c, centre):
        db.close()


def test_the_senders_own_dossier_of_the_code_is_no_proof_either(tmp_path):
    """Round 23: the code is held here by the dossier B sent (B's own X, citizen B), the keep
    recorded for ANOTHER sender's X (T's citizen, re-coded Y here). B's vote on its X, without
    the dossier, looks like citizen B's — but B's X is what B holds when it wrote the vote, not
    what it sent here before: B took T's package since and chose T's version of the clash
    (store.take_theirs: T's citizen under B's X, the same row), and the vote is T's citizen's.
    Nothing here records which dossier B's X is now (no origin is kept a dossier, and a
    package of the votes changed since a later day carries no dossier): the vote is still not
    filed — filed on the X that came from B, it is a complaint citizen B never made."""
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    t = installed(tmp_path / "t.db", CENTRE, (1, 1))
    centre = installed(tmp_path / "centre.db", CENTRE, (2, 2))
    _, code = receive(b, "Người B", minutes=1, unit=CENTRE)
    _, same = receive(t, "Người T", minutes=2, unit=CENTRE)
    assert code == same == X
    package_b, package_t = tmp_path / "b.zip", tmp_path / "t.zip"
    export_package(b, package_b, SINCE)
    export_package(t, package_t, SINCE)
    assert import_packages(centre, [package_b]).written  # X here: B's own, citizen B
    assert import_packages(centre, [package_t], clashes=recode.BOTH).written
    [(local,)] = centre.execute("SELECT local_code FROM code_aliases").fetchall()
    assert centre.execute("SELECT code, applicant_name FROM dossiers ORDER BY code"
                          ).fetchall() == [(X, "Người B"), (local, "Người T")]
    # at B: T's package, its clash decided "theirs": B's X is T's citizen now
    assert import_packages(b, [package_t], clashes=recode.THEIRS).written
    assert b.execute("SELECT applicant_name FROM dossiers WHERE code = ?", [X]
                     ).fetchone()[0] == "Người T"
    package = _late_vote(b, tmp_path, "b2", centre)  # T's citizen's vote, on B's X
    before = _everything(centre)
    result = import_packages(centre, [package]).results[0]
    assert result.written and not result.votes, result.votes
    assert centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
    assert stored_facts(centre, "code = ?", [X])[0]["cp"] == 0  # none on citizen B
    said = [w for w in result.warnings if recode.UNSENT_VOTES_VI in w]
    assert said and f"mã {X} (1 phiếu): hồ sơ {X} hay {local}" in said[0], said
    ok(centre)
    assert _everything(centre) == before
    for db in (b, t, centre):
        db.close()
