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

from core.accounts import require
from core.errors import InputError
from core.privacy import access
from core.privacy.masking import FullData
from core.transfer.base import ImportResult, Kind, RowError
from core.transfer.calendar import CalendarDays
from core.transfer.complaints import Complaints
from core.transfer.components import Components
from core.transfer.dossiers import Dossiers
from core.transfer.files import Table, seen_as, write_table
from core.transfer.importing import Progress, expected_columns, run_import
from core.transfer.payments import Payments
from core.transfer.procedures import Procedures
from core.transfer.units import Units
from core.transfer.votes import Votes

KINDS: dict[str, type[Kind]] = {k.name: k for k in
                                (Units, Procedures, Components, CalendarDays, Dossiers,
                                 Payments, Votes, Complaints)}

# Kinds whose rows name citizens: their export is written in the access log.
PERSONAL_KINDS = ("dossiers",)

__all__ = ["KINDS", "ImportResult", "RowError", "export_file", "import_file", "kind_class"]


def kind_class(kind: str) -> type[Kind]:
    try:
        return KINDS[kind]
    except KeyError:
        raise InputError(f"Loại dữ liệu '{kind}' không hợp lệ; chọn một trong: "
                         + ", ".join(KINDS)) from None


def import_file(db: sqlite_utils.Database, kind: str, path: str | Path, dry_run: bool = False,
                progress: Progress | None = None, table: Table | None = None) -> ImportResult:
    """`table`: the file opened already (core.transfer.files.open_table, the command line's
    check before any database), seen here with the kind's columns: not read again."""
    require("data.import")  # a dry run too: it reads the database to say what would change
    found = kind_class(kind)
    if table is not None:
        table = seen_as(table, expected_columns(found))
    return run_import(db, found, path, dry_run=dry_run, progress=progress, table=table)


def export_file(db: sqlite_utils.Database, kind: str, path: str | Path,
                progress: Progress | None = None, full: FullData | None = None,
                chosen=None) -> int:
    """Write every row of `kind` to `path` (.csv or .xlsx); returns the number of rows.

    Dossiers carry personal data: their phones are masked unless `full` (a pass of
    core.privacy.masking.full_data, stating a purpose), and the export is logged."""
    require("data.export")
    exporter = kind_class(kind)(db, set())
    exporter.full = full
    if chosen is not None:  # dossiers of a period and a unit (core.transfer.dossier_export)
        exporter.selection = chosen
    count = exporter.export_count()
    write_table(path, exporter.header, exporter.export_rows(), count, progress, sheet=kind)
    if kind in PERSONAL_KINDS:
        access.record(db, "export.dossiers", purpose=full.purpose if full else None,
                      details={"rows": count, "full": full is not None, "kind": kind,
                               "file": Path(path).name})
    return count
