"""What the clerk typed or an account is named shows as typed where Qt would read it as HTML
(gui.shown): the lock screen named a clerk `<b>X</b><img src=x>` as a bold X and a broken
picture, a date typed `<b>1</b>` was said wrong as «1», and the box refusing a database at
start lost the tags of the path it quoted."""
from __future__ import annotations

import types

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui import backup_restore, widgets
from gui.period_bar import PeriodBar
from gui.signin import SignInForm
from tests.gui.drawn import drawn, label_drawn

MARKUP = "<b>X</b><img src=x>"


def test_the_lock_screen_names_the_account_as_typed(qtbot, db):
    form = SignInForm(db)
    qtbot.addWidget(form)
    form.show_locked(types.SimpleNamespace(login="an<i>1</i>", full_name=MARKUP))
    form.show()
    seen = label_drawn(form.title)
    assert f"{MARKUP} (an<i>1</i>) mở khoá" in seen, seen
    assert "Màn hình đã khoá" in seen and "<h2>" not in seen  # its own markup still drawn


def test_a_day_typed_with_tags_is_said_wrong_with_its_tags(qtbot, db):
    bar = PeriodBar(db, with_unit=False)
    qtbot.addWidget(bar)
    bar.show()
    qtbot.mouseClick(bar.from_edit.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(bar.from_edit.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(bar.from_edit.edit, "<b>1</b>")
    qtbot.keyClick(bar.from_edit.edit, Qt.Key.Key_Tab)
    assert bar.problem.isVisible()
    assert "«<b>1</b>» không phải một ngày" in label_drawn(bar.problem), label_drawn(bar.problem)
    for tip in (bar.from_edit.toolTip(), bar.from_edit.edit.toolTip()):
        assert "«<b>1</b>» không phải một ngày" in drawn(tip), tip


def test_the_box_refusing_a_database_quotes_its_path_as_typed(qtbot, monkeypatch, tmp_path):
    boxes: list[QMessageBox] = []

    def run(kind, box):
        boxes.append(box)
        return None
    monkeypatch.setattr(widgets, "run_message", run)
    path = tmp_path / "<b>ho so</b>.db"
    refused = types.SimpleNamespace(kind="notadb", message=f"Tệp {path} không phải dữ liệu MotCua.")
    assert backup_restore.refused_at_start(path, refused, tmp_path / "motcua.db") is False
    box = boxes[0]
    assert drawn(box.text(), box.textFormat()) == refused.message


def test_the_register_says_a_day_typed_with_tags_with_its_tags(qtbot, db, office):
    from gui.dossiers.register_view import RegisterScreen
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.mouseClick(screen.date_from.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.date_from.edit, "<b>1</b>")
    qtbot.keyClick(screen.date_from.edit, Qt.Key.Key_Tab)
    said = "«<b>1</b>» không phải một ngày"
    assert said in label_drawn(screen.date_problem), label_drawn(screen.date_problem)
    assert said in label_drawn(screen.summary), label_drawn(screen.summary)


def test_a_status_bar_path_with_tags_is_whole_in_its_tooltip(qtbot):
    from gui.status_note import ElidedLabel
    path = "/home/cb/<b>mot cua</b>/motcua.db"
    label = ElidedLabel(f"CSDL: {path}")
    qtbot.addWidget(label)
    assert drawn(label.toolTip()) == f"CSDL: {path}"
