"""How a name is stored and judged, whoever writes it (core.validation's rules of names).

A person's name (the applicant, the representative, an account's full name) and a unit's or a
procedure's name are stored as `clean_name` gives them: nothing invisible, NFC, spaces
squeezed. Each `…_reason` gives the Vietnamese reason as a phrase, or None when the name is
fine; `clean_printed` and `printed_line` raise FieldError with a whole sentence.
"""
from __future__ import annotations

import re
import unicodedata

from core.printable import name_char_reason, text_char_reason
from core.textnorm import FORMAT_REMOVED, WORD_BREAKS, bidi_reason, nfc, zwsp_spaced
from db.searchtext import D_LOOKALIKES as _D_LOOKALIKES
from db.searchtext import LOOKS_LIKE_D  # the one rule of the look-alikes of Đ (search folds them)


def _error(field: str, message: str):
    from core.errors import FieldError

    return FieldError(field, message)


def _blank(text) -> bool:
    return not (text and str(text).strip())


# Invisible characters that mean nothing (removed) and bidi controls (refused): one rule for
# every text, core.textnorm; a name is cleaned further (its zero-width spaces may be word breaks).
_INVISIBLE = re.compile(f"[{FORMAT_REMOVED}]")


def _invisible(ch: str) -> bool:
    """An invisible format character that means nothing (core.textnorm.FORMAT_REMOVED: zero-width
    space, ZWNJ, ZWJ, word joiner, BOM U+FEFF, soft hyphen U+00AD, left-to-right mark…)."""
    return _INVISIBLE.match(ch) is not None


def clean_name(name: str | None) -> str | None:
    """A person's name as it is stored and compared: what it shows, nothing hidden.

    A name pasted from a web page or a chat often carries an invisible character
    ("Nguyễn\u200bVăn An"): it looks like the name but neither the search nor the
    reconciliation's matching by applicant finds it. Every entry (the desk, a correction, the
    core API and the command line, the import, the reconciliation's reading of the provincial
    file) stores or compares this: the invisible format characters removed, NFC (a tone mark
    typed apart joins its letter, as Windows' Unikey and a Mac give them differently), any
    run of spaces (a no-break space, a tab, a line break) one space, none at the ends.
    Bidi controls are kept, so `person_name_reason` refuses them: the clerk saw the letters
    turned around, removing the control would store a name other than the one seen. A letter
    drawn exactly as Đ (LOOKS_LIKE_D: Ð U+00D0, which fonts, PDFs and old converters give for
    Đ, and Ɖ U+0189) is Đ: "ÐỨC" folded to "ðuc", and the search and the reconciliation's
    matching missed Đức. A zero-width space between two words is a word break, inside a word
    nothing (core.textnorm.zwsp_spaced)."""
    if name is None:
        return None
    text = str(name)
    if not text.isascii() and any(ch in text for ch in _D_LOOKALIKES):
        text = text.translate(LOOKS_LIKE_D)
    if any(ch in text for ch in WORD_BREAKS):  # a break or nothing (textnorm.zwsp_spaced)
        text = zwsp_spaced(text)
    if not text.isascii() and not (_VISIBLE.issuperset(text)
                                   and unicodedata.is_normalized("NFC", text)):
        text = nfc("".join(ch for ch in text if not _invisible(ch)))
        if len(_VISIBLE) < 4096:  # remembered: the next name of these letters is one test
            _VISIBLE.update(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


_VISIBLE: set[str] = set()  # characters met that are not format characters


def applicant_name_reason(name: str | None, printed: bool = True) -> str | None:
    """Why `name` cannot be the applicant's name (a blank one apart: APPLICANT_NAME_REQUIRED),
    or None; the name is judged as `clean_name` stores it. A "name" of zero-width spaces or
    lone tone marks passed as filled in, and the register, the receipt and the kiosk then
    showed nobody. `printed`: only characters the documents print (core.printable); False
    for a reconciliation, which reads the provincial system's records without storing them."""
    if _blank(name):
        return None
    text = clean_name(name) or ""
    if not any(ch.isalnum() for ch in text):
        return ("không có chữ cái nào (chỉ có ký tự ẩn, dấu thanh hoặc ký hiệu): hãy gõ lại họ "
                "tên người nộp")
    if printed and not any(ch.isalpha() for ch in text):
        return DIGITS_ONLY_NAME
    return _bidi_reason(text, "họ tên") or (name_char_reason(text) if printed else None)


# A clerk's slip of the Tab key: the phone or the identity number typed into the name field was
# received as the applicant's name ("0912345678" on the receipt and the kiosk). A person or an
# organisation has letters in its name; the reconciliation (printed=False) only reads one.
DIGITS_ONLY_NAME = ("chỉ có chữ số, không có chữ cái nào: có lẽ số điện thoại hoặc số định "
                    "danh đã gõ nhầm vào ô này; hãy gõ họ tên người nộp")


# The same slip one Tab later: the name typed, then the phone without the Tab ("Hoang Van Tuan
# 0912345678") — received, printed on the receipt as the applicant's name. A person's name holds
# no nine digits in a row (a phone has 9–11, an identity number 9 or 12, a tax code 10 or 13);
# "Công ty 3A", "Tổ 12" keep theirs. Digits grouped by spaces or dots ("0912 345 678") count as
# one run. The number is not quoted: it is a citizen's phone or id. Typed names only.
NUMBER_IN_NAME = re.compile(r"\d(?:[ .]?\d){8,}")


def typed_name_reason(name: str | None) -> str | None:
    """`applicant_name_reason` for a name the clerk typed (check_applicant_name: the desk, a
    correction, a refusal form): a number run into it too. Not for a file's names: a provincial
    one names an organisation with its tax code ("Công ty TNHH ABC - MST 0101234567")."""
    if reason := applicant_name_reason(name):
        return reason
    run = number_run(name)
    return number_in_name(run) if run else None


def number_run(name: str | None) -> str | None:
    """The first run of nine digits or more in `name` as `clean_name` stores it (NUMBER_IN_NAME),
    or None: the one detection of the desk's refusal and of an import's warning."""
    found = NUMBER_IN_NAME.search(clean_name(name) or "") if name else None
    return found.group() if found else None


def run_digits(run: str) -> int:
    return sum(ch.isdigit() for ch in run)


def number_in_file_name(name: str | None) -> str | None:
    """What an import says of a name a file brings with a number run into it, or None. Only a
    warning: a provincial file names an organisation with its tax code ("Công ty TNHH ABC - MST
    0101234567"), yet a phone typed into the name is the desk's slip. The number not quoted."""
    run = number_run(name)
    if run is None:
        return None
    return (f"tên có {run_digits(run)} chữ số liền nhau — kiểm tra có phải số điện thoại nhập "
            "nhầm vào tên không")


def number_in_name(run: str) -> str:
    digits = run_digits(run)
    return (f"có một dãy {digits} chữ số: có lẽ số điện thoại hoặc số định danh đã gõ liền vào "
            "ô này; hãy chuyển số ấy sang ô của nó (Số điện thoại, Số định danh / MST) và chỉ "
            "để họ tên ở đây")


def _bidi_reason(text: str, what: str) -> str | None:
    """A bidi control in `text` (kept by `clean_name`): the letters shown are not those stored."""
    reason = bidi_reason(text)
    return f"{reason}; hãy gõ lại {what}" if reason else None


def account_name_reason(name: str | None) -> str | None:
    """Why `name` cannot be an account's full name (a blank one apart), or None; judged as
    `clean_name` stores it. It is printed as the receiving clerk on every slip: the characters
    of a citizen's name (core.printable.name_char_reason)."""
    text = clean_name(name) or ""
    return _bidi_reason(text, "họ tên") or name_char_reason(text)


def printed_text_reason(text: str | None) -> str | None:
    """Why `text` cannot be a unit's or a procedure's name (a blank one apart), or None; judged
    as `clean_name` stores it (invisible characters left out, NFC, spaces squeezed). Printed on
    every slip, report and register: only what the documents' font draws
    (core.printable.text_char_reason), no bidi control."""
    text = clean_name(text) or ""
    return _bidi_reason(text, "tên") or text_char_reason(text)


def clean_printed(field: str, label: str, text: str | None, required: str) -> str:
    """A unit's or a procedure's name as it is stored, from the window, the core API or the
    first start: cleaned as `clean_name`; blank -> FieldError(`required`); a character the
    documents cannot print -> FieldError("{label} {reason}.") naming it."""
    cleaned = printed_line(field, label, text)
    if not cleaned:
        raise _error(field, required)
    return cleaned


def printed_line(field: str, label: str, text: str | None) -> str:
    """A line the documents print that may be blank (a line of the report header, a
    procedure's field): cleaned as `clean_name` ("" when blank); a character the documents
    cannot print -> FieldError("{label} {reason}.") naming it, as `clean_printed`."""
    cleaned = clean_name(text) or ""
    if reason := printed_text_reason(cleaned):
        raise _error(field, f"{label} {reason}.")
    return cleaned


def representative_reason(name: str | None) -> str | None:
    """Why the authorised representative's name cannot be stored (printed on the receipt), or
    None: the same characters as the applicant's name (core.printable)."""
    if _blank(name):
        return None
    text = clean_name(name) or ""
    return _bidi_reason(text, "họ tên") or name_char_reason(text)
