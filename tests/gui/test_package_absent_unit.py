"""Dữ liệu › Nhập gói with real clicks: a package bringing a dossier at a unit this centre's
catalogue says had ceased that day is refused in the preview with the words of the import
(core.exchange.checks.absent_refusal), no preview to confirm, nothing written (round 30)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from core import dossiers as D
from core import installation
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.exchange.merge.merger import _Merger
from db.connection import transaction
from gui import file_dialogs, worker
from gui.main_window import MainWindow
from gui.packages import PreviewDialog
from tests.gui.clicks import menu_pick
from tests.gui.conftest import NOW, add_catalogue


@pytest.fixture
def window(qtbot, db, db_path, office):
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    return win


def test_the_preview_refuses_a_dossier_at_a_ceased_unit_as_the_import_does(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):
    other = _commune(tmp_path)
    code = D.create_dossier(other, unit_code="X02", procedure_code="1.004227",
                            applicant_name="Người Xã Cũ", received_at=NOW - dt.timedelta(hours=2))[1]
    package = _sent_then_ceased(db, other, tmp_path)
    merged: list[str] = []  # round 33: said before any dossier is merged (merge.units_first)
    monkeypatch.setattr(_Merger, "_copy_new", lambda self, *a: merged.append("copied"))
    text = _refused_as_imported(window, db, qtbot, package, monkeypatch, message_boxes)
    assert f"Hồ sơ {code}: đơn vị UBND xã Tràng Các không hoạt động vào ngày 11/06/2025" in text
    assert "«Hoạt động đến hết ngày» từ 11/06/2025 trở đi" in text
    assert merged == []


def test_the_preview_refuses_a_held_dossier_moved_to_a_day_its_unit_had_ceased(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):
    """The package's newer version of a dossier the centre holds, its reception day corrected
    at the commune (its catalogue: Tràng Các still alive) to a day after Tràng Các ceased here:
    refused in the preview with the import's words (core.exchange.held_absent, round 31)."""
    other = _commune(tmp_path)
    installation.set_slot(other, 2, 2)
    dossier_id, code = D.create_dossier(other, unit_code="X02", procedure_code="1.004227",
                                        applicant_name="Người Xã Cũ",
                                        received_at=NOW - dt.timedelta(days=2))
    first = tmp_path / "xa_cu_1.zip"
    export_package(other, first, dt.date(2025, 1, 1))
    assert import_packages(db, [first]).results[0].written  # held here: 09/06/2025
    D.correct_field(other, dossier_id, "received_at", NOW - dt.timedelta(hours=2),
                    reason="Ghi nhầm ngày")
    package = _sent_then_ceased(db, other, tmp_path)
    text = _refused_as_imported(window, db, qtbot, package, monkeypatch, message_boxes)
    assert "1 hồ sơ máy này đang giữ bị gói đổi ngày tiếp nhận" in text
    assert f"Hồ sơ {code} theo gói: đơn vị UBND xã Tràng Các không hoạt động vào ngày " \
        "11/06/2025" in text
    assert "«Hoạt động đến hết ngày» từ 11/06/2025 trở đi" in text


def test_the_preview_tells_the_sender_to_fix_a_unit_new_here(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):
    """The package brings its own unit (X09, new to this centre) whose dates leave out its
    dossier: nothing in this centre's Danh mục to fix, so the window says, as the import does,
    to have the sender fix the unit and export again (round 31)."""
    other = _commune(tmp_path)
    with transaction(other) as conn:
        conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES "
                     "('X09', 'UBND xã Tân Lập', 'commune', 'H01')")
    code = D.create_dossier(other, unit_code="X09", procedure_code="1.004227",
                            applicant_name="Người Xã Mới",
                            received_at=NOW - dt.timedelta(hours=2))[1]
    with transaction(other) as conn:  # (as an old database holds it: the desk refuses it now)
        conn.execute("UPDATE units SET valid_to = '2025-06-10' WHERE code = 'X09'")
    package = tmp_path / "xa_moi.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    text = _refused_as_imported(window, db, qtbot, package, monkeypatch, message_boxes)
    assert f"Hồ sơ {code}: đơn vị UBND xã Tân Lập không hoạt động" in text
    assert ("Đơn vị X09 mới vào danh mục của máy này cùng lần nhập này, với ngày hoạt động "
            "của máy gửi: danh mục của máy này chưa có gì để sửa. Đừng nhập gói này") in text
    assert "trong Danh mục như trên" not in text


def _refused_as_imported(window, db, qtbot, package, monkeypatch, message_boxes) -> str:
    """The window's words on `package`: those of the import, no preview to confirm, nothing
    written."""
    before = [line for line in db.conn.iterdump() if line.startswith("INSERT")]
    with pytest.raises(InputError) as imported:
        import_packages(db, [package])
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    kind, _title, text = message_boxes[-1]
    assert kind == "warning" and text == str(imported.value)
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, PreviewDialog) and w.isVisible()]
    assert [line for line in db.conn.iterdump() if line.startswith("INSERT")] == before
    return text


def _commune(tmp_path):
    """A commune's installation, its catalogue: Tràng Các still alive."""
    other = open_database(tmp_path / "xa_cu.db")
    add_catalogue(other)
    return other


def _sent_then_ceased(db, other, tmp_path):
    """The commune's package (`other` closed), then Tràng Các ceased here on 10/06/2025."""
    package = tmp_path / "xa_cu.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    with transaction(db) as conn:
        conn.execute("UPDATE units SET valid_to = '2025-06-10' WHERE code = 'X02'")
    return package


def test_the_preview_marks_the_conflicts_version_that_would_be_refused(
        window, db, qtbot, tmp_path, monkeypatch):
    """The centre and the commune both changed a held dossier, the commune moving its reception
    to a day after Tràng Các ceased here: the conflict's row says, before the clerk ticks
    "Lấy theo gói", that taking it would refuse the package (core.exchange.held_absent.
    version_refused, unit_absent_reason's words); the row of a version that stays in the
    unit's dates says nothing of the kind."""
    other = _commune(tmp_path)
    installation.set_slot(other, 2, 2)
    moved, code = D.create_dossier(other, unit_code="X02", procedure_code="1.004227",
                                   applicant_name="Người Xã Cũ",
                                   received_at=NOW - dt.timedelta(days=2))
    kept, code_kept = D.create_dossier(other, unit_code="X02", procedure_code="1.004227",
                                       applicant_name="Người Xã Khác",
                                       received_at=NOW - dt.timedelta(days=2))
    first = tmp_path / "xa_cu_1.zip"
    export_package(other, first, dt.date(2025, 1, 1))
    assert import_packages(db, [first]).results[0].written  # held here: 09/06/2025
    for held in (code, code_kept):
        D.correct_field(db, D.find_by_code(db, held), "applicant_phone", "0912345678",
                        reason="Thêm số")
    D.correct_field(other, moved, "received_at", NOW - dt.timedelta(hours=2),
                    reason="Ghi nhầm ngày")
    D.correct_field(other, kept, "applicant_phone", "0987654321", reason="Số khác")
    package = _sent_then_ceased(db, other, tmp_path)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(_previews()), timeout=20000)
    worker.wait_all()
    table = _previews()[0].conflicts
    rows = {table.item(row, 1).text(): table.item(row, 2).text()
            for row in range(table.rowCount())}
    assert set(rows) == {code, code_kept}
    assert rows[code].endswith(
        "\n⚠ LẤY THEO GÓI BỊ TỪ CHỐI: bản này đưa hồ sơ ra ngoài thời gian hoạt động của đơn vị "
        "(đơn vị UBND xã Tràng Các không hoạt động vào ngày 11/06/2025 (đã giải thể, sáp nhập "
        "hoặc chưa thành lập)): chọn bản này thì gói bị từ chối.")
    assert "TỪ CHỐI" not in rows[code_kept]


def _previews() -> list[PreviewDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, PreviewDialog) and w.isVisible()]
