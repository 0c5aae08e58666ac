"""Text keys for searching Vietnamese without diacritics ("dong giap" finds "Đồng Giáp")."""
from __future__ import annotations

import re
import unicodedata

# The one fold, in db because the search key's SQL function (db.searchtext) folds with it too.
from db.searchtext import fold, typed_word

SEARCH_MAX = 200       # characters of a search (core.limits.TEXT["search"])
SEARCH_WORDS_MAX = 8   # each word is one LIKE of the query: a pasted page must not make thousands


def search_words(text: str | None) -> list[str]:
    """The folded words a search looks for, bounded so any input gives a small query; a phone
    typed with dots or +84 brought to its digits as the key holds it (db.searchtext)."""
    return [typed_word(w) for w in fold((text or "")[:SEARCH_MAX]).split()[:SEARCH_WORDS_MAX]]


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
_ZWSP_RUN = re.compile("\u200b+")
_ZWSP_WORD_END = re.compile(r"[^\s\u200b]+$")  # the word's part before the space
_ZWSP_WORD_START = re.compile(r"[^\s\u200b]+")  # and after it


def zwsp_spaced(text: str) -> str:
    """`text` with each zero-width space as what it stood for: between two words the word break
    a web page, a chat or a PDF put there ("Nguyễn\u200bVăn" is "Nguyễn Văn", "xã Tri
    Lễ\u200bthôn Nà Pe" is "xã Tri Lễ thôn Nà Pe"), inside a word nothing ("Ng\u200buyễn" is
    "Nguyễn"), read from the letters on each side whatever their case (`zwsp_breaks`); next to
    a space, a digit, a mark or at an end nothing ("0912\u200b345678"). Removed between two
    words, it made "NguyễnVăn", a name nobody typed and no search for "văn" finds. The one rule of names
    (core.validation.clean_name) and of every other text stored (`clean_text`)."""
    return _ZWSP_RUN.sub(_zwsp_meant, text) if ZWSP in text else text


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
    return unicodedata.normalize("NFC", _REMOVED.sub("", part))


# ----- characters nobody sees (the one rule of every entry of text, and of every export) ------
# Pasted from a web page, a chat, a PDF or another program, a text brings characters that show
# nothing. Two kinds, two answers:
# - Bidi controls turn the letters after them around on screen (embeddings, overrides,
#   isolates U+202A–U+202E, U+2066–U+2069; the right-to-left and Arabic letter marks U+200F,
#   U+061C, which move digits and punctuation around them): the text shown is not the text
#   stored, and a report reader sees other letters. Refused, never removed: the clerk saw the
#   turned letters, and only the person who typed them knows what was meant. (The
#   left-to-right mark U+200E is not one of them: Vietnamese text runs left to right already,
#   it moves nothing.)
# - Every other format character (Unicode Cf: zero-width space U+200B, ZWNJ/ZWJ U+200C/D,
#   word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD, U+200E, the invisible operators, the
#   tags U+E0000…) means nothing in Vietnamese text: removed, silently, as nothing shown is lost;
#   left in, it split a code, a phone or a name so the search and the matching missed them.
# Control characters (C0 but tab, line feed and carriage return; DEL; C1 U+0080–U+009F, a
# mis-decoded file's) are refused with the other ones. Where: the desk and a correction
# (core.validation.check_texts, stored_text), every import file and the provincial system's
# (core.transfer.base.parse_record), and, the last guard, every export, mask and workbook
# (`shown_text`; PDFs: core.printable.drawable). A package from another installation is taken
# as sent (core.exchange): refused, the offices could not exchange; cleaned, the two would hold
# two versions of one dossier, reported changed at every later exchange. Its texts meet the
# last guard like a value an older version stored. Written as ranges, not read from
# unicodedata at start-up (a scan of every code point takes a third of a second): the test
# checks the list against the Unicode of the running Python.
BIDI_CONTROLS = "\u061c\u200f\u202a-\u202e\u2066-\u2069"
_FORMAT_BMP = ("\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200e"
               "\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb")
_FORMAT_ASTRAL = ("\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
                  "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
FORMAT_REMOVED = _FORMAT_BMP + _FORMAT_ASTRAL
# The characters XML 1.0 forbids (Excel refuses a workbook holding one) and SQLite's C functions
# stop at (NUL): a package refuses them (core.limits.CONTROL); every export takes them away
XML_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
CONTROLS = XML_ILLEGAL + "\x7f-\x9f"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_REMOVED = re.compile(f"[{FORMAT_REMOVED}]+")
_REFUSED = re.compile(f"[{BIDI_CONTROLS}{CONTROLS}]")
_HIDDEN = re.compile(f"[{BIDI_CONTROLS}{FORMAT_REMOVED}{CONTROLS}]+")
# The search run on every cell of an import and an export: a class of a few ranges below U+10000
# and one range for every character above (an emoji, rare), checked then against the precise
# list. Searched with the precise class at once, a cell took six times as long (2 µs, not 0.3):
# the engine tests a class holding characters beyond U+FFFF character by character.
SUSPECTS = f"{BIDI_CONTROLS}{_FORMAT_BMP}{CONTROLS}\U00010000-\U0010ffff"  # as a class's contents
_SUSPECT = re.compile(f"[{SUSPECTS}]")


def has_hidden(text: str) -> bool:
    """Whether `text` holds a character `clean_text` removes or `hidden_reason` refuses."""
    found = _SUSPECT.search(text)
    return found is not None and (found.group() < "\U00010000"
                                  or _HIDDEN.search(text, found.start()) is not None)


def clean_text(text: str) -> str:
    """`text` as it is stored: the invisible format characters that mean nothing removed, NFC (a
    tone mark typed apart joins its letter: Unikey's "Unicode tổ hợp", a Mac), a zero-width
    space between two words a space (`zwsp_spaced`, the names' rule: removed, "xã Tri
    Lễ\u200bthôn Nà Pe" was stored "Tri Lễthôn", a commune nobody named, which the address's
    mask then showed, hamlet and all). Bidi and control
    characters are kept for `hidden_reason` to refuse. The same string back when nothing changes
    (most cells of an import: printable ASCII or NFC Vietnamese without a hidden character)."""
    if text.isascii():
        return text
    if _REMOVED.search(text):
        text = _REMOVED.sub("", zwsp_spaced(text))
    return nfc(text)


def nfc(text: str) -> str:
    """`text` in NFC, the same string when it is already (the quick check is cheap)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def hidden_reason(text: str | None) -> str | None:
    """Why `text` cannot be stored, as a phrase ("chứa ký tự ẩn đảo chiều chữ (mã U+202E) ở vị
    trí 7: …"; the import puts it after "Dòng N, cột C", a form after the field's name), or None.
    The position counts the characters of `text` as given."""
    found = _REFUSED.search(text) if text else None
    if found is None:
        return None
    if _BIDI.match(found.group()):
        return _bidi_phrase(found)
    return (f"chứa ký tự điều khiển không in được (mã U+{ord(found.group()):04X}) ở vị trí "
            f"{found.start() + 1}")


def bidi_reason(text: str | None) -> str | None:
    """`hidden_reason` for the bidi controls alone (a name's other control characters are
    judged by what the documents print: core.printable)."""
    found = _BIDI.search(text) if text else None
    return None if found is None else _bidi_phrase(found)


def _bidi_phrase(found: re.Match) -> str:
    return (f"chứa ký tự ẩn đảo chiều chữ (mã U+{ord(found.group()):04X}) ở vị trí "
            f"{found.start() + 1}: chữ hiện ra khác chữ được lưu")


def shown_text(text: str) -> str:
    """`text` as an export or a masked value shows it: no bidi control, no format character, no
    control character (tab and line breaks kept). The last guard for a value stored before this
    rule or received in another installation's package: a report reader never sees letters
    turned around. Stripping a bidi control shows the letters in the order they are stored."""
    return _HIDDEN.sub("", text) if has_hidden(text) else text


def marked(text: str) -> str:
    """`text` with each character `hidden_reason` refuses shown as U+FFFD (�): a message
    quoting a refused value ("Dòng 3, cột ChuHoSo, giá trị …") is never turned around by the
    override it names, nor cut by a NUL, and the clerk sees where the character is."""
    return _REFUSED.sub("\ufffd", text) if has_hidden(text) else text
