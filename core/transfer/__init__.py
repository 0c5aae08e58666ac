"""Import and export of units, procedures, their components, calendar, dossiers, payments,
votes (spec 7) and complaints (MotCua's own, issue 17).

    result = import_file(db, "dossiers", "hoso.xlsx", dry_run=False, progress=None)
    result.errors   # [RowError(row, column, value, reason)], str() is the Vietnamese line
    result.added, result.updated, result.unchanged, result.written
    export_file(db, "dossiers", "hoso.csv", progress=None)  # -> rows written

Problems with the file itself (missing, not UTF-8, no header, missing columns) raise
core.errors.InputError; a target that cannot be written raises OperationError. `progress(done,
total)` is called as rows go by (total 0 while the first pass counts them); returning False
cancels, and nothing is written.
"""
from __future__ import annotations

from pathlib import Path

import sqlite_utils

from core.errors import InputError
from core.transfer.base import ImportResult, Kind, RowError
from core.transfer.calendar import CalendarDays
from core.transfer.complaints import Complaints
from core.transfer.components import Components
from core.transfer.dossiers import Dossiers
from core.transfer.files import write_table
from core.transfer.importing import Progress, run_import
from core.transfer.payments import Payments
from core.transfer.procedures import Procedures
from core.transfer.units import Units
from core.transfer.votes import Votes

KINDS: dict[str, type[Kind]] = {k.name: k for k in
                                (Units, Procedures, Components, CalendarDays, Dossiers,
                                 Payments, Votes, Complaints)}

__all__ = ["KINDS", "ImportResult", "RowError", "export_file", "import_file", "kind_class"]


def kind_class(kind: str) -> type[Kind]:
    try:
        return KINDS[kind]
    except KeyError:
        raise InputError(f"Loại dữ liệu '{kind}' không hợp lệ; chọn một trong: "
                         + ", ".join(KINDS)) from None


def import_file(db: sqlite_utils.Database, kind: str, path: str | Path, dry_run: bool = False,
                progress: Progress | None = None) -> ImportResult:
    return run_import(db, kind_class(kind), path, dry_run=dry_run, progress=progress)


def export_file(db: sqlite_utils.Database, kind: str, path: str | Path,
                progress: Progress | None = None) -> int:
    """Write every row of `kind` to `path` (.csv or .xlsx); returns the number of rows."""
    exporter = kind_class(kind)(db, set())
    count = exporter.export_count()
    write_table(path, exporter.header, exporter.export_rows(), count, progress, sheet=kind)
    return count
