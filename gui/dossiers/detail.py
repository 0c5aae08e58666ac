"""One dossier: all its fields, the timeline of events, and only the actions allowed now."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import components, dossier_votes, kiosk, payments, timefmt, votes
from core import dossiers as core_dossiers
from core import live_due as livedue
from core.actor_names import Names
from core.calendar import load_calendar
from core.dossiers import CHANNEL_VI, CORRECTABLE, STATUS_VI, FieldError
from core.exchange import recode
from core.labels import RESULT_DELIVERY_VI
from core.limits import clip
from core.privacy import access
from core.register import time_left
from core.rules import procedure_rule_at
from gui import bus, ops, permissions, printing, widgets
from gui.dossiers import actions, detail_text
from gui.dossiers.complaints_box import ComplaintsBox
from gui.dossiers.detail_text import (
    clear_layout,
    event_details,
    reserve_lines,
    unit_text,
    when,
)
from gui.dossiers.documents_box import DocumentsBox, SupplementDialog, SupplementReceiptDialog
from gui.dossiers.payments_box import PaymentsBox
from gui.dossiers.print_menu import PrintMenu
from gui.dossiers.vote_cancel import VoteCancelDialog

EVENT_SHOWN = 2000  # characters of one history cell; an old event may carry a huge old value
FIELDS_SQL = """
SELECT d.*, p.name AS procedure_name, p.limit_value, p.limit_unit, p.same_day_cutoff,
       p.fee AS procedure_fee, u.name AS unit_name,
       (SELECT c.name FROM units c WHERE c.code = d.competent_unit_code) AS competent_name,
       (SELECT a.sender_code FROM code_aliases a WHERE a.local_code = d.code) AS original_code
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code JOIN units u ON u.code = d.unit_code
WHERE d.id = ?"""


class DossierDialog(PrintMenu, QDialog):
    SHOWS = ops.DOSSIERS | ops.PAYMENTS | ops.VOTES | ops.CATALOGUE

    def __init__(self, db, dossier_id: int, parent=None, now=None):
        super().__init__(parent)
        self.db, self.dossier_id = db, dossier_id
        self._now = now or (lambda: timefmt.now())
        outer = QVBoxLayout(self)
        self.layout_ = QVBoxLayout()  # the dossier's contents, rebuilt by reload()
        outer.addLayout(self.layout_, 1)
        # the actions are built once and stay where they are (issue 14 §6): a click after an
        # action never lands on another one that moved into its place
        outer.addWidget(self._action_panel())
        # more history rows on a big screen; fit_to_screen clamps it on a 1366×768 one
        widgets.fit_to_screen(self, 1100, 880)
        self.reload()
        # the window shows the applicant's phone, ID number and address: Law 91/2025 asks
        # who saw them (core.privacy.access; the administrator reads the log)
        access.record(db, "dossier.view", dossier_id)
        # a vote from the kiosk (this process or another) shows here without reopening
        bus.bus().executed.connect(self._executed)
        self.finished.connect(self._detach)

    def _executed(self, changes: ops.Changes) -> None:
        if changes.touches(self.SHOWS):
            self.reload()

    def _detach(self) -> None:
        try:
            bus.bus().executed.disconnect(self._executed)
        except (RuntimeError, TypeError):
            pass  # finished twice: already detached

    # ----- reading --------------------------------------------------------------------------
    def load(self) -> dict:
        cursor = self.db.execute(FIELDS_SQL, [self.dossier_id])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))

    def reload(self) -> None:
        tab = self.tabs.currentIndex() if getattr(self, "tabs", None) is not None else 0
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
            elif item.layout():
                clear_layout(item.layout())
        self.d = self.load()
        self.setWindowTitle(f"Hồ sơ {self.d['code']}")
        self.layout_.addWidget(self._header())
        self.layout_.addWidget(self._fields())
        self.payments_box = None
        if self._fee() or self.db.execute("SELECT 1 FROM payments WHERE dossier_id = ?",
                                          [self.dossier_id]).fetchone():
            self.payments_box = PaymentsBox(self.db, self.dossier_id)
            self.layout_.addWidget(self.payments_box)
        self.documents = components.dossier_components(self.db, self.dossier_id)
        self.documents_box = DocumentsBox(self.db, self.dossier_id, self.documents, self.d)
        self.tabs = self.documents_box.beside(self._timeline())
        # complaints (issue 17) in a third tab; the tab the clerk was on stays open on reload
        self.complaints_box = ComplaintsBox(self.db, self.dossier_id, self.d["code"], self._now)
        self.tabs.addTab(self.complaints_box, self.complaints_box.title)
        self.tabs.setCurrentIndex(tab)
        self.layout_.addWidget(self.tabs, 1)
        self._update_actions()

    def _due(self):
        d = self.d
        # the office hours and limit in force when it was received (spec 2.1)
        cal = load_calendar(self.db).governing(timefmt.parse_db_time(d["received_at"]))
        rule = procedure_rule_at(self.db, d["procedure_code"],
                                 timefmt.parse_db_time(d["received_at"]))
        waits = livedue.load_waits(self.db, [self.dossier_id]).get(self.dossier_id, [])
        due = livedue.dossier_due(cal, livedue.clerk_policy(self.db), calc_due=d["calc_due_at"],
                                  limit=rule.limit(), waits=waits, status=d["status"],
                                  finished_at=d["finished_at"],
                                  extended_due_at=d["extended_due_at"], now=self._now(),
                                  received_at=d["received_at"])
        return cal, due

    def _header(self) -> QLabel:
        d = self.d
        cal, due = self._due()
        # the words of the register's column (it said "đang tạm dừng chờ bổ sung" here)
        state = time_left(d["status"], due, d["finished_at"], cal, self._now())
        # a dossier re-coded at an import (two PCs gave its code to two dossiers): its
        # sender's code, which the citizen's receipt and the sender's records carry
        original = (f" &nbsp;({recode.ORIGINAL_VI} {d['original_code']})"
                    if d["original_code"] else "")
        label = QLabel(f"<b style='font-size:13pt'>{d['code']}</b>{original} &nbsp; "
                       f"{STATUS_VI[d['status']]} &nbsp;·&nbsp; Hạn trả: "
                       f"{timefmt.vn_datetime(due) if due else '—'}{self._appointment(due)}"
                       f" &nbsp;·&nbsp; <b>{state}</b>")
        self.header_label = label
        return label

    def _appointment(self, due) -> str:
        """The day promised to the citizen by an extension (Mẫu 04), when the due time shown is
        another: with the setting due_basis 'original' (the default, spec 2.3) the time left
        and the figures count from the original due time, but the clerk must see the new day
        the citizen was given."""
        extended = self.d["extended_due_at"]
        if not extended or self.d["status"] not in livedue.OPEN:
            return ""
        moment = timefmt.parse_db_time(extended)
        return "" if moment == due else f" (hẹn lại {timefmt.vn_datetime(moment)})"

    def _fields(self) -> QGroupBox:
        d = self.d
        box = QGroupBox("Thông tin hồ sơ")
        grid = QGridLayout(box)
        fee, paid = self._fee(), payments.paid_total(self.db, self.dossier_id)
        # clip: a value stored by an older version (a 10 MB name) must not freeze the dialog
        pairs = [
            ("Thủ tục", f"{d['procedure_code']} — {clip(d['procedure_name'], 'name')}"),
            ("Đơn vị", unit_text(d)),
            ("Người nộp", clip(d["applicant_name"], "applicant_name") or ""),
            ("Điện thoại", clip(d["applicant_phone"], "applicant_phone") or ""),
            ("Số định danh", clip(d["applicant_id_no"], "applicant_id_no") or ""),
            ("Thư điện tử", clip(d["applicant_email"], "applicant_email") or ""),
            ("Người được ủy quyền", clip(d["representative"], "representative") or ""),
            ("Nhận kết quả", RESULT_DELIVERY_VI.get(d["result_delivery"], "")),
            ("Địa chỉ", clip(d["applicant_address"], "applicant_address") or ""),
            ("Kênh nộp", CHANNEL_VI.get(d["channel"], d["channel"])),
            ("Tiếp nhận", when(d["received_at"])),
            ("Hạn theo quy định", when(d["calc_due_at"])),
            ("Hạn gia hạn", when(d["extended_due_at"])),
            ("Xử lý xong", when(d["finished_at"])), ("Trả kết quả", when(d["returned_at"])),
            ("Lệ phí", timefmt.vn_money(fee or 0)), ("Đã thu", timefmt.vn_money(paid)),
            ("Kết quả điện tử", "Có" if d["e_result"] else "Không"),
            ("Số bộ", str(d["copies"])),
            ("Đánh giá", self._vote_text()),
            ("Ghi chú", clip(d["note"], "note") or ""),
        ]
        # the long values take whole lines, the short ones three to a line: the dialog keeps
        # its height on a 728-px screen, and a long name its lines (issue 14 §2, §5)
        row = col = 0
        for label, value in pairs:
            wide = label in detail_text.WIDE_FIELDS
            if wide and col:
                row, col = row + 1, 0
            grid.addWidget(QLabel(f"<span style='color:#555'>{label}:</span>"), row, col * 2)
            text = QLabel(value)
            text.setWordWrap(True)
            # a word longer than the column (an old absurd value) is cut, not widening the dialog
            text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(text, row, col * 2 + 1, 1, detail_text.PER_LINE * 2 - 1 if wide else 1)
            reserve_lines(text, self.width() * (0.8 if wide else 0.8 / detail_text.PER_LINE))
            if label == "Đánh giá":
                self.vote_label = text
                if self.votes_extra:  # seen on the dossier, not only by `check`
                    text.setStyleSheet(widgets.ERROR_STYLE)
            col = detail_text.PER_LINE if wide else col + 1
            if col == detail_text.PER_LINE:
                row, col = row + 1, 0
        for value_column in range(1, detail_text.PER_LINE * 2, 2):
            grid.setColumnStretch(value_column, 1)
        grid.setVerticalSpacing(3)  # lines of text, not of boxes: room for a wrapped name
        return box

    def _vote_text(self) -> str:
        text, self.votes_extra = dossier_votes.window_line(self.db, self.dossier_id, self._now())
        return text

    def _timeline(self) -> QWidget:
        # no box of its own: its tab says "Lịch sử xử lý", and a second title took a row
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        rows = self.db.execute("SELECT at, action, from_status, to_status, reason, details, actor, "
                               "id FROM events WHERE dossier_id = ? ORDER BY at, id",
                               [self.dossier_id]).fetchall()
        names = Names(self.db)  # a commune's clerk merged here by the commune's name
        table = QTableWidget(len(rows), 5)
        table.setHorizontalHeaderLabels(["Thời điểm", "Việc", "Trạng thái", "Lý do / chi tiết",
                                         "Người thực hiện"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, (at, action, old, new, reason, details, actor, event_id) in enumerate(rows):
            status = STATUS_VI.get(new, "") if old == new or old is None else \
                f"{STATUS_VI.get(old, old)} → {STATUS_VI.get(new, new)}"
            cells = [when(at), actions.ACTION_VI.get(action, action), status,
                     clip(event_details(action, reason, details), "", EVENT_SHOWN),
                     clip(names.of(actor, "event_rows", event_id), "received_by")]
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)
        self.timeline = table
        return box

    def _action_panel(self) -> QWidget:
        """Every action in a fixed place: the dossier's steps, its side exits, then the rest."""
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        self.action_buttons: dict[str, QPushButton] = {}
        for row, names in enumerate((actions.STEPS, actions.EXITS)):
            for column, action in enumerate(names):
                grid.addWidget(self._button(action, actions.BUTTON_VI[action],
                                            lambda _=False, a=action: self.run_action(a)),
                               row, column)
        grid.addWidget(self._button("correct", "Sửa thông tin…", self.correct), 1, len(actions.EXITS))
        others = QHBoxLayout()
        for key, label, slot in (
                ("payment", "Thu phí…", self.record_payment),
                ("invite", "Mời đánh giá", self.invite), ("vote", "Nhập phiếu giấy…", self.take_vote),
                ("cancel_vote", "Huỷ phiếu đánh giá…", self.cancel_vote)):
            others.addWidget(self._button(key, label, slot))
        others.addWidget(self._print_button())
        others.addStretch(1)
        self.close_button = QPushButton("Đóng")
        self.close_button.clicked.connect(self.accept)
        others.addWidget(self.close_button)
        grid.addLayout(others, 2, 0, 1, len(actions.STEPS) + 1)
        return panel

    def _button(self, key: str, label: str, slot) -> QPushButton:
        button = QPushButton(label)
        button.setAutoDefault(False)  # Enter in the dialog never runs whichever action has focus
        button.clicked.connect(slot)
        self.action_buttons[key] = button
        permissions.guard(button, actions.PERMISSION.get(key, "dossier.act"))
        return button

    def _update_actions(self) -> None:
        """Enable what the dossier allows now; a disabled action says why (core's rule)."""
        d, voted = self.d, kiosk.has_vote(self.db, self.dossier_id)
        why = {action: core_dossiers.unavailable_reason(
            d["status"], action, extended=bool(d["extended_due_at"])) for action in actions.STEPS + actions.EXITS}
        unfinished = d["status"] not in ("done", "returned", "rejected")
        why["invite"] = ("Đã có phiếu đánh giá." if voted else "Chỉ mời đánh giá khi đã có kết "
                         "quả." if unfinished or d["status"] == "rejected" else None)
        why["vote"] = "Đã có phiếu đánh giá." if voted else \
            "Chỉ nhập phiếu khi hồ sơ đã xử lý xong." if unfinished else None
        why["cancel_vote"] = None if voted else "Hồ sơ chưa có phiếu đánh giá."
        for key, button in self.action_buttons.items():
            if key == "cancel_payment":
                continue
            button.setEnabled(why.get(key) is None)
            button.setToolTip(why.get(key) or "")
        if self.payments_box is not None and self.payments_box.cancel_button is not None:
            self.payments_box.cancel_button.clicked.connect(self.cancel_payment)
            self.action_buttons["cancel_payment"] = self.payments_box.cancel_button
        else:
            self.action_buttons.pop("cancel_payment", None)

    def available(self) -> set[str]:  # the actions the clerk can click now
        return {key for key, button in self.action_buttons.items() if button.isEnabled()}

    def _focus_next(self, action: str) -> None:
        """After an action the focus waits on the step that usually follows it."""
        for key in actions.NEXT_STEP.get(action, ()):
            button = self.action_buttons.get(key, self.close_button if key == "close" else None)
            if button is not None and button.isEnabled():
                button.setFocus()
                return

    # ----- actions --------------------------------------------------------------------------
    def _run(self, dialog, op, changes: ops.Changes, **options) -> bool:
        """Show `dialog` until `op(db, values)` succeeds or the clerk cancels (gui.ops)."""
        return ops.run_form(dialog, self.db, op, changes, fallback="value", **options)

    def run_action(self, action: str) -> bool:
        if action == "extend":
            return self.extend()
        needs = action in core_dossiers.NEEDS_REASON
        dialog = actions.ActionDialog(action, self, needs_reason=needs, now=self._now())
        function = getattr(core_dossiers, action)
        if action in ("request_supplement", "receive_supplement"):  # with the documents named
            function = getattr(components, action)
            if action == "request_supplement" and self.documents:
                dialog = SupplementDialog(self, items=self.documents, now=self._now())
            if action == "receive_supplement" and any(not c.received for c in self.documents):
                dialog = SupplementReceiptDialog(self, items=self.documents, now=self._now())
        done = self._run(dialog, lambda db, v: function(db, self.dossier_id, **v), ops.DOSSIERS)
        if done and action == "return_result":
            self.invite()  # the citizen is at the desk now; a paper vote stays possible
        if done:
            self._focus_next(action)
        return done

    def invite(self) -> bool:
        """Show this dossier on the unit's vote kiosk (core.kiosk.invite)."""
        at, dossier_id = self._now(), self.dossier_id
        return ops.Op(self, lambda db: kiosk.invite(db, dossier_id, at=at),
                      ops.VOTES).run(self.db)

    def extend(self) -> bool:
        _, due = self._due()
        dialog = actions.ExtendDialog(self, current_due=due, now=self._now())
        done = self._run(dialog, lambda db, v: core_dossiers.extend(db, self.dossier_id, **v),
                         ops.DOSSIERS)
        if done:
            if widgets.confirm(self, "Gia hạn", "Đã gia hạn. In phiếu xin lỗi và hẹn lại "
                               "ngày trả kết quả (Mẫu 04) ngay?", yes="In ngay", no="Để sau"):
                printing.show_slip(self, self.db, "apology", self.d["code"])
        return done

    def _fee(self) -> int:
        return (self.d["procedure_fee"] if self.d["fee"] is None else self.d["fee"]) or 0

    def record_payment(self) -> bool:
        dialog = actions.PaymentDialog(self, fee=self._fee(), now=self._now(),
                                       paid=payments.paid_total(self.db, self.dossier_id),
                                       method=payments.default_method(self.d["channel"]))
        return self._run(dialog, lambda db, v: payments.add_payment(db, self.dossier_id, **v),
                         ops.PAYMENTS, prepare=self._confirm_overpayment)

    def _confirm_overpayment(self, values: dict) -> dict:
        """Beyond the fee, a payment is recorded only after the clerk said yes to the amounts."""
        excess = payments.overpayment(self.db, self.dossier_id, values["amount"])
        if excess is None:
            return values
        text = excess.message()
        if not widgets.confirm(self, "Thu vượt lệ phí", f"{text}\n\nVẫn ghi khoản thu "
                               f"{timefmt.vn_money(values['amount'])} này?",
                               yes="Vẫn ghi", no="Không"):
            raise FieldError("amount", f"Chưa ghi. {text}")
        return {**values, "confirm_overpayment": True}

    def cancel_payment(self) -> bool:
        chosen = self.payments_box.selected() if self.payments_box else None
        live = self.payments_box.live() if self.payments_box else []
        if chosen is None and len(live) == 1:
            chosen = live[0]  # the only live payment: no need to pick it
        if chosen is None or chosen.cancelled:
            widgets.inform(self, "Huỷ khoản thu", "Hãy chọn trong bảng “Các khoản thu” "
                           "khoản cần huỷ (khoản chưa huỷ).")
            return False
        dialog = actions.CancelDialog("Huỷ khoản thu", f"Huỷ khoản thu {chosen.text} của hồ sơ "
                                      f"{self.d['code']}.", self)
        return self._run(dialog, lambda db, v: payments.cancel_payment(db, chosen.id, **v),
                         ops.PAYMENTS)

    def cancel_vote(self) -> bool:
        """Cancel the vote the clerk chose: the only live one, or the one picked among several
        (gui.dossiers.vote_cancel), with a reason (core.votes.cancel_vote)."""
        live = dossier_votes.live_votes(self.db, self.dossier_id)
        if not live:  # cancelled meanwhile (another window, another machine)
            widgets.inform(self, "Huỷ phiếu đánh giá", "Hồ sơ chưa có phiếu đánh giá.")
            return False
        dialog = VoteCancelDialog(self.d["code"], live, self)
        return self._run(dialog, lambda db, v: votes.cancel_vote(db, v["vote_id"],
                                                                 reason=v["reason"]), ops.VOTES,
                         prepare=dialog.confirmed)

    def take_vote(self) -> bool:
        dialog = actions.VoteDialog(self, now=self._now())
        unit, dossier_id = self.d["unit_code"], self.dossier_id
        # core applies the kiosk's rule: the kiosk stops offering the dossier
        return self._run(dialog, lambda db, v: votes.record_paper_vote(
            db, unit_code=unit, dossier_id=dossier_id, **v), ops.VOTES)

    def correct(self) -> bool:
        dialog = actions.CorrectDialog(self.db, self, current={k: self.d[k] for k in CORRECTABLE})

        def call(db, v: dict) -> None:
            try:
                core_dossiers.correct_field(db, self.dossier_id, v["field"], v["value"],
                                            reason=v["reason"])
            except FieldError as exc:  # core names the dossier's field; show it under its editor
                if exc.field != v["field"]:
                    raise
                raise FieldError(dialog.editor(), exc.message) from None
        return self._run(dialog, call, ops.DOSSIERS)


def open_dossier(parent, db, dossier_id: int, *, payment: bool = False) -> None:
    """The dossier's window over `parent`, freed once closed: a dialog left as a hidden child of
    a list held ~3 MB per dossier opened until the list closed (bench/bench_register_memory.py)."""
    dialog = DossierDialog(db, dossier_id, parent)
    try:
        if payment:
            dialog.record_payment()
        dialog.exec()
    finally:
        dialog.deleteLater()
