"""Báo cáo's "Xuất Excel Biểu 06" and "Xuất Excel 766": the printable form workbooks of the
period and unit the screen shows (core.workbook.bieu06, core.workbook.i766), built in a worker
with its progress dialog. Core checks the right again (core.accounts.require "report.print")."""
from __future__ import annotations

from pathlib import Path

from core import periods
from core.errors import InputError
from gui import errors, file_dialogs, widgets
from gui.worker import run_in_background

TITLE = "Xuất Excel"
# kind -> (what it is, the file name's stem, what the progress dialog says)
KINDS = {"bieu06": ("Biểu 06/VPCP/KSTT", "bieu-06", "Đang lập Biểu 06…"),
         "i766": ("bảng chỉ số 766", "chi-so-766", "Đang lập bảng chỉ số 766…")}


def file_name(kind: str, period: periods.Period) -> str:
    """'bieu-06-2026-10.xlsx' for a calendar month, else 'bieu-06-20261015-20261114.xlsx'."""
    stem = KINDS[kind][1]
    if period.kind() == "month":
        return f"{stem}-{period.start:%Y-%m}.xlsx"
    return f"{stem}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def export_form(parent, db_path: str | None, kind: str, period: periods.Period,
                unit: str | None, by: str = "unit"):
    """Ask where to save, then write the workbook in a worker; returns the worker (or None when
    the clerk cancelled the file dialog)."""
    what, _, busy = KINDS[kind]
    try:  # said before the file is asked for, not after
        periods.require_order(period.start, period.end)
    except InputError as exc:
        errors.show_error(parent, exc, errors.failure_title(busy))
        return None
    chosen = file_dialogs.save_path(parent, f"Lưu {what}", file_name(kind, period),
                                    "Bảng tính Excel (*.xlsx)")
    if not chosen:
        return None
    target = Path(chosen)

    def build(db, progress) -> Path:  # Cancel stops it between units and rows: no file
        if kind == "bieu06":
            from core.workbook.bieu06 import save_bieu06
            return save_bieu06(db, target, period.start, period.end, unit, by, progress)
        from core.workbook.i766 import save_i766
        return save_i766(db, target, period.start, period.end, unit, progress)

    return run_in_background(parent, db_path, busy, build,
                             lambda path: widgets.inform(parent, TITLE,
                                                         f"Đã lưu {what} {period.phrase()} "
                                                         f"vào tệp {path}."),
                             notify=False)
