"""Dữ liệu → Nhập gói trao đổi… given what is no whole package (issue 16 §3): a package whose
manifest does not inflate, or the province's Excel export picked by mistake. The clerk reads
what the file is, in words, and nothing is written."""
from __future__ import annotations

import struct
import zipfile

from core.exchange.package import MANIFEST
from gui import file_dialogs, worker
from gui.packages import PreviewDialog
from tests.core.exchange.test_inflate import _offsets
from tests.gui.clicks import menu_pick
from tests.gui.test_packages import counter_package, shown, window  # noqa: F401 (fixtures)


def _picked(qtbot, window, monkeypatch, message_boxes, path) -> str:  # noqa: F811 (an argument)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(path)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert not shown(PreviewDialog)
    return message_boxes[-1][2]


def test_a_package_whose_manifest_does_not_inflate_is_said_damaged(
        window, qtbot, db, tmp_path, monkeypatch, message_boxes, counter_package):  # noqa: F811
    package, _codes = counter_package
    data, info, _start, central = _offsets(package, MANIFEST)
    data[central + 16:central + 20] = struct.pack("<L", info.CRC ^ 1)
    bad = tmp_path / "hong.zip"
    bad.write_bytes(data)
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    text = _picked(qtbot, window, monkeypatch, message_boxes, bad)
    assert text.startswith(f"Gói hong.zip bị hỏng: tệp {MANIFEST} trong gói không giải nén "
                           "được"), message_boxes
    assert "Chưa ghi gì" in text and "CRC-32 for file" not in text
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before


def test_the_provinces_workbook_is_named_a_workbook(window, qtbot, db, tmp_path,  # noqa: F811
                                                    monkeypatch, message_boxes):
    import openpyxl
    path = tmp_path / "xuat_tinh.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Mã hồ sơ", "Tên thủ tục"])
    book.save(path)
    assert "[Content_Types].xml" in zipfile.ZipFile(path).namelist()
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    text = _picked(qtbot, window, monkeypatch, message_boxes, path)
    assert text.startswith("Tệp xuat_tinh.xlsx là bảng tính Excel, không phải gói trao đổi "
                           "của MotCua."), message_boxes
    assert "«Nhập dữ liệu…» ở màn hình Báo cáo" in text and "phần lạ" not in text
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before
