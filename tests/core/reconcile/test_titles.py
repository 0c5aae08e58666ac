"""Reconciling a provincial export as vendors write it: title lines above the header, totals
and a signature block below the data (issue 16 §1)."""
from __future__ import annotations

from core.reconcile import reconcile
from core.reconcile.cli import command
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    _args,
    office,
    province_rows,
)
from tests.core.transfer.test_titles import export_rows, write_export


def test_reconcile_a_titled_export_like_a_plain_one(office, tmp_path):  # noqa: F811
    rows = province_rows()
    rows[0][PROVINCE_HEADER.index("NgayTiepNhan")] = "32/01/2025 08:00"
    bad = write_export(tmp_path / "loi.xlsx", export_rows(PROVINCE_HEADER, rows))
    refused = reconcile(office, bad, FIRST, LAST)
    assert [e.row for e in refused.errors] == [6]  # the sheet's row: titles and header above
    path = write_export(tmp_path / "tinh.xlsx", export_rows(PROVINCE_HEADER, province_rows()))
    result = reconcile(office, path, FIRST, LAST)
    assert result.ok and result.file_rows == 5
    assert [i.code for i in result.only_ours] == ["XTD-250102-0002"]
    assert [i.code for i in result.only_theirs] == ["XTD-250108-0009"]
    assert result.trailer == [12, 13, 14, 15, 17]
    assert "dòng 12–15, 17" in result.trailer_note()


def test_the_command_says_which_rows_it_left_out(office, db_path, tmp_path,  # noqa: F811
                                                 capsys):
    path = write_export(tmp_path / "tinh.csv", export_rows(PROVINCE_HEADER, province_rows()))
    office.close()
    assert command(_args(db_path, path)) == 0
    out = capsys.readouterr().out
    assert "Có trên hệ thống tỉnh, thiếu trong MotCua: 1" in out
    assert ("Lưu ý: Bỏ qua 5 dòng cuối không phải hồ sơ (tổng cộng, chữ ký…): dòng 12–15, 17."
            in out)
