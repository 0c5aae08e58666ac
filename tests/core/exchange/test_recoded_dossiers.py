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
from tests.core.exchange.test_aliases_travel import B0_HERE, B1_HERE, centre_kept_both
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _damaged_the_old_way, _mixed, people
from tests.core.exchange.test_versions import clone, ok

pytestmark = pytest.mark.slot_unconfirmed


def counted(batch) -> dict[str, dict[str, int]]:
    return {r.path.rsplit("/", 1)[-1]: dict(r.dossiers) for r in batch.results}


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("clashes", [None, "keep", recode.BOTH])
def test_a_record_equal_but_for_the_centres_recode_event_is_identical_in_one_operation(
        tmp_path, monkeypatch, clashes, fast):
    """B's package made after the centre's (B's next month-end, nothing new on B1): A merges
    the centre's first. B0 was finished at the centre (B's record of it is older); B1 is the
    same at both but for the centre's recode event. The centre's dossiers copied by SQL or
    written record by record (merge.FAST_COPY), counted alike."""
    monkeypatch.setattr(merge, "FAST_COPY", fast)
    a, b, centre, back = centre_kept_both(tmp_path)
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
    assert "--choose" not in finding.text and not finding.repair  # … with no foreign repair
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


def test_keeping_both_a_dossier_another_package_of_the_operation_says_was_re_coded_is_refused(
        tmp_path):
    """B's package made BEFORE the centre's (merged first): in B's turn A knows nothing of the
    centre's re-coding, so B's dossiers are a clash with A's under the same codes, kept both
    (the window's default); the centre's package, merged after, says they are its 0003 and
    0004. Re-coding them again would make B's citizens twice: it failed on the alias table's
    key, told as "dữ liệu sai kiểu" of the centre's package. Now nothing is written and the
    clerk is told the order that imports them right, one package at a time."""
    from core.errors import InputError
    a, b, centre, back = centre_kept_both(tmp_path)
    made_later(back)
    from_b = tmp_path / "b.zip"
    assert in_merge_order([back, from_b]) == [from_b, back]
    before = people(a)
    for dry_run in (True, False):
        with pytest.raises(InputError, match="Hãy nhập từng gói một: gói centre.zip trước, rồi "
                                             "gói b.zip") as caught:
            import_packages(a, [back, from_b], dry_run=dry_run, clashes=recode.BOTH)
        assert "TT-251020-0001 của gói b.zip" in str(caught.value)
        assert "sai kiểu" not in str(caught.value)
    assert people(a) == before
    for path in (back, from_b):  # as advised: B's dossiers once each, under the centre's codes
        assert import_packages(a, [path], clashes=recode.BOTH).written
    assert sorted(people(a).values()) == ["Người A0", "Người A1", "Người B0", "Người B1"]
    ok(a)
    for db in (a, b, centre):
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
