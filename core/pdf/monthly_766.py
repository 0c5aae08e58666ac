"""The monthly report's section of the second set (spec 5.1, Decision 766/QĐ-TTg): the six
figures of the scope against their targets, then per unit. Every rate says it is 766's, so
nobody reads Biểu 06's 95% (section I) as 766's."""
from __future__ import annotations

from reportlab.lib.units import mm

from core.indicators import board766, gaps766, i766
from core.indicators.gaps import growth, needed
from core.indicators.reception import crosses_units
from core.pdf import blocks
from core.pdf.monthly_data import MonthlyData
from core.pdf.monthly_sections import folded_row
from core.timefmt import vn_percent

NOTE = ("Cách tính theo Quyết định 766/QĐ-TTg, khác Biểu 06 ở mục I: luôn trừ thời gian chờ bổ "
        "sung và theo hạn trả kết quả ban đầu, dù cài đặt chọn cách khác; hồ sơ yêu cầu bổ sung "
        "quá một lần là trễ hạn; hồ sơ đang chờ bổ sung tính như đã xong tại thời điểm yêu cầu; "
        "tỷ lệ đúng hạn (2.1) chia cho tổng số hồ sơ xử lý (kể cả đang giải quyết), tỷ lệ trực "
        "tuyến (3.3) chia cho tổng số hồ sơ tiếp nhận; chỉ số hài lòng (5.4) bằng 100% trừ tỷ lệ "
        "trễ hạn và tỷ lệ hồ sơ bị phản ánh, kiến nghị hoặc không hài lòng, thấp nhất là 0%.")


def _number(data: MonthlyData) -> str:
    """The section's Roman number: after VIII when the reception table is printed."""
    return "IX" if crosses_units(data.reception) else "VIII"


def section(data: MonthlyData, width: float) -> list:
    targets = data.targets_766
    total = data.kpi["total"]["i766"]
    head = [blocks.heading(f"{_number(data)}. CÁC CHỈ SỐ THEO QUYẾT ĐỊNH 766/QĐ-TTg"),
            blocks.para(NOTE, blocks.style(10, italic=True, align="justify", after=4))]
    rows = [["Chỉ số (766)", "Kết quả", "Mục tiêu", "Đánh giá"]]
    notes = []
    # the dashboard's 766 chart draws the same lines (core.indicators.board766)
    lines = board766.scorecard(data.kpi["total"], targets)
    for line in lines:
        rows.append([line.label, line.result, line.target_text, line.verdict])
        part = total[line.key]
        more = needed(part["num"], part["den"], line.target,
                      growth(line.figure.grows, not data.provisional))
        if line.met is False and more:  # the dashboard's sentence (core.indicators.gaps766)
            gap = gaps766.sentence(line.key, more, line.target, not data.provisional,
                                   (part["num"], part["den"]))
            notes.append(blocks.body(f"- {line.figure.name} chưa đạt: {gap}.", size=11))
    table = blocks.grid(rows, [w * mm for w in (70, 45, 20, 30)], size=10, left_cols=(0,))
    summary = blocks.body(f"Tổng hợp: {board766.tally(lines)}.", size=11)
    return head + [table, summary] + notes + _per_unit(data)


def _rates(unit: dict) -> list[str]:
    return [vn_percent(unit["i766"][k]["rate"]) for k in i766.KEYS]


def _per_unit(data: MonthlyData) -> list:
    titles = [f"{i766.FIGURES[k].code} {i766.COLUMN_TITLES[k]}" for k in i766.KEYS]
    rows = [["STT", "Đơn vị", *titles]]
    for index, unit in enumerate(data.listing.shown, start=1):
        rows.append([str(index), unit["name"], *_rates(unit)])
    rows += folded_row(data, _rates)
    total = data.kpi["total"]["i766"]
    rows.append(["", "Tổng cộng", *(vn_percent(total[k]["rate"]) for k in i766.KEYS)])
    widths = [w * mm for w in (8, 49, 18, 18, 18, 18, 18, 18)]
    return [blocks.para("Tỷ lệ các chỉ số 766 theo đơn vị:", blocks.style(11, after=2)),
            blocks.grid(rows, widths, size=9, left_cols=(1,), bold_rows=(len(rows) - 1,),
                        paged=True)]
