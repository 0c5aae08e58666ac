"""What each surface a leader reads shows, figure by figure, read back as a person reads it:
`kpi --json` (the reference) and its table, the monthly PDF's text, the Biểu 06 and 766
workbooks' cells, the Báo cáo screen's cells. Used by tests/gui/test_figures_everywhere.py.

Every expected text is written here from the JSON with the program's number words (vn_number,
vn_percent: "1.234", "80,63%", "—"), never with the surface's own row-making code, so a surface
that counts, rounds or names a figure on its own is caught."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

import main
from core.timefmt import vn_number, vn_percent
from tests.pdfread import pdf_text

COUNTS = ("received.total", "received.online", "received.direct_postal",
          "received.carried_over", "resolved.total", "resolved.early", "resolved.on_time",
          "resolved.late", "in_progress.total", "in_progress.within_time",
          "in_progress.overdue")
RATES = {"on_time": "on_time_rate", "online_full": "online_full.rate",
         "online_payment": "online_payment.rate", "satisfaction": "satisfaction.rate"}
FRACTIONS = {"on_time": ("resolved.early+resolved.on_time", "resolved.total"),
             "online_full": ("online_full.count", "online_full.eligible"),
             "online_payment": ("online_payment.paid_online", "online_payment.fee_dossiers"),
             "satisfaction": ("satisfaction.satisfied", "satisfaction.votes")}
I766 = ("on_time", "online", "online_payment", "e_result", "digitised", "satisfaction")


def at(figures: dict, path: str):
    """A figure by its path; "a+b" adds two."""
    if "+" in path:
        return sum(at(figures, part) for part in path.split("+"))
    for step in path.split("."):
        figures = figures[step]
    return figures


@dataclass
class Findings:
    """Every disagreement found, each naming the surface, the unit and the figure."""
    scenario: str
    found: list[str] = field(default_factory=list)

    def same(self, surface: str, unit: str, figure: str, shown, expected) -> None:
        if shown != expected:
            self.found.append(f"[{self.scenario}] {surface}, {unit}, {figure}: shows {shown!r}, "
                              f"kpi --json says {expected!r}")

    def check(self) -> None:
        assert not self.found, f"{len(self.found)} figure(s) differ:\n" + "\n".join(self.found)


def run(capsys, path: Path, *args: str) -> str:
    capsys.readouterr()
    code = main.main(["--db", str(path), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    return captured.out


def kpi_json(capsys, path: Path, first: str, last: str, unit: str | None, *more: str) -> dict:
    scope = ["--unit", unit] if unit else []
    return json.loads(run(capsys, path, "kpi", "--from", first, "--to", last, "--json", *scope,
                          *more))


def flat(text: str) -> str:
    return " ".join(text.split())


def count_cells(figures: dict) -> list[str]:
    return [vn_number(at(figures, path)) for path in COUNTS]


# ---- kpi's table --------------------------------------------------------------------------

def check_kpi_table(out: Findings, text: str, doc: dict, names: dict[str, str]) -> None:
    """Each unit's line of the Biểu 06 table and of the 766 table, then the total."""
    first, second = text.split("CHỈ SỐ 766", 1) if "CHỈ SỐ 766" in text else (text, "")
    rows = [(names[u["code"]], u) for u in doc["units"]] + [("TỔNG CỘNG", doc["total"])]
    for name, figures in rows:
        expected06 = [vn_number(at(figures, p)) for p in (
            "received.total", "received.online", "received.carried_over", "resolved.total")] + \
            [vn_percent(figures["on_time_rate"])] + [vn_number(at(figures, p)) for p in (
                "resolved.late", "in_progress.total", "in_progress.overdue")] + \
            [vn_percent(at(figures, RATES[k])) for k in ("online_full", "online_payment",
                                                         "satisfaction")]
        out.same("kpi (bảng Biểu 06)", name, "hàng", _line_cells(first, name, 11), expected06)
        expected766 = [vn_percent(figures["i766"][k]["rate"]) for k in I766]
        out.same("kpi (bảng 766)", name, "hàng", _line_cells(second, name, 6), expected766)


def _line_cells(text: str, name: str, count: int) -> list[str] | None:
    for line in text.splitlines():
        if line.startswith(name + " ") and line[len(name):].split()[:1] != []:
            cells = line[len(name):].split()
            if len(cells) == count:
                return cells
    return None


# ---- the monthly PDF ----------------------------------------------------------------------

def check_monthly_pdf(out: Findings, path: Path, doc: dict, names: dict[str, str]) -> None:
    text = flat(pdf_text(path))
    total = doc["total"]
    surface = "báo cáo tháng (PDF)"
    for key, (num, den) in FRACTIONS.items():  # section I, the total against the targets
        if key == "online_full" and doc["policy"]["online_denominator"] == "all":
            den = "online_full.received"  # spec 5: count / all received
        rate = at(total, RATES[key])
        if rate is not None:
            wanted = f"{vn_percent(rate)} ({vn_number(at(total, num))}/{vn_number(at(total, den))})"
            out.same(surface, "Tổng cộng", f"mục I, {key}", wanted in text, True)
    out.same(surface, "Tổng cộng", "Biểu 06", _after(text, r"Tổng cộng", 11), count_cells(total))
    for unit in doc["units"]:
        name = names[unit["code"]]
        if not _quiet(unit):  # a quiet unit may be folded into one counted line
            out.same(surface, name, "Biểu 06", _after(text, rf"\d+ {re.escape(name)}", 11),
                     count_cells(unit))
    _check_pdf_766(out, text, doc, names)
    _check_pdf_votes_and_fees(out, text, doc, names)


def _quiet(unit: dict) -> bool:
    return not (unit["received"]["total"] or unit["resolved"]["total"] or unit["withdrawn"]
                or unit["satisfaction"]["votes"])


def _after(text: str, head: str, count: int, start: int = 0) -> list[str] | None:
    """The `count` cells printed after the first `head` that is followed by that many cells."""
    cell = r"(?:[\d.]+|[\d.]+,\d+%|—)"
    found = re.search(rf"(?:^| ){head} ((?:{cell} ){{{count - 1}}}{cell})(?= |$)", text[start:])
    return found.group(1).split() if found else None


def _check_pdf_766(out: Findings, text: str, doc: dict, names: dict[str, str]) -> None:
    surface = "báo cáo tháng (PDF), mục 766"
    part = text[text.find("CÁC CHỈ SỐ THEO QUYẾT ĐỊNH 766"):]
    for key in I766:
        figure = doc["total"]["i766"][key]
        if figure["rate"] is not None:
            wanted = (f"{vn_percent(figure['rate'])} ({vn_number(figure['num'])}/"
                      f"{vn_number(figure['den'])})")
            out.same(surface, "Tổng cộng", key, wanted in part, True)
    for unit in doc["units"]:
        if not _quiet(unit):
            name = names[unit["code"]]
            out.same(surface, name, "hàng", _after(part, rf"\d+ {re.escape(name)}", 6),
                     [vn_percent(unit["i766"][k]["rate"]) for k in I766])


def _check_pdf_votes_and_fees(out: Findings, text: str, doc: dict, names: dict[str, str]) -> None:
    votes = text[text.find("VI. MỨC ĐỘ HÀI LÒNG"):]
    fees = text[text.find("VII. THANH TOÁN PHÍ"):]
    for unit in [*doc["units"], {**doc["total"], "code": ""}]:
        name = names.get(unit["code"], "Tổng cộng")
        head = rf"\d+ {re.escape(name)}" if unit["code"] else "Tổng cộng"
        if unit["code"] and _quiet(unit):
            continue
        sat = unit["satisfaction"]
        if doc["total"]["satisfaction"]["votes"]:
            cells = _after(votes, head, 6)
            out.same("báo cáo tháng (PDF), mục VI", name, "phiếu, tỷ lệ",
                     cells and cells[4:], [vn_number(sat["votes"]), vn_percent(sat["rate"])])
            out.same("báo cáo tháng (PDF), mục VI", name, "cộng bốn mức = tổng số phiếu",
                     cells and sum(int(c.replace(".", "")) for c in cells[:4]), sat["votes"])
        pay = unit["online_payment"]
        if doc["total"]["online_payment"]["fee_dossiers"]:
            out.same("báo cáo tháng (PDF), mục VII", name, "phí, trực tuyến, tỷ lệ",
                     _after(fees, head, 3), [vn_number(pay["fee_dossiers"]),
                                             vn_number(pay["paid_online"]),
                                             vn_percent(pay["rate"])])


# ---- the workbooks ------------------------------------------------------------------------

def check_workbooks(out: Findings, b06: Path, i766: Path, doc: dict,
                    names: dict[str, str]) -> None:
    rows06 = {row[1]: list(row[2:13]) for row in load_workbook(b06).active.iter_rows(
        values_only=True) if len(row) >= 13 and isinstance(row[1], str)
        and all(isinstance(v, int) for v in row[2:13])}
    rows766 = {row[1]: list(row[2:20]) for row in load_workbook(i766).active.iter_rows(
        values_only=True) if len(row) >= 20 and isinstance(row[1], str)
        and isinstance(row[2], int)}
    for name, figures in [(names[u["code"]], u) for u in doc["units"]] + \
            [("Tổng cộng", doc["total"])]:
        out.same("Biểu 06 (xlsx)", name, "cột (3)–(13)", rows06.get(name),
                 [at(figures, p) for p in COUNTS])
        wanted = []
        for key in I766:
            part = figures["i766"][key]
            wanted += [part["num"], part["den"], "—" if part["rate"] is None else part["rate"]]
        out.same("Chỉ số 766 (xlsx)", name, "tử, mẫu, tỷ lệ", rows766.get(name), wanted)


# ---- the Báo cáo screen -------------------------------------------------------------------

def check_screen(out: Findings, model, doc: dict) -> None:
    """Each row of the screen's table, found by its unit's code (the total by its label)."""
    from PySide6.QtCore import Qt
    shown = {}
    for row in range(model.rowCount()):
        code = model.index(row, 0).data(Qt.ItemDataRole.UserRole) or model.index(row, 0).data()
        shown[code] = [model.index(row, c).data() for c in range(1, model.columnCount())]
    for code, figures in [(u["code"], u) for u in doc["units"]] + [("TỔNG CỘNG", doc["total"])]:
        wanted = count_cells(figures) + [vn_number(figures["withdrawn"])] + \
            [vn_percent(at(figures, RATES[k])) for k in RATES]
        out.same("Báo cáo (màn hình)", code, "hàng", shown.get(code), wanted)


# ---- the dashboard (Tổng quan) ------------------------------------------------------------

def check_dashboard(out: Findings, screen, doc: dict) -> None:
    """Its two unit tables (Biểu 06's four rates, 766's six) and the 766 cards (the page
    opened: it is built when first shown)."""
    from PySide6.QtCore import Qt

    def rows(model) -> dict:
        return {model.index(r, 0).data(Qt.ItemDataRole.UserRole):
                [model.index(r, c).data() for c in range(1, model.columnCount())]
                for r in range(model.rowCount())}
    shown06, shown766 = rows(screen.unit_rates), rows(screen.page_766.rates)
    for unit in doc["units"]:
        out.same("Tổng quan (bảng Biểu 06)", unit["code"], "tỷ lệ", shown06.get(unit["code"]),
                 [vn_percent(at(unit, RATES[k])) for k in RATES])
        out.same("Tổng quan (bảng 766)", unit["code"], "tỷ lệ", shown766.get(unit["code"]),
                 [vn_percent(unit["i766"][k]["rate"]) for k in I766])
    for key, card in screen.page_766.cards.items():
        part = doc["total"]["i766"][key]
        words = flat(re.sub("<[^>]+>", " ", card.numbers.text()))  # "num / den …", links dropped
        shown = (flat(re.sub("<[^>]+>", "", card.rate.text())),
                 [int(n.replace(".", "")) for n in re.findall(r"\d[\d.]*", words)[:2]])
        out.same("Tổng quan (thẻ 766)", "Tổng cộng", key, shown,
                 (vn_percent(part["rate"]), [part["num"], part["den"]]))


# ---- the reconciliation's MotCua side -----------------------------------------------------

def check_reconciliation(out: Findings, result, doc: dict) -> None:
    """Column MotCua of the side-by-side figures (window, PDF, workbook and command print these
    cells: tests/gui/reconciliation/test_figures_agree.py)."""
    rows = {row.key: row.cells[0] for row in result.indicators}
    total = doc["total"]
    for key in ("received.total", "resolved.total", "resolved.late", "in_progress.overdue"):
        out.same("đối chiếu (cột MotCua)", "Tổng cộng", key, rows[key].num, at(total, key))
    for key, path in RATES.items():
        out.same("đối chiếu (cột MotCua)", "Tổng cộng", f"06:{key}", rows[f"06:{key}"].rate,
                 at(total, path))
    for key, part in total["i766"].items():
        cell = rows[f"766:{key}"]
        out.same("đối chiếu (cột MotCua)", "Tổng cộng", f"766:{key}",
                 (cell.num, cell.den, cell.rate), (part["num"], part["den"], part["rate"]))


def check_overdue_list(out: Findings, path: Path, doc: dict) -> None:
    """Section V lists every dossier counted in in_progress.overdue (up to 100 of them)."""
    text = flat(pdf_text(path))
    start = text.find("V. HỒ SƠ QUÁ HẠN")
    part = text[start:text.find("VI. MỨC ĐỘ HÀI LÒNG", start)]
    codes = set(re.findall(r"\b[\w.]+-\d{6}-\d{4,}\b", part))
    overdue = doc["total"]["in_progress"]["overdue"]
    if overdue <= 100:
        out.same("báo cáo tháng (PDF), mục V", "Tổng cộng", "số hồ sơ quá hạn trong danh sách",
                 len(codes), overdue)


def check_coverage(out: Findings, covers: list, own_reports: dict[str, dict]) -> None:
    """The sentence under a unit's row ("… khi gộp") gives what the unit's own report prints."""
    for cover in covers:
        report = own_reports[cover.code]["total"]["satisfaction"]
        out.same("câu 'khi gộp' (Báo cáo, PDF, Tổng quan)", cover.code, "satisfaction",
                 cover.combined, report)


def check_by_field(out: Findings, pdf: Path, book: Path, doc: dict) -> None:
    """Biểu 06 by field (its own pass over the dossiers, core.indicators.by_field): the total
    row of the PDF and of the workbook is the engine's total."""
    text = flat(pdf_text(pdf))
    table = text[text.find("II. TÌNH HÌNH"):]
    out.same("báo cáo tháng theo lĩnh vực (PDF)", "Tổng cộng", "Biểu 06",
             _after(table, "Tổng cộng", 11), count_cells(doc["total"]))
    rows = [row for row in load_workbook(book).active.iter_rows(values_only=True)
            if len(row) >= 13 and row[1] == "Tổng cộng"]
    out.same("Biểu 06 theo lĩnh vực (xlsx)", "Tổng cộng", "cột (3)–(13)",
             list(rows[0][2:13]) if rows else None, [at(doc["total"], p) for p in COUNTS])


def check_units_behind(out: Findings, path: Path, doc: dict, names: dict[str, str]) -> None:
    """Section IV: each unit below a Biểu 06 target, its result as kpi --json gives it."""
    from core.indicators.vocabulary import INDICATORS
    text = flat(pdf_text(path))
    part = text[text.find("IV. CÁC ĐƠN VỊ CHƯA ĐẠT"):text.find("V. HỒ SƠ QUÁ HẠN")]
    index = 0
    for unit in doc["units"]:
        for key, (num, den) in FRACTIONS.items():
            if unit["meets"][key] is not False:
                continue
            index += 1
            if key == "online_full" and doc["policy"]["online_denominator"] == "all":
                den = "online_full.received"
            result = (f"{vn_percent(at(unit, RATES[key]))} ({vn_number(at(unit, num))}/"
                      f"{vn_number(at(unit, den))})")
            row = f"{index} {names[unit['code']]} {INDICATORS[key].short} {result}"
            out.same("báo cáo tháng (PDF), mục IV", names[unit["code"]], key, row in part, True)


def check_status_bar(out: Findings, text: str, doc: dict) -> None:
    """The status bar's "quá hạn" (every open dossier overdue now) is, while a period runs and
    for the whole office, the period's in_progress.overdue: every open dossier is in it."""
    found = re.search(r"quá hạn ([\d.]+)", text)
    out.same("thanh trạng thái", "toàn cơ quan", "quá hạn",
             int(found.group(1).replace(".", "")) if found else text,
             doc["total"]["in_progress"]["overdue"])


def check_reception(out: Findings, model, doc: dict) -> None:
    """The receiving desks' table under Báo cáo (the monthly report's section VIII): what every
    desk received for a unit adds up to the dossiers that unit's row received in the period."""
    received: dict[str, int] = {}
    for row in range(model.rowCount()):
        record = model.record(row)
        received[record.competent_code] = received.get(record.competent_code, 0) + record.count
    for unit in doc["units"]:
        out.same("Báo cáo (tiếp nhận theo đơn vị giải quyết)", unit["code"],
                 "received.online+received.direct_postal", received.get(unit["code"], 0),
                 unit["received"]["online"] + unit["received"]["direct_postal"])
