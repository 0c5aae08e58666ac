"""Issue 16 §3, spec 9: dossiers re-coded at a "keep both" (core.exchange.recode).

Counted in one operation: a dossier the centre re-coded ("Giữ cả hai") reaches a PC with the
package of the PC it came from, in ONE operation. The centre's record of it carries the
centre's `recode` event (bookkeeping of that import, never work on the dossier: recode
.OWN_ACTIONS); the sender's own record does not. Equal but for that event, they are one
version: "giống hệt" for the package that brings nothing more, as when the packages are
imported one by one — never "máy này mới hơn" — whatever the order the files are given in.

Checked: one the program before 61ac080 damaged (its fee) is named with the import that repairs
it (`--choose MÃ=GÓI`), not a backup to restore."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import dossiers as D
from core.exchange import compare, export_package, merge, recode
from core.exchange.merge import import_packages
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import DAY, in_merge_order, made_later, receive
from tests.core.exchange.test_aliases_travel import B0_HERE, B1_HERE, kept_both
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _damaged_the_old_way, _everything, _mixed, people
from tests.core.exchange.test_versions import clone, ok

pytestmark = pytest.mark.slot_unconfirmed


def counted(batch) -> dict[str, dict[str, int]]:
    return {r.path.rsplit("/", 1)[-1]: dict(r.dossiers) for r in batch.results}


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("clashes", [None, "keep", recode.BOTH])
def test_a_record_equal_but_for_the_centres_recode_event_is_identical_in_one_operation(
        tmp_path, monkeypatch, built_once, clashes, fast):
    """B's package made after the centre's (B's next month-end, nothing new on B1): A merges
    the centre's first. B0 was finished at the centre (B's record of it is older); B1 is the
    same at both but for the centre's recode event. The centre's dossiers copied by SQL or
    written record by record (merge.FAST_COPY), counted alike."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    a, b, centre, back = kept_both(built_once, tmp_path)
    from_b = tmp_path / "b.zip"
    made_later(from_b)
    assert in_merge_order([from_b, back]) == [back, from_b]
    one_by_one = clone(a, tmp_path / "a-one-by-one.db")
    expected = {"centre.zip": {compare.NEW: 2, compare.IDENTICAL: 2},
                "b.zip": {compare.OLDER: 1, compare.IDENTICAL: 1}}
    for path in (back, from_b):  # one by one, in the order made
        preview = import_packages(one_by_one, [path], dry_run=True, clashes=clashes)
        done = import_packages(one_by_one, [path], clashes=clashes)
        assert done.written and counted(preview) == counted(done)
        assert counted(done) == {path.name: expected[path.name]}
    for order in ([back, from_b], [from_b, back]):
        preview = import_packages(a, order, dry_run=True, clashes=clashes)
        assert counted(preview) == expected, order
        assert not any(c.code == B1_HERE for r in preview.results for c in r.conflicts)
    done = import_packages(a, [from_b, back], clashes=clashes)
    assert done.written and counted(done) == expected
    assert people(a) == people(one_by_one)
    assert {B0_HERE, B1_HERE} <= set(people(a))
    ok(a)
    for db in (a, b, centre, one_by_one):
        db.close()


def _centre_damaged(tmp_path, monkeypatch):
    """A centre that kept both (A's and B's citizens, one code) with the program before
    61ac080: (a, b, centre, B's package, the code the centre issued)."""
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
    [new] = [c for c, name in people(centre).items() if name == "Người B"]
    return a, b, centre, package_b, new


def test_check_names_the_package_choice_that_repairs_a_re_coded_dossier_the_old_program_damaged(
        tmp_path, capsys, monkeypatch):
    """Round 21 (tester): a centre that kept both with the program before 61ac080 holds the
    other citizen's dossier under a new code with no fee where its history says 0 đồng.
    `check` said "bị sửa ngoài MotCua?" and advised restoring a backup (losing everything
    written since), though `exchange import GÓI --choose MÃ=GÓI` repairs it (round 21). It
    names that repair, with the code and the package, and no restore; once repaired, clean."""
    a, b, centre, package_b, new = _centre_damaged(tmp_path, monkeypatch)
    [finding] = [f for f in audit_findings(centre) if not f.ok]
    assert f"--choose {new}=b.zip" in finding.text and finding.repair
    centre.close()
    status = main.main(["--db", str(tmp_path / "centre.db"), "check"])
    out, _ = capsys.readouterr()
    assert status == 1
    assert (f"1 hồ sơ trong số đó được cấp mã mới ở máy này khi nhập gói (\"Giữ cả hai\"): lệ "
            "phí bị phiên bản MotCua cũ ghi sai lúc ấy, không phải bị sửa ngoài MotCua — không "
            "cần khôi phục bản sao lưu. Sửa bằng cách nhập lại gói ấy và chọn phiên bản của gói "
            f"(lệnh): {new}: exchange import <gói b.zip> --choose {new}=b.zip.") in out
    assert "khôi phục từ bản sao lưu" not in out
    assert "sửa theo hướng dẫn ở trên; không cần khôi phục bản sao lưu" in out
    assert "Người B" not in out  # (the citizen's name is no part of the advice)
    # the advice followed: repaired, `check` clean
    assert main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import",
                      str(package_b), "--choose", f"{new}=b.zip"]) == 0
    capsys.readouterr()
    assert main.main(["--db", str(tmp_path / "centre.db"), "check"]) == 0
    for db in (a, b):
        db.close()


def test_check_names_no_import_of_a_package_this_pc_never_had(tmp_path, monkeypatch):
    """review22: the centre's damaged dossier reaches another PC with the centre's package. Its
    history carries the CENTRE's recode event (naming b.zip, which this PC never imported):
    `exchange import <gói b.zip> --choose Y=b.zip` is no command this PC can run (b.zip is
    not its package, Y no code it issued), and "không cần khôi phục" was said on that. The
    repair is named only for a dossier re-coded HERE (its code_aliases row: the package)."""
    a, b, centre, package_b, new = _centre_damaged(tmp_path, monkeypatch)
    back = tmp_path / "centre.zip"
    export_package(centre, back, SINCE)
    d = installed(tmp_path / "d.db", CENTRE, (1, 1))
    assert import_packages(d, [back]).written
    [finding] = [f for f in audit_findings(d) if not f.ok]
    assert new in finding.text  # the mismatch is still found …
    assert "--choose" not in finding.text  # … with no foreign repair
    assert "không khôi phục bản sao lưu" in finding.text and finding.repair  # (review23 S3)
    for db in (a, b, centre, d):
        db.close()


def test_check_still_advises_a_backup_for_a_fee_edited_outside_motcua(tmp_path, capsys):
    """A dossier never re-coded whose fee was edited by SQL: no import repairs it, the backup
    advice stays."""
    db = installed(tmp_path / "a.db", CENTRE, (1, 1))
    code = receive(db, "Người A", unit=CENTRE, fee=0)[1]
    db.execute("UPDATE dossiers SET fee = 5000 WHERE code = ?", [code])
    db.conn.commit()
    db.close()
    assert main.main(["--db", str(tmp_path / "a.db"), "check"]) == 1
    out, _ = capsys.readouterr()
    assert "khôi phục từ bản sao lưu gần nhất" in out and "--choose" not in out


def state(db) -> dict:
    """What an import leaves, by content (the rows' ids aside): the dossiers with their
    histories, the votes, the daily figures, the aliases."""
    dossiers = {}
    for code, dossier_id in db.execute("SELECT code, id FROM dossiers ORDER BY code"):
        row = db.execute("SELECT * FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
        names = [d[0] for d in db.execute("SELECT * FROM dossiers LIMIT 0").description]
        dossiers[code] = ({n: v for n, v in zip(names, row, strict=True)
                           if n not in ("id", "search_text")},
                          db.execute("SELECT at, actor, action, from_status, to_status, reason, "
                                     "details FROM events WHERE dossier_id = ? ORDER BY id",
                                     [dossier_id]).fetchall())
    return {"dossiers": dossiers,
            "votes": sorted(db.execute(
                "SELECT d.code, v.unit_code, v.voted_at, v.rating, v.comment, v.source FROM "
                "votes v LEFT JOIN dossiers d ON d.id = v.dossier_id").fetchall()),
            "kpi": db.execute("SELECT * FROM kpi_daily ORDER BY day, unit_code").fetchall(),
            "aliases": sorted(db.execute("SELECT sender, sender_code, local_code, package "
                                         "FROM code_aliases").fetchall())}


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("clashes", [None, recode.BOTH])
def test_a_senders_package_made_before_the_one_that_re_coded_its_dossiers_comes_in_one_operation(
        tmp_path, monkeypatch, built_once, clashes, fast):
    """B's package made BEFORE the centre's, both given to A in ONE operation: B's is merged
    first (merge.merge_order), while A did not yet know the aliases the centre's carries, so
    B's dossiers were code clashes with A's own (asked for with no option; kept both they were
    refused, round 22's first answer). The aliases of every package are known before the
    first is merged: B's 0001 and 0002 are read as the centre's 0003 and 0004 in B's turn,
    and A ends exactly as after the centre's package then B's, one by one, in either order
    given, the centre's dossiers copied by SQL or written record by record."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    a, b, centre, back = kept_both(built_once, tmp_path)
    made_later(back)
    from_b = tmp_path / "b.zip"
    assert in_merge_order([back, from_b]) == [from_b, back]
    one_by_one = clone(a, tmp_path / "a-one-by-one.db")
    expected = {"centre.zip": {compare.NEW: 2, compare.IDENTICAL: 2},
                "b.zip": {compare.OLDER: 1, compare.IDENTICAL: 1}}
    for path in (back, from_b):  # the centre's first, as the aliases want
        preview = import_packages(one_by_one, [path], dry_run=True, clashes=clashes)
        done = import_packages(one_by_one, [path], clashes=clashes)
        assert done.written and counted(preview) == counted(done)
        assert counted(done) == {path.name: expected[path.name]}
    for k, order in enumerate(([back, from_b], [from_b, back])):
        db = clone(a, tmp_path / f"a-{k}.db")
        preview = import_packages(db, order, dry_run=True, clashes=clashes)
        assert counted(preview) == expected, order
        assert not preview.pending and not any(r.conflicts for r in preview.results)
        done = import_packages(db, order, clashes=clashes)
        assert done.written and counted(done) == expected
        assert state(db) == state(one_by_one)
        assert sorted(people(db).values()) == ["Người A0", "Người A1", "Người B0", "Người B1"]
        assert db.execute("SELECT d.code FROM votes v JOIN dossiers d ON d.id = v.dossier_id"
                          ).fetchall() == [(B0_HERE,)]
        ok(db)
        before = _everything(db)
        again = import_packages(db, order, clashes=clashes)  # spec 9: idempotent
        assert _everything(db) == before and not again.pending
        db.close()
    for db in (a, b, centre, one_by_one):
        db.close()


@pytest.mark.parametrize("fast", [True, False])
def test_a_pc_holding_none_of_them_takes_the_senders_older_package_with_the_centres(
        tmp_path, monkeypatch, built_once, fast):
    """D holds none of the codes: B's 0001 was copied by SQL as a dossier of its own in B's
    turn (the copy reads no alias), A0 then a clash with it. Left to the records' way, it is
    read as the centre's 0003: D as after the centre's package then B's."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    a, b, centre, back = kept_both(built_once, tmp_path)
    made_later(back)
    from_b = tmp_path / "b.zip"
    d = installed(tmp_path / "d.db", CENTRE, (3, 3))
    one_by_one = clone(d, tmp_path / "d-one-by-one.db")
    for path in (back, from_b):
        assert import_packages(one_by_one, [path], clashes=recode.BOTH).written
    assert import_packages(d, [from_b, back], clashes=recode.BOTH).written
    assert people(d) == people(one_by_one) == {
        "TT-251020-0001": "Người A0", "TT-251020-0002": "Người A1", B0_HERE: "Người B0",
        B1_HERE: "Người B1"}
    assert state(d) == state(one_by_one)
    ok(d)
    for db in (a, b, centre, d, one_by_one):
        db.close()


def _mixed_and_crossed(tmp_path):
    """The code of test_keep_both._mixed (this centre's dossier of citizen A, A's later
    version of it, B's dossier under the same code: a clash) and a third package, of D, which
    took A's first package and went on otherwise: this centre's own versions differ among the
    packages too."""
    centre, code, package_a, package_b = _mixed(tmp_path)
    d = installed(tmp_path / "d.db", CENTRE, (3, 3))
    assert import_packages(d, [tmp_path / "a0.zip"]).written
    D.start_processing(d, D.find_by_code(d, code), at=DAY + dt.timedelta(hours=4))
    package_d = tmp_path / "d.zip"
    export_package(d, package_d, SINCE)
    made_later(package_d)
    d.close()
    return centre, code, [package_a, package_b, package_d]


@pytest.mark.parametrize("version", ["a.zip", compare.HERE])
def test_another_citizens_dossier_is_kept_both_while_this_ones_versions_are_chosen(
        tmp_path, version):
    """B's dossier was listed as a fourth "version" of citizen A's dossier (choosing it would
    put B's over A's; keeping both did not apply): now it is a clash kept both, as when no
    version of A's differs, and the clerk picks among this centre's and A's and D's versions."""
    centre, code, given = _mixed_and_crossed(tmp_path)
    preview = import_packages(centre, given, dry_run=True, clashes=recode.BOTH)
    [crossed] = preview.crossed
    assert not crossed.clash and len(crossed.versions) == 3
    assert all("Người B" not in v.description for v in crossed.versions)
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in preview.results}
    assert by_name["b.zip"].clashes == 1 and by_name["b.zip"].resolved == {recode.BOTH: 1}
    assert preview.pending  # the version is still to choose
    batch = import_packages(centre, given, clashes=recode.BOTH, versions={code: version})
    assert batch.written
    assert people(centre)[code] == "Người A"
    assert sorted(people(centre).values()) == ["Người A", "Người B"]
    status = {"a.zip": "done", compare.HERE: "processing"}[version]
    assert centre.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0] \
        == status
    assert centre.execute("SELECT d.applicant_name FROM votes v JOIN dossiers d ON d.id = "
                          "v.dossier_id").fetchall() == [("Người B",)]
    ok(centre)
    again = import_packages(centre, given, clashes=recode.BOTH)
    assert again.written and not again.crossed, [c.line() for c in again.crossed]
    assert sorted(people(centre).values()) == ["Người A", "Người B"]
    centre.close()


def test_the_command_keeps_both_the_other_citizen_and_takes_the_version_named(
        tmp_path, capsys):
    """`--clashes both --choose MÃ=GÓI`: one option for the other citizen's dossier, one for
    this centre's own versions; without --clashes the clash is still to decide (exit 2)."""
    centre, code, given = _mixed_and_crossed(tmp_path)
    centre.close()
    db = str(tmp_path / "centre.db")
    assert main.main(["--db", db, "exchange", "import", *map(str, given), "--choose",
                      f"{code}=a.zip"]) == 2
    _, err = capsys.readouterr()
    assert "--clashes both giữ cả hai" in err and "Người B" in err
    assert main.main(["--db", db, "exchange", "import", *map(str, given), "--clashes", "both",
                      "--choose", f"{code}=a.zip"]) == 0
    out, err = capsys.readouterr()
    assert "3 phiên bản → đã chọn: a.zip" in err and "giữ cả hai 1" in out
    from core.database import open_database
    centre = open_database(tmp_path / "centre.db")
    assert sorted(people(centre).values()) == ["Người A", "Người B"]
    assert centre.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0] \
        == "done"
    ok(centre)
    centre.close()


def _forged_centre(tmp_path, back, change):
    from tests.core.exchange.conftest import rewrite_rows
    forged = tmp_path / "centre.zip"
    moved = tmp_path / "made.zip"
    back.rename(moved)
    rewrite_rows(moved, forged, change)
    made_later(forged)
    return forged


def _swapped(conn):
    """The centre's aliases say B's 0001 is its 0004 (B1) and B's 0002 its 0003 (B0)."""
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                           "'code_aliases_never_deleted'").fetchone()[0]
    rows = conn.execute("SELECT * FROM code_aliases ORDER BY local_code").fetchall()
    conn.executescript("DROP TRIGGER code_aliases_never_deleted; DELETE FROM code_aliases;")
    for row, other in zip(rows, reversed(rows), strict=True):
        conn.execute("INSERT INTO code_aliases VALUES (?, ?, ?, ?, ?, ?)",
                     [row[0], other[1], row[2], *row[3:]])
    conn.execute(trigger)


def test_aliases_naming_another_citizens_record_of_the_sender_are_still_refused_when_kept_both(
        tmp_path, built_once):
    """The one case left to recode.taught_meanwhile_text: the centre's package says B's 0001
    is its 0004, yet B's 0001 is another citizen than the centre's 0004 — never read as it
    (recode.taught: the same dossier only). B's dossiers are clashes with A's then, kept both
    in B's turn, and the centre's turn learns the aliases: nothing written, the order said."""
    from core.errors import InputError
    a, b, centre, back = kept_both(built_once, tmp_path)
    forged = _forged_centre(tmp_path, back, _swapped)
    from_b = tmp_path / "b.zip"
    assert in_merge_order([forged, from_b]) == [from_b, forged]
    before = state(a)
    with pytest.raises(InputError, match="Hãy nhập từng gói một: gói centre.zip trước"):
        import_packages(a, [forged, from_b], clashes=recode.BOTH)
    assert state(a) == before
    for db in (a, b, centre):
        db.close()


def test_a_bad_alias_of_a_later_package_refuses_the_operation_before_anything(tmp_path, built_once):
    """The hostile-file rule kept when a package's aliases are read for the ones before it: an
    alias of no dossier of the package refuses the operation, naming that package."""
    from core.errors import InputError
    a, b, centre, back = kept_both(built_once, tmp_path)
    forged = _forged_centre(tmp_path, back, lambda conn: conn.execute(
        "INSERT INTO code_aliases VALUES ('x', 'TT-1', 'TT-9', 'g.zip', '2025-10-20 08:00:00', "
        "NULL)"))
    from_b = tmp_path / "b.zip"
    before = state(a)
    for dry_run in (True, False):
        with pytest.raises(InputError, match="centre.zip.*không có trong gói"):
            import_packages(a, [from_b, forged], dry_run=dry_run, clashes=recode.BOTH)
    assert state(a) == before
    for db in (a, b, centre):
        db.close()
