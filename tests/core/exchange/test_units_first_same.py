"""Every package's units taken before any dossier (merge.units_first, round 33) leaves the
centre as taking them in each package's turn does (the fallback: the temporary folder without
the room for every part at once), and writes nothing when the operation is refused after them.

- A unit the centre holds dossiers of, renamed by a package's version the clerk chose: the
  held dossiers are found by the new name (their keys kept in step by the index's triggers on
  the held rows, fulltext.deferred), both ways.
- The same packages merged both ways give the same centre (bench/digest_centre.py's digest,
  the units and the catalogue's log too).
- A refusal after the merge (the units written before any dossier) leaves nothing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.digest_centre import centre_digest
from core import catalogue
from core.errors import InputError
from core.exchange import checks, export_package, merge
from core.exchange.merge import import_packages
from core.exchange.merge.units_first import _UnitsFirst
from tests.core.exchange.conftest import clock_at, office, receive
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_fastcopy_keys import NEW_NAME, _index_is_the_view_s, packages  # noqa: F401 (fixture)
from tests.core.exchange.test_merged_unit_package import _centre, _old_pc_package, _state

THEIRS = {"units:U1": "theirs"}


def _in_turn(monkeypatch, first: bool) -> None:
    if not first:  # (the temporary folder without the room for every part at once)
        monkeypatch.setattr(_UnitsFirst, "units_first", lambda self, conn: False)


def _found(db, term: str) -> set[str]:
    return {r[0] for r in db.execute(
        "SELECT d.applicant_name FROM dossiers_fts f JOIN dossiers d ON d.id = f.rowid "
        "WHERE dossiers_fts MATCH ?", [term])}


@pytest.mark.parametrize("first", [False, True], ids=["units in turn", "units first"])
@pytest.mark.parametrize("processes", [False, True], ids=["in-process", "second-process"])
def test_held_dossiers_of_a_unit_renamed_by_a_chosen_version_are_found_by_its_new_name(
        tmp_path, monkeypatch, first, processes):
    _in_turn(monkeypatch, first)
    if processes:
        monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    centre = office(tmp_path / "centre.db", (1, 1))
    receive(centre, "Trần Thị Hoa", unit="U1")
    receive(centre, "Lò Văn Sử", minutes=5, unit="U2", competent_unit_code="U1")
    pcs = [office(tmp_path / f"pc{i}.db", (i, 3)) for i in (2, 3)]
    receive(pcs[0], "Hà Thị Mai", minutes=10, unit="U2")  # a package before the renaming one
    export_package(pcs[0], tmp_path / "p1.zip", SINCE)
    catalogue.save_unit(pcs[1], "U1", NEW_NAME, "commune", None)
    receive(pcs[1], "Nguyễn Văn Ân", minutes=20, unit="U1")
    with clock_at(1):
        export_package(pcs[1], tmp_path / "p2.zip", SINCE)
    for pc in pcs:
        pc.close()
    assert _found(centre, "moi") == set()
    batch = import_packages(centre, [tmp_path / "p1.zip", tmp_path / "p2.zip"],
                            catalogue_choices=THEIRS)
    assert batch.written
    assert _found(centre, "moi") == {"Trần Thị Hoa", "Lò Văn Sử", "Nguyễn Văn Ân"}
    _index_is_the_view_s(centre)
    centre.close()


def _merged(tmp_path, monkeypatch, made: list[Path], first: bool, name: str) -> dict:
    with pytest.MonkeyPatch.context() as patch:
        _in_turn(patch, first)
        centre = office(tmp_path / name, (1, 1))
        batch = import_packages(centre, made, catalogue_choices=THEIRS)
        assert batch.written
        extra = {
            "units": centre.execute("SELECT * FROM units ORDER BY code").fetchall(),
            "log": sorted(map(repr, centre.execute("SELECT area, key, old_value, new_value FROM setting_changes "
                                  "ORDER BY id").fetchall())),  # (the order of its rows changed)
            "totals": batch.total("dossiers"),
            # a version chosen is compared with the catalogue as before the import: p3's U1,
            # as p2 brought it, is listed taken by p3 too when the units come first
            "taken": sorted({i for r in batch.results for i in r.catalogue_taken}),
            "warnings": sorted(w for r in batch.results for w in r.warnings)}
        centre.close()
    return {**centre_digest(str(tmp_path / name)), **{k: repr(v) for k, v in extra.items()}}


@pytest.mark.parametrize("processes", [False, True], ids=["in-process", "second-process"])
def test_units_first_and_units_in_turn_leave_the_same_centre(packages, tmp_path,  # noqa: F811
                                                             monkeypatch, processes):
    if processes:
        monkeypatch.setattr(merge.run, "SECOND_PROCESS_MIN", 0)
    early = _merged(tmp_path, monkeypatch, packages, True, "early.db")
    in_turn = _merged(tmp_path, monkeypatch, packages, False, "in_turn.db")
    assert early == in_turn


def test_a_refusal_after_the_merge_leaves_no_unit_nor_version_written(tmp_path, db,
                                                                      monkeypatch):
    """The dossiers outside a unit's dates found only after the merge (the early check off
    here): the units and the chosen version written before any dossier are rolled back with
    the rest, the catalogue's log too."""
    before = _centre(db)
    package, _codes, _june = _old_pc_package(tmp_path)
    pc = office(tmp_path / "renamer.db", (1, 2))
    catalogue.save_unit(pc, "U1", NEW_NAME, "commune", None)
    catalogue.save_unit(pc, "U9", "Thị trấn Mới", "commune", "U1")
    receive(pc, "Người khác", unit="U9")
    with clock_at(-1):
        export_package(pc, tmp_path / "renamer.zip", SINCE)
    pc.close()
    monkeypatch.setattr(_UnitsFirst, "_dates_early", lambda *args: None)
    taken = []
    real = _UnitsFirst.units_first
    monkeypatch.setattr(_UnitsFirst, "units_first",
                        lambda self, conn: taken.append(real(self, conn)) or taken[-1])
    seen = []
    absent = checks.absent_refusal
    monkeypatch.setattr(checks, "absent_refusal", lambda conn, *a, **k: seen.append(
        conn.execute("SELECT name FROM units WHERE code = 'U1'").fetchone()[0]) or absent(
        conn, *a, **k))
    for dry_run in (True, False):
        with pytest.raises(InputError, match="không hoạt động"):
            import_packages(db, [tmp_path / "renamer.zip", package], dry_run=dry_run,
                            catalogue_choices=THEIRS)
        assert _state(db) == before
    assert taken == [True, True] and seen == [NEW_NAME, NEW_NAME]
    assert db.execute("SELECT name FROM units WHERE code = 'U1'").fetchone()[0] != NEW_NAME
    assert db.execute("SELECT 1 FROM units WHERE code = 'U9'").fetchone() is None



@pytest.mark.parametrize("first", [False, True], ids=["units in turn", "units first"])
def test_a_chosen_version_ending_a_unit_before_an_earlier_package_s_dossiers_is_refused(
        tmp_path, db, monkeypatch, first):
    """p1's dossiers of U1 (20/10/2025), merged first; p2's version of U1, chosen, ends it on
    30/06/2025: refused both ways (in turn: the version against the dossiers merged before
    it; units first: those dossiers against the catalogue the operation leaves), nothing
    written."""
    _in_turn(monkeypatch, first)
    before = _centre(db)
    pcs = [office(tmp_path / f"pc{i}.db", (i, 3)) for i in (2, 3)]
    receive(pcs[0], "Hà Thị Mai", unit="U1")
    export_package(pcs[0], tmp_path / "p1.zip", SINCE)
    catalogue.save_unit(pcs[1], "U1", "Xã An Sơn", "commune", None,
                        valid_to=dt.date(2025, 6, 30))
    with clock_at(1):
        export_package(pcs[1], tmp_path / "p2.zip", SINCE)
    for pc in pcs:
        pc.close()
    for dry_run in (True, False):
        with pytest.raises(InputError, match="20/10/2025"):
            import_packages(db, [tmp_path / "p1.zip", tmp_path / "p2.zip"], dry_run=dry_run,
                            catalogue_choices=THEIRS)
        assert _state(db) == before


@pytest.mark.parametrize("first", [False, True], ids=["units in turn", "units first"])
def test_dossiers_a_chosen_version_keeps_inside_their_unit_s_dates_are_taken(
        tmp_path, db, monkeypatch, first):
    """Hòa Bình's old PC (U2 alive there, ended at the centre), its version of U2 chosen and
    a later package's dossiers: its dossiers of 20/10/2025 are judged against the catalogue the
    operation leaves (U2 alive again), before the merge as after it: taken both ways."""
    _in_turn(monkeypatch, first)
    _centre(db)
    package, codes, _june = _old_pc_package(tmp_path)
    pc = office(tmp_path / "an_son.db", (1, 2))
    receive(pc, "Người tốt", unit="U1")
    with clock_at(5):
        export_package(pc, tmp_path / "an_son.zip", SINCE)
    pc.close()
    batch = import_packages(db, [tmp_path / "an_son.zip", package],
                            catalogue_choices={"units:U2": "theirs"})
    assert batch.written
    assert db.execute("SELECT valid_to FROM units WHERE code = 'U2'").fetchone()[0] is None
    assert {r[0] for r in db.execute("SELECT code FROM dossiers")} >= set(codes)
