"""What stops an import the preview shows, said whole beside "Nhập gói" (issue 16 §3, round 24
F8): the preview already knew an import would be refused (a clash kept both on a copied file
that may issue no code) yet let the clerk start it, to be refused after the whole pass, its
warning cut in a small box. The rule is core's (core.exchange.ready, the command's words
too); this panel says its reasons, word-wrapped and scrolling only past a few lines, keeps
"Nhập gói" disabled while any holds, and offers the action that lifts the one a click can
("Bỏ đánh dấu mọi “Giữ cả hai”"). Every choice in the preview asks the rule again."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.exchange import ready, recode
from gui import shown

RED = "#c62828"  # the dashboard's colour for what is wrong (gui.packages.RED)
LINES_MOST = 7  # lines shown before the reasons scroll (1366×728 keeps the conflicts in sight)
HEAD_VI = "Chưa nhập được:"


class _FitArea(QScrollArea):
    """As tall as its word-wrapped label at the width it gets, up to LINES_MOST lines (then it
    scrolls): a QScrollArea alone keeps one height whatever its text needs."""

    def __init__(self, label: QLabel):
        super().__init__()
        self.label = label
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit(self) -> None:
        width = max(self.viewport().width(), 200)
        most = LINES_MOST * self.label.fontMetrics().lineSpacing() + 12
        need = self.label.heightForWidth(width) + 4  # (no scroll bar for a rounding's pixel)
        if need > most:  # scrolls: the label then has the scroll bar's width less
            need = most
        if self.height() != need:
            self.setFixedHeight(need)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit()


class ReadyPanel(QWidget):
    """Above the buttons of PreviewDialog (gui.packages): the rule's reasons, and "Nhập gói"
    enabled only when there are none. `clashes`: the choice for the clashes the preview does
    not list (beyond its 500), passed to the import (gui.packages._run_import)."""

    def __init__(self, dialog, db):
        super().__init__(dialog)
        self.dialog, self.db = dialog, db
        self.clashes = recode.BOTH  # as previewed: every clash kept both unless unticked
        self.said = ready.Readiness()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet(f"color: {RED};")
        self.area = _FitArea(self.label)
        self.untick = QPushButton(f"{ready.UNTICK_BOTH_VI} (giữ hồ sơ của máy này)")
        self.untick.setToolTip("Hồ sơ của máy này giữ nguyên; hồ sơ của gói cùng mã không "
                               "vào máy này (không cần cấp mã mới).")
        self.untick.clicked.connect(self.untick_both)
        self.untick.hide()  # on the line of "Nhập gói" (PreviewDialog), shown for CODES
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.area)
        self.setObjectName("readyPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#readyPanel {{ border-top: 2px solid {RED}; }}")

    def watch(self) -> None:
        """Ask the rule again at every choice the preview offers; once now."""
        dialog = self.dialog
        boxes = [*dialog.boxes(), *dialog.both_boxes.values(), *dialog.reopen_boxes.values()]
        for box in boxes:  # (a version picked: PreviewDialog._count_left asks it)
            box.toggled.connect(self.update_said)
        self.update_said()

    def chosen(self) -> ready.Chosen:
        default, choices = self.dialog.choices()
        return ready.Chosen(default, choices, self.dialog.versions(), self.clashes)

    def update_said(self, *_args) -> None:
        dialog = self.dialog
        self.said = ready.readiness(self.db, dialog.results, dialog.crossed, self.chosen())
        dialog.go.setEnabled(self.said.can_start)
        dialog.go.setToolTip("" if self.said.can_start else shown.tip(self.said.text()))
        self.untick.setVisible(ready.CODES in self.said.kinds())
        # codes of several versions are said in place, over their table ("Còn N mã chưa
        # chọn", PreviewDialog._count_left): the panel would take its rows at 1366×728
        self.setVisible(bool(self.said.kinds() - {ready.VERSIONS}))
        # the head on the first reason's line: a line more for the conflicts at 1366×728
        self.label.setText(f"<b>{html.escape(HEAD_VI)}</b> " + "<br>".join(
            html.escape(block.reason) for block in self.said.blocks
            if block.kind != ready.VERSIONS))
        self.area.fit()

    def untick_both(self) -> None:
        """"Giữ cả hai" unticked everywhere, the unlisted clashes kept here too: no code to
        issue; the clerk may tick one again (the rule is asked again)."""
        self.clashes = recode.KEEP
        for box in [*self.dialog.both_boxes.values(), *self.dialog.reopen_boxes.values()]:
            box.setChecked(False)
        self.update_said()
