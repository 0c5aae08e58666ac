"""Reconciliation with the provincial one-stop system (issue 16 §2).

    result = reconcile(db, "xuat_tinh.xlsx", date(2026, 10, 1), date(2026, 10, 31),
                       unit="000.33.27.H37", profile="national", tolerance_minutes=30)
    result.refused           # the file refused whole (not a provincial export): nothing compared
    result.errors            # its bad rows, as `import` reports them: when not refused, the rows
    result.unread_rows       #   left out (how many), the rest compared (`unread_note`)
    result.only_ours         # in MotCua, missing from the provincial system (per clerk and day)
    result.only_theirs       # in the provincial system, missing from MotCua
    result.differences       # the same dossier, another status/channel/time/payment
    result.pairs             # every match and how it was made
    result.indicators        # core.reconcile.side rows: MotCua | province | province + missing

The provincial file goes through the ordinary import (core.transfer.mapped, with its checks)
into an in-memory database (core.reconcile.scratch); the live database is only read. An import
writes all of a file or nothing; a reconciliation only reads, so a row that cannot be read
(a date that is not one, an unknown status…) is left out and listed — row, column, reason —
and every figure says that N rows of the province are missing from it, instead of a leader
with a 5,000-row export getting nothing for one bad row. A file that is not a provincial export
(columns missing, not a table, too big) is refused whole, as before; so is one whose first
errors (core.limits.ERRORS_SHOWN) come before any good row.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from core import timefmt, unit_absent
from core.errors import InputError, OperationError
from core.indicators import compute, scope_units
from core.privacy.masking import PERSONAL_FIELDS
from core.reconcile.carried import missing_carried
from core.reconcile.matching import (
    DIGITISATION,
    TOLERANCE_MINUTES,
    Item,
    counted_unit,
    differences,
    in_scope,
    items_by_code,
    load_items,
    match,
    unit_rule,
)

# the result and its report's words: their home is core.reconcile.report, named here too, where
# the window, the command, the PDF and the workbook have always asked for them
from core.reconcile.report import AGAIN_COMMAND as AGAIN_COMMAND
from core.reconcile.report import AGAIN_WINDOW as AGAIN_WINDOW
from core.reconcile.report import NEAR_HEAD as NEAR_HEAD
from core.reconcile.report import PAIR_HEAD as PAIR_HEAD
from core.reconcile.report import REPORT_TITLE as REPORT_TITLE
from core.reconcile.report import SECTIONS as SECTIONS
from core.reconcile.report import UNREAD_HEAD as UNREAD_HEAD
from core.reconcile.report import Reconciliation
from core.reconcile.report import pairs_in_order as pairs_in_order
from core.reconcile.report import reported_error as reported_error
from core.reconcile.report import reported_name as reported_name
from core.reconcile.scratch import copy_dossiers, scratch_database
from core.reconcile.side import side_by_side
from core.timefmt import parse_db_time
from core.transfer.mapped import import_mapped
from core.transfer.mapped_dossiers import ProvincialSet
from core.transfer.profile_damage import whole
from core.transfer.profiles import Profile, get_profile

STEPS = 100  # progress: the import takes the first 70, the comparison the rest
# The columns a reconciliation never reads: nothing is compared or matched on them, so a value
# MotCua's checks refuse there (an old ID number, an email without its domain, a masked phone of
# a file MotCua exported itself) must not leave the row out of the province's figures. Every
# personal field but the applicant's name (matched on: core.reconcile.matching), and how the
# citizen receives the result.
UNREAD = tuple(f for f in PERSONAL_FIELDS if f != "applicant_name") + ("result_delivery",)


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
              tolerance_minutes: int = TOLERANCE_MINUTES,
              progress=None, opened=None) -> Reconciliation:
    """`opened`: the file opened already (core.transfer.files.open_table), not read again."""
    if date_to < date_from:
        raise InputError("Ngày kết thúc kỳ đối chiếu trước ngày bắt đầu.")
    if not 0 <= tolerance_minutes <= 24 * 60:
        raise InputError("Độ lệch giờ tiếp nhận phải từ 0 đến 1440 phút.")
    units = scope_units(db, unit)
    chosen = profile if isinstance(profile, Profile) else whole(get_profile(db, profile))
    result = Reconciliation(str(path), date_from, date_to, unit, dict(units)[unit] if unit else "",
                            chosen.name, tolerance_minutes)
    result.unit_gone = unit_absent.period_note(db, unit, date_from, date_to)
    scope = {c for c, _ in units} if unit else None
    ours = load_items(db, date_from, date_to, scope)
    temp = scratch_database(db)
    try:
        if not _load_province(temp, path, chosen, result, progress, opened,
                              frozenset(i.code for i in ours) |
                              frozenset(i.original for i in ours if i.original),
                              None if scope is None else frozenset(scope)):
            return result
        _compare(db, temp, result, scope, ours, progress)
        result.warnings[:0] = [w for w in [result.scope_warning() or result.outside_pairs_note()]
                               if w]
    finally:
        temp.close()
    return result


def _compared_only(profile: Profile) -> Profile:
    """The profile without the columns a reconciliation never reads (UNREAD)."""
    columns = {k: v for k, v in profile.columns.items() if k not in UNREAD}
    return Profile(profile.name, columns, profile.builtin, profile.header_row)


def _load_province(temp, path, chosen, result: Reconciliation, progress, opened,
                   ours: frozenset[str], scope: frozenset[str] | None) -> bool:
    """`ours`: the codes of MotCua's dossiers compared, kept whatever their moments there;
    `scope`: the units compared (None: all), outside which a bad row is not listed."""
    start, end = result.date_from, result.date_to + dt.timedelta(days=1)
    kind = ProvincialSet.within(f"{start} 00:00:00", f"{end} 00:00:00", keep=ours, scope=scope)
    imported = import_mapped(temp, path, _compared_only(chosen), progress=_ticker(progress),
                             kind=kind, opened=opened)
    result.errors, result.error_count = imported.errors, imported.error_count
    result.stopped_at, result.warnings = imported.stopped_at, imported.warnings
    result.file_rows = imported.rows
    result.trailer = imported.trailer
    result.refused = not imported.written
    result.unread_rows, result.unread_codes = imported.skipped_rows, imported.skipped_codes
    result.fields = imported.fields
    result.day_only = kind.day_codes or {}
    return imported.written


def issuers(db) -> dict[str, str]:
    """{unit: the unit that issues its documents}: a reception point's or a branch's is the
    unit it belongs to (the nearest one above that is neither), every other unit its own
    (core.report_header.ISSUERS' rule, for matching: core.reconcile.matching.unit_rule)."""
    rows = db.execute("SELECT code, level, parent_code FROM units").fetchall()
    above = {code: (level, parent) for code, level, parent in rows}
    out = {}
    for code in above:
        found, seen = code, {code}
        while above[found][0] in ("reception_point", "branch") and above[found][1] in above \
                and above[found][1] not in seen:
            found = above[found][1]
            seen.add(found)
        out[code] = found
    return out


def _compare(db, temp, result: Reconciliation, scope: set[str] | None, ours: list[Item],
             progress) -> None:
    first, last, present = result.date_from, result.date_to, result.fields
    everything = load_items(temp, first, last, None)
    theirs = [i for i in everything if scope is None or in_scope(i, scope)]
    result.outside = result.file_rows - result.unread_rows - len(theirs)
    _checked(progress, 75)
    # the same code outside the period or the unit on either side: the same dossier
    codes = {i.code for i in ours} | {i.original for i in ours if i.original}
    elsewhere = [i for i in everything if scope is not None and not in_scope(i, scope)]
    elsewhere += items_by_code(temp, codes - {i.code for i in everything})
    found = match(ours, theirs, dt.timedelta(minutes=result.tolerance), elsewhere=elsewhere,
                  ours_elsewhere=items_by_code(db, {i.code for i in theirs} - codes),
                  units=unit_rule(present, issuers(db)))
    result.pairs, result.only_theirs = found.pairs, found.only_theirs
    result.only_ours = [i for i in found.only_ours if i.code not in result.unread_codes]
    result.unread_ours = [i for i in found.only_ours if i.code in result.unread_codes]
    if scope is not None:
        result.elsewhere = sum(1 for i in result.only_ours if counted_unit(i) not in scope)
    units = dict(db.execute("SELECT code, name FROM units").fetchall())
    result.differences = differences(found.pairs, "paid_online" in present, "fee" in present,
                                     units, tuple(name for name in DIGITISATION if name in present),
                                     receiving="unit_code" in present,
                                     resolving="competent_unit_code" in present,
                                     day_only=result.day_only)
    _count_pairs_apart(result, ours, theirs, everything, scope)
    _checked(progress, 80)
    clock = timefmt.now()  # read once: the figures' moment and the document's date
    mine = compute(db, first, last, result.unit, now=clock)
    # a running period: the three columns at MotCua's moment, not each at its own clock reading
    at = parse_db_time(mine["as_of"])
    province = compute(temp, first, last, result.unit, now=at)
    _checked(progress, 88)
    # "entering the missing dossiers": section II's list, not the dossiers of unreadable rows
    # (the province has them; its figures lack them, as unread_note says of every column)
    copy_dossiers(db, temp, [item.id for item in result.only_ours])
    entered = compute(temp, first, last, result.unit, now=at)
    result.indicators = side_by_side(mine, province, entered, present)
    result.carried_missing = missing_carried(db, temp, first, last, result.unit)
    result.as_of, result.issued = mine["as_of"], clock.date()
    _checked(progress, STEPS)


def _count_pairs_apart(result: Reconciliation, ours: list[Item], theirs: list[Item],
                       everything: list[Item], scope: set[str] | None) -> None:
    """The pairs the two sides count apart, for `outside_pairs_note`: the province's row
    outside the period or the unit (scope_warning); its row counted in the unit chosen while
    MotCua counts the dossier for another (a file naming only the receiving unit: walk38's
    000.42 dossier received at 000.41, "+1" unexplained); and MotCua's dossier of the period
    counted in the unit chosen while the province's row, in the period and received here,
    names another resolving unit (review38: a file with MaDonViGiaiQuyet, "-1" unexplained).
    Each side's unit is the one its figures count it at (counted_unit)."""
    counted = {id(i) for i in theirs}
    apart = [p for p in result.pairs if id(p.theirs) not in counted]
    result.paired_outside = len(apart)
    in_period = {id(i) for i in everything}  # (out of the unit only: said as such)
    result.paired_other_unit = sum(1 for p in apart if id(p.theirs) in in_period)
    listed = {id(d.pair) for d in result.differences}
    result.paired_outside_differing = sum(1 for p in apart if id(p) in listed)
    if scope is None:
        return
    here = {id(i) for i in ours}  # MotCua's of the period, received at or for the unit
    result.paired_resolved_elsewhere = sum(
        1 for p in result.pairs if id(p.theirs) in counted
        and counted_unit(p.theirs) in scope and counted_unit(p.ours) not in scope)
    result.paired_resolved_by_other = sum(
        1 for p in result.pairs if id(p.theirs) in counted and id(p.ours) in here
        and counted_unit(p.ours) in scope and counted_unit(p.theirs) not in scope)
