"""An address's hyphens, slashes and points between words spaced as separators before it is cut
(core.privacy.masking reads it so; core.privacy.addresses cuts it): 'Số 5-ngõ 3' is two parts,
'123-125', '51/3' and 'TP.HCM' stay whole, and so does a hyphen typed inside the name of a unit
above the commune (round 25: 'huyện Krông-Pắc') or of a known hyphenated place ('phường Phan
Rang-Tháp Chàm'): left as typed, one word to the cutting, shown as typed (round 27: the mask
showed 'Krông - Pắc')."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import partial

from core.privacy import places
from core.privacy.words import CANDIDATES, NAMING, SHORT_RANKS

_HYPHEN = re.compile(r"\s*(?<!\d)([-–])\s*|\s*([-–])(?!\d)\s*")  # not in '123-125'
_SLASH = re.compile(r"\s*(?<!\d)/[\s/]*|\s*/(?!\d)[\s/]*")  # not in '51/3', 'K12/34'
# A point glued between two words ('xã An Sơn.thôn Pá Lòng'), but after an abbreviation
# ('TP.HCM', 'P.Láng'): spaced before it, so the word after it is seen ('.thôn': a hamlet's)
_GLUED = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\.(?=[^\W\d_])")

def spaced_slashes(text: str) -> str:
    """' / ' for a slash between words ('xã An Sơn/thôn Pá Lòng'), kept in '51/3' or 'K12/34'
    (a house's number)."""
    return _squeezed(_SLASH.sub(" / ", text))


def _squeezed(text: str) -> str:
    """`text` with one space between its words, a glued name's no-break spaces kept."""
    if places.GLUE not in text:
        return " ".join(text.split())
    return " ".join(word for word in text.split(" ") if word)


def spaced_points(text: str) -> str:
    """A point glued between two words spaced before it ('An Sơn.thôn' -> 'An Sơn .thôn'), kept
    after a unit's abbreviation ('TP.HCM', 'P.Láng', 'T.T.Huế') and in an e-mail (hidden whole)."""
    return " ".join(word if "@" in word else _GLUED.sub(_point_spaced, word)
                    for word in text.split(" "))


def _point_spaced(glued: re.Match[str]) -> str:
    return glued.group() if glued.group(1).lower() in SHORT_RANKS else f"{glued.group(1)} ."


def spaced_hyphens(text: str) -> str:
    """' - ' for a hyphen between words ('Số 5-ngõ 3-phường Láng'), kept in '123-125' and, as
    typed, in a name after a unit's word above the commune (`_in_a_name`) or in a known
    hyphenated name (places.joins_a_name)."""
    return _squeezed(_HYPHEN.sub(partial(_hyphen_read, _Parts(text)), text))


def _hyphen_read(parts: _Parts, found: re.Match[str]) -> str:
    dash = found.group(1) or found.group(2)
    if found.group() == dash and (_in_a_name(found.string, found.start(), found.end(), parts)
                                  or places.joins_a_name(found.string, found.start(), found.end())):
        return dash  # typed with no space: one word, shown as typed
    return f" {dash} "


# A hyphen typed with no space around it after the name of a unit above the commune is that
# name's own ('thành phố Phan Rang-Tháp Chàm', 'huyện Ia H'Drai-…', 'tỉnh Bà Rịa-Vũng Tàu'):
# kept whole, whatever the name. After a commune's or a ward's word it is as often a hamlet
# glued to the commune ('xã An Sơn-Pá Lòng'): there only the names known to hold one
# (places.HYPHENATED) are kept whole, the second half of any other is hidden.
ABOVE_COMMUNE = frozenset(("quận", "huyện", "tỉnh", "quan", "huyen", "tinh", "tp", "tp.", "tx",
                           "tx.", "q.", "h.", "t.", "t.p", "t.p.", "t.x", "t.x."))
ABOVE_COMMUNE_TWO = frozenset(("thị xã", "thành phố", "thi xa", "thanh pho"))
NAME_WORDS_MAX = 4  # words on either side of the hyphen
# Where the part holding a hyphen's name starts and ends: a dash spaced as a separator, any
# mark but a point or an apostrophe ('huyện Krông-Pắc - tỉnh …', '…/tỉnh …', 'Kly+huyện …')
_SEGMENT_END = re.compile(r"[^\w\s.'’ʼ\u0300-\u036f\-–]|\s[-–]|[-–]\s")


class _Parts:
    """Where an address's parts end (_SEGMENT_END), found in one pass over it: a hyphen's part
    is looked up, not scanned for from the address's start at each hyphen (round 27's review:
    masking grew with the square of the hyphens). A glued hyphen is inside no mark, so the
    marks found in one pass are those a scan up to it or from it finds."""

    def __init__(self, text: str) -> None:
        found = [(mark.start(), mark.end()) for mark in _SEGMENT_END.finditer(text)]
        self.starts = [at for at, _ in found]
        self.ends = [to for _, to in found]
        self.length = len(text)

    def opened(self, start: int) -> int:
        """Where the part holding text[start] opens: after the last mark ending by `start`."""
        before = bisect_right(self.ends, start)
        return self.ends[before - 1] if before else 0

    def closes(self, end: int) -> int:
        """Where the part holding text[end] closes: at the first mark from `end` on."""
        after = bisect_left(self.starts, end)
        return self.starts[after] if after < len(self.starts) else self.length


def _in_a_name(text: str, start: int, end: int, parts: _Parts) -> bool:
    """Whether the glued hyphen at text[start:end] joins two halves of a unit's name above the
    commune: a unit's word (ABOVE_COMMUNE) then words of letters before it, words of letters
    after it to the part's end (a comma, a semicolon, a spaced dash or a slash, the next unit's
    word, or the end), no hamlet's, street's or unit's word among them ('quận Đống Đa-phường
    Láng' is two units)."""
    after = text[end:parts.closes(end)].lower().split()
    # the name ends at the next unit's word ('huyện Krông-Pắc tỉnh Đắk Lắk')
    after = next((after[:k] for k, word in enumerate(after) if k and word in CANDIDATES), after)
    if not after or len(after) > NAME_WORDS_MAX or not all(map(_a_name_word, after)):
        return False
    before = text[parts.opened(start):start].lower().split()
    for k in range(len(before) - 1, max(len(before) - NAME_WORDS_MAX - 2, -1), -1):
        if before[k] in ABOVE_COMMUNE or (k and f"{before[k - 1]} {before[k]}" in ABOVE_COMMUNE_TWO):
            return k + 1 < len(before)  # a name, not the unit's word alone
        if not _a_name_word(before[k]):
            return False
    return False


def _a_name_word(word: str) -> bool:
    """A word a unit's name may hold: letters (an apostrophe inside: "H'Drai"), no hamlet's,
    street's or unit's word."""
    return word.replace("'", "").replace("’", "").isalpha() and word not in NAMING \
        and word not in CANDIDATES
