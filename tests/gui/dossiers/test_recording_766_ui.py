"""What Decision 766 counts, recorded through the window by clicks (issue 17): the one
"digitised" flag at intake and on the dossier, e-result and digitised result at finish, and the
dossier's complaints added, resolved and cancelled; the 766 figures move at once."""
from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QPoint, Qt

from core import complaints
from core.indicators import compute
from gui.dossiers.detail import DossierDialog
from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click

LEFT = Qt.MouseButton.LeftButton
JUNE = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))


def i766(db) -> dict:
    return compute(db, *JUNE)["total"]["i766"]


def tick(qtbot, box) -> None:
    """Click a check box on its square, as the clerk does (its row may be wider than its text)."""
    assert box.isVisible() and box.isEnabled(), box.text()
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def open_tab(qtbot, window, index: int) -> None:
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    assert window.tabs.currentIndex() == index


def complaints_tab(qtbot, window):
    """The tab as rebuilt by the window's reload, once on the screen (shown by the event loop)."""
    qtbot.waitUntil(lambda: window.complaints_box.isVisible())
    return window.complaints_box


def stored(db, dossier_id, columns):
    return tuple(db.execute(f"SELECT {columns} FROM dossiers WHERE id = ?", [dossier_id]).fetchone())


def open_dossier(qtbot, db, dossier_id) -> DossierDialog:
    window = DossierDialog(db, dossier_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_intake_without_a_document_list_offers_the_one_flag(qtbot, db, office):
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.documents.horizontalHeaderItem(3).text() == "Đã số hóa"
    assert not dialog.digitised_box.isVisible()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X01"))
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")  # no list in this catalogue
    qtbot.waitUntil(dialog.digitised_box.isVisible)
    assert not dialog.documents.isVisible()
    qtbot.keyClicks(dialog.name_edit, "Vu Thi Mai")
    before = i766(db)["digitised"]
    tick(qtbot, dialog.digitised_box)
    click(qtbot, dialog.save_button)
    dossier_id, _ = dialog.created
    assert stored(db, dossier_id, "digitised") == (1,)
    assert i766(db)["digitised"]["num"] == before["num"] + 1


def test_the_dossier_window_marks_the_flag_and_finishes_with_e_result(qtbot, db, office,
                                                                      answer_dialogs):
    dossier_id = office["Nguyễn Thị Lan"]  # received, no document list
    window = open_dossier(qtbot, db, dossier_id)
    box = window.documents_box
    assert window.tabs.tabText(1) == "Số hóa" and not box.result_box.isEnabled()
    open_tab(qtbot, window, 1)
    tick(qtbot, box.digitised_box)
    click(qtbot, box.save_button)
    assert stored(db, dossier_id, "digitised") == (1,)
    assert "Thành phần hồ sơ: đã số hóa" in window.timeline.item(
        window.timeline.rowCount() - 1, 3).text()
    assert window.tabs.currentIndex() == 1  # the clerk stays on the tab after the reload

    def finish(dialog):
        dialog.show()
        dialog.at_edit.set_value(dt.datetime(2025, 6, 11, 9, 0))
        tick(qtbot, dialog.e_result)
        tick(qtbot, dialog.result_digitised)
    before = i766(db)
    answer_dialogs.append(finish)
    click(qtbot, window.action_buttons["finish"])
    assert stored(db, dossier_id, "status, e_result, result_digitised") == ("done", 1, 1)
    after = i766(db)
    assert after["e_result"]["num"] == before["e_result"]["num"] + 1
    assert window.documents_box.result_box.isChecked()


def test_complaints_are_added_resolved_and_cancelled_by_clicks(qtbot, db, office, answer_dialogs,
                                                               message_boxes):
    dossier_id = office["Phạm Minh Đức"]  # returned
    window = open_dossier(qtbot, db, dossier_id)
    box = window.complaints_box
    assert window.tabs.tabText(2) == "Phản ánh, kiến nghị (0)"
    open_tab(qtbot, window, 2)
    assert not box.resolve_button.isEnabled() and not box.cancel_button.isEnabled()
    satisfied = i766(db)["satisfaction"]["num"]

    def add(dialog):
        dialog.show()
        dialog.received_at.set_value(dt.datetime(2025, 6, 10, 8, 0))
        dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
        qtbot.keyClicks(dialog.content, "Cham tra ket qua")
    answer_dialogs.append(lambda d: None)  # an empty content first: refused under the field
    answer_dialogs.append(add)
    click(qtbot, box.add_button)
    box = complaints_tab(qtbot, window)  # rebuilt by the reload
    assert window.tabs.tabText(2) == "Phản ánh, kiến nghị (1)"
    assert [box.table.item(0, c).text() for c in (1, 2, 4)] == [
        "Điện thoại", "Cham tra ket qua", "Chưa giải quyết"]
    assert i766(db)["satisfaction"]["num"] == satisfied - 1
    last = window.timeline.rowCount() - 1
    assert window.timeline.item(last, 1).text() == "Nhận phản ánh, kiến nghị"
    assert window.timeline.item(last, 3).text() == "Điện thoại, nhận lúc 08:00 10/06/2025"

    def resolve(dialog):
        dialog.show()
        qtbot.keyClicks(dialog.resolution, "Da xin loi cong dan")
        dialog.resolved_at.set_value(dt.datetime(2025, 6, 10, 15, 0))
    answer_dialogs.append(resolve)
    click(qtbot, box.resolve_button)
    box = complaints_tab(qtbot, window)
    assert box.table.item(0, 4).text() == "Đã giải quyết"
    assert box.table.item(0, 3).text().startswith("Da xin loi cong dan")
    actor = db.execute("SELECT actor FROM complaints").fetchone()[0]
    assert actor  # who recorded it

    def cancel(dialog):
        dialog.show()
        qtbot.keyClicks(dialog.reason_edit, "Nhap nham ho so")
    answer_dialogs.append(lambda d: None)  # no reason: refused, the dialog stays
    answer_dialogs.append(cancel)
    click(qtbot, box.cancel_button)
    box = complaints_tab(qtbot, window)
    # a narrow column: "Đã huỷ", when and why on hover, as the payments and votes (core.cancelling)
    assert box.table.item(0, 4).text() == "Đã huỷ"
    assert re.fullmatch(r"Đã huỷ lúc \d\d:\d\d \d\d/\d\d/\d{4}: Nhap nham ho so",
                        box.table.item(0, 4).toolTip())
    assert window.tabs.tabText(2) == "Phản ánh, kiến nghị (0)"
    assert i766(db)["satisfaction"]["num"] == satisfied
    assert [c.status_vi for c in complaints.dossier_complaints(db, dossier_id)] == ["Đã huỷ"]
    assert message_boxes == []  # every refusal was shown under its field, no box


def test_complaints_brought_by_a_file_show_in_the_timeline(qtbot, db, office, tmp_path):
    """A complaint imported and then answered by a file: two lines in Vietnamese naming it."""
    from core.transfer import import_file
    from tests.core.transfer.conftest import write_csv
    from tests.core.transfer.test_import_766 import COMPLAINTS_HEADER

    dossier_id = office["Phạm Minh Đức"]
    code = db.execute("SELECT code FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
    row = [code, "2025-06-10 08:00", "phone", "Cham tra", "", ""]
    assert import_file(db, "complaints", write_csv(tmp_path / "c.csv", COMPLAINTS_HEADER,
                                                   [row])).ok
    answered = row[:4] + ["Da tra loi", "2025-06-11 09:00"]
    assert import_file(db, "complaints", write_csv(tmp_path / "tl.csv", COMPLAINTS_HEADER,
                                                   [answered])).ok
    window = open_dossier(qtbot, db, dossier_id)
    last = window.timeline.rowCount() - 1
    lines = [(window.timeline.item(r, 1).text(), window.timeline.item(r, 3).text())
             for r in (last - 1, last)]
    assert lines == [
        ("Nhận phản ánh, kiến nghị", "Điện thoại, nhận lúc 08:00 10/06/2025 — theo tệp c.csv"),
        ("Giải quyết phản ánh", "giải quyết lúc 09:00 11/06/2025 — theo tệp tl.csv")]


def test_with_two_live_complaints_tab_and_space_choose_none(qtbot, db, office, answer_dialogs,
                                                            message_boxes):
    """The keys that walk a clerk through the tab do not pick the complaint a button acts on:
    focus entering the list by Tab, then Space, leaves no row chosen, so «Ghi kết quả» asks
    which one instead of answering the first; an arrow key then chooses it."""
    dossier_id = office["Phạm Minh Đức"]
    for text in ("Cham tra ket qua", "Thieu giay hen"):
        complaints.add_complaint(db, dossier_id, channel="phone", content=text,
                                 received_at=dt.datetime(2025, 6, 10, 8, 0))
    window = open_dossier(qtbot, db, dossier_id)
    open_tab(qtbot, window, 2)
    box = complaints_tab(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # keys as on a desk: focus events delivered
    box.add_button.setFocus()
    qtbot.keyClick(box.add_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert box.table.hasFocus()
    qtbot.keyClick(box.table, Qt.Key.Key_Space)
    assert box.table.selectionModel().selectedRows() == []
    opened: list = []
    answer_dialogs.append(opened.append)
    click(qtbot, box.resolve_button)
    assert opened == [] and message_boxes[-1][2].startswith("Hãy chọn trong bảng phản ánh")
    assert [c.resolved_at for c in complaints.dossier_complaints(db, dossier_id)] == [None, None]
    qtbot.keyClick(box.table, Qt.Key.Key_Down)  # the keyboard's own way to choose a row
    assert box.chosen("x") is not None
