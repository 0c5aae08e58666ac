"""Likely duplicates of an import of the provincial system's file (issue 16 §1–2).

The province often holds a dossier MotCua received under another code (its own MaHoSo). The
reconciliation pairs them by procedure + applicant + unit + reception time within a tolerance
(core.reconcile.matching.match); importing the same file made a second dossier for the same
citizen's file, silently. Here the rows the import would ADD (codes MotCua does not hold) are
matched by that same rule against MotCua's dossiers that the file does not name, and each
likely pair is shown before anything is written: the clerk skips those rows or imports them
anyway (`import dossiers FILE --profile … --duplicates skip|import`, the window's question).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import sqlite_utils

from core.reconcile.matching import TOLERANCE_MINUTES, Item, Pair, load_items, match, unit_rule
from core.timefmt import parse_db_time, vn_datetime, vn_number
from db.batches import rows_in

# What a clerk chooses for them (the command's --duplicates, the window's buttons)
SKIP, IMPORT = "skip", "import"
SHOWN = 30  # pairs listed in a message (all of them count)


def arrival(code: str, procedure: str, applicant: str, received: str, unit: str,
            competent: str | None) -> Item:
    """A row of the file as the matching sees it (what it compares; the rest left empty)."""
    return Item(0, code, procedure, applicant, "", received, "received", None, None, unit,
                competent, None, 0, False)


def likely_duplicates(db: sqlite_utils.Database, rows: Iterable[Item], named: set[str],
                      fields: set[str],
                      tolerance: int = TOLERANCE_MINUTES) -> list[Pair]:
    """The pairs (MotCua's dossier, the file's row) the reconciliation would make without a
    code, of the rows whose code MotCua does not hold. `named`: every code the file holds
    (MotCua's dossiers of those are the file's own, not candidates); `fields`: the fields the
    file holds (which unit the pair must share: core.reconcile.matching.unit_rule)."""
    new = _not_held(db, list(rows))
    if not new:
        return []
    days = [parse_db_time(item.received).date() for item in new]
    ours = [i for i in load_items(db, min(days) - dt.timedelta(days=1),
                                  max(days) + dt.timedelta(days=1), None)
            if i.code not in named]
    from core.reconcile import issuers
    found = match(ours, new, dt.timedelta(minutes=tolerance),
                  units=unit_rule(fields, issuers(db)))
    return found.pairs


def _not_held(db: sqlite_utils.Database, rows: list[Item]) -> list[Item]:
    held = {r[0] for r in rows_in(db, "SELECT code FROM dossier_rows WHERE code IN ({marks})",
                                  [item.code for item in rows])}
    return [item for item in rows if item.code not in held]


def pair_line(pair: Pair, row: int | None, name: Callable[[str], str]) -> str:
    """'Dòng 4: MaHoSo XTD-250106-9042 ↔ hồ sơ XTD-250106-0002 của MotCua (Phạm *** Dung,
    thủ tục 1.001612, tiếp nhận 09:15 06/01/2025 và 09:00 06/01/2025; lệch 15 phút …)'.
    `name`: the applicant as the reader may see it (masked where the public may)."""
    where = f"Dòng {vn_number(row)}: " if row else ""
    return (f"{where}mã {pair.theirs.code} của tệp ↔ hồ sơ {pair.ours.code} của MotCua "
            f"({name(pair.ours.applicant)}, thủ tục {pair.ours.procedure}, tiếp nhận "
            f"{vn_datetime(parse_db_time(pair.theirs.received))} và "
            f"{vn_datetime(parse_db_time(pair.ours.received))}; {pair.how})")


def heading(count: int, decided: str | None, dry_run: bool) -> str:
    """What the list of likely duplicates means, and what the clerk may do."""
    head = (f"{vn_number(count)} hồ sơ của tệp có mã mà MotCua chưa có, nhưng có thể là hồ sơ "
            "MotCua đã có với mã khác (cùng thủ tục, chủ hồ sơ, đơn vị, giờ tiếp nhận gần nhau, "
            "như đối chiếu ghép)")
    if decided == SKIP:
        return head + (": sẽ bỏ qua, không nhập." if dry_run else ": đã bỏ qua, không nhập.")
    if decided == IMPORT:
        return head + (": sẽ vẫn được nhập thành hồ sơ mới." if dry_run else
                       ": đã vẫn được nhập thành hồ sơ mới theo lựa chọn.")
    return head + ". Nhập chúng sẽ tạo hồ sơ thứ hai cho cùng một hồ sơ của công dân."


def listing(pairs: list[Pair], rows: dict[str, int], name: Callable[[str], str]) -> list[str]:
    """The first SHOWN pairs, one line each, and how many more."""
    lines = [pair_line(p, rows.get(p.theirs.code), name) for p in pairs[:SHOWN]]
    if len(pairs) > SHOWN:
        lines.append(f"… và {vn_number(len(pairs) - SHOWN)} cặp khác")
    return lines


def skipped_words(result) -> str:
    """', bỏ qua 3 dòng có thể trùng hồ sơ đã có' after an import's counts when the clerk chose
    to skip them (the counts then add up to the file's rows), else ''."""
    if result.duplicates_chosen != SKIP or not result.duplicates:
        return ""
    return f", bỏ qua {vn_number(len(result.duplicates))} dòng có thể trùng hồ sơ đã có"


def told(result, name: Callable[[str], str]) -> list[str]:
    """The heading and list of an import's likely duplicates (core.transfer.base.ImportResult),
    or none: said alike by the command and the window."""
    if not result.duplicates:
        return []
    return [heading(len(result.duplicates), result.duplicates_chosen, result.dry_run)] + \
        [f"  {line}" for line in listing(result.duplicates, result.duplicate_rows, name)]
