"""The monthly report (BÁO CÁO kết quả giải quyết TTHC tháng …), A4, Decree 30/2020 layout.

`build_monthly(db, "2026-10", unit=None, draft=False)` (or a core.periods.Period: the state-report
month, any period the Báo cáo screen shows) returns the PDF bytes. The body is made of the
sections in `monthly_sections`; every figure comes from the indicator engine. A report made
before its period is over says so on every page (spec 5); every page's footer also carries the
fingerprint of the event history's head and the moment (spec 10), which `check --against` reads.
"""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak

from core.accounts import require
from core.indicators.vocabulary import provisional_line
from core.pdf import blocks, monthly_766, monthly_sources
from core.pdf import monthly_sections as sections
from core.pdf.document import A4_PORTRAIT, render
from core.pdf.monthly_data import MonthlyData, gather
from core.periods import Period
from core.timefmt import vn_date

DOC_TYPE = "BÁO CÁO"


def subject(data: MonthlyData) -> str:
    """'Kết quả giải quyết thủ tục hành chính tháng 10 năm 2026' (+ the unit when scoped);
    a state-report month: '… kỳ báo cáo tháng 11/2026, từ 15/10/2026 đến 14/11/2026'."""
    text = f"Kết quả giải quyết thủ tục hành chính {data.period.phrase()}"
    return f"{text} của {data.scope_name}" if data.scope_name else text


def provisional_note(data: MonthlyData) -> str:
    """'Số liệu tạm tính đến 10 giờ 15 phút, ngày 30/11/2026' ('' once the period is over):
    vocabulary's line, the words the screens and the other papers use."""
    if not data.provisional:
        return ""
    return provisional_line(data.kpi)


def _header(data: MonthlyData, width: float) -> list:
    return blocks.report_opening(data.header, data.issued, DOC_TYPE, subject(data), width)


def _intro(data: MonthlyData) -> list:
    scope = f" của {data.scope_name}" if data.scope_name else ""
    period = data.period.phrase()
    if data.period.kind() == "month":
        period += f" (từ ngày {vn_date(data.start)} đến ngày {vn_date(data.end)})"
    elif data.period.kind() == "other":
        period = "kỳ " + period  # "trong kỳ từ ngày …", never "trong từ ngày …"
    if not data.has_data:
        return [blocks.body(
            f"Trong {period}{scope} không có hồ sơ thủ tục hành chính nào được tiếp nhận, "
            "giải quyết hoặc đang giải quyết và không có phiếu đánh giá nào của người dân, "
            "vì vậy không có số liệu để tính các chỉ tiêu trong kỳ này.")]
    return [blocks.body(f"Kết quả giải quyết thủ tục hành chính{scope} trong {period}, tổng "
                        "hợp từ dữ liệu của phần mềm một cửa, như sau:"),
            sections.policy_note(data)]


def _closing(data: MonthlyData, width: float) -> list:
    return blocks.report_closing(data.header, "Trên đây là báo cáo kết quả giải quyết thủ tục "
                                 f"hành chính {data.period.phrase()}./.", width)


def story(data: MonthlyData, width: float) -> list:
    # what the figures rest on (packages of offline installations), before section I
    out = _header(data, width) + _intro(data) + monthly_sources.section(data.sources, width)
    if data.has_data:
        for section in (sections.indicators, sections.table06, sections.chart,
                        sections.behind, sections.overdue, sections.satisfaction,
                        sections.payment, sections.reception, monthly_766.section):
            out += [CondPageBreak(40 * mm)] + section(data, width)
    return out + _closing(data, width)


def render_monthly(data: MonthlyData, draft: bool = False) -> bytes:
    require("report.print")
    title = f"{DOC_TYPE} {subject(data)}"
    note = "\n".join(line for line in (provisional_note(data), data.fingerprint, data.signoff)
                     if line)
    return render(story(data, A4_PORTRAIT.frame_width), A4_PORTRAIT, title=title, draft=draft,
                  page_note=note)


def build_monthly(db, month: str | Period, unit: str | None = None, draft: bool = False,
                  issued: dt.date | None = None, as_of: dt.datetime | None = None,
                  by: str = "unit") -> bytes:
    """The report of `month` ('YYYY-MM', or any Period) for `unit` and the units below it (or
    all), evaluated at the period end or now, or as recorded at `as_of` (spec 2.3); its
    Biểu 06 `by` unit or by field grouped by level."""
    return render_monthly(gather(db, month, unit, issued, as_of, by), draft)
