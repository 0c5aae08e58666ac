""""Xuất Excel…" on the lists (issue 19): a click writes what the screen shows — the same rows in
the same order, its tab and filters named in the title — in a worker; phones stay masked."""
from __future__ import annotations

import datetime as dt
import os

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt

from core import dossiers, votes
from core.privacy import masking
from db import actor
from db.actor import Actor
from gui import file_dialogs, widgets, worker
from gui.dashboard.screen import DashboardScreen
from gui.dossiers.register_view import RegisterScreen
from gui.payments import PaymentsScreen
from gui.votes import VotesScreen
from tests.gui.clicks import click

TODAY = dt.date(2025, 6, 11)


def save_as(monkeypatch, path) -> list:
    asked: list = []

    def answer(parent, caption, directory="", name_filter=""):
        asked.append((caption, directory, name_filter))
        return str(path)
    monkeypatch.setattr(file_dialogs, "save_file_name", answer)
    return asked


def written(qtbot, message_boxes, path):
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes) and message_boxes[-1][1] == "Đã xuất Excel",
                    timeout=10000)
    sheet = openpyxl.load_workbook(path).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]


def shown(model, column: int) -> list:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_register_tab_filters_and_sort_are_the_file(qtbot, db, office, tmp_path, monkeypatch,
                                                   message_boxes):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.mouseClick(screen.tabs, Qt.MouseButton.LeftButton,
                     pos=screen.tabs.tabRect(1).center())  # Đang giải quyết
    header = screen.table.horizontalHeader()  # sorted by applicant, a click on its header
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(2) + 20, header.height() // 2))
    assert screen.model.sort_column == 2
    target = tmp_path / "ho-so.xlsx"
    asked = save_as(monkeypatch, target)
    click(qtbot, screen.export_button)
    sheet, rows = written(qtbot, message_boxes, target)
    suggested = os.path.basename(asked[0][1])  # in the clerk's save folder (walk35)
    assert suggested.startswith("Hồ sơ ") and suggested.endswith(".xlsx")
    assert [r[0] for r in rows] == shown(screen.model, 0)
    assert [r[2] for r in rows] == shown(screen.model, 2) == sorted(shown(screen.model, 2))
    assert [r[7] for r in rows] == shown(screen.model, 7)  # time left, as on screen
    assert all(isinstance(r[5], dt.datetime) for r in rows)
    assert [f"{r[5]:%H:%M %d/%m/%Y}" for r in rows] == shown(screen.model, 5)
    assert sheet["A1"].value == "DANH SÁCH HỒ SƠ — ĐANG GIẢI QUYẾT"
    assert sheet["A3"].value == f"Số liệu lúc 09:30 11/06/2025 — {len(rows)} dòng"
    assert sheet.freeze_panes == "A5" and sheet.auto_filter.ref.startswith("A4:I")
    assert message_boxes[-1][2] == f"Đã ghi {len(rows)} dòng vào {target}."


def test_register_filter_named_in_the_title(qtbot, db, office, tmp_path, monkeypatch,
                                            message_boxes):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()
    qtbot.waitExposed(screen)
    screen.unit_box.setFocus()
    screen.unit_box.setCurrentIndex(screen.unit_box.findData("X02"))  # as the clerk picks it
    target = tmp_path / "x02.xlsx"
    save_as(monkeypatch, target)
    click(qtbot, screen.export_button)
    sheet, rows = written(qtbot, message_boxes, target)
    assert sheet["A2"].value == "Đơn vị: UBND xã Tràng Các (cả đơn vị trực thuộc)"
    assert [r[0] for r in rows] == shown(screen.model, 0) and len(rows) == 3


def test_follow_up_phone_masked_and_payments_as_numbers(qtbot, db, office, tmp_path,
                                                        monkeypatch, message_boxes):
    dossiers.add_payment(db, office["Trần Văn Bình"], amount=8000, method="cash",
                         paid_at=dt.datetime(2025, 6, 5, 14, 10), reference="BL-01")
    screen = PaymentsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    target = tmp_path / "thu.xlsx"
    save_as(monkeypatch, target)
    click(qtbot, screen.export_button)
    sheet, rows = written(qtbot, message_boxes, target)
    assert rows == [[dt.datetime(2025, 6, 5, 14, 10), shown(screen.payments, 1)[0],
                     "Trần Văn Bình", 8000, "Tiền mặt", "BL-01", None]]
    assert sheet["D5"].number_format == '#,##0 "đ"' and sheet["A1"].value == "CÁC KHOẢN ĐÃ THU"
    qtbot.mouseClick(screen.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=screen.tabs.tabBar().tabRect(1).center())
    message_boxes.clear()  # the next "Đã xuất Excel" is the follow-up list's
    target = tmp_path / "theo-doi.xlsx"
    save_as(monkeypatch, target)
    click(qtbot, screen.export_button)
    sheet, rows = written(qtbot, message_boxes, target)
    assert message_boxes[-2][1] == "Dữ liệu cá nhân"  # answered "Che dữ liệu cá nhân"
    assert [r[0] for r in rows] == shown(screen.follow, 0)
    phone = [r[2] for r in rows if r[1] == "Đồng Văn Giáp"]
    assert phone == [masking.mask_phone("0382123428")] == ["0382****28"]
    assert message_boxes[-1][2].endswith("Số điện thoại đã được che.")


def test_votes_list(qtbot, db, office, tmp_path, monkeypatch, message_boxes):
    votes.record_paper_vote(db, unit_code="X01", rating="satisfied",
                            voted_at=dt.datetime(2025, 6, 10, 10, 0), comment="Nhanh")
    screen = VotesScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    target = tmp_path / "phieu.xlsx"
    save_as(monkeypatch, target)
    click(qtbot, screen.export_button)
    _, rows = written(qtbot, message_boxes, target)
    assert rows == [[dt.datetime(2025, 6, 10, 10, 0), "UBND xã Đồng Giáp", "Hài lòng", None,
                     "Nhanh", "Phiếu giấy", None]]


def test_dashboard_overdue_list(qtbot, db, office, tmp_path, monkeypatch, message_boxes):
    screen = DashboardScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    model = screen.late_models["overdue"]
    assert model.rowCount()
    target = tmp_path / "qua-han.xlsx"
    save_as(monkeypatch, target)
    asked = []
    monkeypatch.setattr(widgets, "choose", lambda parent, title, label, items: (
        asked.append(items) or items[0]))
    click(qtbot, screen.export_button)
    assert asked == [["Hồ sơ đang quá hạn", "Hồ sơ đến hạn trong 2 ngày làm việc"]]
    sheet, rows = written(qtbot, message_boxes, target)
    assert sheet["A1"].value == "HỒ SƠ ĐANG QUÁ HẠN"
    assert [r[0] for r in rows] == shown(model, 0)
    assert all(r[7].startswith("Quá hạn") for r in rows)  # the column the box hides, in the file


def test_cancelled_file_choice_writes_nothing(qtbot, db, office, tmp_path, monkeypatch,
                                              message_boxes):
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.refresh()
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: "")
    click(qtbot, screen.export_button)
    worker.wait_all()
    assert message_boxes == [] and list(tmp_path.glob("*.xlsx")) == []


@pytest.mark.parametrize("role, visible", [("clerk", False), ("leader", True)])
def test_the_button_follows_data_export(qtbot, db, office, role, visible):
    actor.sign_in(Actor(f"tk.{role}", role, frozenset({role})))
    for screen in (RegisterScreen(db), PaymentsScreen(db, today=TODAY),
                   VotesScreen(db, today=TODAY)):
        qtbot.addWidget(screen)
        assert screen.export_button.isHidden() is not visible


def test_lists_behind_dashboard_figures(qtbot, db, office, tmp_path, monkeypatch,
                                        message_boxes):
    from core import periods
    from gui.dashboard import behind
    from gui.dossiers.register_view import RegisterScreen as Register
    votes.record_paper_vote(db, unit_code="X02", rating="very_satisfied",
                            voted_at=dt.datetime(2025, 6, 9, 8, 0))
    period = periods.preset("month", TODAY)
    dialog = behind.show_dossiers_behind(None, db, "satisfaction.votes", period, "H01")
    qtbot.addWidget(dialog)
    target = tmp_path / "phieu.xlsx"
    save_as(monkeypatch, target)
    click(qtbot, dialog.export_button)
    sheet, rows = written(qtbot, message_boxes, target)
    assert sheet["A1"].value == dialog.windowTitle() and len(rows) == 1
    assert sheet["A2"].value.startswith("Đơn vị: UBND huyện Văn Quan (cả đơn vị trực thuộc) — "
                                        "từ 01/06/2025 đến 30/06/2025")
    dialog = behind.show_dossiers_behind(None, db, "received.total", period, None)
    qtbot.addWidget(dialog)
    screen = dialog.findChild(Register)
    message_boxes.clear()
    target = tmp_path / "nhan.xlsx"
    save_as(monkeypatch, target)
    click(qtbot, screen.export_button)
    sheet, rows = written(qtbot, message_boxes, target)
    assert sheet["A1"].value == dialog.windowTitle()
    assert [r[0] for r in rows] == shown(screen.model, 0) and len(rows) == 6


@pytest.mark.parametrize("kind", ["payments", "votes", "register"])
def test_a_reversed_period_is_named_not_exported_empty(qtbot, db, office, tmp_path, monkeypatch,
                                                       message_boxes, kind):
    """From after to: Xuất Excel says which days are wrong and asks for no file, instead of
    writing an empty list titled with the reversed days."""
    first, last = dt.date(2025, 6, 20), dt.date(2025, 5, 1)
    if kind == "register":
        screen = RegisterScreen(db)
        qtbot.addWidget(screen)
        screen.refresh()
        screen.date_from.set_value(first)
        screen.date_to.set_value(last)
        screen.apply_filters()
    else:
        screen = (PaymentsScreen if kind == "payments" else VotesScreen)(db, today=TODAY)
        qtbot.addWidget(screen)
        screen.refresh()
        screen.period.to_edit.set_value(last)
        screen.period.from_edit.set_value(first)
    asked = save_as(monkeypatch, tmp_path / "x.xlsx")
    click(qtbot, screen.export_button)
    worker.wait_all()
    assert asked == [] and not (tmp_path / "x.xlsx").exists()
    assert message_boxes[-1][2] == "Ngày bắt đầu 20/06/2025 sau ngày kết thúc 01/05/2025."
