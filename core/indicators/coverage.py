"""What a unit's row and a unit's report cover, in a sentence a leader reads (spec 5).

Spec 5 counts a vote in the row of the unit where it was cast and a dossier in its competent
unit's row; `--unit CODE` reports that unit *and every unit below it*. So a commune with a
reception point shows two figures that are both right: its own row in the office's report
(Yên Phúc 94,59%, 70/74 votes cast at the commune) and its own report's total (94,51%, 86/91:
the reception point's 17 votes added). `notes(db, kpi, unit)` says so wherever both can be
read — the monthly report (PDF), Báo cáo and Tổng quan — from this one rule, so a leader sees
why the numbers differ instead of two numbers for one commune.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from core.indicators.scope_sums import NAMED_MAX, scope_sums
from core.timefmt import rate4, vn_date, vn_number, vn_percent


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    below: tuple[str, ...]      # names of the units below it that have a row of their own,
    #                             when NAMED_MAX or fewer (the sentence names them); else ()
    own: dict                   # the row's satisfaction {votes, satisfied, rate}
    combined: dict              # the same over the unit and those below it
    merged: int = 0             # of those below, the units merged into it (and theirs), not under it
    count: int = 0              # how many units below it have a row of their own


def _satisfaction_of(votes: int, satisfied: int) -> dict:
    return {"votes": votes, "satisfied": satisfied,
            "rate": rate4(Fraction(satisfied, votes) if votes else None)}


def _figure(part: dict) -> str:
    if not part["votes"]:
        return "— (không có phiếu)"
    return (f"{vn_percent(part['rate'])} ({vn_number(part['satisfied'])}/"
            f"{vn_number(part['votes'])} phiếu)")


def _named(name: str, valid_to: str | None) -> str:
    """A unit dissolved by a merger names its end: "UBND xã Khánh Khê (đến 30/06/2025)"."""
    if not valid_to:
        return name
    day = dt.date.fromisoformat(valid_to)
    return f"{name} (đến {vn_date(day)})"


def coverages(db, kpi: dict) -> list[Coverage]:
    """Each unit of the table that has units with rows of their own below it, in table order;
    not a unit whose own row counts nothing (a province above its communes: no figure of its
    own to be read against its report's)."""
    rows = {u["code"]: u for u in kpi["units"]}
    ended = dict(db.execute("SELECT code, valid_to FROM units WHERE valid_to IS NOT NULL"))
    names = dict(db.execute("SELECT code, name FROM units"))  # the rows' may carry their history
    found = scope_sums(db, rows)
    out = []
    for code, unit in rows.items():
        sums = found.get(code)
        if sums is None or not sums.count or not (
                unit["satisfaction"]["votes"] or unit["received"]["total"]
                or unit["resolved"]["total"]):
            continue
        below = tuple(_named(names.get(c, rows[c]["name"]), ended.get(c)) for c in sums.named)
        out.append(Coverage(code, unit["name"], below, dict(unit["satisfaction"]),
                            _satisfaction_of(sums.votes, sums.satisfied), sums.merged,
                            sums.count))
    return out


def sentence(cover: Coverage) -> str:
    """'Dòng «UBND xã Yên Phúc» chỉ tính riêng đơn vị này; báo cáo riêng của UBND xã Yên Phúc
    (dòng Tổng cộng) gộp cả Điểm tiếp nhận …. Tỷ lệ hài lòng: 94,59% (70/74 phiếu) ở dòng riêng,
    94,51% (86/91 phiếu) khi gộp (mỗi phiếu được tính ở nơi người dân đánh giá).'"""
    below = ", ".join(cover.below) if cover.count <= NAMED_MAX else _counted(cover)
    text = (f"Dòng «{cover.name}» chỉ tính riêng đơn vị này; báo cáo riêng của {cover.name} "
            f"(dòng Tổng cộng) gộp cả {below}.")
    if cover.own["votes"] != cover.combined["votes"]:
        text += (f" Tỷ lệ hài lòng: {_figure(cover.own)} ở dòng riêng, "
                 f"{_figure(cover.combined)} khi gộp (mỗi phiếu được tính ở nơi người dân "
                 "đánh giá).")
    return text


def _counted(cover: Coverage) -> str:
    """'5 đơn vị trực thuộc', '1 đơn vị trực thuộc và 3 đơn vị cũ đã sáp nhập': a unit merged
    into another is not under it ("4 đơn vị trực thuộc" said so of xã Yên Phúc's reception
    point and the three communes merged into it on 01/07/2025)."""
    under = cover.count - cover.merged
    parts = ([f"{vn_number(under)} đơn vị trực thuộc"] if under else []) + \
        ([f"{vn_number(cover.merged)} đơn vị cũ đã sáp nhập"] if cover.merged else [])
    return " và ".join(parts)


def notes(db, kpi: dict) -> list[str]:
    """The sentences of every unit of `kpi` (the engine's document, spec 8) whose own row and
    whose own report differ in what they cover; none when no unit has another below it."""
    return [sentence(cover) for cover in coverages(db, kpi)]


def summary(count: int, header: bool = False) -> str:
    """The one line that folds the sentences on a screen: "2 đơn vị có số liệu gộp khác dòng
    riêng", with "tiêu đề và người ký của bản in" when `header` (core.report_header's sentence
    follows them)."""
    parts = [f"{vn_number(count)} đơn vị có số liệu gộp khác dòng riêng"] if count else []
    if header:
        parts.append("tiêu đề và người ký của bản in")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
