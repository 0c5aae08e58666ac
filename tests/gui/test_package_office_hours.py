"""A package whose sender works other office hours on its dossiers' days, in the preview: one
line «Giờ làm việc của máy …» among the catalogue's, what each choice does said above, what
taking them changes on hover; ticked by a click, the sender's hours are this PC's from the day
they first differ (the settings screen's dated versions), nothing else of its hours moved."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from core import dossiers as D
from core import installation, rules
from core.database import open_database
from core.exchange import export_package
from gui import file_dialogs, worker
from gui.packages import PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import NOW, add_catalogue
from tests.gui.test_packages import open_dialog, window  # noqa: F401

LATE = [["07:30", "11:30"], ["13:30", "17:30"]]


def late_package(tmp_path):
    """A commune working 07:30–17:30 since 01/06/2025, one dossier received at 07:10 today."""
    other = open_database(tmp_path / "xa.db")
    add_catalogue(other)
    installation.set_slot(other, 3, 3)
    rules.set_office_hours(other, LATE, dt.date(2025, 6, 1))
    D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Sớm", received_at=NOW.replace(hour=7, minute=10))
    package = tmp_path / "xa.zip"
    export_package(other, package, dt.date(2025, 6, 1))
    other.close()
    return package


def previewed(window, qtbot, tmp_path, monkeypatch) -> PreviewDialog:  # noqa: F811
    """The window's import of `late_package`, its preview open."""
    package = late_package(tmp_path)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    return open_dialog(qtbot, PreviewDialog)


def test_the_sender_s_hours_are_a_line_to_tick_and_taken_when_ticked(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):  # noqa: F811 (the fixture)
    before = rules.office_hours_entries(db)
    preview = previewed(window, qtbot, tmp_path, monkeypatch)
    titles = [preview.catalogue.item(r, 1).text() for r in range(preview.catalogue.rowCount())]
    [row] = [r for r, t in enumerate(titles) if t.startswith("Giờ làm việc của máy ")]
    assert preview.catalogue.item(row, 2).text() == \
        "Giờ làm việc: từ đầu 07:00–11:30, 13:30–17:00"
    assert "từ 01/06/2025 07:30–11:30, 13:30–17:30" in preview.catalogue.item(row, 3).text()
    box = preview.catalogue.cellWidget(row, 0)
    assert box.isEnabled() and not box.isChecked()  # ours by default
    assert "Nếu lấy giờ làm việc theo gói" in box.toolTip()
    said = " ".join(preview.result.warnings)
    assert "vào ngày tiếp nhận của 1 hồ sơ trong gói" in said
    assert rules.office_hours_entries(db) == before  # the preview wrote nothing
    # ticked: what taking them changes worked out (a worker), then asked; "No" leaves it unticked
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("question", "Lấy giờ làm việc theo gói")
    assert "hồ sơ đổi hạn trả kết quả" in text and not box.isChecked()
    assert "hồ sơ đổi hạn trả kết quả" in box.toolTip()
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: len(message_boxes) == 2, timeout=20000)
    worker.wait_all()
    assert box.isChecked() and rules.office_hours_entries(db) == before
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: len(message_boxes) == 3, timeout=20000)
    worker.wait_all()
    assert "danh mục lấy theo gói 1 dòng" in message_boxes[-1][2], message_boxes[-1]
    assert rules.office_hours_entries(db) == before + [(dt.date(2025, 6, 1), LATE)]


def test_left_unticked_the_hours_stay_this_pc_s(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):  # noqa: F811 (the fixture)
    before = rules.office_hours_entries(db)
    preview = previewed(window, qtbot, tmp_path, monkeypatch)
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert "danh mục lấy theo gói" not in message_boxes[-1][2], message_boxes[-1]
    assert rules.office_hours_entries(db) == before


def test_a_catalogue_sent_on_its_own_says_its_hours_from_today_and_takes_them_from_today(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):  # noqa: F811 (the fixture)
    """A commune's catalogue before its first dossier (no dossier): its hours govern none here,
    but its dossiers to come; said in the preview with the day (today: 11/06/2025), the line
    ticked by a click and taken from today, the hours before it this PC's as they were."""
    from PySide6.QtWidgets import QLabel
    other = open_database(tmp_path / "xa.db")
    add_catalogue(other)
    installation.set_slot(other, 3, 3)
    rules.set_office_hours(other, LATE, dt.date(2025, 6, 1))
    export_package(other, tmp_path / "danhmuc.zip", dt.date(2025, 6, 1))
    other.close()
    before = rules.office_hours_entries(db)
    monkeypatch.setattr(file_dialogs, "open_file_names",
                        lambda *a, **k: [str(tmp_path / "danhmuc.zip")])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    shown = " ".join(label.text() for label in preview.findChildren(QLabel))
    assert "Giờ làm việc của máy gửi khác máy này từ 11/06/2025: máy gửi 07:30–11:30, " \
           "13:30–17:30, máy này 07:00–11:30, 13:30–17:00. Gói không mang hồ sơ nào" in shown
    titles = [preview.catalogue.item(r, 1).text() for r in range(preview.catalogue.rowCount())]
    [row] = [r for r, t in enumerate(titles) if t.startswith("Giờ làm việc của máy ")]
    box = preview.catalogue.cellWidget(row, 0)
    assert box.isEnabled() and not box.isChecked()
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert "từ 11/06/2025 07:30–11:30, 13:30–17:30" in message_boxes[-1][2], message_boxes[-1]
    assert box.isChecked() and rules.office_hours_entries(db) == before
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: len(message_boxes) == 2, timeout=20000)
    worker.wait_all()
    assert "danh mục lấy theo gói 1 dòng" in message_boxes[-1][2], message_boxes[-1]
    assert rules.office_hours_entries(db) == before + [(dt.date(2025, 6, 11), LATE)]


def test_a_clash_kept_both_is_counted_among_the_due_times_the_hours_move(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):  # noqa: F811 (the fixture)
    """The commune (slot 1 of 1, as this PC) received at 07:10 the code this PC gives its own
    dossier of 09:00: the preview keeps both by default («Giữ cả hai» ticked), and the commune's
    dossier, whose due time the two sides' hours make differ, is counted (it was left out: 0)."""
    from PySide6.QtWidgets import QLabel
    other = open_database(tmp_path / "xa.db")
    add_catalogue(other)
    rules.set_office_hours(other, LATE, dt.date(2025, 6, 1))
    theirs = D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                              applicant_name="Khách Sớm", received_at=NOW.replace(hour=7, minute=10))[1]
    export_package(other, tmp_path / "xa.zip", dt.date(2025, 6, 1))
    other.close()
    assert D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Của Máy Này",
                            received_at=NOW.replace(hour=9, minute=0))[1] == theirs
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(tmp_path / "xa.zip")])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.both_boxes[0].isChecked()
    shown = " ".join(label.text() for label in preview.findChildren(QLabel))
    assert "vào ngày tiếp nhận của 1 hồ sơ trong gói" in shown
    assert "1 hồ sơ có hạn khác hạn tính theo giờ của máy gửi" in shown, shown
