"""The monthly report's note on what «Thời gian quá hạn» counts says the working day's length
from core.due.DAY_HOURS, the one constant core.live_due.span_text counts by (review36)."""
from __future__ import annotations

import importlib

from core import due, live_due
from core.pdf import monthly_sections


def test_the_note_says_the_day_the_register_counts(monkeypatch):
    try:
        monkeypatch.setattr(due, "DAY_HOURS", 7)
        monkeypatch.setattr(live_due, "DAY_HOURS", 7)
        note = importlib.reload(monthly_sections).LATE_BASIS
        assert "một ngày làm việc là 7 giờ" in note
        assert live_due.span_text(7 * 3600) == "1 ngày"
    finally:
        monkeypatch.undo()
        importlib.reload(monthly_sections)
    assert "một ngày làm việc là 8 giờ" in monthly_sections.LATE_BASIS
