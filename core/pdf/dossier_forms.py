"""The forms of one dossier, for the window's "In phiếu" menu and `slip KIND CODE`.

Which forms apply is core.pdf.form_set's rule; this module reads what that rule needs about a
dossier and dispatches to each form's builder.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.accounts import require
from core.labels import STATUS_VI
from core.pdf.form_set import FormSet, check_kind, form_set, forms_for
from core.pdf.slip_data import (
    SlipDossier,
    dossier_components,
    late_extension_warning,
    load_dossier,
    load_extension,
)


@dataclass
class DossierForms:
    item: SlipDossier
    forms: FormSet
    kinds: list[str]  # the forms its status allows, in the menu's order

    def menu(self) -> list[tuple[str, str]]:
        """(kind, 'Mẫu 01 – Giấy tiếp nhận…') for each form that applies."""
        return [(kind, self.forms.label(kind)) for kind in self.kinds]


def available(db, code: str) -> DossierForms:
    item = load_dossier(db, code)
    extended = db.execute("SELECT 1 FROM extensions WHERE dossier_id = ?", [item.id]).fetchone()
    waits = db.execute("SELECT 1 FROM supplements WHERE dossier_id = ?", [item.id]).fetchone()
    missing = any(not c.received or c.note for c in dossier_components(db, item.id))
    kinds = forms_for(item.status, extended=bool(extended), supplements=bool(waits),
                      missing=missing)
    return DossierForms(item, form_set(item.received_at), kinds)


def check(db, kind: str, code: str) -> DossierForms:
    """The dossier's forms, or InputError (exit 2) when its status has no form `kind`."""
    found = available(db, code)
    check_kind(kind, found.item.code, STATUS_VI.get(found.item.status, found.item.status),
               found.kinds, found.forms)
    return found


def warnings(db, kind: str, code: str) -> list[str]:
    """Sentences the clerk should read before handing the form over (Mẫu 04 sent late)."""
    if kind != "apology":
        return []
    item = load_dossier(db, code)
    warning = late_extension_warning(db, item, load_extension(db, item))
    return [warning] if warning else []


def build(db, kind: str, code: str, draft: bool = False) -> bytes:
    """The PDF of form `kind` for dossier `code` (the caller checked it applies)."""
    require("slip.print")
    from core.pdf import control, forms, slips

    builders: dict[str, Callable[..., bytes]] = {"receipt": slips.build_receipt, "apology": slips.build_apology,
                "supplement": forms.build_supplement_request,
                "refusal": forms.build_refusal_of_dossier, "stop": forms.build_stop_notice,
                "control": control.build_control}
    data = builders[kind](db, code, draft=draft)
    if not draft:  # a preview makes both from one reading: one slip, one row of the access log
        from core.privacy import access
        row = db.execute("SELECT id FROM dossiers WHERE code = ?", [code.strip()]).fetchone()
        access.record(db, "slip.print", row[0] if row else None, details={"slip": kind})
    return data
