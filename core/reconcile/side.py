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
from core.transfer.profiles import FIELDS, NATIONAL_COLUMNS

COUNTS = ("received.total", "resolved.total", "resolved.late", "in_progress.overdue")
COLUMNS = ("MotCua", "Hệ thống tỉnh", "Tỉnh khi nhập đủ")
# Figures a provincial export cannot give: it carries no complaints (766's 5.4 subtracts them)
# and no ratings (Biểu 06's satisfaction), and often no digitisation flags (766's 4.2: without
# DIGITISED_FIELD the province's columns would show a figure made of zeros beside MotCua's);
# `not_comparable` says which, for the columns a file holds.
NOT_COMPARABLE = ("digitised", "satisfaction")        # keys of core.indicators.i766.FIGURES
NOT_COMPARABLE_06 = ("satisfaction",)                 # keys of the Biểu 06 vocabulary
DIGITISED_FIELD = "digitised"  # the import's field of DaSoHoaThanhPhan (core.transfer.profiles)
NOT_COMPARABLE_TEXT = "không so sánh được (*)"
FOOTNOTE = ("(*) Tệp xuất của hệ thống tỉnh không có cờ số hoá hồ sơ, phản ánh, kiến nghị và "
            "phiếu đánh giá, nên các chỉ tiêu Biểu 06 mức độ hài lòng, 766 số 4.2 (số hoá) và 5.4 "
            "(hài lòng) không tính được trên tệp đó và không so sánh được với MotCua.")
# the same note when the file holds the digitisation flags (4.2 is then compared)
FOOTNOTE_FLAGGED = ("(*) Tệp xuất của hệ thống tỉnh không có phản ánh, kiến nghị và phiếu đánh "
                    "giá, nên các chỉ tiêu Biểu 06 mức độ hài lòng và 766 số 5.4 (hài lòng) "
                    "không tính được trên tệp đó và không so sánh được với MotCua.")


def not_comparable(present: set[str] | None) -> tuple[str, ...]:
    """The 766 figures (NOT_COMPARABLE's keys) the provincial file cannot give, for the fields
    it holds (`present`; None: all of them): 4.2 is computed on the province's side when the
    file holds the documents' digitisation flag."""
    return tuple(key for key in NOT_COMPARABLE
                 if key != "digitised" or (present is not None and DIGITISED_FIELD not in present))


# Columns a provincial export may lack (vendors differ: many have neither CacLanBoSung nor
# NgayHenTraMoi) without which the province's side of some figures is counted as if the file
# said "none": no supplement wait, no extension, no online payment, no electronic result. Each
# names the rows it changes (Row.key) and what the figures then assume. The one rule of
# `missing_columns`; the rows are marked PARTIAL_MARK and `footnotes` explains them.
TIME_ROWS = ("resolved.late", "in_progress.overdue", "06:on_time")
AFFECTED: dict[str, tuple[tuple[str, ...], str]] = {
    "supplement_waits": (TIME_ROWS + ("766:on_time", "766:satisfaction"),
                         "không hồ sơ nào từng chờ bổ sung (thời gian chờ không được cộng vào "
                         "hạn trả, nên có thể thêm hồ sơ quá hạn)"),
    "extended_due_at": (TIME_ROWS, "không hồ sơ nào được gia hạn (chương trình đang tính theo "
                                   "hạn đã gia hạn)"),
    "paid_online": (("06:online_payment", "766:online_payment"),
                    "không hồ sơ nào thanh toán trực tuyến"),
    # the fee decides which dossiers the payment figures count (spec 5: fee > 0): without it
    # each takes its procedure's, and a dossier exempted in MotCua counts on the province's side
    "fee": (("06:online_payment", "766:online_payment"),
            "mọi hồ sơ có phí, lệ phí theo danh mục thủ tục (không hồ sơ nào được miễn, giảm)"),
    "e_result": (("06:online_full", "766:online", "766:e_result"),
                 "không hồ sơ nào có kết quả điện tử"),
    # 4.2 counts a resolved dossier only with its result digitised too
    "result_digitised": (("766:digitised",), "không hồ sơ đã giải quyết nào có kết quả được "
                                             "số hoá"),
}
PARTIAL_MARK = "(**)"


def missing_columns(present: set[str], policy: dict) -> tuple[str, ...]:
    """The AFFECTED columns the provincial file lacks (`present`: the fields its header holds,
    core.transfer.mapped) that change a figure under `policy` (the engine's document's): an
    extension moves a due time only when the figures use the extended one."""
    return tuple(name for name in AFFECTED if name not in present
                 and (name != "extended_due_at" or policy.get("due_basis") == "extended"))


def partial_note(missing: tuple[str, ...]) -> str | None:
    """The footnote of the figures marked PARTIAL_MARK, naming the columns the file lacks."""
    if not missing:
        return None
    named = ", ".join(f"{NATIONAL_COLUMNS[name]} ({FIELDS[name].lower()})" for name in missing)
    assumed = "; ".join(AFFECTED[name][1] for name in missing)
    return (f"{PARTIAL_MARK} Tệp xuất của hệ thống tỉnh không có cột {named}: số liệu của hệ "
            f"thống tỉnh ở các dòng có dấu {PARTIAL_MARK} được tính như thể {assumed}. Các số "
            "này không so sánh được với MotCua và có thể khác số hệ thống tỉnh tự tính.")


# The mark the engine's names carry to tell the 766 figures among Biểu 06's (core.indicators.
# i766.FIGURES); a reconciliation row names its set in its own column (Row.source: "Nguồn" of the
# window, PDF and workbook, "[766]" of the command), where the mark read "766 … (766)" twice
SET_MARK = " (766)"


def i766_name(key: str) -> str:
    """'2.1 Tỷ lệ hồ sơ giải quyết đúng hạn': the engine's name of a 766 figure, without the
    set's mark that Row.source gives."""
    figure = i766.FIGURES.get(key)
    return f"{figure.code} {figure.name.removesuffix(SET_MARK)}" if figure else key


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
    key: str = ""             # "resolved.late", "06:on_time", "766:on_time" (AFFECTED)
    # the columns the provincial file lacks that change the province's figures of this row
    missing: tuple[str, ...] = ()

    @property
    def texts(self) -> list[str]:
        """The three columns as every table shows them (window, PDF, workbook, command)."""
        if not self.comparable:
            return [self.cells[0].text] + [NOT_COMPARABLE_TEXT] * (len(self.cells) - 1)
        return [c.text + (f" {PARTIAL_MARK}" if side and self.missing else "")
                for side, c in enumerate(self.cells)]

    @property
    def delta(self) -> int | float | None:
        """How much entering the missing dossiers moves the province's figure, as a number:
        dossiers for a count, percentage points (2 decimals) for a rate; None where no change
        can be said (a figure the file cannot give, a rate without dossiers on one side)."""
        if not self.comparable:
            return None
        before, after = self.cells[1], self.cells[2]
        if before.den is None:
            return after.num - before.num
        if before.rate is None or after.rate is None:
            return None
        return round((after.rate - before.rate) * 100, 2)

    @property
    def is_count(self) -> bool:
        return self.cells[0].den is None

    @property
    def change(self) -> str:
        """`delta` as every table shows it: '+19', '−1,08 điểm %', '0', or '—'."""
        delta = self.delta
        if delta is None:
            return "—"
        if self.is_count:
            return _signed(delta, vn_number)
        return _signed(delta, lambda v: f"{v:.2f}".replace(".", ",") + " điểm %")


def _signed(value, shown) -> str:
    if not value:
        return "0"
    return ("+" if value > 0 else "−") + shown(abs(value))


def _missing_for(key: str, missing: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in missing if key in AFFECTED[name][0])


def biểu06_rows(docs: list[dict], missing: tuple[str, ...] = ()) -> list[Row]:
    totals = [doc["total"] for doc in docs]
    denominator = docs[0]["policy"]["online_denominator"]
    rows = [Row("", FIGURE_NAMES[path].capitalize(),
                tuple(Cell(None, value_at(t, path), None) for t in totals), key=path,
                missing=_missing_for(path, missing)) for path in COUNTS]
    for key in KEYS:
        cells = tuple(Cell(rate_of(t, key), *ratio(t, key, denominator)) for t in totals)
        rows.append(Row("Biểu 06", INDICATORS[key].short, cells, key not in NOT_COMPARABLE_06,
                        f"06:{key}", _missing_for(f"06:{key}", missing)))
    return rows


def i766_rows(docs: list[dict], missing: tuple[str, ...] = (),
              hidden: tuple[str, ...] = NOT_COMPARABLE) -> list[Row]:
    """The 766 set when the engine gives it (spec 5.1); none until then. `hidden`: the figures
    the provincial file cannot give (`not_comparable`)."""
    sets = [doc["total"].get("i766") for doc in docs]
    if not all(sets):
        return []
    rows = []
    for key in sets[0]:
        cells = tuple(Cell(s[key].get("rate"), int(s[key]["num"]), int(s[key]["den"]))
                      for s in sets)
        rows.append(Row("766", i766_name(key), cells, key not in hidden,
                        f"766:{key}", _missing_for(f"766:{key}", missing)))
    return rows


def footnotes(rows: list[Row]) -> list[str]:
    """The notes every table of the side-by-side figures carries under it, when it needs them:
    figures the province's file cannot give (*), and figures it gives without columns they
    need (**, `partial_note`)."""
    flagged = any(r.key == "766:digitised" and r.comparable for r in rows)
    notes = ([FOOTNOTE_FLAGGED if flagged else FOOTNOTE]
             if any(not r.comparable for r in rows) else [])
    partial = partial_note(lacking(rows))
    return notes + ([partial] if partial else [])


def lacking(rows: list[Row]) -> tuple[str, ...]:
    """The columns the file lacks that change a figure shown (a marked row's), in AFFECTED order."""
    seen = {name for r in rows if r.comparable for name in r.missing}
    return tuple(name for name in AFFECTED if name in seen)


def side_by_side(ours: dict, province: dict, entered: dict,
                 present: set[str] | None = None) -> list[Row]:
    """`present`: the fields the provincial file holds (None: all of them)."""
    docs = [ours, province, entered]
    missing = () if present is None else missing_columns(present, ours["policy"])
    return biểu06_rows(docs, missing) + i766_rows(docs, missing, not_comparable(present))
