"""The dossiers carried over from before the period that the provincial file does not hold.

A provincial export of one month lists the dossiers received in that month: the dossiers MotCua
carries over (received earlier, not closed when the period began, spec 5) are not in it, so the
province's columns count none of them while MotCua's "received" (and the resolved and open
dossiers among them) do. The side-by-side table then showed MotCua 152 beside "Tỉnh khi nhập
đủ" 134 and nothing to enter (walk29): the note names the dossiers and the difference they make.
"""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from core.exchange import recode
from core.indicators.drill import dossiers_behind
from core.timefmt import vn_date, vn_number
from db.batches import rows_in


def missing_carried(db: sqlite_utils.Database, temp: sqlite_utils.Database, first: dt.date,
                    last: dt.date, unit: str | None) -> list[tuple[str, str]]:
    """(code, received) of MotCua's carried-over dossiers of the period and scope whose code
    the provincial set (`temp`) does not hold, by reception."""
    ids = dossiers_behind(db, "received.carried_over", first, last, unit)
    if not ids:
        return []
    held = {r[0] for r in temp.execute("SELECT code FROM dossiers")}
    rows = list(rows_in(db, "SELECT code, received_at FROM dossiers WHERE id IN ({marks})", ids))
    # a dossier re-coded at an exchange import is the province's under its sender's code
    originals = recode.original_codes(db, [c for c, _ in rows]) if recode.any_aliases(db) else {}
    return sorted(((c, r) for c, r in rows if c not in held and originals.get(c) not in held),
                  key=lambda row: (row[1], row[0]))


def carried_note(missing: list[tuple[str, str]], first: dt.date) -> str | None:
    """The sentence under the side-by-side figures, or None when the file holds them all."""
    if not missing:
        return None
    earliest = dt.date.fromisoformat(missing[0][1][:10])
    return (f"{vn_number(len(missing))} hồ sơ MotCua chuyển từ kỳ trước (tiếp nhận trước ngày "
            f"{vn_date(first)}, chưa xong khi kỳ bắt đầu) không có trong tệp của hệ thống tỉnh "
            "(tệp thường chỉ gồm hồ sơ tiếp nhận trong kỳ): cột “Hệ thống tỉnh” và “Tỉnh khi nhập "
            "đủ” không tính chúng, nên dòng “Hồ sơ tiếp nhận” thấp hơn MotCua "
            f"{vn_number(len(missing))} hồ sơ và các dòng đã giải quyết, đang giải quyết cũng "
            "thiếu những hồ sơ ấy. Muốn so cả chúng, xuất tệp của hệ thống tỉnh từ ngày "
            f"{vn_date(earliest)}.")
