"""`export dossiers --profile NAME`: MotCua's dossiers under another system's column names.

With the built-in national profile the file carries the national portal's names and codes
(MaHoSo, MaTTHC, TenTTHC, KenhThucHien 1/2/3, TrangThaiHoSo 1–10, times yyyyMMddHHmmss), so
dossiers received offline can be entered or uploaded later; MotCua's own additions (receiving
and competent unit, waits, TrangThaiMotCua for a refusal after appraisal, which the national
list has no code of) make the same file import back unchanged.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from core.accounts import require
from core.privacy import access, masking
from core.privacy.masking import FullData
from core.transfer.dossier_export import Selection, dossier_count, dossier_rows
from core.transfer.files import write_table
from core.transfer.importing import Progress
from core.transfer.portal_cells import (
    CODE_BY_CHANNEL,
    CODE_BY_STATUS,
    PAID_ONLINE_SQL,
    national_time,
)
from core.transfer.profiles import FIELDS, TIME_FIELDS, TIME_OF_DAY, Profile

# The positions of dossier_export.dossier_rows' columns.
ROW = ("code", "unit_code", "procedure_code", "applicant_name", "applicant_phone",
       "applicant_address", "channel", "received_at", "status", "due_at", "finished_at",
       "returned_at", "supplement_requested_at", "supplement_completed_at", "extended_due_at",
       "fee", "e_result", "competent_unit_code", "supplement_waits", "applicant_id_no",
       "applicant_email", "representative", "result_delivery", "digitised", "result_digitised")


# {code: every submitted document digitised} of the dossiers with a document list: the list
# decides 766's 4.2, not the dossier's own flag, which it leaves empty (core.moment's rule)
DOCUMENTS_SQL = """
SELECT d.code, MIN(c.digitised) FROM dossier_components c JOIN dossiers d ON d.id = c.dossier_id
WHERE c.received = 1 GROUP BY c.dossier_id
"""


def _values(row: list, names: dict, paid: set[str], full: FullData | None,
            documents: dict[str, int] | None = None) -> dict:
    values = dict(zip(ROW, row, strict=True))
    if documents and values["code"] in documents:  # DaSoHoaThanhPhan as the figures read it
        values["digitised"] = documents[values["code"]]
    for name in masking.EXPORT_MASKED:
        values[name] = masking.exported(name, values[name], full)
    status = values["status"]
    values["motcua_status"] = status if status == "rejected" else None
    values["status"] = CODE_BY_STATUS[status]
    values["channel"] = CODE_BY_CHANNEL[values["channel"]]
    for name in TIME_FIELDS:
        values[name] = national_time(values[name])
    values["procedure_name"] = names.get(values["procedure_code"])
    values["paid_online"] = 1 if values["code"] in paid else 0
    return values


def profile_rows(db: sqlite_utils.Database, fields: list[str],
                 full: FullData | None = None,
                 chosen: Selection | None = None) -> Iterator[list]:
    names = dict(db.execute("SELECT code, name FROM procedures").fetchall())
    paid = {r[0] for r in db.execute(PAID_ONLINE_SQL)}
    documents = dict(db.execute(DOCUMENTS_SQL).fetchall()) if "digitised" in fields else {}
    split = [(t, day) for t, day in TIME_OF_DAY.items() if t in fields]
    for row in dossier_rows(db, chosen):
        values = _values(row, names, paid, full, documents)
        for t, day in split:  # a profile reading the time from a column of its own
            moment = values[day]
            values[day] = moment[:8] if moment else None
            values[t] = f"{moment[8:10]}:{moment[10:12]}:{moment[12:14]}" if moment else None
        yield [values.get(name) for name in fields]


def title_rows(profile: Profile) -> list[list[str]]:
    """The rows above the header when `profile` names its header row: a title, then blank
    rows, so that the file imports again through the same profile (its header was written on
    row 1, where the profile looked for it on row 4 and found a dossier)."""
    if not profile.header_row or profile.header_row == 1:
        return []
    title = [f"DANH SÁCH HỒ SƠ (MotCua, theo mẫu cột '{profile.name}')"]
    return [title] + [[] for _ in range(profile.header_row - 2)]


def export_profile(db: sqlite_utils.Database, path: str | Path, profile: Profile,
                   progress: Progress | None = None, full: FullData | None = None,
                   chosen: Selection | None = None) -> int:
    """Every dossier (of `chosen`: a period, a unit) under `profile`'s column names; returns
    the number of rows. Phones are masked unless `full` (a stated purpose), and the export is
    logged, as `export dossiers`."""
    require("data.export")
    fields = [name for name in FIELDS if profile.source(name)]
    header = [profile.columns[name] for name in fields]
    count = dossier_count(db, chosen)
    write_table(path, header, profile_rows(db, fields, full, chosen), count, progress,
                sheet="HoSo", above=title_rows(profile))
    access.record(db, "export.dossiers", purpose=full.purpose if full else None,
                  details={"rows": count, "full": full is not None, "kind": "dossiers",
                           "file": Path(path).name})
    return count
