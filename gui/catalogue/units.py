"""Danh mục đơn vị: the units as a tree, with a form to add or edit one.

A unit dissolved by a merger (spec 1, 7: valid_to and successor_code) stays in the tree, greyed,
with "(đến 30/06/2025 → Xã Tân Đoàn)", so the history of a two-tier province reads at a glance.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import catalogue, empty_lists, limits, report_header, timefmt, vnsort
from core.errors import FieldError
from core.labels import UNIT_LEVEL_VI
from db.schema import UNIT_LEVELS
from gui import ops, permissions, widgets
from gui.empty_list import SaysWhyEmpty

LEVEL_VI = UNIT_LEVEL_VI  # core's one table (core.labels)
DISSOLVED = QColor("#6b6b6b")


class UnitTree(SaysWhyEmpty, QTreeWidget):
    """The units' tree; empty, it says how to add one (gui.empty_list)."""


class UnitsTab(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QHBoxLayout(self)
        self.tree = UnitTree()
        self.tree.empty_text = lambda: empty_lists.units(permissions.allowed("catalogue.edit"))
        self.tree.setHeaderLabels(["Đơn vị", "Mã", "Cấp"])
        # the name takes what is left and is cut with "…"; the code is read whole (issue 14 §5)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.tree.currentItemChanged.connect(self._selected)
        layout.addWidget(self.tree, 2)
        # the unit's form and its report header: scrolled on a 728-px-high screen
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._form())
        column.addWidget(self._header_box())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # the column's width is the layout's share: the fields narrow, the notes wrap
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(right)
        layout.addWidget(scroll, 1)

    def _form(self) -> QVBoxLayout:
        right = QVBoxLayout()
        self.view_only = permissions.view_only_note("catalogue.edit")
        right.addWidget(self.view_only)
        self.form = widgets.ErrorForm()
        self.code = self.form.add("code", "Mã đơn vị (*)", QLineEdit())
        self.name = self.form.add("name", "Tên đơn vị (*)", QLineEdit())
        self.level = self.form.add("level", "Cấp", widgets.combo(
            [(lv, LEVEL_VI[lv]) for lv in UNIT_LEVELS], blank="—"))
        self.parent_box = self.form.add("parent_code", "Trực thuộc", widgets.combo([], blank="—"))
        self.valid_from = self.form.add("valid_from", "Hoạt động từ ngày", widgets.optional_date())
        self.valid_to = self.form.add("valid_to", "Hoạt động đến hết ngày",
                                      widgets.optional_date())
        self.successor_box = self.form.add("successor_code", "Đơn vị kế thừa",
                                           widgets.combo([], blank="—"))
        self.successor_box.setToolTip("Đơn vị kế thừa khi đơn vị này giải thể, sáp nhập "
                                      "(báo cáo của đơn vị kế thừa gồm cả số liệu của nó)")
        right.addWidget(permissions.read_only(self.form, "catalogue.edit"))
        row = QHBoxLayout()
        new = QPushButton("Đơn vị mới")
        new.clicked.connect(self.clear)
        self.save_button = QPushButton("Lưu đơn vị")
        self.save_button.clicked.connect(self.save)
        row.addWidget(permissions.guard(new, "catalogue.edit"))
        row.addWidget(permissions.guard(self.save_button, "catalogue.edit"))
        right.addLayout(row)
        return right

    def _header_box(self) -> QGroupBox:
        """The header and signer the unit's own documents print (core.report_header): a
        commune's monthly report is the commune's, signed by its leader."""
        box = QGroupBox("Tiêu đề báo cáo của đơn vị")
        form = QFormLayout(box)
        self.header_used = QLabel()
        self.header_used.setWordWrap(True)
        self.header_used.setStyleSheet("background: #eef3fb; color: #1f3b63; padding: 4px;")
        form.addRow(self.header_used)
        self.unit_header_edits: dict[str, QLineEdit] = {}
        # a refusal goes under the line it names, as in Cài đặt › Tiêu đề văn bản
        self.header_form = fields = widgets.ErrorForm()
        fields.form.setContentsMargins(0, 0, 0, 0)
        for key, label in report_header.LABELS_VI.items():
            edit = fields.add(key, label, QLineEdit())
            widgets.limit_length(edit, limits.text_limit("header"))  # the office header's limit
            self.unit_header_edits[key] = edit
        self.unit_recipients = fields.add("recipients", "Nơi nhận (mỗi dòng một nơi)",
                                          widgets.TextBox())
        self.unit_recipients.setFixedHeight(64)
        self.unit_recipients.setPlaceholderText(report_header.RECIPIENTS_HINT)
        form.addRow(permissions.read_only(fields, "settings.edit"))
        self.fill_header = QPushButton("Điền theo tên đơn vị")
        self.fill_header.setToolTip("Điền tiêu đề lập theo tên đơn vị trong danh mục; họ tên "
                                    "người ký và nơi nhận do anh/chị nhập.")
        self.fill_header.clicked.connect(self._fill_header)
        self.save_header_button = QPushButton("Lưu tiêu đề của đơn vị")
        self.save_header_button.clicked.connect(self.save_header)
        self.drop_header = QPushButton("Bỏ tiêu đề riêng")
        self.drop_header.clicked.connect(self.remove_header)
        # two rows of buttons: three side by side made the column wider than a 1366-px screen
        for buttons in ((self.save_header_button, self.drop_header), (self.fill_header,)):
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(permissions.guard(button, "settings.edit"))
            row.addStretch(1)
            form.addRow(row)
        self.header_code: str | None = None
        box.setEnabled(False)  # until a saved unit is chosen
        self.header_box = box
        return box

    def _show_header(self, code: str | None) -> None:
        """The unit's own header in the fields, and what its documents print now."""
        self.header_code = code
        own = report_header.own_header(self.db, code) if code else None
        for key, edit in self.unit_header_edits.items():
            edit.setText((own or {}).get(key, ""))
        self.unit_recipients.setPlainText("\n".join((own or {}).get("recipients", [])))
        self.header_form.clear_errors()  # another unit's refusal is not this one's
        self.header_box.setEnabled(code is not None)
        self.header_used.setText(report_header.header_for(self.db, code).note if code else
                                 "Chọn một đơn vị trong cây để xem, nhập tiêu đề báo cáo của nó.")

    def _fill_header(self) -> None:
        row = next((r for r in catalogue.unit_rows(self.db) if r.code == self.header_code), None)
        if row is None:
            return
        made = report_header.made_header(row.name)
        for key, edit in self.unit_header_edits.items():
            if not edit.text().strip():
                edit.setText(made.get(key, ""))

    def save_header(self) -> bool:
        code = self.header_code
        fields = {key: edit.text() for key, edit in self.unit_header_edits.items()}
        recipients = self.unit_recipients.toPlainText().splitlines()
        return ops.Op(self, lambda db: report_header.save_unit_header(db, code, fields,
                                                                      recipients),
                      ops.SETTINGS, form=self.header_form,
                      doing="lưu tiêu đề báo cáo của đơn vị").success(
                          lambda _r: self._show_header(code)).run(self.db)

    def remove_header(self) -> bool:
        code = self.header_code
        if not widgets.confirm(self, "Tiêu đề báo cáo của đơn vị",
                               "Bỏ tiêu đề riêng của đơn vị này? Báo cáo của đơn vị sẽ dùng "
                               "tiêu đề theo quy tắc chung (nêu ở khung trên).", yes="Bỏ"):
            return False
        empty = dict.fromkeys(report_header.FIELDS, "")
        return ops.Op(self, lambda db: report_header.save_unit_header(db, code, empty, []),
                      ops.SETTINGS, doing="xoá tiêu đề báo cáo riêng của đơn vị").success(
                          lambda _r: self._show_header(code)).run(self.db)

    def refresh(self) -> None:
        self.tree.clear()
        rows = {row.code: row for row in catalogue.unit_rows(self.db)}
        today = timefmt.now().date()
        items: dict[str, QTreeWidgetItem] = {}
        parents: list[QTreeWidgetItem] = []  # by depth: siblings in Vietnamese order (core.vnsort)
        for code, _name, depth in vnsort.unit_tree(self.db):
            items[code] = _item(rows[code], today)
            del parents[depth:]
            if parents:
                parents[-1].addChild(items[code])
            else:
                self.tree.addTopLevelItem(items[code])
            parents.append(items[code])
        self.tree.expandAll()
        widgets.fit_column(self.tree, 1, list(rows), least=widgets.LONG_UNIT_CODE)
        widgets.fit_column(self.tree, 2, list(LEVEL_VI.values()), least="Cấp")
        for box in (self.parent_box, self.successor_box):
            box.clear()
            box.addItem("—", None)
            widgets.add_choices(box, widgets.units(self.db))
        self._show_header(self.header_code if self.header_code in rows else None)

    def _selected(self, item, _previous=None) -> None:
        if item is None:
            return
        row = next(r for r in catalogue.unit_rows(self.db) if r.code == item.text(1))
        self._show_header(row.code)
        self.code.setText(row.code)
        self.name.setText(row.name)
        widgets.select_value(self.level, row.level)
        widgets.select_value(self.parent_box, row.parent_code)
        self.valid_from.set_value(row.valid_from)
        self.valid_to.set_value(row.valid_to)
        self.successor_box.setCurrentIndex(max(0, self.successor_box.findData(row.successor_code)))

    def clear(self) -> None:
        for edit in (self.code, self.name):
            edit.clear()
        for box in (self.level, self.parent_box, self.successor_box):
            box.setCurrentIndex(0)
        self.valid_from.set_value(None)
        self.valid_to.set_value(None)
        self._show_header(None)
        self.code.setFocus()

    def save(self) -> bool:
        self.form.clear_errors()
        try:  # a day typed that is not one: said under it, nothing saved
            days = dict(valid_from=self.valid_from.value(), valid_to=self.valid_to.value())
        except FieldError as exc:
            return self.form.show_error(exc.field, exc.message) and False
        values = dict(code=self.code.text(), name=self.name.text(),
                      level=self.level.currentData(), parent_code=self.parent_box.currentData(),
                      successor_code=self.successor_box.currentData(), **days)
        return ops.Op(self, lambda db: catalogue.save_unit(db, **values), ops.CATALOGUE,
                      form=self.form, doing="lưu đơn vị").success(lambda _r: self.refresh()).run(self.db)


def _item(row: catalogue.UnitRow, today) -> QTreeWidgetItem:
    note = row.history_note()
    item = QTreeWidgetItem([f"{row.name} {note}" if note else row.name, row.code,
                            LEVEL_VI.get(row.level, "")])
    if row.dissolved_on(today):
        for column in range(3):
            item.setForeground(column, QBrush(DISSOLVED))
        font = item.font(0)
        font.setItalic(True)
        item.setFont(0, font)
        item.setToolTip(0, "Đơn vị đã giải thể hoặc sáp nhập; số liệu trước đó vẫn được giữ.")
    return item
