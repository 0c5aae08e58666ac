"""The administrator's "Dữ liệu cá nhân" window, driven with real clicks and keys."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.privacy import retention
from db import actor
from gui import file_dialogs, widgets
from gui.main_window import MainWindow
from tests.gui.clicks import click, menu_pick

CLERK = actor.Actor("an", "Lê An", frozenset({"clerk"}))
ADMIN = actor.Actor("qt", "Quản Trị", frozenset({"admin"}))


@pytest.fixture
def window(qtbot, db, db_path, office):
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_window(qtbot, window):
    menu_pick(qtbot, window, window.privacy_action)
    qtbot.waitUntil(lambda: getattr(window, "privacy_window", None) is not None
                    and window.privacy_window.isVisible(), timeout=3000)
    return window.privacy_window


def test_a_clerk_is_refused(qtbot, window, message_boxes):
    with actor.acting_as(CLERK):
        menu_pick(qtbot, window, window.privacy_action)
    assert getattr(window, "privacy_window", None) is None
    assert message_boxes[-1][1] == "Dữ liệu cá nhân"


def test_opening_a_dossier_shows_in_the_access_log(qtbot, window, db, office):
    from gui.dossiers.detail import DossierDialog
    with actor.acting_as(ADMIN):
        detail = DossierDialog(db, office["Đồng Văn Giáp"], window)
        qtbot.addWidget(detail)
        dialog = open_window(qtbot, window)
        tab = dialog.log_tab
        tab.start.set_value(tab.start.value() - dt.timedelta(days=731))
        qtbot.keyClicks(tab.account, "qt")
        click(qtbot, tab.show_button)
    rows = [[tab.model.index(r, c).data() for c in range(6)] for r in range(tab.model.rowCount())]
    assert rows and rows[-1][1:4] == ["qt", "Xem dữ liệu cá nhân của hồ sơ",
                                      db.execute("SELECT code FROM dossiers WHERE id = ?",
                                                 [office["Đồng Văn Giáp"]]).fetchone()[0]]
    assert "1 lượt" in tab.count.text() or len(rows) >= 1


def answer_inputs(monkeypatch, answers):
    def run(dialog):
        dialog.setTextValue(answers.pop(0))
        return True
    monkeypatch.setattr(widgets, "run_input", run)


def test_a_subject_is_found_exported_and_corrected(qtbot, window, db, office, tmp_path,
                                                    monkeypatch, message_boxes):
    with actor.acting_as(ADMIN):
        tab = open_window(qtbot, window).subject_tab
        tab.by.setCurrentIndex(1)  # Số điện thoại
        qtbot.keyClicks(tab.text, "0382 123 428")
        click(qtbot, tab.find_button)
        assert tab.model.rowCount() == 1 and tab.model.index(0, 6).data() == "0382****28"
        click(qtbot, tab.full.box)
        qtbot.keyClicks(tab.full.purpose, "Tra loi don cua ong Giap")  # keyClicks types ASCII only
        out = tmp_path / "giap.pdf"
        monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
        click(qtbot, tab.export_button)
        assert out.stat().st_size > 1000 and message_boxes[-1][1] == "Đã xuất"
        view = tab.view
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.visualRect(view.model().index(0, 0)).center())
        answer_inputs(monkeypatch, ["Địa chỉ", "Thôn Nà Pàn, xã Đồng Giáp", "Công dân đề nghị"])
        click(qtbot, tab.correct_button)
    address = db.execute("SELECT applicant_address FROM dossiers WHERE id = ?",
                         [office["Đồng Văn Giáp"]]).fetchone()[0]
    assert address == "Thôn Nà Pàn, xã Đồng Giáp"
    from core.maintenance import audit
    assert audit.verify_fields(db).ok and audit.verify_chain(db).ok
    purposes = {r[0] for r in db.execute("SELECT purpose FROM access_log WHERE action = "
                                         "'subject.export'")}
    assert purposes == {"Tra loi don cua ong Giap"}


def test_retention_is_confirmed_then_run_and_the_reminder_goes(qtbot, window, db, office,
                                                                message_boxes):
    from core import dossiers
    old, _ = dossiers.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                                     applicant_name="Vi Văn Cũ", applicant_phone="0912000111",
                                     received_at=dt.datetime(2014, 3, 3, 8))
    dossiers.finish(db, old, at=dt.datetime(2014, 3, 4, 8))
    dossiers.return_result(db, old, at=dt.datetime(2014, 3, 5, 8))
    with actor.acting_as(ADMIN):
        dialog = open_window(qtbot, window)
        tab = dialog.retention_tab
        tab.refresh()
        assert not tab.run_button.isEnabled() and "1 hồ sơ" in tab.status.text()
        click(qtbot, tab.enabled)
        assert tab.enabled.isChecked(), (tab.enabled.geometry(), tab.enabled.isVisible())
        click(qtbot, tab.save_button)
        assert retention.plan(db).enabled
        window.update_status()
        assert "1 hồ sơ đã trả quá 10 năm" in window.privacy_label.text()
        message_boxes.answer = QMessageBox.StandardButton.Yes
        click(qtbot, tab.run_button)
        qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã ẩn danh", timeout=10000)
        window.update_status()
    assert window.privacy_label.isHidden()
    name = db.execute("SELECT applicant_name FROM dossiers WHERE id = ?", [old]).fetchone()[0]
    assert name == retention.ANONYMOUS
    with actor.acting_as(CLERK):  # the reminder is the administrator's
        window.update_status()
        assert window.privacy_label.isHidden()


def test_the_breach_kit_is_written(qtbot, window, db, office, tmp_path, monkeypatch,
                                   message_boxes):
    with actor.acting_as(ADMIN):
        tab = open_window(qtbot, window).breach_tab
        tab.start.set_value(tab.start.value() - dt.timedelta(days=31))
        first = tab.units.item(1)  # a commune under the district: its box, at the row's left
        rect = tab.units.visualItemRect(first)
        qtbot.mouseClick(tab.units.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center().__class__(rect.left() + 10, rect.center().y()))
        assert tab.chosen_units() == ["X01"]
        click(qtbot, tab.count_button)
        qtbot.waitUntil(lambda: "người" in tab.summary.text(), timeout=10000)
        assert tab.summary.text().startswith("3 người, 3 hồ sơ")  # the three dossiers of X01
        out = tmp_path / "kit.txt"
        monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
        click(qtbot, tab.write_button)
        qtbot.waitUntil(lambda: bool(message_boxes) and message_boxes[-1][1] == "Đã ghi",
                        timeout=10000)
    text = out.read_text(encoding="utf-8")
    assert "72 giờ" in text and "0382****28" in text


def test_the_retention_tab_says_what_the_law_says_about_the_period(qtbot, window, db_path,
                                                                  capsys):
    """The Lưu giữ tab and `privacy retention` give one explanation (core.privacy.retention.
    BASIS_VI): the period is the Danh mục hồ sơ's (Decree 30/2020), personal data only as long
    as needed (Law 91/2025); nothing is anonymised before the administrator confirms."""
    from PySide6.QtWidgets import QLabel

    import main
    from db import settings
    assert settings.DEFAULTS["retention_enabled"] is False
    with actor.acting_as(ADMIN):
        tab = open_window(qtbot, window).retention_tab
        shown = [label.text() for label in tab.findChildren(QLabel)]
    rule = next(text for text in shown if "Danh mục hồ sơ" in text)
    for text in ("Nghị định 30/2020/NĐ-CP", "Thông tư 10/2022/TT-BNV", "91/2025/QH15",
                 "vĩnh viễn", "không hoàn tác"):
        assert text in rule, text
    assert not tab.enabled.isChecked()
    assert main.main(["--db", str(db_path), "privacy", "retention", "--dry-run"]) == 0
    assert f"Căn cứ: {retention.BASIS_VI}" in capsys.readouterr().out
