"""Pick a procedure by typing part of its name or code, with or without diacritics."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QListView, QStyledItemDelegate

from core import vnsort
from core.textnorm import fold

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2


class FoldingCompleter(QCompleter):
    """Matches the folded text typed ("chung thuc" finds "Chứng thực") anywhere in the entry."""

    def __init__(self, model, parent=None):
        super().__init__(model, parent)
        self.setCompletionRole(FOLDED_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)
        wrap_entries(self.popup())

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index) -> str:
        return index.data(Qt.ItemDataRole.DisplayRole)


WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class _WrappingDelegate(QStyledItemDelegate):
    """Each entry as tall as its name needs at the list's width. Cut to one line with "…",
    2.000843 and 2.000908 read the same ("Chứng thực bản sao từ bản chính giấy tờ, văn bản do
    cơ qu…"): they differ only at the end, "của nước ngoài" / "của Việt Nam"."""

    MARGIN = 8  # px: the style's text margins on both sides, and a little air

    def __init__(self, view: QListView):
        super().__init__(view)
        self.view = view

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.features |= option.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideNone

    def sizeHint(self, option, index) -> QSize:
        width = max(50, self.view.viewport().width() - self.MARGIN)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        box = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000), int(WRAP), text)
        return QSize(width, box.height() + 4)


def wrap_entries(popup: QListView) -> None:
    """The completer's list wraps long names instead of cutting them; rows are measured again
    whenever the list changes width (it takes the width of the line edit it opens under)."""
    popup.setItemDelegate(_WrappingDelegate(popup))
    popup.setWordWrap(True)
    popup.setUniformItemSizes(False)
    popup.setResizeMode(QListView.ResizeMode.Adjust)
    popup.setTextElideMode(Qt.TextElideMode.ElideNone)
    popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    popup.setAlternatingRowColors(True)  # where one two-line name ends and the next begins


class ProcedurePicker(QLineEdit):
    """A line edit whose completer lists the catalogue; `picked(code)` fires on a choice."""

    picked = Signal(str)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.setPlaceholderText("Gõ mã hoặc một phần tên thủ tục (không dấu được)…")
        self.code: str | None = None
        self.items = QStandardItemModel(self)
        self._labels: dict[str, str] = {}
        # Vietnamese order of the names (SQLite's ORDER BY puts "Đăng ký" after "Yêu cầu")
        rows = vnsort.sorted_vn(db.execute("SELECT code, name FROM procedures").fetchall(),
                                lambda row: row[1])
        for code, name in rows:
            label = f"{code} — {name}"
            item = QStandardItem(label)
            item.setData(fold(label), FOLDED_ROLE)
            item.setData(code, CODE_ROLE)
            self.items.appendRow(item)
            self._labels[code] = label
        self.completer_ = FoldingCompleter(self.items, self)
        self.setCompleter(self.completer_)
        self.completer_.activated[str].connect(self._chosen_text)
        self.textEdited.connect(self._edited)

    def _chosen_text(self, text: str) -> None:
        code = text.split(" — ", 1)[0]
        if code in self._labels:
            self.set_code(code)

    def _edited(self, text: str) -> None:
        """Typing an exact code picks it; typing anything else forgets the earlier choice."""
        code = text.strip()
        if code in self._labels:
            self.set_code(code)
        elif self.code is not None and text != self._labels.get(self.code):
            self.code = None
            self.picked.emit("")

    def set_code(self, code: str) -> None:
        self.code = code
        self.setText(self._labels[code])
        self.picked.emit(code)

    def count(self) -> int:
        return self.items.rowCount()
