"""The list of documents (thành phần hồ sơ) of one procedure, edited in Danh mục → Thủ tục:
one row per document (name, original/copy, count, required), rows added, removed and moved.
The rules of a valid list are core.components.check_components; this only collects them."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import empty_lists, limits
from core.components import COUNT_MAX, Component
from core.labels import DOCUMENT_FORM_VI
from gui import permissions, shown, widgets
from gui.empty_list import SentenceTable

NAME, FORM, COUNT, REQUIRED = range(4)
HEADERS = ("Tên giấy tờ", "Hình thức", "Số lượng", "Bắt buộc")


class ComponentsEditor(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = SentenceTable(0, len(HEADERS))
        self.table.empty_text = lambda: empty_lists.components(permissions.allowed("catalogue.edit"))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((FORM, 150), (COUNT, 70), (REQUIRED, 70)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        self.table.setMinimumHeight(120)
        layout.addWidget(self.table)
        layout.addLayout(self._buttons())

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.add_button = QPushButton("Thêm giấy tờ")
        self.add_button.clicked.connect(lambda: self.add_row(Component(""), edit=True))
        self.remove_button = QPushButton("Xóa")
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button = QPushButton("Lên")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton("Xuống")
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row being typed in stays current
            permissions.guard(button, "catalogue.edit")
            row.addWidget(button)
        row.addStretch(1)
        return row

    # ----- rows ---------------------------------------------------------------------------
    def set_items(self, items: list[Component]) -> None:
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item)

    def add_row(self, item: Component, edit: bool = False) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._fill(row, item)
        if edit:
            self.table.setCurrentCell(row, NAME)
            self._focus_later(row)
        return row

    def _focus_later(self, row: int) -> None:
        """Focus the row's name once the view has laid it out (a rebuilt list drops it)."""
        name = self.table.cellWidget(row, NAME)
        QTimer.singleShot(0, name, name.setFocus)

    def _fill(self, row: int, item: Component) -> None:
        # a line edit, not an item editor: what is typed counts even without Enter before Save
        name = QLineEdit(item.name)
        name.setFrame(False)
        name.setToolTip(shown.tip(item.name))
        widgets.limit_length(name, limits.text_limit("name"))
        self.table.setCellWidget(row, NAME, name)
        form = widgets.combo(DOCUMENT_FORM_VI.items())
        widgets.select_value(form, item.form)
        self.table.setCellWidget(row, FORM, form)
        count = QSpinBox(minimum=1, maximum=COUNT_MAX)
        count.setValue(item.count)
        self.table.setCellWidget(row, COUNT, count)
        required = QTableWidgetItem()
        required.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                          | Qt.ItemFlag.ItemIsSelectable)
        required.setCheckState(Qt.CheckState.Checked if item.required else Qt.CheckState.Unchecked)
        self.table.setItem(row, REQUIRED, required)

    def item_at(self, row: int) -> Component:
        return Component(self.table.cellWidget(row, NAME).text(),
                         self.table.cellWidget(row, FORM).currentData(),
                         self.table.cellWidget(row, COUNT).value(),
                         self.table.item(row, REQUIRED).checkState() == Qt.CheckState.Checked)

    def items(self) -> list[Component]:
        return [self.item_at(row) for row in range(self.table.rowCount())]

    def current_row(self) -> int:
        """The row whose name, form or count has the focus, else the table's current row."""
        focused = QApplication.focusWidget()
        for row in range(self.table.rowCount()):
            if focused in (self.table.cellWidget(row, c) for c in (NAME, FORM, COUNT)):
                return row
        return self.table.currentRow()

    def remove_current(self) -> None:
        row = self.current_row()
        if row >= 0:
            self.table.removeRow(row)

    def move_current(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        items = self.items()
        items[row], items[target] = items[target], items[row]
        self.set_items(items)
        self.table.setCurrentCell(target, NAME)
        self._focus_later(target)
