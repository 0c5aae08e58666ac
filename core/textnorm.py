"""Text keys for searching Vietnamese without diacritics ("dong giap" finds "Đồng Giáp")."""
from __future__ import annotations

# The one fold, in db because the search key's SQL function (db.searchtext) folds with it too.
from db.searchtext import fold, typed_word

SEARCH_MAX = 200       # characters of a search (core.limits.TEXT["search"])
SEARCH_WORDS_MAX = 8   # each word is one LIKE of the query: a pasted page must not make thousands


def search_words(text: str | None) -> list[str]:
    """The folded words a search looks for, bounded so any input gives a small query; a phone
    typed with dots or +84 brought to its digits as the key holds it (db.searchtext)."""
    return [typed_word(w) for w in fold((text or "")[:SEARCH_MAX]).split()[:SEARCH_WORDS_MAX]]
