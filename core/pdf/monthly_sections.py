"""The numbered sections of the monthly report. Each takes the gathered data and the frame
width and returns flowables; a section with nothing to show says so in a sentence."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from core.due import DAY_HOURS
from core.indicators.reception import crosses_units
from core.indicators.vocabulary import INDICATORS, KEYS, met_word, moment_words, target_text
from core.labels import RATING_VI
from core.pdf import blocks
from core.pdf.chart import rates_chart
from core.pdf.monthly_data import MAX_OVERDUE_ROWS, MonthlyData, gap_sentence, result_text
from core.pdf.oneline import OneLine
from core.privacy.masking import mask_phone
from core.timefmt import vn_date, vn_number, vn_percent

RATINGS = tuple(RATING_VI.items())  # core.labels: the kiosk shows the same words
POLICY_VI = {"pause": "thời gian chờ bổ sung hồ sơ không tính vào thời hạn",
             "restart": "thời hạn được tính lại từ khi nhận đủ hồ sơ bổ sung"}


def policy_note(data: MonthlyData):
    policy = data.kpi["policy"]
    basis = ("theo hạn đã gia hạn (phiếu xin lỗi)" if policy.get("due_basis") == "extended"
             else "theo hạn trả kết quả ban đầu")
    text = (f"Cách tính: đúng hạn/quá hạn {basis}; "
            f"{POLICY_VI.get(policy.get('supplement'), '')}; tỷ lệ trực tuyến toàn trình tính "
            + ("trên tổng số hồ sơ tiếp nhận." if data.denominator == "all"
               else "trên số hồ sơ của thủ tục đủ điều kiện trực tuyến toàn trình."))
    return blocks.para(text, blocks.style(11, italic=True, align="justify", after=4))


_met = met_word


def indicators(data: MonthlyData, width: float) -> list:
    total, targets = data.kpi["total"], data.kpi["targets"]
    rows = [["Chỉ tiêu (Biểu 06)", "Kết quả", "Mục tiêu", "Đánh giá"]]
    notes = []
    for key in KEYS:
        name = INDICATORS[key].name
        rows.append([name, result_text(total, key, data.denominator),
                     target_text(targets[key]), _met(total["meets"][key])])
        gap = gap_sentence(total, key, targets[key], data.denominator, not data.provisional)
        if total["meets"][key] is False and gap:
            notes.append(blocks.body(f"- {name} chưa đạt: {gap}."))
    table = blocks.grid(rows, [w * mm for w in (62, 45, 22, 36)], size=11, left_cols=(0,))
    # a unit's report gathers the units below it: said beside its figures (core's one rule)
    covers = [_cover_note(text) for text in data.coverage] if data.scope_name else []
    return [blocks.heading("I. CÁC CHỈ TIÊU THEO BIỂU 06 SO VỚI MỤC TIÊU"), table] + covers + notes


def _cover_note(text: str):
    return blocks.para(text, blocks.style(10.5, italic=True, align="justify", after=3))


TABLE06_HEAD = [
    ["STT", "Đơn vị", "Số hồ sơ nhận giải quyết", "", "", "", "Số hồ sơ đã giải quyết", "", "",
     "", "Số hồ sơ đang giải quyết", "", ""],
    ["", "", "Tổng số", "Trực tuyến", "Trực tiếp, bưu chính", "Từ kỳ trước", "Tổng số",
     "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"],
    [f"({i})" for i in range(1, 14)],
]
TABLE06_SPANS = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (5, 0)), ((6, 0), (9, 0)),
                 ((10, 0), (12, 0))]


def table06_row(figures: dict) -> list[str]:
    """Columns 3–13 of Biểu 06/VPCP/KSTT for one unit or the total."""
    rec, res, prog = figures["received"], figures["resolved"], figures["in_progress"]
    values = [rec["total"], rec["online"], rec["direct_postal"], rec["carried_over"],
              res["total"], res["early"], res["on_time"], res["late"],
              prog["total"], prog["within_time"], prog["overdue"]]
    return [vn_number(v) for v in values]


def table06_widths(total_row: list[str]) -> tuple[list[float], float]:
    """Column widths and font size: a year of a big office has six-digit totals ("145.178"),
    which must stay on one line, so the unit names give up some width and the type shrinks."""
    if max(len(cell) for cell in total_row) <= 6:
        return [8 * mm, 35 * mm] + [11.1 * mm] * 11, 9
    return [8 * mm, 28 * mm] + [11.7 * mm] * 11, 8


FIELD_COLUMN = "Lĩnh vực, công việc giải quyết theo cấp"  # Biểu 06's official column (2)
ROMAN = ("I", "II", "III", "IV", "V")


def _rows_by_unit(data: MonthlyData) -> tuple[list[list[str]], tuple[int, ...]]:
    rows = [list(r) for r in TABLE06_HEAD]
    for index, unit in enumerate(data.listing.shown, start=1):
        rows.append([str(index), unit["name"]] + table06_row(unit))
    rows += folded_row(data, table06_row)
    return rows, ()


def folded_row(data: MonthlyData, cells) -> list[list[str]]:
    """The counted line of the quiet units (core.indicators.listing), if any: their cells are
    any one's, all zero; none when every unit is listed."""
    folded = data.listing.folded
    return [["", data.listing.folded_name()] + cells(folded[0])] if folded else []


def _rows_by_field(by_field: dict) -> tuple[list[list[str]], tuple[int, ...]]:
    """Each level (bold, with its subtotal), then its fields numbered 1, 2, …"""
    rows = [list(r) for r in TABLE06_HEAD]
    rows[0][1] = FIELD_COLUMN
    bold = []
    for number, level in zip(ROMAN, by_field["levels"], strict=False):  # ROMAN is longer
        bold.append(len(rows))
        rows.append([number, level["name"]] + table06_row(level["total"]))
        for index, row in enumerate(level["fields"], start=1):
            rows.append([str(index), row["field"]] + table06_row(row))
    return rows, tuple(bold)


def table06(data: MonthlyData, width: float) -> list:
    if data.by_field is not None:
        rows, bold = _rows_by_field(data.by_field)
        total = data.by_field["total"]
    else:
        rows, bold = _rows_by_unit(data)
        total = data.kpi["total"]
    rows.append(["", "Tổng cộng"] + table06_row(total))
    widths, size = table06_widths(rows[-1][2:])
    table = blocks.grid(rows, widths, header_rows=3, size=size, spans=TABLE06_SPANS,
                        bold_rows=bold + (len(rows) - 1,), paged=True)
    out = [blocks.heading("II. TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
           blocks.para("(Theo Biểu số 06/VPCP/KSTT"
                       + (", theo lĩnh vực và cấp giải quyết" if data.by_field is not None else "")
                       + "; đơn vị tính: số hồ sơ TTHC)",
                       blocks.style(11, italic=True, align="center", after=3)), table]
    withdrawn = data.kpi["total"]["withdrawn"]
    if withdrawn:
        out.append(blocks.body(
            f"Ngoài ra có {vn_number(withdrawn)} hồ sơ công dân rút hoặc dừng giải quyết trong "
            "kỳ; các hồ sơ này không tính vào cột (7) và cột (11), nên cột (3) bằng cột (7) "
            "cộng cột (11) cộng số hồ sơ rút, dừng.", size=11))
    return out


# units the chart's legend names in one paragraph: reportlab breaks the whole rest of a
# paragraph again at each page it splits it at, so one paragraph naming 5,000 units (by field)
# did not finish in 600 s (break33); paragraphs of a few names each cost time linear in them
LEGEND_NAMES = 40


def _chart_numbers(data: MonthlyData) -> list[str]:
    """Where the numbers under the bars come from, in pieces of at most LEGEND_NAMES units
    named: Biểu 06 by unit numbers the units; by field it numbers fields, so the units (those
    with figures) are listed here."""
    if data.by_field is None:
        return ["Số dưới mỗi cột là số thứ tự đơn vị trong Biểu ở mục II"]
    shown = [f"{i}. {u['name']}" for i, u in enumerate(data.listing.shown, start=1)
             if u["received"]["total"] or u["resolved"]["total"] or u["satisfaction"]["votes"]]
    pieces = ["; ".join(shown[at:at + LEGEND_NAMES])
              for at in range(0, len(shown), LEGEND_NAMES)] or [""]
    pieces[0] = "Số dưới mỗi cột là số thứ tự đơn vị: " + pieces[0]
    return [f"{piece};" for piece in pieces[:-1]] + pieces[-1:]


def chart(data: MonthlyData, width: float) -> list:
    *first, last = _chart_numbers(data)
    legend = blocks.style(10, italic=True, align="justify", after=4)
    return [KeepTogether([blocks.heading("III. BIỂU ĐỒ CÁC TỶ LỆ BIỂU 06 THEO ĐƠN VỊ"),
                          rates_chart(data.listing.shown, data.kpi["targets"], width)]),
            *(blocks.para(piece, blocks.style(10, italic=True, align="justify"))
              for piece in first),
            blocks.para(f"{last}; vạch đứt màu đỏ là mục tiêu; cột màu nhạt là chưa đạt mục "
                        "tiêu; đơn vị không có số liệu thì không có cột.", legend)]


def behind(data: MonthlyData, width: float) -> list:
    head = [blocks.heading("IV. CÁC ĐƠN VỊ CHƯA ĐẠT CHỈ TIÊU BIỂU 06")]
    targets = data.kpi["targets"]
    # the last column holds a whole sentence ("Cần thêm 30 hồ sơ … để đạt 90%", "Cần 153/170 …");
    # a heading of "Cần thêm"/"Còn thiếu" above it said its first words twice
    rows = [["STT", "Đơn vị", "Chỉ tiêu chưa đạt", "Kết quả", "Mục tiêu", "Để đạt mục tiêu"]]
    for unit in data.kpi["units"]:
        for key in KEYS:
            if unit["meets"][key] is False:
                rows.append([str(len(rows)), unit["name"], INDICATORS[key].short,
                             result_text(unit, key, data.denominator), target_text(targets[key]),
                             _missing(data, unit, key)])
    if len(rows) == 1:
        return head + [blocks.body("Tất cả các đơn vị có số liệu đều đạt các chỉ tiêu.")]
    widths = [w * mm for w in (8, 33, 30, 26, 14, 54)]
    return head + [blocks.grid(rows, widths, size=9, left_cols=(1, 2, 5), paged=True)]


def _missing(data: MonthlyData, unit: dict, key: str) -> str:
    """What a unit lacks, in the dashboard's words (core.indicators.gaps, one sentence for the
    screen and the paper): "Cần 87/91 phiếu đánh giá hài lòng để đạt 95%, thực tế 86/91
    (thiếu 1)" once the period is over, "Cần thêm 7 …" while it runs. A bare "1 phiếu …"
    read as if one more vote would do (try25 F7)."""
    gap = gap_sentence(unit, key, data.kpi["targets"][key], data.denominator,
                       not data.provisional)
    return gap[:1].upper() + gap[1:] if gap else "—"


def _at_moment(data: MonthlyData) -> str:
    """'thời điểm cuối kỳ', or while the period runs 'thời điểm 10 giờ 15 phút, ngày
    30/11/2026' (the moment in the words of the page's foot, core.indicators.vocabulary)."""
    if not data.provisional:
        return "thời điểm cuối kỳ"
    return f"thời điểm {moment_words(data.moment)}"


# what "Thời gian quá hạn" counts: the words of the register (core.live_due.overdue_span), by
# its one length of a working day (core.due.DAY_HOURS, as core.live_due.span_text counts)
LATE_BASIS = ("Thời gian quá hạn tính theo giờ làm việc đến thời điểm trên (một ngày làm việc là "
              f"{DAY_HOURS} giờ), như cột thời hạn của sổ theo dõi hồ sơ.")


def overdue(data: MonthlyData, width: float) -> list:
    at = _at_moment(data)
    head = [blocks.heading(f"V. HỒ SƠ QUÁ HẠN TẠI {at.upper()}")]
    count = data.kpi["total"]["in_progress"]["overdue"]
    if not count:
        return head + [blocks.body(f"Không có hồ sơ nào quá hạn tại {at}.")]
    shown = data.overdue[:MAX_OVERDUE_ROWS]
    intro = f"Tại {at} có {vn_number(count)} hồ sơ đang giải quyết đã quá hạn"
    if count > len(shown):
        intro += (f"; dưới đây là {len(shown)} hồ sơ quá hạn lâu nhất, danh sách đầy đủ "
                  "xem trong phần mềm")
    rows = [["STT", "Mã hồ sơ", "Thủ tục hành chính", "Đơn vị", "Hạn trả kết quả",
             "Thời gian quá hạn", "Điện thoại người nộp"]]
    for index, row in enumerate(shown, start=1):
        # the code whole on one line (core.pdf.oneline), smaller when the column is narrow
        rows.append([str(index), OneLine(row.code, 9), row.procedure,
                     data.unit_name(row.unit_code),
                     f"{row.due:%H:%M} {vn_date(row.due)}", row.late or "",
                     mask_phone(row.phone)])
    # "1 ngày 7 giờ" on at most two lines: the procedure's column gives the room
    widths = [w * mm for w in (8, 37, 39, 27, 19, 16, 19)]
    return head + [blocks.body(intro + ":", size=11),
                   blocks.grid(rows, widths, size=9, left_cols=(1, 2, 3)),
                   blocks.body(LATE_BASIS, size=10)]


def satisfaction(data: MonthlyData, width: float) -> list:
    head = [blocks.heading("VI. MỨC ĐỘ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC")]
    total = data.kpi["total"]["satisfaction"]
    if not total["votes"]:
        return head + [blocks.body("Trong kỳ không có phiếu đánh giá nào của người dân, tổ chức.")]
    rows = [["STT", "Đơn vị"] + [name for _, name in RATINGS] + ["Tổng số phiếu",
                                                                   "Tỷ lệ hài lòng (Biểu 06)"]]
    sums = {key: 0 for key, _ in RATINGS}
    for unit in data.kpi["units"]:
        counts = data.votes.get(unit["code"], {})
        for key, _ in RATINGS:
            sums[key] += counts.get(key, 0)
    for index, unit in enumerate(data.listing.shown, start=1):
        rows.append([str(index), unit["name"]] + _vote_cells(data, unit))
    rows += folded_row(data, lambda unit: _vote_cells(data, unit))
    rows.append(["", "Tổng cộng"] + [vn_number(sums[k]) for k, _ in RATINGS]
                + [vn_number(total["votes"]), vn_percent(total["rate"])])
    widths = [w * mm for w in (8, 47, 18, 18, 18, 20, 18, 18)]
    # a row and a unit's own report count different votes: why, under the rows
    return head + [blocks.grid(rows, widths, size=9, bold_rows=(len(rows) - 1,), paged=True)] + \
        [_cover_note(text) for text in data.coverage]


def _vote_cells(data: MonthlyData, unit: dict) -> list[str]:
    counts = data.votes.get(unit["code"], {})
    return ([vn_number(counts.get(k, 0)) for k, _ in RATINGS]
            + [vn_number(unit["satisfaction"]["votes"]), vn_percent(unit["satisfaction"]["rate"])])


def payment(data: MonthlyData, width: float) -> list:
    head = [blocks.heading("VII. THANH TOÁN PHÍ, LỆ PHÍ TRỰC TUYẾN")]
    total = data.kpi["total"]["online_payment"]
    if not total["fee_dossiers"]:
        return head + [blocks.body("Trong kỳ không có hồ sơ nào phải nộp phí, lệ phí.")]
    rows = [["STT", "Đơn vị", "Hồ sơ có phí, lệ phí", "Đã thanh toán trực tuyến", "Tỷ lệ",
             "Đánh giá"]]
    for index, unit in enumerate(data.listing.shown, start=1):
        rows.append([str(index), unit["name"]] + _payment_cells(unit))
    rows += folded_row(data, _payment_cells)
    rows.append(["", "Tổng cộng", vn_number(total["fee_dossiers"]),
                 vn_number(total["paid_online"]), vn_percent(total["rate"]),
                 _met(data.kpi["total"]["meets"]["online_payment"])])
    widths = [w * mm for w in (8, 62, 25, 25, 20, 25)]
    return head + [blocks.grid(rows, widths, size=9, bold_rows=(len(rows) - 1,), paged=True)]


def _payment_cells(unit: dict) -> list[str]:
    item = unit["online_payment"]
    return [vn_number(item["fee_dossiers"]), vn_number(item["paid_online"]),
            vn_percent(item["rate"]), _met(unit["meets"]["online_payment"])]


def reception(data: MonthlyData, width: float) -> list:
    """The receiving desks' own workload (spec 5), only when some dossier of the scope was
    received at one unit for another: the figures above count it at its competent unit."""
    if not crosses_units(data.reception):
        return []
    head = [blocks.heading("VIII. TIẾP NHẬN HỒ SƠ THEO ĐƠN VỊ GIẢI QUYẾT"),
            blocks.body("Hồ sơ được tính vào số liệu của đơn vị có thẩm quyền giải quyết; "
                        "bộ phận tiếp nhận theo dõi số hồ sơ đã nhận trong kỳ như sau:", size=11)]
    rows = [["STT", "Nơi tiếp nhận", "Đơn vị giải quyết", "Số hồ sơ"]]
    for index, row in enumerate(data.reception, start=1):
        rows.append([str(index), row.receiving_name, row.competent_name, vn_number(row.count)])
    rows.append(["", "Tổng cộng", "", vn_number(sum(r.count for r in data.reception))])
    name = (width - 32 * mm) / 2  # the two names share what the number columns leave
    widths = [10 * mm, name, name, 22 * mm]
    return head + [blocks.grid(rows, widths, size=9, left_cols=(1, 2),
                               bold_rows=(len(rows) - 1,), paged=True),
                   _cover_note(RECEPTION_TOTAL)]


# Why this total and section II's received dossiers differ (try25 F7: xã Văn Quan's 24 here
# and 22 new there, on facing pages, with nothing saying why): core.indicators.reception
# counts what the scope's desks received plus what others received for the scope.
RECEPTION_TOTAL = (
    "Tổng cộng bảng này tính mọi hồ sơ tiếp nhận trong kỳ có nơi tiếp nhận hoặc đơn vị giải quyết "
    "thuộc phạm vi báo cáo: hồ sơ tự tiếp nhận và giải quyết, hồ sơ tiếp nhận hộ đơn vị khác, hồ sơ "
    "đơn vị khác tiếp nhận hộ. Mục II chỉ tính hồ sơ thuộc thẩm quyền giải quyết (hồ sơ tiếp nhận "
    "hộ tính cho đơn vị giải quyết) và có cả hồ sơ kỳ trước chuyển sang, nên hai tổng có thể khác "
    "nhau.")
