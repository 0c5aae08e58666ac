"""Printing official slips and reports: each opens the preview (gui.preview) of a core.pdf document.

The figures of a document are read once, in a worker (gui.preview.show_pdf_preview); the draft
and the final version are laid out from them. The PDF modules are imported on first use:
reportlab and PDFium add most of a second to the window's start on an old PC, and many sessions
print nothing.
"""
from __future__ import annotations


def show_slip(parent, db, kind: str, code: str):
    """Preview, print or save the receipt (Mẫu 01) or the apology slip (Mẫu 04) of a dossier."""
    from core.pdf import slips
    from gui.preview import Document, show_pdf_preview
    build = {"receipt": slips.build_receipt, "apology": slips.build_apology}[kind]
    title = {"receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
             "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả"}[kind]
    # a slip reads one dossier: both versions are made together from the same reading
    return show_pdf_preview(parent, db, Document(
        f"{title} — {code}", lambda worker_db: {draft: build(worker_db, code, draft=draft)
                                                for draft in (True, False)},
        lambda made, draft: made[draft], f"{kind}-{code}.pdf"))


def monthly_report(parent, db, period, unit: str | None, by: str = "unit"):
    """The report of `period` (a core.periods.Period: the one the screen shows; a calendar
    month, a state-report month 15→14, or any other period); its Biểu 06 `by` unit or field."""
    from core.pdf.monthly import render_monthly
    from core.pdf.monthly_data import gather
    from gui.preview import Document, show_pdf_preview
    kind = period.kind()
    name = (f"bao-cao-{period.start:%Y-%m}" if kind == "month" else
            f"bao-cao-ky-{period.end:%Y-%m}" if kind == "state" else
            f"bao-cao-{period.start:%Y%m%d}-{period.end:%Y%m%d}")
    return show_pdf_preview(parent, db, Document(
        f"Báo cáo {period.phrase()}", lambda worker_db: gather(worker_db, period, unit, by=by),
        render_monthly, f"{name}.pdf"))


def register_book(parent, db, first, last, unit: str | None):
    """The dossier register (sổ theo dõi hồ sơ) of [first, last]."""
    from core.pdf.book import gather, render_book
    from gui.preview import Document, show_pdf_preview
    return show_pdf_preview(parent, db, Document(
        f"Sổ theo dõi hồ sơ {first:%d/%m/%Y} – {last:%d/%m/%Y}",
        lambda worker_db: gather(worker_db, first, last, unit), render_book,
        f"so-theo-doi-{first:%Y%m%d}-{last:%Y%m%d}.pdf"))
