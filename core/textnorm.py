"""Text keys for searching Vietnamese without diacritics ("dong giap" finds "Đồng Giáp")."""
from __future__ import annotations

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower case, no tone marks or diacritics, đ -> d, spaces squeezed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(plain.lower().split())


SEARCH_MAX = 200       # characters of a search (core.limits.TEXT["search"])
SEARCH_WORDS_MAX = 8   # each word is one LIKE of the query: a pasted page must not make thousands


def search_words(text: str | None) -> list[str]:
    """The folded words a search looks for, bounded so any input gives a small query."""
    return fold((text or "")[:SEARCH_MAX]).split()[:SEARCH_WORDS_MAX]
