"""Yêu cầu chủ thể dữ liệu: one person's dossiers found, exported, a field corrected."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import empty_lists, timefmt
from core.dossiers import CORRECTABLE
from core.privacy import subject
from gui import errors, file_dialogs, ops, widgets
from gui.privacy.common import FullDataChoice, ListModel
from gui.table_model import sorted_view

BY = (("id_no", "Số định danh"), ("phone", "Số điện thoại"), ("name", "Họ tên"))
FILTER = "PDF, bảng tính (*.pdf *.csv *.xlsx *.txt)"
EXPORTING = "xuất dữ liệu của người được hỏi"  # its failures' title: errors.failure_title


class SubjectTab(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db, self.found = db, []
        self.by = QComboBox()
        self.by.addItems([label for _, label in BY])
        self.text = QLineEdit()
        self.text.setPlaceholderText("số định danh, số điện thoại hoặc họ tên đầy đủ")
        self.find_button = QPushButton("Tìm")
        self.find_button.clicked.connect(self.find)
        self.text.returnPressed.connect(self.find)
        bar = QHBoxLayout()
        for widget in (QLabel("Tìm theo"), self.by, self.text, self.find_button):
            bar.addWidget(widget)
        self.model = ListModel(subject.HEADER, self)
        self.view = sorted_view(self.model, self)
        self.searched_by: str | None = None  # what the list shown was found by
        self.view.empty_text = lambda: empty_lists.subject(self.searched_by)
        self.count = QLabel()
        self.full = FullDataChoice(self)
        self.export_button = QPushButton("Xuất các hồ sơ này…")
        self.export_button.clicked.connect(self.export)
        self.correct_button = QPushButton("Sửa thông tin của hồ sơ đang chọn…")
        self.correct_button.clicked.connect(self.correct)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.correct_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.full)
        layout.addLayout(actions)
        self._enable()

    def _enable(self) -> None:
        self.export_button.setEnabled(bool(self.found))
        self.correct_button.setEnabled(bool(self.found))

    def find(self) -> None:
        key = BY[self.by.currentIndex()][0]
        try:
            self.found = subject.find(self.db, **{key: self.text.text()})
        except Exception as exc:  # a short name, a partial phone: one message naming it
            errors.show_error(self, exc, errors.failure_title("tìm hồ sơ của người được hỏi"))
            return
        self.searched_by = BY[self.by.currentIndex()][1]
        self.model.set_rows([f.cells(None) for f in self.found])  # the screen shows masked
        self.view.resizeColumnsToContents()
        self.count.setText(f"{timefmt.vn_number(len(self.found))} hồ sơ.")
        self._enable()

    def export(self) -> None:
        try:
            full = self.full.pass_()
        except Exception as exc:
            errors.show_error(self, exc, errors.failure_title(EXPORTING))
            return
        path = file_dialogs.save_path(self, "Xuất hồ sơ của người yêu cầu",
                                      "yeu-cau-chu-the.pdf", FILTER)
        if not path:
            return
        found = self.found
        ops.Op(self, lambda db: subject.export(db, found, path, full), ops.Changes(),
               doing=EXPORTING) \
            .success(lambda out: widgets.inform(self, "Đã xuất", f"Đã ghi {len(found)} hồ sơ vào "
                                                                 f"{out}.")).run(self.db)

    def _selected(self):
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if not rows:
            return None
        source = self.view.model().mapToSource(rows[0]).row()
        return self.found[source]

    def correct(self) -> None:
        item = self._selected()
        if item is None:
            widgets.warn(self, "Sửa thông tin", "Hãy chọn một hồ sơ trong danh sách.")
            return
        labels = [CORRECTABLE[f] for f in subject.PERSONAL]
        label = widgets.choose(self, "Sửa thông tin", f"Trường cần sửa của hồ sơ {item.code}:",
                               labels)
        if label is None:
            return
        field = subject.PERSONAL[labels.index(label)]
        value = widgets.ask_text(self, "Sửa thông tin", f"{label} mới:")
        if value is None:
            return
        reason = widgets.ask_text(self, "Sửa thông tin", "Lý do (theo yêu cầu của chủ thể):")
        if reason is None:
            return
        ops.Op(self, lambda db: subject.correct(db, item.id, field, value, reason),
               ops.DOSSIERS, doing="sửa dữ liệu cá nhân").success(lambda _: self.find()).run(self.db)
