"""A zero-width space (or a BOM) pasted between letters: a word break or nothing, read from the
letters on each side (`zwsp_spaced`), and the list of the format characters nobody sees
(`FORMAT_REMOVED`; why each kind is removed or refused: core.textnorm). Here, in db, because
the search key's fold (db.searchtext) reads such a break as the desk stores it, and db imports
nothing of core: one rule for the stored text and the key ("Lạng\ufeffSơn" is "Lạng Sơn" on
the screen and "lang son" in the key)."""
from __future__ import annotations

import re
import unicodedata

_FORMAT_BMP = ("\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200e"
               "\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb")
_FORMAT_ASTRAL = ("\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
                  "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
FORMAT_REMOVED = _FORMAT_BMP + _FORMAT_ASTRAL
_REMOVED = re.compile(f"[{FORMAT_REMOVED}]+")


# ----- one Vietnamese syllable -------------------------------------------------------------------
# A zero-width space pasted inside a name (core.validation.clean_name) is a word break or nothing;
# which one is read from the letters around it, never from their case: "NGUYỄN\u200bVĂN" and
# "Nguyễn\u200bVăn" are the same name, and so are "NGU\u200bYỄN" and "Ngu\u200byễn" (the case
# was the rule: a capital after it started a word, so an upper-case name cut inside a word was
# split and the same name in small letters was not; the reconciliation then missed the pair).
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_INITIAL = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
_OPEN = ("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oao oay oeo uây "
         "uôi uya uyu ươi ươu uơ")
_EITHER = "a e ê i y o ô ơ u ư oa oe uê uy"
_CLOSED = "ă â iê yê uô ươ oă uâ uyê"
_FINAL = "(?:ch|ng|nh|[cmnpt])"


def _alternatives(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SYLLABLE = re.compile(f"{_INITIAL}(?:(?:{_alternatives(_OPEN)})|(?:{_alternatives(_EITHER)})"
                       f"{_FINAL}?|(?:{_alternatives(_CLOSED)}){_FINAL})")
_VOWELS = frozenset("aăâeêioôơuưy")


def _toneless(word: str) -> tuple[str, int]:
    """`word` in small letters without its tone marks (the vowels' own marks kept: â ơ ư), đ
    as d, and how many tone marks it had."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    tones = sum(ch in _TONES for ch in decomposed)
    plain = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", plain), tones


def one_syllable(word: str) -> bool:
    """Whether `word` (any case) is one Vietnamese syllable: an initial, a vowel group Vietnamese
    writes and a final it allows, at most one tone mark, on the group's last vowel when a final
    follows ("Nguyễn", "NGUYỄN", "hoàng"; not "NguyễnVăn", "LòAn")."""
    plain, tones = _toneless(word)
    return tones <= 1 and _SYLLABLE.fullmatch(plain) is not None and \
        not (tones and plain[-1] not in _VOWELS and _vowel_after_tone(word))


def _vowel_after_tone(word: str) -> bool:
    """Whether a vowel follows the one carrying the tone: a syllable with a final carries its
    tone on the group's last vowel ("loàn", "hoàng"), so "Lò|An" is two words."""
    bases = [ch for ch in unicodedata.normalize("NFD", word.lower())
             if not unicodedata.combining(ch) or ch in _TONES]
    at = next(i for i, ch in enumerate(bases) if ch in _TONES)
    return any(_toneless(ch)[0] in _VOWELS for ch in bases[at + 1:])


def has_vowel(word: str) -> bool:
    return not _VOWELS.isdisjoint(_toneless(word)[0])


def zwsp_breaks(before: str, after: str) -> bool:
    """Whether a zero-width space between the letters `before` and `after` (the word's letters
    on each side of it, other hidden characters left out) is a word break. A small letter then
    a capital is one: a name in title case starts each word so ("Ho|An", "Thi|Ên"). Else not
    when the two join into one syllable ("Ngu|yễn", "NGU|YỄN": nothing), nor when a side could
    not be a word of its own ("Ng|uyễn", "K|sor"); else it is ("nguyễn|văn", "NGUYỄN|VĂN")."""
    if not before or not after:
        return False
    if before[-1].islower() and after[0].isupper():
        return True
    if one_syllable(before + after):
        return False
    return has_vowel(before) and has_vowel(after)


ZWSP = "\u200b"
# the zero-width space, and the zero-width no-break space (the BOM U+FEFF) a pasted text puts
# between words as well ("Lạng\ufeffSơn"): read by the one rule
WORD_BREAKS = "\u200b\ufeff"
_ZWSP_RUN = re.compile(f"[{WORD_BREAKS}]+")
_ZWSP_WORD_END = re.compile(rf"[^\s{WORD_BREAKS}]+$")  # the word's part before the space
_ZWSP_WORD_START = re.compile(rf"[^\s{WORD_BREAKS}]+")  # and after it


def zwsp_spaced(text: str) -> str:
    """`text` with each zero-width space as what it stood for: between two words the word break
    a web page, a chat or a PDF put there ("Nguyễn\u200bVăn" is "Nguyễn Văn", "xã Tri
    Lễ\u200bthôn Nà Pe" is "xã Tri Lễ thôn Nà Pe"), inside a word nothing ("Ng\u200buyễn" is
    "Nguyễn"), read from the letters on each side whatever their case (`zwsp_breaks`); next to
    a space, a digit, a mark or at an end nothing ("0912\u200b345678"). Removed between two
    words, it made "NguyễnVăn", a name nobody typed and no search for "văn" finds. The one rule of names
    (core.validation.clean_name) and of every other text stored (`clean_text`)."""
    return _ZWSP_RUN.sub(_zwsp_meant, text) if _ZWSP_RUN.search(text) else text


def _zwsp_meant(found: re.Match) -> str:
    text, start, end = found.string, found.start(), found.end()
    before = _ZWSP_WORD_END.search(text, 0, start)
    after = _ZWSP_WORD_START.match(text, end)
    left = _letters(before.group() if before else "")
    right = _letters(after.group() if after else "")
    if not (left and right and left[-1].isalpha() and right[0].isalpha()) \
            or "@" in left or "@" in right:  # an e-mail address holds no space
        return ""
    return " " if zwsp_breaks(left, right) else ""


def _letters(part: str) -> str:
    """A word's part as its letters read: the other hidden characters (a soft hyphen) left out."""
    return unicodedata.normalize("NFC", _REMOVED.sub("", part))  # NFC: as core.textnorm.nfc
