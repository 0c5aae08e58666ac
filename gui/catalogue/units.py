"""Danh mục đơn vị: the units as a tree, with a form to add or edit one."""
from __future__ import annotations

from PySide6.QtWidgets import (QHBoxLayout, QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from core import catalogue, vnsort
from core.labels import UNIT_LEVEL_VI
from db.schema import UNIT_LEVELS
from gui import ops, widgets

LEVEL_VI = UNIT_LEVEL_VI  # core's one table (core.labels)


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
        levels = dict(self.db.execute("SELECT code, level FROM units").fetchall())
        items: dict[str, QTreeWidgetItem] = {}
        parents: list[QTreeWidgetItem] = []  # by depth: siblings in Vietnamese order (core.vnsort)
        for code, name, depth in vnsort.unit_tree(self.db):
            items[code] = QTreeWidgetItem([name, code, LEVEL_VI.get(levels[code], "")])
            del parents[depth:]
            if parents:
                parents[-1].addChild(items[code])
            else:
                self.tree.addTopLevelItem(items[code])
            parents.append(items[code])
        self.tree.expandAll()
        self.parent_box.clear()
        self.parent_box.addItem("—", None)
        widgets.add_choices(self.parent_box, widgets.units(self.db))

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
        values = dict(code=self.code.text(), name=self.name.text(),
                      level=self.level.currentData(), parent_code=self.parent_box.currentData())
        return ops.Op(self, lambda db: catalogue.save_unit(db, **values), ops.CATALOGUE,
                      form=self.form).success(lambda _r: self.refresh()).run(self.db)
