"""The monthly report from the Báo cáo screen: built once in a worker (figures, then pages) with
progress and a working Cancel, previewed with the draft mark painted (issue 18)."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from core.pdf import document as pdf_document
from core.pdf import monthly_data
from gui import worker
from tests.pdfread import page_texts


@pytest.fixture
def layouts(monkeypatch):
    """How many times a document was laid out (core.pdf.document.render), draft or not."""
    made = []
    real = pdf_document.render

    def counting(*args, **kwargs):
        made.append(kwargs.get("draft"))
        return real(*args, **kwargs)
    monkeypatch.setattr(pdf_document, "render", counting)
    from core.pdf import monthly
    monkeypatch.setattr(monthly, "render", counting)
    return made


def test_the_report_is_laid_out_once_and_previewed_with_the_mark_painted(
        qtbot, reports, previews, layouts, monkeypatch):
    seen = []
    real = worker.Worker._progress
    monkeypatch.setattr(worker.Worker, "_progress",
                        lambda self, done, total: seen.append((done, total)) or real(self, done,
                                                                                     total))
    qtbot.mouseClick(reports.buttons["monthly"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(previews), timeout=15000)
    assert layouts == [False]  # once, the final version
    assert seen == [(0, 2), (1, 2), (2, 2)]
    dialog = previews[0]
    assert dialog.kind == "BookPreviewDialog"
    assert dialog.built_once and dialog.draft_mark
    text = " ".join(" ".join(page_texts(dialog.final)).split())
    assert "UBND xã Đồng Giáp" in text and "BẢN NHÁP" not in text
    assert dialog.windowTitle() == "Xem trước — Báo cáo tháng 6 năm 2025"
    assert dialog.suggested_name == "bao-cao-2025-06.pdf"


def test_cancel_while_the_figures_are_read_shows_nothing_and_works_again(
        qtbot, reports, previews, layouts, monkeypatch):
    real = monthly_data.gather

    def slow(*args, **kwargs):
        time.sleep(1.5)  # time for the clerk to press Cancel
        return real(*args, **kwargs)
    monkeypatch.setattr(monthly_data, "gather", slow)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    qtbot.mouseClick(reports.buttons["monthly"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in reports.findChildren(QProgressDialog)),
                    timeout=5000)
    dialog = next(d for d in reports.findChildren(QProgressDialog) if d.isVisible())
    assert "Báo cáo tháng 6 năm 2025" in dialog.labelText()
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Huỷ")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()  # the clerk is not kept waiting for the figures
    qtbot.waitUntil(lambda: not worker._running, timeout=10000)
    qtbot.wait(100)
    timer.stop()
    assert previews == [] and layouts == []  # the pages were never laid out
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.35  # window answered
    monkeypatch.setattr(monthly_data, "gather", real)
    qtbot.mouseClick(reports.buttons["monthly"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(previews), timeout=15000)
    assert layouts == [False]
