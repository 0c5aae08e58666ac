"""A dossier's search key, computed where it is read: the SQL functions every connection of the
program has (db.connection, db.readonly), and the Python they run.

The key (core.searchkey says what a clerk finds with it) is the folded code, applicant's name,
phone and address, receiving unit's name and, when another unit resolves the dossier, that
unit's name, joined by `SEPARATOR`. Since schema 21 it is no longer stored (issue 18, the
database's size: 122 bytes a dossier): `motcua_search_key(...)` computes it from the row and
the units table (`key_sql`), the view `dossier_keys` (db.fulltext) gives it per dossier, and
`motcua_holds(spec, <the same parts>)` tests a key against a search's words (`spec`) in one
call per row, the key made once (`holds`).

Here, in db, because the migration and the index's triggers need the functions on every
connection, and db imports nothing of core (docs/style: gui → core → db); core.textnorm gives
`fold` from here. Deterministic: the same arguments always give the same key, which the
full-text index relies on (a 'delete' must be told exactly the text that was indexed).
A connection without these functions (the sqlite3 shell, another viewer) reads every table and
the index's rowids, but cannot change what a key is made of — insert or delete a dossier,
change its code, applicant, unit or competent unit, a unit's name: the index's triggers call
the function and SQLite refuses the whole statement — nor read `dossier_keys` or the index's
text (docs/ARCHITECTURE.md, docs/audit.md).
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata

from db.wordbreak import zwsp_spaced

# 1: code|name|phone; 2: + address and unit names; 3: Ð Ɖ ð ɖ folded to d like Đ đ (a name
# stored "ÐỨC" by an older version was keyed "ðuc" and "Đức" typed found nothing), and the
# phone keyed as written and by its digits (`phone_key`: "0912 345 678" as written by a vendor's
# file or at the desk was not found by the 0912345678 a clerk types; a typed phone is brought
# to the same digits, `typed_word`); 4: the format characters (Unicode Cf: bidi controls,
# zero-width spaces) left out, as every screen shows the text (core.textnorm.shown_text): a name
# stored "Trần \u202eVăn Bình" by an older version was keyed "tran \u202evan binh", and "tran van
# binh" typed from what the register shows found nothing; a phone "0912\u200b345678" likewise;
# a zero-width space or BOM between two words read as the break it stood for (db.wordbreak, the
# desk's rule: "Lạng\ufeffSơn" keyed "lang son", not "langson")
KEY_FORMAT = 4
KEY_SETTING = "search_key_format"  # the format the index was built with (core.searchkey)
KEY_FUNCTION = "motcua_search_key"
HOLDS_FUNCTION = "motcua_holds"
SEPARATOR = "| "  # each part starts after a space, like each word inside it (core.searchkey)
ANYWHERE, WORD_START = "*", " "  # the two kinds of term of a `holds` spec
WORDS_MAX = 200_000  # distinct folded words kept between calls (a few MB), then forgotten
TEXTS_MAX = 50_000  # distinct folded texts (names, addresses) kept: ~10 MB, then forgotten
SPECS_MAX = 64  # parsed specs kept (one per running search)

# Ð U+00D0 and Ɖ U+0189 are drawn as Đ, and their small letters ð U+00F0, ɖ U+0256 as đ (fonts,
# PDFs and old converters give them for Đ; no Vietnamese name holds them otherwise): the one
# rule, here because db imports nothing of core; core.validation.clean_name stores them as Đ đ.
LOOKS_LIKE_D = str.maketrans({"\u00d0": "\u0110", "\u0189": "\u0110",
                              "\u00f0": "\u0111", "\u0256": "\u0111"})
D_LOOKALIKES = "\u00d0\u0189\u00f0\u0256"
_D = str.maketrans({"đ": "d", "Đ": "d"} | dict.fromkeys(D_LOOKALIKES, "d"))
_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


_DROPPED = ("Mn", "Cf")  # the marks a fold takes off, and the characters nobody sees


def fold(text: str | None) -> str:
    """Lower case, no tone marks or diacritics, đ (and its look-alikes) -> d, spaces squeezed,
    no format character (a bidi control, a zero-width space: what the screens show)."""
    if not text:
        return ""
    # a zero-width space or BOM between two words is the break the desk stores (db.wordbreak:
    # "Lạng\ufeffSơn" is "lang son", typed so), inside a word nothing; the others left out
    decomposed = unicodedata.normalize("NFD", zwsp_spaced(text).translate(_D))
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED)
    return " ".join(plain.lower().split())


class Folder(dict):
    """`fold` word by word with each distinct word folded once: names, villages and unit names
    repeat across dossiers, so a million keys cost seconds, not a minute. The same text as
    `fold` of the whole (a word folds alone as it does among others). A whole text met again
    (an address, a unit's name, a common name) is one look-up: a search tests each key it
    reads, computed (docs/speed.md "Size")."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}

    def __missing__(self, word: str) -> str:
        if len(self) >= WORDS_MAX:
            self.clear()  # bounded memory: a long session forgets, then learns again
        self[word] = value = fold(word)
        return value

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        if text.isascii():  # codes, phones: nothing to fold but the case
            return " ".join(text.lower().split())
        try:
            return self.texts[text]
        except KeyError:
            if len(self.texts) >= TEXTS_MAX:
                self.texts.clear()
            value = self.texts[text] = " ".join(w for w in map(self.__getitem__, text.split())
                                                if w)
            return value


_PHONE_MARKS = str.maketrans("", "", " .-()\u00a0")
_TYPED_PHONE = re.compile(r"\+?[0-9.()]+")  # a typed word that may be a phone: no letter, no dash


def phone_digits(text: str) -> str:
    """A phone reduced to its digits — without the spaces, dots, dashes and brackets it may be
    written with, the country's +84 read as the 0 dialled at home — the one form both the key
    and a typed phone are brought to."""
    digits = text.translate(_PHONE_MARKS).lower()
    return "0" + digits[3:] if digits.startswith("+84") and digits[3:].isdigit() else digits


def phone_key(phone: str | None) -> str:
    """A phone as the key holds it: as written (folded), and its digits (`phone_digits`) when
    they differ, so that it is found as it is written ("0205.387", "387.0123") and by its
    digits whichever way it was written ("0912 345 678", "+84 987 654 321")."""
    if not phone:
        return ""
    if phone.isdigit() and phone.isascii():  # digits 0-9 alone (most phones): written as
        return phone  # its digits, nothing to fold or take off (a third of a part's keys' Python)
    if not phone.isascii():  # a zero-width space inside, as an older version stored it
        phone = "".join(ch for ch in phone if unicodedata.category(ch) != "Cf")
    written, digits = " ".join(phone.lower().split()), phone_digits(phone)
    return written if digits == written or not digits else f"{written} {digits}"


def typed_word(word: str) -> str:
    """A word of a search (folded): a phone as typed with dots, brackets or +84 ("0912.345.678",
    "+84987654321": at least 9 digits, no letter, no dash) brought to its digits, as the key
    holds it, a shorter one without its brackets; any other word as it is (a code's
    "000.46.00", "250401-0001" are found as written)."""
    if not _TYPED_PHONE.fullmatch(word):
        return word
    if sum(ch.isdigit() for ch in word) >= 9:
        return phone_digits(word)
    return word.strip("()") or word  # "(0205)": the area code, found in any form of the key


def folded_key(*folded: str | None) -> str:
    """The key from parts already folded, in the order of `search_key` (the demo folds each
    name syllable once for a million dossiers)."""
    return SEPARATOR.join(p for p in folded if p)


_FOLDER = Folder()
_UNITS: dict[str | None, str] = {}  # a unit's name, folded: a few hundred names, each row has one


def _unit(name: str | None) -> str:
    try:
        return _UNITS[name]
    except KeyError:
        if len(_UNITS) >= 10_000:
            _UNITS.clear()
        _UNITS[name] = value = _FOLDER(name)
        return value


def search_key(code: str | None, name: str | None, phone: str | None, address: str | None,
               unit_name: str | None, competent_name: str | None = None) -> str:
    """The search key of one dossier: everything a clerk may type to find it, folded."""
    f = _FOLDER  # (filter(None, …): the empty parts left out, as `if p` in a generator did,
    # a tenth of the call's time less: a copied part's 20,000 keys, every search's rows)
    return SEPARATOR.join(filter(None, (f(code), f(name), phone_key(phone), f(address),
                                        _unit(unit_name), _unit(competent_name))))


def parts_sql(row: str) -> str:
    """SQL: the six parts of the key of the dossier `row` (a table alias, or NEW / OLD in a
    trigger), unfolded, the unit names read from the units table as they are when it runs."""
    return (f"{row}.code, {row}.applicant_name, {row}.applicant_phone, "
            f"{row}.applicant_address, (SELECT name FROM units WHERE code = {row}.unit_code), "
            f"CASE WHEN {row}.competent_unit_code IS NOT NULL AND "
            f"{row}.competent_unit_code <> {row}.unit_code THEN "
            f"(SELECT name FROM units WHERE code = {row}.competent_unit_code) END")


def key_sql(row: str) -> str:
    """SQL computing the key of the dossier `row` (see `parts_sql`)."""
    return f"{KEY_FUNCTION}({parts_sql(row)})"


def holds_sql(row: str) -> str:
    """SQL: does the key of the dossier `row` hold every term of the spec (the parameter)?"""
    return f"{HOLDS_FUNCTION}(?, {parts_sql(row)})"


# ----- testing a key against a search's words ------------------------------------------------
# A spec is the search's terms, one a line, each after its kind: `ANYWHERE` (a word with a
# digit: "%w%" in LIKE terms) or `WORD_START` (starts the key or a word of it: "w%" or "% w%").
# `holds` is those LIKE patterns' answer: the key is folded (lower case), the terms are lowered
# as LIKE compares ASCII letters, and a term's "%" or "_" is a character like any other.


def spec(terms: list[tuple[bool, str]]) -> str:
    """The spec of these terms, each (anywhere?, folded text)."""
    return "\n".join((ANYWHERE if anywhere else WORD_START) + text.translate(_ASCII_LOWER)
                     for anywhere, text in terms)


_SPECS: dict[str, list[tuple[bool, str, str]]] = {}  # spec: [(anywhere?, text, " " + text)]


def _parsed(text: str) -> list[tuple[bool, str, str]]:
    try:
        return _SPECS[text]
    except KeyError:
        if len(_SPECS) >= SPECS_MAX:
            _SPECS.clear()
        terms = _SPECS[text] = [(line[0] == ANYWHERE, line[1:], " " + line[1:])
                                for line in text.split("\n") if line]
        return terms


def holds_key(text: str, key: str) -> bool:
    """Does the key hold every term of the spec `text`: the LIKE patterns' answer."""
    for anywhere, term, spaced in _parsed(text):
        if anywhere:
            if term not in key:
                return False
        elif not (key.startswith(term) or spaced in key):
            return False
    return True


def holds(text: str, code: str | None, name: str | None, phone: str | None,
          address: str | None, unit_name: str | None, competent_name: str | None) -> int:
    """1 when the key of these parts (`search_key`) holds every term of the spec, else 0: one
    call a row, the key made once (its parts' folds mostly looked up: `Folder`)."""
    return int(holds_key(text, search_key(code, name, phone, address, unit_name,
                                          competent_name)))


def register(conn: sqlite3.Connection) -> None:
    """Give a connection the functions (every connection the program opens: db.connection)."""
    conn.create_function(KEY_FUNCTION, 6, search_key, deterministic=True)
    conn.create_function(HOLDS_FUNCTION, 7, holds, deterministic=True)
