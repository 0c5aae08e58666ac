"""The documents of a dossier through the window, by clicks: Danh mục edits a procedure's list,
intake ticks what was received and digitised, the dossier window marks digitised and names the
documents of a supplement request (issue 13 §2)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from core import components as comp
from core.components import Component
from gui import bus
from gui.catalogue.screen import CatalogueScreen
from gui.dossiers.detail import DossierDialog
from gui.dossiers.intake import IntakeDialog

TODAY = dt.date(2025, 6, 11)
BIRTH = [Component("Tờ khai đăng ký khai sinh theo mẫu"), Component("Giấy chứng sinh"),
         Component("Giấy tờ chứng minh nơi cư trú", "copy", 1, False)]


def click_box(qtbot, table, row: int, column: int) -> None:
    """Click the check box drawn at the left of a cell, as the clerk does."""
    table.scrollTo(table.model().index(row, column))
    rect = table.visualRect(table.model().index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 10, rect.center().y()))


def test_catalogue_adds_a_document_and_saves_the_list(qtbot, db, office):
    comp.save_procedure_components(db, "1.004227", BIRTH[:2])
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitActive(screen)
    screen.refresh()
    tab = screen.procedures
    screen.tabs.setCurrentWidget(tab)
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index("1.004227")
    tab.table.setCurrentIndex(proxy.index(row, 0))
    editor = tab.components
    assert [c.name for c in editor.items()] == [c.name for c in BIRTH[:2]]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    name_editor = editor.table.cellWidget(2, 0)
    qtbot.waitUntil(name_editor.hasFocus)  # the new line is ready to type in
    qtbot.keyClicks(name_editor, "So tam tru")  # QTest types ASCII only
    click_box(qtbot, editor.table, 2, 3)  # not required
    name_editor.setFocus()  # the clerk is on that line
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)  # now second
    with qtbot.waitSignal(bus.bus().changed, timeout=5000):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert comp.procedure_components(db, "1.004227") == [
        BIRTH[0], Component("So tam tru", "original", 1, False), BIRTH[1]]
    # an empty name is refused under the list, nothing saved
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "dòng 4, Tên giấy tờ: cần nhập tên" in tab.form.errors["components"].text()
    assert len(comp.procedure_components(db, "1.004227")) == 3


def _intake(qtbot, db):
    comp.save_procedure_components(db, "1.004227", BIRTH)
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X01"))
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    dialog.name_edit.setText("Vũ Thị Mai")  # QTest types ASCII only
    return dialog


def test_intake_ticks_documents_and_reads_them_back(qtbot, db, office):
    dialog = _intake(qtbot, db)
    table = dialog.documents
    assert table.rowCount() == 3 and table.item(1, 0).text() == "Giấy chứng sinh *"
    click_box(qtbot, table, 0, 0)
    click_box(qtbot, table, 1, 0)
    click_box(qtbot, table, 0, table.DIGITISED)
    table.cellWidget(0, table.COUNT).setValue(2)
    qtbot.keyClicks(dialog.id_edit, "001190012345")
    qtbot.keyClicks(dialog.email_edit, "mai@example.vn")
    dialog.representative_edit.setText("Vũ Văn Nam")
    dialog.delivery_box.setCurrentIndex(dialog.delivery_box.findData("online"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dossier_id, _ = dialog.created
    got = [(c.name, c.count, c.received, c.digitised)
           for c in comp.dossier_components(db, dossier_id)]
    assert got == [("Tờ khai đăng ký khai sinh theo mẫu", 2, True, True),
                   ("Giấy chứng sinh", 1, True, False),
                   ("Giấy tờ chứng minh nơi cư trú", 1, False, False)]
    assert db.execute("SELECT applicant_id_no, applicant_email, representative, result_delivery "
                      "FROM dossiers WHERE id = ?", [dossier_id]).fetchone() == \
        ("001190012345", "mai@example.vn", "Vũ Văn Nam", "online")


def test_intake_refuses_a_desk_dossier_missing_a_required_document(qtbot, db, office):
    dialog = _intake(qtbot, db)
    click_box(qtbot, dialog.documents, 0, 0)
    qtbot.keyClicks(dialog.email_edit, "mai@")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Thư điện tử không hợp lệ" in dialog.form.errors["applicant_email"].text()
    dialog.email_edit.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    message = dialog.form.errors["components"].text()
    assert "“Giấy chứng sinh”" in message and "Mẫu 02" in message and "Mẫu 03" in message
    assert dialog.created is None
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_name = 'Vũ Thị Mai'"
                      ).fetchone()[0] == 0


def test_dossier_window_marks_digitised_and_names_supplement_documents(qtbot, db, office,
                                                                      answer_dialogs):
    dialog = _intake(qtbot, db)
    for row in range(3):
        click_box(qtbot, dialog.documents, row, 0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dossier_id, _ = dialog.created
    window = DossierDialog(db, dossier_id)
    qtbot.addWidget(window)
    window.show()
    box = window.documents_box
    box.tabs.setCurrentWidget(box)
    click_box(qtbot, box.table, 1, box.table.DIGITISED)
    with qtbot.waitSignal(bus.bus().changed, timeout=5000):
        qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert [c.digitised for c in comp.dossier_components(db, dossier_id)] == [False, True, False]

    def fill(request):
        request.show()  # exec() is answered by this function: show it to click in it
        request.at_edit.set_value(dt.datetime(2025, 6, 11, 9, 32))
        request.reason_edit.setPlainText("Giấy tờ chưa hợp lệ")
        click_box(qtbot, request.documents, 2, 0)
        request.documents.cellWidget(2, 1).setCurrentIndex(0)  # còn thiếu
        request.documents.item(2, 2).setText("Cần bản sao sổ tạm trú")
    answer_dialogs.append(fill)
    qtbot.mouseClick(window.action_buttons["request_supplement"], Qt.MouseButton.LeftButton)
    missing = comp.missing_components(db, dossier_id)
    assert [(m.name, m.problem_vi, m.note) for m in missing] == \
        [("Giấy tờ chứng minh nơi cư trú", "Còn thiếu", "Cần bản sao sổ tạm trú")]
    assert window.timeline.item(1, 3).text() == "Giấy chứng sinh: đã số hóa"  # who, when
    assert "Giấy tờ chứng minh nơi cư trú (còn thiếu: Cần bản sao sổ tạm trú)" in \
        window.timeline.item(2, 3).text()
    answer_dialogs.append(lambda d: d.at_edit.set_value(dt.datetime(2025, 6, 11, 9, 34)))
    qtbot.mouseClick(window.action_buttons["receive_supplement"], Qt.MouseButton.LeftButton)
    assert all(c.received for c in comp.dossier_components(db, dossier_id))


def test_the_missing_documents_message_follows_the_ticks(qtbot, db, office):
    # it stayed red, naming documents already ticked, until the next save
    dialog = _intake(qtbot, db)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.form.errors["components"]
    required = [r for r in range(dialog.documents.rowCount()) if dialog.documents.required[r]]
    assert len(required) >= 2 and error.isVisible()
    names = [dialog.documents.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in required]
    assert all(f"“{n}”" in error.text() for n in names)
    click_box(qtbot, dialog.documents, required[0], 0)
    assert error.isVisible() and f"“{names[0]}”" not in error.text()
    assert f"“{names[1]}”" in error.text()
    for row in required[1:]:
        click_box(qtbot, dialog.documents, row, 0)
    assert not error.isVisible() and error.text() == ""
    assert dialog.created is None  # nothing saved by a tick


def test_receiving_a_supplement_ticks_the_documents_that_arrived(qtbot, db, office,
                                                                answer_dialogs):
    # "Nhận bổ sung…" asked only for a time and marked every requested document received
    dialog = _intake(qtbot, db)
    for row in range(3):
        click_box(qtbot, dialog.documents, row, 0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dossier_id, _ = dialog.created
    window = DossierDialog(db, dossier_id)
    qtbot.addWidget(window)
    window.show()

    def request(d):
        d.show()
        d.at_edit.set_value(dt.datetime(2025, 6, 11, 9, 32))
        d.reason_edit.setPlainText("Thiếu giấy tờ")
        for row in (1, 2):
            click_box(qtbot, d.documents, row, 0)
    answer_dialogs.append(request)
    qtbot.mouseClick(window.action_buttons["request_supplement"], Qt.MouseButton.LeftButton)
    assert [c.received for c in comp.dossier_components(db, dossier_id)] == [True, False, False]
    shown = []

    def receive(d):
        d.show()
        d.at_edit.set_value(dt.datetime(2025, 6, 11, 9, 34))
        shown.append([d.documents.item(r, 0).toolTip() for r in range(d.documents.rowCount())])
        click_box(qtbot, d.documents, 1, 0)  # the proof of residence did not come
    answer_dialogs.append(receive)
    qtbot.mouseClick(window.action_buttons["receive_supplement"], Qt.MouseButton.LeftButton)
    assert shown == [["Giấy chứng sinh", "Giấy tờ chứng minh nơi cư trú"]]
    assert [c.received for c in comp.dossier_components(db, dossier_id)] == [True, True, False]
    assert db.execute("SELECT status FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0] \
        == "processing"


def test_a_long_document_name_reads_whole_at_1366(qtbot, db, office):
    # at 1366 px intake showed "Văn bản ủy quyền có chứng…", each name cut to one line
    from PySide6.QtCore import QRect
    long_name = "Văn bản ủy quyền có chứng thực (khi nhờ người khác đăng ký khai sinh)"
    comp.save_procedure_components(db, "1.004227", BIRTH[:2] + [Component(long_name)])
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.resize(1366 - 100, 728 - 60)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    table = dialog.documents
    qtbot.waitUntil(lambda: table.rowCount() == 3)
    click_box(qtbot, table, 2, 0)  # received: the box still answers a click on a tall row
    assert table.item(2, 0).checkState() == Qt.CheckState.Checked
    rect = table.visualRect(table.model().index(2, 0))
    metrics = table.fontMetrics()
    assert rect.width() < metrics.horizontalAdvance(long_name)  # one line cannot hold it
    room = rect.width() - 24  # the check box beside it
    lines = metrics.boundingRect(QRect(0, 0, room, 10_000), int(Qt.TextFlag.TextWordWrap),
                                 long_name + " *").height() // metrics.lineSpacing()
    assert lines >= 2 and rect.height() >= lines * metrics.lineSpacing(), (rect, lines)
