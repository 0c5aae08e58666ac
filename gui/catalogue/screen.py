"""Danh mục: units, procedures and the working calendar, one tab each."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from gui import ops
from gui.catalogue.calendar_view import CalendarTab
from gui.catalogue.procedures import ProceduresTab
from gui.catalogue.units import UnitsTab


class CatalogueScreen(QWidget):
    SHOWS = ops.CATALOGUE  # units, procedures, calendar

    def __init__(self, db, parent=None, today=None):
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.units = UnitsTab(db)
        self.procedures = ProceduresTab(db, today=today)
        self.calendar = CalendarTab(db, today=today)
        self.tabs.addTab(self.units, "Đơn vị")
        self.tabs.addTab(self.procedures, "Thủ tục hành chính")
        self.tabs.addTab(self.calendar, "Lịch làm việc")
        QVBoxLayout(self).addWidget(self.tabs)

    def refresh(self) -> None:
        for tab in (self.units, self.procedures, self.calendar):
            tab.refresh()
