"""The monthly report's "Nguồn số liệu": what a centre's figures rest on, before section I.

Shown only when this file took packages of other installations (spec 9): per sending
installation and unit its last package (its span, when it was imported here) and whether its
data reaches the report's end, then one warning line for every sender whose data stops short
and every gap between a sender's packages (core.exchange.sources). A single PC's report has
no such section: it rests on its own data only.
"""
from __future__ import annotations

from reportlab.lib.units import mm

from core.exchange.sources import Source, Sources, moment_text, reach_text
from core.pdf import blocks
from core.timefmt import vn_datetime

HEADING = "NGUỒN SỐ LIỆU"
WIDTHS = (8, 47, 24, 38, 24, 24)  # mm, 165 in all: section I's table's width


OLDER = "không rõ (nhập bởi phiên bản cũ)"


def _span(row: Source) -> str:
    if not row.known:
        return OLDER
    return f"từ {moment_text(row.since)}\nđến {reach_text(row.until)}"


def _covers(row: Source) -> str:
    if not row.known or row.unsure:  # unsure: whether it held data before its first package
        return "Không rõ (xem cảnh báo)"
    if row.covers:
        return "Đủ"
    return "Thiếu (xem cảnh báo)"


def _unit(row: Source) -> str:
    if not row.known:
        return "Không rõ (gói của phiên bản cũ không ghi)"
    return "Tất cả đơn vị" if row.unit is None else row.unit_name


HEADINGS = ("STT", "Đơn vị gửi", "Máy gửi", "Gói cuối cùng đã nhập (số liệu)",
            "Nhập vào máy này lúc", "Đủ số liệu của kỳ báo cáo")


def cells(rows: list[Source]) -> list[list[str]]:
    """The table's rows as text: the report's and the Báo cáo screen's (one rule)."""
    return [[str(index), _unit(row), row.machine, _span(row), vn_datetime(row.imported),
             _covers(row)] for index, row in enumerate(rows, start=1)]


def _table(rows: list[Source]):
    return blocks.grid([list(HEADINGS), *cells(rows)], [w * mm for w in WIDTHS], size=9.5, left_cols=(1, 3))


def _warning(text: str):
    return blocks.para(f"- {text}", blocks.style(11, italic=True, align="justify", after=3))


def section(found: Sources | None, width: float) -> list:
    """The heading, a sentence, the table and the warnings; nothing when no package was
    ever imported here."""
    if found is None or not found.rows:
        return []
    intro = ("Báo cáo tổng hợp từ dữ liệu nhập ở máy này và từ các gói dữ liệu do các máy "
             "làm việc riêng gửi về; số liệu của mỗi máy gửi chỉ đến thời điểm lập gói cuối "
             "cùng đã nhập:")
    out = [blocks.heading(HEADING), blocks.body(intro, size=11), _table(found.rows)]
    if found.warnings:
        out.append(blocks.body("Cảnh báo:", size=11))
        out += [_warning(text) for text in found.warnings]
    else:
        out.append(_warning("Số liệu của mọi máy gửi đã đủ đến hết kỳ báo cáo."))
    return out
