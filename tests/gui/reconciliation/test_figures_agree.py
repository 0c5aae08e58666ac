"""One reconciliation, four places (round 18): the window's side-by-side table, the PDF, the
workbook and the `reconcile` command show the same figures for the same file, period and unit,
and MotCua's column is what `kpi --json` says at the same moment. A leader holding the signed
paper beside the Excel file and the screen must never find two numbers for one figure."""
from __future__ import annotations

import json
import re

from openpyxl import load_workbook
from PySide6.QtCore import Qt

import main
from core.reconcile.cli import command
from core.timefmt import vn_number, vn_percent
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, _args, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    click_tab,
    dialog,
    office,
    run,
)
from tests.pdfread import pdf_text

UNIT = "XTD"


def _pick_unit(qtbot, box, code: str) -> None:
    while box.currentData() != code:
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentData() == code


def _flat(text: str) -> str:
    return " ".join(text.split())


def _workbook_texts(path) -> dict[str, list[str]]:
    """{indicator: [MotCua, province, province entered, change]} as the sheet's cells say."""
    sheet = load_workbook(path)["Chỉ tiêu"]
    found: dict[str, list[str]] = {}
    for row in sheet.iter_rows(values_only=True):
        if not isinstance(row[0], int) or len(row) < 10:
            continue
        texts = []
        for value, detail in zip(row[3:9:2], row[4:10:2], strict=True):
            if isinstance(value, str) and not detail:  # "không so sánh được (*)"
                texts.append(value)
            elif detail is None or detail == "(**)":  # a count
                texts.append(vn_number(value) + (f" {detail}" if detail else ""))
            else:  # a rate and "num/den[ (**)]"
                ratio, _, mark = detail.partition(" ")
                num, den = ratio.split("/")
                texts.append(f"{vn_percent(None if value == '—' else value)} "
                             f"({vn_number(int(num))}/{vn_number(int(den))})"
                             + (f" {mark}" if mark else ""))
        change = row[9]
        if isinstance(change, (int, float)):
            is_count = float(change).is_integer() and "(" not in texts[0]
            sign = "+" if change > 0 else "−" if change < 0 else ""
            magnitude = vn_number(abs(int(change))) if is_count else \
                f"{abs(change):.2f}".replace(".", ",") + " điểm %"
            change = "0" if not change else sign + magnitude
        found[row[1]] = texts + [change]
    return found


def test_the_window_the_pdf_the_workbook_and_the_command_agree(qtbot, dialog, office,  # noqa: F811
                                                                db_path, tmp_path, monkeypatch,
                                                                capsys):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    _pick_unit(qtbot, dialog.unit, UNIT)
    run(qtbot, dialog)
    click_tab(qtbot, dialog, 1)  # the side-by-side figures, the first tab after the mapping
    assert dialog.tabs.currentWidget().isAncestorOf(dialog.views["indicators"])
    model = dialog.views["indicators"].model()
    window = {model.index(r, 0).data(): [model.index(r, c).data() for c in range(2, 6)]
              for r in range(model.rowCount())}
    assert dialog.result.unit == UNIT and len(window) >= 10
    first, last = dialog.result.date_from.isoformat(), dialog.result.date_to.isoformat()
    assert (first, last) == ("2025-01-01", "2025-01-31")
    # the command, its PDF and its workbook for the same file, period and unit
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    capsys.readouterr()
    assert command(_args(db_path, source, unit=UNIT, out=str(pdf))) == 0
    assert command(_args(db_path, source, unit=UNIT, out=str(book))) == 0
    out = capsys.readouterr().out
    cli: dict[str, list[str]] = {}
    for line in out.splitlines():
        found = re.fullmatch(r"  (?:\[[^\]]+\] )?(.+?): (.+ \| .+ \| .+ \| .+)", line)
        if found and found.group(1) in window:
            cli.setdefault(found.group(1), found.group(2).split(" | "))
    assert cli == window
    assert _workbook_texts(book) == window
    paper = _flat(pdf_text(pdf).split("II. Hồ sơ có trong MotCua")[0])
    for name, texts in window.items():
        assert " ".join(texts) in paper, (name, texts)
    # MotCua's column is the engine's, as `kpi --json` gives it for the unit at the same moment
    assert main.main(["--db", str(db_path), "kpi", "--from", first, "--to", last,
                      "--unit", UNIT, "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    rows = {row.key: row for row in dialog.result.indicators}
    for key, path in (("received.total", ("received", "total")),
                      ("resolved.total", ("resolved", "total")),
                      ("resolved.late", ("resolved", "late")),
                      ("in_progress.overdue", ("in_progress", "overdue"))):
        assert rows[key].cells[0].num == total[path[0]][path[1]], key
    for key, rate in (("06:on_time", total["on_time_rate"]),
                      ("06:online_full", total["online_full"]["rate"]),
                      ("06:online_payment", total["online_payment"]["rate"]),
                      ("06:satisfaction", total["satisfaction"]["rate"])):
        assert rows[key].cells[0].rate == rate, key
    for key, part in total["i766"].items():
        cell = rows[f"766:{key}"].cells[0]
        assert (cell.num, cell.den, cell.rate) == (part["num"], part["den"], part["rate"]), key
