"""Issue 10 §3 in the window: fields stop at their core.limits length; a huge search is harmless."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core import limits
from core.pdf.slips import build_receipt
from gui.dossiers.intake import IntakeDialog
from gui.dossiers.register_view import RegisterScreen


def paste(qtbot, widget, text: str) -> None:
    QApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_pasting_100000_characters_into_the_search_is_harmless(qtbot, db, office):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    paste(qtbot, screen.search, "Nguyễn Thị Lan " * 7_000)  # 105,000 characters
    assert len(screen.search.text()) == limits.text_limit("search")
    qtbot.wait(400)  # the search runs after a pause in typing
    screen.apply_filters()
    assert screen.model.rowCount() == 1  # the search still works: no crash dialog
    assert screen.model.index(0, 2).data() == "Nguyễn Thị Lan"


def test_intake_fields_stop_at_their_limits_and_the_receipt_prints(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    paste(qtbot, dialog.name_edit, "Vũ Thị Mai " * 100)
    paste(qtbot, dialog.address_edit, "Thôn Bản Chu, " * 257)  # 3,598 characters
    paste(qtbot, dialog.phone_edit, "0912345678" * 5)
    assert len(dialog.name_edit.text()) == 200
    assert len(dialog.address_edit.text()) == 500
    assert dialog.phone_edit.text() == "0912345678" * 2  # 20, its limit
    dialog.phone_edit.setText("0912345678")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.created is not None
    assert build_receipt(db, dialog.created[1]).startswith(b"%PDF")


def test_a_phone_of_letters_is_refused_next_to_its_field(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    paste(qtbot, dialog.name_edit, "Vũ Thị Mai")
    qtbot.keyClicks(dialog.phone_edit, "abc-xyz")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.created is None
    assert "Số điện thoại" in dialog.form.errors["applicant_phone"].text()


def test_a_name_with_combining_marks_or_an_emoji_stops_at_its_letters(qtbot, db, office):
    """recon34: Qt's maximum counted UTF-16 units, so «Nguyễn» typed with Unikey's combining
    marks (three units for «ễ») and an address with emoji stopped letters before the core's
    limit. The fields count as the core does (core.limits.text_length): all 200 letters of
    the name, all 500 of the address, and what is stored is what was typed, precomposed."""
    import unicodedata

    from core.limits import text_length
    name = ("Nguyễn Thị Lan Hương " * 10)[:200]
    address = ("Thôn Bản Chu 🏠 " * 40)[:500]
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    paste(qtbot, dialog.name_edit, unicodedata.normalize("NFD", name) + " Thị")
    paste(qtbot, dialog.address_edit, address + "Thôn")
    assert text_length(dialog.name_edit.text()) == 200
    assert unicodedata.normalize("NFC", dialog.name_edit.text()) == name
    assert dialog.address_edit.text() == address
    dialog.phone_edit.setText("0912345678")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.created is not None
    stored = db.execute("SELECT applicant_name, applicant_address FROM dossiers WHERE id = ?",
                        [dialog.created[0]]).fetchone()
    assert stored == (name.strip(), address.strip())


def test_a_documents_header_line_stops_at_its_letters_in_both_windows(qtbot, db, office):
    """review34d: the header's lines (Cài đặt › Tiêu đề văn bản, Danh mục › Đơn vị) kept Qt's
    maximum after recon34 made every other field count as the core does: an office line
    typed with Unikey's combining marks stopped at 200 UTF-16 units, some 150 letters, where
    the core lets 200 be printed."""
    import unicodedata

    from core.limits import text_length
    from gui.settings.screen import SettingsScreen
    from tests.gui.accounts_setup import ADMIN
    from tests.gui.test_commune_report import units_tab_on
    line = ("Bộ phận tiếp nhận và trả kết quả huyện Đình Lập " * 5)[:200]
    screen = SettingsScreen(db)
    qtbot.addWidget(screen)
    units = units_tab_on(qtbot, db, ADMIN, "X01", width=1366)
    for edit in (screen.header_edits["office"], units.unit_header_edits["office"]):
        edit.clear()
        paste(qtbot, edit, unicodedata.normalize("NFD", line) + "Lập")
        assert text_length(edit.text()) == 200
        assert unicodedata.normalize("NFC", edit.text()) == line


def test_a_field_given_a_shorter_limit_cuts_what_it_holds(qtbot):
    """A line given another field's limit (the correction dialog's field choice) cuts a longer
    text it holds, as Qt's maximum length did: its setText of the same text did nothing, so
    «Nguyễn Văn An» stayed whole under a limit of 6 (read34)."""
    from PySide6.QtWidgets import QLineEdit

    from gui.forms import limit_length
    line = QLineEdit()
    qtbot.addWidget(line)
    limit_length(line, 50)
    paste(qtbot, line, "Nguyễn Văn An")
    limit_length(line, 6)
    assert line.text() == "Nguyễn"
    limit_length(line, 50)  # a longer limit keeps it
    assert line.text() == "Nguyễn"
