"""The reconciliation's unit picker (walk33): it listed a commune dissolved by a merger above
its successor of the same name whatever the period, and opened on «Tất cả đơn vị» for a leader
whose account has a unit. It lists the units in existence in the chosen period, again when the
period is typed anew, and opens on the account's own unit (core.desk_unit, as intake)."""
from __future__ import annotations

import datetime as dt

from core import accounts
from db import actor
from gui.reconciliation.screen import ReconcileDialog
from tests.gui.reconciliation.test_screen import office  # noqa: F401


def _codes(dialog) -> list:
    return [dialog.unit.itemData(i) for i in range(dialog.unit.count())]


def _open(qtbot, db, db_path) -> ReconcileDialog:
    widget = ReconcileDialog(db, str(db_path), today=dt.date(2025, 2, 10))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _type(qtbot, field, text: str) -> None:
    edit = field.edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, "\t")


def test_only_the_periods_units_listed_again_when_the_period_changes(qtbot, office, db_path):  # noqa: F811
    office.execute("UPDATE units SET valid_to = '2025-01-15' WHERE code = 'XVQ'")
    office.conn.commit()
    dialog = _open(qtbot, office, db_path)
    assert _codes(dialog) == [None, "LS", "XTD", "XVQ"]  # January: XVQ until the 15th
    assert dialog.unit.currentData() is None  # nobody signed in: all units
    dialog.unit.setCurrentIndex(dialog.unit.findData("XTD"))
    _type(qtbot, dialog.date_from, "01/02/2025")
    _type(qtbot, dialog.date_to, "28/02/2025")
    assert _codes(dialog) == [None, "LS", "XTD"]  # dissolved before February
    assert dialog.unit.currentData() == "XTD"  # the choice kept while listed
    assert dialog.unit.itemText(0) == "Tất cả đơn vị"


def test_it_opens_on_the_signed_in_accounts_own_unit(qtbot, office, db_path):  # noqa: F811
    admin = accounts.create_account(office, "quantri", "Trần Quản Trị", ["admin"], "matkhau123")
    with actor.acting_as(admin.as_actor()):
        leader = accounts.create_account(office, "lanhdao", "Hoàng Văn Đạo", ["leader"],
                                         "matkhau123", unit_code="XTD")
    actor.sign_in(leader.as_actor())
    assert _open(qtbot, office, db_path).unit.currentData() == "XTD"
    actor.sign_in(admin.as_actor())  # an account without a unit: all units
    assert _open(qtbot, office, db_path).unit.currentData() is None


LONG = ("Trung tâm Phục vụ hành chính công xã Yên Phúc mở rộng tại thôn Bản Chành và khu tái "
        "định cư")  # 90 characters, a real commune centre's kind of name


def test_a_long_units_name_is_read_whole_its_code_in_sight(qtbot, window_font, office,  # noqa: F811
                                                           db_path, tmp_path):
    """At 1366 px the box showed «…mở rộng tại thôn B» and no code (recon34): it now cuts in
    the middle, its code at the end, takes the row's spare width, and names the unit whole on
    hover; the list cuts in the middle too (a 200-character name past the screen)."""
    from PySide6.QtCore import Qt

    from core.transfer import import_file
    from tests.core.transfer.conftest import UNITS_HEADER, write_csv
    rows = [["XLONG", LONG, "commune", "LS"], ["XHUGE", ("Điểm tiếp nhận " + "rất dài " * 23).strip(),
                                               "commune", "LS"]]
    assert import_file(office, "units", write_csv(tmp_path / "u.csv", UNITS_HEADER, rows)).ok
    dialog = _open(qtbot, office, db_path)
    box = dialog.unit
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)  # the clerk opens the list and picks it
    qtbot.waitUntil(lambda: box.view().isVisible(), timeout=3000)
    for _ in range(box.findData("XLONG")):
        qtbot.keyClick(box.view(), Qt.Key.Key_Down)
    qtbot.keyClick(box.view(), Qt.Key.Key_Return)
    assert box.currentData() == "XLONG"
    shown = box.shown_text()
    assert shown.endswith("(XLONG)") and shown.startswith("Trung tâm Phục vụ"), shown
    assert box.width() > 480  # the row's spare width, not the combos' usual cap
    assert box.toolTip() == f"{LONG} (XLONG)"
    huge = box.findData("XHUGE")
    assert box.itemData(huge, Qt.ItemDataRole.ToolTipRole).endswith("rất dài (XHUGE)")
    assert box.view().textElideMode() == Qt.TextElideMode.ElideMiddle
