"""The column-mapping step with a vendor's wide export: one shared list of the file's columns
behind every picker (not twenty copies of thousands of names), the preview in the window's words
with whole column titles, and the summary's figures written the Vietnamese way."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt

from core.reconcile import Reconciliation
from gui import file_dialogs, worker
from gui.reconciliation import screen
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401  (fixtures)

EXTRA = 3000  # columns of a vendor's export nobody maps


def _wide_file(tmp_path):
    header = PROVINCE_HEADER + [f"Thông tin bổ sung số {n}" for n in range(EXTRA)]
    rows = [r + [""] * EXTRA for r in province_rows()]
    return write_csv(tmp_path / "tinh_rong.csv", header, rows)


def test_pickers_share_one_list_of_the_files_columns(qtbot, dialog, tmp_path,  # noqa: F811
                                                     monkeypatch):
    source = _wide_file(tmp_path)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    panel = dialog.mapping
    models = {id(p.model()) for p in panel.pickers.values()}
    assert models == {id(panel.choices)}
    assert panel.choices.rowCount() == len(PROVINCE_HEADER) + EXTRA + 1  # "(không có)" first
    assert panel.pickers["code"].currentData() == "mahoso"  # the national profile's choice
    assert panel.pickers["code"].currentText() == "MaHoSo"  # shown as the file spells it
    fee = panel.pickers["fee"]
    fee.setFocus()
    qtbot.keyClick(fee, Qt.Key.Key_End)  # the clerk picks the last column for one field only
    assert fee.currentText() == f"Thông tin bổ sung số {EXTRA - 1}"
    assert fee.currentData() == f"thông tin bổ sung số {EXTRA - 1}"  # matched lower-cased
    assert panel.pickers["code"].currentData() == "mahoso"
    assert panel.pickers["procedure_code"].currentData() == "matthc"


def whole_titles(preview) -> None:
    metrics = preview.horizontalHeader().fontMetrics()
    for column in range(preview.columnCount() - 1):  # the last one stretches
        title = preview.horizontalHeaderItem(column).text()
        assert preview.columnWidth(column) >= metrics.horizontalAdvance(title), title


def test_preview_in_the_windows_words_and_whole_titles(qtbot, dialog, tmp_path,  # noqa: F811
                                                       monkeypatch):
    whole_titles(dialog.mapping.preview)  # before any file: the titles alone
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    preview = dialog.mapping.preview
    assert preview.item(0, 4).text() == "08:00 02/01/2025"  # Ngày tiếp nhận, not 2025-01-02
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", preview.item(1, 6).text())
    # a moment the file writes 06/01/2025 08:00 is shown as MotCua reads it, like the others
    assert [preview.item(r, 4).text() for r in range(3)] == [
        "08:00 02/01/2025", "08:00 06/01/2025", "09:15 06/01/2025"]
    whole_titles(preview)


def test_summary_counts_written_the_vietnamese_way(qtbot, dialog, tmp_path,  # noqa: F811
                                                   monkeypatch):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    real = screen.reconcile

    def reconciled(*args, **kwargs) -> Reconciliation:
        result = real(*args, **kwargs)
        result.outside = 2807  # a month of the province's whole export lies outside the unit
        return result
    monkeypatch.setattr(screen, "reconcile", reconciled)
    click(qtbot, dialog.run_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    assert "ngoài đơn vị: 2.807." in dialog.summary.text()
    assert "theo mã" in dialog.summary.text()


def test_import_of_a_thousand_dossiers_counts_them_the_vietnamese_way(
        qtbot, dialog, tmp_path, monkeypatch, message_boxes):  # noqa: F811
    from PySide6.QtWidgets import QMessageBox
    first = province_rows()[0]
    code, received = PROVINCE_HEADER.index("MaHoSo"), PROVINCE_HEADER.index("NgayTiepNhan")
    # another citizen than the office's XTD-250102-0001 of that morning (not a likely duplicate)
    first[PROVINCE_HEADER.index("ChuHoSo")] = "Lò Văn Pản"
    rows = []
    for n in range(1050):
        row = list(first)
        row[code] = f"XTD-250102-{n + 100:04d}"
        row[received] = f"20250102{7 + n // 600:02d}{n // 10 % 60:02d}{n % 10:02d}"
        rows.append(row)
    source = write_csv(tmp_path / "tinh_nghin.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, dialog.import_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] in ("Đã nhập", "Không thể nhập hồ sơ từ tệp"), timeout=60000)
    assert message_boxes[-1][1] == "Đã nhập", message_boxes[-1][2]
    assert message_boxes[-1][2].startswith("Thêm 1.050, cập nhật 0, không đổi 0 hồ sơ.")


def test_the_file_is_read_once_and_away_from_the_window(qtbot, dialog, tmp_path,  # noqa: F811
                                                        monkeypatch):
    """A province's month as a 4 MB workbook took 4 s to open and 1.6 s at every change of a
    picker, each time on the window's thread: now one read, in a worker."""
    import threading

    from gui.reconciliation import mapping
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    threads = []
    real = mapping.open_table

    def opened(path):
        threads.append(threading.current_thread())
        return real(path)
    monkeypatch.setattr(mapping, "open_table", opened)
    choose(qtbot, dialog)
    assert threads and threading.main_thread() not in threads
    source.write_text("MaHoSo\n", encoding="utf-8")  # the file changes under the window
    status = dialog.mapping.pickers["status"]
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Home)  # "(không có)": the preview maps again
    qtbot.keyClick(status, Qt.Key.Key_End)  # DuocThanhToanTrucTuyen, the payment's column too
    assert "mỗi cột chỉ cho một trường" in dialog.mapping.note.text()
    qtbot.keyClick(status, Qt.Key.Key_Up)  # TrangThaiHoSo again
    assert dialog.mapping.preview.item(0, 0) is not None
    assert dialog.mapping.preview.rowCount() > 0
    assert dialog.mapping.preview.item(0, 0).text() == "XTD-250102-0001"
    assert len(threads) == 1
