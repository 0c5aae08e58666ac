"""Issue 16 §3, spec 4 and 9: a dossier the centre re-coded ("Giữ cả hai": B's TT-251020-0001,
A's code for another citizen at the centre, became TT-251020-0003 there) travels back to the
installation that issued the old code. The package carries the code_aliases rows of its dossiers
(core.exchange.recode.carried), so B knows 0003 is its own 0001: no second dossier (it was
double-counted in every indicator), the centre's changes come in by the usual version rules,
and B remembers the alias. A third installation learns it, an older program's package (no
aliases) imports as before, and the preview counts what the import writes."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import installation, searchkey, votes
from core.database import open_database
from core.exchange import export_package, merge, recode
from core.exchange.merge import import_packages
from core.textnorm import search_words
from tests.core.exchange.conftest import DAY, clock_at, copied, receive, rewrite_rows
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installations import figures
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import (
    PCS,
    _everything,
    _pcs_files,
    own_copies,
    people,
    two_pcs,
    two_pcs_in_one_slot,
)

pytestmark = pytest.mark.slot_unconfirmed

B0, B1 = "TT-251020-0001", "TT-251020-0002"        # B's codes (A gave them to A0, A1)
B0_HERE, B1_HERE = "TT-251020-0003", "TT-251020-0004"  # the codes the centre gave B's


def centre_kept_both(tmp_path):
    """B's dossiers kept both at the centre (B0 → 0003, B1 → 0004); the centre then finished
    B0 (a change made there) and wrote its package of everything."""
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    return a, b, centre, _kept_both_at(centre, package_b, tmp_path)


def _kept_both_at(centre, package_b, folder):
    """`centre_kept_both`'s steps after `two_pcs_in_one_slot`: its package of everything."""
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    D.finish(centre, D.find_by_code(centre, B0_HERE), at=DAY + dt.timedelta(hours=2))
    back = folder / "centre.zip"
    export_package(centre, back, SINCE)
    return back


def _kept_both_files(pcs, folder):
    """`centre_kept_both` in `folder` from copies of `two_pcs_in_one_slot`'s files, closed."""
    copied(pcs / "b.zip", folder)
    a, b, centre = (open_database(copied(pcs / name, folder, issues=True)) for name in PCS)
    _kept_both_at(centre, folder / "b.zip", folder)
    for db in (a, b, centre):
        db.close()
    return folder


def kept_both(built_once, tmp_path) -> tuple:
    """`centre_kept_both` made once per module (and copy path), on `two_pcs`' files made once,
    and this test's own copies of it: A, B, the centre and the centre's package."""
    pcs = built_once(("two pcs", merge.run.FAST_COPY), _pcs_files)
    made = built_once(("kept both", merge.run.FAST_COPY),
                      lambda folder: _kept_both_files(pcs, folder))
    return *own_copies(made, tmp_path, ("b.zip", "centre.zip")), tmp_path / "centre.zip"


def _third_file(folder):
    """A third installation of the centre's unit, new, closed."""
    installed(folder / "third.db", CENTRE, (1, 1)).close()
    return folder / "third.db"


def third_office(built_once, tmp_path):
    """This test's own copy of a new third installation made once per module."""
    return open_database(copied(built_once("third", _third_file), tmp_path, issues=True))


def found(db, code: str) -> set[str]:
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits(id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.hits")
    assert searchkey.fill_hits(conn, "temp.hits", search_words(code.lower()))
    return {r[0] for r in conn.execute(
        "SELECT d.applicant_name FROM temp.hits h JOIN dossiers d ON d.id = h.id")}


def aliases(db) -> set[tuple[str, str, str]]:
    return set(db.execute("SELECT sender, sender_code, local_code FROM code_aliases").fetchall())


def test_the_recoded_dossiers_come_back_to_their_sender_as_its_own(tmp_path, built_once):
    a, b, centre, back = kept_both(built_once, tmp_path)
    centre_id = installation.installation_id(centre)
    b_figures = figures(b)
    # A's citizens under B's codes are a clash at B: B keeps its own (A's are A's)
    preview = import_packages(b, [back], dry_run=True, clashes="keep").results[0]
    result = import_packages(b, [back], clashes="keep").results[0]
    assert result.written
    # the preview counts what the import wrote: B0 changed (finished at the centre), B1
    # identical, A0 and A1 conflicts (clashes kept here)
    assert preview.dossiers == result.dossiers == {"changed": 1, "identical": 1, "conflict": 2}
    assert result.clashes == 2 and result.votes == {"identical": 1}
    said = " ".join(result.warnings)
    assert f"{B0_HERE} → {B0}; {B1_HERE} → {B1}" in said and "Không tạo hồ sơ mới" in said
    # no dossier more: B's two, B0 finished as the centre did, B's vote still on B0
    assert people(b) == {B0: "Người B0", B1: "Người B1"}
    assert b.execute("SELECT status FROM dossiers WHERE code = ?", [B0]).fetchone()[0] == "done"
    assert b.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id"
                     ).fetchall() == [(B0,)]
    # B adopted the aliases: the centre's codes find B's dossiers and are shown beside
    assert aliases(b) == {(centre_id, B0_HERE, B0), (centre_id, B1_HERE, B1)}
    assert found(b, B0_HERE) == {"Người B0"}
    assert recode.original_codes(b.conn, [B0, B1]) == {B0: B0_HERE, B1: B1_HERE}
    # the centre's recode event is the centre's own: not in B's history
    assert not b.execute("SELECT COUNT(*) FROM events WHERE action = 'recode'").fetchone()[0]
    after = figures(b)
    assert after["received"] == b_figures["received"] == 2
    ok(b)
    # again: nothing changes (spec 9, idempotent)
    before = _everything(b)
    again = import_packages(b, [back], clashes="keep").results[0]
    assert set(again.dossiers) <= {"identical", "decided"}, again.dossiers
    assert _everything(b) == before
    ok(b)
    for db in (a, b, centre):
        db.close()


def test_the_senders_later_package_still_goes_on_the_recoded_dossier(tmp_path, built_once):
    """After the round trip B still names its dossier 0001 (its receipts say so), and its
    package now carries the centre's code beside it: the centre reads it as 0003 (its alias),
    never a clash nor a fifth dossier."""
    a, b, centre, back = kept_both(built_once, tmp_path)
    import_packages(b, [back], clashes="keep")
    D.return_result(b, D.find_by_code(b, B0), at=DAY + dt.timedelta(hours=3))
    later = tmp_path / "b2.zip"
    export_package(b, later, SINCE)
    preview = import_packages(centre, [later], dry_run=True).results[0]
    result = import_packages(centre, [later]).results[0]
    assert result.written and result.conflict_count == 0
    assert preview.dossiers == result.dossiers == {"changed": 1, "identical": 1}
    assert len(people(centre)) == 4
    assert centre.execute("SELECT status FROM dossiers WHERE code = ?", [B0_HERE]
                          ).fetchone()[0] == "returned"
    ok(centre)
    for db in (a, b, centre):
        db.close()


@pytest.mark.parametrize("had_b_before", [False, True])
def test_a_third_installation_learns_the_alias(tmp_path, built_once, had_b_before):
    """A third installation given the centre's package learns that B's 0001 is 0003 there:
    B's later packages go on it, typing 0001 finds it. One that got B's own package before
    (B0 under 0001) knows 0003 as that dossier: no duplicate."""
    a, b, centre, back = kept_both(built_once, tmp_path)
    b_id = installation.installation_id(b)
    third = third_office(built_once, tmp_path)
    if had_b_before:
        assert import_packages(third, [tmp_path / "b.zip"]).written
        result = import_packages(third, [back], clashes="keep").results[0]
        assert result.dossiers == {"changed": 1, "identical": 1, "conflict": 2}
        assert people(third) == {B0: "Người B0", B1: "Người B1"}
        assert aliases(third) == {(installation.installation_id(centre), B0_HERE, B0),
                                  (installation.installation_id(centre), B1_HERE, B1)}
    else:
        result = import_packages(third, [back]).results[0]
        assert result.dossiers == {"new": 4}
        assert aliases(third) == {(b_id, B0, B0_HERE), (b_id, B1, B1_HERE)}
        assert found(third, B0) == {"Người A0", "Người B0"}
    ok(third)
    assert import_packages(b, [back], clashes="keep").written  # B0 finished at the centre
    D.return_result(b, D.find_by_code(b, B0), at=DAY + dt.timedelta(hours=3))
    later = tmp_path / "b2.zip"
    export_package(b, later, SINCE)
    result = import_packages(third, [later], clashes="keep").results[0]
    assert result.written and result.conflict_count == 0, result.conflicts
    assert result.dossiers == {"changed": 1, "identical": 1}
    assert sorted(people(third).values()) == (["Người B0", "Người B1"] if had_b_before else
                                              ["Người A0", "Người A1", "Người B0", "Người B1"])
    assert third.execute("SELECT COUNT(*) FROM dossiers WHERE status = 'returned'"
                         ).fetchone()[0] == 1
    ok(third)
    for db in (a, b, centre, third):
        db.close()


def test_an_older_programs_package_without_aliases_imports_as_before(tmp_path, built_once):
    """A package of a program before aliases travelled (its part's code_aliases empty) is
    read as it always was: the re-coded dossiers are new to B (nothing tells it otherwise),
    nothing is refused and nothing is adopted."""
    a, b, centre, back = kept_both(built_once, tmp_path)
    older = tmp_path / "older.zip"


    def emptied(conn):
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                               "'code_aliases_never_deleted'").fetchone()[0]
        conn.executescript("DROP TRIGGER code_aliases_never_deleted; DELETE FROM code_aliases;")
        conn.execute(trigger)

    rewrite_rows(back, older, emptied)
    result = import_packages(b, [older], clashes="keep").results[0]
    assert result.written and result.dossiers == {"new": 2, "conflict": 2}
    assert aliases(b) == set()
    for db in (a, b, centre):
        db.close()


def test_an_alias_of_no_dossier_of_the_package_is_refused(tmp_path, built_once):
    a, b, centre, back = kept_both(built_once, tmp_path)
    forged = tmp_path / "forged.zip"
    rewrite_rows(back, forged, lambda conn: conn.execute(
        "INSERT INTO code_aliases VALUES ('x', 'TT-1', 'TT-9', 'g.zip', '2025-10-20 08:00:00', "
        "NULL)"))
    from core.errors import InputError
    with pytest.raises(InputError, match="không có trong gói"):
        import_packages(b, [forged], clashes="keep")
    assert len(people(b)) == 2 and aliases(b) == set()
    for db in (a, b, centre):
        db.close()


def test_the_centres_later_change_still_goes_on_after_the_other_citizen_was_kept_out(
        tmp_path, built_once):
    """B kept its own dossier against A0's under 0001 (a clash): that choice is about another
    citizen, so the centre's next change of B0 (0003, B's 0001) goes on, not asked again."""
    a, b, centre, back = kept_both(built_once, tmp_path)
    assert import_packages(b, [back], clashes="keep").written
    D.return_result(centre, D.find_by_code(centre, B0_HERE), at=DAY + dt.timedelta(hours=3))
    later = tmp_path / "centre2.zip"
    export_package(centre, later, SINCE)
    result = import_packages(b, [later], clashes="keep").results[0]
    assert result.written and result.conflict_count == 0, result.conflicts
    assert result.dossiers == {"changed": 1, "identical": 1, "decided": 2}
    assert b.execute("SELECT status FROM dossiers WHERE code = ?", [B0]).fetchone()[0] == \
        "returned"
    assert len(people(b)) == 2
    ok(b)
    for db in (a, b, centre):
        db.close()


def test_a_dossier_re_coded_at_a_second_pc_comes_back_to_its_issuer_whose_new_code_is_taken(
        tmp_path, built_once):
    """Tester, round 21: centre → B → A. B kept both at the centre's package (A's A0, under B's
    0001 there, got a code issued at B) and A — B's slot being A's — has issued that very code
    to another citizen (A2). The package's record carries the alias (centre, 0001): A0 held
    here under 0001. It was read as a clash ("HAI HỒ SƠ KHÁC NHAU"), kept both: A0 twice, its
    vote counted twice, and `check` clean."""
    a, b, centre, back = kept_both(built_once, tmp_path)
    votes.add_vote(a, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=1),
                   rating="dissatisfied", dossier_id=D.find_by_code(a, B0))
    assert import_packages(b, [back], clashes=recode.BOTH).written
    at_b = {name: code for code, name in people(b).items()}
    assert at_b["Người A0"] not in (B0, B1)
    while at_b["Người A0"] not in people(a):  # A issues the codes B gave A's (one slot)
        receive(a, "Người A2", minutes=50, unit=CENTRE)
    later = tmp_path / "b2.zip"
    export_package(b, later, SINCE)
    before = figures(a)
    preview = import_packages(a, [later], dry_run=True, clashes=recode.BOTH).results[0]
    result = import_packages(a, [later], clashes=recode.BOTH).results[0]
    assert result.written and preview.dossiers == result.dossiers
    names = list(people(a).values())
    assert sorted(set(names)) == sorted(names)  # nobody twice
    assert {"Người A0", "Người A1", "Người B0", "Người B1"} <= set(names)
    after = figures(a)
    assert after["received"] == before["received"] + 2  # B0 and B1, nothing of A's again
    assert after["votes"] == before["votes"] + 1  # B's vote on B0; A's not again
    ok(a)
    again = import_packages(a, [later], clashes=recode.BOTH).results[0]
    assert set(again.dossiers) <= {"identical", "decided"}, again.dossiers
    for db in (a, b, centre):
        db.close()


@pytest.mark.parametrize("fast", [True, False])
def test_a_pc_that_learned_an_alias_without_the_old_code_takes_the_senders_package_on_it(
        tmp_path, monkeypatch, built_once, fast):
    """A third PC given only the centre's later package (B0 finished there days after: the
    package since then carries 0003 and its alias, not A's 0001) holds no 0001. B's own package
    then brings B0 as 0001: it is the centre's 0003, not a second dossier. The SQL copy never
    read this PC's code_aliases and copied it as a new 0001 (B0 twice, its vote twice)."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    later = DAY + dt.timedelta(days=5)
    back = tmp_path / "centre-later.zip"
    with clock_at(5 * 24 * 60):
        D.finish(centre, D.find_by_code(centre, B0_HERE), at=later)
        export_package(centre, back, (later - dt.timedelta(days=1)).date())
    third = third_office(built_once, tmp_path)
    assert import_packages(third, [back]).results[0].dossiers == {"new": 1}
    assert aliases(third) == {(installation.installation_id(b), B0, B0_HERE)}
    preview = import_packages(third, [package_b], dry_run=True).results[0]
    result = import_packages(third, [package_b]).results[0]
    assert result.written
    # B0 is the centre's 0003 (older there: finished since), B1 new
    assert preview.dossiers == result.dossiers == {"older": 1, "new": 1}
    assert people(third) == {B1: "Người B1", B0_HERE: "Người B0"}
    assert third.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id "
                         "WHERE v.cancelled_at IS NULL").fetchall() == [(B0_HERE,)]
    ok(third)
    before = figures(third)
    again = import_packages(third, [package_b]).results[0]  # idempotent (spec 9)
    assert set(again.dossiers) <= {"identical", "older"}, again.dossiers
    assert figures(third) == before and len(people(third)) == 2
    for db in (a, b, centre, third):
        db.close()
