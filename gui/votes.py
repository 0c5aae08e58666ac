"""Đánh giá: record citizens' paper votes and list all votes of a period."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from core import timefmt
from core.dossiers import FieldError, add_vote, find_by_code
from core.errors import MotCuaError
from db.connection import DatabaseEnvironmentError
from gui import bus, db_wait, errors, widgets
from gui.dossiers import livedue
from gui.dossiers.actions import RATING_VI, RatingPicker
from gui.lazymodel import Column, Row, SqlListModel
from gui.period_bar import PeriodBar

SOURCE_VI = {"paper": "Phiếu giấy", "kiosk": "Máy đánh giá", "online": "Trực tuyến"}
UNHAPPY = QColor("#f8d0cc")


class VotesModel(SqlListModel):
    COLUMNS = (Column("Thời điểm", "v.voted_at", indexed=True), Column("Đơn vị", "v.unit_code"),
               Column("Mức độ", "v.rating"), Column("Mã hồ sơ", "d.code"),
               Column("Góp ý", "v.comment"), Column("Nguồn", "v.source"))
    ID_SQL = "v.id"
    DEFAULT_SORT = (0, Qt.SortOrder.DescendingOrder)
    ROW_SQL = ("SELECT v.id, v.voted_at, u.name, v.rating, d.code, v.comment, v.source "
               "FROM votes v JOIN units u ON u.code = v.unit_code LEFT JOIN dossiers d "
               "ON d.id = v.dossier_id WHERE v.id IN ({marks})")
    FORMAT = (lambda t: timefmt.vn_datetime(timefmt.parse_db_time(t)), None,
              lambda r: RATING_VI.get(r, r), None, None, lambda s: SOURCE_VI.get(s, s))

    def base_from(self) -> str:
        return "FROM votes v LEFT JOIN dossiers d ON d.id = v.dossier_id"

    def decorate(self, row: Row, values) -> Row:
        if values[2] == "dissatisfied":
            row.background = UNHAPPY
        return row


class VotesScreen(QWidget):
    def __init__(self, db, parent=None, today: dt.date | None = None, now=None):
        super().__init__(parent)
        self.db = db
        self._now = now or (lambda: timefmt.now())
        layout = QHBoxLayout(self)
        layout.addWidget(self._entry(), 0)
        right = QVBoxLayout()
        self.period = PeriodBar(db, today=today)
        self.period.changed.connect(self.refresh)
        right.addWidget(self.period)
        self.model = VotesModel(db, self)
        self.view = widgets.table_view()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(*self.model.DEFAULT_SORT)
        for column, width in enumerate((130, 170, 110, 170, 220, 100)):
            self.view.setColumnWidth(column, width)
        right.addWidget(self.view, 1)
        self.summary = QLabel()
        right.addWidget(self.summary)
        layout.addLayout(right, 1)

    def _entry(self) -> QGroupBox:
        box = QGroupBox("Nhập phiếu đánh giá giấy")
        box.setFixedWidth(330)
        layout = QVBoxLayout(box)
        self.form = widgets.ErrorForm()
        self.unit_box = self.form.add("unit_code", "Đơn vị", widgets.combo(widgets.units(self.db)))
        self.rating = self.form.add("rating", "Mức độ (*)", RatingPicker())
        self.code_edit = self.form.add("dossier", "Mã hồ sơ (nếu có)", QLineEdit())
        self.comment = self.form.add("comment", "Góp ý", QPlainTextEdit())
        self.comment.setFixedHeight(70)
        layout.addWidget(self.form)
        save = QPushButton("Lưu phiếu")
        save.clicked.connect(self.save)
        layout.addWidget(save)
        layout.addStretch(1)
        return box

    def save(self) -> bool:
        self.form.clear_errors()
        dossier_id = None
        code = self.code_edit.text().strip()
        try:
            if code:
                try:
                    dossier_id = find_by_code(self.db, code)
                except MotCuaError as exc:
                    raise FieldError("dossier", exc.message) from exc
            values = dict(unit_code=self.unit_box.currentData(), rating=self.rating.value() or "",
                          voted_at=self._now(), dossier_id=dossier_id,
                          comment=self.comment.toPlainText(), source="paper")
            db_wait.run_write(self, self.db, lambda: add_vote(self.db, **values))
        except DatabaseEnvironmentError as exc:  # busy for too long: the form stays filled
            errors.show_error(self, exc)
            return False
        except FieldError as exc:
            if not self.form.show_error(exc.field, exc.message):
                errors.show_error(self, exc)
            return False
        except MotCuaError as exc:
            self.form.show_error("dossier", exc.message)
            return False
        self.code_edit.clear()
        self.comment.clear()
        self.rating.group.setExclusive(False)
        for button in self.rating.group.buttons():
            button.setChecked(False)
        self.rating.group.setExclusive(True)
        bus.notify_changed()
        return True

    def refresh(self) -> None:
        self.period.reload_units()
        first, last = self.period.period()
        unit = self.period.unit()
        units = livedue.unit_subtree(self.db, unit) if unit else []
        clauses = ["v.voted_at >= ?", "v.voted_at < ?"]
        params = [first.isoformat(), (last + dt.timedelta(days=1)).isoformat()]
        if units:
            clauses.append(f"v.unit_code IN ({livedue.ids_in(units)})")
            params += units
        self.model.set_where(clauses, params)
        self.model.reload()
        from_where, params = self.model.from_where()
        total, satisfied = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(v.rating IN ('very_satisfied', 'satisfied')), 0) "
            + from_where, params).fetchone()
        rate = satisfied / total if total else None
        self.summary.setText(f"{timefmt.vn_number(total)} phiếu · hài lòng "
                             f"{timefmt.vn_number(satisfied)} · tỷ lệ {timefmt.vn_percent(rate)}")
