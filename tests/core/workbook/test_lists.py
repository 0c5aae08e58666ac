"""Lists exported as readable workbooks: the same rows in the same order as the screen's query,
Vietnamese words for stored codes, phones masked without a stated purpose, rights and the log."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest

from core import accounts
from core.database import open_database
from core.privacy import masking
from core.register import RegisterQuery
from core.workbook import lists
from core.workbook.register import TITLE, register_ids, write_register
from db import actor
from db.actor import Actor
from tests.workbooks import MOMENT, TODAY, demo_office

pytestmark = pytest.mark.facts_may_differ  # the demo's file, not the factories' (checked there)
ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo_office(path).close()
    return path


@pytest.fixture
def demo(demo_path):
    db = open_database(demo_path)
    yield db
    db.close()


def body(path, header_row=4):
    sheet = openpyxl.load_workbook(path).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows(min_row=header_row + 1)]


def last_log(db):
    return db.execute("SELECT action, purpose, details FROM access_log ORDER BY id DESC"
                      " LIMIT 1").fetchone()


def test_payments_keep_the_given_order_with_amounts_as_numbers(demo, tmp_path):
    ids = [r[0] for r in demo.execute("SELECT id FROM payments ORDER BY amount DESC, id LIMIT 50")]
    out = tmp_path / "thu.xlsx"
    assert lists.export_list(demo, lists.PAYMENTS, ids, out, "Tất cả đơn vị", moment=MOMENT) == 50
    sheet, rows = body(out)
    assert sheet["A1"].value == "CÁC KHOẢN ĐÃ THU"
    assert sheet["A3"].value == "Số liệu lúc 15:00 27/11/2026 — 50 dòng"
    expected = demo.execute(f"SELECT pm.paid_at, d.code, pm.amount, pm.method FROM payments pm "
                            f"JOIN dossiers d ON d.id = pm.dossier_id WHERE pm.id IN "
                            f"({','.join(map(str, ids))}) ORDER BY pm.amount DESC, pm.id").fetchall()
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (dt.datetime.fromisoformat(paid), code, amount) for paid, code, amount, _ in expected]
    assert all(isinstance(r[3], int) for r in rows)
    assert {r[4] for r in rows} <= set(lists.METHOD_VI.values())
    assert sheet["D5"].number_format == '#,##0 "đ"'
    action, purpose, details = last_log(demo)
    assert (action, purpose) == ("export.list", None)
    assert json.loads(details) == {"rows": 50, "full": False, "kind": "payments",
                                   "file": "thu.xlsx"}


def test_follow_up_phones_masked_unless_a_purpose_is_stated(demo, tmp_path):
    ids = [r[0] for r in demo.execute("SELECT id FROM dossiers WHERE applicant_phone IS NOT NULL "
                                      "ORDER BY id LIMIT 20")]
    phones = [r[0] for r in demo.execute(f"SELECT applicant_phone FROM dossiers WHERE id IN "
                                         f"({','.join(map(str, ids))}) ORDER BY id")]
    lists.export_list(demo, lists.FOLLOW_UP, ids, tmp_path / "a.xlsx", "x", moment=MOMENT)
    _, rows = body(tmp_path / "a.xlsx")
    assert [r[2] for r in rows] == [masking.mask_phone(p) for p in phones]
    assert all(masking.is_masked(r[2]) for r in rows)
    assert isinstance(rows[0][3], dt.datetime) and rows[0][6] in lists.STATUS_VI.values()
    full = masking.full_data("Gọi lại cho người nộp")
    lists.export_list(demo, lists.FOLLOW_UP, ids, tmp_path / "b.xlsx", "x", moment=MOMENT,
                      full=full)
    _, rows = body(tmp_path / "b.xlsx")
    assert [r[2] for r in rows] == phones
    action, purpose, details = last_log(demo)
    assert purpose == "Gọi lại cho người nộp" and json.loads(details)["full"] is True


def test_votes_in_vietnamese(demo, tmp_path):
    ids = [r[0] for r in demo.execute("SELECT id FROM votes ORDER BY voted_at DESC LIMIT 30")]
    lists.export_list(demo, lists.VOTES, ids, tmp_path / "v.xlsx", "x", moment=MOMENT)
    _, rows = body(tmp_path / "v.xlsx")
    assert len(rows) == 30 and {r[2] for r in rows} <= set(lists.RATING_VI.values())
    assert {r[5] for r in rows} <= set(lists.VOTE_SOURCE_VI.values())
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)


def test_a_role_without_data_export_is_refused(demo, tmp_path):
    clerk = Actor("canbo", "Cán bộ", frozenset({"clerk"}))
    with actor.acting_as(clerk), pytest.raises(accounts.PermissionDenied, match="xuất dữ liệu"):
        lists.export_list(demo, lists.VOTES, [1], tmp_path / "v.xlsx", "x")
    assert not (tmp_path / "v.xlsx").exists()


def test_register_rows_are_the_register_lines(demo, tmp_path):
    out = tmp_path / "so.xlsx"
    start = dt.date(2026, 10, 1)
    count = write_register(demo, out, start, TODAY, now=lambda: MOMENT)
    query = RegisterQuery(demo, lambda: MOMENT)
    ids = register_ids(demo, query, start, TODAY)
    lines = query.lines(ids)
    sheet, rows = body(out)
    assert count == len(ids) == len(rows) > 30
    assert sheet["A1"].value == TITLE and sheet["A2"].value.startswith("Tất cả đơn vị — từ 01/10")
    assert [r[0] for r in rows] == [lines[i].code for i in ids]
    for row, i in zip(rows, ids, strict=True):
        x = lines[i]
        assert row == [x.code, x.procedure, x.applicant, x.unit, x.channel_vi, x.received_at,
                       x.due, x.left, x.status_vi]
    assert [r[5] for r in rows] == sorted(r[5] for r in rows)  # oldest first
    assert {r[8] for r in rows} <= set(lists.STATUS_VI.values())
    assert any(r[7].startswith("Quá hạn") for r in rows)  # open and late at MOMENT


def test_register_of_a_unit_counts_its_subtree(demo, tmp_path):
    unit, name = demo.execute("SELECT code, name FROM units WHERE parent_code IS NULL").fetchone()
    out = tmp_path / "u.xlsx"
    write_register(demo, out, dt.date(2026, 11, 1), TODAY, unit=unit, now=lambda: MOMENT)
    sheet, rows = body(out)
    assert sheet["A2"].value.startswith(f"Đơn vị: {name}") and rows


def run(*args, db):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_command_line(demo_path, tmp_path):
    out = tmp_path / "so.xlsx"
    done = run("export", "register", "--from", "2026-11-01", "--to", "2026-11-27", str(out),
               db=demo_path)
    assert done.returncode == 0, done.stderr
    assert "hồ sơ" in done.stdout and out.is_file()
    _, rows = body(out)
    assert rows and isinstance(rows[0][5], dt.datetime)
    missing = run("export", "register", str(tmp_path / "x.xlsx"), db=demo_path)
    assert missing.returncode == 2 and "--from" in missing.stdout + missing.stderr
    wrong = run("export", "register", "--from", "2026-11-30", "--to", "2026-11-01",
                str(tmp_path / "y.xlsx"), db=demo_path)
    assert wrong.returncode == 2 and "sau ngày kết thúc" in wrong.stdout + wrong.stderr
    unknown = run("export", "register", "--from", "2026-11-01", "--to", "2026-11-02", "--unit",
                  "NOPE", str(tmp_path / "z.xlsx"), db=demo_path)
    assert unknown.returncode == 2 and "NOPE" in unknown.stdout + unknown.stderr
    # the interchange dossiers take a period since 03/12/2026 (issue 16); the other kinds not
    interchange = run("export", "payments", "--from", "2026-11-01", str(tmp_path / "d.csv"),
                      db=demo_path)
    assert interchange.returncode == 2 and "--from chỉ dùng với export dossiers|register" in (
        interchange.stdout + interchange.stderr)
    assert not (tmp_path / "d.csv").exists()


def test_progress_and_cancel(demo, tmp_path):
    ids = [r[0] for r in demo.execute("SELECT id FROM dossiers ORDER BY id")]
    seen = []
    out = tmp_path / "all.xlsx"
    lists.export_list(demo, lists.REGISTER, ids, out, "x", moment=MOMENT,
                      progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(ids), len(ids)) and len(seen) == -(-len(ids) // lists.CHUNK)
    with pytest.raises(InterruptedError):
        lists.export_list(demo, lists.REGISTER, ids, tmp_path / "stop.xlsx", "x", moment=MOMENT,
                          progress=lambda done, total: False)
    assert not (tmp_path / "stop.xlsx").exists() and not list(tmp_path.glob(".motcua-*"))
