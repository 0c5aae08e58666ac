"""Round 24's open point, in the window: the index rebuild ("Đang dựng lại chỉ mục tìm
kiếm…") held the bar at its start — 74 % for 24 s of a real import — and a clerk took the
program for hung. With real clicks, the index rebuild made slow by a statement of known steps
(tests/core/exchange/test_phase_steps.py): the bar moves while the phase's line stands, never
to 100 % before the import has ended, and the line says how long it has stood."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar

from core.exchange import phase_steps, phases
from gui import exchange_cancel, worker
from tests.core.exchange.test_phase_steps import slow_index
from tests.gui.clicks import button_named, click
from tests.gui.test_packages import counter_package, window  # noqa: F401 (fixtures)
from tests.gui.test_packages_progress import progress_dialog, start_import, state


def test_the_bar_moves_while_the_index_is_rebuilt_and_the_line_says_its_age(
        window, db, qtbot, monkeypatch, message_boxes, counter_package):  # noqa: F811
    package, codes = counter_package
    slow_index(monkeypatch, pause_every=1000, dossiers=len(codes))  # ~2 s in the phase
    monkeypatch.setattr(phase_steps, "AGED_AFTER_S", 1)
    seen: list[tuple[str, int]] = []  # (the dialog's line, the bar) as the clerk sees them

    def look() -> None:
        dialog = progress_dialog()
        bar = dialog.findChild(QProgressBar) if dialog is not None else None
        if bar is not None and bar.maximum() == 100:
            seen.append((dialog.labelText(), bar.value()))
    clock = QTimer()
    clock.timeout.connect(look)
    clock.start(20)
    start_import(qtbot, window, monkeypatch, package)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=60000)
    clock.stop()
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    rebuild = phases.TEXTS[phases.INDEXES]
    importing = [(text, value) for text, value in seen if text.startswith("Đang nhập gói")]
    at = [i for i, (text, _) in enumerate(importing) if rebuild in text]
    inside = [value for _, value in importing[at[0]:at[-1] + 1]]
    # the bar moves through the phase (before: the same value for the whole wait) …
    assert len(set(inside)) >= 5, sorted(set(inside))
    assert inside == sorted(inside)  # … never backwards …
    assert all(value < 100 for value in inside)  # … and not full while work remains
    assert all(value >= inside[-1] for _, value in importing[at[-1]:])
    # the line that stands says how long it has (a second at least, shown each second)
    assert any(f"{rebuild} (đã 1 giây)" in text or f"{rebuild} (đã 2 giây)" in text
               for text, _ in importing), {text for text, _ in importing}
    found = {row[0] for row in db.execute("SELECT code FROM dossiers")}
    assert set(codes) <= found


def test_huy_inside_the_index_rebuild_stops_it_and_nothing_is_written(
        window, db, qtbot, monkeypatch, message_boxes, counter_package):  # noqa: F811
    package, codes = counter_package
    before = state(db)
    slow_index(monkeypatch, pause_every=500, dossiers=len(codes))  # ~4 s in the phase
    start_import(qtbot, window, monkeypatch, package)
    rebuild = phases.TEXTS[phases.INDEXES]
    qtbot.waitUntil(lambda: (dialog := progress_dialog()) is not None
                    and dialog.labelText().startswith("Đang nhập gói")
                    and rebuild in dialog.labelText(), timeout=30000)
    click(qtbot, button_named(progress_dialog(), "Huỷ"))
    # heard inside the statement: stopped well before the rebuild's ~4 s would have ended
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=3000)
    worker.wait_all()
    assert message_boxes == [("information", exchange_cancel.TITLE,
                              exchange_cancel.import_text(1))]
    assert state(db) == before
    assert not {row[0] for row in db.execute("SELECT code FROM dossiers")} & set(codes)
