"""Round 24's open point: a phase SQLite runs as a few long statements (the search index
filled, the dossiers' indexes made again) held the bar at its start with its text — 74 % for
24 s of a real import — and a clerk took the program for hung. Now SQLite's steps move the bar
through the phase (core.exchange.phase_steps), never to its end before it has ended, never
backwards; «Huỷ» is heard inside the statement and nothing is written; a line that stands
says how long it has."""
from __future__ import annotations

import pytest

from core.exchange import export_package, phase_steps, phases
from core.exchange.merge import import_packages
from db import fulltext
from tests.core.exchange.conftest import receive
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import people
from tests.core.exchange.test_phases import Recorded

pytestmark = pytest.mark.slot_unconfirmed

SLOW_ROWS = 200_000  # the slow statement's rows: ~1.6 M steps of SQLite's


def slow_statement(conn, pause_every: int = 0) -> None:
    """A statement of many SQLite steps, the same number each run (a test hook standing for a
    big centre's index made again; `pause_every`: a wait of 10 ms each so many rows, for a
    window to watch it in real time)."""
    if pause_every:
        import time
        conn.create_function("pause", 1, lambda x: time.sleep(0.01) or 1)
        where = f"WHERE x % {pause_every} != 0 OR pause(x)"
    else:
        where = ""
    conn.execute(f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
                 f"{SLOW_ROWS}) SELECT count(*) FROM c {where}").fetchone()


def slow_index(monkeypatch, pause_every: int = 0, dossiers: int = 2) -> None:
    """The search index's fill (phase INDEXES) made slow by a statement of known steps, and
    the estimate told the phase's dossiers take them (as the measured ratio does for a real
    one): the bar's way through the phase is then the same every run."""
    real = fulltext.index_new

    def slow(conn, *args, **kwargs):
        real(conn, *args, **kwargs)
        slow_statement(conn, pause_every)
    monkeypatch.setattr(fulltext, "index_new", slow)
    steps = counted_steps()
    monkeypatch.setattr(phase_steps, "SEARCH", (steps / dossiers, 1.0))  # (those imported)


def counted_steps() -> int:
    """The slow statement's steps as SQLite counts them."""
    import sqlite3
    conn = sqlite3.connect(":memory:")
    seen = [0]

    def tick() -> int:
        seen[0] += 1
        return 0
    conn.set_progress_handler(tick, phase_steps.TICK_STEPS)
    slow_statement(conn)
    conn.close()
    return seen[0] * phase_steps.TICK_STEPS


def office_and_centre(tmp_path):
    """A counter's package of two dossiers, and the centre that has none of them yet."""
    office = installed(tmp_path / "quay.db", CENTRE, (1, 1))
    for i in range(2):
        receive(office, f"Người {i}", minutes=i, unit=CENTRE)
    package = tmp_path / "quay.zip"
    export_package(office, package, SINCE)
    office.close()
    return installed(tmp_path / "centre.db", CENTRE, (2, 2)), package


def in_phase(seen: Recorded, phase: str, dry_run: bool = False) -> list[float]:
    """The fills reported while `phase`'s text stood."""
    told = seen.told
    start = next(at for at, text in told if text == phases.text(phase, dry_run))
    end = next((at for at, _ in told if at > start), len(seen.reports))
    return [fill for fill, _, _ in seen.reports[start:end] if fill >= 0]


def test_the_bar_moves_through_the_index_rebuild_and_is_full_only_after_the_commit(
        tmp_path, monkeypatch):
    slow_index(monkeypatch)
    monkeypatch.setattr(phase_steps, "TICK_S", 0)  # every tick reports: by steps, not by time
    centre, package = office_and_centre(tmp_path)
    before = people(centre)
    seen = Recorded(centre)
    batch = import_packages(centre, [package], progress=seen,
                            told=seen.tell)
    assert batch.written and len(people(centre)) == len(before) + 2
    fills = seen.fills()
    assert fills == sorted(fills), fills  # never backwards
    moving = in_phase(seen, phases.INDEXES)
    checks = in_phase(seen, phases.CHECKS)[0]
    # the bar moves through the phase (before: one report, at its start, for the whole wait) …
    assert len(set(moving)) >= 20, moving
    share = checks - moving[0]
    assert moving[-1] - moving[0] >= 0.8 * share, (moving[0], moving[-1], checks)
    # … and never reaches its end before it has ended: the next phase's start is beyond
    assert moving[-1] < checks
    # full once, at the last report, after the transaction's end
    assert fills[-1] == 1.0 and all(fill < 1.0 for fill in fills[:-1])
    assert not seen.reports[-1][1]
    # the progress handler is off the connection once the phase has ended: a long statement
    # afterwards reports nothing
    reported = len(seen.reports)
    slow_statement(centre.conn)
    assert len(seen.reports) == reported
    centre.close()


def test_a_cancel_inside_the_index_rebuild_stops_it_and_writes_nothing(tmp_path, monkeypatch):
    slow_index(monkeypatch)
    monkeypatch.setattr(phase_steps, "TICK_S", 0)
    centre, package = office_and_centre(tmp_path)
    before = people(centre)
    seen = Recorded(centre)
    texts = seen.told

    def cancelling(done: int, total: int) -> bool:
        seen(done, total)
        inside = texts and texts[-1][1] == phases.text(phases.INDEXES)
        return not (inside and len(seen.reports) - texts[-1][0] >= 5)  # Huỷ, 5 ticks in
    with pytest.raises(InterruptedError):
        import_packages(centre, [package], progress=cancelling,
                        told=seen.tell)
    # stopped inside the statement: the phase after it never began, nothing written
    assert phases.text(phases.CHECKS) not in seen.texts()
    assert len(in_phase(seen, phases.INDEXES)) < 20
    assert people(centre) == before and not centre.conn.in_transaction
    reported = len(seen.reports)
    slow_statement(centre.conn)  # the handler is off: nothing interrupted, nothing reported
    assert len(seen.reports) == reported
    assert import_packages(centre, [package]).written  # as if never tried
    assert len(people(centre)) == len(before) + 2
    centre.close()


def test_the_estimate_goes_forward_and_stops_short_of_the_phases_end():
    parts = phase_steps.expected(1000, 3000)
    (search_steps, search_s), (sorted_steps, sorted_s), (kept_steps, kept_s) = parts
    total_s = search_s + sorted_s + kept_s
    # the seconds the steps stand for: the search index's steps weigh more than the sort's
    assert phase_steps.fraction(search_steps / 2, parts) == pytest.approx(search_s / 2 / total_s)
    assert phase_steps.fraction(search_steps, parts) == pytest.approx(search_s / total_s)
    assert phase_steps.fraction(search_steps + sorted_steps / 2, parts) == pytest.approx(
        (search_s + sorted_s / 2) / total_s)
    whole = search_steps + sorted_steps + kept_steps
    shown = [phase_steps.fraction(whole * k / 1000, parts) for k in range(0, 20_001)]
    assert shown[0] == 0.0
    assert all(b >= a for a, b in zip(shown, shown[1:], strict=False))  # never backwards
    assert max(shown) < phase_steps.CAP  # the estimate overrun 20 times: still short of it
    assert shown[2000] > shown[1000] > phase_steps.LINEAR  # … and still moving past it
    # smooth where the estimate's overrun begins
    at = next(k for k, value in enumerate(shown) if value > phase_steps.LINEAR)
    assert shown[at] - shown[at - 1] == pytest.approx(shown[at - 1] - shown[at - 2], rel=0.05)
    # the row path: no index made again
    assert [steps for steps, _ in phase_steps.expected(1000, 0)] == [search_steps, kept_steps]


def test_a_line_that_stands_says_how_long():
    text = phases.TEXTS[phases.END]
    assert phase_steps.aged(text, 4.9) == text
    assert phase_steps.aged(text, 12.4) == "Đang ghi vào cơ sở dữ liệu… (đã 12 giây)"
    assert phase_steps.aged(text, 150) == f"{text} (đã 2 phút 30 giây)"
    two = f"{phases.TEXTS[phases.INDEXES]}"
    assert phase_steps.aged(f"Đang làm lại…\n{two}", 7).endswith(f"\n{two} (đã 7 giây)")
