"""The register on 200,000 dossiers: the first rows show from a page or two, scrolling is lazy.
How long it takes is measured by bench/run_all.py (timed tests stay out of the suite, issue 18:
on a shared machine they failed on the neighbours' load)."""
from __future__ import annotations

from bench.bench_register import fill_bulk
from core.calendar import load_calendar
from gui.dossiers.register_view import RegisterScreen


def test_first_rows_of_200000_dossiers_read_only_what_is_shown(qtbot, db, frozen_now):
    fill_bulk(db, 200_000, end=frozen_now)
    load_calendar(db)  # the holiday tables are built once at application start, not per screen
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1300, 700)
    screen.show()
    screen.refresh()
    screen.table.viewport().repaint()
    first = screen.model.index(0, 0).data()
    assert screen.model.rowCount() == 200_000
    assert first.startswith("U")
    loaded_pages = len(screen.model._pages)
    assert loaded_pages <= 2  # only what is on screen was fetched
    screen.table.scrollToBottom()
    screen.table.viewport().repaint()
    assert screen.model.index(199_999, 2).data()
    assert len(screen.model._pages) <= loaded_pages + 2  # the end, not everything in between
