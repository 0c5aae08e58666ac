"""Read the PDFs the program writes, in Python only: page sizes, text, fonts, rendered pages.

The tests must pass on a machine with nothing but Python (Windows has no poppler), so nothing
here starts a system program. Text comes from pypdf: it keeps every Vietnamese letter (the font
test checks all 134 of them; PDFium does too, but ends its lines with CR LF) and its layout mode
keeps table columns apart with spaces, as pdftotext -layout did. PDFium (pypdfium2, the engine
the preview draws with) renders the pages and reads the draft mark as the clerk sees it.
"""
from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pypdfium2
from pypdf.generic import DictionaryObject, IndirectObject

Source = Path | str | bytes


def _reader(source: Source) -> pypdf.PdfReader:
    if isinstance(source, bytes):
        assert source.startswith(b"%PDF"), "not a PDF document"
        return pypdf.PdfReader(io.BytesIO(source))
    return pypdf.PdfReader(str(source))


def page_texts(source: Source, layout: bool = False) -> list[str]:
    """Each page's text; with layout=True columns stay apart with spaces, as on paper."""
    mode = "layout" if layout else "plain"
    return [page.extract_text(extraction_mode=mode) for page in _reader(source).pages]


def pdf_text(source: Source, layout: bool = False) -> str:
    """The whole text, every page followed by a form feed (pdftotext's convention)."""
    return "".join(text + "\f" for text in page_texts(source, layout))


def page_texts_pdfium(source: Source) -> list[str]:
    """Each page's text as PDFium reads it (it also reads the rotated draft mark)."""
    document = pypdfium2.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def page_sizes(source: Source) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, as it is printed (the crop box)."""
    return [(float(page.cropbox.width), float(page.cropbox.height))
            for page in _reader(source).pages]


def pdf_fonts(source: Source) -> list[dict]:
    """Every font the document uses (once each, also inside forms): name, emb and sub."""
    found: dict[object, dict] = {}
    for page in _reader(source).pages:
        _collect_fonts(page.get("/Resources"), found, set())
    return list(found.values())


def _collect_fonts(resources, found: dict, seen: set) -> None:
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject):
        return
    for ref in (_resolve(resources.get("/Font")) or {}).values():
        key = _key(ref)
        if key not in found:
            found[key] = _font_entry(_resolve(ref))
    for ref in (_resolve(resources.get("/XObject")) or {}).values():
        xobject = _resolve(ref)
        if xobject.get("/Subtype") == "/Form" and _key(ref) not in seen:
            seen.add(_key(ref))  # a form may be drawn on every page: read it once
            _collect_fonts(xobject.get("/Resources"), found, seen)


def _font_entry(font: DictionaryObject) -> dict:
    name = str(font.get("/BaseFont", "[none]")).lstrip("/")
    shape = font
    if font.get("/Subtype") == "/Type0":  # composite: the glyphs live in the descendant
        shape = _resolve(_resolve(font["/DescendantFonts"])[0])
    descriptor = _resolve(shape.get("/FontDescriptor")) or {}
    embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    if font.get("/Subtype") == "/Type3":
        embedded = True  # its glyphs are drawings inside the font itself
    subset = len(name) > 7 and name[6] == "+" and name[:6].isalpha() and name[:6].isupper()
    return {"name": name, "type": str(font.get("/Subtype", "")).lstrip("/"),
            "emb": "yes" if embedded else "no", "sub": "yes" if subset else "no"}


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _key(value) -> object:
    return (value.idnum, value.generation) if isinstance(value, IndirectObject) else id(value)


def render_pages(source: Source, out_dir: Path, dpi: int = 40) -> list[Path]:
    """Draw every page with PDFium into out_dir as PNG; a page that draws blank fails."""
    document = pypdfium2.PdfDocument(source if isinstance(source, bytes) else str(source))
    written = []
    try:
        for i in range(len(document)):
            image = document[i].render(scale=dpi / 72).to_pil().convert("L")
            assert image.getextrema()[0] < 128, f"page {i + 1} renders blank"
            written.append(out_dir / f"p-{i + 1:03d}.png")
            image.save(written[-1])
    finally:
        document.close()
    return written
