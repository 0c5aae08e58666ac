"""Which parts of an address a report's reader may see: its administrative units (commune, ward,
special zone, district, province), never the house, the street, the lane, the hamlet or the flat.
`masking.mask_address` is the one rule; this module cuts an address into its pieces.

An address is cut at its separators (',', ';', ' - ', ' / ') and, inside a part, where a unit's
word starts ('Thôn Pá Lòng xã An Sơn'). A piece is a *unit* (it opens with a unit's word: 'xã
An Sơn', 'P.5', 'TP.HCM'), *bare* (a name holding no digit and no hamlet's or street's word:
'Đống Đa') or *private* (all the rest); a province's name (core.privacy.places) opening or ending
the address counts as a unit ('Số 5, phường Láng, Hà Nội'). What stays: the units, and the bare
names lying between two units of an address written from the province down ('Tỉnh Lạng Sơn,
Văn Quan, xã X, thôn Y': there no street stands before the commune). Any other bare name may
be a street, a hamlet or a person ('Số 5, phường Bến Nghé, Lê Lợi'): hidden. An address naming
no unit is hidden whole: nothing tells its hamlet's name from its commune's. When unsure, hide —
the reader loses a place name, the citizen never a door.
"""
from __future__ import annotations

import re

from core.privacy import marks, places
from core.privacy.words import (
    BARE_SHORT,
    CANDIDATES,
    COMMUNE_KEPT,
    COMMUNE_WORDS,
    NAMING,
    NAMING_MARKED,
    NUMBERED,
    PLACE_NAMES,
    PRIVATE_WORDS,
    ROADS,
    SHORT_RANKS,
    UNITS_ONE,
    UNITS_ONE_ASCII,
    UNITS_TWO,
    WEAK_SHORT,
)

# How every masked address opens, or, when it opens with its units ('Tỉnh Lạng Sơn, xã Tri Lễ,
# ***'), ends: where its hidden pieces stood (masking.is_masked knows it by that)
MASKED = "***"


_PARTS = re.compile(r"[,;] | [-–/] ")  # between the parts of an address, once spaced
# after a bracket, a quote, a point: '(thôn' -> 'thôn'; an apostrophe inside: "H'leo", "D'Ran"
_LEAD = re.compile(r"[\W_]*([^\W\d_]*(?:['’ʼ][^\W\d_]+)*)")
# A commune's or a ward's piece that is a room, a hamlet or a street when the address names
# another one (a commune is never named twice): 'P' and a number ('Tòa A, P.12, phường Láng'),
# 'X.' for a xóm ('xã An Sơn, X. Chùa'), a unit's word right after a house's number (the street
# 'Số 12 Xã Đàn, phường Nam Đồng')
_NUMBERED_P = re.compile(r"p\.? ?\d+")
_HOUSE = re.compile(r"(?:(?:số|so|sn)(?: nhà| nha)?|nhà|nha)? ?\d+[^\W\d_]?(?:[/-]\d+[^\W\d_]?)*")
_DIGIT = re.compile(r"\d")
_WORDY = re.compile(r"[^\W_]")  # a part holding no letter and no digit is none ('Láng/, Hà Nội')
_UNWORDED = re.compile(r"[,;/–-] (?![^\W_])")  # a part opening with neither (a class: fast)
_TRAILING = " .,;:-–/)"  # left at a kept piece's end ('xã An Sơn.', 'phường Láng /')

# A piece: (what stood before it: '' at the start, ', ', ' - ', ' '; its text; a unit's rank, 0
# for another piece; whether it is a bare name: a unit's piece is, when a province's or the
# country's name alone, core.privacy.places)
Piece = tuple[str, str, int, bool]


def _lead(word: str) -> str:
    """A lower-case word's leading letters ('p.301' -> 'p', 'sn12' -> 'sn'), after any
    punctuation opening it ('(thôn' -> 'thôn', '"ngõ' -> 'ngõ', '.thôn' -> 'thôn')."""
    return word if word.isalpha() else _LEAD.match(word).group(1)  # type: ignore[union-attr]


def shown(text: str) -> str:
    """The address `text` (spaced: one space between words and after each comma) as a report's
    reader sees it: '***' and the pieces kept, each after the separator that stood before it."""
    pieces = _pieces(marks.read(text))
    units = [i for i, piece in enumerate(pieces) if piece[2]]
    if _unsure(pieces, units):  # seldom: most addresses name one commune, by its word
        pieces = _weak_unranked(_places_placed(pieces))
        units = [i for i, piece in enumerate(pieces) if piece[2]]
    if not units:
        return MASKED
    first, last = units[0], units[-1]
    # A bare name is kept only between two units of an address written from the province
    # down: there it is a district's ('Tỉnh Lạng Sơn, Văn Quan, xã X'); after the commune, or
    # before it in an address written from the house up, it may be a street ('Số 5, phường Bến
    # Nghé, Lê Lợi', 'phường Láng, Láng Hạ, Hà Nội'), a hamlet or a person: hidden (a district
    # named without its word is lost, districts ended on 01/07/2025).
    down = pieces[first][2] > pieces[last][2]
    kept, after = [], ""
    for i, (sep, piece, rank, bare) in enumerate(pieces):
        if rank or (bare and down and first < i < last):
            kept.append((sep, piece.rstrip(_TRAILING)))
        elif i > last and not after:
            after = sep
    if down and first == 0:  # written from the province down, its hidden pieces after its
        # units: '***' there, after the separator that stood before them ('Tỉnh Lạng Sơn, xã
        # Tri Lễ, ***'; '***, Tỉnh Lạng Sơn, xã Tri Lễ' read one way then the other)
        shown_text = kept[0][1] + "".join(sep + piece for sep, piece in kept[1:]) \
            + (after if after.strip() else ", ") + MASKED
    else:
        shown_text = MASKED + "".join((sep or ", ") + piece for sep, piece in kept)
    return shown_text.replace(places.GLUE, " ") if places.GLUE in shown_text else shown_text


def _unsure(pieces: list[Piece], units: list[int]) -> bool:
    """Whether a unit may be no unit: a province's name after the first piece (_places_placed),
    two communes or wards, or an 'X.' (_weak_unranked)."""
    communes, last = 0, units[-1] if units else 0
    for i in units:
        _, text, rank, bare = pieces[i]
        if (bare and 0 < i < last) or (rank == 1 and text[:3].lower().startswith(WEAK_SHORT)):
            return True
        communes += rank == 1
    return communes > 1


def _weak_unranked(pieces: list[Piece]) -> list[Piece]:
    """`pieces` with a weak commune's or ward's piece (_weak) taken for private (of two weak
    ones, which is the room or the hamlet is unsure: both hidden)."""
    communes = [i for i, piece in enumerate(pieces) if piece[2] == 1]
    if not communes:
        return pieces
    # a TT (maybe a tập thể) makes no other piece a room or a street ('TT Thành Công, P.5')
    named = [i for i in communes if not _flats(pieces[i][1])]
    weak = {i for i in communes
            if _weak(pieces, i, len(communes if _flats(pieces[i][1]) else named) > 1)}
    return [(sep, text, 0, False) if i in weak else (sep, text, rank, bare)
            for i, (sep, text, rank, bare) in enumerate(pieces)] if weak else pieces


def _urban(piece: str) -> bool:
    """Whether a district's piece names a quận or a thị xã ('quận Đống Đa', 'Q.3', 'Q3', 'TX
    Sơn Tây'): no thị trấn lies there, so a 'TT' beside it is a tập thể."""
    low = piece.lower()
    word = low.split(" ", 1)[0]
    return (word in ("quận", "quan", "tx", "tx.") or low.startswith(("q.", "tx.", "thị xã", "thi xa"))
            or (word[:1] == "q" and word[1:].isdigit() and len(word) > 1))


def _flats(piece: str) -> bool:
    """Whether a commune's piece opens with 'TT': a thị trấn, or a tập thể."""
    return piece[:3].lower() in ("tt.", "tt ")


def _weak(pieces: list[Piece], i: int, another: bool) -> bool:
    """Whether the commune's or ward's piece `i` is a room ('P.12') or a street right after a
    house's number ('Số 12 Xã Đàn') when `another` commune or ward is named (an address never
    names two); or 'X.' for a xóm, 'TT' for a tập thể. Those are a commune or a township only
    with no other one named and a district, a city or a province beside them, before ('Tỉnh
    Lạng Sơn, X. Tri Lễ': since 01/07/2025 a province's next unit is its commune) or after
    ('X. Tân Lập, H. Bắc Sơn'); not 'xã An Sơn, X. Chùa', nor 'Số 5, X. Chùa'. A TT after a
    house or a flat in its part ('nhà A2 TT Thành Công'), beside a province named without its
    word ('TT Thành Công, Hà Nội'), a quận or a thị xã ('TT Kim Liên, Q. Đống Đa') or a city
    with no huyện ('TT Kim Liên, TP Hà Nội') is a tập thể."""
    low = pieces[i][1].lower()
    if low.startswith(WEAK_SHORT):
        flats = _flats(low)
        if flats and (pieces[i][0] == " " or any(piece[2] == 2 and _urban(piece[1])
                                                 for piece in pieces)):
            return True  # a thị trấn lies in a huyện, never in a quận or a thị xã
        # nor in a city but through its huyện: 'TT Kim Liên, TP Hà Nội' is the flats
        return another or not any(piece[2] > 1 and not (flats and (piece[3] or piece[2] == 3))
                                  for j, piece in enumerate(pieces) if j != i)
    if not another:
        return False
    if _NUMBERED_P.fullmatch(low):
        return True
    return i > 0 and pieces[i][0] == " " and bool(_HOUSE.fullmatch(pieces[i - 1][1].lower()))


def _pieces(text: str) -> list[Piece]:
    typed_ascii = text.isascii() or (places.GLUE in text
                                     and text.replace(places.GLUE, " ").isascii())
    units_one, naming = (UNITS_ONE_ASCII, NAMING) if typed_ascii else (UNITS_ONE, NAMING_MARKED)
    parts, seps = _parts(text)
    pieces: list[Piece] = []
    for n, part in enumerate(parts):
        sep = seps[n - 1] if n else ""
        low = part.lower()
        lower = low.split(" ")
        starts = _unit_starts(lower, units_one, naming, opening=n == 0)
        if starts:
            pieces.extend(_unit_pieces(sep, part, lower, starts))
        else:  # a province's or the country's name, or a bare name, or private
            rank = places.rank_of(low.replace(places.GLUE, " ") if places.GLUE in low else low)
            pieces.append((sep, part, rank, bool(rank) or _is_bare(low, lower)))
    return pieces


def _unit_pieces(sep: str, part: str, lower: list[str],
                 starts: list[tuple[int, int, int]]) -> list[Piece]:
    """The pieces of a part holding units: what comes before the first, each unit's name, and
    what follows a name in its piece (_private_from). A unit with no name is no unit
    ('phường 0912345678': a phone)."""
    words = part.split(" ")
    pieces: list[Piece] = []
    if starts[0][0]:
        pieces.append((sep, " ".join(words[:starts[0][0]]), 0, False))
        sep = " "
    for k, (at, name, rank) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(words)
        cut = _private_from(lower, name, end)
        if cut <= name:
            pieces.append((sep, " ".join(words[at:end]), 0, False))
            sep = " "
            continue
        named, province = cut, 0
        if rank == 1 and cut - name > COMMUNE_WORDS:  # 'xã Tri Lễ Nà Pe': a hamlet after it
            cut = name + COMMUNE_KEPT
            province = _province_ends(lower, cut, named)
        pieces.append((sep, " ".join(words[at:cut]), rank, False))
        if province:  # 'xã Tri Lễ Nà Pe Lạng Sơn': the province's name after the rest
            if cut < province:
                pieces.append((" ", " ".join(words[cut:province]), 0, False))
            pieces.append((" ", " ".join(words[province:named]), places.PROVINCE_RANK, True))
            cut = named
        if cut < end:
            pieces.append((" ", " ".join(words[cut:end]), 0, False))
        sep = " "
    return pieces


def _province_ends(lower: list[str], start: int, end: int) -> int:
    """Where a province's or the country's name ending words `start`..`end` of a part begins
    ('… Nà Pe Lạng Sơn'), 0 when none does."""
    for at in range(start, end):
        low = " ".join(lower[at:end])
        if places.rank_of(low.replace(places.GLUE, " ") if places.GLUE in low else low):
            return at
    return 0


def _places_placed(pieces: list[Piece]) -> list[Piece]:
    """`pieces` with a province's name (a unit by its name alone: rank and bare) that neither
    opens the address nor follows its last unit named by a word made a bare name: there it may
    be a street's name ('Số 5, Hải Phòng, phường Thạch Thang, Đà Nẵng')."""
    named = [i for i, piece in enumerate(pieces) if piece[2] and not piece[3]]
    if not named:
        return pieces
    return [(sep, text, 0, True) if rank and bare and 0 < i < named[-1]
            else (sep, text, rank, bare) for i, (sep, text, rank, bare) in enumerate(pieces)]


def _parts(text: str) -> tuple[list[str], list[str]]:
    """The parts of a spaced address and the separators between them. Most hold commas alone:
    a string's split then (the pattern's split and findall took a fifth of the whole)."""
    if ";" in text or "-" in text or "–" in text or "/" in text:
        parts, seps = _PARTS.split(text), _PARTS.findall(text)
    else:
        parts = text.split(", ")
        seps = [", "] * (len(parts) - 1)
    worded = text[:1].isalnum() and not _UNWORDED.search(text)
    return (parts, seps) if worded else _worded(parts, seps)


def _worded(parts: list[str], seps: list[str]) -> tuple[list[str], list[str]]:
    """The parts holding a letter or a digit, each after the separator right before it and
    without one opening it: two separators in a row leave no empty part to show ('phường Láng
    / , Hà Nội'), nor one glued to a name ('phường Láng - - Hà Nội')."""
    kept: list[str] = []
    kept_seps: list[str] = []
    for n, part in enumerate(parts):
        if _WORDY.search(part):
            if kept:
                kept_seps.append(seps[n - 1])
            kept.append(part.lstrip(",;-–/ "))
    return kept, kept_seps


def _unit_starts(lower: list[str], units_one: dict[str, int], naming: frozenset[str],
                 opening: bool) -> list[tuple[int, int, int]]:
    """(the word a unit's piece starts at, the word its name starts in, its rank) for each unit
    of a part of an address, its words in lower case."""
    starts: list[tuple[int, int, int]] = []
    after = 0
    for i, word in enumerate(lower):
        if i < after or not (word in CANDIDATES or "." in word or word[:1] in NUMBERED) or (
                i and (_lead(lower[i - 1]) in naming or _in_brackets(lower, i))):
            continue
        found = _unit_at(lower, i, units_one, opening and not i)
        if found:
            starts.append((i, *found))
            after = found[0] + 1  # its name's first word is no unit's ('phường Quán Thánh')
    return starts


def _in_brackets(lower: list[str], i: int) -> bool:
    """Whether word `i` stands in a bracket opened before it in its part: a remark ('(nay là
    phường Láng)'), hidden whole with the unit's piece it follows, where no unit starts."""
    for word in reversed(lower[:i]):
        if ")" in word:
            return False
        if "(" in word:
            return True
    return False


def _unit_at(lower: list[str], i: int, units_one: dict[str, int],
             opening: bool) -> tuple[int, int] | None:
    """(the word the name starts in, the rank) when a unit's name starts at word `i`."""
    word, count = lower[i], len(lower)
    if i + 2 < count and f"{word} {lower[i + 1]}" in UNITS_TWO and lower[i + 2] not in ROADS:
        return i + 2, UNITS_TWO[f"{word} {lower[i + 1]}"]
    if word in units_one:
        return (i + 1, units_one[word]) if i + 1 < count and lower[i + 1] not in ROADS else None
    short, point, rest = word.partition(".")
    if short == "t" and rest[:1] in ("p", "x") and rest[1:2] in ("", "."):
        short, rest = f"t{rest[0]}", rest[2:]  # 'T.P Lạng Sơn', 'T.P.Lạng Sơn', 'T.X. Đồng Xoài'
    if point and short in SHORT_RANKS:
        name, at = (rest, i) if rest else (lower[i + 1] if i + 1 < count else "", i + 1)
    elif not point and short in BARE_SHORT and i + 1 < count:
        name, at = lower[i + 1], i + 1
    elif word[:1] in NUMBERED and word[1:].isdigit():
        short, name, at = word[:1], word[1:], i  # 'P12', 'Q1'
    else:
        return None
    if short == "t" and not _province_named(lower, at, name):
        return None  # 'xã An Sơn, T. Pá Lòng': a tổ
    return (at, SHORT_RANKS[short]) if _abbreviated_name(name, short, opening) else None


def _province_named(lower: list[str], at: int, name: str) -> bool:
    """Whether 'T.' names a province ('T. Lạng Sơn', 'T.T.Huế'), its name's first word `name`
    standing at word `at`: else it may be a tổ ('T. Pá Lòng')."""
    words = [name.removeprefix("t."), *lower[at + 1:at + 4]]
    return any(places.rank_of(" ".join(words[:k]).replace(places.GLUE, " ")) == places.PROVINCE_RANK
               for k in range(1, len(words) + 1))


def _abbreviated_name(name: str, short: str, opening: bool) -> bool:
    """Whether an abbreviation names a unit: a word after it ('P. Láng', 'H. Văn Quan'), or a
    number of one or two digits after P or Q ('P.5', 'Q3'), not opening the address ('P.301' at
    the start is a room; 'H.12' a hẻm; 'T.5' a floor)."""
    if name[:1].isalpha():
        return True
    return short in NUMBERED and not opening and name.isdigit() and len(name) <= 2


def _private_from(lower: list[str], name: int, end: int) -> int:
    """The word where a private part starts inside a unit's piece ('xã Đồng Giáp thôn Bãi số 5'),
    after the name's first word: a number, a bracket (a closing one alone: a separator), a
    point before it ('xã An Sơn.Pá Lòng'), an e-mail, an abbreviation ('T. Pá Lòng',
    'Đ.Nguyễn Chí Thanh') or a hamlet's word (with a word after it: 'xã Nậm Bản' is a name),
    else `end`. A name that is a number is that number
    alone: 'phường 5 Lê Lợi', 'P12 Cô Giang', 'Q.3 Cô Giang' go on with a street. `name`
    itself when the unit has no name ('phường 0912345678')."""
    if _DIGIT.search(lower[name]):
        return name + 1 if _numbered(lower, name, end) else name
    for j in range(name + 1, end):
        word = lower[j]
        if (word[:1] in "(.)" or word[1:2] == "." or "@" in word
                or (_lead(word) in PRIVATE_WORDS and j + 1 < end)
                or (_lead(word) != word and _DIGIT.search(word))):
            return j
    return end


def _numbered(lower: list[str], name: int, end: int) -> bool:
    """Whether a unit's name holding a digit is a ward's or a district's number: one or two
    digits ('phường 5', 'P.12', 'Q3'), no digit after them ('phường 09 1234 5678'). Else a
    phone, a house or an ID typed there ('phường 0912345678', 'xã Láng0912…'): no unit."""
    number = lower[name].rpartition(".")[2]
    number = number[1:] if number[:1] in NUMBERED else number  # 'p12'
    alone = name + 1 >= end or not lower[name + 1][:1].isdigit()
    return number.isdigit() and len(number) <= 2 and alone


def _is_bare(low: str, lower: list[str]) -> bool:
    """A place's name: no digit, no hamlet's or street's word but in a known place's name
    (`low`: a part in lower case, `lower`: its words)."""
    if _DIGIT.search(low) or "(" in low or "@" in low:  # nor a remark, nor an e-mail
        return False
    return low in PLACE_NAMES or PRIVATE_WORDS.isdisjoint(map(_lead, lower[:-1] or lower))
