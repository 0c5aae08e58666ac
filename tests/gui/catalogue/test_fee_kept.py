"""Danh mục thủ tục: a new fee saved applies to the dossiers received from now on; those already
received keep the fee they had (core.fees) and the screen says how many — the audit of
01/12/2026 (a new fee had rewritten the past month's online-payment figure)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from core.maintenance import audit
from gui.catalogue.screen import CatalogueScreen

TODAY = dt.date(2025, 6, 11)
CODE = "1.004227"  # fee 0 in the office fixture


def _tab(qtbot, db):
    screen = CatalogueScreen(db, today=TODAY)
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentWidget(screen.procedures)
    screen.refresh()
    qtbot.screen = screen
    return screen.procedures


def _open(qtbot, tab, code: str) -> None:
    proxy = tab.table.model()
    row = [proxy.index(r, 0).data() for r in range(proxy.rowCount())].index(code)
    rect = tab.table.visualRect(proxy.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _fee_figures(db) -> list:
    return db.execute("SELECT day, unit_code, fee_dossiers, paid_online FROM kpi_daily "
                      "WHERE fee_dossiers > 0 OR paid_online > 0 ORDER BY 1, 2").fetchall()


def test_a_new_fee_keeps_the_figures_already_received_and_says_how_many(qtbot, db, office):
    following = db.execute("SELECT COUNT(*) FROM dossiers WHERE procedure_code = ? "
                           "AND fee IS NULL", [CODE]).fetchone()[0]
    assert following >= 2
    before = _fee_figures(db)
    tab = _tab(qtbot, db)
    _open(qtbot, tab, CODE)
    fee = tab.edits["fee"]
    assert fee.value() == 0
    fee.setFocus()
    for _ in range(5):  # steps of 1.000 đ
        qtbot.keyClick(fee, Qt.Key.Key_Up)
    assert fee.value() == 5000
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.saved_label.text().startswith(f"Đã lưu thủ tục {CODE}"),
                    timeout=10000)
    assert db.execute("SELECT fee FROM procedures WHERE code = ?", [CODE]).fetchone()[0] == 5000
    assert _fee_figures(db) == before  # the figures of the dossiers received stay as they were
    assert (f"Mức phí mới áp dụng cho hồ sơ tiếp nhận từ nay; {following} hồ sơ đã tiếp nhận "
            "giữ mức phí cũ 0 đ.") in tab.saved_label.text()
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE procedure_code = ? AND fee IS NULL",
                      [CODE]).fetchone()[0] == 0
    assert audit.mismatches(db) == (0, [])  # `check`: every dossier agrees with its history
    logged = db.execute("SELECT actor, old_value FROM setting_changes WHERE key = ?",
                        [f"{CODE}: mức phí"]).fetchall()
    assert len(logged) == 1 and logged[0][0] and logged[0][1] == "0"  # who, and the old fee
