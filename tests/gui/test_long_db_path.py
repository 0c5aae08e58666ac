"""The status bar's "CSDL: path" note with a database deep in folders (round 22): a path of 300
characters made the note as wide as itself, and the main window wider than the office PCs'
1366 px screens. It is elided in the middle (the start of the path and the file's name kept),
the whole path in its tooltip."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QToolTip

from gui.main_window import MainWindow


@pytest.fixture
def db_path(tmp_path):
    folder = tmp_path
    for n in range(1, 6):
        folder = folder / f"thư-mục-dữ-liệu-bộ-phận-tiếp-nhận-và-trả-kết-quả-{n}"
    folder.mkdir(parents=True)
    path = folder / "motcua-trung-tam-phuc-vu-hanh-chinh-cong.db"
    assert len(str(path)) >= 300
    return path


def test_a_long_database_path_never_widens_the_window(qtbot, db, db_path, office):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    whole = f"CSDL: {db_path}"
    assert window.db_label.text() == whole
    assert window.width() <= 1366 and window.minimumSizeHint().width() <= 1366
    assert window.db_label.minimumSizeHint().width() <= 1366
    qtbot.mouseMove(window.db_label, QPoint(20, window.db_label.height() // 2))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    # it was cut mid-folder, the file's name lost, no tooltip; now whole, on lines a screen shows
    assert "".join(QToolTip.text().split()) == "".join(whole.split())
    assert max(map(len, QToolTip.text().splitlines())) <= 100
    shown = window.db_label.shown()
    assert "…" in shown and shown.startswith("CSDL: /") and shown.endswith("cong.db")
    assert window.db_label.fontMetrics().horizontalAdvance(shown) <= window.db_label.width()
    assert window.db_label.geometry().right() <= window.counts_label.geometry().left()
    window.resize(1920, 1080)  # more room: more of the path shown
    qtbot.waitUntil(lambda: len(window.db_label.shown()) > len(shown), timeout=2000)


def test_a_short_path_is_shown_whole(qtbot, db, tmp_path, office):
    window = MainWindow(db, str(tmp_path / "x.db"), auto_backup=False)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    assert window.db_label.shown() == f"CSDL: {tmp_path / 'x.db'}"
