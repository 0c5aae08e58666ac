"""Lịch làm việc: a year at a glance (weekends, public holidays, the office's overrides) and the
overrides of the year, editable. In December, a warning when next year has none yet."""
from __future__ import annotations

import calendar as pycal
import datetime as dt

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core import recompute as core_recompute, timefmt
from core.calendar import load_calendar, public_holidays
from db.connection import transaction
from gui import bus, db_wait, widgets
from gui.period_bar import date_edit
from gui.settings import recompute

COLOURS = {"weekend": "#e6e6e6", "public": "#f4b4ad", "holiday": "#f7c77e", "workday": "#a5d6a7"}
KIND_VI = {"holiday": "Ngày nghỉ", "workday": "Ngày làm việc (làm bù)"}


class YearView(QWidget):
    """Twelve month grids; `day_clicked(date)` when a day is clicked."""

    day_clicked = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.year = timefmt.now().date().year
        self.kinds: dict[dt.date, str] = {}
        self.setMinimumSize(720, 520)

    def set_year(self, year: int, kinds: dict[dt.date, str]) -> None:
        self.year, self.kinds = year, kinds
        self.update()

    def _cell(self) -> tuple[float, float]:
        return self.width() / 4 / 7.6, self.height() / 3 / 8.2

    def _month_origin(self, month: int) -> tuple[float, float]:
        col, row = (month - 1) % 4, (month - 1) // 4
        return col * self.width() / 4, row * self.height() / 3

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        cw, ch = self._cell()
        small = QFont(self.font())
        small.setPointSizeF(8)
        for month in range(1, 13):
            x0, y0 = self._month_origin(month)
            painter.setFont(self.font())
            painter.setPen(QColor("#222"))
            painter.drawText(QRectF(x0, y0, cw * 7, ch), Qt.AlignmentFlag.AlignCenter, f"Tháng {month}")
            painter.setFont(small)
            for i, name in enumerate(("T2", "T3", "T4", "T5", "T6", "T7", "CN")):
                painter.drawText(QRectF(x0 + i * cw, y0 + ch, cw, ch), Qt.AlignmentFlag.AlignCenter, name)
            for week, days in enumerate(pycal.Calendar().monthdatescalendar(self.year, month)):
                for i, day in enumerate(days):
                    if day.month != month:
                        continue
                    rect = QRectF(x0 + i * cw, y0 + (week + 2) * ch, cw - 1, ch - 1)
                    kind = self.kinds.get(day)
                    if kind:
                        painter.fillRect(rect, QColor(COLOURS[kind]))
                    painter.setPen(QColor("#222"))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(day.day))

    def mousePressEvent(self, event) -> None:
        cw, ch = self._cell()
        x, y = event.position().x(), event.position().y()
        col, row = int(x // (self.width() / 4)), int(y // (self.height() / 3))
        month = row * 4 + col + 1
        if not 1 <= month <= 12:
            return
        x0, y0 = self._month_origin(month)
        week, weekday = int((y - y0) // ch) - 2, int((x - x0) // cw)
        weeks = pycal.Calendar().monthdatescalendar(self.year, month)
        if 0 <= week < len(weeks) and 0 <= weekday < 7 and weeks[week][weekday].month == month:
            self.day_clicked.emit(weeks[week][weekday])


class CalendarTab(QWidget):
    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or timefmt.now().date()
        self.worker = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.year_box = QSpinBox(minimum=2000, maximum=2100, value=self.today.year)
        self.year_box.valueChanged.connect(self.refresh)
        top.addWidget(QLabel("Năm"))
        top.addWidget(self.year_box)
        for kind, label in (("weekend", "Cuối tuần"), ("public", "Nghỉ lễ (luật định)"),
                            ("holiday", "Nghỉ theo lịch cơ quan"), ("workday", "Làm việc bù")):
            swatch = QLabel(f"  {label}  ")
            swatch.setStyleSheet(f"background: {COLOURS[kind]};")
            top.addWidget(swatch)
        top.addStretch(1)
        layout.addLayout(top)
        self.warning = QLabel()
        self.warning.setStyleSheet("background: #fff4e0; color: #8a4b00; padding: 6px;")
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        body = QHBoxLayout()
        self.view = YearView()
        self.view.day_clicked.connect(self._day_clicked)
        body.addWidget(self.view, 3)
        body.addLayout(self._editor(), 2)
        layout.addLayout(body, 1)

    def _editor(self) -> QVBoxLayout:
        box = QVBoxLayout()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Ngày", "Loại", "Tên"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        box.addWidget(QLabel("Ngày nghỉ, ngày làm bù của cơ quan trong năm:"))
        box.addWidget(self.table, 1)
        self.form = widgets.ErrorForm()
        self.date = self.form.add("date", "Ngày", date_edit(self.today))
        self.kind = self.form.add("kind", "Loại", widgets.combo(KIND_VI.items()))
        self.name = self.form.add("name", "Tên / lý do", QLineEdit())
        box.addWidget(self.form)
        row = QHBoxLayout()
        save = QPushButton("Lưu ngày")
        save.clicked.connect(self.save)
        remove = QPushButton("Xoá ngày này")
        remove.clicked.connect(self.remove)
        row.addWidget(save)
        row.addWidget(remove)
        box.addLayout(row)
        return box

    def refresh(self) -> None:
        year = self.year_box.value()
        cal = load_calendar(self.db)
        kinds: dict[dt.date, str] = {}
        day = dt.date(year, 1, 1)
        while day.year == year:
            if day.weekday() >= 5:
                kinds[day] = "weekend"
            if day in public_holidays(year):
                kinds[day] = "public"
            override = cal.overrides.get(day)
            if override is not None:
                kinds[day] = override.kind
            day += dt.timedelta(days=1)
        self.view.set_year(year, kinds)
        rows = self.db.execute("SELECT date, kind, name FROM calendar WHERE date LIKE ? ORDER BY date",
                               [f"{year}-%"]).fetchall()
        self.table.setRowCount(len(rows))
        for r, (date, kind, name) in enumerate(rows):
            for c, text in enumerate((dt.date.fromisoformat(date).strftime("%d/%m/%Y"),
                                      KIND_VI.get(kind, kind), name or "")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._warn()

    def _warn(self) -> None:
        """In December, remind that next year's swapped days must be entered (they are decided
        by a yearly notice, so the package cannot know them)."""
        next_year = self.today.year + 1
        missing = not self.db.execute("SELECT 1 FROM calendar WHERE date LIKE ? LIMIT 1",
                                      [f"{next_year}-%"]).fetchone()
        show = self.today.month == 12 and missing
        self.warning.setText(f"Chưa nhập lịch nghỉ, làm bù của năm {next_year}. Hãy nhập theo "
                             "thông báo nghỉ Tết, nghỉ lễ của năm mới để hạn xử lý được tính đúng."
                             if show else "")
        self.warning.setVisible(show)

    def _day_clicked(self, day: dt.date) -> None:
        from PySide6.QtCore import QDate
        self.date.setDate(QDate(day))
        row = self.db.execute("SELECT kind, name FROM calendar WHERE date = ?", [day.isoformat()]).fetchone()
        if row:
            widgets.select_value(self.kind, row[0])
            self.name.setText(row[1] or "")
        else:
            self.kind.setCurrentIndex(0 if day.weekday() < 5 else 1)
            self.name.clear()
        self.name.setFocus()

    def _write(self, day: dt.date, sql: str, params: list, what: str) -> bool:
        ids = core_recompute.dossiers_touching_dates(self.db, [day])
        if not recompute.confirm(self, what, self.db, ids):
            return False

        def write(db):
            with transaction(db) as conn:
                conn.execute(sql, params)
        if ids:
            self.worker = recompute.apply_change(self, self.db.path, write, ids,
                                                 lambda _n: self.refresh())
        else:
            db_wait.run_write(self, self.db, lambda: write(self.db))  # waits out another writer
            bus.notify_changed()
            self.refresh()
        return True

    def save(self) -> bool:
        day = self.date.date().toPython()
        return self._write(day, "INSERT INTO calendar(date, kind, name) VALUES (?,?,?) ON CONFLICT(date)"
                           " DO UPDATE SET kind = excluded.kind, name = excluded.name",
                           [day.isoformat(), self.kind.currentData(), self.name.text().strip() or None],
                           f"Đặt ngày {day:%d/%m/%Y} là {KIND_VI[self.kind.currentData()].lower()}")

    def remove(self) -> bool:
        day = self.date.date().toPython()
        if not self.db.execute("SELECT 1 FROM calendar WHERE date = ?", [day.isoformat()]).fetchone():
            return False
        return self._write(day, "DELETE FROM calendar WHERE date = ?", [day.isoformat()],
                           f"Xoá ngày {day:%d/%m/%Y} khỏi lịch cơ quan")
