"""Importing a dossier file of another system through a column-mapping profile.

The file is seen through `MappedTable`: its columns renamed to MotCua's fields as the profile
says, the national portal's codes — or the words the provincial systems write in their place
("Được tiếp nhận", "Bưu chính công ích") — turned into MotCua's (TrangThaiHoSo 1–10,
KenhThucHien 1/2/3) and its date forms (yyyyMMddHHmmss, Excel serial numbers) into ours. Everything else is the
ordinary dossier import (core.transfer.importing, core.transfer.dossiers): the same checks,
the whole file checked first, nothing written on any error. Errors name the file's own column
("Dòng 7, cột NgayTiepNhan (Ngày tiếp nhận), …").

Rows with status 1 (Mới đăng ký) or 3 (Không được tiếp nhận), as a code or as the word, are not
received dossiers (spec 3: a dossier refused at the desk gets no code), so they are left out and
counted in a warning.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from core.accounts import require
from core.errors import InputError
from core.transfer.base import FileCells, ImportResult
from core.transfer.cells import (
    text,
)
from core.transfer.files import Table, open_table, seen_as
from core.transfer.importing import Progress, refuse_repeated, run_import
from core.transfer.mapped_dossiers import KEPT_OUT, UNPAID_COLUMN, MappedDossiers, ProvincialSet
from core.transfer.portal_cells import (
    CHANNEL_BY_CODE,
    CODE_BY_STATUS,
    NOT_RECEIVED,
    STATUS_BY_CODE,
    join_time,
    portal_channel,
    portal_status,
    portal_time,
    unit_of,
)
from core.transfer.profiles import (
    FIELDS,
    REQUIRED,
    TIME_FIELDS,
    TIME_OF_DAY,
    Profile,
    column_label,
    field_label,
    found_in,
    profile_words,
    refuse_shared,
)

DERIVED_UNIT = "Mã đơn vị tiếp nhận (lấy từ mã hồ sơ)"



class MissingColumns(InputError):
    """The file lacks a required field's column under the profile used (the reconcile command
    names the saved profiles then: core.reconcile.cli)."""

class MappedTable(Table):
    """A file seen with MotCua's field names, through a profile."""

    def __init__(self, table: Table, profile: Profile, default_unit: str | None = None):
        super().__init__(table.path, [], table.header_row, table.delimiter, table.formulas)
        self.source = table
        self.profile = profile
        self.default_unit = default_unit
        refuse_shared(profile.columns)
        header = set(table.header)
        found = {name: found_in(column, header) for name, column in profile.columns.items()}
        self.sources = {name: key for name, key in found.items() if key is not None}
        self._check_required()
        refuse_repeated(table, self.sources.values())
        self.header = [name for name in FIELDS if name in self.sources
                       and name != "motcua_status" and name not in TIME_OF_DAY]
        self.derived_unit = "unit_code" not in self.sources
        if self.derived_unit:
            self.header.append("unit_code")
        self.skipped: Counter = Counter()
        # the rows whose status MotCua's own column gave (TrangThaiMotCua filled): file_words
        self.own_status: set[int] = set()

    @property
    def origin(self) -> Table:
        return self.source

    def _check_required(self) -> None:
        # the file has no such column: the field in Vietnamese, the profile's name in brackets
        missing = [field_label(f, self.profile.columns.get(f) or FIELDS[f])
                   for f in REQUIRED if f not in self.sources]
        if missing:
            shown = ", ".join(self.source.shown_columns())[:300]
            raise MissingColumns(f"Tệp {self.path.name} thiếu cột: {', '.join(missing)} (theo "
                             f"{profile_words(self.profile.name)}). Các cột của tệp (dòng "
                             f"{self.source.header_row}): {shown}. Hãy chọn lại cột cho từng "
                             f"trường.{self.source.search_note()}")

    def label(self, name: str) -> str:
        """How a message names a field's column: as the file spells it when the file has it
        (a profile saved lower-cased, or spelt otherwise, names it as the file does), with
        the field's meaning; else as the profile names it."""
        if name in self.sources:
            return column_label(self.source.spelt(self.sources[name]), name)
        return self.profile.label(name)

    def rows(self):
        skipped: Counter = Counter()
        times = [(t, day) for t, day in TIME_OF_DAY.items() if t in self.sources]
        for number, raw in self.source.rows():
            cells = {name: raw.get(column) for name, column in self.sources.items()}
            for t, day in times:  # the date and the time of day from two columns, one moment
                joined, written = join_time(cells.get(day), cells.pop(t), self.label(t))
                cells[day] = joined
                if written is not None:
                    cells[f"{day}:written"] = written
            status = portal_status(cells.get("status"))
            own = text(cells.get("motcua_status"))
            if status in NOT_RECEIVED and not own:
                skipped[status] += 1
                continue
            if own:
                self.own_status.add(number)
            written = {k.partition(":")[0]: v for k, v in cells.items()
                       if k.endswith(":written")}
            if own:  # the status is MotCua's own column's: a refusal shows that cell
                written["status"] = own
            cells = {k: v for k, v in cells.items() if not k.endswith(":written")}
            found = FileCells(self.translate(dict(cells)), cells | written)
            found.national_status = not own and status in STATUS_BY_CODE
            yield number, found
        self.skipped = skipped
        self.trailer = self.source.trailer

    def translate(self, cells: dict) -> dict:
        """One row's cells in MotCua's words (unknown values go on, to be refused by name)."""
        own = text(cells.pop("motcua_status", None))
        status = portal_status(cells.get("status"))
        cells["status"] = own or STATUS_BY_CODE.get(status or "", cells.get("status"))
        channel = portal_channel(cells.get("channel"))
        cells["channel"] = CHANNEL_BY_CODE.get(channel or "", cells.get("channel"))
        for name in TIME_FIELDS:
            if name in cells:
                cells[name] = portal_time(cells[name])
        if self.derived_unit:
            cells["unit_code"] = self.default_unit or unit_of(text(cells.get("code")))
        return cells


def open_mapped(path: str | Path, profile: Profile, default_unit: str | None = None,
                table: Table | None = None) -> MappedTable:
    """The file through `profile`; `table`: opened already (not read again)."""
    found = open_table(path, profile.expected(), profile.header_row) if table is None else \
        seen_as(table, profile.expected(), profile.header_row)
    return MappedTable(found, profile, default_unit)


def import_mapped(db: sqlite_utils.Database, path: str | Path, profile: Profile,
                  dry_run: bool = False, progress: Progress | None = None,
                  default_unit: str | None = None,
                  kind: type[MappedDossiers] = MappedDossiers,
                  opened: Table | None = None, duplicates: str | None = None,
                  keep_open: bool = False) -> ImportResult:
    """Import a dossier file through `profile` (`kind`: ProvincialSet for the scratch
    database of a reconciliation, which any role may build; into the office's own data only
    `data.import`). `duplicates`: what to do with the rows likely to be dossiers MotCua holds
    under another code (core.reconcile.duplicates: SKIP, IMPORT; None: write nothing while
    there are any, `ImportResult.awaits_choice`). `keep_open`: `opened` is left open for the
    caller to run again and close (the window's question between the two runs: the rows an
    .xlsx gave are read from those kept, core.transfer.xlsx_reader.XlsxRows, not parsed again)."""
    if not issubclass(kind, ProvincialSet):
        require("data.import")
    table = open_mapped(path, profile, default_unit, opened)
    if kind.finds_duplicates:
        kind = kind.choosing(duplicates, set(table.sources))
    try:
        result = run_import(db, kind, path, dry_run=dry_run, progress=progress, table=table)
    finally:
        if not keep_open:
            table.source.close()  # the rows kept of an .xlsx (core.transfer.xlsx_reader.XlsxRows)
    result.errors = [replace(e, column=_label(table, _status_column(table, e)),
                             field_name=e.column, reason=file_words(table, e.reason, e.row))
                     for e in result.errors]
    paid = f"cột {_label(table, 'paid_online')}"
    # a warning names a column as the file does ('cột NgayTiepNhan (Ngày tiếp nhận)')
    result.warnings = [file_words(table, w.replace(UNPAID_COLUMN, paid))
                       for w in result.warnings]
    _skipped_warning(result, table)
    result.fields = set(table.sources)
    return result


def file_words(table: MappedTable, reason: str, row: int | None = None) -> str:
    """A reason naming a cell by MotCua's field ('(received_at là …)', 'không được có
    finished_at') names it as the file does ('(NgayTiepNhan (Ngày tiếp nhận) là …)'): a
    leader reading the provincial system's export has no column received_at. A status the
    file wrote as the portal's code is named by it ('4'), not by MotCua's ('processing'),
    unless the row's status came from MotCua's own status column (TrangThaiMotCua: its words
    are ours). Decided by the row (`row`): MotCua's own export has the column, empty on a row a
    clerk changed in the province's status, and "trạng thái 'processing'" named a word the
    row does not hold (round 18)."""
    # 'status', 'code': words of a sentence; a field whose values are left out is named by
    # its warning ('representative', KEPT_OUT)
    fields = [f for f in table.sources if "_" in f or f in KEPT_OUT]
    if fields:
        reason = re.sub(r"\b(" + "|".join(map(re.escape, fields)) + r")\b",
                        lambda m: _label(table, m.group(1)), reason)
    if "motcua_status" not in table.sources or row not in table.own_status:
        reason = _QUOTED_STATUS.sub(lambda m: f"'{CODE_BY_STATUS[m.group(1)]}'", reason)
    return reason


_QUOTED_STATUS = re.compile("'(" + "|".join(CODE_BY_STATUS) + ")'")


def _status_column(table: MappedTable, error) -> str:
    """A row's status read from MotCua's own status column (TrangThaiMotCua) is refused there,
    not at the portal's code beside it, which may well be right."""
    if error.column == "status" and error.row in table.own_status:
        return "motcua_status"
    return error.column


def _label(table: MappedTable, column: str) -> str:
    if column == "unit_code" and table.derived_unit:
        return DERIVED_UNIT
    if column == "paid_online" or column in table.sources:
        return table.label(column)
    return column


def _skipped_warning(result: ImportResult, table: MappedTable) -> None:
    for code, count in sorted(table.skipped.items()):
        result.warnings.append(f"Bỏ qua {count} dòng trạng thái {code} ({NOT_RECEIVED[code]}): "
                               "hồ sơ chưa được tiếp nhận.")


