"""The `kpi` command's text table never cuts a figure (round 18): a column as narrow as its title
printed 1.234.567 dossiers received as "1.2345…" and a leader copied a wrong number. Every
figure is printed whole, in its column, with the unit's name whole beside it."""
from __future__ import annotations

import copy
import datetime as dt

from core.indicators import compute, i766
from core.indicators.cli import render_766, render_table
from core.timefmt import vn_number
from tests.core.factories import add_dossier, add_procedures, add_units

BIG = 1_234_567


def _inflated(db) -> dict:
    """A real document of the engine with its counts scaled to a province's year."""
    add_units(db)
    add_procedures(db)
    add_dossier(db, code="U1-250303-0001", received=dt.datetime(2025, 3, 3, 8))
    doc = copy.deepcopy(compute(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31)))
    long_name = "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh (đến 30/06/2025 → Sở Nội vụ)"
    doc["units"][0]["name"] = long_name
    for figures in [*doc["units"], doc["total"]]:
        figures["received"].update(total=BIG, online=BIG - 1, carried_over=98_765_432)
        figures["resolved"].update(total=12_345_678, late=1_000_000)
        figures["in_progress"].update(total=2_000_000, overdue=999_999)
    return doc


def _row(table: str, start: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(start))


def test_no_figure_is_cut_and_every_column_stays_in_line(db):
    doc = _inflated(db)
    name = doc["units"][0]["name"]
    for text in (render_table(doc), render_766(doc, {k: 0.9 for k in i766.KEYS})):
        assert "…" not in text.split("So với chỉ tiêu")[0], text
        row, total = _row(text, name), _row(text, "TỔNG CỘNG")
        header = _row(text, "Đơn vị")
        assert len(row) == len(header) == len(total), text
    table = render_table(doc)
    cells = _row(table, "TỔNG CỘNG").split()
    for value in (BIG, BIG - 1, 98_765_432, 12_345_678, 1_000_000, 2_000_000, 999_999):
        assert vn_number(value) in cells, (value, cells)
    # each figure right-aligned under its own title: the title's column ends where the figure's
    header = _row(table, "Đơn vị")
    total = _row(table, "TỔNG CỘNG")
    assert (header.index(" Nhận") + len(" Nhận")
            == total.index(" " + vn_number(BIG) + " ") + len(" " + vn_number(BIG)))


def test_an_unmet_766_figure_says_how_far_it_is_as_biểu_06_does(db):
    """`kpi` printed "CHƯA ĐẠT" for a 766 figure and nothing more, while its Biểu 06 lines, the
    dashboard and the monthly report say what is missing: now the same sentence."""
    from core.indicators import gaps766

    doc = _inflated(db)
    targets = {k: 0.9 for k in i766.KEYS}
    text = render_766(doc, targets)
    said = gaps766.gaps(doc, targets)
    unmet = [k for k in i766.KEYS if i766.meets(doc["total"]["i766"][k], targets[k]) is False]
    assert unmet
    for key in unmet:
        line = _row(text, f"  {i766.FIGURES[key].code} ")
        assert line.endswith(f"CHƯA ĐẠT: {said[key]}"), line
        assert "cần" in said[key]
