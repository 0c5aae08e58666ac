"""Tiếp nhận hồ sơ (Ctrl+N): a keyboard-first intake form with the live due time and its why."""
from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import limits, timefmt
from core.calendar import load_calendar
from core.dossiers import CHANNEL_VI
from core.due import Limit, statutory_due
from core.errors import FieldError
from core.explain import ONLINE_VI, explain, limit_text
from core.intake import (
    INCOMPLETE_AT_DESK,
    from_procedure,
    incomplete_at_desk,
    missing_required,
    receive,
)
from core.labels import RESULT_DELIVERY_VI
from core.rules import procedure_rule_at
from gui import ops, printing, shown, unit_preset, widgets
from gui.dossiers.desk_forms import DeskForms
from gui.dossiers.documents import IntakeDocuments
from gui.dossiers.procedure_picker import ProcedurePicker
from gui.one_save import OneSave
from gui.unsaved import AsksBeforeDropping

INCOMPLETE_LEAD = INCOMPLETE_AT_DESK.split("{")[0]  # the words before the missing names
MONEY_BOX_MAX = limits.MONEY_MAX  # core's range; a QSpinBox holds a C int, and this fits


def money_box(parent=None) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(0, MONEY_BOX_MAX)
    box.setSingleStep(1000)
    box.setSuffix(" đ")
    box.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    box.setGroupSeparatorShown(True)
    return box


COMPETENT_TIP = ("Đơn vị có thẩm quyền giải quyết hồ sơ, khi khác đơn vị tiếp nhận (tiếp nhận không "
                 "phụ thuộc địa giới hành chính); mã hồ sơ mang mã của đơn vị này")


class IntakeDialog(DeskForms, AsksBeforeDropping):
    def __init__(self, db, parent=None, now=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Tiếp nhận hồ sơ")
        self.resize(1180, 640)
        self.cal = load_calendar(db)
        self.created: tuple[int, str] | None = None
        self.procedure: dict | None = None
        self.refusal_reason = ""  # Mẫu 03's reason, kept while the form is open
        self._once = OneSave()
        self._build((now or timefmt.now)())
        self.procedure_edit.setFocus()

    def _build(self, now) -> None:
        layout = QVBoxLayout(self)
        self.form = widgets.ErrorForm()
        self._unit_boxes(now.date())
        # one line each: side by side a unit's name and code were cut ("UBND tỉnh Lạng Sơn (000")
        self.form.add("unit_code", "Đơn vị tiếp nhận", self.unit_box)
        competent = self.form.add("competent_unit_code", "Đơn vị giải quyết", self.competent_box)
        self.form.form.labelForField(competent.parentWidget()).setToolTip(COMPETENT_TIP)
        # the clerk's own unit, else their last choice here, else the office's desk (try25 F2)
        unit_preset.preset(self.db, self.unit_box, "intake")
        self.procedure_edit = self.form.add("procedure_code", "Thủ tục (*)", ProcedurePicker(self.db))
        self.procedure_edit.picked.connect(self._procedure_picked)
        self.procedure_info = shown.plain(QLabel("Chưa chọn thủ tục."))
        self.procedure_info.setWordWrap(True)
        self.form.form.addRow("", self.procedure_info)
        self.name_edit = self.form.add("applicant_name", "Họ tên người nộp (*)", QLineEdit())
        self.phone_edit = self.form.add("applicant_phone", "Số điện thoại", QLineEdit())
        self.id_edit = self.form.add("applicant_id_no", "Số định danh / MST", QLineEdit(
            placeholderText="12 số định danh cá nhân hoặc mã số doanh nghiệp"))
        self.email_edit = self.form.add("applicant_email", "Thư điện tử", QLineEdit())
        self.representative_edit = self.form.add("representative", "Người được ủy quyền",
                                                 QLineEdit(placeholderText="nếu có"))
        self.address_edit = self.form.add("applicant_address", "Địa chỉ", QLineEdit())
        self.channel_box = self.form.add("channel", "Kênh nộp", widgets.combo(CHANNEL_VI.items()))
        self.received_edit = self.form.add("received_at", "Thời điểm tiếp nhận",
                                           widgets.datetime_edit(now))
        self.received_edit.edited.connect(self.update_due)
        self.fee_box = self.form.add("fee", "Lệ phí", money_box())
        self.copies_box = self.form.add("copies", "Số bộ hồ sơ", QSpinBox(minimum=1, maximum=99))
        self.note_edit = self.form.add("note", "Ghi chú", QLineEdit())
        self.delivery_box = self.form.add("result_delivery", "Nhận kết quả",
                                          widgets.combo(RESULT_DELIVERY_VI.items()))
        # two columns: the applicant on the left, the documents and the due time on the right,
        # so the dialog fits a 1366×768 screen with its taskbar
        columns = QHBoxLayout()
        columns.addWidget(self.form, 4)  # a whole unit name with its code (issue 14 §5)
        right = QVBoxLayout()
        right.addWidget(self._documents_box(), 1)
        right.addWidget(self._due_panel())
        columns.addLayout(right, 3)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addLayout(self._buttons())

    def _unit_boxes(self, today) -> None:
        """The receiving desk and the unit that resolves the dossier (spec 1: empty = the
        receiving unit; it gives the code its prefix, spec 4)."""
        current = widgets.units(self.db, on=today)
        self.unit_box = widgets.combo(current, elide_middle=True)
        self.competent_box = widgets.combo(current, blank="Như đơn vị tiếp nhận",
                                           elide_middle=True)
        for box in (self.unit_box, self.competent_box):
            # a name longer than the form is cut in its middle (its code at the end stays in
            # sight), never widening the dialog; the box as wide as the form's other fields
            box.setMaximumWidth(16_777_215)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(16)
            # the whole name on hover, as typed (a unit's name may come in a package)
            box.currentTextChanged.connect(lambda name, b=box: b.setToolTip(shown.tip(name)))
            box.setToolTip(shown.tip(box.currentText()))

    def _documents_box(self) -> QWidget:
        box = QWidget()
        box.setLayout(QVBoxLayout())
        box.layout().setContentsMargins(0, 0, 0, 0)
        self.documents = IntakeDocuments()
        self.documents.itemChanged.connect(self._documents_ticked)
        self.form.add_to("components", box, self.documents)
        # a procedure without a document list: one flag for what was handed in (spec 5.1, 4.2)
        self.digitised_box = QCheckBox("Thành phần hồ sơ đã số hóa")
        self.digitised_box.setToolTip("Thủ tục không có danh sách thành phần hồ sơ: đánh dấu khi "
                                      "toàn bộ giấy tờ đã nhận được số hóa")
        self.digitised_box.hide()
        box.layout().addWidget(self.digitised_box, 0, Qt.AlignmentFlag.AlignTop)
        return box

    def _show_documents(self, items: list) -> None:
        """The list to tick, or the one flag when the procedure has no list."""
        self.documents.set_items(items)
        listed = bool(items) or self.procedure is None
        self.documents.setVisible(listed)
        self.digitised_box.setVisible(not listed)
        self.digitised_box.setChecked(False)

    def _due_panel(self) -> QWidget:
        panel = QWidget()
        panel.setStyleSheet("QWidget#duePanel { background: #eef4fb; border: 1px solid #c5d6ea; }")
        panel.setObjectName("duePanel")
        box = QVBoxLayout(panel)
        self.due_label = QLabel("Hạn trả kết quả: —")
        self.due_label.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.why_label = shown.plain(QLabel(""))  # it may quote what was typed: shown as typed
        self.why_label.setWordWrap(True)
        box.addWidget(self.due_label)
        box.addWidget(self.why_label)
        return panel

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.hint = QLabel("Enter: lưu · Esc: đóng")
        row.addWidget(self.hint)
        row.addStretch(1)
        self.save_button = QPushButton("Lưu (Enter)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save(print_receipt=False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        buttons.rejected.connect(self.close_asked)  # typed text is not dropped unasked
        row.addWidget(self.save_button)
        self.print_button = QPushButton("Lưu và in giấy tiếp nhận (Ctrl+P)")
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(lambda: self.save(print_receipt=True))
        row.addWidget(self.print_button)
        self.guide_button = QPushButton("Hướng dẫn bổ sung (Mẫu 02)…")
        self.guide_button.clicked.connect(self.guide)
        row.addWidget(self.guide_button)
        # only at the desk: a dossier by post or online is received with its request (core.intake)
        self.channel_box.currentIndexChanged.connect(
            lambda: self.guide_button.setVisible(self.channel_box.currentData() == "direct"))
        self.refuse_button = QPushButton("Từ chối tiếp nhận (Mẫu 03)…")
        self.refuse_button.clicked.connect(self.refuse)
        row.addWidget(self.refuse_button)
        row.addWidget(buttons)
        return row

    # ----- live values ----------------------------------------------------------------------
    def _procedure_picked(self, code: str) -> None:
        if not code:
            self.procedure = None
            self.procedure_info.setText("Chưa chọn thủ tục.")
            self._show_documents([])
            self.update_due()
            return
        row = self.db.execute("SELECT name, field, limit_value, limit_unit, same_day_cutoff, fee,"
                              " online_level FROM procedures WHERE code = ?", [code]).fetchone()
        self.procedure = {"code": code, "name": row[0], "field": row[1],
                          "limit": Limit(row[2], row[3], row[4]), "fee": row[5],
                          "online": row[6]}
        self.fee_box.setValue(row[5])
        self._show_documents(from_procedure(self.db, code))
        # the whole name first: the field above scrolls a long one out of sight, and two
        # procedures may differ only in their last words ("… của nước ngoài / Việt Nam cấp")
        self.procedure_info.setText(
            f"{row[0]}\n"
            # a cut-off after the end of office hours says the hour that counts (core.due)
            f"Thời hạn: {limit_text(self.procedure['limit'], self.cal.governing(timefmt.now()))}"
            f" · Lệ phí: {timefmt.vn_money(row[5])}"
            f" · Dịch vụ công trực tuyến: {ONLINE_VI.get(row[6], row[6])}"
            + (f" · Lĩnh vực: {row[1]}" if row[1] else ""))
        self.update_due()

    def update_due(self) -> None:
        if self.procedure is None:
            self.due_label.setText("Hạn trả kết quả: — (chọn thủ tục)")
            self.why_label.setText("")
            return
        problem = self.received_edit.problem()
        if problem is not None:  # the due time of a time that is not one: none, and why
            self.due_label.setText("Hạn trả kết quả: — (thời điểm tiếp nhận chưa đúng)")
            self.why_label.setText(problem)
            return
        received = widgets.from_edit(self.received_edit)
        # the rules in force on the reception day (spec 2.1): a back-dated intake keeps old ones
        cal = self.cal.governing(received)
        rule = procedure_rule_at(self.db, self.procedure["code"], received)
        limit = rule.limit() if rule else self.procedure["limit"]
        due = statutory_due(cal, received, limit)
        self.due_label.setText(f"Hạn trả kết quả: {timefmt.vn_datetime(due)}")
        self.why_label.setText("\n".join(explain(cal, received, limit, due)))

    # ----- saving ---------------------------------------------------------------------------
    def values(self) -> dict:
        fee = self.fee_box.value()
        return {
            "unit_code": self.unit_box.currentData(),
            "competent_unit_code": self.competent_box.currentData(),
            "procedure_code": self.procedure_edit.code or self.procedure_edit.text().strip(),
            "applicant_name": self.name_edit.text(),
            "applicant_phone": self.phone_edit.text(),
            "applicant_id_no": self.id_edit.text(),
            "applicant_address": self.address_edit.text(),
            "channel": self.channel_box.currentData(),
            "received_at": widgets.from_edit(self.received_edit),
            # the procedure's own fee is stored as "no override" (spec 7: empty = its fee)
            "fee": None if self.procedure and fee == self.procedure["fee"] else fee,
            "copies": self.copies_box.value(),
            "note": self.note_edit.text(),
            "applicant_email": self.email_edit.text(),
            "representative": self.representative_edit.text(),
            "result_delivery": self.delivery_box.currentData(),
            "components": self.documents.items(),
            "digitised": None if self.documents.rowCount() else self.digitised_box.isChecked(),
        }

    def save(self, *, print_receipt: bool) -> bool:
        """Receive the dossier once: a click queued behind the first (a quick second click on
        «Lưu» or «Lưu và in») is ignored, also once the dialog has saved (gui.one_save)."""
        if self.created is not None:
            return False  # saved: a click reaching the closed dialog receives nothing again
        return self._once.run(lambda: self._save(print_receipt))

    def _save(self, print_receipt: bool) -> bool:
        self.form.clear_errors()
        try:
            values = self.values()
        except FieldError as exc:  # a reception time that is not one: said, nothing saved
            self.form.show_error(exc.field, exc.message)
            return False
        if not self._incomplete_accepted(values):
            return False
        op = ops.Op(self, lambda db: receive(db, **values), ops.DOSSIERS, form=self.form,
                    doing="tiếp nhận hồ sơ")
        if not op.success(self._created).run(self.db):
            return False  # the form stays filled
        if print_receipt:
            printing.show_slip(self, self.db, "receipt", self.created[1])
        self.accept()
        return True

    def _documents_ticked(self) -> None:
        """The red 'thiếu thành phần bắt buộc' a save showed follows the ticks: it names what is
        still missing and goes once nothing is (it stayed red until the next save)."""
        label = self.form.errors.get("components")
        if label is None or label.isHidden() or not label.text().startswith(INCOMPLETE_LEAD):
            return  # no message, or another one about the documents: the next save says it
        still = incomplete_at_desk(self.documents.items(), self.channel_box.currentData())
        if still is None:
            self.form.clear_error("components")
        elif still != label.text():
            label.setText(still)

    def _incomplete_accepted(self, values: dict) -> bool:
        """A postal or online dossier lacking a required document is received with a supplement
        request at once (core.intake); the clerk confirms. At the desk core refuses it."""
        missing = missing_required(values["components"])
        if not missing or values["channel"] == "direct":
            return True
        return widgets.confirm(
            self, "Hồ sơ chưa đầy đủ", "Hồ sơ thiếu thành phần bắt buộc:\n• " + "\n• ".join(missing)
            + "\n\nTiếp nhận và ghi yêu cầu bổ sung, hoàn thiện hồ sơ ngay?",
            yes="Tiếp nhận và yêu cầu bổ sung", no="Quay lại")

    def _created(self, created: tuple[int, str]) -> None:
        self.created = created
        unit_preset.remember("intake", self.unit_box.currentData())
