"""Lịch làm việc: a year at a glance (weekends, public holidays, the office's overrides) and the
overrides of the year, editable. From October, a warning when next year has no schedule yet;
the official schedule shipped with the program can be applied in one click, and a package holiday
with no confirmed basis is shown as *chưa xác nhận* with a one-click confirm or drop."""
from __future__ import annotations

import calendar as pycal
import datetime as dt

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import catalogue, empty_lists, official_calendar, textnorm, timefmt
from core import recompute as core_recompute
from core.calendar import load_calendar, public_holidays
from core.errors import FieldError
from core.labels import CALENDAR_KIND_VI
from gui import ops, permissions, shown, table_model, widgets
from gui.settings import rule_change

COLOURS = {"weekend": "#e6e6e6", "public": "#f4b4ad", "holiday": "#f7c77e", "workday": "#a5d6a7",
           "unconfirmed": "#c9b6e4"}
KIND_VI = CALENDAR_KIND_VI  # core's one table (core.labels)


DATE, KIND, NAME = range(3)


class CalendarDaysModel(table_model.RowsModel):
    """The office's own days of a year: (date 'YYYY-MM-DD', kind, name) rows."""

    HEADERS = ("Ngày", "Loại", "Tên")

    def display(self, record: tuple, column: int) -> str:
        date, kind, name = record
        return (dt.date.fromisoformat(date).strftime("%d/%m/%Y"), KIND_VI.get(kind, kind),
                name or "")[column]

    def sort_value(self, record: tuple, column: int):
        date, kind, name = record
        return (date, KIND_VI.get(kind, kind), textnorm.fold(name or ""))[column]

    def record_id(self, record: tuple) -> str:
        return record[0]


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
                            ("holiday", "Nghỉ theo lịch cơ quan"), ("workday", "Làm việc bù"),
                            ("unconfirmed", "Chưa xác nhận")):
            swatch = QLabel(f"  {label}  ")
            swatch.setStyleSheet(f"background: {COLOURS[kind]};")
            top.addWidget(swatch)
        top.addStretch(1)
        self.official_button = QPushButton("Cập nhật lịch chính thức…")
        self.official_button.setToolTip("Áp dụng lịch nghỉ lễ, Tết và ngày làm bù do Chính phủ "
                                        "công bố mà chương trình có sẵn (xem trước các thay đổi)")
        self.official_button.clicked.connect(self.update_official)
        top.addWidget(permissions.guard(self.official_button, "calendar.edit"))
        layout.addLayout(top)
        self.warning = QLabel()
        self.warning.setStyleSheet("background: #fff4e0; color: #8a4b00; padding: 6px;")
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        self.unconfirmed = UnconfirmedBar(self)
        layout.addWidget(self.unconfirmed)
        body = QHBoxLayout()
        self.view = YearView()
        self.view.day_clicked.connect(self._day_clicked)
        body.addWidget(self.view, 3)
        body.addLayout(self._editor(), 2)
        layout.addLayout(body, 1)

    def _editor(self) -> QVBoxLayout:
        box = QVBoxLayout()
        self.days = CalendarDaysModel(self)
        self.table = table_model.sorted_view(self.days)
        self.table.setColumnWidth(DATE, 90)
        self.table.setColumnWidth(KIND, 160)
        self.table.empty_text = lambda: empty_lists.calendar(self.year_box.value(),
                                                             permissions.allowed("calendar.edit"))
        self.table.clicked.connect(lambda index: self._day_clicked(
            dt.date.fromisoformat(index.data(Qt.ItemDataRole.UserRole))))
        box.addWidget(QLabel("Ngày nghỉ, ngày làm bù của cơ quan trong năm:"))
        box.addWidget(self.table, 1)
        self.form = widgets.ErrorForm()
        self.date = self.form.add("date", "Ngày", widgets.date_field(self.today))
        self.kind = self.form.add("kind", "Loại", widgets.combo(KIND_VI.items()))
        self.name = self.form.add("name", "Tên / lý do", QLineEdit())
        self.view_only = permissions.view_only_note("calendar.edit")
        box.addWidget(self.view_only)
        box.addWidget(permissions.read_only(self.form, "calendar.edit"))
        row = QHBoxLayout()
        save = QPushButton("Lưu ngày")
        save.clicked.connect(self.save)
        remove = QPushButton("Xoá ngày này")
        remove.clicked.connect(self.remove)
        row.addWidget(permissions.guard(save, "calendar.edit"))
        row.addWidget(permissions.guard(remove, "calendar.edit"))
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
        pending = official_calendar.pending_unconfirmed(self.db, year)
        kinds.update((u.date, "unconfirmed") for u in pending)
        self.unconfirmed.show_days(pending)
        self.view.set_year(year, kinds)
        self.days.set_rows(self.db.execute(
            "SELECT date, kind, name FROM calendar WHERE date LIKE ? ORDER BY date",
            [f"{year}-%"]).fetchall())
        self._warn()

    def _warn(self) -> None:
        """From October, remind that next year's swapped days must be entered (they are decided
        by a yearly notice, so the package cannot know them; core.official_calendar)."""
        next_year = official_calendar.missing_next_year(self.db, self.today)
        lines = [f"Chưa có lịch nghỉ, làm bù của năm {next_year}. Lịch thường được công bố vào "
                 "tháng 10–11: hãy nhập theo thông báo nghỉ Tết, nghỉ lễ của năm mới để hạn xử lý "
                 "được tính đúng."] if next_year else []
        pending = len(official_calendar.pending_changes(self.db))
        if pending:  # e.g. a database of an older version, with the wrong make-up day of 2025
            lines.append(f"Lịch của cơ quan còn {pending} ngày khác lịch nghỉ chính thức: bấm "
                         "«Cập nhật lịch chính thức…» để xem và áp dụng.")
        self.warning.setText(" ".join(lines))
        self.warning.setVisible(bool(lines))

    def update_official(self) -> bool:
        """Apply the shipped official schedule after listing what it changes."""
        changes = official_calendar.pending_changes(self.db)
        if not changes:
            widgets.inform(self, "Lịch chính thức", "Lịch của cơ quan đã theo đúng lịch "
                           "nghỉ chính thức của các năm " + ", ".join(
                               map(str, official_calendar.known_years())) + ".")
            return False
        lines = "\n".join(f"• {c.line()}" for c in changes[:40])
        more = f"\n… và {len(changes) - 40} thay đổi khác" if len(changes) > 40 else ""
        if not widgets.confirm(self, "Cập nhật lịch chính thức",
                               f"Sẽ thay đổi {len(changes)} ngày trong lịch của cơ quan:"
                               f"\n{lines}{more}\n\nÁp dụng?", yes="Áp dụng"):
            return False
        return self.write_changes(changes, "Cập nhật lịch chính thức", ask=False)

    def decide(self, day: official_calendar.Unconfirmed, keep: bool) -> bool:
        """Confirm (a holiday row) or drop (a workday row) a day with no confirmed basis."""
        change = official_calendar.decision(day, keep)
        return self.write_changes([change], f"{change.reason[:1].upper()}{change.reason[1:]} "
                                  f"{day.date:%d/%m/%Y}")

    def write_changes(self, changes: list, what: str, ask: bool = True) -> bool:
        """Write calendar changes and recompute the dossiers they touch (one transaction)."""
        ids = core_recompute.dossiers_touching_dates(self.db, [c.date for c in changes])
        if ask and not rule_change.confirm(self, what, self.db, ids):
            return False

        change = catalogue.calendar_changes(changes)
        if ids:
            self.worker = rule_change.apply_change(self, self.db.path, change, ids,
                                                 lambda _n: self.refresh())
            return True
        return ops.Op(self, change, ops.CATALOGUE, doing="lưu lịch làm việc").success(
            lambda _r: self.refresh()).run(self.db)

    def _day_clicked(self, day: dt.date) -> None:
        self.date.set_value(day)
        row = self.db.execute("SELECT kind, name FROM calendar WHERE date = ?", [day.isoformat()]).fetchone()
        if row:
            widgets.select_value(self.kind, row[0])
            self.name.setText(row[1] or "")
        else:
            self.kind.setCurrentIndex(0 if day.weekday() < 5 else 1)
            self.name.clear()
        self.name.setFocus()

    def _write(self, day: dt.date, kind: str | None, name: str | None, what: str) -> bool:
        ids = core_recompute.dossiers_touching_dates(self.db, [day])
        if not rule_change.confirm(self, what, self.db, ids):
            return False
        change = catalogue.calendar_day_change(day, kind, name)
        if ids:
            self.worker = rule_change.apply_change(self, self.db.path, change, ids,
                                                 lambda _n: self.refresh())
            return True
        return ops.Op(self, change, ops.CATALOGUE, doing="lưu lịch làm việc").success(
            lambda _r: self.refresh()).run(self.db)

    def _day(self) -> dt.date | None:
        """The day typed, or None after saying under it what is wrong (nothing written)."""
        self.form.clear_errors()
        try:
            return self.date.value()
        except FieldError as exc:
            self.form.show_error(exc.field, exc.message)
            return None

    def save(self) -> bool:
        day = self._day()
        if day is None:
            return False
        return self._write(day, self.kind.currentData(), self.name.text().strip() or None,
                           f"Đặt ngày {day:%d/%m/%Y} là {KIND_VI[self.kind.currentData()].lower()}")

    def remove(self) -> bool:
        day = self._day()
        if day is None:
            return False
        if not self.db.execute("SELECT 1 FROM calendar WHERE date = ?", [day.isoformat()]).fetchone():
            return False
        return self._write(day, None, None, f"Xoá ngày {day:%d/%m/%Y} khỏi lịch cơ quan")


class UnconfirmedBar(QWidget):
    """The package holidays of the shown year with no confirmed legal basis, each with its
    one-click "confirm" (a holiday row) and "drop" (a workday row)."""

    def __init__(self, tab: CalendarTab):
        super().__init__(tab)
        self.tab = tab
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[tuple[dt.date, bool], QPushButton] = {}

    def show_days(self, days: list) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.buttons.clear()
        for day in days:
            self.rows.addWidget(self._row(day))
        self.setVisible(bool(days))

    def _row(self, day) -> QWidget:
        row = QWidget()
        row.setStyleSheet(f"background: {COLOURS['unconfirmed']};")
        line = QHBoxLayout(row)
        line.setContentsMargins(6, 2, 6, 2)
        text = QLabel(f"<b>{day.date:%d/%m/%Y} — {shown.escaped(day.name)}: chưa xác nhận.</b> "
                      f"{shown.escaped(day.note)} "
                      "Hiện đang tính là ngày nghỉ.")
        text.setWordWrap(True)
        line.addWidget(text, 1)
        for keep, label in ((True, "Xác nhận là ngày nghỉ"), (False, "Không nghỉ")):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, d=day, k=keep: self.tab.decide(d, k))
            self.buttons[(day.date, keep)] = permissions.guard(button, "calendar.edit")
            line.addWidget(button)
        return row
