"""Cài đặt › Tiêu đề văn bản with real clicks and keys (round 13 review): a header line or a
recipient holding a character the documents cannot print (an emoji) is refused under its
field, the character named, nothing saved; invisible characters are left out."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from db import settings
from gui import widgets
from gui.settings.screen import SettingsScreen

TODAY = dt.date(2025, 6, 11)


def _type(qtbot, edit, ascii_text: str, more: str = "") -> None:
    """QTest types Latin-1 keys only: the rest is inserted as a paste would."""
    edit.clear()
    qtbot.keyClicks(edit, ascii_text)
    edit.insert(more)


def test_a_signer_named_with_an_emoji_is_refused_under_the_line(qtbot, db, office, monkeypatch):
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    before = settings.get(db, "report_header")
    _type(qtbot, screen.header_edits["signer_name"], "Nguyen Van Binh ", "😀")
    qtbot.mouseClick(screen.header_button, Qt.MouseButton.LeftButton)
    error = screen.header_form.errors["signer_name"]
    assert error.isVisible()
    assert error.text() == \
        "Họ tên người ký có ký tự không in được trên phiếu: '😀' (U+1F600)."
    assert settings.get(db, "report_header") == before
    # a recipient line: named by its number
    _type(qtbot, screen.header_edits["signer_name"], "Nguyen Van Binh", "\u200b")
    screen.recipients.clear()
    qtbot.mouseClick(screen.recipients.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.recipients, "UBND tinh")
    qtbot.keyClick(screen.recipients, Qt.Key.Key_Return)
    screen.recipients.insertPlainText("Luu: VT 安")
    qtbot.mouseClick(screen.header_button, Qt.MouseButton.LeftButton)
    assert not error.isVisible()
    assert screen.header_form.errors["recipients"].text() == \
        "Nơi nhận, dòng 2, có ký tự không in được trên phiếu: '安' (U+5B89)."
    assert settings.get(db, "report_header") == before
    # corrected: saved, the zero-width space pasted with the name left out
    qtbot.keyClick(screen.recipients, Qt.Key.Key_Backspace)
    shown = []
    monkeypatch.setattr(widgets, "inform", lambda *a, **k: shown.append(a[-1]))
    qtbot.mouseClick(screen.header_button, Qt.MouseButton.LeftButton)
    assert shown == ["Đã lưu tiêu đề văn bản."]
    assert not screen.header_form.errors["recipients"].isVisible()
    header = settings.get(db, "report_header")
    assert (header["signer_name"], header["recipients"]) == \
        ("Nguyen Van Binh", ["UBND tinh", "Luu: VT"])
