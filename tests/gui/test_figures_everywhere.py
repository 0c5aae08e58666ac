"""A leader signs the month: every figure agrees wherever it is shown (round 35).

For small databases — demos of two seeds, a month still running (evaluated now, the clock the
tests freeze), closed months, a commune with a reception point below it and the communes merged
into it on 01/07/2025 (the state-report month of July 2025 crosses the merge), both supplement
policies and both due bases, and a centre that merged the packages of two other offices — the
figures of `kpi --json` are compared value by value with what `kpi` prints as a table, the
monthly PDF's text (sections I, II, VI, VII and 766), the Biểu 06 and 766 workbooks' cells, and
the Báo cáo screen's cells after a leader chose the kind of period, the month and the unit with
the keyboard and mouse. tests/gui/test_consistency.py compares totals on one demo;
tests/gui/reconciliation/test_figures_agree.py the reconciliation's four places; these compare
every unit's row on every printed surface."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt

from core import indicators, periods, timefmt
from core.database import open_database
from db import settings
from tests import figures_surfaces as S

DEMO_DAY = dt.date(2026, 11, 27)


@dataclass(frozen=True)
class Case:
    name: str
    database: str             # "demo3", "demo8" or "centre"
    now: dt.datetime          # the clock (a running period is evaluated at it)
    kind: str                 # "month" | "cutoff_month": the report's --period calendar|state
    month: str                # YYYY-MM
    unit: str | None
    supplement: str = "pause"
    due_basis: str = "original"
    denominator: str = "eligible"
    as_of: str | None = None  # `--as-of` of kpi and the monthly report (the others have none)

    @property
    def period(self) -> periods.Period:
        year, month = map(int, self.month.split("-"))
        return periods.preset(self.kind, dt.date(year, month, 14))


CASES = [
    # November 2026 still running: open dossiers classified at 10:15 on 27/11
    Case("running-month", "demo3", dt.datetime(2026, 11, 27, 10, 15), "month", "2026-11", None),
    # a closed month of a commune with a reception point and predecessors, restart + extended
    Case("closed-commune-restart-extended", "demo8", dt.datetime(2026, 11, 27, 10, 15),
         "month", "2026-10", "000.43.00.H37", "restart", "extended", "all"),
    # the state-report month 15/06–14/07/2025 across the merge of 01/07/2025
    Case("merge-state-month", "demo3", dt.datetime(2026, 11, 27, 10, 15), "cutoff_month",
         "2025-07", "000.41.00.H37", "restart", "original"),
    Case("whole-office-state-month-extended", "demo8", dt.datetime(2026, 11, 27, 10, 15),
         "cutoff_month", "2026-11", None, "pause", "extended"),
    # as recorded at a moment inside a closed month (--as-of): kpi and the monthly report
    Case("as-of-inside-october", "demo3", dt.datetime(2026, 11, 27, 10, 15), "month",
         "2026-10", None, "restart", "original", as_of="2026-10-20 15:30"),
    # the centre's consolidated month after `exchange import` of two offices' packages
    Case("centre-merged-packages", "centre", dt.datetime(2026, 12, 2, 10, 0), "month",
         "2026-11", None),
]


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """The demos are made once for the module (a few hundred dossiers each); the centre by
    tests.test_centre_month's offices, packages exported and imported with the real commands."""
    from core import demo
    made = {}
    for name, seed in (("demo3", 3), ("demo8", 8)):
        path = tmp_path_factory.mktemp(name) / f"{name}.db"
        db = open_database(path)
        demo.generate(db, dossiers=700, seed=seed, today=DEMO_DAY)
        db.close()
        made[name] = path
    made["centre"] = None  # made on demand: it needs capsys and the frozen clock
    return made


def centre(tmp_path, capsys) -> object:
    from tests import test_centre_month as C
    offices = {name: C.Office(tmp_path, capsys, name) for name in ("centre", "quay_a", "van_quan")}
    units = tmp_path / "units.csv"
    units.write_text(C.CENTRE_UNITS, encoding="utf-8")
    assert C.run(capsys, offices["centre"].path, "import", "units", str(units))[0] == 0
    for name in ("centre", "quay_a"):
        offices[name].work(C.centre_day(offices[name]))
    offices["van_quan"].work(C.commune_day(offices["van_quan"]))
    packages = []
    for name in ("quay_a", "van_quan"):
        out = tmp_path / f"{name}.zip"
        code, text = C.run(capsys, offices[name].path, "exchange", "export", "--since",
                           "2026-11-01", "--out", str(out))
        assert code == 0, text
        packages.append(str(out))
    code, text = C.run(capsys, offices["centre"].path, "exchange", "import", *packages)
    assert code == 0 and "hồ sơ mới 5," in text, text
    return offices["centre"].path


def choose_on_screen(qtbot, screen, kind_box, units, case: Case) -> None:
    """As a leader does: the kind of period from its list, the month typed, the unit picked
    (Báo cáo and Tổng quan have the same three controls)."""
    kind_box.setFocus()
    while kind_box.currentData() != case.kind:
        qtbot.keyClick(kind_box, Qt.Key.Key_Down)
    field = screen.month_edit
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    year, month = case.month.split("-")
    qtbot.keyClicks(field.edit, f"{month}/{year}")
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    qtbot.mouseClick(units, Qt.MouseButton.LeftButton)  # opens its list; keys choose
    qtbot.keyClick(units.view(), Qt.Key.Key_Escape)
    units.setFocus()
    qtbot.keyClick(units, Qt.Key.Key_Home)
    while units.currentData() != case.unit:
        qtbot.keyClick(units, Qt.Key.Key_Down)


def reports_screen(qtbot, db, case: Case):
    from gui.reports import ReportsScreen
    screen = ReportsScreen(db, today=case.now.date())
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()  # as the window does when the screen is opened (gui.main_nav)
    choose_on_screen(qtbot, screen, screen.preset, screen.period.unit_box, case)
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    assert screen.period.period() == (case.period.start, case.period.end)
    return screen


def dashboard(qtbot, db, case: Case):
    from gui.dashboard.screen import DashboardScreen
    screen = DashboardScreen(db, today=case.now.date())
    qtbot.addWidget(screen)
    screen.show()
    choose_on_screen(qtbot, screen, screen.preset_box, screen.unit_box, case)
    screen.refresh()  # a small file: computed here, at once
    assert screen.period() == case.period and screen.unit() == case.unit
    from tests.gui.clicks import button_named, click
    click(qtbot, button_named(screen, "Chỉ số 766"))  # its page is built when first opened
    return screen


def status_bar(qtbot, db, now: dt.datetime) -> str:
    from PySide6.QtWidgets import QLabel

    from gui.status_counts import TodayCounts
    label = QLabel()
    qtbot.addWidget(label)
    counts = TodayCounts(label, label, lambda: db, lambda: now)
    counts.update()
    qtbot.waitUntil(lambda: label.text() != "" and not label.property("pending"), timeout=30000)
    return label.text()


def reconciled(capsys, path, case: Case, tmp_path):
    """The reconciliation of MotCua's own dossiers exported for the province (national names):
    its MotCua column is what a leader compares with the province's."""
    from core.reconcile import reconcile
    period, scope = case.period, ["--unit", case.unit] if case.unit else []
    national = tmp_path / "tinh.csv"
    S.run(capsys, path, "export", "dossiers", "--profile", "national", "--from",
          period.start.isoformat(), "--to", period.end.isoformat(), *scope, str(national))
    db = open_database(path, create=False, mode="read")
    try:
        return reconcile(db, str(national), period.start, period.end, unit=case.unit,
                         profile="national")
    finally:
        db.close()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_surface_shows_the_figures_of_kpi_json(qtbot, databases, case, tmp_path,
                                                     capsys, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: case.now)
    path = databases[case.database] or centre(tmp_path, capsys)
    db = open_database(path)
    for key, value in (("supplement_policy", case.supplement), ("due_basis", case.due_basis),
                       ("online_denominator", case.denominator)):
        settings.put(db, key, value)
    period = case.period
    first, last = period.start.isoformat(), period.end.isoformat()
    moment = ["--as-of", case.as_of] if case.as_of else []
    doc = S.kpi_json(capsys, path, first, last, case.unit, *moment)
    clock = dt.datetime.fromisoformat(case.as_of) if case.as_of else case.now
    assert doc["as_of"] == timefmt.to_db_time(min(period.end_moment, clock))
    assert doc["policy"] == {"supplement": case.supplement, "due_basis": case.due_basis,
                             "online_denominator": case.denominator}
    assert doc["total"]["received"]["total"] > 0, "a case with nothing to compare"
    # the names the printed tables use: a unit listed in a period it did not cover whole is
    # named with its history (core.indicators.history_names); kpi --json keeps the catalogue's
    names = {u["code"]: u["name"] for u in indicators.compute(
        db, period.start, period.end, unit=case.unit,
        as_of=dt.datetime.fromisoformat(case.as_of) if case.as_of else None)["units"]}
    if case.unit == "000.41.00.H37" and case.month == "2025-07":  # the merge is in the rows
        assert sum("→" in name for name in names.values()) >= 2, names
    found = S.Findings(case.name)
    scope = ["--unit", case.unit] if case.unit else []
    S.check_kpi_table(found, S.run(capsys, path, "kpi", "--from", first, "--to", last, *scope,
                                   *moment), doc, names)
    pdf = tmp_path / "thang.pdf"
    S.run(capsys, path, "report", "monthly", "--month", case.month, "--period",
          "state" if case.kind == "cutoff_month" else "calendar", *scope, *moment, "--out", str(pdf))
    S.check_monthly_pdf(found, pdf, doc, names)
    S.check_overdue_list(found, pdf, doc)
    S.check_units_behind(found, pdf, doc, names)
    if case.as_of:  # the workbooks, the screens and Biểu 06 by field have no --as-of
        db.close()
        return found.check()
    from core.indicators.coverage import coverages
    covers = coverages(db, indicators.compute(db, period.start, period.end, unit=case.unit))
    S.check_coverage(found, covers, {c.code: S.kpi_json(capsys, path, first, last, c.code)
                                     for c in covers})
    books = {kind: tmp_path / f"{kind}.xlsx" for kind in ("bieu06", "i766")}
    for kind, book in books.items():
        S.run(capsys, path, "export", kind, "--from", first, "--to", last, *scope, str(book))
    S.check_workbooks(found, books["bieu06"], books["i766"], doc, names)
    field_pdf, field_book = tmp_path / "linh-vuc.pdf", tmp_path / "linh-vuc.xlsx"
    S.run(capsys, path, "report", "monthly", "--month", case.month, "--period",
          "state" if case.kind == "cutoff_month" else "calendar", *scope, "--by", "field",
          "--out", str(field_pdf))
    S.run(capsys, path, "export", "bieu06", "--by", "field", "--from", first, "--to", last,
          *scope, str(field_book))
    S.check_by_field(found, field_pdf, field_book, doc)
    reports = reports_screen(qtbot, db, case)
    S.check_screen(found, reports.model, doc)
    S.check_reception(found, reports.reception_model, doc)
    S.check_dashboard(found, dashboard(qtbot, db, case), doc)
    S.check_reconciliation(found, reconciled(capsys, path, case, tmp_path), doc)
    if case.unit is None and not period.is_over(case.now):
        S.check_status_bar(found, status_bar(qtbot, db, case.now), doc)
    db.close()
    found.check()
