"""A profile's name as long as its letters (recon34): typed with Unikey's combining marks
(«Unicode tổ hợp») or holding an emoji, the window and the core counted UTF-16 units or code
points, so a name of 60 letters was refused as too long («dài quá 60 ký tự») and kept beside
the same name typed precomposed. One rule now (core.limits.text_length): the line stops at 60
letters, the name is kept as stored texts are (NFC), and is the saved one when typed again."""
from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from core.limits import text_length
from core.transfer.profiles import NAME_MAX, get_profile, list_profiles, taken_name
from gui import file_dialogs, widgets
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401

NAME = "Mẫu cột iGate Lạng Sơn 😀 tháng mười một năm hai nghìn hai ba"  # 60 letters


def test_a_name_of_60_letters_typed_with_combining_marks_is_kept(  # noqa: F811
        qtbot, dialog, office, tmp_path, monkeypatch, message_boxes):  # noqa: F811
    assert len(NAME) == NAME_MAX
    typed = unicodedata.normalize("NFD", NAME)
    assert len(typed) > NAME_MAX and len(typed.encode("utf-16-le")) // 2 > len(typed)
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    held = []

    def answer(box) -> bool:  # the clerk pastes the name, then types on past the limit
        box.show()
        line = box.findChild(QLineEdit)
        QApplication.clipboard().setText(typed)
        line.setFocus()
        qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(line, "xyz")
        held.append(line.text())
        return True
    monkeypatch.setattr(widgets, "run_input", answer)
    click(qtbot, dialog.mapping.save_button)
    assert held == [typed]  # every letter in, nothing past the 60th
    assert text_length(held[0]) == NAME_MAX
    assert message_boxes == []  # not refused as too long
    assert [p.name for p in list_profiles(office)] == ["national", NAME]  # stored precomposed
    assert taken_name(office, typed) == NAME and get_profile(office, typed).name == NAME
