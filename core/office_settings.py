"""Saving the office's settings from the window: each save is one transaction.

Office hours are dated rules (core.rules.set_office_hours with core.recompute.apply_dated);
the policies need no recomputation (every variant is precomputed per dossier, core.facts).
"""
from __future__ import annotations

from core.accounts import require
from core.errors import FieldError
from db import settings
from db.connection import transaction


def save_policies(db, choices: dict[str, str]) -> None:
    """The indicator policies (db.settings.POLICY_CHOICES), all or none."""
    require("settings.edit")
    with transaction(db):
        for key, value in choices.items():
            settings.put(db, key, value)


def save_targets(db, year: int, targets: dict[str, float],
                 targets_766: dict[str, float] | None = None) -> None:
    """The targets of `year` (fractions, e.g. 0.95), and those of the 766 set when given
    (spec 5.1), in one transaction; the other years keep theirs."""
    require("settings.edit")
    with transaction(db):
        for key, values in (("targets", targets), ("targets_766", targets_766)):
            if values is None:
                continue
            per_year = settings.targets_per_year(db, key)
            per_year[str(year)] = {name: round(value, 4) for name, value in values.items()}
            settings.put(db, key, per_year)


def save_header(db, fields: dict[str, str], recipients: list[str]) -> None:
    """The office's report header (every document of the whole office, and of a unit without
    one of its own: core.report_header), and the list of recipients."""
    from core.report_header import checked
    require("settings.edit")
    clean, lines = checked(fields, recipients)  # the same rules as a unit's header
    with transaction(db):
        header = settings.get(db, "report_header")
        header.update(clean)
        header["recipients"] = lines
        settings.put(db, "report_header", header)


IDLE_LOCK_MAX = 240  # minutes; longer than a morning session is no lock at all


def save_idle_lock(db, minutes: int) -> None:
    """Minutes without input before the window locks (0 = never), an administrator's choice."""
    from core import accounts
    accounts.require("settings.edit")
    if not 0 <= int(minutes) <= IDLE_LOCK_MAX:
        raise FieldError("idle_lock_minutes", f"Thời gian tự khoá từ 0 đến {IDLE_LOCK_MAX} phút "
                                              "(0 = không tự khoá).")
    with transaction(db):
        settings.put(db, "idle_lock_minutes", int(minutes))
