"""A leader's sign-off of a period's figures (issue 15 §1: the leader reads, prints and signs).

Signing records who approved the figures of a period and unit, when, and the fingerprint of the
event history at that moment (spec 10), in the append-only `setting_changes` (area "signoff").
The monthly report of that period then prints the sign-off under the fingerprint, and says so
when the data changed after it: a leader sees at once whether the paper on the desk still shows
what was approved. The figures can also move with no event at all — a holiday added to the
calendar, a policy or a target changed, a procedure's rule dated back — so the sign-off keeps a
digest of the figures approved (`figures_digest`) and the report compares it too.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import sqlite_utils

from core import accounts, timefmt
from core.errors import InputError
from core.maintenance.audit import chain_head
from db import stored_json
from db.connection import transaction
from db.settings import damaged, log_change, targets_766_for_year

AREA = "signoff"
# A record MotCua writes is under 150 characters (its moment, two digests): a longer one is none
# of its own, and nothing past this is read (a text of megabytes put by SQL, in `check` too).
RECORD_MAX = 1000


@dataclass(frozen=True)
class SignOff:
    at: dt.datetime
    login: str
    name: str
    fingerprint: str   # '' when the history had no event yet
    figures: str = ""  # figures_digest of the figures approved ('' for a sign-off before it)


def _key(first: dt.date, last: dt.date, unit: str | None) -> str:
    return f"{first.isoformat()}..{last.isoformat()}:{unit or '*'}"


def figures_digest(doc: dict, targets_766: dict[str, float]) -> str:
    """A short digest of a spec-8 document's figures (every unit's by its code, and the total,
    with what meets its target) and of the targets the report weighs them against (spec 8's,
    and the 766 ones of `targets_766`, whose verdicts and gaps the report prints: a target
    changed moves the paper though no figure does), not of the moment it was computed at, nor
    of the units' names: a unit renamed (no event) did not change the figures approved."""
    units = [{key: value for key, value in unit.items() if key != "name"} for unit in doc["units"]]
    text = json.dumps({"units": units, "total": doc["total"], "targets": doc["targets"],
                       "targets_766": targets_766}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_fingerprint(db: sqlite_utils.Database) -> str:
    top = chain_head(db)
    return top.fingerprint if top else ""


def _check_scope(db: sqlite_utils.Database, first: dt.date, last: dt.date, unit: str | None,
                 today: dt.date) -> None:
    """An approval prints under the report of that period: one of a period not yet begun (or
    turned round, or of a unit not in the catalogue) would vouch for figures nobody saw."""
    if first > last:
        raise InputError(f"Ngày bắt đầu {timefmt.vn_date(first)} sau ngày kết thúc "
                         f"{timefmt.vn_date(last)}.")
    if first > today:
        raise InputError(f"Kỳ từ {timefmt.vn_date(first)} chưa bắt đầu (hôm nay "
                         f"{timefmt.vn_date(today)}): chưa có số liệu để duyệt.")
    if unit is not None and not db.execute("SELECT 1 FROM units WHERE code = ?",
                                           [unit]).fetchone():
        raise InputError(f"Đơn vị {unit!r} không có trong danh mục.")


def sign_off(db: sqlite_utils.Database, first: dt.date, last: dt.date, unit: str | None,
             at: dt.datetime | None = None) -> SignOff:
    """Record that the signed-in leader approves the figures of [first, last] for `unit`."""
    from core.indicators import compute  # the figures the report prints (spec 8)

    who = accounts.require("report.sign")
    at = (at or timefmt.now()).replace(microsecond=0)
    _check_scope(db, first, last, unit, at.date())
    with transaction(db) as conn:
        fingerprint = current_fingerprint(db)
        # the figures of the moment recorded (spec 2.3): the engine reading the clock again, a
        # dossier falling due in between was approved overdue at a moment it was not
        figures = figures_digest(compute(db, first, last, unit, now=at),
                                 targets_766_for_year(db, last.year))
        log_change(conn, AREA, _key(first, last, unit), None,
                   json.dumps({"at": timefmt.to_db_time(at), "fingerprint": fingerprint,
                               "figures": figures}, ensure_ascii=False))
    return SignOff(at, who.login, accounts.display_name(db, who.login), fingerprint, figures)


def latest(db: sqlite_utils.Database, first: dt.date, last: dt.date,
           unit: str | None) -> SignOff | None:
    """The last sign-off of exactly this period and unit, or None."""
    row = db.execute("SELECT actor, new_value FROM setting_changes WHERE area = ? AND key = ? "
                     "ORDER BY id DESC LIMIT 1", [AREA, _key(first, last, unit)]).fetchone()
    if row is None:
        return None
    read = recorded(row[1])
    if read is None:
        # edited by SQL (a number, no moment): a report must neither print an approval nobody
        # gave nor hide one given; the file is damaged, the sign-off named
        raise damaged(db, _key(first, last, unit), "bản ghi duyệt số liệu")
    at, fingerprint, figures = read
    return SignOff(at, row[0], accounts.display_name(db, row[0]), fingerprint, figures)


def recorded(text) -> tuple[dt.datetime, str, str] | None:
    """(moment, fingerprint, figures digest) of a stored sign-off record, None when it is of a
    shape MotCua never writes (the one reading of a report and of `check`)."""
    try:
        if len(text) > RECORD_MAX:
            return None
        value = stored_json.loads(text)
        at = dt.datetime.fromisoformat(value["at"])
        fingerprint, figures = value.get("fingerprint", ""), value.get("figures", "")
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    if not isinstance(fingerprint, str) or not isinstance(figures, str):
        return None
    return at, fingerprint, figures


def last_records(conn):
    """(key, record's text cut after RECORD_MAX + 1 characters) of every period and unit's last
    sign-off, the one its report reads, by key: a cursor, for `check`."""
    return conn.execute(
        "SELECT c.key, substr(c.new_value, 1, ?) FROM setting_changes c "
        "JOIN (SELECT max(id) AS id FROM setting_changes WHERE area = ? GROUP BY key) last "
        "ON last.id = c.id ORDER BY c.key", [RECORD_MAX + 1, AREA])


def scope_of(key: str) -> tuple[dt.date, dt.date, str | None] | None:
    """(first day, last day, unit or None for all) of a record's key (`_key`), None when the
    key is of another shape."""
    period, colon, unit = key.rpartition(":")
    first, dots, last = period.partition("..")
    try:
        scope = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        return None
    return (*scope, None if unit == "*" else unit) if colon and dots and unit else None


def footer_line(db: sqlite_utils.Database, first: dt.date, last: dt.date,
                unit: str | None, doc: dict | None = None) -> str:
    """'Đã duyệt: Hoàng Thị Mai lúc 09:12 30/11/2026 (dấu 3F2A-…)' for the report's footer,
    with a warning when the history moved on since, or when the figures of `doc` (the
    report's, spec 8) are not those approved; '' when nobody signed."""
    signed = latest(db, first, last, unit)
    if signed is None:
        return ""
    line = (f"Đã duyệt: {signed.name} lúc {timefmt.vn_datetime(signed.at)}"
            f" (dấu {signed.fingerprint or 'chưa có sự kiện'})")
    if signed.fingerprint != current_fingerprint(db):
        line += " — dữ liệu đã thay đổi sau khi duyệt"
    elif doc is not None and signed.figures and \
            signed.figures != figures_digest(doc, targets_766_for_year(db, last.year)):
        # no event moved: a calendar day, a policy, a target or a procedure's dated rule did
        line += " — số liệu đã khác lúc duyệt"
    return line
