"""Issue 16 §3, spec 4 and 9: two PCs set up in the same slot (1/1) give one code to two
citizens' dossiers; the centre keeps BOTH ("Giữ cả hai"): the package's dossier comes in under
a code the centre issues, keeps its sender's code (shown, found, exported), its history says
so, and the sender's later packages go on it — never a lost dossier, never a third one."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

import main
from core import dossiers as D
from core import votes
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, kept_both, merge, recode
from core.exchange.cli import stop_text
from core.exchange.merge import import_packages
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import DAY, copied, receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installations import figures
from tests.core.exchange.test_installed_offices import CENTRE, installed

pytestmark = pytest.mark.slot_unconfirmed


def two_pcs_in_one_slot(tmp_path):
    """A and B both answered 1/1 at their first start; each received two dossiers for the
    centre's unit that day: the same two codes. The centre (its own slot) took A's."""
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    codes_a = [receive(a, f"Người A{i}", minutes=i, unit=CENTRE)[1] for i in range(2)]
    codes_b = [receive(b, f"Người B{i}", minutes=30 + i, unit=CENTRE)[1] for i in range(2)]
    assert codes_a == codes_b == ["TT-251020-0001", "TT-251020-0002"]
    votes.add_vote(b, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=1),
                   rating="satisfied", dossier_id=D.find_by_code(b, codes_b[0]))
    package_a, package_b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_package(a, package_a, SINCE)
    export_package(b, package_b, SINCE)
    assert import_packages(centre, [package_a]).written
    return a, b, centre, package_b


PCS = ("a.db", "b.db", "centre.db")


def _pcs_files(folder):
    """`two_pcs_in_one_slot` in `folder`, its databases closed (files only, for `copied`)."""
    for db in two_pcs_in_one_slot(folder)[:3]:
        db.close()
    return folder


def own_copies(made, tmp_path, packages: tuple[str, ...]) -> tuple:
    """This test's own A, B and centre, copied from `made` (a folder built once) and opened,
    each the installation at its place as the files a test makes itself (it may issue codes:
    conftest.copied), and its own copies of the `packages` there."""
    for name in packages:
        copied(made / name, tmp_path)
    return tuple(open_database(copied(made / name, tmp_path, issues=True)) for name in PCS)


def two_pcs(built_once, tmp_path) -> tuple:
    """`two_pcs_in_one_slot` made once per module and copy path (merge.run.FAST_COPY), on this
    test's own copies."""
    made = built_once(("two pcs", merge.run.FAST_COPY), _pcs_files)
    return *own_copies(made, tmp_path, ("b.zip",)), tmp_path / "b.zip"


def people(db) -> dict[str, str]:
    return dict(db.execute("SELECT code, applicant_name FROM dossiers ORDER BY code").fetchall())


def test_keeping_both_brings_the_other_citizens_dossiers_under_new_codes(tmp_path, built_once):
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    preview = import_packages(centre, [package_b], dry_run=True).results[0]
    assert preview.clashes == 2 and preview.pending
    parts = [figures(db) for db in (a, b)]
    result = import_packages(centre, [package_b], choices={
        "TT-251020-0001": recode.BOTH, "TT-251020-0002": recode.BOTH}).results[0]
    assert result.written and result.resolved == {"both": 2}
    assert ("Giữ cả hai: 2 hồ sơ của gói nhận mã mới trên máy này (mã ở máy gửi → mã ở máy "
            "này): TT-251020-0001 → TT-251020-0003; TT-251020-0002 → TT-251020-0004.") in \
        " ".join(result.warnings)
    assert people(centre) == {"TT-251020-0001": "Người A0", "TT-251020-0002": "Người A1",
                              "TT-251020-0003": "Người B0", "TT-251020-0004": "Người B1"}
    assert recode.original_codes(centre.conn, ["TT-251020-0003", "TT-251020-0004"]) == {
        "TT-251020-0003": "TT-251020-0001", "TT-251020-0004": "TT-251020-0002"}
    # typing the sender's code finds both citizens' dossiers
    assert recode.codes_for(centre.conn, "TT-251020-0001") == ["TT-251020-0001",
                                                                "TT-251020-0003"]
    # the history says it was re-coded, from which code, at which package, by whom
    event = centre.execute(
        "SELECT e.actor, e.reason, e.details FROM events e JOIN dossiers d ON d.id = "
        "e.dossier_id WHERE d.code = 'TT-251020-0003' AND e.action = 'recode'").fetchone()
    assert event is not None and "TT-251020-0001" in event[1] and "b.zip" in event[1]
    assert json.loads(event[2])["original_code"] == "TT-251020-0001" and event[0]
    # the vote B0 gave is on B0's dossier, not A0's
    assert centre.execute("SELECT d.applicant_name FROM votes v JOIN dossiers d ON d.id = "
                          "v.dossier_id").fetchall() == [("Người B0",)]
    merged = figures(centre)
    assert merged == {key: sum(p[key] for p in parts) for key in merged}
    assert merged["received"] == 4
    ok(centre)
    for db in (a, b, centre):
        db.close()


def test_the_senders_next_package_goes_on_the_recoded_dossier_and_again_changes_nothing(
        built_once, tmp_path):
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    import_packages(centre, [package_b], conflicts="keep", clashes="both")
    D.finish(b, D.find_by_code(b, "TT-251020-0001"), at=DAY + dt.timedelta(hours=3))
    later = tmp_path / "b2.zip"
    export_package(b, later, SINCE)
    result = import_packages(centre, [later]).results[0]  # nothing to choose: no clash
    assert result.written and result.conflict_count == 0
    assert result.dossiers == {"changed": 1, "identical": 1}
    assert centre.execute("SELECT code, status FROM dossiers WHERE applicant_name = 'Người B0'"
                          ).fetchall() == [("TT-251020-0003", "done")]
    assert centre.execute("SELECT status FROM dossiers WHERE code = 'TT-251020-0001'"
                          ).fetchone()[0] == "received"  # A0's untouched
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 4
    ok(centre)
    before = _everything(centre)
    for package in (later, package_b):  # again: identical, older; nothing written
        again = import_packages(centre, [package]).results[0]
        assert again.conflict_count == 0 and not again.dossiers[recode.BOTH]
        assert set(again.dossiers) <= {"identical", "older"}, again.dossiers
        assert again.votes == {"identical": 1}
        assert _everything(centre) == before
    ok(centre)
    for db in (a, b, centre):
        db.close()


def _everything(db) -> list:
    return [db.execute(f"SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM {t}").fetchone()
            for t in ("dossier_rows", "event_rows", "vote_rows", "payment_rows")] + \
        [db.execute("SELECT COUNT(*) FROM code_aliases").fetchone()]


def test_keeping_both_is_refused_for_one_dossier_changed_at_two_places():
    with pytest.raises(InputError, match="chỉ dành cho hai hồ sơ khác nhau"):
        recode.choice(recode.BOTH, None, None, False, "TT-251020-0001")
    assert recode.choice(None, "keep", "both", False, "X") == "keep"  # not a clash
    assert recode.choice(None, "keep", "both", True, "X") == recode.BOTH
    assert recode.choice(None, "keep", None, True, "X") == "keep"  # as --conflicts says
    assert recode.choice(None, None, None, True, "X") is None
    assert recode.choice("keep", "theirs", "both", True, "X") == "keep"


def test_the_command_keeps_both_as_the_window_does(tmp_path, built_once, capsys):
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    for db in (a, b, centre):
        db.close()
    code = main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import", str(package_b)])
    out, err = capsys.readouterr()
    assert code == 2 and "--clashes both giữ cả hai" in err
    code = main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import", str(package_b),
                      "--choose", "TT-251020-0001=both", "--choose", "TT-251020-0002=here"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "giữ cả hai 1" in out and "giữ của máy này 1" in out
    from core.database import open_database
    centre = open_database(tmp_path / "centre.db")
    assert sorted(people(centre).values()) == ["Người A0", "Người A1", "Người B0"]
    ok(centre)
    centre.close()


def test_every_clash_kept_both_by_the_command(tmp_path, built_once, capsys):
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    for db in (a, b, centre):
        db.close()
    code = main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import", str(package_b),
                      "--conflicts", "keep", "--clashes", "both"])
    out, err = capsys.readouterr()
    assert code == 0 and "giữ cả hai 2" in out, err
    from core.database import open_database
    centre = open_database(tmp_path / "centre.db")
    assert len(people(centre)) == 4
    centre.close()


def test_searching_the_senders_code_finds_both_citizens_dossiers(tmp_path, built_once):
    from core import searchkey
    from core.textnorm import search_words
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    import_packages(centre, [package_b], clashes=recode.BOTH)
    conn = centre.conn
    conn.execute("CREATE TEMP TABLE hits(id INTEGER PRIMARY KEY)")
    assert searchkey.fill_hits(conn, "temp.hits", search_words("tt-251020-0001"))
    found = {r[0] for r in conn.execute(
        "SELECT d.applicant_name FROM temp.hits h JOIN dossiers d ON d.id = h.id")}
    assert found == {"Người A0", "Người B0"}
    for db in (a, b, centre):
        db.close()


def test_both_packages_in_one_operation_keep_both_citizens(tmp_path):
    """The centre's month-end: A's and B's packages imported together, A's codes new here,
    B's the same codes for other citizens: with --clashes both every dossier comes in,
    whatever the packages' order, and the figures are the sum of theirs."""
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    for db, who in ((a, "A"), (b, "B")):
        for i in range(2):
            receive(db, f"Người {who}{i}", minutes=i + (30 if who == "B" else 0), unit=CENTRE)
    packages = [tmp_path / "a.zip", tmp_path / "b.zip"]
    export_package(a, packages[0], SINCE)
    export_package(b, packages[1], SINCE)
    parts = [figures(db) for db in (a, b)]
    for order, packages_given in enumerate((packages, packages[::-1])):
        centre = installed(tmp_path / f"centre{order}.db", CENTRE, (1, 1))
        plain = import_packages(centre, packages_given, dry_run=True)  # no choice yet
        # what to pass says "both" too (it said only --choose MÃ=GÓI / MÃ=here, and "here"
        # is refused at a centre that holds none of these dossiers)
        assert "2 mã là hai hồ sơ khác nhau: --clashes both giữ cả hai" in stop_text(plain)
        preview = import_packages(centre, packages_given, dry_run=True, clashes=recode.BOTH)
        assert not preview.crossed and preview.combined().clashes == 2
        batch = import_packages(centre, packages_given, clashes=recode.BOTH)
        assert batch.written and not batch.crossed
        assert sorted(people(centre).values()) == ["Người A0", "Người A1", "Người B0",
                                                   "Người B1"]
        assert len(recode.original_codes(centre.conn, list(people(centre)))) == 2
        merged = figures(centre)
        assert merged == {key: sum(p[key] for p in parts) for key in merged}
        ok(centre)
        again = import_packages(centre, packages_given, clashes=recode.BOTH)
        assert not again.combined().conflict_count
        assert len(people(centre)) == 4
        centre.close()
    a.close()
    b.close()


def test_a_sender_without_an_installation_id_is_never_followed(db):
    """Two old-version PCs cannot be told apart: no alias is read for an unnamed sender."""
    assert recode.sender_of({}) == "" and recode.aliases(db.conn, "", ["TT-1"]) == {}


def test_one_senders_two_packages_of_a_kept_clash_make_one_dossier_here(tmp_path):
    """B's two month-ends given together, both bringing B0's dossier (the second finished):
    one dossier here, at B's furthest version, under one new code, in either order (it
    failed: the second alias broke code_aliases' key and the import blamed b2.zip)."""
    for order in (0, 1):
        folder = tmp_path / str(order)
        folder.mkdir()
        a, b, centre, package_b = two_pcs_in_one_slot(folder)
        D.finish(b, D.find_by_code(b, "TT-251020-0001"), at=DAY + dt.timedelta(hours=3))
        later = folder / "b2.zip"
        export_package(b, later, SINCE)
        given = [package_b, later][::1 if order == 0 else -1]
        batch = import_packages(centre, given, clashes=recode.BOTH)
        assert batch.written
        assert centre.execute("SELECT code, status FROM dossiers WHERE applicant_name LIKE "
                              "'Người B%' ORDER BY code").fetchall() == [
            ("TT-251020-0003", "done"), ("TT-251020-0004", "received")]
        assert centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1
        said = " ".join(w for r in batch.results for w in r.warnings)
        assert "TT-251020-0001 → TT-251020-0003" in said
        ok(centre)
        again = import_packages(centre, [later]).results[0]
        assert again.conflict_count == 0 and set(again.dossiers) == {"identical"}
        for db in (a, b, centre):
            db.close()


def test_a_centre_that_issues_no_code_yet_previews_the_clash_and_says_why(tmp_path):
    """An older centre file that never received a dossier has no code slot: keeping both
    needs a code issued here. The preview shows the clash and says so (it failed whole); the
    import refuses, writing nothing; choosing one version still works."""
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    code = receive(a, "Người A", minutes=1, unit=CENTRE)[1]
    receive(b, "Người B", minutes=2, unit=CENTRE)
    packages = [tmp_path / "a.zip", tmp_path / "b.zip"]
    export_package(a, packages[0], SINCE)
    export_package(b, packages[1], SINCE)
    from core.database import open_database
    centre = open_database(tmp_path / "centre.db")  # no slot: never asked, never issued
    preview = import_packages(centre, packages, dry_run=True, clashes=recode.BOTH)
    assert preview.combined().clashes == 1
    said = preview.combined().refused_both  # the preview's own field, not a warning
    assert "cần máy này cấp mã mới" in said and "exchange identity" in said
    assert not [w for w in preview.combined().warnings if "cần máy này cấp mã mới" in w]
    with pytest.raises(InputError, match="cần máy này cấp mã mới"):  # a choice: exit 2
        import_packages(centre, packages, clashes=recode.BOTH)
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert import_packages(centre, packages, versions={code: "a.zip"}).written
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 1
    for db in (a, b, centre):
        db.close()


def test_a_clash_kept_here_earlier_is_kept_both_when_the_code_is_named_both(tmp_path, built_once,
                                                                          capsys):
    """Round 20: the centre kept its own dossier of a clash (--clashes keep): the other citizen's
    dossier stayed out. Importing the same package again with `--choose MÃ=both` said "chosen
    at an earlier import" and did nothing, exit 0 — the dossier lost for good though the
    package still holds it. Now the code named "both" is reopened: the package's dossier comes
    in under a new code, its vote with it; the other code keeps its earlier choice; again:
    nothing."""
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    for db in (a, b, centre):
        db.close()
    argv = ["--db", str(tmp_path / "centre.db"), "exchange", "import", str(package_b)]
    assert main.main([*argv, "--clashes", "keep"]) == 0
    capsys.readouterr()
    # the dry run lists the clashes kept before, as the window does, to be chosen again
    assert main.main([*argv, "--dry-run"]) == 0
    said = capsys.readouterr().err
    assert "2 mã là hai hồ sơ khác nhau đã chọn \"giữ của máy này\" ở lần nhập trước" in said
    assert "thêm --choose MÃ=both" in said
    for code, ours, theirs in (("TT-251020-0001", "Người A0", "Người B0"),
                               ("TT-251020-0002", "Người A1", "Người B1")):
        line = next(x for x in said.splitlines() if x.startswith(f"  {code} — máy này: "))
        assert ours in line and f"gói: {theirs}" in line, line
    code = main.main([*argv, "--choose", "TT-251020-0001=both"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "giữ cả hai 1" in out and "xung đột đã chọn ở lần nhập trước 1" in out, out
    assert "TT-251020-0001 → TT-251020-0003" in err
    # the "keep" import left the package's vote on that code out (another citizen's: it
    # never landed on this PC's dossier), so nothing is pointed out; it comes in with B0 now
    assert "đã được gắn vào hồ sơ này" not in err, err
    from core.database import open_database
    centre = open_database(tmp_path / "centre.db")
    assert people(centre) == {"TT-251020-0001": "Người A0", "TT-251020-0002": "Người A1",
                              "TT-251020-0003": "Người B0"}
    assert centre.execute("SELECT d.applicant_name FROM votes v JOIN dossiers d ON d.id = "
                          "v.dossier_id ORDER BY v.id").fetchall() == [("Người B0",)]
    ok(centre)
    before = _everything(centre)
    centre.close()
    assert main.main([*argv, "--choose", "TT-251020-0001=both"]) == 0
    centre = open_database(tmp_path / "centre.db")
    assert _everything(centre) == before
    centre.close()


def test_naming_both_a_code_no_package_brings_says_so(tmp_path, built_once, capsys):
    """`--choose MÃ=both` with a package that does not hold the other dossier (a later one of
    the sender's, another unit's) kept nothing both and said nothing, exit 0: the clerk
    believed the citizen's dossier was in. It is said, with how it can still come in."""
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    other = tmp_path / "khac.zip"
    export_package(b, other, dt.date(2099, 1, 1))  # nothing since then
    for db in (a, b, centre):
        db.close()
    code = main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import", str(other),
                      "--choose", "TT-251020-0001=both"])
    err = capsys.readouterr().err
    assert code == 0
    assert ("--choose TT-251020-0001=both: không gói nào trong lần nhập này mang một hồ sơ "
            "khác cùng mã TT-251020-0001, nên không hồ sơ nào được giữ cả hai.") in err, err


@pytest.mark.parametrize("same_second", [False, True])
def test_which_citizen_gets_the_new_code_does_not_depend_on_the_files_order(tmp_path,
                                                                             same_second):
    """Round 20 (order20's merge_order): the packages of one operation are merged in the order
    they were made (then by sender), not the order the files were given, so the package made
    first keeps its codes and the other's citizens get the codes issued here — the same
    citizens in either order (before, the file given second lost its codes). Made in the same
    second: decided by the senders' installation ids, still the same in either order."""
    from tests.core.exchange.conftest import clock_at
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    for db, who in ((a, "A"), (b, "B")):
        for i in range(2):
            receive(db, f"Người {who}{i}", minutes=i + (30 if who == "B" else 0), unit=CENTRE)
    packages = [tmp_path / "a.zip", tmp_path / "b.zip"]
    export_package(a, packages[0], SINCE)
    with clock_at(0 if same_second else 1):
        export_package(b, packages[1], SINCE)
    held = []
    for order, given in enumerate((packages, packages[::-1])):
        centre = installed(tmp_path / f"centre{order}.db", CENTRE, (1, 1))
        assert import_packages(centre, given, clashes=recode.BOTH).written
        held.append((people(centre), recode.original_codes(centre.conn, list(people(centre)))))
        ok(centre)
        centre.close()
    assert held[0] == held[1]
    if not same_second:  # A's package made first: A's citizens keep the codes A issued
        assert held[0][0] == {"TT-251020-0001": "Người A0", "TT-251020-0002": "Người A1",
                              "TT-251020-0003": "Người B0", "TT-251020-0004": "Người B1"}
        assert held[0][1] == {"TT-251020-0003": "TT-251020-0001",
                              "TT-251020-0004": "TT-251020-0002"}
    a.close()
    b.close()


@pytest.mark.parametrize("fees", [(None, 0), (0, None)])
def test_keeping_both_keeps_the_packages_fee_whatever_the_other_citizens_dossier_holds(
        tmp_path, fees):
    """The fee rule of a dossier held here (fees.keep_in_package: a fee kept here or by the
    sender, read as the one standing here) is for the SAME dossier at two places. Applied to
    a clash, it read the package's dossier against the other citizen's one: "0 đồng" in the
    package became no fee here, the re-coded dossier disagreed with its own history, `check`
    failed ("bị sửa ngoài MotCua?") and importing the package again conflicted (a tester's
    month-end, round 20)."""
    fee_a, fee_b = fees
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    code = receive(a, "Người A", unit=CENTRE, fee=fee_a)[1]
    assert receive(b, "Người B", minutes=30, unit=CENTRE, fee=fee_b)[1] == code
    package_a, package_b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_package(a, package_a, SINCE)
    export_package(b, package_b, SINCE)
    assert import_packages(centre, [package_a]).written
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    held = dict(centre.execute("SELECT applicant_name, fee FROM dossiers").fetchall())
    assert held == {"Người A": fee_a, "Người B": fee_b}
    ok(centre)
    again = import_packages(centre, [package_b]).results[0]
    assert again.conflict_count == 0 and set(again.dossiers) == {"identical"}
    for db in (a, b, centre):
        db.close()


def _taken_and_gone_on(tmp_path):
    """B's citizen got the centre's code X at B (one slot); counter C took B's package and went
    on with that dossier (finished it). B's package carries the citizen's vote, C's too."""
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    c = installed(tmp_path / "c.db", CENTRE, (2, 2))
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    code = receive(centre, "Người A", minutes=1, unit=CENTRE)[1]
    theirs, same = receive(b, "Người B", minutes=2, unit=CENTRE)
    assert same == code
    votes.add_vote(b, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=1),
                   rating="dissatisfied", dossier_id=theirs)
    package_b, package_c = tmp_path / "b.zip", tmp_path / "c.zip"
    export_package(b, package_b, SINCE)
    assert import_packages(c, [package_b]).written
    D.finish(c, D.find_by_code(c, code), at=DAY + dt.timedelta(hours=3))
    export_package(c, package_c, SINCE)
    b.close()
    c.close()
    return centre, code, package_b, package_c


@pytest.mark.parametrize("b_merged_first", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
def test_two_senders_records_of_one_citizens_dossier_kept_both_make_one_dossier_with_its_votes(
        tmp_path, b_merged_first, reverse):
    """Round 21 (review): several packages bring the other citizen's dossier of a clash — B's
    own and counter C's, which took B's and went on — and the clerk keeps both. The records
    were grouped by sender: citizen B got two dossiers here and the vote was counted on each
    (a record's votes followed only its own sender's code). Now they are one dossier (C's
    furthest version) under one new code, with the one vote, in every order of the files."""
    from tests.core.exchange.conftest import made_later
    from tests.stored_facts import stored_facts
    centre, code, package_b, package_c = _taken_and_gone_on(tmp_path)
    made_later(package_b if not b_merged_first else package_c)
    given = [package_b, package_c][::-1 if reverse else 1]
    preview = import_packages(centre, given, dry_run=True, clashes=recode.BOTH)
    assert not preview.crossed and preview.combined().clashes == 2
    batch = import_packages(centre, given, clashes=recode.BOTH)
    assert batch.written
    held = centre.execute("SELECT code, applicant_name, status FROM dossiers ORDER BY code"
                          ).fetchall()
    assert held == [(code, "Người A", "received"), ("TT-251020-0002", "Người B", "done")]
    assert centre.execute("SELECT d.applicant_name, v.rating FROM votes v JOIN dossiers d ON "
                          "d.id = v.dossier_id").fetchall() == [("Người B", "dissatisfied")]
    assert stored_facts(centre, "code = ?", [code])[0]["cp"] == 0
    assert stored_facts(centre, "code = ?", ["TT-251020-0002"])[0]["cp"] == 1
    said = " ".join(w for r in batch.results for w in r.warnings)
    assert said.count(f"{code} → TT-251020-0002") == 2, said  # each package's clerk told
    ok(centre)
    again = import_packages(centre, [package_c]).results[0]  # the writer's sender followed
    assert again.conflict_count == 0 and set(again.dossiers) == {"identical"}
    # the other sender's package again (B's, which C went on from) goes on that dossier too,
    # found by who the dossier is: it clashed with A's again and made a third dossier
    before = _everything(centre)
    again = import_packages(centre, [package_b], clashes=recode.BOTH).results[0]
    assert again.conflict_count == 0 and set(again.dossiers) == {"older"}, again.dossiers
    assert again.votes == {"identical": 1}
    assert _everything(centre) == before
    centre.close()


def _kept_the_old_way(monkeypatch):
    """An import before round 20: a clash kept here put the package's votes on this PC's
    dossier of the code (the package's dossier left out, its votes not: `foreign` unknown)."""
    from core.exchange import merge
    original = merge._Merger.vote_batch

    def old_way(self, conn, batch, deferred=True):
        self.foreign = set()
        return original(self, conn, batch, deferred)
    monkeypatch.setattr(merge._Merger, "vote_batch", old_way)


def _dissatisfied_b(tmp_path):
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    code, package_a, package_b = _dissatisfied_packages(tmp_path)
    assert import_packages(centre, [package_a]).written
    return centre, code, package_b


def _dissatisfied_packages(tmp_path) -> tuple:
    """A's citizen and B's, the same code at both installations, B's dissatisfied with it:
    the two packages, both databases closed."""
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    mine, code = receive(a, "Người A", minutes=1, unit=CENTRE)
    theirs = receive(b, "Người B", minutes=2, unit=CENTRE)[0]
    for db, dossier_id in ((a, mine), (b, theirs)):  # finished: a complaint counts (766 5.4)
        D.finish(db, dossier_id, at=DAY + dt.timedelta(minutes=30))
    votes.add_vote(b, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=1),
                   rating="dissatisfied", dossier_id=theirs)
    package_a, package_b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_package(a, package_a, SINCE)
    export_package(b, package_b, SINCE)
    a.close()
    b.close()
    return code, package_a, package_b


def _on(db) -> list:
    return db.execute("SELECT d.code, d.applicant_name, v.cancelled_at IS NULL FROM votes v "
                      "JOIN dossiers d ON d.id = v.dossier_id ORDER BY v.id").fetchall()


def test_a_reopened_clash_moves_the_vote_an_earlier_keep_misfiled(tmp_path, monkeypatch):
    """Round 21 (review): before round 20 a "keep" import put B's dissatisfied vote on A's
    dossier (a vote names only the code): A's dossier counted a complaint A never made. The
    reopen (--choose MÃ=both) only pointed it out. Now the vote the package proves is B's (the
    same vote, brought by B's own package) moves with B's dossier: cancelled on A's with the
    reason, on B's re-coded dossier, an event there saying from which code to which; both
    dossiers' 766 facts computed again; the figures check; importing again changes nothing."""
    from tests.stored_facts import stored_facts
    centre, code, package_b = _dissatisfied_b(tmp_path)
    with monkeypatch.context() as patch:
        _kept_the_old_way(patch)
        assert import_packages(centre, [package_b], clashes="keep").written
    assert _on(centre) == [(code, "Người A", 1)]  # misfiled, as it was then
    assert stored_facts(centre, "code = ?", [code])[0]["cp"] == 1
    batch = import_packages(centre, [package_b], choices={code: recode.BOTH})
    assert batch.written
    new = "TT-251020-0002"
    assert people(centre) == {code: "Người A", new: "Người B"}
    assert _on(centre) == [(code, "Người A", 0), (new, "Người B", 1)]
    reason = centre.execute("SELECT cancel_reason, cancelled_by FROM votes WHERE id = 1"
                            ).fetchone()
    assert f"Chuyển sang hồ sơ {new}" in reason[0] and reason[1]
    event = centre.execute(
        "SELECT e.details FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? "
        "AND e.action = 'move_vote'", [new]).fetchone()
    assert event is not None
    assert json.loads(event[0])["from_code"] == code and json.loads(event[0])["to_code"] == new
    said = " ".join(batch.results[0].warnings)
    assert f"đã chuyển sang hồ sơ {new}" in said, said
    assert stored_facts(centre, "code = ?", [code])[0]["cp"] == 0
    assert stored_facts(centre, "code = ?", [new])[0]["cp"] == 1
    assert centre.execute("SELECT SUM(votes) FROM kpi_daily"
                          ).fetchone()[0] == 1
    ok(centre)
    before = _everything(centre)
    again = import_packages(centre, [package_b], choices={code: recode.BOTH})
    assert again.written and _everything(centre) == before
    centre.close()


def test_a_vote_on_the_code_not_proven_the_other_citizens_stays_and_is_said(tmp_path):
    """The same vote (all it says) recorded on this PC's dossier here, not brought by the
    sender's package: never moved on a guess — left, and said."""
    centre, code, package_b = _dissatisfied_b(tmp_path)
    assert import_packages(centre, [package_b], clashes="keep").written  # vote left out
    votes.add_vote(centre, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=1),
                   rating="dissatisfied", dossier_id=D.find_by_code(centre, code))
    batch = import_packages(centre, [package_b], choices={code: recode.BOTH})
    assert _on(centre) == [(code, "Người A", 1), ("TT-251020-0002", "Người B", 1)]
    said = " ".join(batch.results[0].warnings)
    assert "không chứng minh được là phiếu của người nộp bên kia" in said, said
    ok(centre)
    centre.close()


def _mixed(tmp_path):
    """One code, three records: this centre's dossier of citizen A (taken from A's package,
    then processed here), A's own later version of it (finished at A: the same dossier changed
    at two places) and B's dossier that got the same code at B (one slot with A): a clash."""
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    centre = installed(tmp_path / "centre.db", CENTRE, (2, 2))
    mine, code = receive(a, "Người A", minutes=1, unit=CENTRE)
    theirs = receive(b, "Người B", minutes=2, unit=CENTRE)[0]
    votes.add_vote(b, unit_code=CENTRE, voted_at=DAY + dt.timedelta(hours=1),
                   rating="dissatisfied", dossier_id=theirs)
    first = tmp_path / "a0.zip"
    export_package(a, first, SINCE)
    assert import_packages(centre, [first]).written
    D.start_processing(centre, D.find_by_code(centre, code), at=DAY + dt.timedelta(hours=2))
    D.finish(a, mine, at=DAY + dt.timedelta(hours=3))
    package_a, package_b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_package(a, package_a, SINCE)
    export_package(b, package_b, SINCE)
    a.close()
    b.close()
    return centre, code, package_a, package_b


@pytest.mark.parametrize("b_first", [False, True])
@pytest.mark.parametrize("how", ["both", "both+theirs", "theirs"])
def test_one_choice_for_a_code_that_is_two_citizens_and_this_ones_own_versions(
        tmp_path, how, b_first):
    """Round 21 (review): A's later version (the same dossier) and B's dossier (another
    citizen) of one code in one operation. "both" for the code was refused ("one dossier
    changed at two places") because A's record is no clash; "theirs" took both records in
    turn, so B's, merged last, replaced citizen A's dossier (the window's "Lấy theo gói" of
    A's row ticks the code's other rows). Now the code's one choice is read
    for each record by whose dossier it is, in either order: B's kept both or left out, A's
    version kept or taken, citizen A's dossier never replaced by B's."""
    from tests.core.exchange.conftest import made_later
    centre, code, package_a, package_b = _mixed(tmp_path)
    made_later(package_a if b_first else package_b)
    given = [package_a, package_b]
    batch = import_packages(centre, given, choices={code: how}, clashes=recode.BOTH)
    assert batch.written
    status = {"both": "processing", "both+theirs": "done", "theirs": "done"}[how]
    assert centre.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0] \
        == status
    if how == "theirs":  # B's left out, its vote too, and said
        assert people(centre) == {code: "Người A"}
        assert centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
        said = " ".join(w for r in batch.results for w in r.warnings)
        assert recode.FOREIGN_VOTES_VI in said
    else:
        assert sorted(people(centre).values()) == ["Người A", "Người B"]
        assert people(centre)[code] == "Người A"
        assert centre.execute("SELECT d.applicant_name FROM votes v JOIN dossiers d ON d.id = "
                              "v.dossier_id").fetchall() == [("Người B",)]
    ok(centre)
    centre.close()


def test_keep_both_named_for_one_dossier_changed_at_two_places_is_still_refused(tmp_path):
    centre, code, package_a, _ = _mixed(tmp_path)
    with pytest.raises(InputError, match="chỉ dành cho hai hồ sơ khác nhau"):
        import_packages(centre, [package_a], choices={code: recode.BOTH})
    centre.close()


def test_the_command_takes_one_choice_for_a_code_of_two_citizens_and_this_ones_versions(
        tmp_path, capsys):
    """`--choose MÃ=both+theirs`, the window's "Giữ cả hai" with A's row "Lấy theo gói"."""
    centre, code, package_a, package_b = _mixed(tmp_path)
    centre.close()
    assert main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import", str(package_a),
                      str(package_b), "--choose", f"{code}=both+theirs"]) == 0, \
        capsys.readouterr().err
    from core.database import open_database
    centre = open_database(tmp_path / "centre.db")
    assert sorted(people(centre).values()) == ["Người A", "Người B"]
    assert centre.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0] \
        == "done"
    centre.close()


def test_the_window_repeats_the_notes_of_votes_moved_left_or_left_out():
    """The window's message after an import repeats these notes (recode.told_after_import);
    the votes moved or left by a reopen were only in the command's notes."""
    told = [recode.moved_text("X-1", "X-2", 1), recode.left_text("X-1", 1),
            recode.foreign_votes_text(1), recode.recoded_text([("X-1", "X-2")])]
    assert all(recode.told_after_import(w) for w in told)
    assert not recode.told_after_import("Gói này và gói thứ 1 do hai máy khác nhau gửi")


def test_keeping_both_on_a_new_file_with_no_slot_exits_2_and_leaves_no_file(tmp_path, capsys):
    """Round 21 (tester): `exchange import … --clashes both` naming a database that did not
    exist made it, then refused (no code slot confirmed yet) with exit 1, as if the program
    could not do it, and left an empty database behind. A choice the clerk must make first is
    bad input: exit 2, what to do said (the slot: `exchange identity` or the window's menu),
    and no file left where nothing was written."""
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    receive(a, "Người A", minutes=1, unit=CENTRE)
    receive(b, "Người B", minutes=2, unit=CENTRE)
    packages = [tmp_path / "a.zip", tmp_path / "b.zip"]
    export_package(a, packages[0], SINCE)
    export_package(b, packages[1], SINCE)
    a.close()
    b.close()
    centre = tmp_path / "trung-tam.db"
    code = main.main(["--db", str(centre), "exchange", "import", *map(str, packages),
                      "--clashes", "both"])
    _, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert "exchange identity" in err and "Máy này trong nhóm trao đổi" in err
    assert not list(tmp_path.glob("trung-tam.db*"))  # no empty database left behind
    from core.database import open_database
    open_database(centre).close()  # a file that was there before stays, as it was
    code = main.main(["--db", str(centre), "exchange", "import", *map(str, packages),
                      "--clashes", "both"])
    assert code == 2 and centre.exists()


def _damaged_the_old_way(monkeypatch):
    """Keeping both as before commit 61ac080: the fee rule of the dossier held here (the OTHER
    citizen's, fee empty) read the package's "0 đồng" as no fee, and the re-coded dossier was
    written so (core.exchange.kept_both.take_all, the same write) while its history says 0."""
    real = kept_both.take_all

    def old_take_all(conn, takes, step=None):
        return real(conn, [dataclasses.replace(take, record={**take.record, "fields": {
            **take.record["fields"], "fee": None if take.record["fields"]["fee"] == 0
            else take.record["fields"]["fee"]}}) for take in takes], step)
    monkeypatch.setattr(kept_both, "take_all", old_take_all)
    return lambda: monkeypatch.setattr(kept_both, "take_all", real)


def test_a_re_coded_dossier_damaged_by_the_old_program_is_put_right_by_choosing_the_package(
        tmp_path, capsys, monkeypatch):
    """Round 21 (tester): a centre that kept both with the program before 61ac080 holds the
    other citizen's dossier under a new code with no fee where the package says 0 đồng; `check`
    fails. Importing the package again with `--choose MÃ=GÓI` answered that the package's
    version is older than this PC's — "máy này đã xử lý tiếp" — for the recode event the keep-
    both wrote here, and changed nothing: the clerk had no way to repair. The recode event is
    bookkeeping, not work: the package's version is taken under the code issued here, the
    history appended to (the recode event stays), `check` clean, and importing again changes
    nothing."""
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    code = receive(a, "Người A", unit=CENTRE, fee=None)[1]
    assert receive(b, "Người B", minutes=30, unit=CENTRE, fee=0)[1] == code
    package_a, package_b = tmp_path / "a.zip", tmp_path / "b.zip"
    export_package(a, package_a, SINCE)
    export_package(b, package_b, SINCE)
    assert import_packages(centre, [package_a]).written
    restore = _damaged_the_old_way(monkeypatch)
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    restore()
    [(new, fee)] = centre.execute("SELECT code, fee FROM dossiers WHERE applicant_name = ?",
                                  ["Người B"]).fetchall()
    assert new != code and fee is None  # the damaged state the tester's centre holds
    assert not all(f.ok for f in audit_findings(centre))  # check: "bị sửa ngoài MotCua?"
    events = centre.execute("SELECT action FROM events e JOIN dossiers d ON d.id = e.dossier_id "
                            "WHERE d.code = ? ORDER BY e.id", [new]).fetchall()
    assert ("recode",) in events
    centre.close()
    status = main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import",
                        str(package_b), "--choose", f"{new}=b.zip"])
    out, err = capsys.readouterr()
    assert status == 0 and "cũ hơn bản máy này" not in err and "đã xử lý tiếp" not in err
    assert "lấy theo gói 1" in out
    from core.database import open_database
    centre = open_database(tmp_path / "centre.db")
    assert centre.execute("SELECT fee FROM dossiers WHERE code = ?", [new]).fetchone()[0] == 0
    assert centre.execute("SELECT fee FROM dossiers WHERE code = ?", [code]).fetchone()[0] \
        is None  # the other citizen's, here before, untouched
    after = centre.execute("SELECT action FROM events e JOIN dossiers d ON d.id = e.dossier_id "
                           "WHERE d.code = ? ORDER BY e.id", [new]).fetchall()
    assert after[:len(events)] == events and len(after) == len(events) + 1  # appended to
    ok(centre)
    again = import_packages(centre, [package_b]).results[0]
    assert again.conflict_count == 0 and again.written
    assert centre.execute("SELECT fee FROM dossiers WHERE code = ?", [new]).fetchone()[0] == 0
    ok(centre)
    for db in (a, b, centre):
        db.close()


def test_a_package_given_twice_keeps_both_once_and_counts_its_clashes_once(tmp_path, built_once):
    """Round 21 (tester): the same package twice in one operation (`a.zip a.zip`, or a copy
    under another name) wrote its clashes' dossiers once but "Cộng 2 gói" said 43 + 43 kept
    both. The totals say what is written: each clash once."""
    import shutil
    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    copy = tmp_path / "b - Copy.zip"
    shutil.copy(package_b, copy)
    for given in ([package_b, package_b], [package_b, copy], [copy, package_b]):
        preview = import_packages(centre, given, dry_run=True, clashes=recode.BOTH)
        combined = preview.combined()
        assert (combined.clashes, combined.conflict_count, combined.resolved) == \
            (2, 2, {recode.BOTH: 2}), given
        assert preview.total("dossiers") == {"conflict": 2}
        assert [bool(r.same_as) for r in preview.results] == [False, True]
    batch = import_packages(centre, [package_b, copy], clashes=recode.BOTH)
    assert batch.written and batch.combined().resolved == {recode.BOTH: 2}
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 4  # 2 + 2, once
    ok(centre)
    for db in (a, b, centre):
        db.close()


def test_keeping_both_on_a_copied_file_is_a_choice_to_make_first_exit_2(tmp_path, built_once,
                                                                       capsys):
    """Round 22: a centre's database file copied to another place (or PC) issues no code till
    the administrator says which PC it is (spec 4: core.installation.check_home); keeping both
    needs a code issued here, and `--clashes both` on such a copy was refused with exit 1, as
    if the program could not do it. Like a slot not yet confirmed it is a choice the clerk
    makes first: exit 2, the copy named and what to do, nothing written; the preview shows the
    clash and says so."""
    import shutil

    a, b, centre, package_b = two_pcs(built_once, tmp_path)
    for db in (a, b, centre):
        db.close()
    copy = tmp_path / "chep" / "centre.db"
    copy.parent.mkdir()
    shutil.copyfile(tmp_path / "centre.db", copy)  # the original stays: a copy beside it
    argv = ["--db", str(copy), "exchange", "import", str(package_b), "--conflicts", "keep"]
    assert main.main([*argv, "--clashes", "both", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    said = " ".join((out + err).split())
    assert "cần máy này cấp mã mới" in said and "là bản chép của tệp" in said, said
    code = main.main([*argv, "--clashes", "both"])
    _, err = capsys.readouterr()
    said = " ".join(err.split())
    assert code == 2, said
    assert "là bản chép của tệp" in said and "exchange identity --new-machine" in said
    assert "--clashes keep" in said and "Traceback" not in said
    from core.database import open_database
    copied = open_database(copy)
    assert len(people(copied)) == 2  # nothing written
    copied.close()
