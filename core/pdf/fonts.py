"""The serif font every MotCua PDF is set in, embedded (subset) in each document.

Decree 30/2020 asks for Times New Roman. On Windows the system's copy is used when all four
styles are present and cover Vietnamese; otherwise the bundled Liberation Serif (metric-compatible
with Times New Roman, SIL Open Font License, see resources/fonts/OFL-LiberationSerif.txt).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from core.paths import resource_path
from core.printable import drawable

STYLES = ("regular", "bold", "italic", "bolditalic")
BUNDLED = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
           "italic": "LiberationSerif-Italic.ttf", "bolditalic": "LiberationSerif-BoldItalic.ttf"}
WINDOWS_TIMES = {"regular": "times.ttf", "bold": "timesbd.ttf", "italic": "timesi.ttf",
                 "bolditalic": "timesbi.ttf"}
FAMILY = "MotCuaSerif"
NAMES = {"regular": FAMILY, "bold": f"{FAMILY}-Bold", "italic": f"{FAMILY}-Italic",
         "bolditalic": f"{FAMILY}-BoldItalic"}

# Every letter of Vietnamese: the base vowels with each tone mark, đ, upper and lower case.
_VOWELS = "aăâeêioôơuưy"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def vietnamese_letters() -> str:
    import unicodedata

    letters = set("đĐ")
    for vowel in _VOWELS:
        for base in (vowel, vowel.upper()):
            letters.add(base)
            for tone in _TONES:
                letters.add(unicodedata.normalize("NFC", base + tone))
    return "".join(sorted(letters))


def windows_fonts_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows") / "Fonts"


def _find_case_insensitive(folder: Path, name: str) -> Path | None:
    """Windows font folders mix TIMES.TTF and times.ttf; match either."""
    exact = folder / name
    if exact.is_file():
        return exact
    try:
        for entry in folder.iterdir():
            if entry.name.lower() == name and entry.is_file():
                return entry
    except OSError:
        return None
    return None


WIDTHS_KEPT = 100_000  # measured strings a font remembers, each of WORD_MOST characters at
WORD_MOST = 40  # most: some 35 MB held at worst, for the program's life (tests/core/pdf/test_fonts)


class Font(TTFont):
    """A TrueType font that never draws a character as nothing: one it has no glyph for is
    drawn as □ (core.printable.drawable), in the width measured and in the text written, so
    every PDF's lines are laid out with what is drawn. Every style of the family is one."""

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802  (reportlab's name)
        # remembered: a paragraph is measured word by word at every wrap, and the same words
        # come back on every row (a report of 5,000 units: 4 million measures, 47 s of 191);
        # a longer text (a whole cell, a line) hardly comes back: 2,274 of the 4 million, while
        # 200,000 of 200 characters held 117 MB in the window after the PDF was made
        if len(text) > WORD_MOST:
            return super().stringWidth(drawable(text, self.face.charToGlyph), size, encoding)
        widths = self.__dict__.setdefault("_widths", {})
        key = (text, size, encoding)
        width = widths.get(key)
        if width is None:
            if len(widths) >= WIDTHS_KEPT:
                widths.clear()
            width = widths[key] = super().stringWidth(drawable(text, self.face.charToGlyph),
                                                      size, encoding)
        return width

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802  (reportlab's name)
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return super().splitString(drawable(text, self.face.charToGlyph), doc, encoding)


def covers_vietnamese(path: Path) -> bool:
    """True when the font file has a glyph for every Vietnamese letter."""
    try:
        font = TTFont(f"probe-{path.name}", str(path))
    except Exception:  # a damaged or unreadable system font simply is not chosen
        return False
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in vietnamese_letters())


def choose_font_files(system_fonts: Path | None, bundled: Path) -> dict[str, Path]:
    """The four style files to use: the system's Times New Roman when complete, else bundled."""
    if system_fonts is not None and system_fonts.is_dir():
        found = {style: _find_case_insensitive(system_fonts, name)
                 for style, name in WINDOWS_TIMES.items()}
        if all(found.values()) and all(covers_vietnamese(p) for p in found.values() if p):
            return found  # type: ignore[return-value]
    return {style: bundled / name for style, name in BUNDLED.items()}


_registered: dict[str, Path] | None = None


def register_fonts(system_fonts: Path | None = None, bundled: Path | None = None,
                   force: bool = False) -> dict[str, Path]:
    """Register the family with reportlab once per process; returns the files used."""
    global _registered
    if _registered is not None and not force:
        return _registered
    if system_fonts is None and sys.platform.startswith("win"):
        system_fonts = windows_fonts_dir()
    files = choose_font_files(system_fonts, bundled or resource_path("fonts"))
    for style, path in files.items():
        pdfmetrics.registerFont(Font(NAMES[style], str(path)))
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"),
                                (1, 1, "bolditalic")):
        addMapping(FAMILY, bold, italic, NAMES[style])
    _registered = files
    return files
