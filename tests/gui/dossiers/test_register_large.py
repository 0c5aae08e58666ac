"""The register on 200,000 dossiers: the first rows show within a second, scrolling is lazy."""
from __future__ import annotations

import time

from bench.bench_register import fill_bulk
from core.calendar import load_calendar
from gui.dossiers.register_view import RegisterScreen


def test_first_rows_of_200000_dossiers_within_one_second(qtbot, db, frozen_now):
    fill_bulk(db, 200_000, end=frozen_now)
    load_calendar(db)  # the holiday tables are built once at application start, not per screen
    start = time.perf_counter()
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1300, 700)
    screen.show()
    screen.refresh()
    screen.table.viewport().repaint()
    first = screen.model.index(0, 0).data()
    elapsed = time.perf_counter() - start
    assert screen.model.rowCount() == 200_000
    assert first.startswith("U")
    assert elapsed < 1.0, f"first rows after {elapsed:.2f} s"
    loaded_pages = len(screen.model._pages)
    assert loaded_pages <= 2  # only what is on screen was fetched
    start = time.perf_counter()
    screen.table.scrollToBottom()
    screen.table.viewport().repaint()
    assert screen.model.index(199_999, 2).data()
    assert time.perf_counter() - start < 1.0
