"""gui.widgets.FoldedLabel: a note that takes no room while it says nothing, and shows whatever it
says once it is in a window, whenever its text was set (review39a: a text set before the label
had a parent left it hidden for good)."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.widgets import FoldedLabel


def window_with(qtbot, label: FoldedLabel) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(label)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_text_set_before_the_label_is_in_a_window_is_shown(qtbot):
    note = FoldedLabel()
    note.setText("Tệp có dòng tổng cộng ở cuối.")
    window = window_with(qtbot, note)  # kept: the label lives in it
    assert note.isVisible() and window.isVisible()


def test_an_empty_note_takes_no_room_and_shows_when_it_says_something(qtbot):
    note = FoldedLabel()
    window = window_with(qtbot, note)  # kept: the label lives in it
    assert not note.isVisible()
    note.setText("Có 2 cột trùng tên.")
    assert note.isVisible() and window.isVisible()
    note.setText("")
    assert not note.isVisible()
    note.setText("Có 2 cột trùng tên.")
    note.clear()  # review39b: QLabel.clear() went round the fold
    assert not note.isVisible() and note.text() == ""


def test_a_label_made_with_its_text_is_shown_in_its_window(qtbot):
    note = FoldedLabel("Đã chọn sẵn 10 cột theo tên.")
    window = window_with(qtbot, note)  # kept: the label lives in it
    assert note.isVisible() and window.isVisible()
