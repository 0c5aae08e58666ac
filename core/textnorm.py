"""Text keys for searching Vietnamese without diacritics ("dong giap" finds "Đồng Giáp")."""
from __future__ import annotations

import functools
import re
import unicodedata

# The one fold, in db because the search key's SQL function (db.searchtext) folds with it too.
from db.searchtext import fold, typed_word

# The word-break rule of a zero-width space and the format characters' list, in db because the
# search key's fold reads a break as the desk stores it (db.wordbreak).
from db.wordbreak import (  # noqa: F401 (the names core reads them by)
    _FORMAT_ASTRAL,
    _FORMAT_BMP,
    FORMAT_REMOVED,
    WORD_BREAKS,
    ZWSP,
    has_vowel,
    one_syllable,
    zwsp_breaks,
    zwsp_spaced,
)

SEARCH_MAX = 200       # characters of a search (core.limits.TEXT["search"])
SEARCH_WORDS_MAX = 8   # each word is one LIKE of the query: a pasted page must not make thousands


def search_words(text: str | None) -> list[str]:
    """The folded words a search looks for, bounded so any input gives a small query; a phone
    typed with dots or +84 brought to its digits as the key holds it (db.searchtext). Cut at
    SEARCH_MAX by the one length rule (core.limits.fit_text, the search field's): cut at 200
    code points, a search typed with Unikey's separate marks lost its last words."""
    from core.limits import fit_text  # core.limits reads this module's lists at its import
    # a pasted book read no further than its limit can hold: 8 code points a letter is more
    # than NFD Vietnamese takes (3 at most), so nothing within the limit is lost, and a search
    # costs the same whatever was pasted (the whole 4.6 MB measured: 0.7 s, five times a refresh)
    typed = (text or "")[:8 * SEARCH_MAX]
    typed = fit_text(typed, len(typed), SEARCH_MAX)[0]
    return [typed_word(w) for w in fold(typed).split()[:SEARCH_WORDS_MAX]]


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
    """`text` in NFC, the same string when it is already (the quick check is cheap). A long run
    of marks (`_MARKS_RUN`) is put in canonical order first by a sort (`_ordered`): Python's
    NFC orders a run by moving each mark past the others one step at a time, and a pasted
    «zalgo» text of two classes of marks alternating grew with the run's square (100,001
    characters: 9 s of CPU for each count of a field's length, the window frozen; break35).
    A run in order costs NFC one pass; the result is the same, character for character."""
    if unicodedata.is_normalized("NFC", text):
        return text
    if _MARKS_RUN.search(text):
        text = _ordered(text)
    return unicodedata.normalize("NFC", text)


# Where a run of marks may be long. Every combining mark, and every character whose
# decomposition begins with one (Tibetan U+0F73, U+0F75, U+0F81), is neither a letter, a digit
# nor a space (tests/core/test_limits_marks_run.py checks it on every code point); a letter
# brings at most three marks of its own (Greek «ᾏ»). A run shorter than this costs NFC's
# ordering at most its square, a few hundred steps: honest text (Vietnamese, two marks a
# letter) never comes near it, and Unicode's stream-safe format bounds a letter at 30.
MARKS_RUN_MAX = 30
_MARKS_RUN = re.compile(rf"[^\w\s]{{{MARKS_RUN_MAX},}}")


def _ordered(text: str) -> str:
    """`text` decomposed (NFD) with each run of marks sorted by combining class, keeping the
    order of marks of one class (a stable sort, as the canonical ordering is): in n·log n, not
    the run's square."""
    out: list[str] = []
    run: list[str] = []
    for char in "".join(map(_decomposed, text)):
        if unicodedata.combining(char):
            run.append(char)
            continue
        if run:
            out.extend(sorted(run, key=unicodedata.combining))
            run.clear()
        out.append(char)
    out.extend(sorted(run, key=unicodedata.combining))
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _decomposed(char: str) -> str:
    return unicodedata.normalize("NFD", char)


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
    turned around. Stripping a bidi control shows the letters in the order they are stored; a
    zero-width space or BOM between two words shows the break it stood for (`zwsp_spaced`)."""
    return _HIDDEN.sub("", zwsp_spaced(text)) if has_hidden(text) else text


MARK = "\ufffd"  # where `marked` shows a refused character


def marked(text: str) -> str:
    """`text` with each character `hidden_reason` refuses shown as U+FFFD (�): a message
    quoting a refused value ("Dòng 3, cột ChuHoSo, giá trị …") is never turned around by the
    override it names, nor cut by a NUL, and the clerk sees where the character is."""
    return _REFUSED.sub(MARK, text) if has_hidden(text) else text
