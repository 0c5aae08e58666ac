"""The desk's own forms from the intake form (gui.dossiers.intake): Mẫu 02 for a request lacking
a required document, Mẫu 03 for one refused, both printed from the form's fields, saving
nothing (spec 3; Decree 118/2025 Art. 17)."""
from __future__ import annotations

from collections.abc import Callable

import shiboken6

from core import validation
from core.errors import FieldErrors, collect
from core.intake import missing_required
from gui import printing

# core's words for the check, and what the clerk does about it here
NOTHING_TO_COMPLETE = f"{validation.NOTHING_TO_COMPLETE} Bỏ đánh dấu giấy tờ người nộp chưa có."


class DeskForms:
    """Mixed into IntakeDialog: reads its fields (name_edit, procedure, documents…), its
    form's errors, and its guide_button and refuse_button."""

    def _applicant_checked(self) -> bool:
        """The procedure and the name a desk's Mẫu 02 or 03 needs, checked by the same rules,
        in the same words, as a save (core.validation), all at once."""
        self.form.clear_errors()
        try:
            collect(
                lambda: validation.check_procedure_chosen(self.procedure and self.procedure["code"]),
                lambda: validation.check_applicant_name(self.name_edit.text()))
        except FieldErrors as error:
            self.form.show_errors(error.errors)
            return False
        return True

    def _desk_form_values(self) -> dict:
        return {"applicant_name": self.name_edit.text(),
                "procedure_name": self.procedure["name"],
                "address": self.address_edit.text() or None,
                "phone": self.phone_edit.text() or None,
                "id_no": self.id_edit.text() or None,
                "unit_code": self.unit_box.currentData()}

    def guide(self) -> bool:
        """Print Mẫu 02 listing the required documents not ticked, saving nothing: a request
        lacking one is not received at the desk; the citizen comes back with it."""
        return self._desk_form(self._guide)

    def refuse(self) -> bool:
        """Print Mẫu 03 for a request refused at the desk, from the form's fields, saving
        nothing (spec 3: a refused request is never received and gets no code)."""
        return self._desk_form(self._refuse)

    def _desk_form(self, start: Callable[[], bool]) -> bool:
        """One desk form at a time: its buttons are disabled from the click till its preview
        closes (or its making failed or was cancelled). The progress box blocks the form only
        after 300 ms: meanwhile a second click or Enter opened a second preview."""
        self._desk_buttons_enabled(False)
        started = False
        try:
            started = start()
        finally:
            if not started:
                self._desk_buttons_enabled(True)
        return started

    def _desk_buttons_enabled(self, enabled: bool) -> None:
        for button in (self.guide_button, self.refuse_button):
            button.setEnabled(enabled)

    def _guide(self) -> bool:
        if not self._applicant_checked():
            return False
        missing = missing_required(self.documents.items())
        if not missing:
            self.form.show_error("components", NOTHING_TO_COMPLETE)
            return False
        printing.show_desk_supplement(self, self.db, {**self._desk_form_values(), "items": missing},
                                      self._desk_form_closed)
        return True

    def _refuse(self) -> bool:
        from gui.dossiers.actions import RefusalDialog
        if not self._applicant_checked():
            return False
        dialog = RefusalDialog(self)
        dialog.reason_edit.setPlainText(self.refusal_reason)  # typed before a preview closed
        try:
            while dialog.exec():
                reason = dialog.values()["reason"].strip()
                if reason:
                    self.refusal_reason = reason
                    printing.show_desk_refusal(self, self.db,
                                               {**self._desk_form_values(), "reason": reason},
                                               self._desk_form_closed)
                    return True
                dialog.form.show_error("reason", validation.REFUSAL_REASON_REQUIRED)
            return False
        finally:  # freed once closed (widgets.exec_once)
            dialog.deleteLater()

    def _desk_form_closed(self, issued: bool) -> None:
        """The desk's Mẫu 02 or 03 preview closed: printed or saved, the request is dealt with
        (nothing received, nothing to ask about) and the form closes; closed unprinted, the
        form stays as the clerk filled it (it closed with the preview, her typing lost), its
        desk forms' buttons back."""
        if not shiboken6.isValid(self):
            return
        self._desk_buttons_enabled(True)
        if issued and self.isVisible():
            self.reject()
