"""Danh mục thủ tục: list and edit procedures; a new time limit says how many dossiers it moves."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDoubleSpinBox, QHBoxLayout,
                               QHeaderView, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from core.calendar import parse_hhmm
from core.textnorm import fold
from core.timefmt import vn_money
from core import recompute as core_recompute
from db.connection import transaction
from db.schema import LIMIT_UNITS, ONLINE_LEVELS
from gui import bus, widgets
from core.explain import LIMIT_UNIT_VI, ONLINE_VI, limit_text
from gui.dossiers.intake import money_box
from gui.settings import recompute

FIELDS = ("code", "name", "field", "limit_value", "limit_unit", "fee", "online_level",
          "paper_result", "same_day_cutoff")


class ProceduresTab(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.worker = None
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.filter = QLineEdit(placeholderText="Lọc theo mã hoặc tên (không dấu được)")
        self.filter.textChanged.connect(self._apply_filter)
        left.addWidget(self.filter)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Mã", "Tên thủ tục", "Thời hạn", "Lệ phí", "Trực tuyến"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._selected(row))
        left.addWidget(self.table)
        layout.addLayout(left, 3)
        layout.addLayout(self._editor(), 2)

    def _editor(self) -> QVBoxLayout:
        box = QVBoxLayout()
        self.form = widgets.ErrorForm()
        f = self.form
        self.edits = {
            "code": f.add("code", "Mã thủ tục (*)", QLineEdit()),
            "name": f.add("name", "Tên thủ tục (*)", QLineEdit()),
            "field": f.add("field", "Lĩnh vực", QLineEdit()),
            "limit_value": f.add("limit_value", "Thời hạn (*)", QDoubleSpinBox(maximum=3650, decimals=1)),
            "limit_unit": f.add("limit_unit", "Đơn vị thời hạn", widgets.combo(
                [(u, LIMIT_UNIT_VI[u]) for u in LIMIT_UNITS])),
            "fee": f.add("fee", "Lệ phí", money_box()),
            "online_level": f.add("online_level", "Dịch vụ công trực tuyến", widgets.combo(
                [(lv, ONLINE_VI[lv]) for lv in ONLINE_LEVELS])),
            "paper_result": f.add("paper_result", "Kết quả", QCheckBox("Phải trả kết quả bản giấy")),
            "same_day_cutoff": f.add("same_day_cutoff", "Giờ chốt (trả trong ngày)",
                                     QLineEdit(placeholderText="15:00")),
        }
        box.addWidget(self.form)
        row = QHBoxLayout()
        new = QPushButton("Thủ tục mới")
        new.clicked.connect(self.clear)
        save = QPushButton("Lưu thủ tục")
        save.clicked.connect(self.save)
        row.addWidget(new)
        row.addWidget(save)
        box.addLayout(row)
        box.addStretch(1)
        return box

    def refresh(self) -> None:
        rows = self.db.execute("SELECT code, name, limit_value, limit_unit, same_day_cutoff, fee, "
                               "online_level FROM procedures ORDER BY code").fetchall()
        self.table.setRowCount(len(rows))
        from core.due import Limit
        for r, (code, name, value, unit, cutoff, fee, online) in enumerate(rows):
            for c, text in enumerate((code, name, limit_text(Limit(value, unit, cutoff)),
                                      vn_money(fee), ONLINE_VI.get(online, online))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self._apply_filter()

    def _apply_filter(self) -> None:
        words = fold(self.filter.text()).split()
        for r in range(self.table.rowCount()):
            text = fold(self.table.item(r, 0).text() + " " + self.table.item(r, 1).text())
            self.table.setRowHidden(r, not all(w in text for w in words))

    def _selected(self, row: int) -> None:
        if row < 0 or self.table.item(row, 0) is None:
            return
        values = self.db.execute(f"SELECT {', '.join(FIELDS)} FROM procedures WHERE code = ?",
                                 [self.table.item(row, 0).text()]).fetchone()
        data = dict(zip(FIELDS, values))
        for key in ("code", "name", "field", "same_day_cutoff"):
            self.edits[key].setText(data[key] or "")
        self.edits["limit_value"].setValue(data["limit_value"])
        self.edits["fee"].setValue(data["fee"])
        widgets.select_value(self.edits["limit_unit"], data["limit_unit"])
        widgets.select_value(self.edits["online_level"], data["online_level"])
        self.edits["paper_result"].setChecked(bool(data["paper_result"]))

    def clear(self) -> None:
        for key in ("code", "name", "field", "same_day_cutoff"):
            self.edits[key].clear()
        self.edits["limit_value"].setValue(0)
        self.edits["fee"].setValue(0)
        self.edits["code"].setFocus()

    def values(self) -> dict:
        e = self.edits
        return {"code": e["code"].text().strip(), "name": e["name"].text().strip(),
                "field": e["field"].text().strip() or None, "limit_value": e["limit_value"].value(),
                "limit_unit": e["limit_unit"].currentData(), "fee": e["fee"].value(),
                "online_level": e["online_level"].currentData(),
                "paper_result": int(e["paper_result"].isChecked()),
                "same_day_cutoff": e["same_day_cutoff"].text().strip() or None}

    def _check(self, v: dict) -> bool:
        if not v["code"]:
            return self.form.show_error("code", "Cần nhập mã thủ tục.") and False
        if not v["name"]:
            return self.form.show_error("name", "Cần nhập tên thủ tục.") and False
        if v["same_day_cutoff"]:
            try:
                parse_hhmm(v["same_day_cutoff"])
            except ValueError:
                return self.form.show_error("same_day_cutoff", "Giờ chốt theo dạng HH:MM, ví dụ 15:00.") and False
        return True

    def save(self) -> bool:
        self.form.clear_errors()
        v = self.values()
        if not self._check(v):
            return False
        old = self.db.execute("SELECT limit_value, limit_unit, same_day_cutoff FROM procedures "
                              "WHERE code = ?", [v["code"]]).fetchone()
        moves = old is not None and tuple(old) != (v["limit_value"], v["limit_unit"], v["same_day_cutoff"])
        # fee and online level change the dossiers' figures too, not only their due times
        ids = core_recompute.dossiers_of_procedure(self.db, v["code"]) if old else []
        if moves and not recompute.confirm(self, f"Đổi thời hạn thủ tục {v['code']}", self.db, ids):
            return False

        def write(db):
            with transaction(db) as conn:
                conn.execute(f"INSERT INTO procedures({', '.join(FIELDS)}) VALUES "
                             f"({', '.join('?' * len(FIELDS))}) ON CONFLICT(code) DO UPDATE SET "
                             + ", ".join(f"{k} = excluded.{k}" for k in FIELDS[1:]),
                             [v[k] for k in FIELDS])
        if ids:
            self.worker = recompute.apply_change(self, self.db.path, write, ids,
                                                 lambda _n: self.refresh())
            return True
        write(self.db)
        bus.notify_changed()
        self.refresh()
        return True
