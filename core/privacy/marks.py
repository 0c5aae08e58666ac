"""Marks typed in an address, read before core.privacy.addresses cuts it into pieces: a bracket
or a quote of any shape is a remark's ('xã Tri Lễ [Nà Pe]' hides 'Nà Pe' as '(Nà Pe)' does), a
dash of any kind a hyphen, and any other mark glued between two words a separator ('xã An
Sơn+thôn Pá Lòng', 'phường Láng:Hà Nội', 'Lễ•thôn', 'Lễ，thôn', a zero-width space): read as a
letter, it let the hamlet after it pass as the commune's name.
"""
from __future__ import annotations

import re

from core.privacy import places

# A mark other than a letter, a digit, a space, the separators ',;-–/', the point (of an
# abbreviation, 'TP.HCM'), '@' (an e-mail) and an apostrophe within a word ("H'leo", "D'Ran");
# an apostrophe opening a word is a quote, one ending a word closes it (after one opened)
_MARKS = re.compile(r"(?<![^\s(])['’]|(?<=[^\W\d_])['’](?![^\W\d_])"
                    r"|[^\w\s,;./\-–@'’ʼ\u0300-\u036f]")
_QUOTE_OPENS = re.compile(r"(?<![^\s(])['’‘]")
# Whether to look further: one class, no alternation (most addresses hold no such mark)
_ANY = re.compile(r"[^\w\s,;./\-–@ʼ\u0300-\u036f]")
_OPENERS = frozenset("([{<«‹“„「『【〈《‘'’\"")
_CLOSERS = frozenset(")]}>»›”」』】〉》")
_DASHES = frozenset("‐‑‒—―−﹣－")


def read(text: str) -> str:
    """`text` with its brackets and quotes as '(' and ')', its dashes as ' - ', any other mark
    as ' / ' (_MARKS), a known name's hyphen glued (places.hyphens_glued), no point at its end."""
    if _ANY.search(text) and _MARKS.search(text):
        read = _MARKS.sub(_mark_read, text)
        text = " ".join(read.split() if places.GLUE not in read else  # a glued name kept
                        (word for word in read.split(" ") if word))
        text = text.replace(") ,", "),").replace(") ;", ");").strip(",;-–/ ")
    if "-" in text or "–" in text:
        text = places.hyphens_glued(text)
    return text.rstrip(". ,;-–/") if text[-1:] == "." else text


def _mark_read(found: re.Match[str]) -> str:
    """A mark as read: a closing bracket or quote (a straight quote after a letter), an opening
    one, a dash, or a separator; spaced, so the word after it is seen ('(thôn', not 'lễ(thôn')."""
    mark, at = found.group(), found.start()
    if mark in _CLOSERS or (mark == '"' and at and found.string[at - 1] not in " ("):
        return " ) "
    if mark in "'’" and at and found.string[at - 1] not in " (":  # "Nà Pe'", "H' Drai"
        return " ) " if _QUOTE_OPENS.search(found.string, 0, at) else mark
    if mark in _OPENERS:
        return " ("
    return " - " if mark in _DASHES else " / "
