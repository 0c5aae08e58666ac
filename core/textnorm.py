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
