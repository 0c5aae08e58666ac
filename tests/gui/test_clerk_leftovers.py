"""Issue 14's leftovers, as the clerk meets them: Tab out of a form's date and time, the kiosk's
unit choice indented like every unit picker, procedures in Vietnamese order at intake, and the
file dialog's places and menus in Vietnamese."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDir, Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox

from db.connection import transaction
from gui import file_dialogs, widgets
from gui.dossiers.intake import IntakeDialog
from gui.main_window import MainWindow


def focused():
    return QApplication.focusWidget()


def test_tab_leaves_the_reception_time_for_the_next_field(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.received_edit
    before = edit.value()
    edit.setFocus()
    qtbot.waitUntil(lambda: focused() is edit.edit)
    qtbot.keyClick(edit.edit, Qt.Key.Key_Tab)  # not to the field's "Lịch…" button
    assert focused() is dialog.fee_box.lineEdit() or focused() is dialog.fee_box
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is edit.edit
    qtbot.keyClick(edit.edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.channel_box
    assert edit.value() == before  # Tab moved the focus, not the time
    # within the field the arrows still work: Up is the next day, at the same time
    edit.setFocus()
    qtbot.keyClick(edit.edit, Qt.Key.Key_Up)
    assert edit.value() == before + dt.timedelta(days=1)


def test_kiosk_unit_choice_is_indented_and_found_by_typing(qtbot, db, db_path, office,
                                                           monkeypatch):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    seen = {}

    def answer(dialog):
        box = dialog.findChild(QComboBox)
        seen["items"] = [box.itemText(i) for i in range(box.count())]
        box.setFocus()
        qtbot.keyClicks(box, "ubnd xa trang")  # no diacritics, the indent aside
        seen["typed"] = box.currentText()
        return True
    monkeypatch.setattr(widgets, "run_input", answer)
    assert window.kiosk_link.choose_unit() == "X02"
    indent = widgets.INDENT
    assert seen["items"] == ["UBND huyện Văn Quan (H01)", indent + "UBND xã Đồng Giáp (X01)",
                             indent + "UBND xã Tràng Các (X02)"]
    assert seen["typed"] == indent + "UBND xã Tràng Các (X02)"


def test_intake_lists_procedures_in_vietnamese_order(qtbot, db, office):
    with transaction(db) as conn:
        conn.execute("INSERT INTO procedures(code, name, field, limit_value, limit_unit, fee,"
                     " online_level, paper_result) VALUES ('3.000001', 'Yêu cầu cấp bản sao',"
                     " 'Hộ tịch', 1, 'working_days', 0, 'partial', 0)")
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.procedure_edit, "a")
    completer = dialog.procedure_edit.completer_
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    names = [popup.model().index(row, 0).data().split(" — ", 1)[1]
             for row in range(popup.model().rowCount())]
    # code-point order put "Đăng ký" after "Yêu cầu" (Đ is U+0110)
    assert names == ["Cấp bản sao trích lục hộ tịch", "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                     "Chứng thực bản sao từ bản chính", "Đăng ký khai sinh",
                     "Yêu cầu cấp bản sao"]
    qtbot.keyClick(popup, Qt.Key.Key_Escape)


def test_file_dialog_places_and_menus_read_vietnamese(qtbot):
    dialog = file_dialogs.make_dialog(None, "Chọn tệp", QDir.homePath(), "", save=True)
    qtbot.addWidget(dialog)
    urls = dialog.sidebarUrls()
    assert QUrl("file:") not in urls  # Qt names that place "Computer", in English only
    assert QUrl.fromLocalFile(QDir.homePath()) in urls
    assert all(QUrl.fromLocalFile(d.absolutePath()) in urls for d in QDir.drives())
    texts = {a.text() for a in dialog.findChildren(QAction) if a.text()}
    assert {"Đổi &tên", "&Xoá", "Hiện tệp ẩ&n", "Thư &mục mới", "Hiện cỡ", "Hiện loại",
            "Hiện ngày sửa"} <= texts
    assert not texts & {"&Rename", "&Delete", "Show &hidden files", "&New Folder", "Show Size"}


def test_dossier_window_keeps_a_long_procedure_name_and_the_unit_code_whole(qtbot, db, office):
    from gui.dossiers.detail import DossierDialog
    long_name = ("Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng "
                 "thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể "
                 "điểm chỉ được)")
    with transaction(db) as conn:
        conn.execute("UPDATE procedures SET name = ? WHERE code = '2.000635'", [long_name])
    dialog = DossierDialog(db, office["Trần Văn Bình"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.frameGeometry().height() <= 728  # the office screen of the tests
    from PySide6.QtWidgets import QLabel
    values = {label.text(): label for label in dialog.findChildren(QLabel)}
    procedure = values["2.000635 — " + long_name]
    unit = values["UBND xã Tràng Các (X02)"]
    # every line it needs is shown: the squeezed dialog once gave it one line and cut both
    needed = procedure.heightForWidth(procedure.width())
    assert procedure.height() >= needed >= 2 * procedure.fontMetrics().lineSpacing()
    assert unit.height() >= unit.fontMetrics().height()
    assert unit.width() >= unit.fontMetrics().horizontalAdvance(unit.text())


def test_reports_screen_fits_1366_with_the_longest_unit_names(qtbot, db, db_path, office):
    # the demo's province: its centre's branch with a 13-character code made the report's
    # filter row, and so the window, 1,415 px wide
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                     ["000.01.90.H37", "Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại "
                      "Văn Quan", "branch", "H01"])
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.nav.visualItemRect(window.nav.item(4)).center())
    assert window.nav.currentItem().text() == "Báo cáo"
    qtbot.wait(20)
    assert window.minimumSizeHint().width() + widgets.FRAME_ALLOWANCE[0] <= 1366


def test_qt_dialogs_read_vietnamese_through_the_shipped_translation(qtbot, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import PySide6
    from PySide6.QtCore import QCoreApplication, QTranslator

    from core import paths
    from gui.app import install_qt_vietnamese
    source = paths.resource_path("translations", "qt_vi.ts")
    shipped = paths.resource_path("translations", "qt_vi.qm")
    # the shipped .qm is the .ts compiled as it is now
    lrelease = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32"
                                                 else "lrelease")
    subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(tmp_path / "qt_vi.qm")],
                   check=True)
    assert (tmp_path / "qt_vi.qm").read_bytes() == shipped.read_bytes()
    app = QCoreApplication.instance()
    try:
        assert install_qt_vietnamese(app)
        tr = QCoreApplication.translate
        assert tr("QFileDialog", "Remove") == "Bỏ khỏi danh sách"  # the places' context menu
        assert tr("QFileSystemModel", "Computer") == "Máy tính"
        assert tr("QPlatformTheme", "&Yes") == "&Có"
        assert tr("QPrintDialog", "&Print") == "&In"
        assert tr("QPrintWidget", "P&roperties") == "&Thuộc tính"
        # a real dialog picks them up
        dialog = file_dialogs.make_dialog(None, "Chọn tệp", QDir.homePath(), "", save=False)
        qtbot.addWidget(dialog)
        texts = {a.text() for a in dialog.findChildren(QAction)}
        assert "Hiện cỡ" in texts and "Show Size" not in texts
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
            translator.deleteLater()


def test_intake_shows_each_unit_with_its_whole_code(qtbot, db, office):
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                     ["000.00.90.H37", "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
                      "centre", None])
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for box, value in ((dialog.unit_box, "000.00.90.H37"), (dialog.competent_box, "X02")):
        box.setFocus()
        box.setCurrentIndex(box.findData(value))
        text = box.currentText().strip()
        room = box.style().subControlRect(box.style().ComplexControl.CC_ComboBox, _combo_option(box),
                                          box.style().SubControl.SC_ComboBoxEditField, box)
        # side by side the two boxes showed "UBND tỉnh Lạng Sơn (000"
        assert box.fontMetrics().horizontalAdvance(text) <= room.width(), text


def _combo_option(box):
    from PySide6.QtWidgets import QStyleOptionComboBox
    option = QStyleOptionComboBox()
    option.initFrom(box)
    option.editable = box.isEditable()
    return option


def test_paper_vote_unit_and_payment_reference_read_whole(qtbot, db, office):
    import datetime as dt

    from core import payments as core_payments
    from gui.payments import PaymentsScreen
    from gui.votes import VotesScreen
    votes = VotesScreen(db)
    qtbot.addWidget(votes)
    votes.resize(1366 - 150, 680)
    votes.show()
    qtbot.waitExposed(votes)
    box = votes.unit_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)  # the clerk opens the list and picks
    qtbot.keyClicks(box.view(), "ubnd xa trang")
    qtbot.keyClick(box.view(), Qt.Key.Key_Return)
    assert box.currentData() == "X02"
    text = box.currentText().strip()
    room = box.style().subControlRect(box.style().ComplexControl.CC_ComboBox, _combo_option(box),
                                      box.style().SubControl.SC_ComboBoxEditField, box)
    assert box.fontMetrics().horizontalAdvance(text) <= room.width(), text  # code and all
    reference = "DVCQG-250611-00002441"
    core_payments.add_payment(db, office["Trần Văn Bình"], amount=8000, method="online",
                              paid_at=dt.datetime(2025, 6, 10, 9, 0), reference=reference)
    screen = PaymentsScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    view = screen.payments_view
    assert reference in [screen.payments.index(r, 5).data()
                         for r in range(screen.payments.rowCount())]
    assert view.columnWidth(5) >= view.fontMetrics().horizontalAdvance(reference) + 16
