"""Catalogue rows a package holds differently: listed with what differs, kept unless chosen, and
taken through the Danh mục functions (rights, setting_changes with the account) when chosen."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import accounts, catalogue, rules
from core.errors import InputError, OperationError
from core.exchange import export_package, import_package
from db import actor
from tests.core.exchange.conftest import DAY, office, receive
from tests.core.exchange.test_exchange import SINCE, snapshot

ADMIN = actor.Actor("quantri", "Quản Trị", frozenset({"admin"}))


@pytest.fixture
def differing(tmp_path):
    """A counter whose catalogue differs from the centre's in a unit name, a procedure's fee and
    limit, and a calendar day; one dossier of that procedure in each."""
    centre, other = office(tmp_path / "centre.db", (1, 2)), office(tmp_path / "other.db", (2, 2))
    for db in (centre, other):
        catalogue.set_calendar_day(db, dt.date(2025, 10, 24), "holiday", "Nghỉ bù")
    catalogue.save_unit(other, "U1", "Xã An Sơn Mới", "commune", None)
    values = {"code": "P.WD2", "name": "Chứng thực bản sao", "field": None, "limit_value": 3,
              "limit_unit": "working_days", "fee": 5000, "online_level": "full",
              "paper_result": 0, "same_day_cutoff": None, "valid_from": dt.date(2025, 1, 1)}
    catalogue.save_procedure(other, values)
    catalogue.set_calendar_day(other, dt.date(2025, 10, 24), "holiday", "Nghỉ lễ địa phương")
    receive(other, "Trần Thị Hoa", unit="U2")
    receive(centre, "Lò Văn Sử", minutes=30, unit="U2")
    package = tmp_path / "other.zip"
    export_package(other, package, SINCE)
    other.close()
    yield centre, package
    centre.close()


def catalogue_rows(db) -> dict:
    return {"unit": db.execute("SELECT name FROM units WHERE code='U1'").fetchone()[0],
            "proc": db.execute("SELECT fee, limit_value FROM procedures WHERE code='P.WD2'")
            .fetchone(),
            "day": db.execute("SELECT name FROM calendar WHERE date='2025-10-24'").fetchone()[0]}


def test_differences_are_listed_in_vietnamese_and_ours_kept_by_default(differing):
    centre, package = differing
    before = catalogue_rows(centre)
    result = import_package(centre, package)
    assert result.written and not result.catalogue_taken
    items = {d.item: d for d in result.catalogue_diffs}
    assert set(items) == {"units:U1", "procedures:P.WD2", "calendar:2025-10-24"}
    assert ("Tên", "Xã An Sơn", "Xã An Sơn Mới") in items["units:U1"].differs
    proc = dict((w, (o, t)) for w, o, t in items["procedures:P.WD2"].differs)
    assert proc["Lệ phí"] == ("0 đ", "5.000 đ") and proc["Thời hạn giải quyết"] == ("2", "3")
    assert "Tên: máy này Nghỉ bù, gói Nghỉ lễ địa phương" in items["calendar:2025-10-24"].line()
    assert catalogue_rows(centre) == before


def test_taking_theirs_goes_through_the_catalogue_with_the_account(differing):
    centre, package = differing
    logged = centre.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0]
    with actor.acting_as(ADMIN):
        result = import_package(centre, package, catalogue="theirs")
    assert sorted(result.catalogue_taken) == ["calendar:2025-10-24", "procedures:P.WD2",
                                               "units:U1"]
    assert catalogue_rows(centre) == {"unit": "Xã An Sơn Mới", "proc": (5000, 3),
                                      "day": "Nghỉ lễ địa phương"}
    changes = centre.execute("SELECT actor, area, key FROM setting_changes WHERE id > ?",
                             [logged]).fetchall()
    assert {("quantri", "units", "U1"), ("quantri", "catalogue", "P.WD2"),
            ("quantri", "calendar", "2025-10-24")} <= set(changes)
    # the procedure's dated history is the package's: 2 days until 2025, 3 from 01/01/2025
    entries = rules.procedure_entries(centre, "P.WD2")
    assert [(day, rule.limit_value) for day, rule in entries] == [
        (rules.BEGINNING, 2), (dt.date(2025, 1, 1), 3)]
    again = import_package(centre, package)  # now equal to the package: nothing differs
    assert again.catalogue_diffs == [] and again.dossiers["identical"] == 1
    # our own dossier of that procedure now follows the new limit (3 working days)
    due = centre.execute("SELECT calc_due_at FROM dossiers WHERE applicant_name = 'Lò Văn Sử'"
                         ).fetchone()[0]
    assert due > (DAY + dt.timedelta(days=3)).strftime("%Y-%m-%d")


def test_a_choice_per_item_takes_only_that_row(differing):
    centre, package = differing
    result = import_package(centre, package, catalogue_choices={"units:U1": "theirs"})
    assert result.catalogue_taken == ["units:U1"]
    rows = catalogue_rows(centre)
    assert rows["unit"] == "Xã An Sơn Mới" and rows["proc"] == (0, 2) and rows["day"] == "Nghỉ bù"


def test_without_the_right_to_edit_the_catalogue_nothing_is_written(differing, monkeypatch):
    centre, package = differing
    monkeypatch.setitem(accounts.PERMISSIONS, "catalogue.edit",
                        ("sửa danh mục đơn vị, thủ tục", frozenset({"leader"})))
    before = snapshot(centre)
    with actor.acting_as(ADMIN), pytest.raises(OperationError, match="sửa danh mục"):
        import_package(centre, package, catalogue="theirs")
    assert snapshot(centre) == before
    with pytest.raises(InputError, match="ours hoặc theirs"):
        import_package(centre, package, catalogue="mine")


def test_the_command_line_lists_and_takes_catalogue_rows(differing, tmp_path, capsys):
    centre, package = differing
    centre.close()
    db = str(tmp_path / "centre.db")
    code = main.main(["--db", db, "exchange", "import", str(package), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0 and "[units:U1] Đơn vị U1 (Xã An Sơn Mới) — Tên: máy này Xã An Sơn, " \
        "gói Xã An Sơn Mới → giữ của máy này" in err
    code = main.main(["--db", db, "exchange", "import", str(package), "--catalogue-item",
                      "calendar:2025-10-24=theirs"])
    out, err = capsys.readouterr()
    assert code == 0 and "danh mục lấy theo gói 1 dòng" in out
    assert "[calendar:2025-10-24] Lịch làm việc 24/10/2025 (Thứ Sáu) — Tên: máy này Nghỉ bù, " \
        "gói Nghỉ lễ địa phương → lấy theo gói" in err
    code = main.main(["--db", db, "exchange", "import", str(package), "--catalogue-item", "U1"])
    assert code == 2 and "LOẠI:MÃ=ours|theirs" in capsys.readouterr().err
    code = main.main(["--db", db, "exchange", "import", str(package), "--dry-run",
                      "--catalogue-item", "units:U9=theirs", "--catalogue-item", "units:U1=theirs"])
    err = capsys.readouterr().err
    assert code == 0 and "Lưu ý: --catalogue-item units:U9: dòng danh mục này không có" in err
    assert "--catalogue-item units:U1:" not in err  # the real difference is not warned about


def test_a_calendar_choice_is_a_real_day_chosen_once(differing, tmp_path, capsys):
    """break33: `--catalogue-item` took a day that does not exist (29/02 of 2025) or a day as
    the preview writes it (24/10/2025) as a row «không có trong gói», and the same row chosen
    twice, theirs then ours, silently as the last (`--choose` refuses a code chosen twice).
    A day not in a calendar is named; the preview's form is read; a row chosen twice is refused,
    nothing written."""
    centre, package = differing
    centre.close()
    db = str(tmp_path / "centre.db")
    for bad, said in (("calendar:2025-02-29=theirs", "ngày 29 không có trong tháng 2/2025"),
                      ("calendar:hôm-qua=theirs", "«hôm-qua» không phải một ngày")):
        code = main.main(["--db", db, "exchange", "import", str(package), "--dry-run",
                          "--catalogue-item", bad])
        err = capsys.readouterr().err
        assert code == 2 and said in err and f"--catalogue-item {bad}" in err, err
    code = main.main(["--db", db, "exchange", "import", str(package), "--catalogue-item",
                      "calendar:2025-10-24=theirs", "--catalogue-item", "calendar:2025-10-24=ours"])
    err = capsys.readouterr().err
    assert code == 2 and "calendar:2025-10-24 được chọn hai lần" in err, err
    code = main.main(["--db", db, "exchange", "import", str(package), "--catalogue-item",
                      "calendar:24/10/2025=theirs"])
    out, err = capsys.readouterr()
    assert code == 0 and "danh mục lấy theo gói 1 dòng" in out, (out, err)
    assert "[calendar:2025-10-24] Lịch làm việc 24/10/2025 (Thứ Sáu)" in err
    assert "không có trong gói" not in err
