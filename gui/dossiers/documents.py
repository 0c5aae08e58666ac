"""The documents of a dossier on screen (thành phần hồ sơ, issue 13 §2): a compact table with a
check box per document. At intake the check says "received" and form and count can change; in
the dossier window it says "digitised"; in a supplement request it says "missing or incorrect",
with a note. The rules are core.components / core.intake; these only collect the clerk's ticks.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)

from core.components import COUNT_MAX, PROBLEM_VI, DossierComponent
from core.intake import Handed
from core.labels import DOCUMENT_FORM_VI
from gui import shown, widgets

CHECKABLE = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
ROW_HEIGHT = 24


def _check(checked: bool, text: str = "", enabled: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(shown.text(text))
    item.setFlags(CHECKABLE if enabled else Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def _text(text: str) -> QTableWidgetItem:
    item = shown.item(text, text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def checked(item: QTableWidgetItem) -> bool:
    return item.checkState() == Qt.CheckState.Checked


class DocumentTable(QTableWidget):
    """A table whose first column is the name with its check box; fixed small columns after."""

    def __init__(self, headers: tuple[str, ...], widths: tuple[int, ...], parent=None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().hide()
        # a name wraps onto as many lines as it needs: cut to one line at 1366 px, intake
        # showed "Văn bản ủy quyền có chứng…" and the supplement request "(khi nhờ người …"
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(widths, start=1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, width)
        # the name's column stretches with the dialog: its lines, and so each row, change
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())

    def check_at(self, row: int) -> QTableWidgetItem:
        return self.item(row, 0)

    def tick(self, row: int, column: int = 0) -> None:
        """Toggle a check box as a click on it would (tests and the keyboard)."""
        item = self.item(row, column)
        item.setCheckState(Qt.CheckState.Unchecked if checked(item) else Qt.CheckState.Checked)


class IntakeDocuments(DocumentTable):
    """At intake: received? (the name's box), form, count, digitised."""
    FORM, COUNT, DIGITISED = 1, 2, 3

    def __init__(self, parent=None):
        super().__init__(("Giấy tờ đã nhận (* bắt buộc)", "Hình thức", "SL", "Đã số hóa"),
                         (150, 48, 72), parent)
        # as wide as its longest choice in the font in use: a fixed 150 px cut «Bản sao chứng
        # thực» at the program's 10 pt (walk35's shot 25)
        self.setColumnWidth(self.FORM, max(150, widgets.combo(DOCUMENT_FORM_VI.items()).sizeHint().width() + 2))
        self.required: list[bool] = []

    def set_items(self, items: list[Handed]) -> None:
        self.setRowCount(0)
        self.required = [h.required for h in items]
        for row, h in enumerate(items):
            self.insertRow(row)
            name = _check(h.received, h.name + (" *" if h.required else ""))
            name.setData(Qt.ItemDataRole.UserRole, h.name)
            name.setToolTip(shown.tip(h.name))
            self.setItem(row, 0, name)
            form = widgets.combo(DOCUMENT_FORM_VI.items())
            widgets.select_value(form, h.form)
            self.setCellWidget(row, self.FORM, form)
            count = QSpinBox(minimum=1, maximum=COUNT_MAX)
            count.setValue(h.count)
            self.setCellWidget(row, self.COUNT, count)
            self.setItem(row, self.DIGITISED, _check(h.digitised))

    def items(self) -> list[Handed]:
        return [Handed(self.item(r, 0).data(Qt.ItemDataRole.UserRole),
                       self.cellWidget(r, self.FORM).currentData(),
                       self.cellWidget(r, self.COUNT).value(), self.required[r],
                       received=checked(self.item(r, 0)),
                       digitised=checked(self.item(r, self.DIGITISED)))
                for r in range(self.rowCount())]


class DigitisedDocuments(DocumentTable):
    """In the dossier window: each document, whether received, and a "digitised" box."""
    STATE, DIGITISED = 1, 2

    def __init__(self, parent=None):
        super().__init__(("Thành phần hồ sơ", "Tình trạng", "Đã số hóa"), (150, 70), parent)
        self.positions: list[int] = []

    def set_items(self, items: list[DossierComponent]) -> None:
        self.setRowCount(0)
        self.positions = [c.position for c in items]
        for row, c in enumerate(items):
            self.insertRow(row)
            self.setItem(row, 0, _text(f"{c.name} ({c.form_vi}, {c.count})"))
            state = "Đã nhận" if c.received else (c.note or "Chưa nhận")
            self.setItem(row, self.STATE, _text(state))
            self.setItem(row, self.DIGITISED, _check(c.digitised, enabled=c.received))

    def digitised(self) -> dict[int, bool]:
        return {p: checked(self.item(r, self.DIGITISED)) for r, p in enumerate(self.positions)}


class SupplementDocuments(DocumentTable):
    """A supplement request: tick what is missing or incorrect, say which, add a note."""
    PROBLEM, NOTE = 1, 2

    def __init__(self, parent=None):
        super().__init__(("Thành phần cần bổ sung", "Tình trạng", "Ghi chú"), (190, 220), parent)
        self.positions: list[int] = []
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)

    def set_items(self, items: list[DossierComponent]) -> None:
        self.setRowCount(0)
        self.positions = [c.position for c in items]
        for row, c in enumerate(items):
            self.insertRow(row)
            name = _check(not c.received, f"{c.name} ({c.form_vi}, {c.count})")
            name.setToolTip(shown.tip(c.name))
            self.setItem(row, 0, name)
            problem = widgets.combo(PROBLEM_VI.items())
            widgets.select_value(problem, "incorrect" if c.received else "missing")
            self.setCellWidget(row, self.PROBLEM, problem)
            self.setItem(row, self.NOTE, QTableWidgetItem(""))

    def flagged(self) -> dict[int, tuple[str, str | None]]:
        return {p: (self.cellWidget(r, self.PROBLEM).currentData(),
                    self.item(r, self.NOTE).text().strip() or None)
                for r, p in enumerate(self.positions) if checked(self.item(r, 0))}


class ArrivedDocuments(DocumentTable):
    """Nhận bổ sung: the documents still outstanding, ticked as they arrive (all by default);
    an unticked one stays outstanding (core.components.receive_supplement's positions)."""
    NOTE = 1

    def __init__(self, parent=None):
        super().__init__(("Thành phần đã nhận bổ sung", "Yêu cầu bổ sung"), (260,), parent)
        self.positions: list[int] = []

    def set_items(self, items: list[DossierComponent]) -> None:
        self.setRowCount(0)
        outstanding = [c for c in items if not c.received]
        self.positions = [c.position for c in outstanding]
        for row, c in enumerate(outstanding):
            self.insertRow(row)
            name = _check(True, f"{c.name} ({c.form_vi}, {c.count})")
            name.setToolTip(shown.tip(c.name))
            self.setItem(row, 0, name)
            self.setItem(row, self.NOTE, _text(c.note or ""))

    def arrived(self) -> list[int]:
        return [p for r, p in enumerate(self.positions) if checked(self.item(r, 0))]
