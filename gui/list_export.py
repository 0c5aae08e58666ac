""""Xuất Excel…" of a list on screen: the rows the clerk sees, in the order shown, written as a
readable workbook (core.workbook.lists) in a worker with progress and Cancel."""
from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtWidgets import QPushButton

from core import timefmt
from core.errors import InputError
from core.workbook.lists import ListSpec
from gui import errors, file_dialogs, permissions, widgets

FILTER = "Sổ tính Excel (*.xlsx)"
EXPORTING = "xuất Excel"  # a refusal before the job: titled "Không thể xuất Excel"


def button(text: str = "Xuất Excel…") -> QPushButton:
    """The export button of a list, shown only to the roles that may export (data.export)."""
    widget = QPushButton(text)
    widget.setToolTip("Ghi danh sách đang xem (đúng bộ lọc, thẻ và thứ tự sắp xếp) ra tệp Excel "
                      "để đọc, lọc và in.")
    return permissions.guard(widget, "data.export")


def period_ok(parent, first: dt.date | None, last: dt.date | None) -> bool:
    """False, after saying which days are wrong, when the list's period ends before it starts:
    an export of it would be an empty file titled with the reversed days."""
    from core.periods import order_problem
    if problem := order_problem(first, last):
        errors.show_error(parent, InputError(problem), errors.failure_title(EXPORTING))
        return False
    return True


def default_name(spec: ListSpec, moment: dt.datetime) -> str:
    """'Hồ sơ 30-11-2026 1015.xlsx': what and when, no character a file system refuses."""
    return f"{spec.sheet} {moment:%d-%m-%Y %H%M}.xlsx"


def full_data(parent, spec: ListSpec):
    """None for a list without personal data; else as every export asks (the clerk may cancel:
    False)."""
    from gui.import_export import ask_full_data
    return ask_full_data(parent) if spec.personal else None


def export(parent, db, spec: ListSpec, ids: list[int], scope: str, *,
           moment: dt.datetime | None = None, title: str | None = None):
    """Ask for the file (and for whole phones when the list has them), then write it in a
    worker; returns the worker (tests wait on it), None when nothing was started."""
    from core.workbook import lists
    from gui.worker import run_in_background

    if not permissions.allowed("data.export"):
        return None  # the button is hidden; a shortcut does nothing
    moment = moment or timefmt.now()
    path = file_dialogs.save_path(parent, "Xuất Excel", default_name(spec, moment), FILTER)
    if not path:
        return None
    try:
        full = full_data(parent, spec)
    except InputError as exc:  # a purpose too long: said, nothing exported
        errors.show_error(parent, exc, errors.failure_title(EXPORTING))
        return None
    if full is False:
        return None
    masked = " Số điện thoại đã được che." if spec.personal and not full else ""

    def done(count: int) -> None:
        if not shiboken6.isValid(parent):
            return  # its window was closed meanwhile: the file is written all the same
        widgets.inform(parent, "Đã xuất Excel",
                       f"Đã ghi {timefmt.vn_number(count)} dòng vào {path}.{masked}")

    return run_in_background(
        parent, db.path, f"Đang xuất {timefmt.vn_number(len(ids))} dòng ra Excel…",
        lambda worker_db, progress: lists.export_list(
            worker_db, spec, ids, path, scope, moment=moment, full=full, progress=progress,
            title=title), done, notify=False)
