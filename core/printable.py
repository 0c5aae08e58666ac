"""What MotCua's documents can print, in one place: the rule a name is checked with when it is
typed or imported, and the rule the PDFs draw any stored text with.

Every PDF (receipt Mẫu 01, forms 02–06, the monthly report, the register book…) is set in one
serif family (core.pdf.fonts): Times New Roman on Windows when complete, else the bundled
Liberation Serif. A character the font has no glyph for was drawn as nothing: an emoji or a
Chinese character in a name silently vanished from the receipt.

- `name_char_reason`: a person's name may hold only what the bundled font draws in all four
  styles and what a name is written with — Latin letters (Vietnamese with every diacritic,
  foreigners' names as their passports write them in Latin), combining marks, digits, spaces
  and punctuation. Emoji and other symbols (So, Sm, Sc, Sk outside ASCII), letters of other
  scripts (Chinese, Greek, Cyrillic, Hebrew…) are refused with the character named.
- `text_char_reason`: the name of a unit or a procedure (and any other text typed to be printed
  on every slip, report and register) may hold whatever the bundled font draws in all four
  styles — a procedure's "°", "§" or "№" included — and nothing else: an emoji, a Chinese
  character or a control character is refused with the character named, in the same words.
- `drawable`: for text already stored (a name recorded before the rule, a package from another
  installation, an import from the provincial system, any free text), the PDF layer draws each
  character the font lacks as a visible REPLACEMENT, never nothing; invisible format characters
  (Cf) and variation selectors are left out (they show nothing on screen either).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Container
from functools import lru_cache

REPLACEMENT = "\u25a1"  # □ WHITE SQUARE: in Liberation Serif and Times New Roman
FALLBACK = "?"          # when the font has no □ either
_NAME_CATEGORIES = ("L", "M", "N", "P", "Z")
UNPRINTABLE = "ký tự không in được trên phiếu"  # the words of every refusal of a character


@lru_cache(maxsize=1)
def bundled_glyphs() -> frozenset[int]:
    """The characters the bundled font has a glyph for in each of its four styles."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from core.paths import resource_path
    from core.pdf.fonts import BUNDLED

    sets = [set(TTFontFile(str(resource_path("fonts", name))).charToGlyph)
            for name in BUNDLED.values()]
    return frozenset(set.intersection(*sets))


def _name_char(ch: str) -> bool:
    """A character a person's name may hold (see the module's docstring)."""
    if " " <= ch <= "~":  # printable ASCII: in every font, and typed on every keyboard
        return True
    category = unicodedata.category(ch)
    if ord(ch) not in bundled_glyphs() or not category.startswith(_NAME_CATEGORIES):
        return False
    if category[0] == "L":
        return unicodedata.name(ch, "").startswith(("LATIN ", "MODIFIER LETTER "))
    if category[0] == "M":
        return unicodedata.name(ch, "").startswith("COMBINING ")
    if category[0] == "N":
        return category == "Nd"
    if category[0] == "P":
        return not unicodedata.name(ch, "").startswith(("GREEK ", "HEBREW "))
    return True  # Zs


def _name_char_cached(ch: str) -> bool:
    """`_name_char`, each accepted character remembered (`_GOOD`): a refused one is met only
    when a name is refused."""
    if ch in _GOOD:
        return True
    if not _name_char(ch):
        return False
    if len(_GOOD) < 4096:
        _GOOD.add(ch)
    return True


_GOOD: set[str] = set()  # characters met and accepted: a whole name tested at once (an import)


def shown(ch: str) -> str:
    """'😀' (U+1F600): the character, and its code (an invisible one shows nothing); a control
    character by its code alone (a BEL or a NUL in a message cuts or rings it)."""
    return f"'{ch}' (U+{ord(ch):04X})" if ch.isprintable() else f"(U+{ord(ch):04X})"


def name_char_reason(name: str | None) -> str | None:
    """Why `name` cannot be printed on the documents (the first such character named), or None.
    `name` as core.validation.clean_name gives it (no invisible format characters)."""
    if not name or (name.isascii() and name.isprintable()) or _GOOD.issuperset(name):
        return None  # printable ASCII: not a control character (BEL, ESC…) pasted with it
    for ch in name:
        if _name_char_cached(ch):
            continue
        if ord(ch) not in bundled_glyphs():
            what = UNPRINTABLE
        elif unicodedata.category(ch)[0] == "L":
            what = "chữ không phải chữ Latinh"
        else:
            what = "ký hiệu không dùng trong họ tên"
        return (f"có {what}: {shown(ch)}; họ tên chỉ gồm chữ cái Latinh (có dấu tiếng Việt; "
                "người nước ngoài ghi như trong hộ chiếu), chữ số, dấu cách và dấu câu")
    return None


def text_char_reason(text: str | None) -> str | None:
    """Why `text` (a unit's or a procedure's name, as core.validation.clean_name gives it)
    cannot be printed on the documents: its first character the bundled font does not draw
    (an emoji, a Chinese character, a control character), named; or None."""
    if not text:
        return None
    glyphs = bundled_glyphs()
    for ch in text:
        if ord(ch) not in glyphs:
            return f"có {UNPRINTABLE}: {shown(ch)}"
    return None


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f" or \
        "\U000e0100" <= ch <= "\U000e01ef"


def drawable(text: str, glyphs: Container[int]) -> str:
    """`text` with each character `glyphs` (a font's code points) lacks drawn as □ (or '?'),
    invisible format characters and variation selectors left out: what every PDF draws
    (core.pdf.fonts.Font), so nothing vanishes silently."""
    if text.isascii():
        return text
    out = []
    replacement = REPLACEMENT if ord(REPLACEMENT) in glyphs else FALLBACK
    for ch in text:
        code = ord(ch)
        if code in glyphs or ch == "\n":
            out.append(ch)
        elif code == 0xA0:
            out.append(" ")
        elif not _invisible(ch):
            out.append(replacement)
    return "".join(out)
