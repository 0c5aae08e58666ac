"""Settings stored as JSON values in the `settings` table, with the product's defaults.

Rules as data: office hours, targets per year, policies and the report header live here so an
office can change them without a new version.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import sqlite_utils

from db import actor, stored_json
from db.connection import transaction
from db.errors import DatabaseDamagedError

DEFAULT_TARGETS = {"on_time": 0.90, "online_full": 0.70, "online_payment": 0.45,
                   "satisfaction": 0.95}

# The second set (spec 5.1, Decision 766): its own targets, dated by year like the first.
DEFAULT_TARGETS_766 = {"on_time": 0.90, "online": 0.50, "online_payment": 0.45,
                       "e_result": 0.90, "digitised": 0.80, "satisfaction": 0.90}

DEFAULTS: dict[str, Any] = {
    "office_hours": [["07:00", "11:30"], ["13:30", "17:00"]],
    "office_hours_dated": None,          # [{"valid_from", "hours"}] once hours change (core.rules)
    "same_day_cutoff": "15:00",
    "supplement_policy": "pause",        # pause | restart (spec 2.3)
    "due_basis": "original",             # original | extended
    "online_denominator": "eligible",    # eligible | all
    "targets": {},                       # {"2025": {"on_time": 0.9, ...}} overrides per year
    "targets_766": {},                   # the same for the 766 set (DEFAULT_TARGETS_766)
    # A new office's header is empty until the first start asks for it (core.office_setup):
    # no district exists since 1/7/2025, so no unit's header is a safe default.
    "report_header": {
        "parent_agency": "",
        "agency": "",
        "office": "BỘ PHẬN MỘT CỬA",
        "place": "",
        "doc_symbol": "BC-UBND",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "",
        "recipients": [],  # the documents add "- Lưu: VT." (core.report_header.FILED)
    },
    "kpi_stale": 0,
    # The revision of the time rules (core.due.RULES_REVISION) the stored due times and facts
    # were computed by; a file without it predates revision 2 (core.facts.rules_current).
    "rules_revision": 1,
    # The window locks after this many idle minutes (0: never); a clerk unlocks with the
    # password or the PIN (spec 10).
    "idle_lock_minutes": 10,
    # Personal data of a dossier returned this many years ago is anonymised, once the
    # administrator enters the period of the office's Danh mục hồ sơ and confirms: 10 is a
    # placeholder, not a legal figure (core.privacy.retention.BASIS_VI, docs/privacy.md §3).
    "retention_years": 10,
    "retention_enabled": False,
}

POLICY_CHOICES = {
    "supplement_policy": ("pause", "restart"),
    "due_basis": ("original", "extended"),
    "online_denominator": ("eligible", "all"),
}


def get(db: sqlite_utils.Database, key: str) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if row is None:
        return copy.deepcopy(DEFAULTS.get(key))
    try:
        return stored_json.loads(row[0])
    except (TypeError, ValueError):
        # Edited by SQL into what json cannot read (malformed, nested past Python's limit). Never
        # read as the default: a setting read so is written back whole at the next change (the
        # targets of every other year, the dated office hours) or acted on (the retention's
        # years, before personal data is wiped). The file is damaged: said, never used.
        raise damaged(db, key) from None


def damaged(db: sqlite_utils.Database, key: str, what: str = "thiết lập") -> DatabaseDamagedError:
    """The error of a setting json cannot read, or one read but not of the shape MotCua writes
    (a number where a mapping is kept, edited in by SQL): the file named, and the setting (or
    `what` else the settings' tables keep: a sign-off, core.signoff)."""
    return DatabaseDamagedError(_file_of(db), [f"{what} «{key}» không đọc được"])


def _file_of(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else ""


# Settings the program keeps for itself, not choices of the office: not worth a log row each.
UNLOGGED = frozenset({"kpi_stale", "rules_revision"})


def log_change(conn, area: str, key: str, old: str | None, new: str | None,
               at: str | None = None) -> None:
    """Record who changed what (spec 10): settings, catalogue, calendar, units, accounts.
    Call inside the transaction that makes the change; `at` (default now): the moment the
    change takes effect, when the change itself depends on it (core.fees)."""
    conn.execute("INSERT INTO setting_changes(at, actor, area, key, old_value, new_value) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 [at or dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"), actor.login(), area,
                  key, old, new])


def put(db: sqlite_utils.Database, key: str, value: Any) -> None:
    if key in POLICY_CHOICES and value not in POLICY_CHOICES[key]:
        raise ValueError(f"Giá trị không hợp lệ cho {key}: {value!r}")
    new = json.dumps(value, ensure_ascii=False)
    with transaction(db) as conn:
        if key not in UNLOGGED:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
            if row is None or row[0] != new:
                log_change(conn, "settings", key, row[0] if row else None, new)
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     [key, new])


def targets_per_year(db: sqlite_utils.Database, key: str) -> dict[str, dict[str, float]]:
    """The setting `key` ("targets" or "targets_766"): {"2025": {"on_time": 0.9, …}, …}.
    Anything else is damage (a number, a list, a year «năm», a target in words): the figures
    are weighed against it and a year saved writes the others back whole."""
    per_year = get(db, key)
    if per_year is None:
        return {}
    if not isinstance(per_year, dict) or not all(
            _is_year(year) and _are_targets(targets) for year, targets in per_year.items()):
        raise damaged(db, key)
    return per_year


def _is_year(text: object) -> bool:
    return isinstance(text, str) and text.isdigit() and str(int(text)) == text


def _are_targets(targets: object) -> bool:
    """{name: rate} with every rate a number (True is no rate, though Python counts it one)."""
    return isinstance(targets, dict) and all(
        isinstance(name, str) and isinstance(rate, (int, float)) and not isinstance(rate, bool)
        for name, rate in targets.items())


def targets_for_year(db: sqlite_utils.Database, year: int) -> dict[str, float]:
    """The targets in force for `year`: the latest year entry not after it, else the defaults."""
    return _in_force(targets_per_year(db, "targets"), DEFAULT_TARGETS, year)


def targets_766_for_year(db: sqlite_utils.Database, year: int) -> dict[str, float]:
    """The 766 targets in force for `year` (spec 5.1), as targets_for_year."""
    return _in_force(targets_per_year(db, "targets_766"), DEFAULT_TARGETS_766, year)


def _in_force(per_year: dict[str, dict[str, float]], defaults: dict[str, float],
              year: int) -> dict[str, float]:
    chosen = dict(defaults)
    for y in sorted(int(k) for k in per_year):
        if y <= year:
            chosen.update(per_year[str(y)])
    return chosen


def policy(db: sqlite_utils.Database) -> dict[str, str]:
    return {"supplement": get(db, "supplement_policy"), "due_basis": get(db, "due_basis"),
            "online_denominator": get(db, "online_denominator")}
