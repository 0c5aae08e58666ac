"""A phone number as it is stored: the clerk's own grouping kept, its characters plain
(try25 F7).

Digits pasted from a full-width keyboard or a PDF ("０９１２ ３４５ ６７８", compatibility
forms) are the same digits: NFKC turns them into 0–9 and their spaces into spaces; a word
processor's dashes become "-"; runs of spaces become one. The grouping itself ("0912 345 678",
"0205.387.0123") is kept as written: the search finds a phone by any of its groups (a citizen
gives the last digits: "387 0123"), which a phone stored as its bare digits would lose
(tests/core/test_searchkey.py). What is left is judged by core.validation.
"""
from __future__ import annotations

import unicodedata

# the Unicode hyphens and dashes a word processor puts in; NFKC does not fold them
_DASHES = str.maketrans({dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2212"})


def normal_phone(phone: str | None) -> str | None:
    """The phone as stored (see the module text); None or "" as given."""
    if not phone:
        return phone
    folded = unicodedata.normalize("NFKC", phone).translate(_DASHES)
    return " ".join(folded.split())
