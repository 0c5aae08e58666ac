"""The shapes shared by every kind of import file: columns, records, errors, results.

A kind (units, procedures, ...) is a subclass of `Kind` that says which columns it has,
checks a record beyond its cells, looks codes up in the database, writes (or, in a dry run,
only counts) what would change, and lists its rows for export.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlite_utils

from core import limits
from core.privacy.masking import MASK_CHAR, FullData, mask_field
from core.textnorm import MARK, clean_text, has_hidden, hidden_reason, nfc
from core.transfer.cells import CellError, show
from core.transfer.layout import trailer_note
from core.transfer.xlsx_reader import UNCACHED, UNCACHED_REASON
from db import actor as actors
from db.batches import marks as placeholders  # the transfer kinds' name of it

ABSENT = type("Absent", (), {"__repr__": lambda self: "ABSENT", "__bool__": lambda self: False})()
INVALID = type("Invalid", (), {"__repr__": lambda self: "INVALID", "__bool__": lambda self: False})()
# ABSENT: the column is not in the file's header (an update keeps the stored value);
# INVALID: the cell could not be read (already reported; later checks skip it).

MISSING = "thiếu giá trị bắt buộc"
SHOWN_MAX = 80  # an error message quotes at most this much of a bad cell


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[object], object]
    required: bool = False
    # the parser checks control characters itself, on the text it keeps: a person's name is
    # cleaned first (core.transfer.cells.person_name: a vertical tab or a form feed between two
    # words is the space the name rule makes of it, as at the desk)
    cleans: bool = False


@dataclass(frozen=True)
class RowError:
    """One bad cell: row as a spreadsheet shows it (header = row 1), column, value, reason."""

    row: int
    column: str
    value: str
    reason: str
    # MotCua's field the column holds, when `column` is another system's name for it (a
    # mapped import names the file's column): what decides whether `value` is personal data
    field_name: str = ""

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột {self.column}, giá trị '{self.value}': {self.reason}"

    def masked(self) -> RowError:
        """This error where its reader is not the signed-in clerk (a command's stderr, kept in
        logs by scheduled tasks and CI; a report): a personal value (the one list,
        core.privacy.masking.MASK_BY_FIELD: name, authorised person, phone, address, ID number,
        email), known by the field the column holds (`field_name`, else the column: MotCua's
        own name), masked by that field's rule; any other value (a date, a code, a channel, a
        status) whole, the clerk finds the cell by it. A value the mask leaves nothing of
        (a phone of no digit) shows as masked, not as an empty cell; the mark of a refused
        hidden character (core.textnorm.marked) is the break it hid ('Nguyễn�Văn An' kept
        'Nguyễn�Văn' whole as the first word). A value masked already is masked again (an
        export's '0382****28' shows '03****'): a '*' typed into a real value must not let
        it through whole."""
        spaced = self.value.replace(MARK, " ")
        masked = mask_field(self.field_name or self.column, spaced)
        if masked == spaced:  # not personal (a code): whole, its marks kept ('X�Y', not 'X Y')
            return self
        return replace(self, value=masked or (MASK_CHAR * 3 if self.value else ""))


@dataclass
class ImportResult:
    kind: str
    path: str
    dry_run: bool = False
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first ERRORS_SHOWN, by row
    error_count: int = 0  # errors found (more than listed when the file has many)
    stopped_at: int | None = None  # the last row checked when checking stopped at the cap
    # rows left out with their errors by a kind that reads what it can (Kind.skips_bad_rows:
    # the reconciliation's), the others written; 0 for every import into the office's data
    skipped_rows: int = 0
    skipped_codes: set[str] = field(default_factory=set)  # the codes those rows carried, if read
    written: bool = False
    warnings: list[str] = field(default_factory=list)  # written anyway, worth a look
    notes: list[str] = field(default_factory=list)  # what the import did beyond its rows
    trailer: list[int] = field(default_factory=list)  # rows after the data left out (totals…)
    # the fields the file's header held (a mapped file: by the profile; core.transfer.mapped)
    fields: set[str] = field(default_factory=set)
    # a provincial file's rows that are likely dossiers MotCua holds under another code
    # (core.reconcile.duplicates: pairs of MotCua's dossier and the row), their rows by code,
    # what the clerk chose for them (None: not yet, and then nothing is written)
    duplicates: list = field(default_factory=list)
    duplicate_rows: dict[str, int] = field(default_factory=dict)
    duplicates_chosen: str | None = None

    @property
    def awaits_choice(self) -> bool:
        """Nothing written: likely duplicates wait for the clerk's choice (skip or import)."""
        return bool(self.duplicates) and self.duplicates_chosen is None and not self.dry_run

    @property
    def ok(self) -> bool:
        return not self.errors

    def trailer_note(self) -> str:
        """"Bỏ qua 4 dòng cuối không phải hồ sơ …: dòng 1.238–1.241", or ''."""
        return trailer_note(self.trailer, "hồ sơ" if self.kind == "dossiers" else "dữ liệu")

    def add(self, counts: Counter) -> None:
        self.added += counts["added"]
        self.updated += counts["updated"]
        self.unchanged += counts["unchanged"]


class FileCells(dict):
    """A row's cells after a translator turned them into MotCua's forms (core.transfer.mapped:
    the portal's codes and words, its yyyyMMddHHmmss times and Excel serial days), with the
    cells as the file holds them (`written`, by field). An error shows the value as written:
    a clerk looks for '20261204164003' in the provincial file, not for MotCua's stored
    '2026-12-04 16:40:03', which no cell of it holds."""

    # the row's status is the national code alone (no TrangThaiMotCua): a stored status the
    # code also covers stays (core.transfer.portal_cells.kept_status)
    national_status = False

    def __init__(self, cells: dict[str, object], written: dict[str, object]):
        super().__init__(cells)
        self.written = written

    def shown(self, column: str) -> object:
        """The cell of `column` as the file wrote it (a column the file lacks: as made)."""
        return self.written.get(column, self.get(column))


class Record(dict):
    """The parsed cells of one data row, with its row number and raw cells for messages."""

    def __init__(self, row: int, raw: dict[str, object]):
        super().__init__()
        self.row = row
        self.raw = raw
        self.errors: list[RowError] = []
        self.shifted = False  # a CSV row its delimiter shifted: its only error says so
        # its status is the national code alone (FileCells.national_status, kept once raw goes)
        self.national_status = isinstance(raw, FileCells) and raw.national_status

    def error(self, column: str, reason: str, value: object = None) -> None:
        if value is not None:
            shown = str(value)
        else:
            raw = self.raw
            shown = show(raw.shown(column) if isinstance(raw, FileCells) else raw.get(column))
        shown = shown if len(shown) <= SHOWN_MAX else shown[:SHOWN_MAX - 1] + "…"
        self.errors.append(RowError(self.row, column, shown, reason))

    def has(self, *columns: str) -> bool:
        """True when every column holds a usable value (present, valid, not empty)."""
        for column in columns:
            value = self.get(column)
            if value is None or value is ABSENT or value is INVALID:
                return False
        return True

    def value(self, column: str, default=None):
        """The cell's value, or `default` when it is empty, unreadable or its column is absent."""
        value = self.get(column)
        return default if value is None or value is ABSENT or value is INVALID else value


def parse_record(columns: Sequence[Column], present: set[str], row: int,
                 raw: dict[str, object]) -> Record:
    record = Record(row, raw)
    for column in columns:
        name = column.name
        if name not in present:
            record[name] = ABSENT
            continue
        try:
            cell = raw.get(name)
            if cell is UNCACHED:
                raise CellError(UNCACHED_REASON)
            if type(cell) is str and not column.cleans:  # every kind, every text: one rule
                if has_hidden(cell):
                    cell = entered(cell)
                elif not cell.isascii():
                    cell = nfc(cell)
            value = column.parse(cell)
        except CellError as exc:
            record[name] = INVALID
            record.error(name, exc.reason)
            continue
        if value is None and column.required:
            record.error(name, MISSING)
        record[name] = value
    return record


def entered(cell: str) -> str:
    """A text cell as the import reads it (core.textnorm, the rule of every entry): a bidi or
    control character refused (CellError, the row and column named by the caller), the invisible
    characters that mean nothing removed, NFC. A column that `cleans` (a person's name) is left
    to its parser (core.transfer.cells.person_name: a zero-width space there may be a word
    break, a tab a space), which judges the name as cleaned by the same rule."""
    if reason := limits.control_reason(cell) or hidden_reason(cell):
        raise CellError(reason)
    return clean_text(cell)


def merged(record: Record, old: dict | None, defaults: Mapping[str, object]) -> dict[str, object]:
    """The values to store: the file's, the stored ones for absent columns, else defaults."""
    out = {}
    for name, default in defaults.items():
        value = record.get(name, ABSENT)
        if value is ABSENT:
            value = old[name] if old is not None else default
        elif value is None and name in defaults and default is not None:
            value = default  # an empty cell takes the column's default (spec 7: fee 0 …)
        out[name] = value
    return out


class Kind:
    """One kind of file. Subclasses fill in the class attributes and the hooks."""

    name = ""
    label = ""                         # Vietnamese, for messages: "đơn vị", "hồ sơ" …
    columns: tuple[Column, ...] = ()   # spec 7, in order: the export header
    extra_columns: tuple[Column, ...] = ()  # read when present, written after the spec ones
    # the setting_changes area an import of this kind is logged under ("": its rows say who)
    area = ""
    # False: one bad row and nothing is written (every import into the office's data). True:
    # the rows without an error are written and the bad ones left out, listed (a
    # reconciliation's scratch copy of the provincial file: it only reads); a file none of
    # whose first ERRORS_SHOWN errors come after a good row is still refused whole.
    skips_bad_rows = False

    def __init__(self, db: sqlite_utils.Database, present: set[str], source: str = ""):
        self.db = db
        self.present = present
        self.source = source  # the file's name, for events
        self.warnings: list[str] = []  # Vietnamese lines about rows written anyway
        self.notes: list[str] = []  # Vietnamese lines about what the import did (a kept fee)
        self.actor = actors.login()  # who imports: the rows' actor columns, once per file
        self.full: FullData | None = None  # an export's pass: personal data unmasked
        self.selection: Any = None  # an export's rows (dossiers: dossier_export.Selection)
        self.skipped_codes: set[str] = set()  # codes of the rows left out (skips_bad_rows)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.extra_columns

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.all_columns]

    # ----- checks (pass 1) ---------------------------------------------------------------
    def check_row(self, record: Record) -> None:
        """Checks across the cells of one row and against earlier rows of the file."""

    def check_chunk(self, records: list[Record]) -> None:
        """Checks that look codes up in the database, a chunk at a time."""

    def finish(self) -> list[RowError]:
        """Checks that need the whole file (references to later rows, cycles)."""
        return []

    def withhold(self, result: ImportResult) -> frozenset[str] | None:
        """After every row is checked, before any is written: the codes of rows not to write
        (a choice the clerk made), or None when nothing may be written until the clerk chooses
        (core.transfer.mapped: likely duplicates of dossiers held under another code)."""
        return frozenset()

    def counts_bad(self, record: Record) -> bool:
        """Whether a bad row left out (`skips_bad_rows`) is listed and counted as missing from
        what was read: a kind reading part of a file says False for a row that, by what can be
        read of it, lies outside that part (core.transfer.mapped.ProvincialSet)."""
        return True

    # ----- writing (pass 2) --------------------------------------------------------------
    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        raise NotImplementedError

    def after(self, conn) -> None:
        """Work after every row is written, inside the same transaction."""

    # ----- export ------------------------------------------------------------------------
    def export_count(self) -> int:
        raise NotImplementedError

    def export_rows(self) -> Iterator[list]:
        raise NotImplementedError


def unchanged(old: dict, new: dict, exact: frozenset[str] = frozenset()) -> bool:
    return not changed_fields(old, new, exact)


def changed_fields(old: dict, new: dict, exact: frozenset[str] = frozenset()) -> list[str]:
    """The names whose values differ (blank text and None are the same; 3 and 3.0 too). A
    field in `exact` whose two values are texts differs by any character: its cell is cleaned
    before it is compared (a unit's name, core.transfer.cells.printed_text), so a stored value
    differing only by what cleaning removes (spaces at its ends, an older version's) is
    written cleaned rather than kept; the same file again then finds them equal."""
    out = []
    for name, value in new.items():
        before = old.get(name)
        if before != value and (name in exact and isinstance(before, str)
                                and isinstance(value, str) or not _same(before, value)):
            out.append(name)
    return out


def _same(a, b) -> bool:
    if isinstance(a, str):
        a = a.strip() or None
    if isinstance(b, str):
        b = b.strip() or None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def changes(conn, table: str, key: str, fields: dict, records: list,
            exact: frozenset[str] = frozenset()) -> tuple[list, Counter]:
    """Compare records with the stored rows of `table` (by `key`; `exact`: changed_fields').

    Returns (record, before, new) for each record that adds or changes a row, and the counts of
    added, updated and unchanged rows; re-importing the same file thus writes nothing.
    """
    keys = [r[key] for r in records]
    old = {row[0]: dict(zip(fields, row[1:], strict=True)) for row in conn.execute(
        f"SELECT {key}, {', '.join(fields)} FROM {table} WHERE {key} IN ({placeholders(keys)})",
        keys)}
    counts: Counter = Counter()
    out = []
    for record in records:
        before = old.get(record[key])
        new = merged(record, before, fields)
        if before is not None and unchanged(before, new, exact):
            counts["unchanged"] += 1
            continue
        counts["updated" if before is not None else "added"] += 1
        out.append((record, before, new))
    return out, counts
