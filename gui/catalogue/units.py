"""Danh mục đơn vị: the units as a tree, with a form to add or edit one."""
from __future__ import annotations

from PySide6.QtWidgets import (QHBoxLayout, QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from db.connection import transaction
from db.schema import UNIT_LEVELS
from gui import bus, db_wait, widgets

LEVEL_VI = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã/phường",
            "department": "Phòng, ban", "centre": "Trung tâm"}


class UnitsTab(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QHBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Đơn vị", "Mã", "Cấp"])
        self.tree.setColumnWidth(0, 320)
        self.tree.currentItemChanged.connect(self._selected)
        layout.addWidget(self.tree, 2)
        right = QVBoxLayout()
        self.form = widgets.ErrorForm()
        self.code = self.form.add("code", "Mã đơn vị (*)", QLineEdit())
        self.name = self.form.add("name", "Tên đơn vị (*)", QLineEdit())
        self.level = self.form.add("level", "Cấp", widgets.combo(
            [(lv, LEVEL_VI[lv]) for lv in UNIT_LEVELS], blank="—"))
        self.parent_box = self.form.add("parent_code", "Trực thuộc", widgets.combo([], blank="—"))
        right.addWidget(self.form)
        row = QHBoxLayout()
        new = QPushButton("Đơn vị mới")
        new.clicked.connect(self.clear)
        save = QPushButton("Lưu đơn vị")
        save.clicked.connect(self.save)
        row.addWidget(new)
        row.addWidget(save)
        right.addLayout(row)
        right.addStretch(1)
        layout.addLayout(right, 1)

    def refresh(self) -> None:
        self.tree.clear()
        rows = self.db.execute("SELECT code, name, level, parent_code FROM units ORDER BY code").fetchall()
        items: dict[str, QTreeWidgetItem] = {}
        for code, name, level, _ in rows:
            items[code] = QTreeWidgetItem([name, code, LEVEL_VI.get(level, "")])
        for code, _, _, parent in rows:
            if parent in items:
                items[parent].addChild(items[code])
            else:
                self.tree.addTopLevelItem(items[code])
        self.tree.expandAll()
        self.parent_box.clear()
        self.parent_box.addItem("—", None)
        for value, label in widgets.units(self.db):
            self.parent_box.addItem(label, value)

    def _selected(self, item, _previous=None) -> None:
        if item is None:
            return
        code = item.text(1)
        row = self.db.execute("SELECT code, name, level, parent_code FROM units WHERE code = ?",
                              [code]).fetchone()
        self.code.setText(row[0])
        self.name.setText(row[1])
        widgets.select_value(self.level, row[2])
        widgets.select_value(self.parent_box, row[3])

    def clear(self) -> None:
        for edit in (self.code, self.name):
            edit.clear()
        self.level.setCurrentIndex(0)
        self.parent_box.setCurrentIndex(0)
        self.code.setFocus()

    def save(self) -> bool:
        self.form.clear_errors()
        code, name = self.code.text().strip(), self.name.text().strip()
        parent = self.parent_box.currentData()
        if not code:
            return self.form.show_error("code", "Cần nhập mã đơn vị.") and False
        if not name:
            return self.form.show_error("name", "Cần nhập tên đơn vị.") and False
        if parent == code or (parent and code in _ancestors(self.db, parent)):
            return self.form.show_error("parent_code", "Một đơn vị không thể trực thuộc chính nó "
                                        "hoặc đơn vị cấp dưới của nó.") and False
        def write() -> None:
            with transaction(self.db) as conn:
                conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?) "
                             "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                             "level = excluded.level, parent_code = excluded.parent_code",
                             [code, name, self.level.currentData(), parent])
        db_wait.run_write(self, self.db, write)  # waits out another writer; the form stays
        bus.notify_changed()
        self.refresh()
        return True


def _ancestors(db, code: str) -> set[str]:
    rows = db.execute("WITH RECURSIVE up(code, parent) AS (SELECT code, parent_code FROM units "
                      "WHERE code = ? UNION SELECT u.code, u.parent_code FROM units u JOIN up "
                      "ON u.code = up.parent) SELECT code FROM up", [code]).fetchall()
    return {r[0] for r in rows}
