"""The dossier window's "Phản ánh, kiến nghị" tab (issue 17): the complaints about the dossier
and the three things a clerk does with them, each through core.complaints (which checks,
records who and refreshes the dossier's 766 figures): add one, record its resolution, cancel
one entered by mistake (kept, marked "Đã huỷ")."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from core import cancelling, complaints, empty_lists, limits
from core.labels import COMPLAINT_CHANNEL_VI
from gui import ops, permissions, shown, widgets
from gui.dossiers.actions import CancelDialog, FormDialog, widgets_note
from gui.dossiers.detail_text import when
from gui.empty_list import SaysWhyEmpty

HEADERS = ("Nhận lúc", "Kênh", "Nội dung", "Kết quả giải quyết", "Tình trạng")


def _text_box(field: str, height: int = 70) -> QPlainTextEdit:
    box = widgets.TextBox()
    box.setFixedHeight(height)
    box.setToolTip(f"Tối đa {limits.text_limit(field)} ký tự")
    return box


class ComplaintDialog(FormDialog):
    """A complaint received: when, by which channel, what it says."""

    def __init__(self, parent=None, *, now: dt.datetime):
        super().__init__("Thêm phản ánh, kiến nghị", parent)
        self.received_at = self.form.add("received_at", "Nhận lúc", widgets.datetime_edit(now))
        self.channel = self.form.add("channel", "Kênh tiếp nhận",
                                     widgets.combo(COMPLAINT_CHANNEL_VI.items()))
        self.content = self.form.add("content", "Nội dung (*)", _text_box("content", 90))
        self.content.setFocus()

    def values(self) -> dict:
        return {"received_at": widgets.from_edit(self.received_at),
                "channel": self.channel.currentData(), "content": self.content.toPlainText()}


class ResolveDialog(FormDialog):
    """How the complaint was resolved, and when."""

    def __init__(self, parent=None, *, what: str, now: dt.datetime, current: str | None = None):
        super().__init__("Ghi kết quả giải quyết phản ánh", parent)
        self.form.form.addRow("", widgets_note(f"Phản ánh: {limits.clip(what, '', 300)}"))
        self.resolution = self.form.add("resolution", "Kết quả giải quyết (*)",
                                        _text_box("resolution", 90))
        self.resolution.setPlainText(current or "")
        self.resolved_at = self.form.add("resolved_at", "Giải quyết lúc",
                                         widgets.datetime_edit(now))
        self.resolution.setFocus()

    def values(self) -> dict:
        return {"resolution": self.resolution.toPlainText(),
                "resolved_at": widgets.from_edit(self.resolved_at)}


class ComplaintsTable(SaysWhyEmpty, widgets.ChoiceTable):
    """The dossier's complaints; empty, it says there is none yet (gui.empty_list)."""


class ComplaintsBox(QWidget):
    def __init__(self, db, dossier_id: int, code: str, now: Callable[[], dt.datetime],
                 parent=None):
        super().__init__(parent)
        self.db, self.dossier_id, self.code, self._now = db, dossier_id, code, now
        self.items = complaints.dossier_complaints(db, dossier_id)
        self.title = f"Phản ánh, kiến nghị ({sum(not c.cancelled_at for c in self.items)})"
        layout = QHBoxLayout(self)
        layout.addWidget(self._table(), 1)
        side = QVBoxLayout()
        for name, label, slot in (("add_button", "Thêm…", self.add),
                                  ("resolve_button", "Ghi kết quả giải quyết…", self.resolve),
                                  ("cancel_button", "Huỷ…", self.cancel)):
            button = QPushButton(label)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            permissions.guard(button, "complaint.record")
            setattr(self, name, button)
            side.addWidget(button)
        live = any(not c.cancelled_at for c in self.items)
        for button in (self.resolve_button, self.cancel_button):
            button.setEnabled(live)
            button.setToolTip("" if live else "Hồ sơ chưa có phản ánh nào (chưa huỷ).")
        side.addStretch(1)
        layout.addLayout(side)

    def _table(self) -> QTableWidget:
        # (with two live complaints, the one a button acts on is the row the clerk chose,
        # never the first row made current by Tab)
        table = ComplaintsTable(len(self.items), len(HEADERS))
        table.empty_text = lambda: empty_lists.complaints(permissions.allowed("complaint.record"))
        table.setHorizontalHeaderLabels(HEADERS)
        for row, c in enumerate(self.items):
            resolution = c.resolution or ""
            if c.resolved_at:
                resolution = f"{resolution} ({when(c.resolved_at)})"
            # cancelled: "Đã huỷ", when and why on hover (core.cancelling, as the lists)
            status = c.status_vi
            for column, text in enumerate((when(c.received_at), c.channel_vi, c.content,
                                           resolution, status)):
                item = shown.item(limits.clip(text, "", 300),
                                  cancelling.note(c.cancelled_at, c.cancel_reason)
                                  if column == 4 and c.cancelled_at else text)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        table.resizeColumnsToContents()
        for column in (1, 4):  # a long channel or reason is cut here, whole in its tooltip
            table.setColumnWidth(column, min(table.columnWidth(column), 150))
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table = table
        return table

    def chosen(self, title: str) -> complaints.Complaint | None:
        """The selected complaint, or the only live one; else the clerk is told to pick one."""
        row = self.table.currentRow()
        live = [c for c in self.items if not c.cancelled_at]
        picked = self.items[row] if 0 <= row < len(self.items) else \
            (live[0] if len(live) == 1 else None)
        if picked is None or picked.cancelled_at:
            widgets.inform(self, title, "Hãy chọn trong bảng phản ánh cần xử lý (phản ánh "
                           "chưa huỷ).")
            return None
        return picked

    def add(self) -> bool:
        dossier_id = self.dossier_id
        return ops.run_form(ComplaintDialog(self, now=self._now()), self.db,
                            lambda db, v: complaints.add_complaint(db, dossier_id, **v),
                            ops.DOSSIERS, fallback="content", doing="ghi phản ánh, kiến nghị")

    def resolve(self) -> bool:
        picked = self.chosen("Ghi kết quả giải quyết")
        if picked is None:
            return False
        dialog = ResolveDialog(self, what=picked.content, now=self._now(),
                               current=picked.resolution)
        return ops.run_form(dialog, self.db, lambda db, v: complaints.resolve_complaint(
            db, picked.id, **v), ops.DOSSIERS, fallback="resolution",
            doing="ghi kết quả xử lý phản ánh")

    def cancel(self) -> bool:
        picked = self.chosen("Huỷ phản ánh")
        if picked is None:
            return False
        what = f"Huỷ phản ánh “{limits.clip(picked.content, '', 80)}” của hồ sơ {self.code}."
        dialog = CancelDialog("Huỷ phản ánh, kiến nghị", what, self)
        return ops.run_form(dialog, self.db, lambda db, v: complaints.cancel_complaint(
            db, picked.id, **v), ops.DOSSIERS, fallback="reason", doing="huỷ phản ánh, kiến nghị")
