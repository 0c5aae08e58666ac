"""The kiosk's three pages: start (the four faces), reasons (after a lower rating), thank-you.

Pages only show things and emit signals; the window decides what a tap means. Font sizes are
set by `scale()` from the window height, so the same page reads well on a 15" touch screen and
on a 24" monitor.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.kiosk import COMMENT_MAX, RATING_LABELS, REASONS, Invitation
from gui import shown
from gui.forms import limit_length
from gui.kiosk.faces import FaceBadge, RatingButton

RATINGS = tuple(RATING_LABELS)  # order on screen = keys 1, 2, 3, 4
TEXT = "#0D1B2A"
COMMENT_LABEL = "Ý kiến thêm (không bắt buộc):"


def _label(text: str = "", *, bold: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet(f"color: {TEXT};")
    font = label.font()
    font.setBold(bold)
    label.setFont(font)
    return label


def _set_px(widget: QWidget, pixels: float) -> None:
    font = QFont(widget.font())
    font.setPixelSize(max(11, int(pixels)))
    widget.setFont(font)


class StartPage(QWidget):
    """The question, the dossier being rated (or a walk-in greeting) and the four faces."""

    rated = Signal(str)

    def __init__(self, unit_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.unit = shown.plain(_label(shown.text(unit_name).upper(), bold=True))  # as stored
        self.question = _label("Ông/Bà có hài lòng với sự phục vụ của chúng tôi?", bold=True)
        self.dossier = _label()
        self.dossier.setTextFormat(Qt.TextFormat.RichText)
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        box = QVBoxLayout(self.banner)
        box.addWidget(self.dossier)
        self.buttons = {r: RatingButton(r) for r in RATINGS}
        for rating, button in self.buttons.items():
            button.clicked.connect(lambda _=False, r=rating: self.rated.emit(r))
        row = QHBoxLayout()
        row.setSpacing(18)
        for button in self.buttons.values():
            row.addWidget(button)
        self.notice = _label(bold=True)
        self.notice.setStyleSheet("color: #9A3412;")
        self.hint = _label("Chạm vào biểu tượng hoặc bấm phím 1, 2, 3, 4")
        self.hint.setStyleSheet("color: #37474F;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 16, 28, 8)
        for widget, stretch in ((self.unit, 0), (self.question, 0), (self.banner, 0)):
            layout.addWidget(widget, stretch)
        layout.addLayout(row, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.hint)
        self.show_invitation(None)

    def show_invitation(self, invitation: Invitation | None) -> None:
        if invitation is None:
            self.dossier.setText("Mời Ông/Bà đánh giá chất lượng phục vụ của bộ phận một cửa")
            self.banner.setProperty("dossier", False)
        else:
            self.dossier.setText(
                f"Hồ sơ <b>{_escape(invitation.code)}</b> — {_escape(invitation.procedure_name)}"
                f"<br>Người nộp: <b>{_escape(invitation.masked_name)}</b>")
            self.banner.setProperty("dossier", True)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)

    def scale(self, height: int) -> None:
        _set_px(self.unit, height * 0.028)
        _set_px(self.question, height * 0.050)
        _set_px(self.dossier, height * 0.032)
        _set_px(self.notice, height * 0.032)
        self.notice.setMinimumHeight(int(height * 0.05))  # a notice never shifts the buttons
        _set_px(self.hint, height * 0.024)


class ReasonsPage(QWidget):
    """Why the citizen was not satisfied: several reasons, an optional short comment."""

    submitted = Signal(list, str)
    skipped = Signal()
    touched = Signal()  # any interaction restarts the idle timer

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.chosen_label = _label()
        self.chosen_label.setStyleSheet("color: #37474F;")
        self.title = _label("Xin Ông/Bà cho biết lý do (có thể chọn nhiều):", bold=True)
        self.reasons = {}
        grid = QGridLayout()
        grid.setSpacing(16)
        for index, (code, text) in enumerate(REASONS.items()):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName("reason")
            button.setMinimumHeight(80)
            button.toggled.connect(lambda checked, b=button, t=text: self._mark(b, t, checked))
            self.reasons[code] = button
            grid.addWidget(button, index // 2, index % 2)
        self.comment_label = _label(COMMENT_LABEL)
        self.comment = QLineEdit()
        limit_length(self.comment, COMMENT_MAX)
        self.comment.setPlaceholderText("Chạm vào đây để viết ý kiến")
        self.comment.setMinimumHeight(64)
        self.comment.textEdited.connect(lambda _: self.touched.emit())
        self.send = QPushButton("Gửi ý kiến")
        self.send.setObjectName("primary")
        self.skip = QPushButton("Bỏ qua")
        self.skip.setObjectName("secondary")
        for button in (self.send, self.skip):
            button.setMinimumHeight(80)
        self.send.clicked.connect(lambda: self.submitted.emit(self.chosen(), self.comment.text()))
        self.skip.clicked.connect(self.skipped.emit)
        actions = QHBoxLayout()
        actions.setSpacing(24)
        actions.addWidget(self.skip, 1)
        actions.addWidget(self.send, 2)
        self.comment_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 24, 60, 24)
        layout.setSpacing(16)
        layout.addWidget(self.chosen_label)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.comment_label)
        layout.addWidget(self.comment)
        layout.addStretch(1)
        layout.addLayout(actions)

    def _mark(self, button: QPushButton, text: str, checked: bool) -> None:
        button.setText(f"✔  {text}" if checked else text)
        self.touched.emit()

    def chosen(self) -> list[str]:
        return [code for code, button in self.reasons.items() if button.isChecked()]

    def refuse(self, message: str) -> None:
        """Say under the comment why it cannot be sent (core.kiosk: a hidden character)."""
        self.comment_label.setText(message)
        self.comment_label.setStyleSheet("color: #C62828;")

    def reset(self, rating: str) -> None:
        self.comment_label.setText(COMMENT_LABEL)
        self.comment_label.setStyleSheet(f"color: {TEXT};")
        self.chosen_label.setText(f"Ông/Bà đã chọn: {RATING_LABELS[rating]} — đánh giá đã được ghi nhận")
        for button in self.reasons.values():
            button.setChecked(False)
        self.comment.clear()

    def scale(self, height: int) -> None:
        _set_px(self.chosen_label, height * 0.030)
        _set_px(self.title, height * 0.045)
        for widget in (*self.reasons.values(), self.send, self.skip):
            _set_px(widget, height * 0.038)
        for button in self.reasons.values():
            button.setMinimumHeight(int(height * 0.14))
        _set_px(self.comment_label, height * 0.032)
        _set_px(self.comment, height * 0.036)


class ThanksPage(QWidget):
    """The thank-you page; a tap returns to the start at once, otherwise a timer does."""

    tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.face = FaceBadge()
        self.title = _label("Xin cảm ơn Ông/Bà!", bold=True)
        self.body = _label("Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn.")
        self.rating = _label()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.face, 3, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.rating)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)

    def show_vote(self, rating: str, note: str = "") -> None:
        self.face.set_rating(rating)
        self.rating.setText(f"Ông/Bà đã chọn: {RATING_LABELS[rating]}")
        self.body.setText(note or "Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn.")

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.tapped.emit()

    def scale(self, height: int) -> None:
        side = int(height * 0.30)
        self.face.setFixedSize(side, side)
        _set_px(self.title, height * 0.075)
        _set_px(self.rating, height * 0.040)
        _set_px(self.body, height * 0.036)


def _escape(text: str) -> str:
    """A stored text on the public screen: by the one output rule (gui.shown), then escaped."""
    return shown.text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
