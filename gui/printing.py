"""Printing official slips and reports: each opens the preview (gui.preview) of a core.pdf document.

The figures of a document are read once, in a worker (gui.preview.show_pdf_preview); the draft
and the final version are laid out from them. The long ones (the monthly report, the register)
are laid out once and previewed with the draft mark painted (gui.book_preview). The PDF modules
are imported on first use: reportlab and PDFium add most of a second to the window's start on an
old PC, and many sessions print nothing.
"""
from __future__ import annotations


def show_slip(parent, db, kind: str, code: str):
    """Preview, print or save one Annex I form of a dossier (core.pdf.dossier_forms): the
    receipt, supplement request, refusal, apology, stop notice or control slip. A warning the
    clerk should read first (an apology sent late) is shown above the pages."""
    from core.pdf import dossier_forms
    from core.pdf.form_set import file_name
    from gui.preview import Document, show_pdf_preview
    found = dossier_forms.available(db, code)
    notes = dossier_forms.warnings(db, kind, code) if kind in found.kinds else []
    title = found.forms.label(kind).split(" – ", 1)[1]
    # a slip reads one dossier: both versions are made together from the same reading
    return show_pdf_preview(parent, db, Document(
        f"{title} — {code}",
        lambda worker_db: {draft: dossier_forms.build(worker_db, kind, code, draft=draft)
                           for draft in (True, False)},
        lambda made, draft: made[draft], file_name(kind, code), note="\n".join(notes)))


def show_desk_refusal(parent, db, values: dict, closed=None):
    """Mẫu 03 for a request refused at the desk, from the intake form's fields (not saved:
    a refused request never becomes a dossier, spec 3)."""
    from core.pdf.form_set import file_name
    from core.pdf.forms import REFUSAL_TITLE, build_refusal
    from gui.preview import Document, show_pdf_preview
    return show_pdf_preview(parent, db, Document(
        REFUSAL_TITLE[:1] + REFUSAL_TITLE[1:].lower(),
        lambda worker_db: {draft: build_refusal(worker_db, draft=draft, **values)
                           for draft in (True, False)},
        lambda made, draft: made[draft], file_name("refusal")), closed)


def show_desk_supplement(parent, db, values: dict, closed=None):
    """Mẫu 02 for a request lacking a required document at the desk, from the intake form's
    fields (not saved: it is not received until complete, Decree 118/2025 Art. 17)."""
    from core.pdf.form_set import file_name
    from core.pdf.forms import SUPPLEMENT_TITLE, build_desk_supplement
    from gui.preview import Document, show_pdf_preview
    return show_pdf_preview(parent, db, Document(
        SUPPLEMENT_TITLE[:1] + SUPPLEMENT_TITLE[1:].lower(),
        lambda worker_db: {draft: build_desk_supplement(worker_db, draft=draft, **values)
                           for draft in (True, False)},
        lambda made, draft: made[draft], file_name("supplement")), closed)


def monthly_report(parent, db, period, unit: str | None, by: str = "unit"):
    """The report of `period` (a core.periods.Period: the one the screen shows; a calendar
    month, a state-report month 15→14, or any other period); its Biểu 06 `by` unit or field.
    Built once, in a worker (figures, then pages; Cancel between them): the preview paints the
    draft mark over the final pages instead of laying the report out a second time."""
    from gui.book_preview import show_built_once
    kind = period.kind()
    name = (f"bao-cao-{period.start:%Y-%m}" if kind == "month" else
            f"bao-cao-ky-{period.end:%Y-%m}" if kind == "state" else
            f"bao-cao-{period.start:%Y%m%d}-{period.end:%Y%m%d}")

    def build(worker_db, progress):
        from core.pdf.monthly import render_monthly
        from core.pdf.monthly_data import gather
        from gui.worker import Cancelled
        progress(0, 2)
        data = gather(worker_db, period, unit, by=by)
        if progress(1, 2) is False:
            raise Cancelled()
        made = render_monthly(data)
        progress(2, 2)
        return made
    return show_built_once(parent, db, f"Báo cáo {period.phrase()}", build, f"{name}.pdf")


def register_book(parent, db, first, last, unit: str | None):
    """The dossier register (sổ theo dõi hồ sơ) of [first, last]: built once, page by page, in
    a worker with progress and Cancel (gui.book_preview)."""
    from gui.book_preview import show_book
    return show_book(parent, db, first, last, unit)
