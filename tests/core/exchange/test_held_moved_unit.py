"""A package moving a dossier the centre already holds out of its unit's dates (issue 16 §3,
round 31). The desk's correction and `import dossiers` refuse such a move; the exchange took
the newer version's reception day and units unchecked (core.exchange.store._take_fields) and
`check` then named the dossier. Now the whole package is refused, preview, dry run and
import alike, nothing written (core.exchange.held_absent.moved_refusal): changed, "theirs" on
a conflict or a clash; a dossier already outside keeps its day and units, as at the desk."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import catalogue
from core import dossiers as D
from core.errors import InputError
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.maintenance import check
from core.transfer import import_file
from db.connection import transaction
from tests.core.exchange.conftest import DAY, office
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.factories import add_procedures, add_units
from tests.core.transfer.conftest import write_csv

HEAD = ("1 hồ sơ máy này đang giữ bị gói đổi ngày tiếp nhận, đơn vị tiếp nhận hoặc đơn vị giải "
        "quyết sang một đơn vị, vào ngày đơn vị ấy không hoạt động theo danh mục của máy này — "
        "sửa thông tin hồ sơ ở quầy và lệnh nhập hồ sơ (import dossiers) cũng không chuyển hồ "
        "sơ đã có như thế")
ABSENT = "Xã Hòa Bình không hoạt động vào ngày {} (đã giải thể, sáp nhập hoặc chưa thành lập)"
ADVICE = ("Nếu đơn vị ấy thực sự còn tiếp nhận, giải quyết hồ sơ những ngày đó, sửa ngày hoạt "
          "động của đơn vị trong Danh mục như trên rồi nhập lại gói; nếu không, đừng nhập gói "
          "này: hãy báo nơi gửi xem lại ngày tiếp nhận và đơn vị của các hồ sơ ấy và đặt ngày "
          "hoạt động của đơn vị trong Danh mục của máy ấy, rồi gửi gói mới.")


def _centre(db, valid_to: str | None) -> None:
    add_units(db)
    add_procedures(db)
    _end_u2(db, valid_to)


def _end_u2(db, valid_to: str | None) -> None:
    with transaction(db) as conn:  # (by SQL: as a database from before round 29 could hold)
        conn.execute("UPDATE units SET valid_to = ? WHERE code = 'U2'", [valid_to])


def _state(db) -> list:
    return [line for line in db.conn.iterdump() if line.startswith("INSERT")]


def _sent(pc, path):
    export_package(pc, path, SINCE)
    return path


def _refused(db, package, **options) -> str:
    """The words of the preview and of the import (the same), nothing written."""
    before = _state(db)
    said = []
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_packages(db, [package], dry_run=dry_run, **options)
        said.append(str(refused.value))
    assert said[0] == said[1] and said[0].endswith("Chưa ghi gì vào cơ sở dữ liệu.")
    assert _state(db) == before
    return said[0]


def test_a_changed_dossier_moved_out_of_its_units_dates_refuses_the_package(
        tmp_path, db, db_path, capsys):
    _centre(db, "2025-10-19")  # Xã Hòa Bình (U2) ended on 19/10/2025 here
    pc = office(tmp_path / "xa.db", (2, 2))  # its catalogue: U2 still alive
    dossier_id, code = D.create_dossier(pc, unit_code="U2", procedure_code="P.WD2",
                                        applicant_name="Người nộp",
                                        received_at=dt.datetime(2025, 10, 15, 9))
    assert import_packages(db, [_sent(pc, tmp_path / "xa_1.zip")]).results[0].written
    D.correct_field(pc, dossier_id, "received_at", dt.datetime(2025, 10, 20, 9),
                    reason="Ghi nhầm ngày")
    package = _sent(pc, tmp_path / "xa.zip")
    pc.close()
    said = _refused(db, package)
    assert said == (
        f"Gói xa.zip không dùng được: {HEAD}; nhận vào, hồ sơ được tính ở dòng của một đơn vị "
        "không hoạt động vào ngày tiếp nhận và dữ liệu xuất ra không nhập lại được. Hồ sơ "
        f"{code} theo gói: đơn vị {ABSENT.format('20/10/2025')}. Xã Hòa Bình (U2; hoạt động "
        "đến hết 19/10/2025): 1 hồ sơ được tiếp nhận hoặc giao giải quyết vào ngày đơn vị "
        f"không hoạt động — {code} (tiếp nhận ngày 20/10/2025); ngày hoạt động giữ được chúng: "
        f"«Hoạt động đến hết ngày» từ 20/10/2025 trở đi (hoặc để trống). {ADVICE} Chưa ghi gì "
        "vào cơ sở dữ liệu.")
    for dry in (["--dry-run"], []):  # the command line: exit 2, the same words
        assert main.main(["--db", str(db_path), "exchange", "import", *dry, str(package)]) == 2
        assert said in capsys.readouterr().err.replace("\n", " ")
    assert check.dossiers_in_unit_life(db).ok
    # the dates the refusal gives, set in the Danh mục: the package is taken
    catalogue.save_unit(db, "U2", "Xã Hòa Bình", "commune", None, valid_to=dt.date(2025, 10, 20))
    assert import_packages(db, [package]).results[0].dossiers["changed"] == 1
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-10-20 09:00:00"
    assert check.dossiers_in_unit_life(db).ok
    ok(db)


def test_a_new_competent_unit_on_the_same_day_replaced_or_kept_both_is_refused(tmp_path, db):
    """The reception day kept, the competent unit changed (the PC's `import dossiers`, its
    catalogue undated): another dossier under the code for the exchange (a clash). "Theirs"
    replaces the centre's with one given to a unit ended before that day: refused, the role
    named; kept both, it is a new dossier: refused as one (checks.absent_refusal); the
    centre's own kept: taken."""
    _centre(db, "2025-10-10")
    pc = office(tmp_path / "an_son.db", (2, 2))
    _id, code = D.create_dossier(pc, unit_code="U1", procedure_code="P.WD2",
                                 applicant_name="Người nộp", received_at=dt.datetime(2025, 10, 15, 9))
    assert import_packages(db, [_sent(pc, tmp_path / "an_son_1.zip")]).results[0].written
    header = ["code", "unit_code", "competent_unit_code", "procedure_code", "applicant_name",
              "channel", "received_at", "status"]
    row = [code, "U1", "U2", "P.WD2", "Người nộp", "direct", "2025-10-15 09:00", "received"]
    assert import_file(pc, "dossiers", write_csv(tmp_path / "doi.csv", header, [row])).ok
    package = _sent(pc, tmp_path / "an_son.zip")
    pc.close()
    said = _refused(db, package, conflicts="theirs")
    assert said.startswith(f"Gói an_son.zip không dùng được: {HEAD}")
    assert f"Hồ sơ {code} theo gói: đơn vị giải quyết {ABSENT.format('15/10/2025')}." in said
    assert f"{code} (giao giải quyết ngày 15/10/2025)" in said
    both = _refused(db, package, clashes="both")
    assert "1 hồ sơ mới của gói được tiếp nhận tại, hoặc giao giải quyết cho" in both
    assert f"đơn vị giải quyết {ABSENT.format('15/10/2025')}" in both
    assert import_packages(db, [package], conflicts="keep").results[0].written
    assert db.execute("SELECT competent_unit_code FROM dossiers").fetchone()[0] is None
    assert check.dossiers_in_unit_life(db).ok


def test_a_dossier_held_outside_keeps_its_day_and_units_as_at_the_desk(tmp_path, db):
    """Held outside U2's dates (taken before they were set, as `check` names it): the PC's
    newer version on the same day and at the same units is taken, as the desk corrects its
    hour and `import dossiers` takes its row back; another day outside is refused."""
    _centre(db, None)
    pc = office(tmp_path / "xa.db", (2, 2))
    dossier_id, code = D.create_dossier(pc, unit_code="U2", procedure_code="P.WD2",
                                        applicant_name="Người nộp",
                                        received_at=dt.datetime(2025, 10, 19, 9))
    assert import_packages(db, [_sent(pc, tmp_path / "xa_1.zip")]).results[0].written
    _end_u2(db, "2025-10-18")  # now outside, held so
    assert not check.dossiers_in_unit_life(db).ok
    D.correct_field(pc, dossier_id, "received_at", dt.datetime(2025, 10, 19, 10),
                    reason="Ghi nhầm giờ")
    D.correct_field(pc, dossier_id, "applicant_phone", "0912345678", reason="Thêm số")
    hour = _sent(pc, tmp_path / "xa_gio.zip")
    assert import_packages(db, [hour], dry_run=True).results[0].dossiers["changed"] == 1
    assert import_packages(db, [hour]).results[0].dossiers["changed"] == 1
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-10-19 10:00:00"
    D.correct_field(pc, dossier_id, "received_at", DAY, reason="Ghi nhầm ngày")  # 20/10: out
    moved = _sent(pc, tmp_path / "xa_ngay.zip")
    pc.close()
    assert f"Hồ sơ {code} theo gói: đơn vị {ABSENT.format('20/10/2025')}." in _refused(db, moved)
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-10-19 10:00:00"


def test_theirs_on_a_conflict_is_refused_and_ours_is_taken(tmp_path, db):
    """"Theirs" takes the package's version of a dossier changed on both sides over the
    centre's: refused when that version is outside its unit's dates, for every choice (the
    default, the dossier's own), taken when the centre keeps its own."""
    _centre(db, "2025-10-19")
    pc = office(tmp_path / "xa.db", (2, 2))
    dossier_id, code = D.create_dossier(pc, unit_code="U2", procedure_code="P.WD2",
                                        applicant_name="Người nộp",
                                        received_at=dt.datetime(2025, 10, 15, 9))
    assert import_packages(db, [_sent(pc, tmp_path / "xa_1.zip")]).results[0].written
    D.correct_field(db, D.find_by_code(db, code), "applicant_phone", "0912345678",
                    reason="Thêm số")  # here …
    D.correct_field(pc, dossier_id, "received_at", DAY, reason="Ghi nhầm ngày")  # … and there
    package = _sent(pc, tmp_path / "xa.zip")
    pc.close()
    assert f"Hồ sơ {code} theo gói: đơn vị {ABSENT.format('20/10/2025')}." in \
        _refused(db, package, conflicts="theirs")
    assert _refused(db, package, choices={code: "theirs"}) == _refused(db, package,
                                                                       conflicts="theirs")
    assert import_packages(db, [package], conflicts="keep").results[0].written
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-10-15 09:00:00"

    assert check.dossiers_in_unit_life(db).ok


def test_several_packages_name_the_first_and_count_the_others(tmp_path, db):
    _centre(db, "2025-10-19")
    packages, codes = [], []
    for slot, name in ((1, "a"), (2, "b")):
        pc = office(tmp_path / f"{name}.db", (slot, 2))
        dossier_id, code = D.create_dossier(pc, unit_code="U2", procedure_code="P.WD2",
                                            applicant_name="Người nộp",
                                            received_at=dt.datetime(2025, 10, 15, 9))
        assert import_packages(db, [_sent(pc, tmp_path / f"{name}_1.zip")]).results[0].written
        D.correct_field(pc, dossier_id, "received_at", DAY, reason="Ghi nhầm ngày")
        packages.append(_sent(pc, tmp_path / f"{name}.zip"))
        codes.append(code)
        pc.close()
    before = _state(db)
    with pytest.raises(InputError) as refused:
        import_packages(db, packages)
    said = str(refused.value)
    assert said.startswith("Gói a.zip không dùng được: 1 hồ sơ máy này đang giữ")
    assert f"Hồ sơ {codes[0]} theo gói" in said and codes[1] not in said
    assert "Gói khác của lần nhập này cũng có hồ sơ như thế: b.zip (1 hồ sơ)." in said
    assert _state(db) == before


def test_the_dry_run_marks_the_conflicts_version_that_would_be_refused(tmp_path, db, db_path,
                                                                      capsys):
    """The dry run lists the conflict to choose for, saying before the choice that the
    package's version (moved to 20/10, U2 ended on 19/10 here) would be refused if taken; a
    conflict whose package version stays in the unit's dates carries no such note."""
    _centre(db, "2025-10-19")
    pc = office(tmp_path / "xa.db", (2, 2))
    moved, code = D.create_dossier(pc, unit_code="U2", procedure_code="P.WD2",
                                   applicant_name="Người nộp",
                                   received_at=dt.datetime(2025, 10, 15, 9))
    kept, other = D.create_dossier(pc, unit_code="U2", procedure_code="P.WD2",
                                   applicant_name="Người khác",
                                   received_at=dt.datetime(2025, 10, 15, 10))
    assert import_packages(db, [_sent(pc, tmp_path / "xa_1.zip")]).results[0].written
    for changed in (code, other):
        D.correct_field(db, D.find_by_code(db, changed), "applicant_phone", "0912345678",
                        reason="Thêm số")  # here …
    D.correct_field(pc, moved, "received_at", DAY, reason="Ghi nhầm ngày")  # … and there
    D.correct_field(pc, kept, "received_at", dt.datetime(2025, 10, 16, 9), reason="Ghi nhầm")
    package = _sent(pc, tmp_path / "xa.zip")
    pc.close()
    db.close()
    assert main.main(["--db", str(db_path), "exchange", "import", "--dry-run",
                      str(package)]) == 0
    lines = capsys.readouterr().err.splitlines()
    [refused] = [line for line in lines if line.startswith(f"  {code}:")]
    assert refused.endswith(
        f" — LƯU Ý: bản này đưa hồ sơ ra ngoài thời gian hoạt động của đơn vị (đơn vị "
        f"{ABSENT.format('20/10/2025')}): chọn bản này thì gói bị từ chối")
    [taken] = [line for line in lines if line.startswith(f"  {other}:")]
    assert "LƯU Ý" not in taken
