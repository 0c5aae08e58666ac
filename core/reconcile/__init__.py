"""Reconciliation with the provincial one-stop system (issue 16 §2).

    result = reconcile(db, "xuat_tinh.xlsx", date(2026, 10, 1), date(2026, 10, 31),
                       unit="000.33.27.H37", profile="national", tolerance_minutes=30)
    result.errors            # the file's bad rows (nothing compared), as `import` reports them
    result.only_ours         # in MotCua, missing from the provincial system (per clerk and day)
    result.only_theirs       # in the provincial system, missing from MotCua
    result.differences       # the same dossier, another status/channel/time/payment
    result.pairs             # every match and how it was made
    result.indicators        # core.reconcile.side rows: MotCua | province | province + missing

The provincial file goes through the ordinary import (core.transfer.mapped, with its checks)
into an in-memory database (core.reconcile.scratch); the live database is only read.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from core.errors import InputError, OperationError
from core.indicators import compute, scope_units
from core.reconcile.matching import BY_CODE, Difference, Item, Pair, differences, load_items, match
from core.reconcile.scratch import copy_dossiers, scratch_database
from core.reconcile.side import Row, side_by_side
from core.timefmt import vn_number
from core.transfer.base import RowError
from core.transfer.layout import trailer_note
from core.transfer.mapped import ProvincialSet, import_mapped
from core.transfer.profiles import Profile, get_profile

STEPS = 100  # progress: the import takes the first 70, the comparison the rest
# Citizens' contact columns: nothing is compared or matched on them, and a file MotCua exported
# itself has them masked (0942****06), which the import refuses — so they are never read.
UNREAD = ("applicant_phone", "applicant_address")


@dataclass
class Reconciliation:
    path: str
    date_from: dt.date
    date_to: dt.date
    unit: str | None
    unit_name: str
    profile: str
    tolerance: int
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    stopped_at: int | None = None
    warnings: list[str] = field(default_factory=list)
    trailer: list[int] = field(default_factory=list)  # the file's rows after the data left out
    file_rows: int = 0
    outside: int = 0  # rows of the file received outside the period or the unit
    pairs: list[Pair] = field(default_factory=list)
    only_ours: list[Item] = field(default_factory=list)
    only_theirs: list[Item] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    as_of: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def by_code(self) -> int:
        return sum(1 for p in self.pairs if p.how == BY_CODE)

    @property
    def uncertain(self) -> int:
        """Pairs made without a code while another dossier was within the tolerance too."""
        return sum(1 for p in self.pairs if p.rivals)

    def uncertain_note(self) -> str | None:
        """The sentence every summary (command, window, PDF) shows when some match is a choice
        between candidates rather than a certainty."""
        if not self.uncertain:
            return None
        return (f"{vn_number(self.uncertain)} cặp ghép không chắc chắn (còn hồ sơ khác cùng "
                "thủ tục, chủ hồ sơ trong độ lệch; đã ghép cặp gần nhất): hãy kiểm tra.")

    def trailer_note(self) -> str:
        """The file's rows after the data left out (totals, signatures), named; or ''."""
        return trailer_note(self.trailer, "hồ sơ")

    def refusal_heading(self) -> str:
        """What heads the list of a refused file's errors, in the command and the window alike:
        the file by name, how many errors, and that nothing was compared."""
        from core.transfer.base import ImportResult
        from core.transfer.cli import errors_heading
        shown = ImportResult("dossiers", self.path, errors=self.errors,
                             error_count=self.error_count, stopped_at=self.stopped_at)
        heading = errors_heading(shown).replace("chưa ghi gì vào cơ sở dữ liệu", "chưa đối chiếu")
        return heading.replace("rồi nhập lại", "rồi đối chiếu lại")


def _ticker(progress):
    """The import's progress on the first 70 steps: its first pass does not know the number of
    rows (total 0), so it creeps towards 35 as rows go by; the writing pass fills 35–70."""
    def tick(done: int, total: int):
        if progress is None:
            return True
        share = 35 + 35 * done // total if total else 35 * done // (done + 20000)
        return progress(min(share, 70), STEPS)
    return tick


def _checked(progress, done: int) -> None:
    if progress is not None and progress(done, STEPS) is False:
        raise OperationError("Đã huỷ đối chiếu.")


def reconcile(db: sqlite_utils.Database, path: str | Path, date_from: dt.date, date_to: dt.date,
              unit: str | None = None, profile: str | Profile | None = None,
              tolerance_minutes: int = 30,
              progress=None, opened=None) -> Reconciliation:
    """`opened`: the file opened already (core.transfer.files.open_table), not read again."""
    if date_to < date_from:
        raise InputError("Ngày kết thúc kỳ đối chiếu trước ngày bắt đầu.")
    if not 0 <= tolerance_minutes <= 24 * 60:
        raise InputError("Độ lệch giờ tiếp nhận phải từ 0 đến 1440 phút.")
    units = scope_units(db, unit)
    chosen = profile if isinstance(profile, Profile) else get_profile(db, profile)
    result = Reconciliation(str(path), date_from, date_to, unit, dict(units)[unit] if unit else "",
                            chosen.name, tolerance_minutes)
    temp = scratch_database(db)
    try:
        if not _load_province(temp, path, chosen, result, progress, opened):
            return result
        _compare(db, temp, result, {c for c, _ in units} if unit else None, set(chosen.columns),
                 progress)
    finally:
        temp.close()
    return result


def _compared_only(profile: Profile) -> Profile:
    """The profile without the columns a reconciliation never reads (UNREAD)."""
    columns = {k: v for k, v in profile.columns.items() if k not in UNREAD}
    return Profile(profile.name, columns, profile.builtin, profile.header_row)


def _load_province(temp, path, chosen, result: Reconciliation, progress, opened) -> bool:
    start, end = result.date_from, result.date_to + dt.timedelta(days=1)
    imported = import_mapped(temp, path, _compared_only(chosen), progress=_ticker(progress),
                             kind=ProvincialSet.within(f"{start} 00:00:00", f"{end} 00:00:00"),
                             opened=opened)
    result.errors, result.error_count = imported.errors, imported.error_count
    result.stopped_at, result.warnings = imported.stopped_at, imported.warnings
    result.file_rows = imported.rows
    result.trailer = imported.trailer
    return not imported.errors


def _compare(db, temp, result: Reconciliation, scope: set[str] | None, present: set[str],
             progress) -> None:
    first, last = result.date_from, result.date_to
    ours = load_items(db, first, last, scope)
    theirs = load_items(temp, first, last, scope)
    result.outside = result.file_rows - len(theirs)
    _checked(progress, 75)
    found = match(ours, theirs, dt.timedelta(minutes=result.tolerance))
    result.pairs, result.only_ours, result.only_theirs = found.pairs, found.only_ours, found.only_theirs
    result.differences = differences(found.pairs, "paid_online" in present, "fee" in present)
    _checked(progress, 80)
    mine = compute(db, first, last, result.unit)
    province = compute(temp, first, last, result.unit)
    _checked(progress, 88)
    copy_dossiers(db, temp, [item.id for item in found.only_ours])
    entered = compute(temp, first, last, result.unit)
    result.indicators = side_by_side(mine, province, entered)
    result.as_of = mine["as_of"]
    _checked(progress, STEPS)
