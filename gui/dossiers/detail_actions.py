"""The dossier window's actions (mixed into gui.dossiers.detail.DossierDialog): their buttons
in fixed places, each enabled as the dossier allows now or saying why not (core's rule), the
focus on the usual next step, and what each button runs."""
from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from core import components, dossier_votes, kiosk, payments, timefmt, votes
from core import dossiers as core_dossiers
from core.dossiers import CORRECTABLE, FieldError
from gui import ops, permissions, printing, widgets
from gui.dossiers import actions
from gui.dossiers.documents_box import SupplementDialog, SupplementReceiptDialog
from gui.dossiers.vote_cancel import VoteCancelDialog


class DossierActions:
    """Uses the dialog's db, dossier_id, d, documents, payments_box, _now and _due; gives it
    action_buttons, close_button and the actions (gui.dossiers.print_menu adds "In phiếu")."""

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

    def _focus_next(self, action: str | None) -> None:
        """After an action the focus waits on the step that usually follows it, else on the
        dossier's first step possible now, else on «Đóng»: never on a button just disabled or a
        box the reload rebuilt (Qt left it there, or passed it to whatever came next in the
        window; walk35's shot 56)."""
        for key in (*actions.NEXT_STEP.get(action or "", ()), *actions.STEPS, "close"):
            button = self.action_buttons.get(key, self.close_button if key == "close" else None)
            if button is not None and button.isEnabled():
                button.setFocus()
                return

    def _focus_kept(self, before) -> None:
        """The focus stays on the button the clerk used while it can still be used (a second
        payment, another correction); once it cannot, the clerk's next step takes it."""
        if not (before is not None and shiboken6.isValid(before) and before.isVisible()
                and before.isEnabled()):
            self._focus_next(None)

    # ----- actions --------------------------------------------------------------------------
    def _run(self, dialog, op, changes: ops.Changes, **options) -> bool:
        """Show `dialog` until `op(db, values)` succeeds or the clerk cancels (gui.ops)."""
        before = self.focusWidget()
        done = ops.run_form(dialog, self.db, op, changes, fallback="value", **options)
        if done:
            self._focus_kept(before)
        return done

    def run_action(self, action: str) -> bool:
        if action == "extend":
            done = self.extend()
            if done:  # the apology (Mẫu 04) next, unless printed already
                self._focus_next(action)
            return done
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
                      ops.VOTES, doing="mời đánh giá").run(self.db)

    def extend(self) -> bool:
        now = self._now()  # one reading: the due time shown and the dialog's checks
        cal, due = self._due(now)
        dialog = actions.ExtendDialog(self, current_due=due, now=now, cal=cal)
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
