"""Danh mục đơn vị: the units as a tree, with a form to add or edit one."""
from __future__ import annotations

from PySide6.QtWidgets import (QHBoxLayout, QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from core import catalogue
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
        # the name takes what is left and is cut with "…"; the code is read whole (issue 14 §5)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
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
        widgets.fit_column(self.tree, 1, [r[0] for r in rows], least=widgets.LONG_UNIT_CODE)
        widgets.fit_column(self.tree, 2, list(LEVEL_VI.values()), least="Cấp")
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
        values = dict(code=self.code.text(), name=self.name.text(),
                      level=self.level.currentData(), parent_code=self.parent_box.currentData())
        return ops.Op(self, lambda db: catalogue.save_unit(db, **values), ops.CATALOGUE,
                      form=self.form).success(lambda _r: self.refresh()).run(self.db)
