"""A phone number as it is stored: the digits a clerk or a spreadsheet wrote, without the
spaces, dots and dashes that group them, and in plain digits (try25 F7).

"0912 345 678", "0912.345.678" and "0912-345-678" are one number, stored 0912345678, so a
search, the exchange and the receipt see one number. Digits pasted from a full-width keyboard
or a PDF ("０９１２…", compatibility forms) are the same digits: NFKC turns them into 0–9.
What is left is judged by core.validation (9–11 digits, an optional +84).
"""
from __future__ import annotations

import unicodedata

# what groups the digits: NFKC has already turned a full-width space, dot or hyphen into these;
# the Unicode hyphens and dashes a word processor puts in are not folded by it
_GROUPING = str.maketrans("", "", ".-\u2010\u2011\u2012\u2013\u2014\u2212")


def normal_phone(phone: str | None) -> str | None:
    """The phone as stored (see the module text); None or "" as given."""
    if not phone:
        return phone
    folded = unicodedata.normalize("NFKC", phone)
    return "".join(folded.split()).translate(_GROUPING)
