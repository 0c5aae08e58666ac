"""The import pipeline (spec 7): check the whole file, then write all of it or nothing.

Pass 1 streams the file and collects every bad cell. Only when there is none does pass 2
stream it again and write inside one transaction (or, in a dry run, only count what would
change). Nothing of a file with a bad row ever reaches the database.

One exception, for a kind that only reads (`Kind.skips_bad_rows`: the reconciliation's scratch
copy of the provincial file): its good rows are written and its bad rows left out, each listed
with its errors (`ImportResult.skipped_rows`), unless no good row came before the first
ERRORS_SHOWN errors (then the file is refused whole, as any import).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import islice
from pathlib import Path

import sqlite_utils
from openpyxl.utils import get_column_letter

from core import limits
from core.errors import InputError, OperationError
from core.timefmt import vn_number
from core.transfer.base import MISSING, ImportResult, Kind, Record, RowError, parse_record
from core.transfer.files import Table, open_table
from core.transfer.layout import Expected
from core.transfer.shifted import hidden_shift
from db.connection import transaction
from db.settings import log_change

CHUNK = 1000
KEEP_ROWS = 20000  # files up to this size are read once; bigger ones are streamed twice
Progress = Callable[[int, int], object]


def chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def refuse_repeated(table: Table, used) -> None:
    """Refuse a header naming twice a column the import reads: which of the two holds the value
    would be a guess (a row keeps the last). Repeated columns nobody reads do not matter."""
    used = set(used)
    seen: dict[str, int] = {}
    twice: dict[str, list[int]] = {}
    for index, name in enumerate(table.header):
        if name in used:
            if name in seen:
                twice.setdefault(name, [seen[name]]).append(index)
            seen.setdefault(name, index)
    if twice:
        shown = "; ".join(f"{_title(table, where[0])} (cột "
                          + ", ".join(get_column_letter(i + 1) for i in where) + ")"
                          for where in twice.values())
        raise InputError(f"Tệp {table.path.name}: dòng tiêu đề (dòng {table.header_row}) có cột "
                         f"lặp lại: {shown}. Hãy xoá hoặc đổi tên cột thừa.")


def _title(table: Table, index: int) -> str:
    return table.titles[index] if index < len(table.titles) else table.header[index]


def check_header(kind: Kind, table: Table) -> None:
    """Refuse a file whose header lacks required columns or names one twice."""
    names = [n for n in table.header if n]
    refuse_repeated(table, kind.header)
    missing = [c.name for c in kind.columns if c.required and c.name not in names]
    if missing:
        expected = ", ".join(c.name + ("*" if c.required else "") for c in kind.columns)
        raise InputError(f"Tệp {table.path.name} thiếu cột bắt buộc: {', '.join(missing)}. "
                         f"Dòng tiêu đề (dòng {table.header_row}) của tệp {kind.label} cần các "
                         f"cột: {expected} (* là bắt buộc).{table.search_note()}")


def expected_columns(kind_class: type[Kind]) -> Expected:
    """The names a kind's header row must carry (its required columns) and all it reads."""
    columns = kind_class.columns + kind_class.extra_columns
    return Expected(tuple(c.name for c in columns if c.required), tuple(c.name for c in columns))


def _records(kind: Kind, table: Table) -> Iterator[Record]:
    """The rows parsed; a kind that lists its bad rows gets a CSV row shifted by an unquoted
    delimiter (core.transfer.shifted.shifted_reason) as a bad row of that one error, not what
    each misread cell then looked like, and always listed (its cells may put it anywhere).
    Every other import refuses the whole file on it (Table.rows)."""
    present = set(table.header)
    shifted = table.origin.shifted = {} if kind.skips_bad_rows else None
    for row, raw in table.rows():
        record = parse_record(kind.all_columns, present, row, raw)
        if shifted and row in shifted:
            column, reason = shifted.pop(row)  # noted for this row only: let go once read
            record.shifted, record.errors = True, []
            record.error(column, reason, "")  # its value not shown: a part of a name, perhaps
        elif record.errors and table.origin is table:  # a mapped file's cells are translated
            _say_hidden_shift(kind, table, raw, record)
        yield record


def _say_hidden_shift(kind: Kind, table: Table, raw: dict, record: Record) -> None:
    """The first type error of a CSV row shifted but no wider than the header gets the shift's
    hint (core.transfer.shifted.hidden_shift); the others stay as they are."""
    columns = {column.name: column for column in kind.all_columns}

    def passes(name: str, cell: object) -> bool:
        column = columns.get(name)
        return column is not None and not [e for e in parse_record(
            [column], {name}, record.row, {name: cell}).errors if e.reason != MISSING]
    failed = {e.column for e in record.errors if e.reason != MISSING}
    found = hidden_shift(table, raw, failed, passes)
    if found is not None:
        at = next(i for i, e in enumerate(record.errors) if e.column == found[0])
        error = record.errors[at]
        record.errors[at] = replace(error, reason=f"{error.reason} — {found[1]}")


class Errors:
    """The first ERRORS_SHOWN errors in row order, and how many were found.

    Checking stops once that many are found (`stopped_at`, the last row checked): a file of a
    million bad rows is refused in seconds with the rows to fix first, instead of minutes.
    """

    def __init__(self, kind: Kind):
        self.kind = kind
        self.shown: list[RowError] = []
        self.count = 0
        self.bad_rows = 0  # rows with at least one error
        # bad rows of a kind that skips them, outside what it reads (Kind.counts_bad): left
        # out like the others, but neither listed nor counted
        self.ignored = 0
        self.stopped_at: int | None = None

    @property
    def full(self) -> bool:
        return self.count >= limits.ERRORS_SHOWN

    def add(self, errors: list[RowError]) -> None:
        if not errors:
            return
        self.count += len(errors)
        full = len(self.shown) >= limits.ERRORS_SHOWN
        if full and min(e.row for e in errors) > self.shown[-1].row:
            return  # rows come in order: later errors are only counted
        self.shown = self._sorted(self.shown + errors)[:limits.ERRORS_SHOWN]

    def _sorted(self, errors: list[RowError]) -> list[RowError]:
        header = self.kind.header
        return sorted(errors, key=lambda e: (e.row, header.index(e.column) if e.column in header else 99))


def check_file(kind: Kind, table: Table,
               progress: Progress | None) -> tuple[int, Errors, list[Record] | None]:
    """Pass 1: every row checked, every problem counted, the first ERRORS_SHOWN kept.

    Returns (rows, errors, the checked records when the file is small enough to keep).
    """
    errors = Errors(kind)
    kept: list[Record] | None = []
    rows = 0
    for batch in chunks(_records(kind, table)):
        failed = _check(kind, batch)
        counted = [r for r in failed if _counted(kind, r)]
        errors.add([error for record in counted for error in record.errors])
        bad = len(failed)
        errors.bad_rows += len(counted)
        errors.ignored += bad - len(counted)
        if counted and kind.skips_bad_rows:  # which dossiers the rows left out were, if readable
            kind.skipped_codes.update(code for r in counted
                                      if isinstance(code := r.get("code"), str))
        for record in batch:
            record.raw = {}  # the raw cells were kept for messages only
        rows += len(batch)
        _check_rows(table, rows)
        if errors.full and (not kind.skips_bad_rows
                            or errors.bad_rows + errors.ignored == rows):
            errors.stopped_at = batch[-1].row
            return rows, errors, None
        if kept is not None and rows <= KEEP_ROWS:
            kept.extend([r for r in batch if not r.errors] if bad else batch)
        else:
            kept = None
        _report(progress, rows, 0)
    errors.add(kind.finish())
    return rows, errors, kept


def _counted(kind: Kind, record: Record) -> bool:
    """A bad row listed and counted: every one, except those a kind that skips bad rows says
    lie outside what it reads (Kind.counts_bad)."""
    return not kind.skips_bad_rows or record.shifted or kind.counts_bad(record)


def _check_rows(table: Table, rows: int) -> None:
    if rows > limits.ROWS_MAX:
        raise InputError(f"Tệp {table.path.name} có hơn {vn_number(limits.ROWS_MAX)} dòng dữ "
                         "liệu, vượt giới hạn một lần nhập; chưa ghi gì. Hãy chia tệp thành "
                         "nhiều tệp nhỏ hơn.")


def _check(kind: Kind, batch: list[Record]) -> list[Record]:
    """A chunk checked as both passes check it (one rule): each row, then the rows together
    (duplicates within the file, look-ups in one query); the rows that failed."""
    for record in batch:
        if not record.shifted:
            kind.check_row(record)
    kind.check_chunk([record for record in batch if not record.shifted])
    return [record for record in batch if record.errors]


def _checked_again(kind: Kind, table: Table, bad_rows: int = 0) -> Iterator[list[Record]]:
    """The file streamed a second time, each chunk checked again (it may have changed); a kind
    that skips bad rows leaves out as many as pass 1 found (`bad_rows`, those it counts), no
    other."""
    seen_bad = 0
    for batch in chunks(_records(kind, table)):
        failed = _check(kind, batch)
        seen_bad += sum(1 for record in failed if _counted(kind, record))
        if seen_bad > bad_rows:
            raise _changed(table)
        yield [r for r in batch if not r.errors] if failed else batch
    if seen_bad != bad_rows:
        raise _changed(table)


def _changed(table: Table) -> InputError:
    return InputError(f"Tệp {table.path.name} đã thay đổi trong lúc nhập; chưa ghi gì. "
                      "Hãy nhập lại.")


def write_file(kind: Kind, batches: Iterable[list[Record]], rows: int, write: bool,
               progress: Progress | None) -> Counter:
    """Pass 2: upsert every row (or only count, when not `write`)."""
    counts: Counter = Counter()
    done = 0
    for batch in batches:
        counts += kind.apply_chunk(kind.db.conn, batch, write)
        done += len(batch)
        _report(progress, done, rows)
    return counts


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise OperationError("Đã huỷ nhập tệp; không có gì được ghi.")


def run_import(db: sqlite_utils.Database, kind_class: type[Kind], path: str | Path,
               dry_run: bool = False, progress: Progress | None = None,
               table: Table | None = None) -> ImportResult:
    """`table`: the file already opened, or seen through a column mapping
    (core.transfer.mapped); by default the file is opened with the spec's column names."""
    if table is None:
        table = open_table(path, expected_columns(kind_class))
        try:
            return run_import(db, kind_class, path, dry_run, progress, table)
        finally:
            table.close()  # the rows kept of an .xlsx (core.transfer.xlsx_reader.XlsxRows)
    result = ImportResult(kind_class.name, str(path), dry_run=dry_run)
    kind = kind_class(db, set(table.header), Path(path).name)
    check_header(kind, table)
    result.rows, errors, kept = check_file(kind, table, progress)
    result.errors, result.error_count = errors.shown, errors.count
    result.stopped_at = errors.stopped_at
    result.trailer = list(table.trailer)
    if result.errors and (not kind.skips_bad_rows or errors.stopped_at is not None
                          or errors.bad_rows + errors.ignored == result.rows):
        return result
    result.skipped_rows, result.skipped_codes = errors.bad_rows, kind.skipped_codes
    left_out = kind.withhold(result)
    if left_out is None:  # a choice to make before anything is written
        result.warnings, result.notes = kind.warnings, kind.notes
        return result
    if kept is not None:
        batches: Iterable[list[Record]] = chunks(kept)
    else:  # a fresh checker: pass 1 left its memory of codes seen in the file
        kind = kind_class(db, set(table.header), Path(path).name)
        batches = _checked_again(kind, table, errors.bad_rows)
    if left_out:
        batches = ([r for r in batch if r.value("code") not in left_out] for batch in batches)
    if dry_run:
        result.add(write_file(kind, batches, result.rows, False, progress))
        result.warnings, result.notes = kind.warnings, kind.notes
        return result
    with transaction(db) as conn:
        result.add(write_file(kind, batches, result.rows, True, progress))
        kind.after(conn)
        if kind.area:  # a catalogue or calendar import: who changed it (spec 10)
            log_change(conn, kind.area, f"nhập tệp {Path(path).name}", None,
                       f"thêm {result.added}, cập nhật {result.updated}")
        # asked once more just before the COMMIT (the command line's Ctrl+C, core.stopping):
        # `after`'s work (the figures recomputed) may be long, and asks nothing
        _report(progress, result.rows, result.rows)
    result.written = True
    result.warnings, result.notes = kind.warnings, kind.notes
    return result
