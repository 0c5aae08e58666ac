"""A provincial export without the columns some figures need (vendors differ: CacLanBoSung,
NgayHenTraMoi, ThanhToanTrucTuyen, KetQuaDienTu): the province's side of those figures is
counted as if the file said "none", so each such figure is marked (**) and explained, in the
command (stdout and stderr), the PDF, the workbook (the window: tests/gui/reconciliation),
by one rule (core.reconcile.side.missing_columns)."""
from __future__ import annotations

import datetime as dt

import pytest

from core.reconcile import reconcile
from core.reconcile.cli import command
from core.reconcile.side import PARTIAL_MARK
from core.transfer import import_file
from db import settings
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, _args
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 1, 31)
CODE = "XTD-250106-0003"


@pytest.fixture
def office(catalog, tmp_path):
    """One dossier that waited two working days for a supplement: on time with the wait
    (due Thu 09/01 08:00 moved to Mon 13/01 08:00), late without it (finished Fri 10/01)."""
    row = dossier_row(CODE, received_at="2025-01-06 08:00", finished_at="2025-01-10 10:00",
                      returned_at="2025-01-10 15:00",
                      supplement_requested_at="2025-01-07 08:00",
                      supplement_completed_at="2025-01-09 08:00")
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER,
                                                      [row])).ok
    return catalog


def _province(tmp_path, extra: dict[str, str]):
    base = {"MaHoSo": CODE, "MaTTHC": "1.001612", "TenTTHC": "Đăng ký khai sinh",
            "KenhThucHien": "2", "ChuHoSo": "Nguyễn Văn An", "NgayTiepNhan": "20250106080000",
            "NgayHenTra": "", "NgayKetThucXuLy": "20250110100000", "NgayTra": "20250110150000",
            "TrangThaiHoSo": "10", "ThanhToanTrucTuyen": "0"}
    header = PROVINCE_HEADER + list(extra)
    return write_csv(tmp_path / "tinh.csv", header, [[{**base, **extra}[c] for c in header]])


def _rows(result) -> dict:
    return {row.key: row for row in result.indicators}


def test_without_the_supplement_column_the_time_figures_are_marked(office, tmp_path):
    result = reconcile(office, _province(tmp_path, {}), FIRST, LAST)
    rows = _rows(result)
    late = rows["resolved.late"]
    assert [c.num for c in late.cells] == [0, 1, 1]  # the wait the file does not carry
    assert late.texts == ["0", f"1 {PARTIAL_MARK}", f"1 {PARTIAL_MARK}"]
    for key in ("in_progress.overdue", "06:on_time", "766:on_time"):
        assert rows[key].texts[0] == rows[key].cells[0].text  # MotCua's own: never marked
        assert all(t.endswith(PARTIAL_MARK) for t in rows[key].texts[1:]), key
    assert rows["06:online_full"].texts[1].endswith(PARTIAL_MARK)  # no KetQuaDienTu either
    for key in ("received.total", "resolved.total", "766:digitised"):
        assert not any(PARTIAL_MARK in t for t in rows[key].texts), key
    # no PhiLePhi: each dossier takes its procedure's fee, an exempted one counts (round 20)
    for key in ("06:online_payment", "766:online_payment"):
        assert all(t.endswith(PARTIAL_MARK) for t in rows[key].texts[1:]), key
    note = result.missing_note()
    assert note is not None and note.startswith(PARTIAL_MARK)
    assert "CacLanBoSung (các lần bổ sung)" in note and "KetQuaDienTu" in note
    assert "PhiLePhi (phí, lệ phí)" in note and "không hồ sơ nào được miễn, giảm" in note
    assert "NgayHenTraMoi" not in note  # the figures use the original due time
    assert "không so sánh được" in note


def test_the_extension_column_matters_when_the_figures_use_the_extended_due(office, tmp_path):
    settings.put(office, "due_basis", "extended")
    full = {"CacLanBoSung": "2025-01-07 08:00:00>2025-01-09 08:00:00", "KetQuaDienTu": "1",
            "PhiLePhi": ""}
    result = reconcile(office, _province(tmp_path, full), FIRST, LAST)
    rows = _rows(result)
    assert [c.num for c in rows["resolved.late"].cells] == [0, 0, 0]  # the wait read
    assert rows["resolved.late"].texts[1] == f"0 {PARTIAL_MARK}"
    assert not rows["766:on_time"].missing  # 766 always counts the original due time
    assert not rows["06:online_full"].missing
    note = result.missing_note()
    assert note is not None and "NgayHenTraMoi" in note and "CacLanBoSung" not in note
    settings.put(office, "due_basis", "original")
    again = reconcile(office, _province(tmp_path, full), FIRST, LAST)
    assert again.missing_note() is None
    assert not any(PARTIAL_MARK in t for row in again.indicators for t in row.texts)


def test_the_command_the_pdf_and_the_workbook_say_it(office, tmp_path, db_path, capsys):
    from openpyxl import load_workbook

    from tests.pdfread import pdf_text
    path = _province(tmp_path, {})
    office.close()
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    assert command(_args(db_path, path, out=str(pdf))) == 0
    captured = capsys.readouterr()
    assert "Lưu ý: (**) Tệp xuất của hệ thống tỉnh không có cột CacLanBoSung" in captured.err
    assert f"Giải quyết đúng hạn: 100,00% (1/1) | 0,00% (0/1) {PARTIAL_MARK}" in captured.out
    assert "(**) Tệp xuất của hệ thống tỉnh không có cột CacLanBoSung" in captured.out
    text = " ".join(pdf_text(pdf).split())
    assert f"0,00% (0/1) {PARTIAL_MARK}" in text
    assert "không có cột CacLanBoSung (các lần bổ sung)" in text
    assert command(_args(db_path, path, out=str(book))) == 0
    sheet = [list(r) for r in load_workbook(book, read_only=True)["Chỉ tiêu"].values]
    late = next(r for r in sheet if len(r) > 8 and isinstance(r[1], str) and r[1].endswith("quá hạn")
                and r[1].startswith("Hồ sơ giải quyết"))
    assert late[3:9] == [0, None, 1, PARTIAL_MARK, 1, PARTIAL_MARK]
    assert any(r and isinstance(r[0], str) and r[0].startswith("(**) Tệp xuất") for r in sheet)
