"""The PDF reader of the tests can tell a bad document from a good one (no poppler needed)."""
from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A5, landscape
from reportlab.pdfgen import canvas

from tests.pdfread import page_sizes, pdf_fonts, pdf_text, render_pages


def document(pages: list[str], size=A5) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    for text in pages:
        if text:
            pdf.setFont("Helvetica", 12)  # one of the 14 fonts a PDF may leave out
            pdf.drawString(40, 100, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_font_left_out_of_the_file_is_reported_as_not_embedded():
    assert pdf_fonts(document(["Hello"])) == [
        {"name": "Helvetica", "type": "Type1", "emb": "no", "sub": "no"}]


def test_sizes_and_text_come_page_by_page(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(document(["one", "two"], landscape(A5)))
    assert [(round(w, 3), round(h, 3)) for w, h in page_sizes(path)] == [(595.276, 419.528)] * 2
    assert [page.strip() for page in pdf_text(path).split("\f")] == ["one", "two", ""]


def test_a_page_that_draws_nothing_fails_the_rendering_check(tmp_path):
    assert len(render_pages(document(["x"]), tmp_path)) == 1
    with pytest.raises(AssertionError, match="page 2 renders blank"):
        render_pages(document(["x", ""]), tmp_path)
