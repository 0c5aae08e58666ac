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


def test_the_files_whole_name_is_kept_and_only_the_folders_elided(qtbot, db, tmp_path, office):
    """At 1366 × 728 '/tmp/try22/rat-dai/thu-muc-…/co-so-du-lieu-mot-cua-xa-tan-lap-2026.db' was
    shown '…/th…-mot-cua-xa-tan-lap-2026.db': the middle cut fell in the file's name."""
    folder = tmp_path / "rat-dai"
    for n in range(1, 5):
        folder = folder / f"thu-muc-luu-tru-co-so-du-lieu-cua-bo-phan-mot-cua-so-{n}"
    folder.mkdir(parents=True)
    name = "co-so-du-lieu-mot-cua-xa-tan-lap-huyen-van-quan-tinh-lang-son-2026.db"
    window = MainWindow(db, str(folder / name), auto_backup=False)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    shown = window.db_label.shown()
    assert "…" in shown and shown.startswith("CSDL: /") and shown.endswith(f"/{name}")
    assert window.db_label.fontMetrics().horizontalAdvance(shown) <= window.db_label.width()


def test_a_name_that_alone_does_not_fit_is_elided_in_its_middle(qtbot):
    from gui.status_note import ElidedLabel
    name = "co-so-du-lieu-mot-cua-xa-tan-lap-2026-ban-sao-luu-truoc-khi-nang-cap.db"
    label = ElidedLabel(f"CSDL: /tmp/a/b/{name}")
    qtbot.addWidget(label)
    label.resize(label.fontMetrics().horizontalAdvance(name) // 2, 20)
    label.show()
    qtbot.waitExposed(label)
    shown = label.shown()
    assert "…" in shown and shown.startswith("co-so") and shown.endswith("cap.db")
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    label.resize(label.fontMetrics().horizontalAdvance(label.text()) + 10, 20)
    qtbot.waitUntil(lambda: label.shown() == label.text(), timeout=2000)
