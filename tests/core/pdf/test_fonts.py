"""The serif font: every Vietnamese letter prints, the font is embedded, Windows' Times wins."""
from __future__ import annotations

import shutil

from reportlab.platypus import Paragraph

from core.paths import resource_path
from core.pdf import blocks, fonts
from core.pdf.document import A4_PORTRAIT, render
from tests.pdfread import pdf_fonts, pdf_text


def test_bundled_font_and_its_licence_are_shipped():
    folder = resource_path("fonts")
    for name in fonts.BUNDLED.values():
        assert (folder / name).is_file()
    licence = (folder / "OFL-LiberationSerif.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_every_vietnamese_letter_is_in_each_bundled_style():
    letters = fonts.vietnamese_letters()
    assert len(letters) == 2 + 12 * 6 * 2  # đ Đ, 12 vowels × (bare + 5 tones) × 2 cases
    for name in fonts.BUNDLED.values():
        assert fonts.covers_vietnamese(resource_path("fonts", name))


def test_every_vietnamese_letter_survives_into_the_pdf_text(write_pdf):
    letters = fonts.vietnamese_letters()
    story = [Paragraph(letters, blocks.style(13, bold=bold, italic=italic))
             for bold in (False, True) for italic in (False, True)]
    path = write_pdf(render(story, A4_PORTRAIT, title="thử", draft=False))
    text = pdf_text(path).replace("\n", "")
    assert text.count(letters) == 4
    found = pdf_fonts(path)
    assert len(found) == 4
    assert all(f["emb"] == "yes" for f in found)


def test_windows_times_new_roman_is_preferred_when_all_four_styles_exist(tmp_path):
    windows = tmp_path / "Fonts"
    windows.mkdir()
    bundled = resource_path("fonts")
    for style, name in fonts.WINDOWS_TIMES.items():
        # Stand-ins with Vietnamese coverage; names as Windows spells them (any case).
        shutil.copy(bundled / fonts.BUNDLED[style], windows / name.upper())
    chosen = fonts.choose_font_files(windows, bundled)
    assert {p.name.lower() for p in chosen.values()} == set(fonts.WINDOWS_TIMES.values())


def test_incomplete_or_missing_windows_fonts_fall_back_to_bundled(tmp_path):
    windows = tmp_path / "Fonts"
    windows.mkdir()
    shutil.copy(resource_path("fonts", fonts.BUNDLED["regular"]), windows / "times.ttf")
    bundled = resource_path("fonts")
    assert fonts.choose_font_files(windows, bundled)["regular"] == bundled / fonts.BUNDLED["regular"]
    assert fonts.choose_font_files(None, bundled)["bold"] == bundled / fonts.BUNDLED["bold"]


def test_a_windows_font_without_vietnamese_is_not_chosen(tmp_path):
    windows = tmp_path / "Fonts"
    windows.mkdir()
    for name in fonts.WINDOWS_TIMES.values():
        (windows / name).write_bytes(b"not a font")
    bundled = resource_path("fonts")
    assert fonts.choose_font_files(windows, bundled)["italic"] == bundled / fonts.BUNDLED["italic"]


def test_windows_font_folder_comes_from_windir():
    assert str(fonts.windows_fonts_dir({"WINDIR": "D:\\Win"})).endswith("Fonts")
    assert "D:\\Win" in str(fonts.windows_fonts_dir({"WINDIR": "D:\\Win"}))


def test_a_word_measured_again_is_not_measured_anew(monkeypatch):
    """A paragraph is measured word by word at every wrap, and the words come back on every
    row (5,000 units' names: 4 million measures, a quarter of `report monthly --by unit`'s
    time, recon34): a font remembers the widths it measured, the same widths."""
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import TTFont
    fonts.register_fonts()
    font = getFont(fonts.NAMES["regular"])
    asked = []
    real = TTFont.stringWidth
    monkeypatch.setattr(TTFont, "stringWidth",
                        lambda self, text, size, encoding="utf8":
                        asked.append(text) or real(self, text, size, encoding))
    first = font.stringWidth("Phục vụ hành chính công", 11)
    assert font.stringWidth("Phục vụ hành chính công", 11) == first
    assert font.stringWidth("Phục vụ hành chính công", 12) == first * 12 / 11
    assert asked.count("Phục vụ hành chính công") <= 2  # once a size


def test_the_widths_remembered_stay_a_few_tens_of_megabytes():
    """review34d: the window keeps its fonts, and their widths, for its life: 200,000 texts of
    200 characters (a book's addresses, measured whole by their cells) held 117 MB after the
    PDF was made. Words alone are remembered (what comes back), at most WIDTHS_KEPT of them."""
    import tracemalloc

    from reportlab.pdfbase.pdfmetrics import getFont
    fonts.register_fonts()
    font = getFont(fonts.NAMES["regular"])
    font.__dict__.pop("_widths", None)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(60_000):
            font.stringWidth(f"Thôn {n}, xã Yên Phúc, huyện Văn Quan, tỉnh Lạng Sơn " * 2, 10)
        for n in range(100_000):  # the most kept, each of 40 characters
            font.stringWidth(f"Phục vụ hành chính công {n:016d}", 10)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 40_000_000
    assert font.stringWidth("Phục vụ", 10) == font.stringWidth("Phục vụ", 20) / 2
