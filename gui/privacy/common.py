"""Small pieces the privacy tabs share: a date field, the full-data choice, a list model."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget

from core import accounts
from core.privacy import masking
from gui import table_model
from gui.date_fields import TypedDate, date_field
from gui.forms import limit_length


def date_edit(day: dt.date) -> TypedDate:
    return date_field(day)


def day_of(edit: TypedDate) -> dt.date:
    """The day typed (InputError naming what is wrong: never another day)."""
    return edit.value()


class FullDataChoice(QWidget):
    """"Dữ liệu đầy đủ" and its purpose: enabled only for an account holding personal.full."""

    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox("Dữ liệu đầy đủ (không che số điện thoại, số định danh, địa chỉ), "
                             "mục đích:")
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText("bắt buộc khi xuất đầy đủ, được ghi vào nhật ký")
        limit_length(self.purpose, masking.PURPOSE_MAX)
        row.addWidget(self.box)
        row.addWidget(self.purpose, 1)
        allowed = accounts.can(None, "personal.full")
        self.box.setEnabled(allowed)
        self.purpose.setEnabled(False)
        self.box.toggled.connect(self.purpose.setEnabled)

    def pass_(self) -> masking.FullData | None:
        """None for masked data; raises (FieldError) when full data lacks a purpose."""
        return masking.full_data(self.purpose.text()) if self.box.isChecked() else None


class ListModel(table_model.RowsModel):
    """Rows that are already lists of display strings (the tabs build them from core)."""

    def __init__(self, headers: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.HEADERS = headers

    def display(self, record, column: int) -> str:
        value = record[column]
        return "" if value is None else str(value)

    def sort_value(self, record, column: int):
        value = record[column]
        return value if isinstance(value, int) else self.display(record, column).lower()
