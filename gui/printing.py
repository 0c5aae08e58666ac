"""Printing official slips and reports: each opens the preview (gui.preview) of a core.pdf document.

The PDF modules are imported on first use: reportlab and PDFium add most of a second to the
window's start on an old PC, and many sessions print nothing.
"""
from __future__ import annotations


def show_slip(parent, db, kind: str, code: str):
    """Preview, print or save the receipt (Mẫu 01) or the apology slip (Mẫu 04) of a dossier."""
    from core.pdf import slips
    from gui.preview import show_pdf_preview
    build = {"receipt": slips.build_receipt, "apology": slips.build_apology}[kind]
    title = {"receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
             "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả"}[kind]
    return show_pdf_preview(parent, f"{title} — {code}",
                            lambda draft: build(db, code, draft=draft), f"{kind}-{code}.pdf")


def monthly_report(parent, db, period, unit: str | None):
    """The report of `period` (a core.periods.Period: the one the screen shows; a calendar
    month, a state-report month 15→14, or any other period)."""
    from core.pdf.monthly import build_monthly
    from gui.preview import show_pdf_preview
    kind = period.kind()
    name = (f"bao-cao-{period.start:%Y-%m}" if kind == "month" else
            f"bao-cao-ky-{period.end:%Y-%m}" if kind == "state" else
            f"bao-cao-{period.start:%Y%m%d}-{period.end:%Y%m%d}")
    return show_pdf_preview(parent, f"Báo cáo {period.phrase()}",
                            lambda draft: build_monthly(db, period, unit, draft=draft),
                            f"{name}.pdf")


def register_book(parent, db, first, last, unit: str | None):
    """The dossier register (sổ theo dõi hồ sơ) of [first, last]."""
    from core.pdf.book import build_book
    from gui.preview import show_pdf_preview
    return show_pdf_preview(parent, f"Sổ theo dõi hồ sơ {first:%d/%m/%Y} – {last:%d/%m/%Y}",
                            lambda draft: build_book(db, first, last, unit, draft=draft),
                            f"so-theo-doi-{first:%Y%m%d}-{last:%Y%m%d}.pdf")
