"""walk33: a vendor's file whose columns were chosen in the window and not saved as a profile
was named as a profile called "(chưa lưu)" — "thiếu cột: Trạng thái hồ sơ (theo mẫu cột
'(chưa lưu)')" under the pickers while the Mẫu cột box showed "Cổng DVC quốc gia (national)",
and "(mẫu cột '(chưa lưu)')" at the head of the printed report. Both now say what was used:
the columns chosen in the window, not saved as a profile."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.transfer.profiles import FIELDS, NATIONAL_COLUMNS
from gui import file_dialogs, worker
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office, run  # noqa: F401
from tests.pdfread import pdf_text

SAID = "các cột đang chọn trong cửa sổ, chưa lưu thành mẫu cột"


def vendor_file(tmp_path):
    """The fields' own names ("Mã hồ sơ"…, chosen already), but the status as "Tình trạng"."""
    fields = [f for f, column in NATIONAL_COLUMNS.items() if column in PROVINCE_HEADER]
    keep = [PROVINCE_HEADER.index(NATIONAL_COLUMNS[f]) for f in fields]
    header = ["Tình trạng" if f == "status" else FIELDS[f] for f in fields]
    return write_csv(tmp_path / "vendor.csv", header,
                     [[row[i] for i in keep] for row in province_rows()])


def pick(qtbot, box, text: str) -> None:
    """The clerk picks `text` with the keyboard in the column picker."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.findText(text)):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == text


def test_columns_chosen_and_not_saved_are_named_so(qtbot, dialog, tmp_path,  # noqa: F811
                                                   monkeypatch, message_boxes):
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(vendor_file(tmp_path)))
    choose(qtbot, dialog)
    note = dialog.mapping.note.text()
    assert f"thiếu cột: Trạng thái hồ sơ (theo {SAID})" in note, note
    assert "(chưa lưu)'" not in note
    pick(qtbot, dialog.mapping.pickers["status"], "Tình trạng")
    assert dialog.mapping.note.text() == ""
    run(qtbot, dialog)
    pdf = tmp_path / "ra.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(pdf))
    click(qtbot, dialog.pdf_button)
    worker.wait_all()
    qtbot.waitUntil(pdf.exists, timeout=10000)
    text = " ".join(pdf_text(pdf).split())
    assert f"Tệp xuất của hệ thống tỉnh: vendor.csv ({SAID});" in text, text[:400]
