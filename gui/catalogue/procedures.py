"""Danh mục thủ tục: list and edit procedures; a new time limit says how many dossiers it moves."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDoubleSpinBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from core.calendar import parse_hhmm
from core.textnorm import fold
from core.timefmt import vn_money
from core import recompute as core_recompute, rules, timefmt
from db.connection import transaction
from db.schema import LIMIT_UNITS, ONLINE_LEVELS
from gui import bus, db_wait, widgets
from core.explain import LIMIT_UNIT_VI, ONLINE_VI, limit_text
from gui.dossiers.intake import money_box
from gui.period_bar import date_edit
from gui.settings import recompute

FIELDS = ("code", "name", "field", "limit_value", "limit_unit", "fee", "online_level",
          "paper_result", "same_day_cutoff")


class ProceduresTab(QWidget):
    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or timefmt.now().date()
        self.worker = self.pending = self.retro_dialog = None
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
            "online_level": f.add("online_level", "Dịch vụ công trực tuyến (*)", widgets.combo(
                [(lv, ONLINE_VI[lv]) for lv in ONLINE_LEVELS])),
            "paper_result": f.add("paper_result", "Kết quả", QCheckBox("Phải trả kết quả bản giấy")),
            "same_day_cutoff": f.add("same_day_cutoff", "Giờ chốt (trả trong ngày)",
                                     QLineEdit(placeholderText="15:00")),
            "valid_from": f.add("valid_from", "Áp dụng từ ngày", date_edit(self.today)),
        }
        # no level until the clerk picks one: a default "toàn trình" silently widened the 70%
        # denominator (spec 5, online_full.eligible)
        self.edits["online_level"].setPlaceholderText("— chọn mức —")
        self.edits["online_level"].setCurrentIndex(-1)
        self.edits["valid_from"].setToolTip(
            "Thời hạn, mức trực tuyến và giờ chốt mới áp dụng cho hồ sơ tiếp nhận từ ngày này; hồ "
            "sơ tiếp nhận trước đó giữ quy định cũ. Thủ tục mới áp dụng từ đầu.")
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setStyleSheet("color: #555;")
        box.addWidget(self.form)
        box.addWidget(self.history)
        row = QHBoxLayout()
        self.new_button = QPushButton("Thủ tục mới")
        self.new_button.clicked.connect(self.clear)
        self.save_button = QPushButton("Lưu thủ tục")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.new_button)
        row.addWidget(self.save_button)
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
        self._show_history(self.edits["code"].text().strip() or None)

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
        self.edits["valid_from"].setDate(self.today)
        self._show_history(data["code"])

    def _show_history(self, code: str | None) -> None:
        entries = rules.procedure_entries(self.db, code) if code else []
        self.history.setText("" if len(entries) < 2 else "Quy định đã áp dụng:\n" + "\n".join(
            f"• {rules.vn_from(day)}: {limit_text(rule.limit())}, trực tuyến "
            f"{ONLINE_VI[rule.online_level]}" for day, rule in entries))

    def clear(self) -> None:
        for key in ("code", "name", "field", "same_day_cutoff"):
            self.edits[key].clear()
        self.edits["limit_value"].setValue(0)
        self.edits["fee"].setValue(0)
        self.edits["online_level"].setCurrentIndex(-1)
        self.edits["paper_result"].setChecked(False)
        self.edits["valid_from"].setDate(self.today)
        self._show_history(None)
        self.edits["code"].setFocus()

    def values(self) -> dict:
        e = self.edits
        return {"code": e["code"].text().strip(), "name": e["name"].text().strip(),
                "field": e["field"].text().strip() or None, "limit_value": e["limit_value"].value(),
                "limit_unit": e["limit_unit"].currentData(), "fee": e["fee"].value(),
                "online_level": e["online_level"].currentData(),
                "paper_result": int(e["paper_result"].isChecked()),
                "same_day_cutoff": e["same_day_cutoff"].text().strip() or None,
                "valid_from": e["valid_from"].date().toPython()}

    def _check(self, v: dict) -> bool:
        if not v["code"]:
            return self.form.show_error("code", "Cần nhập mã thủ tục.") and False
        if not v["name"]:
            return self.form.show_error("name", "Cần nhập tên thủ tục.") and False
        if v["online_level"] is None:
            return self.form.show_error(
                "online_level", "Chọn mức dịch vụ công trực tuyến: toàn trình, một phần hoặc "
                "không (mức toàn trình tính vào mẫu số tỷ lệ toàn trình).") and False
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
        old = self.db.execute(f"SELECT {', '.join(FIELDS)} FROM procedures WHERE code = ?",
                              [v["code"]]).fetchone()
        if old is None:
            return self._insert(v)
        old = dict(zip(FIELDS, old))
        rule, day = rules.ProcedureRule.of(v), v["valid_from"]
        entries = rules.procedure_entries(self.db, v["code"])
        dated = rules.replace_from(entries, day, rule) != entries
        # the fee is not dated: a new fee counts for every dossier that uses the procedure's fee
        fee_moves = old["fee"] != v["fee"]
        ids = sorted(set(core_recompute.dossiers_received_from(self.db, day, v["code"]) if dated
                         else []) | set(core_recompute.dossiers_of_procedure(self.db, v["code"])
                                        if fee_moves else []))

        def write(db):
            with transaction(db) as conn:
                conn.execute("UPDATE procedures SET name = ?, field = ?, fee = ? WHERE code = ?",
                             [v["name"], v["field"], v["fee"], v["code"]])
                if dated:
                    rules.set_procedure_rule(db, v["code"], rule, day)
        if not dated:
            self._write_now(write, ids)
            return True
        self.pending = recompute.save_dated(
            self, what=f"Đổi quy định của thủ tục {v['code']} từ ngày {timefmt.vn_date(day)}",
            db=self.db, valid_from=day, today=self.today, change=write, ids=ids,
            on_done=lambda _n: self.refresh())
        return True

    def _insert(self, v: dict) -> bool:
        """A new procedure: its rule applies from the beginning (no earlier rule to keep)."""
        def write(db):
            with transaction(db) as conn:
                conn.execute(f"INSERT INTO procedures({', '.join(FIELDS)}) VALUES "
                             f"({', '.join('?' * len(FIELDS))})", [v[k] for k in FIELDS])
        self._write_now(write, [])
        return True

    def _write_now(self, write, ids: list[int]) -> None:
        if ids:
            self.worker = recompute.apply_change(self, self.db.path, write, ids,
                                                 lambda _n: self.refresh())
            return
        db_wait.run_write(self, self.db, lambda: write(self.db))  # waits out another writer
        bus.notify_changed()
        self.refresh()
