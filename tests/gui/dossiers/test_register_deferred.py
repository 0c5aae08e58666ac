"""The register draws its first rows before the due times the rules compute (issue 18): the
due-soon and overdue tabs say "…" until they are known, then their counts; a clerk who opens
one of those tabs sooner gets it complete at once."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core import dossiers
from core.database import open_database
from gui.dossiers import register_view
from gui.dossiers.register_view import RegisterScreen

OVERDUE, SOON = 3, 2


def _names(model) -> list[str]:
    return sorted(model.index(r, 2).data() for r in range(model.rowCount()))


def _with_more_waits_and_an_extension(db, office) -> None:
    dossiers.request_supplement(db, office["Trần Văn Bình"], reason="Thiếu tờ khai",
                                at=dt.datetime(2025, 6, 6, 9, 0))
    dossiers.extend(db, office["Lê Thị Hà"], new_due_at=dt.datetime(2025, 6, 20, 17, 0),
                    reason="Cần xác minh thêm")


def _expected(qtbot, db_path) -> tuple[list[str], list[str]]:
    """Every due time computed before the first rows — on a connection of its own: the same
    connection at the same moment would find them computed already (core.live_due.is_fresh)."""
    db = open_database(db_path)
    try:
        screen = RegisterScreen(db)
        qtbot.addWidget(screen)
        screen.refresh()
        screen.model.finish_live()
        screen._update_counts()
        texts = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
        screen.tabs.setCurrentIndex(OVERDUE)
        return texts, _names(screen.model)
    finally:
        db.close()


def test_the_counts_come_after_the_first_rows(qtbot, db, db_path, office, monkeypatch):
    _with_more_waits_and_an_extension(db, office)
    texts, _ = _expected(qtbot, db_path)
    monkeypatch.setattr(register_view, "LIVE_CHUNK", 1)  # one due time per step
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert screen.tabs.tabText(OVERDUE) == "Quá hạn (…)"
    assert screen.tabs.tabText(SOON) == "Sắp đến hạn (2 ngày) (…)"
    assert screen.model.rowCount() == 6 and screen.tabs.tabText(0) == texts[0]
    qtbot.waitUntil(lambda: screen.tabs.tabText(OVERDUE) == texts[OVERDUE], timeout=3000)
    assert [screen.tabs.tabText(i) for i in range(screen.tabs.count())] == texts


def test_a_tab_clicked_before_the_due_times_are_known_is_complete(qtbot, db, db_path, office,
                                                                   monkeypatch):
    _with_more_waits_and_an_extension(db, office)
    texts, overdue = _expected(qtbot, db_path)
    monkeypatch.setattr(register_view, "LIVE_CHUNK", 1)
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    screen._live_timer.stop()  # the clerk is quicker than the steps
    assert screen.tabs.tabText(OVERDUE) == "Quá hạn (…)"
    qtbot.mouseClick(screen.tabs, Qt.MouseButton.LeftButton,
                     pos=screen.tabs.tabRect(OVERDUE).center())
    assert screen.tabs.currentIndex() == OVERDUE
    assert _names(screen.model) == overdue and overdue
    assert [screen.tabs.tabText(i) for i in range(screen.tabs.count())] == texts


def test_a_dossier_window_closed_is_let_go_of(qtbot, db, office, monkeypatch):
    """Each dossier opened from the register stayed a hidden child of it, 3 MB each, until
    the window closed (bench/bench_register_memory.py): now it is freed once closed."""
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.dossiers.detail import DossierDialog
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    screen.search.setFocus()

    def close_when_shown() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, close_when_shown)
        else:
            closed.append(dialog.dossier_id)
            dialog.done(0)

    closed: list[int] = []
    for _ in range(3):
        QTimer.singleShot(0, close_when_shown)
        qtbot.keyClick(screen.search, Qt.Key.Key_Return)  # opens the first row
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert closed == [screen.model.id_at(0)] * 3
    assert screen.findChildren(DossierDialog) == []
