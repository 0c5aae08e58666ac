"""A package from a commune's PC that still receives under a unit the 2025 reform ended.

The centre's catalogue says Xã Hòa Bình (U2) ceased on 30/06/2025, merged into Xã An Sơn (U1);
the commune's old PC, never told, goes on receiving under U2 in October 2025. The desk and
`import dossiers` refuse such a dossier (core.moment.unit_absent_reason). Until round 30 the
package was taken with a warning: the dossiers counted in the old unit's row and the centre's
export no longer imported into a fresh database (spec 7). Now the whole package is refused,
preview and import alike, nothing written, with the codes, the day and the unit's dates and
the dates that would keep them; set those in the Danh mục and the package is taken."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import catalogue
from core import dossiers as D
from core.errors import InputError
from core.exchange import checks, export_package
from core.exchange.merge import import_packages
from core.exchange.merge.units_first import _UnitsFirst
from core.indicators import compute
from core.maintenance import check
from db.connection import transaction
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.factories import add_procedures, add_units
from tests.core.test_unit_span import assert_round_trip

REFUSED = ("Gói hoa_binh.zip không dùng được: 4 hồ sơ mới của gói được tiếp nhận tại, hoặc "
           "giao giải quyết cho, một đơn vị vào ngày đơn vị ấy không hoạt động theo danh mục "
           "của máy này")
FIRST = ("Xã Hòa Bình không hoạt động vào ngày 20/10/2025 (đã giải thể, sáp nhập hoặc chưa "
         "thành lập)")
UNIT = ("Xã Hòa Bình (U2; hoạt động đến hết 30/06/2025; đơn vị kế thừa: Xã An Sơn (U1)): 4 hồ "
        "sơ được tiếp nhận hoặc giao giải quyết vào ngày đơn vị không hoạt động — ")
KEEP = "«Hoạt động đến hết ngày» từ 20/10/2025 trở đi (hoặc để trống)"


def _reform(db) -> None:
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_to = '2025-06-30', successor_code = 'U1' "
                     "WHERE code = 'U2'")


def _old_pc_package(tmp_path) -> tuple:
    """The package of Hòa Bình's old PC (its catalogue: U2 still alive): four dossiers of
    20/10/2025 under U2 and one of 30/06/2025, U2's last day."""
    old_pc = office(tmp_path / "hoa_binh.db", (2, 2))
    codes = [receive(old_pc, f"Người {i}", minutes=i, unit="U2")[1] for i in range(4)]
    june = D.create_dossier(old_pc, unit_code="U2", procedure_code="P.WD2",
                            applicant_name="Người tháng sáu",
                            received_at=dt.datetime(2025, 6, 30, 16))[1]
    package = tmp_path / "hoa_binh.zip"
    export_package(old_pc, package, dt.date(2025, 6, 1))
    old_pc.close()
    return package, codes, june


def _centre(db) -> list:
    add_units(db)  # the centre's catalogue: U1 and U2, U2 then ended
    add_procedures(db)
    _reform(db)
    return _state(db)


def _state(db) -> list:
    return [line for line in db.conn.iterdump() if line.startswith("INSERT")]


def test_a_package_received_under_a_merged_unit_is_refused_whole(tmp_path, db, db_path,
                                                                 capsys):
    before = _centre(db)
    package, codes, june = _old_pc_package(tmp_path)
    with pytest.raises(InputError) as previewed:
        import_packages(db, [package], dry_run=True)
    said = str(previewed.value)
    assert said.startswith(REFUSED), said
    assert f"Hồ sơ {codes[0]}: đơn vị {FIRST}." in said
    assert UNIT + f"{codes[0]} (tiếp nhận ngày 20/10/2025), {codes[1]} (tiếp nhận ngày " \
        f"20/10/2025), {codes[2]} (tiếp nhận ngày 20/10/2025) và 1 hồ sơ khác" in said
    assert KEEP in said and june not in said
    assert said.endswith("Chưa ghi gì vào cơ sở dữ liệu.")
    with pytest.raises(InputError) as imported:  # the import says what the preview said
        import_packages(db, [package])
    assert str(imported.value) == said
    assert _state(db) == before  # nothing written
    for dry in (["--dry-run"], []):  # the command line: exit 2, the same words
        assert main.main(["--db", str(db_path), "exchange", "import", *dry, str(package)]) == 2
        assert said in capsys.readouterr().err.replace("\n", " ")
    assert _state(db) == before
    assert_round_trip(db, tmp_path)  # the centre's export still imports into a fresh database

    # the dates the refusal gives, set in the Danh mục: the package is taken
    catalogue.save_unit(db, "U2", "Xã Hòa Bình", "commune", None, valid_to=dt.date(2025, 10, 20),
                        successor_code="U1")
    merged = import_packages(db, [package]).results[0]
    assert merged.written and merged.dossiers["new"] == 5
    doc = compute(db, dt.date(2025, 10, 1), dt.date(2025, 10, 31),
                  as_of=dt.datetime(2025, 10, 20, 16))
    assert {u["code"]: u["received"]["total"] for u in doc["units"]} == {"U1": 0, "U2": 5}
    assert check.dossiers_in_unit_life(db).ok
    (tmp_path / "after").mkdir()
    assert_round_trip(db, tmp_path / "after")
    ok(db)


def test_without_the_refusal_the_centres_export_no_longer_imports(tmp_path, db, monkeypatch):
    """Why it is refused: taken as before round 30 (the refusal switched off here), the
    centre's export fails spec 7's round trip, and `check` now names what it holds."""
    _centre(db)
    package, codes, _ = _old_pc_package(tmp_path)
    monkeypatch.setattr(checks, "absent_refusal", lambda *args: None)
    monkeypatch.setattr(_UnitsFirst, "_dates_early", lambda *args: None)  # (before the merge)
    assert import_packages(db, [package]).results[0].written
    with pytest.raises(AssertionError, match="không hoạt động vào ngày 20/10/2025"):
        assert_round_trip(db, tmp_path)
    found = check.dossiers_in_unit_life(db)
    assert not found.ok and found.repair
    assert found.text.startswith("4 hồ sơ được tiếp nhận tại, hoặc giao giải quyết cho")
    assert UNIT + f"{codes[0]} (tiếp nhận ngày 20/10/2025)" in found.text and KEEP in found.text


def test_a_dossier_given_to_a_merged_unit_is_refused(tmp_path, db):
    """Received at a unit in existence, given to (competent) one that is not: the same."""
    before = _centre(db)
    pc = office(tmp_path / "an_son.db", (2, 2))
    code = receive(pc, "Người nộp", unit="U1", competent_unit_code="U2")[1]
    package = tmp_path / "an_son.zip"
    export_package(pc, package, SINCE)
    pc.close()
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_packages(db, [package], dry_run=dry_run)
        assert f"Hồ sơ {code}: đơn vị giải quyết {FIRST}." in str(refused.value)
        assert f"{code} (giao giải quyết ngày 20/10/2025)" in str(refused.value)
    assert _state(db) == before


def test_dossiers_of_a_unit_in_existence_are_taken(tmp_path, db):
    add_units(db)
    add_procedures(db)
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_from = '2025-07-01' WHERE code = 'U1'")
    pc = office(tmp_path / "pc.db", (2, 2))
    receive(pc, "Người nộp", unit="U1")
    package = tmp_path / "pc.zip"
    export_package(pc, package, SINCE)
    pc.close()
    assert import_packages(db, [package], dry_run=True).results[0].dossiers["new"] == 1
    assert import_packages(db, [package]).results[0].written
    assert check.dossiers_in_unit_life(db).ok


def test_a_packages_unit_dates_that_leave_out_held_dossiers_are_refused(tmp_path, db):
    """The package's catalogue ends U2 on 30/06/2025, the centre holds a dossier of U2 of
    20/10/2025: taking the package's version (catalogue "theirs") is refused in
    core.moment.unit_span_refusal's words, preview and import alike; kept ours, it merges."""
    add_units(db)
    add_procedures(db)
    held = receive(db, "Người ở trung tâm", unit="U2")[1]
    pc = office(tmp_path / "an_son.db", (2, 2))
    _reform(pc)
    receive(pc, "Người nộp", unit="U1")
    package = tmp_path / "an_son.zip"
    export_package(pc, package, SINCE)
    pc.close()
    before = _state(db)
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_packages(db, [package], dry_run=dry_run,
                            catalogue_choices={"units:U2": "theirs"})
        assert ("Không thể đặt ngày hoạt động đến hết 30/06/2025 cho Xã Hòa Bình: còn 1 hồ sơ "
                "của đơn vị (nơi tiếp nhận hoặc giải quyết) được tiếp nhận sau ngày đó (muộn "
                "nhất 20/10/2025)") in str(refused.value)
        assert str(refused.value).startswith("Gói an_son.zip không dùng được: danh mục, Đơn vị "
                                             "U2 (Xã Hòa Bình)")
    assert _state(db) == before
    kept = import_packages(db, [package]).results[0]  # the catalogue stays ours
    assert kept.written and kept.dossiers["new"] == 1
    assert [d.item for d in kept.catalogue_diffs] == ["units:U2"]
    assert db.execute("SELECT valid_to FROM units WHERE code = 'U2'").fetchone()[0] is None
    assert check.dossiers_in_unit_life(db).ok and held
    assert_round_trip(db, tmp_path)


def test_several_packages_the_refusal_names_each(tmp_path, db):
    """A month-end of two packages both bringing such dossiers: the refusal names the package
    of the earliest with its own dossiers, and counts the other's; nothing written."""
    before = _centre(db)
    package, _codes, _ = _old_pc_package(tmp_path)
    other = office(tmp_path / "thu_hai.db", (1, 2))
    early = [receive(other, f"Người sớm {i}", minutes=-60 + i, unit="U2")[1] for i in range(2)]
    second = tmp_path / "thu_hai.zip"
    export_package(other, second, SINCE)
    other.close()
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_packages(db, [package, second], dry_run=dry_run)
        said = str(refused.value)
        assert said.startswith("Gói thu_hai.zip không dùng được: 2 hồ sơ mới của gói"), said
        assert f"Hồ sơ {early[0]}: đơn vị {FIRST}." in said
        assert said.endswith("Gói khác của lần nhập này cũng có hồ sơ như thế: hoa_binh.zip "
                             "(4 hồ sơ). Chưa ghi gì vào cơ sở dữ liệu.")
    assert _state(db) == before


def test_a_unit_new_here_the_advice_goes_to_the_sender(tmp_path, db, db_path, capsys):
    """The package brings its unit (U9, new to the centre) with dates that leave out its own
    dossiers (its PC's database from before the rule): the centre's catalogue has nothing to
    fix, so the refusal tells it to have the sender fix the unit and export again — the
    preview, the dry run and the import alike."""
    before = _centre(db)
    pc = office(tmp_path / "tan_lap.db", (2, 2))
    add_units(pc, (("U9", "Xã Tân Lập", None),))
    code = receive(pc, "Người nộp", unit="U9")[1]
    with transaction(pc) as conn:  # (as an old database holds it: the desk refuses it now)
        conn.execute("UPDATE units SET valid_to = '2025-06-30' WHERE code = 'U9'")
    package = tmp_path / "tan_lap.zip"
    export_package(pc, package, SINCE)
    pc.close()
    said = []
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_packages(db, [package], dry_run=dry_run)
        said.append(str(refused.value))
    assert said[0] == said[1]
    assert f"Hồ sơ {code}: đơn vị Xã Tân Lập không hoạt động" in said[0]
    assert ("Đơn vị U9 mới vào danh mục của máy này cùng lần nhập này, với ngày hoạt động của "
            "máy gửi: danh mục của máy này chưa có gì để sửa. Đừng nhập gói này: hãy báo nơi "
            "gửi sửa ngày hoạt động của đơn vị U9 trong Danh mục của máy ấy (hoặc ngày tiếp "
            "nhận và đơn vị của các hồ sơ ấy) rồi xuất gói mới.") in said[0], said[0]
    assert "sửa ngày hoạt động của đơn vị trong Danh mục như trên" not in said[0]
    assert main.main(["--db", str(db_path), "exchange", "import", str(package)]) == 2
    assert said[0] in capsys.readouterr().err.replace("\n", " ")
    assert _state(db) == before


def test_the_advice_names_which_units_are_new_here():
    """One unit new with the package, one held here already: the usual advice (fix the Danh
    mục here), then the new unit's, for the sender; none new: the usual advice alone."""
    from core.exchange.held_absent import advice_for
    from core.unit_absent import Absent

    def row(unit: str) -> Absent:
        return Absent("X-1", "2025-10-20 08:00:00", unit, unit, None, "2025-06-30", None,
                      "unit_code", "…", 1)
    usual = ". Nếu đơn vị ấy thực sự còn tiếp nhận …"
    assert advice_for([row("U2")], usual, {"U9"}) == usual
    mixed = advice_for([row("U2"), row("U9")], usual, {"U9"})
    assert mixed.startswith(usual + " Riêng đơn vị U9 mới vào danh mục của máy này cùng lần "
                                    "nhập này, với ngày hoạt động của máy gửi: hãy báo nơi gửi "
                                    "sửa ngày hoạt động của đơn vị U9 trong Danh mục của máy ấy")
    assert advice_for([row("U9")], usual, {"U9"}).startswith(". Đơn vị U9 mới vào danh mục")
