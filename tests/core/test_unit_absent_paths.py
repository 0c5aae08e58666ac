"""A dossier at a unit not in existence on its reception day: one rule
(core.moment.unit_absent_reason), the same verdict on every path (round 30) — the desk,
`import dossiers` (MotCua's columns and the national profile of the provincial system's
files), `exchange import` (preview and import refuse the package whole) and `check` (which
names such dossiers a database already holds); and a dossier already held moved to such a day
by the desk's correction, a re-imported row or a package's newer version (round 31). Its set
form (core.moment.ABSENT_SQL, one query of index look-ups) finds exactly what the rule says,
to the second at both edges."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import dossiers as D
from core import timefmt
from core.database import open_database
from core.errors import FieldError, InputError
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.maintenance import check
from core.moment import ABSENT_SQL, unit_absent_reason
from core.transfer import import_file
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from core.unit_absent import units_absent
from db.connection import transaction
from tests.core.factories import add_procedures, add_units
from tests.core.transfer.conftest import write_csv

START, END = "2025-07-01", "2025-10-19"  # Xã Hòa Bình (U2) in existence, both days included
NOW = dt.datetime(2025, 10, 22, 12, 0)
D_ = dt.date
CASES = [("unit_code", D_(2025, 6, 30), True), ("unit_code", D_(2025, 7, 1), False),
         ("unit_code", D_(2025, 10, 19), False), ("unit_code", D_(2025, 10, 20), True),
         ("competent_unit_code", D_(2025, 6, 30), True),
         ("competent_unit_code", D_(2025, 10, 19), False),
         ("competent_unit_code", D_(2025, 10, 20), True)]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


def installation(path, dated: bool = True):
    db = open_database(path)
    add_units(db)
    add_procedures(db)
    if dated:
        _date_u2(db)
    return db


def _date_u2(db) -> None:
    with transaction(db) as conn:  # (by SQL: as a database from before round 29 could)
        conn.execute("UPDATE units SET valid_from = ?, valid_to = ? WHERE code = 'U2'",
                     [START, END])


def units_of(role: str) -> dict:
    """Received at U2, or received at U1 and given to U2."""
    return {"unit_code": "U2"} if role == "unit_code" else \
        {"unit_code": "U1", "competent_unit_code": "U2"}


def desk_refuses(tmp_path, role, day) -> bool:
    db = installation(tmp_path / "quay.db")
    try:
        D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                         received_at=dt.datetime.combine(day, dt.time(9)), **units_of(role))
        return False
    except FieldError as exc:
        assert "Xã Hòa Bình không hoạt động vào ngày" in str(exc)
        return True
    finally:
        db.close()


def file_refuses(tmp_path, role, day) -> bool:
    db = installation(tmp_path / "tep.db")
    units = units_of(role)
    header = ["code", "unit_code", "competent_unit_code", "procedure_code", "applicant_name",
              "channel", "received_at", "status"]
    row = ["U2-TEP-0001", units["unit_code"], units.get("competent_unit_code", ""), "P.WD2",
           "Người nộp", "direct", f"{day} 09:00", "received"]
    try:
        result = import_file(db, "dossiers", write_csv(tmp_path / "hs.csv", header, [row]))
        assert result.ok == (not result.errors)
        if result.errors:
            assert [e.column for e in result.errors] == [role]
            assert "Xã Hòa Bình không hoạt động vào ngày" in result.errors[0].reason
        return not result.ok
    finally:
        db.close()


def province_refuses(tmp_path, role, day) -> bool:
    """The provincial system's file, read through the national profile (issue 16 §1)."""
    db = installation(tmp_path / "tinh.db")
    units = units_of(role)
    header = ["MaHoSo", "MaTTHC", "KenhThucHien", "ChuHoSo", "NgayTiepNhan", "TrangThaiHoSo",
              "MaDonViTiepNhan", "MaDonViGiaiQuyet"]
    row = ["U2-TINH-0001", "P.WD2", "1", "Người nộp", f"{day:%Y%m%d}090000", "4",
           units["unit_code"], units.get("competent_unit_code", "")]
    try:
        result = import_mapped(db, write_csv(tmp_path / "tinh.csv", header, [row]),
                               NATIONAL_PROFILE)
        if result.errors:
            assert "Xã Hòa Bình không hoạt động vào ngày" in result.errors[0].reason
        return not result.ok
    finally:
        db.close()


def exchange_refuses(tmp_path, role, day) -> tuple[bool, bool]:
    """(the preview refuses, the import refuses) a package of a PC whose catalogue has no
    dates (it received the dossier at its desk)."""
    pc = installation(tmp_path / "xa.db", dated=False)
    D.create_dossier(pc, procedure_code="P.WD2", applicant_name="Người nộp",
                     received_at=dt.datetime.combine(day, dt.time(9)), **units_of(role))
    package = tmp_path / "xa.zip"
    export_package(pc, package, D_(2025, 6, 1))
    pc.close()
    centre = installation(tmp_path / "trungtam.db")
    verdicts = []
    try:
        for dry_run in (True, False):
            try:
                import_packages(centre, [package], dry_run=dry_run)
                verdicts.append(False)
            except InputError as exc:
                assert "Chưa ghi gì vào cơ sở dữ liệu." in str(exc)
                assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
                verdicts.append(True)
        return verdicts[0], verdicts[1]
    finally:
        centre.close()


def exchange_moves(tmp_path, role, day) -> tuple[bool, bool]:
    """(the preview refuses, the import refuses) a package moving a dossier the centre holds
    (received 01/08/2025, U2 in existence) to `day`: the PC, whose catalogue has no dates,
    corrected its reception day (round 31; until then taken, and `check` named it)."""
    pc = installation(tmp_path / "xa_doi.db", dated=False)
    dossier_id, _code = D.create_dossier(pc, procedure_code="P.WD2", applicant_name="Người nộp",
                                         received_at=dt.datetime(2025, 8, 1, 9), **units_of(role))
    first, second = tmp_path / "xa_dau.zip", tmp_path / "xa_doi.zip"
    export_package(pc, first, D_(2025, 6, 1))
    D.correct_field(pc, dossier_id, "received_at", dt.datetime.combine(day, dt.time(9)),
                    reason="Ghi nhầm ngày")
    export_package(pc, second, D_(2025, 6, 1))
    pc.close()
    centre = installation(tmp_path / "trungtam_doi.db")
    try:
        assert import_packages(centre, [first]).results[0].written  # held: 01/08/2025
        verdicts = []
        for dry_run in (True, False):
            try:
                assert import_packages(centre, [second], dry_run=dry_run).results[0].dossiers[
                    "changed"] == 1
                verdicts.append(False)
            except InputError as exc:
                assert "1 hồ sơ máy này đang giữ bị gói đổi ngày tiếp nhận" in str(exc)
                assert "Xã Hòa Bình không hoạt động vào ngày" in str(exc)
                assert str(exc).endswith("Chưa ghi gì vào cơ sở dữ liệu.")
                assert centre.execute("SELECT received_at FROM dossiers").fetchone()[0] == \
                    "2025-08-01 09:00:00"
                verdicts.append(True)
        assert check.dossiers_in_unit_life(centre).ok  # whatever the verdict
        return verdicts[0], verdicts[1]
    finally:
        centre.close()


def desk_moves(db, role, day) -> bool:
    """The desk's correction of a held dossier's reception day (received 01/08/2025)."""
    dossier_id, _ = D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                                     received_at=dt.datetime(2025, 8, 1, 9), **units_of(role))
    try:
        D.correct_field(db, dossier_id, "received_at", dt.datetime.combine(day, dt.time(9)),
                        reason="Ghi nhầm ngày")
        return False
    except FieldError:
        return True


def file_moves(tmp_path, role, day) -> bool:
    """`import dossiers`: a row of a held dossier (received 01/08/2025) with `day`."""
    db = installation(tmp_path / "lai_doi.db")
    try:
        _id, code = D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                                     received_at=dt.datetime(2025, 8, 1, 9), **units_of(role))
        return not _reimport(tmp_path, db, code, units_of(role), day).ok
    finally:
        db.close()


def check_names(tmp_path, role, day) -> bool:
    """A database that took the dossier before its unit's dates were set (before round 29)."""
    db = installation(tmp_path / "cu.db", dated=False)
    try:
        D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                         received_at=dt.datetime.combine(day, dt.time(9)), **units_of(role))
        _date_u2(db)
        return not check.dossiers_in_unit_life(db).ok
    finally:
        db.close()


@pytest.mark.parametrize(("role", "day", "absent"), CASES)
def test_every_path_gives_the_desks_verdict(tmp_path, role, day, absent):
    assert (unit_absent_reason("Xã Hòa Bình", START, END, day) is not None) == absent
    assert desk_refuses(tmp_path, role, day) == absent
    assert file_refuses(tmp_path, role, day) == absent
    assert province_refuses(tmp_path, role, day) == absent
    assert exchange_refuses(tmp_path, role, day) == (absent, absent)
    assert check_names(tmp_path, role, day) == absent
    # a dossier already held, moved to that day (round 31: the exchange took it unchecked)
    db = installation(tmp_path / "quay_doi.db")
    try:
        assert desk_moves(db, role, day) == absent
    finally:
        db.close()
    assert file_moves(tmp_path, role, day) == absent
    assert exchange_moves(tmp_path, role, day) == (absent, absent)


def test_the_set_form_finds_what_the_rule_says_to_the_second(db):
    """Every second at both edges: 00:00:00 and 23:59:59 of the days around each."""
    add_units(db)
    add_procedures(db)
    days = [D_(2025, 6, 29) + dt.timedelta(days=n) for n in range(4)] + \
        [D_(2025, 10, 17) + dt.timedelta(days=n) for n in range(5)]
    expected = set()
    for day in days:
        for moment in (dt.time(0, 0, 0), dt.time(23, 59, 59)):
            for role in ("unit_code", "competent_unit_code"):
                _id, code = D.create_dossier(
                    db, procedure_code="P.WD2", applicant_name="Người nộp",
                    received_at=dt.datetime.combine(day, moment), **units_of(role))
                if unit_absent_reason("Xã Hòa Bình", START, END, day):
                    expected.add((code, role))
    _date_u2(db)
    found = units_absent(db)
    assert {(r.code, r.column) for r in found} == expected and len(expected) == 4 * 2 * 2  # 4 days out
    raw = db.execute(ABSENT_SQL, [0, 2 ** 63 - 1] * 4).fetchall()  # the SQL alone: no more
    assert {(r[1], r[8]) for r in raw} == expected
    first = max(r.id for r in found)
    assert [r.id for r in units_absent(db, first)] == [first]  # `first_id`: from that id on


def test_check_names_them_and_the_dates_to_set(tmp_path, capsys):
    path = tmp_path / "cu.db"
    db = installation(path, dated=False)
    codes = [D.create_dossier(db, unit_code="U2", procedure_code="P.WD2",
                              applicant_name=f"Người {n}",
                              received_at=dt.datetime(2025, 10, 20, 8 + n))[1] for n in range(5)]
    early = D.create_dossier(db, unit_code="U2", procedure_code="P.WD2",
                             applicant_name="Người sớm",
                             received_at=dt.datetime(2025, 6, 2, 8))[1]
    _date_u2(db)
    db.close()
    assert main.main(["--db", str(path), "check"]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "không hoạt động" in line)
    assert line.startswith("[LỖI] 6 hồ sơ được tiếp nhận tại, hoặc giao giải quyết cho, đơn vị")
    assert (f"Xã Hòa Bình (U2; hoạt động từ 01/07/2025; hoạt động đến hết 19/10/2025): 6 hồ sơ "
            f"được tiếp nhận hoặc giao giải quyết vào ngày đơn vị không hoạt động — {early} "
            f"(tiếp nhận ngày 02/06/2025), {codes[0]} (tiếp nhận ngày 20/10/2025), {codes[1]} "
            "(tiếp nhận ngày 20/10/2025) và 3 hồ sơ khác; ngày hoạt động giữ được chúng: "
            "«Hoạt động đến hết ngày» từ 20/10/2025 trở đi (hoặc để trống) và «Hoạt động từ "
            "ngày» không muộn hơn 02/06/2025 (hoặc để trống)") in line
    assert "không cần khôi phục bản sao lưu" in out  # the action puts it right
    db = open_database(path)
    with transaction(db) as conn:  # the dates it gives
        conn.execute("UPDATE units SET valid_from = '2025-06-02', valid_to = NULL "
                     "WHERE code = 'U2'")
    db.close()
    assert main.main(["--db", str(path), "check"]) == 0
    assert "[ĐẠT] Mọi hồ sơ được tiếp nhận và giao giải quyết ở đơn vị đang hoạt động" in \
        capsys.readouterr().out


def test_a_dossier_received_at_and_given_to_one_absent_unit_is_named_once():
    """Received at U2 and given to U2 (both columns found): one dossier, named once, and the
    ones left unnamed counted right (it said two codes of four 'và 1 hồ sơ khác')."""
    from core.unit_absent import Absent, unit_sentence

    def found(code, day, column):
        return Absent(code, f"2025-10-{day} 08:00:00", "U2", "Xã Hòa Bình", START, END, None,
                      column, "", 1)
    rows = [found(f"U2-2510{day}-0001", day, column) for day in (20, 21, 22, 23)
            for column in ("competent_unit_code", "unit_code")]
    said = unit_sentence(None, rows)
    assert "4 hồ sơ được tiếp nhận" in said
    assert said.count("U2-251020-0001") == 1
    assert "U2-251022-0001" in said and "và 1 hồ sơ khác" in said


def test_a_unit_not_yet_made_is_not_said_to_be_no_longer_active(tmp_path, capsys):
    """A dossier received before the unit's «Hoạt động từ ngày»: the unit was not yet made,
    not dissolved; check and the exchange refusal said 'đơn vị không còn hoạt động'."""
    from core.exchange import checks
    path = tmp_path / "som.db"
    db = installation(path, dated=False)
    D.create_dossier(db, unit_code="U2", procedure_code="P.WD2", applicant_name="Người sớm",
                     received_at=dt.datetime(2025, 6, 2, 8))
    _date_u2(db)
    _index, refusal = checks.absent_refusal(db, 0, lambda _id: 0, ["goi.zip"])
    db.close()
    assert main.main(["--db", str(path), "check"]) == 1
    line = next(line for line in capsys.readouterr().out.splitlines() if "không hoạt động" in line)
    for said in (line, refusal):
        assert "không còn hoạt động" not in said
        assert "dòng của một đơn vị không hoạt động vào ngày tiếp nhận" in said


# ----- moving a dossier already held (round 30): the desk's correction and a re-imported row --
@pytest.mark.parametrize(("role", "day", "absent"), CASES)
def test_the_desks_correction_keeps_the_dossier_in_its_units_life(db, role, day, absent):
    """Before: correcting received_at moved a held dossier outside its unit's dates (and
    `check` then named it as an error); now refused under the field, as the intake is."""
    add_units(db)
    add_procedures(db)
    _date_u2(db)
    dossier_id, _ = D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                                     received_at=dt.datetime(2025, 8, 1, 9), **units_of(role))
    moved = dt.datetime.combine(day, dt.time(9))
    try:
        D.correct_field(db, dossier_id, "received_at", moved, reason="Ghi nhầm ngày")
        refused = False
    except FieldError as exc:
        assert exc.field == "received_at"
        what = "Đơn vị" if role == "unit_code" else "Đơn vị giải quyết"
        assert exc.message == (f"{what} Xã Hòa Bình không hoạt động vào ngày {day:%d/%m/%Y} "
                               "(đã giải thể, sáp nhập hoặc chưa thành lập).")
        refused = True
    assert refused == absent
    stored = db.execute("SELECT received_at FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
    assert stored == timefmt.to_db_time(dt.datetime(2025, 8, 1, 9) if absent else moved)
    assert check.dossiers_in_unit_life(db).ok


def _reimport(tmp_path, db, code: str, units: dict, day) -> object:
    header = ["code", "unit_code", "competent_unit_code", "procedure_code", "applicant_name",
              "channel", "received_at", "status"]
    row = [code, units["unit_code"], units.get("competent_unit_code", ""), "P.WD2", "Người nộp",
           "direct", f"{day} 09:00", "received"]
    return import_file(db, "dossiers", write_csv(tmp_path / "lai.csv", header, [row]))


@pytest.mark.parametrize("role", ["unit_code", "competent_unit_code"])
def test_a_reimported_row_cannot_move_a_held_dossier_out_of_its_units_life(tmp_path, role):
    """`import dossiers` let a row of a held dossier change its day (or unit) to one outside
    the unit's life; the row is now refused (row and column named, nothing written), while
    the same row as held, even one `check` names, is still taken back unchanged."""
    db = installation(tmp_path / "lai.db")
    try:
        _id, code = D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                                     received_at=dt.datetime(2025, 8, 1, 9), **units_of(role))
        result = _reimport(tmp_path, db, code, units_of(role), D_(2025, 10, 20))
        assert not result.ok and [(e.row, e.column) for e in result.errors] == [(2, role)]
        assert "Xã Hòa Bình không hoạt động vào ngày 20/10/2025" in result.errors[0].reason
        assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-08-01 09:00:00"
        assert _reimport(tmp_path, db, code, {"unit_code": "U1"}, D_(2025, 10, 20)).ok  # U1: taken
        with transaction(db) as conn:  # held outside (as before round 29): kept as it is
            conn.execute("UPDATE dossiers SET received_at = '2025-10-20 09:00:00', unit_code = ?, "
                         "competent_unit_code = ?", [units_of(role)["unit_code"],
                                                     units_of(role).get("competent_unit_code")])
        assert _reimport(tmp_path, db, code, units_of(role), D_(2025, 10, 20)).ok
    finally:
        db.close()


def test_a_row_without_the_competent_column_cannot_move_a_dossier_out_of_its_competent_units_life(
        tmp_path):
    """An absent competent_unit_code column keeps the held competent unit; a row moving the
    reception day out of that unit's life was taken (the desk's correction refuses it): now
    refused under received_at, the column the row changes, nothing written."""
    db = installation(tmp_path / "thieu.db")
    try:
        _id, code = D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                                     received_at=dt.datetime(2025, 8, 1, 9),
                                     **units_of("competent_unit_code"))
        header = ["code", "unit_code", "procedure_code", "applicant_name", "channel",
                  "received_at", "status"]
        row = [code, "U1", "P.WD2", "Người nộp", "direct", "2025-10-20 09:00", "received"]
        result = import_file(db, "dossiers", write_csv(tmp_path / "thieu.csv", header, [row]))
        assert not result.ok and [(e.row, e.column) for e in result.errors] == [(2, "received_at")]
        assert result.errors[0].reason == ("đơn vị giải quyết Xã Hòa Bình không hoạt động vào "
                                           "ngày 20/10/2025 (đã giải thể, sáp nhập hoặc chưa "
                                           "thành lập)")
        assert db.execute("SELECT received_at, competent_unit_code FROM dossiers").fetchone() \
            == ("2025-08-01 09:00:00", "U2")
        row[5] = "2025-10-19 10:00"  # still in its life: taken, the competent unit kept
        assert import_file(db, "dossiers", write_csv(tmp_path / "thieu.csv", header, [row])).ok
        assert check.dossiers_in_unit_life(db).ok
    finally:
        db.close()


@pytest.mark.parametrize("role", ["unit_code", "competent_unit_code"])
def test_the_desk_corrects_the_hour_of_a_dossier_held_outside_as_the_import_takes_it(db, role):
    """A dossier held outside its unit's life (from before round 29, `check` names it): the
    import takes its row back on the same day, but the desk refused even a correction of its
    hour there; one verdict now — the same day is kept, another day outside is refused."""
    add_units(db)
    add_procedures(db)
    dossier_id, _ = D.create_dossier(db, procedure_code="P.WD2", applicant_name="Người nộp",
                                     received_at=dt.datetime(2025, 10, 20, 9), **units_of(role))
    _date_u2(db)
    D.correct_field(db, dossier_id, "received_at", dt.datetime(2025, 10, 20, 8),
                    reason="Ghi nhầm giờ")
    with pytest.raises(FieldError, match="Xã Hòa Bình không hoạt động vào ngày 21/10/2025"):
        D.correct_field(db, dossier_id, "received_at", dt.datetime(2025, 10, 21, 8),
                        reason="Ghi nhầm ngày")
    assert db.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-10-20 08:00:00"
