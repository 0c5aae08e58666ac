"""The reconciliation's import of a file with bad rows (nothing written): its box was titled
«Không nhập được», beside "Không thể nhập hồ sơ" of «Nhập dữ liệu…»; now the rule of every failed
job (gui.errors.failure_title) names it from the job's own line (round 31)."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from gui import file_dialogs, worker
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401  (fixtures)


def test_the_reconciliation_imports_bad_rows_under_the_jobs_title(
        qtbot, dialog, office, tmp_path, monkeypatch, message_boxes):  # noqa: F811
    rows = province_rows()
    rows[2][PROVINCE_HEADER.index("KenhThucHien")] = "8"  # no such channel: nothing written
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, dialog.import_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][0] == "warning", timeout=10000)
    kind, title, text = message_boxes[-1]
    assert title == "Không thể nhập hồ sơ từ tệp"  # was «Không nhập được»
    assert "KenhThucHien" in text or "Kênh" in text
    assert office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6
