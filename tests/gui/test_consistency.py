"""One truth for every figure (issue 11): on a demo office, for random periods (running ones,
state-report months, closed ones), scopes and policies, the dashboard cards and strip, every
list behind a figure, the Báo cáo screen's Biểu 06, the monthly PDF and `kpi --json` agree."""
from __future__ import annotations

import datetime as dt
import json
import random
import re

import pypdfium2
import pytest

import main
from core import timefmt
from core.database import open_database
from core.indicators.drill import DOSSIER_FIGURES, VOTE_FIGURES, votes_behind
from core.indicators.vocabulary import FIGURE_NAMES, KEYS
from core.pdf.monthly import build_monthly
from core.pdf.monthly_data import result_text
from core.pdf.monthly_sections import table06_row
from core.periods import preset
from core.unit_scope import subtree_codes
from db import settings
from gui.dashboard import behind
from gui.dashboard.screen import DashboardScreen
from gui.dossiers.register_model import RegisterModel
from gui.reports import ReportsScreen

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 10, 15)  # the demo records events later today too
PRESETS = ("month", "cutoff_month", "quarter", "half", "year", "cutoff_quarter")
POLICIES = [{"supplement": s, "due_basis": b, "online_denominator": d}
            for s in ("pause", "restart") for b in ("original", "extended")
            for d in ("eligible", "all")]


def cases(count: int = 6) -> list[tuple[str, dt.date, bool, dict]]:
    """(preset, a day of the month it reports, scoped to a unit?, policy); the first is the
    running month, the second the state-report month that ended on 14/11, the third the
    running year."""
    draw = random.Random(11)
    out = [("month", TODAY, False, POLICIES[0]), ("cutoff_month", TODAY, True, POLICIES[5]),
           ("year", TODAY, False, POLICIES[7])]
    kinds = draw.sample(PRESETS, len(PRESETS))
    while len(out) < count:
        day = TODAY - dt.timedelta(days=draw.randint(0, 400))
        out.append((kinds[len(out) % len(kinds)], day, draw.random() < 0.5, draw.choice(POLICIES)))
    return out


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    from core import demo
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(path)
    demo.generate(db, dossiers=2500, seed=3, today=TODAY)
    db.close()
    return path


@pytest.fixture
def office(demo_path, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    db = open_database(demo_path)
    yield db
    db.close()


def kpi_json(path, period, unit, policy, capsys) -> dict:
    argv = ["--db", str(path), "kpi", "--from", period.start.isoformat(), "--to",
            period.end.isoformat(), "--json", "--supplement", policy["supplement"],
            "--due-basis", policy["due_basis"], "--online-denominator",
            policy["online_denominator"]] + (["--unit", unit] if unit else [])
    capsys.readouterr()
    assert main.main(argv) == 0
    return json.loads(capsys.readouterr().out)


def value_at(figures: dict, path: str) -> int:
    return sum(_one(figures, part) for part in path.split("+"))


def _one(figures: dict, path: str):
    for step in path.split("."):
        figures = figures[step]
    return figures


def linked_figures(html: str) -> dict[str, int]:
    return {figure: int(number.replace(".", ""))
            for figure, number in re.findall(r"href='([^']+)'>([\d.]+)<", html)}


def pdf_pages(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split())
                for i in range(len(document))]
    finally:
        document.close()


def choose_unit(db, scoped: bool, seed: int) -> str | None:
    if not scoped:
        return None
    parents = [r[0] for r in db.execute(
        "SELECT DISTINCT parent_code FROM units WHERE parent_code IS NOT NULL ORDER BY 1")]
    leaves = [r[0] for r in db.execute("SELECT code FROM units ORDER BY code")]
    return random.Random(seed).choice(parents + leaves[:3])


@pytest.mark.parametrize("case", range(6))
def test_every_place_gives_the_same_numbers(qtbot, office, demo_path, capsys, case):
    kind, day, scoped, policy = cases()[case]
    period = preset(kind, day)
    unit = choose_unit(office, scoped, case)
    for key, value in (("supplement_policy", policy["supplement"]),
                       ("due_basis", policy["due_basis"]),
                       ("online_denominator", policy["online_denominator"])):
        settings.put(office, key, value)
    doc = kpi_json(demo_path, period, unit, policy, capsys)
    total = doc["total"]
    assert doc["as_of"] == timefmt.to_db_time(min(period.end_moment, NOW))

    dashboard = dashboard_figures(qtbot, office, kind, day, unit)
    assert dashboard["as_of"] == doc["as_of"]
    assert dashboard["total"] == total
    shown = {}
    for card in dashboard["cards"].values():
        shown.update(linked_figures(card.numbers.text()))
    shown.update(linked_figures(dashboard["strip"]))
    for figure, number in shown.items():
        assert number == value_at(total, figure), figure
    for figure in set(shown) | set(DOSSIER_FIGURES) | set(VOTE_FIGURES):
        assert figure in FIGURE_NAMES
        assert len(list_behind(office, figure, period, unit)) == value_at(total, figure), figure

    assert biểu_06(qtbot, office, period, unit) == table06_row(total)
    if period.start <= NOW.date() and NOW < period.end_moment:
        # a running period holds every open dossier: the register's "Quá hạn" tab is now
        register = RegisterModel(office)
        register.prepare()
        register.filter.units = subtree_codes(office, unit) if unit else []
        assert register.count("overdue") == total["in_progress"]["overdue"]
    check_pdf(build_monthly(office, period, unit), doc, period)


def dashboard_figures(qtbot, db, kind, day, unit) -> dict:
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.preset_box.setCurrentIndex(screen.preset_box.findData(kind))
    screen.month_edit.set_value(day)
    screen.unit_box.setCurrentIndex(screen.unit_box.findData(unit))
    screen.refresh()
    return {"as_of": screen.result["as_of"], "total": screen.result["total"],
            "cards": screen.cards, "strip": screen.strip.text(),
            "label": screen.period_label.text()}


def list_behind(db, figure, period, unit) -> list[int]:
    if figure in VOTE_FIGURES:
        return votes_behind(db, figure, period.start, period.end, unit=unit)
    return behind.dossier_ids(db, figure, period, unit)


def biểu_06(qtbot, db, period, unit) -> list[str]:
    """The TỔNG CỘNG row of the Báo cáo screen, in the columns of Biểu 06."""
    screen = ReportsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.period.unit_box.setCurrentIndex(screen.period.unit_box.findData(unit))
    screen.period.set_period(period.start, period.end)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)  # figures come from a worker
    shown = screen.table.model()
    last = shown.rowCount() - 1
    cells = [shown.index(last, c).data() for c in range(1, 12)]
    assert shown.index(last, 0).data() == "TỔNG CỘNG"
    # the screen shows withdrawn after the in-progress columns; Biểu 06 has its 11 columns
    return cells


def check_pdf(data: bytes, doc: dict, period) -> None:
    pages = pdf_pages(data)
    text = " ".join(pages)
    total = doc["total"]
    if not (total["received"]["total"] or total["resolved"]["total"] or total["withdrawn"]
            or total["satisfaction"]["votes"]):
        assert "không có số liệu" in text
        return
    row = text.split("Tổng cộng", 1)[1].split()[:11]
    assert row == table06_row(total)
    for key in KEYS:
        assert result_text(total, key, doc["policy"]["online_denominator"]) in text, key
    overdue = total["in_progress"]["overdue"]
    if overdue:
        assert re.search(rf"có {re.escape(f'{overdue:,}'.replace(',', '.'))} hồ sơ đang giải "
                         "quyết đã quá hạn", text)
    else:
        assert "Không có hồ sơ nào quá hạn" in text
    provisional = NOW < period.end_moment
    assert all(("Số liệu tạm tính đến 10 giờ 15 phút, ngày 27/11/2026" in page) == provisional
               for page in pages)


def test_the_moment_reads_the_same_on_screen_and_on_paper(qtbot, office, demo_path, capsys,
                                                           tmp_path):
    """A running month says it is provisional, at one moment in one wording, wherever a leader
    reads it: the dashboard, the Báo cáo screen, `kpi`, the monthly PDF (every page, and its
    overdue heading) and the Biểu 06 workbook (the reconciliation's PDF uses the same line).
    The screens said '10:15 27/11/2026', as did the reconciliation's PDF, the monthly PDF's
    pages '10 giờ 15 phút, ngày 27/11/2026' but its overdue heading '10:15 ngày 27/11/2026',
    and `kpi` '10:15 ngày 27/11/2026'."""
    import openpyxl

    from core.workbook.bieu06 import save_bieu06
    stamp = "tạm tính đến 10 giờ 15 phút, ngày 27/11/2026"
    period = preset("month", TODAY)
    assert stamp in dashboard_figures(qtbot, office, "month", TODAY, None)["label"]

    reports = ReportsScreen(office, today=TODAY)
    qtbot.addWidget(reports)
    reports.period.set_period(period.start, period.end)
    qtbot.waitUntil(lambda: not reports.computing(), timeout=30000)
    assert stamp in reports.title.text()

    capsys.readouterr()
    assert main.main(["--db", str(demo_path), "kpi", "--from", period.start.isoformat(),
                      "--to", period.end.isoformat()]) == 0
    assert "Số liệu " + stamp in capsys.readouterr().out

    pages = pdf_pages(build_monthly(office, period, None))
    assert all("Số liệu " + stamp in page for page in pages)
    assert "HỒ SƠ QUÁ HẠN TẠI THỜI ĐIỂM 10 GIỜ 15 PHÚT, NGÀY 27/11/2026" in " ".join(pages)

    book = tmp_path / "b06.xlsx"
    save_bieu06(office, book, period.start, period.end)
    cells = [c for row in openpyxl.load_workbook(book).active.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert "Số liệu " + stamp in cells
