"""The small dialogs behind the dossier actions: a reason and a time, an extension, a payment,
a vote, a correction. Each returns plain values; the caller runs the core function and shows a
FieldError next to the field it names."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import cancelling, labels, limits, timefmt
from core.dossiers import CHANNEL_VI, CORRECTABLE
from core.due import proposed_extension
from gui import shown, widgets
from gui.dossiers.intake import MONEY_BOX_MAX, money_box
from gui.unsaved import AsksBeforeDropping

ACTION_VI = {
    "receive": "Tiếp nhận", "start_processing": "Chuyển xử lý",
    "request_supplement": "Yêu cầu bổ sung", "receive_supplement": "Nhận hồ sơ bổ sung",
    "finish": "Hoàn thành xử lý", "return_result": "Trả kết quả",
    "reject": "Từ chối giải quyết", "withdraw": "Công dân rút hồ sơ", "stop": "Dừng xử lý",
    "extend": "Gia hạn (phiếu xin lỗi, Mẫu 04)", "payment": "Thu phí, lệ phí",
    "correct": "Sửa thông tin", "vote": "Đánh giá",
    "cancel_payment": "Huỷ khoản thu", "cancel_vote": "Huỷ phiếu đánh giá",
    "digitise": "Ghi nhận số hóa", "complaint": "Nhận phản ánh, kiến nghị",
    "resolve_complaint": "Giải quyết phản ánh", "cancel_complaint": "Huỷ phản ánh",
    "recode": "Cấp mã mới khi nhập gói",
    "move_vote": "Nhận phiếu đánh giá chuyển từ mã khác",
}
METHOD_VI, RATING_VI = labels.METHOD_VI, labels.RATING_VI  # core's one table of each


class FormDialog(AsksBeforeDropping):
    """A titled ErrorForm with OK/Cancel; `run()` returns True when the clerk confirmed."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.form = widgets.ErrorForm()
        layout.addWidget(self.form)
        self.buttons = widgets.button_box(QDialogButtonBox.StandardButton.Ok,
                                          QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.close_asked)  # typed text is not dropped unasked
        layout.addWidget(self.buttons)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        # The subclasses add their fields after the buttons were made, so Qt's focus chain
        # began with "Đồng ý": the dialog opened on it, the amount a clerk typed went nowhere
        # and Enter saved the amount filled in beforehand. Fields first, buttons last.
        widgets.fields_before_buttons(self, self.buttons)
        super().showEvent(event)


class ActionDialog(FormDialog):
    """Time of the action (default now), a reason when needed, e-result for `finish`."""

    def __init__(self, action: str, parent=None, *, needs_reason: bool, now: dt.datetime):
        super().__init__(ACTION_VI.get(action, action), parent)
        self.at_edit = self.form.add("at", "Thời điểm", widgets.datetime_edit(now))
        self.reason_edit = self.form.add("reason", "Lý do" + (" (*)" if needs_reason else ""),
                                         widgets.TextBox()) if needs_reason or action == "extend" else None
        self.e_result = self.form.add("e_result", "Kết quả điện tử", QCheckBox(
            "Đã cấp kết quả điện tử")) if action == "finish" else None
        self.result_digitised = self.form.add("result_digitised", "Kết quả đã số hóa", QCheckBox(
            "Kết quả đã được số hóa (chụp, quét lưu vào hệ thống)")) if action == "finish" else None
        if self.reason_edit is not None:
            self.reason_edit.setFixedHeight(70)
            self.reason_edit.setFocus()

    def values(self) -> dict:
        out = {"at": widgets.from_edit(self.at_edit)}
        if self.reason_edit is not None:
            out["reason"] = self.reason_edit.toPlainText()
        if self.e_result is not None and self.result_digitised is not None:
            out["e_result"] = self.e_result.isChecked()
            out["result_digitised"] = self.result_digitised.isChecked()
        return out


class ExtendDialog(FormDialog):
    def __init__(self, parent=None, *, current_due: dt.datetime | None, now: dt.datetime, cal):
        super().__init__("Gia hạn — phiếu xin lỗi và hẹn lại ngày trả (Mẫu 04)", parent)
        # never a day already past, on a working day (core.due.proposed_extension)
        proposed = proposed_extension(cal, current_due, now)
        # the due it moves, as the window's header and Mẫu 04 say it (with the supplement waits)
        self.current_note = widgets_note(timefmt.vn_datetime(current_due) if current_due
                                         else "đang tạm dừng chờ bổ sung")
        self.form.form.addRow("Hạn trả hiện tại", self.current_note)
        self.due_edit = self.form.add("new_due_at", "Hẹn trả mới", widgets.datetime_edit(proposed))
        self.reason_edit = self.form.add("reason", "Lý do chậm (*)", widgets.TextBox())
        self.reason_edit.setFixedHeight(80)
        self.form.form.addRow("", widgets_note(
            "Chỉ được hẹn lại một lần (quy định có từ Nghị định 61/2018 Điều 19, nay theo "
            "Nghị định 118/2025). Lý do in trên phiếu xin lỗi (Mẫu 04, Thông tư 03/2025/TT-VPCP)."))

    def values(self) -> dict:
        return {"new_due_at": widgets.from_edit(self.due_edit),
                "reason": self.reason_edit.toPlainText()}


class PaymentDialog(FormDialog):
    """Amount (the fee still due), method (core.payments.default_method of the dossier), time."""

    def __init__(self, parent=None, *, fee: int, now: dt.datetime, method: str = "cash",
                 paid: int = 0):
        super().__init__("Ghi nhận thanh toán phí, lệ phí", parent)
        self.amount = self.form.add("amount", "Số tiền", money_box())
        self.amount.setValue(max(fee - paid, 0))
        self.method = self.form.add("method", "Hình thức", widgets.combo(METHOD_VI.items()))
        widgets.select_value(self.method, method)
        self.form.form.addRow("", widgets_note(
            f"Lệ phí {timefmt.vn_money(fee)} · đã thu {timefmt.vn_money(paid)}."))
        self.paid_at = self.form.add("paid_at", "Thời điểm", widgets.datetime_edit(now))
        self.reference = self.form.add("reference", "Số biên lai / mã giao dịch", QLineEdit())

    def values(self) -> dict:
        return {"amount": self.amount.value(), "method": self.method.currentData(),
                "paid_at": widgets.from_edit(self.paid_at), "reference": self.reference.text()}


class CancelDialog(FormDialog):
    """Cancel a payment or a vote entered by mistake: what it is, and a reason (required)."""

    def __init__(self, title: str, what: str, parent=None):
        super().__init__(title, parent)
        self.form.form.addRow(widgets_note(  # across the form, as the refusal's
            what + f" Dòng này được giữ trong lịch sử, đánh dấu “{cancelling.CANCELLED}”, và "
            "không còn được tính vào chỉ tiêu."))
        self.add_choice()
        self.reason_edit = self.form.add("reason", "Lý do huỷ (*)", widgets.TextBox())
        self.reason_edit.setFixedHeight(70)
        self.reason_edit.setFocus()

    def add_choice(self) -> None:
        """What to cancel, when there is a choice: above the reason (gui.dossiers.vote_cancel)."""

    def values(self) -> dict:
        return {"reason": self.reason_edit.toPlainText()}


class RefusalDialog(FormDialog):
    """The reason a request is refused at the desk (Mẫu 03); nothing is saved."""

    def __init__(self, parent=None):
        super().__init__("Từ chối tiếp nhận hồ sơ (Mẫu 03)", parent)
        # what the dialog is about: across the form, not in the fields' column under an empty
        # label (a blank band at its left, walk35's shot 34)
        self.note = widgets_note(
            "Hồ sơ bị từ chối tại bộ phận một cửa không được tiếp nhận, không có mã hồ sơ và không "
            "được lưu; phiếu in từ các thông tin đang nhập.")
        self.form.form.addRow(self.note)
        self.reason_edit = self.form.add("reason", "Lý do từ chối (*)", widgets.TextBox())
        self.reason_edit.setFixedHeight(70)
        self.reason_edit.setFocus()

    def values(self) -> dict:
        return {"reason": self.reason_edit.toPlainText()}


class RatingPicker(QWidget):
    """Four big radio buttons, keys 1–4."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        for number, (value, label) in enumerate(RATING_VI.items(), start=1):
            button = QRadioButton(f"&{number}. {label}")
            button.setProperty("rating", value)
            self.group.addButton(button)
            layout.addWidget(button)

    def value(self) -> str | None:
        button = self.group.checkedButton()
        return button.property("rating") if button else None

    def set_value(self, rating: str) -> None:
        for button in self.group.buttons():
            button.setChecked(button.property("rating") == rating)


class VoteDialog(FormDialog):
    def __init__(self, parent=None, *, now: dt.datetime, title="Phiếu đánh giá của người dân"):
        super().__init__(title, parent)
        self.rating = self.form.add("rating", "Mức độ hài lòng (*)", RatingPicker())
        self.voted_at = self.form.add("voted_at", "Thời điểm", widgets.datetime_edit(now))
        self.comment = self.form.add("comment", "Góp ý", widgets.TextBox())
        self.comment.setFixedHeight(60)

    def values(self) -> dict:
        return {"rating": self.rating.value() or "", "voted_at": widgets.from_edit(self.voted_at),
                "comment": self.comment.toPlainText()}


class CorrectDialog(FormDialog):
    """Correct one field with a reason; the editor follows the field's kind."""

    def __init__(self, db, parent=None, *, current: dict):
        super().__init__("Sửa thông tin hồ sơ", parent)
        self.db, self.current = db, current
        self.field_box = self.form.add("field", "Trường cần sửa", widgets.combo(CORRECTABLE.items()))
        self.field_box.currentIndexChanged.connect(self._field_changed)
        self.text = self.form.add("value", "Giá trị mới", QLineEdit())
        self.moment = self.form.add("value_time", "Giá trị mới (thời điểm)", widgets.datetime_edit())
        self.choice = self.form.add("value_choice", "Giá trị mới (chọn)", widgets.combo([]))
        self.number = self.form.add("value_number", "Giá trị mới (số)", QSpinBox(maximum=2_000_000_000))
        self.reason = self.form.add("reason", "Lý do sửa (*)", QLineEdit())
        self._field_changed()

    def field(self) -> str:
        return self.field_box.currentData()

    def editor(self) -> str:
        """The form name of the editor shown for the chosen field (where its errors go)."""
        return {"text": "value", "time": "value_time", "choice": "value_choice",
                "number": "value_number"}[self._kind()]

    def _kind(self) -> str:
        field = self.field()
        if field in ("received_at", "due_at"):
            return "time"
        if field in ("procedure_code", "channel", "e_result"):
            return "choice"
        if field in ("fee", "copies"):
            return "number"
        return "text"

    def _field_changed(self) -> None:
        kind, field, old = self._kind(), self.field(), self.current.get(self.field())
        for name, widget in (("value", self.text), ("value_time", self.moment),
                             ("value_choice", self.choice), ("value_number", self.number)):
            visible = {"text": "value", "time": "value_time", "choice": "value_choice",
                       "number": "value_number"}[kind] == name
            widget.parentWidget().setVisible(visible)
            self.form.form.labelForField(widget.parentWidget()).setVisible(visible)
        if kind == "text":
            # the chosen field's own limit (core.limits); a longer old value shows cut to it
            widgets.limit_length(self.text, limits.text_limit(field) or 32767)
            # neutralised (gui.shown): an old value's bidi override turned the editor's letters
            # around; saved, the value is then stored by the rule, the old one kept in history
            self.text.setText(shown.text(old))
            self.refilled(self.text)  # the stored value, not the clerk's typing (gui.unsaved)
        elif kind == "time":
            moment = timefmt.parse_db_time(old) if old else timefmt.now()
            self.moment.set_value(moment)
        elif kind == "number":
            low, high = limits.COPIES if field == "copies" else (0, MONEY_BOX_MAX)
            self.number.setRange(low, high)
            # clamped here: an absurd old fee (2^63-1) would overflow the box's C int
            self.number.setValue(max(low, min(int(old or 0), high)))
        else:
            self.choice.clear()
            items = {"channel": list(CHANNEL_VI.items()), "e_result": [(0, "Không"), (1, "Có")],
                     "procedure_code": widgets.procedures(self.db)}[field]
            for value, label in items:
                self.choice.addItem(label, value)
            widgets.select_value(self.choice, old)

    def values(self) -> dict:
        kind = self._kind()
        value = {"text": lambda: self.text.text(), "time": lambda: widgets.from_edit(self.moment),
                 "choice": lambda: self.choice.currentData(),
                 "number": lambda: self.number.value()}[kind]()
        return {"field": self.field(), "value": value, "reason": self.reason.text()}


def widgets_note(text: str):
    """A grey note in a form; plain: it quotes what was stored (a complaint, a reason)."""
    label = shown.label(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


BUTTON_VI = {
    "start_processing": "Chuyển xử lý", "request_supplement": "Yêu cầu bổ sung…",
    "receive_supplement": "Nhận bổ sung…", "finish": "Hoàn thành xử lý…",
    "return_result": "Trả kết quả…", "reject": "Từ chối giải quyết…",
    "withdraw": "Công dân rút hồ sơ…", "stop": "Dừng xử lý…", "extend": "Gia hạn (Mẫu 04)…",
}
# Where each action sits (issue 14 §6): the usual steps on the first row, the side exits on the
# second; one that is not possible now is disabled in its place, never removed.
# which core.accounts.PERMISSIONS action each button of the dossier window needs (the steps
# and exits not named are "dossier.act")
PERMISSION = {"extend": "dossier.extend", "correct": "dossier.correct",
              "payment": "payment.record", "cancel_payment": "payment.record",
              "invite": "vote.record", "vote": "vote.record", "cancel_vote": "vote.record",
              "print": "slip.print"}
STEPS = ("start_processing", "request_supplement", "receive_supplement", "finish", "return_result")
EXITS = ("extend", "reject", "withdraw", "stop")
NEXT_STEP = {"start_processing": ("finish",), "request_supplement": ("receive_supplement",),
             "receive_supplement": ("finish",), "finish": ("return_result",),
             "return_result": ("close",), "extend": ("print", "finish"),
             "reject": ("close",), "withdraw": ("close",), "stop": ("close",)}
