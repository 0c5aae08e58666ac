"""A package's units judged before anything is merged, in an order that does not matter
(issue 16 §3, round 33).

- A package whose dossiers fall outside a unit's dates (the centre's Xã Hòa Bình ended on
  30/06/2025; a commune's old PC still receives under it in October) was refused only after
  the whole operation merged (a month-end: 40 s and more), the preview too. Every package's
  units are now taken and judged before any package's dossiers: the preview and the import
  refuse it before one dossier is merged, in the same words, nothing written.
- The version of a held unit the clerk chose, naming a parent only a LATER package of the same
  operation brings, was refused in its own package's turn (new units were not, round 32): its
  links are now checked with the new units', once every package is in — taken in either
  order, refused in both when the parent exists nowhere."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core.errors import InputError
from core.exchange import export, export_package
from core.exchange.merge import import_packages
from core.exchange.merge.merger import _Merger
from core.exchange.merge.units_first import _UnitsFirst
from tests.core.exchange.conftest import in_merge_order, made_later, office, receive, rewrite_units
from tests.core.exchange.test_merged_unit_package import FIRST, KEEP, REFUSED, _centre, _state

SINCE = dt.date(2025, 10, 1)
NOT_WRITTEN = "Chưa ghi gì vào cơ sở dữ liệu."


@pytest.fixture
def merged(monkeypatch) -> list[str]:
    """The packages whose dossiers began to be merged (their copy's first step), by file name."""
    began: list[str] = []
    real = _Merger._copy_new

    def spied(self, conn, now):
        began.append(self.reader.path.name)
        return real(self, conn, now)
    monkeypatch.setattr(_Merger, "_copy_new", spied)
    return began


def _two_packages(tmp_path) -> tuple:
    """An Sơn's PC (U1, alive: taken alone) merged FIRST, then Hòa Bình's old PC (U2, ended at
    the centre) with four dossiers of 20/10/2025."""
    good_pc = office(tmp_path / "an_son.db", (1, 2))
    receive(good_pc, "Người tốt", unit="U1")
    good = tmp_path / "an_son.zip"
    export_package(good_pc, good, SINCE)
    good_pc.close()
    old_pc = office(tmp_path / "hoa_binh.db", (2, 2))
    codes = [receive(old_pc, f"Người {i}", minutes=i, unit="U2")[1] for i in range(4)]
    bad = tmp_path / "hoa_binh.zip"
    export_package(old_pc, bad, SINCE)
    old_pc.close()
    made_later(bad, 5)
    assert in_merge_order([bad, good]) == [good, bad]
    return good, bad, codes


def test_a_package_outside_a_units_dates_is_refused_before_any_dossier_is_merged(
        tmp_path, db, db_path, capsys, merged):
    before = _centre(db)
    good, bad, codes = _two_packages(tmp_path)
    said = []
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_packages(db, [good, bad], dry_run=dry_run)
        said.append(str(refused.value))
        assert merged == [], "a package's dossiers were merged before the refusal"
    assert said[0] == said[1]
    text = said[0]
    assert text.startswith(REFUSED), text
    assert f"Hồ sơ {codes[0]}: đơn vị {FIRST}." in text and KEEP in text, text
    assert text.endswith(NOT_WRITTEN) and "an_son.zip" not in text, text
    assert _state(db) == before
    for dry in (["--dry-run"], []):  # the command line: exit 2, the same words
        assert main.main(["--db", str(db_path), "exchange", "import", *dry, str(good),
                          str(bad)]) == 2
        assert text in capsys.readouterr().err.replace("\n", " ")
    assert merged == [] and _state(db) == before


def test_without_the_room_for_every_part_the_refusal_comes_after_the_merge_in_the_same_words(
        tmp_path, db, monkeypatch, merged):
    """The temporary folder cannot hold every part at once (units_first declines): each
    package's units in its turn, the refusal after the merge, its words the same."""
    _centre(db)
    good, bad, _codes = _two_packages(tmp_path)
    with pytest.raises(InputError) as early:
        import_packages(db, [good, bad], dry_run=True)
    monkeypatch.setattr(_UnitsFirst, "units_first", lambda self, conn: False)
    with pytest.raises(InputError) as late:
        import_packages(db, [good, bad], dry_run=True)
    assert merged == ["an_son.zip", "hoa_binh.zip"]
    assert str(late.value) == str(early.value)


# ---- a chosen version naming a parent a later package brings --------------------------------
def _version_of_u1(tmp_path, parent: str, later: int) -> object:
    """A format-2 package whose U1 (held by the centre) names `parent` as its parent."""
    sender = office(tmp_path / "a.db", (1, 2))
    package = tmp_path / "a.zip"
    export_package(sender, package, SINCE)
    sender.close()
    rewrite_units(package, lambda rows: [{**r, "parent_code": parent} if r["code"] == "U1"
                                         else r for r in rows])
    if later:
        made_later(package, later)
    return package


def _bringing_z2(tmp_path, later: int) -> object:
    """A format-2 package bringing the new unit Z2 (Huyện Hai)."""
    sender = office(tmp_path / "b.db", (2, 2))
    package = tmp_path / "b.zip"
    export_package(sender, package, SINCE)
    sender.close()
    rewrite_units(package, lambda rows: [*rows, {**rows[0], "code": "Z2", "name": "Huyện Hai",
                                                 "parent_code": None, "successor_code": None}])
    if later:
        made_later(package, later)
    return package


CHOSEN = {"units:U1": "theirs"}


@pytest.mark.parametrize("in_turn", [False, True], ids=["units first", "units in turn"])
@pytest.mark.parametrize("version_first", [True, False])
def test_a_chosen_version_under_a_parent_a_later_package_brings_passes_in_either_order(
        tmp_path, monkeypatch, version_first, in_turn):
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    if in_turn:  # (no room for every part: the links still checked once all are in)
        monkeypatch.setattr(_UnitsFirst, "units_first", lambda self, conn: False)
    version = _version_of_u1(tmp_path, "Z2", later=0 if version_first else 5)
    parent = _bringing_z2(tmp_path, later=5 if version_first else 0)
    assert (in_merge_order([parent, version])[0] == version) is version_first
    centre = office(tmp_path / "centre.db")
    try:
        preview = import_packages(centre, [parent, version], dry_run=True,
                                  catalogue_choices=CHOSEN)
        assert not preview.written
        batch = import_packages(centre, [parent, version], catalogue_choices=CHOSEN)
        assert batch.written
        if in_turn and version_first:  # (b's own U1, as the centre held it, differs from the
            return                     # version taken in a's turn: chosen too, it stands)
        assert centre.execute("SELECT code, parent_code FROM units WHERE code IN ('U1', 'Z2') "
                              "ORDER BY code").fetchall() == [("U1", "Z2"), ("Z2", None)]
    finally:
        centre.close()


@pytest.mark.parametrize("version_first", [True, False])
def test_a_chosen_version_under_a_parent_no_package_brings_is_refused_in_either_order(
        tmp_path, monkeypatch, version_first):
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    version = _version_of_u1(tmp_path, "KHONG.CO", later=0 if version_first else 5)
    other = _bringing_z2(tmp_path, later=5 if version_first else 0)
    centre = office(tmp_path / "centre.db")
    try:
        before = list(centre.conn.iterdump())
        said = []
        for dry_run in (True, False):
            with pytest.raises(InputError) as refused:
                import_packages(centre, [other, version], dry_run=dry_run,
                                catalogue_choices=CHOSEN)
            said.append(str(refused.value))
        assert list(centre.conn.iterdump()) == before
    finally:
        centre.close()
    assert said[0] == said[1]
    assert said[0] == ("Gói a.zip không dùng được: danh mục, Đơn vị U1 (Xã An Sơn): không lấy "
                       "được bản của gói: Cấp trên 'KHONG.CO' không có trong danh mục. "
                       + NOT_WRITTEN), said[0]
