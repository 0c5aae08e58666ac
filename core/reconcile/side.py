"""The indicators of both sets side by side: MotCua's, the provincial system's as the file
shows it, and the provincial system's once the dossiers missing there are entered.

Each column is the engine's own document (core.indicators.compute, spec 8) on its database,
so the figures are the ones the dashboard and Biểu 06 show. Biểu 06 rows come from
core.indicators.vocabulary; the Decision 766 rows appear as soon as the engine's document
carries the `i766` object of spec 5.1 (`{figure: {num, den, rate}}` per unit and total) —
`i766_rows` is the one place that reads it.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.indicators import i766
from core.indicators.vocabulary import (
    FIGURE_NAMES,
    INDICATORS,
    KEYS,
    rate_of,
    ratio,
    value_at,
)
from core.timefmt import vn_number, vn_percent

COUNTS = ("received.total", "resolved.total", "resolved.late", "in_progress.overdue")
COLUMNS = ("MotCua", "Hệ thống tỉnh", "Tỉnh khi nhập đủ")
# Figures the provincial export cannot give: it carries no digitisation flags (766's 4.2), no
# complaints (766's 5.4 subtracts them) and no ratings (Biểu 06's satisfaction), so the
# province's columns would show a figure made of zeros (or an empty one) beside MotCua's.
NOT_COMPARABLE = ("digitised", "satisfaction")        # keys of core.indicators.i766.FIGURES
NOT_COMPARABLE_06 = ("satisfaction",)                 # keys of the Biểu 06 vocabulary
NOT_COMPARABLE_TEXT = "không so sánh được (*)"
FOOTNOTE = ("(*) Tệp xuất của hệ thống tỉnh không có cờ số hoá hồ sơ, phản ánh, kiến nghị và "
            "phiếu đánh giá, nên các chỉ tiêu Biểu 06 mức độ hài lòng, 766 số 4.2 (số hoá) và 5.4 "
            "(hài lòng) không tính được trên tệp đó và không so sánh được với MotCua.")


def i766_name(key: str) -> str:
    """'2.1 Tỷ lệ hồ sơ giải quyết đúng hạn (766)': the engine's name of a 766 figure."""
    figure = i766.FIGURES.get(key)
    return f"{figure.code} {figure.name}" if figure else key


@dataclass(frozen=True)
class Cell:
    rate: float | None   # None for a count row, or a rate with a zero denominator
    num: int
    den: int | None      # None for a count row

    @property
    def text(self) -> str:
        if self.den is None:
            return vn_number(self.num)
        return f"{vn_percent(self.rate)} ({vn_number(self.num)}/{vn_number(self.den)})"


@dataclass(frozen=True)
class Row:
    source: str   # "Biểu 06", "766" or "" for plain counts
    name: str
    cells: tuple[Cell, ...]
    comparable: bool = True   # False: the province's columns cannot hold this figure

    @property
    def texts(self) -> list[str]:
        """The three columns as every table shows them (window, PDF, workbook, command)."""
        if self.comparable:
            return [c.text for c in self.cells]
        return [self.cells[0].text] + [NOT_COMPARABLE_TEXT] * (len(self.cells) - 1)

    @property
    def change(self) -> str:
        """How much entering the missing dossiers moves the province's figure."""
        if not self.comparable:
            return "—"
        before, after = self.cells[1], self.cells[2]
        if before.den is None:
            return _signed(after.num - before.num, vn_number)
        if before.rate is None or after.rate is None:
            return "—"
        points = (after.rate - before.rate) * 100
        return _signed(points, lambda v: f"{v:.2f}".replace(".", ",") + " điểm %")


def _signed(value, shown) -> str:
    if not value:
        return "0"
    return ("+" if value > 0 else "−") + shown(abs(value))


def biểu06_rows(docs: list[dict]) -> list[Row]:
    totals = [doc["total"] for doc in docs]
    denominator = docs[0]["policy"]["online_denominator"]
    rows = [Row("", FIGURE_NAMES[path].capitalize(),
                tuple(Cell(None, value_at(t, path), None) for t in totals)) for path in COUNTS]
    for key in KEYS:
        cells = tuple(Cell(rate_of(t, key), *ratio(t, key, denominator)) for t in totals)
        rows.append(Row("Biểu 06", INDICATORS[key].short, cells, key not in NOT_COMPARABLE_06))
    return rows


def i766_rows(docs: list[dict]) -> list[Row]:
    """The 766 set when the engine gives it (spec 5.1); none until then."""
    sets = [doc["total"].get("i766") for doc in docs]
    if not all(sets):
        return []
    rows = []
    for key in sets[0]:
        cells = tuple(Cell(s[key].get("rate"), int(s[key]["num"]), int(s[key]["den"]))
                      for s in sets)
        rows.append(Row("766", i766_name(key), cells, key not in NOT_COMPARABLE))
    return rows


def footnotes(rows: list[Row]) -> list[str]:
    """The note every table of the side-by-side figures carries under it, when it needs one."""
    return [FOOTNOTE] if any(not r.comparable for r in rows) else []


def side_by_side(ours: dict, province: dict, entered: dict) -> list[Row]:
    docs = [ours, province, entered]
    return biểu06_rows(docs) + i766_rows(docs)
