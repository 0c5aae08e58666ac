"""A procedure's new fee applies to the dossiers received from now on; those already received keep
the fee they had (core.fees), so no figure of a past period moves — the audit of 01/12/2026: W1's
fee 0 → 5.000 turned a unit's online-payment rate of the past month from 1/3 into 1/5."""
from __future__ import annotations

import datetime as dt
import json
import re

import main
from core import timefmt
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    PROCEDURES,
    PROCEDURES_HEADER,
    UNITS,
    UNITS_HEADER,
    dossier_row,
    write_csv,
)
from tests.pdfread import pdf_text

W1 = "1.001612"  # fee 0 in PROCEDURES
PAID = "2.000815"  # fee 2.000
MESSAGE = ("Thủ tục 1.001612: Mức phí mới áp dụng cho hồ sơ tiếp nhận từ nay; 2 hồ sơ đã tiếp "
           "nhận giữ mức phí cũ 0 đ.")


def run(*argv) -> int:
    return main.main(list(argv))


def _february(tmp_path, capsys) -> str:
    """Unit XTD in February 2025: three dossiers with a fee (one paid online), two of W1 that
    follow its fee 0, one of W1 with its own fee 0; XVQ: one of W1 with its own fee 7.000."""
    db = str(tmp_path / "m.db")
    assert run("--db", db, "import", "units", str(write_csv(tmp_path / "u.csv", UNITS_HEADER, UNITS)),
               "--new-db") == 0
    assert run("--db", db, "import", "procedures",
               str(write_csv(tmp_path / "p.csv", PROCEDURES_HEADER, PROCEDURES))) == 0
    rows = [dossier_row(f"XTD-F{n}", procedure_code=PAID, received_at=f"2025-02-0{n} 08:00",
                        finished_at=f"2025-02-0{n} 10:00", returned_at="") for n in (3, 4, 5)]
    rows += [dossier_row(f"XTD-W{n}", procedure_code=W1, received_at=f"2025-02-1{n} 08:00",
                         finished_at=f"2025-02-1{n} 10:00", returned_at="", fee=fee)
             for n, fee in ((0, ""), (1, ""), (2, "0"))]
    rows.append(dossier_row("XVQ-W3", unit_code="XVQ", procedure_code=W1, fee="7000",
                            received_at="2025-02-13 08:00", finished_at="2025-02-13 10:00",
                            returned_at=""))
    assert run("--db", db, "import", "dossiers",
               str(write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))) == 0
    payments = write_csv(tmp_path / "pay.csv", ["dossier_code", "amount", "method", "paid_at"],
                         [["XTD-F3", "2000", "online", "2025-02-03 09:00"]])
    assert run("--db", db, "import", "payments", str(payments)) == 0
    capsys.readouterr()
    return db


def _kpi(db, capsys, month=("2025-02-01", "2025-02-28")) -> dict:
    assert run("--db", db, "kpi", "--from", month[0], "--to", month[1], "--json") == 0
    return json.loads(capsys.readouterr().out)


def _unit(kpi: dict, code: str) -> dict:
    return next(u for u in kpi["units"] if u["code"] == code)


def _new_fee(tmp_path, fee: str, *extra) -> str:
    rows = [[*row[:5], fee, *row[6:]] if row[0] == W1 else row for row in PROCEDURES]
    return str(write_csv(tmp_path / f"p{fee}.csv", PROCEDURES_HEADER, rows))


def _payment_section(path) -> str:
    text = pdf_text(path)
    start = text.index("VII. THANH TOÁN PHÍ")
    end = re.search(r"\n\s*VIII\.", text[start:])
    return text[start:start + end.start()] if end else text[start:]


def test_a_new_fee_leaves_the_past_month_and_its_report_as_they_were(tmp_path, capsys):
    db = _february(tmp_path, capsys)
    before = _kpi(db, capsys)
    assert _unit(before, "XTD")["online_payment"] == {"paid_online": 1, "fee_dossiers": 3,
                                                      "rate": 0.3333}
    assert run("--db", db, "report", "monthly", "--month", "2025-02",
               "--out", str(tmp_path / "before.pdf")) == 0
    capsys.readouterr()

    assert run("--db", db, "import", "procedures", _new_fee(tmp_path, "5000")) == 0
    out = capsys.readouterr().out

    after = _kpi(db, capsys)
    assert _unit(after, "XTD")["online_payment"] == _unit(before, "XTD")["online_payment"]
    assert after == before
    assert MESSAGE in out, out
    assert run("--db", db, "report", "monthly", "--month", "2025-02",
               "--out", str(tmp_path / "after.pdf")) == 0
    assert _payment_section(tmp_path / "after.pdf") == _payment_section(tmp_path / "before.pdf")
    assert "33,33%" in _payment_section(tmp_path / "after.pdf")

    import sqlite3
    conn = sqlite3.connect(db)
    fees = dict(conn.execute("SELECT code, fee FROM dossiers"))
    # those that followed the fee keep 0; their own 0 and 7.000 are untouched; F* kept nothing
    # (their procedure's fee did not change)
    assert fees == {"XTD-F3": None, "XTD-F4": None, "XTD-F5": None, "XTD-W0": 0, "XTD-W1": 0,
                    "XTD-W2": 0, "XVQ-W3": 7000}
    logged = conn.execute("SELECT at, old_value, new_value FROM setting_changes "
                          "WHERE area = 'catalogue' AND key = '1.001612: mức phí'").fetchall()
    assert logged == [("2025-03-10 09:30:00", "0",
                       "5000; từ 2025-03-10 09:30:00; 2 hồ sơ đã tiếp nhận giữ mức phí cũ")]
    conn.close()

    capsys.readouterr()
    assert run("--db", db, "check") == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "khớp với lịch sử xử lý" in out and "khác với lịch sử" not in out


def test_a_dossier_received_after_the_change_follows_the_new_fee(tmp_path, capsys, monkeypatch):
    db = _february(tmp_path, capsys)
    assert run("--db", db, "import", "procedures", _new_fee(tmp_path, "5000")) == 0
    later = dt.datetime(2025, 3, 12, 9, 0)
    monkeypatch.setattr(timefmt, "now", lambda: later)
    march = dossier_row("XTD-M1", procedure_code=W1, received_at="2025-03-11 08:00",
                        finished_at="2025-03-11 10:00", returned_at="")
    assert run("--db", db, "import", "dossiers",
               str(write_csv(tmp_path / "m.csv", DOSSIERS_HEADER, [march]))) == 0
    capsys.readouterr()
    now_kpi = _kpi(db, capsys, ("2025-03-01", "2025-03-31"))
    assert _unit(now_kpi, "XTD")["online_payment"]["fee_dossiers"] == 1  # 5.000 now

    # a second change: March's dossier keeps 5.000, February's keep their 0
    assert run("--db", db, "import", "procedures", _new_fee(tmp_path, "8000")) == 0
    assert ("1 hồ sơ đã tiếp nhận giữ mức phí cũ 5.000 đ." in capsys.readouterr().out)
    assert _kpi(db, capsys, ("2025-03-01", "2025-03-31")) == now_kpi
    import sqlite3
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT fee FROM dossiers WHERE code = 'XTD-M1'").fetchone()[0] == 5000
    assert conn.execute("SELECT fee FROM dossiers WHERE code = 'XTD-W0'").fetchone()[0] == 0
    conn.close()
    assert run("--db", db, "check") == 0
    assert "khác với lịch sử" not in capsys.readouterr().out


def test_a_dry_run_says_what_would_be_kept_and_writes_nothing(tmp_path, capsys):
    db = _february(tmp_path, capsys)
    assert run("--db", db, "import", "procedures", "--dry-run", _new_fee(tmp_path, "5000")) == 0
    out = capsys.readouterr().out
    assert "2 hồ sơ đã tiếp nhận sẽ giữ mức phí cũ 0 đ." in out, out
    import sqlite3
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT fee FROM procedures WHERE code = ?", [W1]).fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM dossiers WHERE fee IS NULL").fetchone()[0] == 5
    conn.close()


def test_check_still_names_a_fee_edited_by_sql(tmp_path, capsys):
    """The log vouches for the kept fee only: any other value written by SQL still shows."""
    db = _february(tmp_path, capsys)
    assert run("--db", db, "import", "procedures", _new_fee(tmp_path, "5000")) == 0
    import sqlite3
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE dossier_rows SET fee = 9000 WHERE code = 'XTD-W0'")
        conn.execute("UPDATE dossier_rows SET fee = 0 WHERE code = 'XTD-F3'")  # no change of its fee
    conn.close()
    capsys.readouterr()
    assert run("--db", db, "check") != 0
    out = capsys.readouterr().out
    assert "XTD-W0 (" in out and "XTD-F3 (" in out and "tổng 2 hồ sơ" in out, out


def test_a_dossier_of_the_past_imported_after_the_change_takes_the_fee_of_its_day(tmp_path, capsys):
    """Received in February, before the change, but imported after it with an empty fee: the
    procedure's fee at its reception (0), as the dossiers already there kept; the file of
    February imported again changes nothing."""
    db = _february(tmp_path, capsys)
    assert run("--db", db, "import", "procedures", _new_fee(tmp_path, "5000")) == 0
    late = dossier_row("XTD-L1", procedure_code=W1, received_at="2025-02-20 08:00",
                       finished_at="2025-02-20 10:00", returned_at="")
    assert run("--db", db, "import", "dossiers",
               str(write_csv(tmp_path / "late.csv", DOSSIERS_HEADER, [late]))) == 0
    capsys.readouterr()
    assert _unit(_kpi(db, capsys), "XTD")["online_payment"]["fee_dossiers"] == 3
    assert run("--db", db, "import", "dossiers", str(tmp_path / "d.csv")) == 0
    assert "thêm mới 0, cập nhật 0, không đổi 7" in capsys.readouterr().out
    import sqlite3
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT fee FROM dossiers WHERE code = 'XTD-L1'").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM dossiers WHERE fee IS NULL").fetchone()[0] == 3
    conn.close()
    assert run("--db", db, "check") == 0
    assert "khác với lịch sử" not in capsys.readouterr().out


def test_the_quick_check_at_start_stays_clean_after_a_new_fee(tmp_path, capsys):
    """The window's quick check replays the buckets whose fields changed since its checkpoint:
    the kept fees are vouched for there too, and it names nothing."""
    from core.database import open_database
    from core.maintenance import audit_quick

    path = _february(tmp_path, capsys)
    db = open_database(path)
    try:
        found, point = audit_quick.quick_findings(db)
        assert all(f.ok for f in found) and point is not None
        audit_quick.keep(db, point)
    finally:
        db.close()
    assert run("--db", path, "import", "procedures", _new_fee(tmp_path, "5000")) == 0
    db = open_database(path)
    try:
        found, point = audit_quick.quick_findings(db)
        assert all(f.ok for f in found), [f.text for f in found if not f.ok]
        assert any("Kiểm tra nhanh" in f.text for f in found)  # the quick way, from the mark
    finally:
        db.close()
