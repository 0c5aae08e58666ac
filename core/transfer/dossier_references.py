"""A dossier row's references, checked by the dossier import (core.transfer.dossiers): its unit,
its competent unit and its procedure in the catalogue, and each unit in existence (spec 7
valid_from/valid_to) on the reception day — a held dossier keeping what it has.

(Split from core.transfer.dossiers, which reads and checks the rest of the row.)
"""
from __future__ import annotations

import datetime as dt
import re

import sqlite_utils

from core.moment import unit_absent_reason
from core.transfer.base import ABSENT, Record

_SHORT_NATIONAL_CODE = re.compile(r"([0-9])\.([0-9]{1,5})")


def national_procedure_code(code: str) -> str | None:
    """A national procedure code (1.001612: a digit, a point, six digits) whose last zeros a
    spreadsheet dropped: 2.000720 opened in Excel is the number 2.00072, in the cell and in a
    CSV saved again. The code it stands for, or None when `code` has no such form; used only
    when the code as written is not in the catalogue and this one is."""
    match = _SHORT_NATIONAL_CODE.fullmatch(code)
    return f"{match.group(1)}.{match.group(2).ljust(6, '0')}" if match else None


class References:
    """The catalogue a dossier row names, read once per import, and its checks (a mixin of
    core.transfer.dossiers.Dossiers)."""

    db: sqlite_utils.Database

    def load_references(self, db: sqlite_utils.Database) -> None:
        self.units = {r[0] for r in db.execute("SELECT code FROM units")}
        # the units with a life of dates (spec 7 valid_from/valid_to): name, from, to
        self.dated: dict[str, tuple[str, str | None, str | None]] = {
            r[0]: (r[1], r[2], r[3]) for r in db.execute(
            "SELECT code, name, valid_from, valid_to FROM units "
            "WHERE valid_from IS NOT NULL OR valid_to IS NOT NULL")}
        self.procedures = {r[0] for r in db.execute("SELECT code FROM procedures")}

    def _check_references(self, record: Record) -> None:
        unit, procedure = record.value("unit_code"), record.value("procedure_code")
        if unit is not None and unit not in self.units:
            record.error("unit_code", f"không có đơn vị mã '{unit}' trong cơ sở dữ liệu "
                                      "(hãy nhập danh mục đơn vị trước)")
        competent = record.value("competent_unit_code")
        if competent is not None and competent not in self.units:
            record.error("competent_unit_code", f"không có đơn vị giải quyết mã '{competent}' "
                         "trong cơ sở dữ liệu (hãy nhập danh mục đơn vị trước)")
        for column, code, what in (("unit_code", unit, "đơn vị"),
                                   ("competent_unit_code", competent, "đơn vị giải quyết")):
            self._check_existence(record, column, code, what)
        if procedure is not None and procedure not in self.procedures:
            padded = national_procedure_code(procedure)
            if padded in self.procedures:
                record["procedure_code"] = padded
                return
            record.error("procedure_code", f"không có thủ tục mã '{procedure}' trong cơ sở dữ liệu "
                                           "(hãy nhập danh mục thủ tục trước)")

    def _check_existence(self, record: Record, column: str, code: str | None, what: str) -> None:
        """A new dossier at a unit not in existence on its reception day is refused as at the desk
        (core.moment.unit_absent_reason); a held one keeps what it has, but a row moving it out of its
        units' lives (at received_at for a kept competent unit) is refused (core.dossier_checks.check_reception)."""
        role = column
        if column == "competent_unit_code" and record.get(column) is ABSENT and self.dated:
            row = self.db.execute("SELECT competent_unit_code FROM dossiers WHERE code = ?",
                                  [record.value("code")]).fetchone()
            column, code = "received_at", row and row[0]  # kept as held (DossierWriter)
        if code not in self.dated or not record.has("received_at"):
            return
        day = str(record["received_at"])[:10]
        name, valid_from, valid_to = self.dated[code]
        if not (reason := unit_absent_reason(name, valid_from, valid_to, dt.date.fromisoformat(day))):
            return
        held = self.db.execute("SELECT substr(received_at, 1, 10), unit_code, COALESCE(competent_unit_code, "
                               "unit_code) FROM dossiers WHERE code = ?", [record.value("code")]).fetchone()
        if held is None or (held[0], held[2 if role == "competent_unit_code" else 1]) != (day, code):
            record.error(column, f"{what} {reason}")
