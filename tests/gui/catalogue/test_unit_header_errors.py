"""Danh mục › Đơn vị › Tiêu đề báo cáo của đơn vị, with real clicks and keys (round 19): a header
the rules refuse (no issuing body, a line too long, a character the documents cannot print, too
many recipients) is said under the line concerned, as Cài đặt › Tiêu đề văn bản and every other
form say it, not in a message box that hides which line it was; nothing is saved."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core import report_header
from gui.catalogue.units import UnitsTab
from tests.gui.accounts_setup import ADMIN
from tests.gui.clicks import button_named, click
from tests.gui.test_commune_report import units_tab_on


def _tab(qtbot, db) -> UnitsTab:
    return units_tab_on(qtbot, db, ADMIN, "X01", width=1366)


def _retype(qtbot, edit, text: str) -> None:
    """Select all and type over it, as the clerk would (ASCII keys; the rest pasted)."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _shown_errors(tab: UnitsTab) -> dict[str, str]:
    return {name: label.text() for name, label in tab.header_form.errors.items()
            if label.isVisible()}


def test_a_refused_unit_header_is_said_under_its_line_not_in_a_box(qtbot, db, office,
                                                                   message_boxes):
    tab = _tab(qtbot, db)
    save = button_named(tab, "Lưu tiêu đề của đơn vị")
    # a signer typed, no issuing body: said under "Cơ quan ban hành"
    _retype(qtbot, tab.unit_header_edits["signer_name"], "Hoang Van Tu")
    click(qtbot, save)
    assert _shown_errors(tab) == {
        "agency": "Cần nhập tên cơ quan ban hành (dòng in đậm của tiêu đề)."}
    assert report_header.own_header(db, "X01") is None
    # the body typed; a signer's name the documents cannot print: under "Họ tên người ký"
    _retype(qtbot, tab.unit_header_edits["agency"], "UBND XA DONG GIAP")
    tab.unit_header_edits["signer_name"].insert("😀")
    click(qtbot, save)
    assert _shown_errors(tab) == {"signer_name": "Họ tên người ký có ký tự không in được trên "
                                                 "phiếu: '😀' (U+1F600)."}
    # a line longer than the documents print (pasted past the box's limit): under that line
    _retype(qtbot, tab.unit_header_edits["signer_name"], "Hoang Van Tu")
    office_line = tab.unit_header_edits["office"]
    office_line.setValidator(None)  # its limit (gui.forms.limit_length) lifted
    _retype(qtbot, office_line, "X" * 201)
    click(qtbot, save)
    assert _shown_errors(tab) == {
        "office": "Bộ phận dài 201 ký tự, vượt quá 200 ký tự cho phép."}
    # too many recipients: under "Nơi nhận"
    _retype(qtbot, office_line, "BO PHAN MOT CUA")
    qtbot.mouseClick(tab.unit_recipients.viewport(), Qt.MouseButton.LeftButton)
    for number in range(11):
        qtbot.keyClicks(tab.unit_recipients, f"Noi {number}")
        qtbot.keyClick(tab.unit_recipients, Qt.Key.Key_Return)
    click(qtbot, save)
    assert list(_shown_errors(tab)) == ["recipients"]
    assert _shown_errors(tab)["recipients"].startswith("Nơi nhận: tối đa 9 dòng")
    assert report_header.own_header(db, "X01") is None  # nothing was saved on the way
    assert message_boxes == []  # no box: every refusal stood under its line
    # corrected: saved, the message gone
    qtbot.keyClick(tab.unit_recipients, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab.unit_recipients, Qt.Key.Key_Delete)
    qtbot.keyClicks(tab.unit_recipients, "UBND tinh Lang Son")
    click(qtbot, save)
    assert _shown_errors(tab) == {}
    saved = report_header.own_header(db, "X01")
    assert (saved["agency"], saved["signer_name"], saved["recipients"]) == \
        ("UBND XA DONG GIAP", "Hoang Van Tu", ["UBND tinh Lang Son"])
    assert message_boxes == []
