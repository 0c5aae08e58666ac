"""The preview says each package's signature against the sender's key known here, and a
package signed with another key than the one pinned is refused in words (core.exchange.signing),
with real clicks from the Dữ liệu menu."""
from __future__ import annotations

import datetime as dt

from core import dossiers as D
from core import installation
from core.database import open_database
from core.exchange import export_package
from db.connection import transaction
from gui import file_dialogs, worker
from gui.packages import PACKAGE_COLUMNS, PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import NOW, add_catalogue
from tests.gui.test_packages import counter_package, open_dialog, shown, window

__all__ = ["counter_package", "window"]


def _preview(qtbot, window, monkeypatch, paths) -> PreviewDialog:
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(p) for p in paths])
    menu_pick(qtbot, window, window.exchange_import_action)
    return open_dialog(qtbot, PreviewDialog)


def test_the_preview_says_the_signature_and_another_key_is_refused(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes, counter_package):
    package, _codes = counter_package
    preview = _preview(qtbot, window, monkeypatch, [package])
    heading = preview.findChildren(type(preview.left_label))
    assert any("Chữ ký: hợp lệ — máy mới, khoá sẽ được ghi nhận khi nhập" in label.text()
               for label in heading)
    untick = list(preview.both_boxes.values())
    assert not untick  # (no clash: this PC has no dossier of the counter's codes)
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    # again: the sender is known now
    message_boxes.clear()
    again = _preview(qtbot, window, monkeypatch, [package])
    qtbot.waitUntil(lambda: again is not preview or bool(shown(PreviewDialog)), timeout=10000)
    again = [d for d in shown(PreviewDialog) if d is not preview][-1]
    assert any("Chữ ký: hợp lệ (máy đã biết)" in label.text()
               for label in again.findChildren(type(again.left_label)))
    again.reject()
    # the counter reinstalled from a backup older than its key: another key, refused
    other = open_database(tmp_path / "counter.db")
    with transaction(other) as conn:
        conn.execute("DELETE FROM settings WHERE key = ?", [installation.SIGNING_KEY])
    forged = tmp_path / "quay2-khac.zip"
    export_package(other, forged, dt.date(2025, 1, 1))
    other.close()
    before = db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM settings) FROM dossiers"
                        ).fetchone()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(forged)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    said = message_boxes[-1][2]
    assert "Gói quay2-khac.zip: chữ ký không khớp" in said and "forget-key" in said, said
    assert "Traceback" not in said
    assert db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM settings) FROM dossiers"
                      ).fetchone() == before


def test_several_packages_each_say_their_signature(window, db, qtbot, tmp_path, monkeypatch,
                                                    counter_package):
    package, _codes = counter_package
    old = tmp_path / "cu.zip"
    other = open_database(tmp_path / "quay3.db")  # another counter, of an older program
    add_catalogue(other)
    D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Quầy Ba", received_at=NOW - dt.timedelta(hours=3))
    export_package(other, old, dt.date(2025, 1, 1), format_version=2)
    other.close()
    preview = _preview(qtbot, window, monkeypatch, [package, old])
    table = preview.packages
    column = len(PACKAGE_COLUMNS) - 1
    assert table.horizontalHeaderItem(column).text() == "Chữ ký"
    assert [table.item(r, column).text() for r in (1, 2)] == ["hợp lệ, máy mới", "không (bản cũ)"]
    assert [table.item(r, column).toolTip() for r in (1, 2)] == [
        "Chữ ký: hợp lệ — máy mới, khoá sẽ được ghi nhận khi nhập",
        "Chữ ký: không có chữ ký (phiên bản cũ)"]
