"""Payments, votes, catalogue and settings screens; every list model through qtmodeltester."""
from __future__ import annotations

import datetime as dt

from core import dossiers
from db import settings
from gui import bus, widgets
from gui.catalogue.screen import CatalogueScreen
from gui.payments import PaymentsScreen
from gui.settings.screen import SettingsScreen
from gui.votes import VotesScreen
from tests.gui.clicks import button_named, click

TODAY = dt.date(2025, 6, 11)


def test_payments_list_and_follow_up(qtbot, qtmodeltester, db, office):
    dossiers.add_payment(db, office["Trần Văn Bình"], amount=8000, method="cash",
                         paid_at=dt.datetime(2025, 6, 5, 14, 10), reference="BL-01")
    dossiers.add_payment(db, office["Phạm Minh Đức"], amount=8000, method="online",
                         paid_at=dt.datetime(2025, 6, 3, 9, 5))
    screen = PaymentsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    qtmodeltester.check(screen.payments)
    qtmodeltester.check(screen.follow)
    first = [screen.payments.index(0, c).data() for c in range(6)]
    assert first == ["14:10 05/06/2025", "X02-250605-0001", "Trần Văn Bình", "8.000 đ",
                     "Tiền mặt", "BL-01"]
    # fee-bearing, not paid online: Giáp and Trang (75.000 đ), Bình (paid cash) — not Đức
    follow = sorted(screen.follow.index(r, 1).data() for r in range(screen.follow.rowCount()))
    assert follow == ["Hoàng Thu Trang", "Trần Văn Bình", "Đồng Văn Giáp"]
    assert "2 khoản thu, tổng 16.000 đ" in screen.summary.text()


def test_paper_vote_is_recorded_and_listed(qtbot, qtmodeltester, db, office):
    screen = VotesScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.unit_box.setCurrentIndex(screen.unit_box.findData("X01"))
    click(qtbot, screen.save_button)
    assert screen.form.errors["rating"].text() == (  # try25 F4: not "không hợp lệ: ''"
        "Cần chọn mức độ hài lòng của người dân (một trong bốn mức).")
    screen.rating.set_value("dissatisfied")
    screen.code_edit.setText("KHONG-CO")
    click(qtbot, screen.save_button)
    assert "Không tìm thấy hồ sơ" in screen.form.errors["dossier"].text()
    screen.code_edit.setText(db.execute("SELECT code FROM dossiers WHERE id = ?",
                                        [office["Phạm Minh Đức"]]).fetchone()[0])
    screen.comment.setPlainText("Chờ lâu")
    click(qtbot, screen.save_button)
    assert db.execute("SELECT rating, source FROM votes").fetchall() == [("dissatisfied", "paper")]
    screen.refresh()
    qtmodeltester.check(screen.model)
    row = [screen.model.index(0, c).data() for c in range(6)]
    assert row == ["09:30 11/06/2025", "UBND xã Đồng Giáp", "Không hài lòng", "X01-250603-0001",
                   "Chờ lâu", "Phiếu giấy"]
    assert screen.summary.text() == "1 phiếu · hài lòng 0 · tỷ lệ 0,00%"


def test_catalogue_units_tree_and_procedure_change_applies_from_today(qtbot, db, office,
                                                                     monkeypatch):
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    top = screen.units.tree.topLevelItem(0)
    assert (top.text(0), top.childCount()) == ("UBND huyện Văn Quan", 2)
    asked = []
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: asked.append(a[2]) or True)
    tab = screen.procedures
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index("1.004227")
    tab.table.setCurrentIndex(proxy.index(row, 0))
    assert tab.edits["valid_from"].value() == TODAY
    tab.edits["limit_value"].setValue(3)
    with qtbot.waitSignal(bus.bus().changed, timeout=10000):
        click(qtbot, tab.save_button)
    # spec 2.1: from today on; the dossiers received earlier keep their due times, unasked
    assert asked == []
    assert db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?",
                      [office["Lê Thị Hà"]]).fetchone()[0] == "2025-06-03 09:00:00"
    assert db.execute("SELECT limit_value FROM procedures WHERE code = '1.004227'").fetchone()[0] == 3
    assert "từ 11/06/2025: 3 ngày làm việc" in tab.history.text()


def test_calendar_override_and_december_warning(qtbot, db, office, monkeypatch):
    # 2026's schedule is shipped (core.official_calendar), 2027's is not
    screen = CatalogueScreen(db, today=dt.date(2026, 12, 3))
    qtbot.addWidget(screen)
    screen.refresh()
    assert not screen.calendar.warning.isHidden()
    assert "năm 2027" in screen.calendar.warning.text()
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: True)
    cal = screen.calendar
    cal.date.set_value(dt.date(2027, 2, 13))
    cal.kind.setCurrentIndex(cal.kind.findData("workday"))
    cal.name.setText("Làm bù Tết")
    with qtbot.waitSignal(bus.bus().changed, timeout=10000):  # saved and recomputed in a worker
        click(qtbot, button_named(cal, "Lưu ngày"))
    assert screen.calendar.warning.isHidden()
    assert db.execute("SELECT kind, name FROM calendar WHERE date LIKE '2027-%'").fetchall() == [
        ("workday", "Làm bù Tết")]


def test_settings_targets_policies_and_header(qtbot, db, office, monkeypatch):
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    assert screen.target_boxes["online_payment"].value() == 45.0
    screen.year_box.setValue(2026)
    screen.target_boxes["online_payment"].setValue(60)
    click(qtbot, button_named(screen, "Lưu chỉ tiêu của năm"))
    assert settings.targets_for_year(db, 2026)["online_payment"] == 0.6
    assert settings.targets_for_year(db, 2025)["online_payment"] == 0.45
    screen.policy_boxes["supplement_policy"].setCurrentIndex(1)
    click(qtbot, button_named(screen, "Lưu cách tính"))
    assert settings.get(db, "supplement_policy") == "restart"
    screen.header_edits["signer_name"].setText("Nguyễn Văn A")
    screen.recipients.setPlainText("UBND tỉnh\nLưu: VT")
    monkeypatch.setattr(widgets, "inform", lambda *a, **k: None)
    click(qtbot, button_named(screen, "Lưu tiêu đề"))
    header = settings.get(db, "report_header")
    assert (header["signer_name"], header["recipients"]) == ("Nguyễn Văn A", ["UBND tỉnh", "Lưu: VT"])


def test_office_hours_are_checked_and_apply_from_the_chosen_date(qtbot, db, office, monkeypatch):
    screen = SettingsScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    dues = db.execute("SELECT id, calc_due_at FROM dossiers ORDER BY id").fetchall()
    screen.session_edits[0][1].set_value(dt.time(6, 0))  # morning ends before it starts
    click(qtbot, screen.hours_button)
    assert screen.hours_error.text() == "Buổi sáng: giờ kết thúc 06:00 phải sau giờ bắt đầu 07:00."
    monkeypatch.setattr(widgets, "confirm", lambda *a, **k: True)
    screen.session_edits[0][1].set_value(dt.time(11, 0))
    with qtbot.waitSignal(bus.bus().changed, timeout=10000):  # after the worker's rebuild
        click(qtbot, screen.hours_button)
    assert settings.get(db, "office_hours")[0] == ["07:00", "11:00"]
    assert settings.get(db, "kpi_stale") == 0
    # every dossier was received before today: none of them moves (spec 2.1)
    assert db.execute("SELECT id, calc_due_at FROM dossiers ORDER BY id").fetchall() == dues
    assert "từ 11/06/2025: 07:00–11:00, 13:30–17:00" in screen.hours_history.text()


def test_codes_are_shown_whole_in_payments_and_votes(qtbot, db, office):
    """Issue 14 §5: "000.31.27.H37-26113…" was cut in Thanh toán and Đánh giá."""
    from gui.dossiers.register_view import LONG_CODE
    payments, votes = PaymentsScreen(db, today=TODAY), VotesScreen(db, today=TODAY)
    for screen in (payments, votes):
        qtbot.addWidget(screen)
    views = ((payments.payments_view, 1), (payments.follow_view, 0), (votes.view, 3))
    for view, column in views:
        needed = view.fontMetrics().horizontalAdvance(LONG_CODE)
        assert view.columnWidth(column) > needed, (view.model().headerData(column, 1), needed)
