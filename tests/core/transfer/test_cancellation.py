"""Cancelled payments and votes in files (issue 11): exported with their history, imported
cancelled, never revived by a file; an overpaid fee is imported with a warning, not an error."""
from __future__ import annotations

import datetime as dt

import main
from core import payments, votes
from core.indicators import compute
from core.transfer import export_file, import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, count, dossier_row, write_csv

PAY_HEADER = ["dossier_code", "amount", "method", "paid_at", "reference", "cancelled_at",
              "cancel_reason", "cancelled_by"]
VOTE_HEADER = ["unit_code", "voted_at", "rating", "dossier_code", "comment", "cancelled_at",
               "cancel_reason", "cancelled_by"]
CODE = "XTD-250102-0002"  # a building permit: fee 150.000 đ


def with_dossier(db, tmp_path):
    rows = [dossier_row(CODE, procedure_code="1.004227", channel="direct")]
    assert import_file(db, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows)).ok
    return db.execute("SELECT id FROM dossiers WHERE code = ?", [CODE]).fetchone()[0]


JANUARY = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))


def online_paid(db):
    return compute(db, *JANUARY)["total"]["online_payment"]["paid_online"]


def test_a_file_cancels_a_stored_payment_and_never_revives_one(catalog, tmp_path):
    dossier_id = with_dossier(catalog, tmp_path)
    live = ["XTD-250102-0002", "150000", "online", "2025-01-02 09:00", "VNPAY-1", "", "", ""]
    assert import_file(catalog, "payments", write_csv(tmp_path / "p.csv", PAY_HEADER, [live])).ok
    assert online_paid(catalog) == 1
    cancelled = live[:5] + ["2025-01-02 10:00", "Giao dịch bị hoàn", "lan"]
    result = import_file(catalog, "payments", write_csv(tmp_path / "c.csv", PAY_HEADER, [cancelled]))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    assert online_paid(catalog) == 0 and payments.paid_total(catalog, dossier_id) == 0
    # the first file again: the payment stays cancelled (a file cannot revive it)
    again = import_file(catalog, "payments", tmp_path / "p.csv")
    assert (again.updated, again.unchanged) == (0, 1)
    assert catalog.execute("SELECT cancel_reason, cancelled_by FROM payments").fetchall() == [
        ("Giao dịch bị hoàn", "lan")]
    export_file(catalog, "payments", tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ",".join(PAY_HEADER)
    assert "2025-01-02 10:00:00,Giao dịch bị hoàn,lan" in text


def test_bad_cancellations_are_row_errors(catalog, tmp_path):
    with_dossier(catalog, tmp_path)
    rows = [[CODE, "1000", "cash", "2025-01-02 09:00", "A", "2025-01-02 10:00", "", ""],
            [CODE, "1000", "cash", "2025-01-02 09:00", "B", "2025-01-02 08:00", "Nhầm", ""],
            [CODE, "1000", "cash", "2025-01-02 09:00", "C", "2025-04-01 08:00", "Nhầm", ""],
            [CODE, "1000", "cash", "2025-01-02 09:00", "D", "", "Nhầm", ""]]
    result = import_file(catalog, "payments", write_csv(tmp_path / "p.csv", PAY_HEADER, rows))
    lines = [str(e) for e in result.errors]
    assert lines[0] == "Dòng 2, cột cancel_reason, giá trị '': đã huỷ thì cần ghi lý do huỷ"
    assert "Dòng 3, cột cancelled_at" in lines[1] and "trước paid_at" in lines[1]
    assert "Dòng 4, cột cancelled_at" in lines[2] and "ở tương lai" in lines[2]
    assert lines[3].startswith("Dòng 5, cột cancelled_at, giá trị '': có lý do huỷ")
    assert count(catalog, "payments") == 0


def test_cancelled_votes_are_imported_cancelled_and_counted_nowhere(catalog, tmp_path):
    with_dossier(catalog, tmp_path)
    rows = [["XTD", "2025-01-03 15:00", "satisfied", CODE, "", "", "", ""],
            ["XTD", "2025-01-03 15:00", "satisfied", "", "", "2025-01-03 15:01", "Bấm thử", ""]]
    result = import_file(catalog, "votes", write_csv(tmp_path / "v.csv", VOTE_HEADER, rows))
    assert result.ok and result.added == 2
    vote_id = catalog.execute("SELECT id FROM votes WHERE dossier_id IS NOT NULL").fetchone()[0]
    assert compute(catalog, *JANUARY)["total"]["satisfaction"]["votes"] == 1
    votes.cancel_vote(catalog, vote_id, reason="Nhầm hồ sơ")
    export_file(catalog, "votes", tmp_path / "out.csv")
    again = import_file(catalog, "votes", tmp_path / "out.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


def test_an_overpaid_fee_is_imported_with_a_warning(catalog, db_path, tmp_path, capsys):
    with_dossier(catalog, tmp_path)
    path = str(db_path)  # the command line on the same database file
    rows = [[CODE, "150000", "cash", "2025-01-02 09:00", "BL-1", "", "", ""],
            [CODE, "150000", "cash", "2025-01-02 09:05", "BL-2", "", "", ""]]
    file = str(write_csv(tmp_path / "p.csv", PAY_HEADER, rows))
    assert main.main(["--db", path, "import", "payments", file]) == 0
    out, err = capsys.readouterr()
    assert "thêm mới 2" in out
    assert "Cảnh báo (tệp đã được nhập, nên kiểm tra lại):" in err
    assert (f"Dòng 3: Hồ sơ {CODE} lệ phí 150.000 đ, đã thu 150.000 đ. Ghi thêm 150.000 đ thì "
            "tổng thu là 300.000 đ, vượt 150.000 đ.") in err
    assert main.main(["--db", path, "import", "payments", file]) == 0
    assert "Cảnh báo" not in capsys.readouterr().err  # nothing new written, nothing to warn
