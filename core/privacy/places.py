"""The provinces' names an address may end with (or, written from the province down, open with)
without a unit's word: 'Số 5, phường Láng, Hà Nội'. A masked address keeps them
(core.privacy.addresses): a report's reader needs the commune and the province, the two tiers
of local government since 01/07/2025. Any other name with no unit's word may be a street, a
hamlet or a person's ('phường Bến Nghé, Lê Lợi') and is hidden; a known name cannot be.

The 34 provinces and cities of Resolution 202/2025/QH15 and the 63 before it (old addresses name
them), as typed: with the tone on either vowel ('Hòa', 'Hoà'), without diacritics, and the
usual other spellings. A street bearing a province's name ('Hải Phòng' street in Đà Nẵng) is
shown as one: the reader sees a province's name, never a door.
"""
from __future__ import annotations

import re
import unicodedata

_PROVINCES = (
    # the 34 since 12/06/2025 (Huế a city since 01/01/2025) are all named here
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn",
    "Bắc Cạn", "Bắc Ninh", "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận",
    "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đăk Lăk", "Đăk Lắk", "Đắk Lăk", "Đắc Lắc", "Đắk Nông",
    "Đăk Nông", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Kontum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Thừa Thiên - Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
    "Hà Nội", "HN", "Hồ Chí Minh", "TPHCM", "HCM", "Sài Gòn", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
)
_COUNTRY = ("Việt Nam", "Vietnam", "VN")

# Names written with a hyphen that is no separator ('phường Phan Rang-Tháp Chàm', 'Bà Rịa -
# Vũng Tàu'): the address's spacing made ' - ' of it; glued back, the name stays one piece
HYPHENATED = (("Phan Rang", "Tháp Chàm"), ("Bà Rịa", "Vũng Tàu"), ("Thừa Thiên", "Huế"))


def _folded(name: str) -> str:
    """`name` without its diacritics ('Đắk Lắk' -> 'dak lak'), lower case."""
    text = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _toned(name: str) -> set[str]:
    """`name` with the tone of 'oa', 'oe', 'uy' on either vowel ('hòa' and 'hoà')."""
    forms = {name}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for form in list(forms):
            nfd = unicodedata.normalize("NFD", form)
            moved = re.sub(f"({first})([\u0300\u0301\u0303\u0309\u0323])({second})",
                           r"\1\3\2", nfd)
            forms.add(unicodedata.normalize("NFC", moved))
    return forms


def _spellings(names: tuple[str, ...]) -> frozenset[str]:
    """Each name in lower case as typed: diacritics, tone moved, none; a hyphen as spaced by
    the address's spacing (' - ') or glued back ('-', '–')."""
    out: set[str] = set()
    for name in names:
        for form in (*_toned(name.lower()), _folded(name)):
            out.update((form, form.replace(" - ", "-"), form.replace(" - ", "–")))
    return frozenset(out)


PROVINCES = _spellings(_PROVINCES)
COUNTRY = _spellings(_COUNTRY)
GLUE = "\xa0"  # joins a known hyphenated name's words (hyphens_glued); a space when shown
PROVINCE_RANK = 4  # as a unit's word 'tỉnh' ranks (core.privacy.addresses.UNIT_RANKS)
COUNTRY_RANK = 5

_HYPHENATED = re.compile("|".join(
    rf"(?<!\w)({'|'.join(map(re.escape, {a.lower(), _folded(a)}))}) ([-–]) "
    rf"({'|'.join(map(re.escape, {b.lower(), _folded(b)}))})(?!\w)"
    for a, b in HYPHENATED), re.IGNORECASE)


def hyphens_glued(text: str) -> str:
    """`text` (spaced) with a known name's hyphen glued: 'phường Phan Rang - Tháp Chàm' ->
    the same with a no-break space on either side of the hyphen: one word to the address's
    cutting, shown with spaces (a hyphen between words is a separator otherwise)."""
    return _HYPHENATED.sub(_glued, text)


_HALVES = [(re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, {a.lower(), _folded(a)}))})$",
                       re.IGNORECASE),
            re.compile(rf"(?:{'|'.join(map(re.escape, {b.lower(), _folded(b)}))})(?!\w)",
                       re.IGNORECASE)) for a, b in HYPHENATED]
# How far before a hyphen its name's first half can start: the longest half, and a newline the
# '$' may stand before, and the character the '(?<!\w)' looks at
_HALF_REACH = max(len(form) for a, _ in HYPHENATED for form in (a.lower(), _folded(a))) + 2


def joins_a_name(text: str, start: int, end: int) -> bool:
    """Whether the hyphen at text[start:end] joins the halves of a known hyphenated name
    ('Phan Rang-Tháp Chàm', 'Bà Rịa-Vũng Tàu'). The first half is looked for just before the
    hyphen, not from the text's start (round 27's review: quadratic in the hyphens)."""
    near = max(0, start - _HALF_REACH)
    return any(before.search(text, near, start) and after.match(text, end)
               for before, after in _HALVES)


def _glued(found: re.Match[str]) -> str:
    first, dash, second = (group for group in found.groups() if group is not None)
    return f"{first}{GLUE}{dash}{GLUE}{second}"  # a space within a word: the words stay one


def rank_of(low: str) -> int:
    """A unit's rank for a name in lower case that is a province's or the country's, else 0."""
    if low in PROVINCES:
        return PROVINCE_RANK
    return COUNTRY_RANK if low in COUNTRY else 0
