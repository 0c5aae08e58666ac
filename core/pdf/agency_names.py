"""The agency's lines of a Decree 30/2020 header (ô 2, core.pdf.blocks.header_block): where a
name breaks, and how far a place's line may shrink to keep the place whole on it.

Officials write "ỦY BAN NHÂN DÂN / THÀNH PHỐ HỒ CHÍ MINH": the kind of agency on a line, its
place (kind and name) whole on the next. On an A5 form's 43 mm column the place is 46 mm at
10 pt, and was broken after its kind ("THÀNH PHỐ / HỒ CHÍ MINH", three lines for one name). A
typesetter sets that line a little smaller instead, down to a stated floor (AGENCY_FLOOR), and
breaks between words only when even the floor does not hold it; the kind of agency keeps its
size. A4 portrait documents print the names at 12 pt, Decree 30/2020's least (12–13 pt): they
never shrink (the register's 11 pt, A4 landscape, have a column no name fills).

A sentence names the agency otherwise (core.pdf.agency_case.sentence_name).
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from core.pdf.agency_case import PLACE_KINDS, sentence_name
from core.pdf.blocks import TITLE_COMPOUNDS, balanced_lines, fits, text_width, title_words

__all__ = ["PLACE_KINDS", "sentence_name"]  # re-exported: slips and notices import them here

# an agency's name wraps between the words of its kind, never inside one: "ỦY BAN NHÂN DÂN /
# XÃ YÊN PHÚC", not "ỦY BAN NHÂN / DÂN XÃ YÊN PHÚC" ("VĂN PHÒNG HỘI / ĐỒNG NHÂN DÂN" was
# printed); nor inside a kind of place ("ĐẶC / KHU")
AGENCY_COMPOUNDS = TITLE_COMPOUNDS | {
    "ủy ban", "uỷ ban", "nhân dân", "trung tâm", "phục vụ", "bộ phận", "hành chính công",
    "hội đồng", "văn phòng", "một cửa", "chi nhánh",
    "thành phố", "đặc khu", "thị xã", "thị trấn"}
DECREE_LEAST = 12.0  # pt: Decree 30/2020's least size for the agency's names (A4 prints this)
AGENCY_FLOOR = 9.0   # pt: the least a place's line shrinks to (the A5 forms print 10 pt)
# pieces of a name beyond which no real agency's name goes: such a name is filled line by line
# (the balanced search tries every split into four lines, ~18,000 of a 300-letter name)
PIECES_MOST = 16


class Line(NamedTuple):
    """One printed line of the agency's column and its font size (pt)."""
    text: str
    size: float


def floor_of(size: float) -> float:
    """The least size a place's line set at `size` may shrink to: one point less, never under
    AGENCY_FLOOR, nor under Decree 30/2020's 12 pt (an A4 header, at 12 pt, never shrinks)."""
    if size >= DECREE_LEAST:
        return max(DECREE_LEAST, size - 1)
    return max(AGENCY_FLOOR, size - 1) if size > AGENCY_FLOOR else size


def agency_lines(text: str, width: float | Sequence[float], size: float, bold: bool,
                 floor: float | None = None) -> list[Line]:
    """An agency's name in balanced lines as officials write it (Decree 30/2020), each with its
    size. Broken between its kind and its place ("ỦY BAN NHÂN DÂN / PHƯỜNG NGUYỄN THÁI BÌNH",
    not "ỦY BAN NHÂN DÂN PHƯỜNG / NGUYỄN THÁI BÌNH"), never inside a compound ("ĐẶC KHU",
    "THÀNH PHỐ", "HÀNH CHÍNH CÔNG"); a place within a place ("PHƯỜNG HẢI CHÂU / THÀNH PHỐ ĐÀ
    NẴNG") breaks between the places. A place wider than its line keeps whole on it a little
    smaller (down to `floor`, floor_of by default: 10 → 9 pt), its agency's kind at `size` in
    as many lines as it takes; wider still, it breaks after its kind ("PHƯỜNG / NGUYỄN THÁI
    BÌNH"), its name kept whole a little smaller, then between words; a name no real agency
    has (300 letters) is filled line by line, a word wider than the column cut between its
    letters.
    `width`: one room for every line, or each line's (blocks.line_rooms)."""
    floor = floor_of(size) if floor is None else floor
    words = title_words(text, AGENCY_COMPOUNDS)
    ats = [i for i, word in enumerate(words) if i and word.lower() in PLACE_KINDS]
    at, kind = (ats[0], words[:ats[0]]) if ats else (0, [])
    if len(words) > PIECES_MOST:
        return _filled(kind, words[at:], width, size, bold)
    if not ats:
        return (sized(balanced_lines(text, width, size, bold, words), width, size, bold, size)
                or wrapped(words, width, size, bold))
    spans = [words[a:b] for a, b in zip(ats, [*ats[1:], len(words)], strict=True)]
    if fits([" ".join(kind)], width, size, bold):  # "ỦY BAN NHÂN DÂN" on a line of its own
        kind = [" ".join(kind)]
    places = [" ".join(span) for span in spans]
    halves = [piece for span in spans for piece in (span[0], " ".join(span[1:])) if piece]
    lines = balanced_lines(text, width, size, bold, [*kind, " ".join(words[at:])])
    if fits(lines, width, size, bold):
        return [Line(line, size) for line in lines]
    heads = kind_lines(kind, width, size, bold)  # at its size: only a place shrinks
    for tails in (places, halves):  # each at its size, else the tails a little smaller
        lines = balanced_lines(text, width, size, bold, [*kind, *tails])
        if fits(lines, width, size, bold):
            return [Line(line, size) for line in lines]
        shrunk = sized([*heads, *tails], width, size, bold, floor)
        if shrunk:
            return shrunk
    lines = balanced_lines(text, width, size, bold,
                           [*kind, " ".join(words[at:at + 2]), *words[at + 2:]])
    return sized(lines, width, size, bold, size) or wrapped([*kind, *words[at:]], width, size,
                                                            bold)


def _filled(kind: list[str], rest: list[str], width: float | Sequence[float], size: float,
            bold: bool) -> list[Line]:
    """A name too long to balance: its kind on a line of its own when it holds it, the rest
    filled into the lines under it (wrapped)."""
    head = " ".join(kind)
    if not head or not fits([head], width, size, bold):
        return wrapped([*kind, *rest], width, size, bold)
    return [Line(head, size), *wrapped(rest, _rooms(width)[1:] or _rooms(width), size, bold)]


def kind_lines(kind: list[str], width: float | Sequence[float], size: float,
               bold: bool) -> list[str]:
    """The agency's kind at `size`, never smaller: in balanced lines (balanced_lines) when four
    hold it, else in as many as it takes ("BỘ PHẬN TIẾP NHẬN / VÀ TRẢ KẾT QUẢ / GIẢI QUYẾT
    THỦ TỤC / HÀNH CHÍNH / ỦY BAN NHÂN DÂN" on an A5 form, not two of them set at 9.2 pt)."""
    lines = balanced_lines(" ".join(kind), width, size, bold, kind)
    if fits(lines, width, size, bold):
        return lines
    return _fewest_lines(kind, width, size, bold) or lines


def _fewest_lines(pieces: list[str], width: float | Sequence[float], size: float,
                  bold: bool) -> list[str] | None:
    """`pieces` in the fewest lines each within its room, the widest as narrow as can be; None
    when no number of lines holds them (a piece wider than its line). Line by line, the best
    way to end each line after each piece (balanced_lines tries every split: 2^15 of 16)."""
    wide = {(a, b): text_width(" ".join(pieces[a:b]), size, bold)
            for a in range(len(pieces)) for b in range(a + 1, len(pieces) + 1)}
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [0])}  # pieces placed: widest, cuts
    for line in range(len(pieces)):
        room = _room(width, line)
        best = {b: min((max(widest, wide[a, b]), [*cuts, b])
                       for a, (widest, cuts) in best.items() if a < b and wide[a, b] <= room)
                for b in range(1, len(pieces) + 1)
                if any(a < b and wide[a, b] <= room for a in best)}
        if len(pieces) in best:
            cuts = best[len(pieces)][1]
            return [" ".join(pieces[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    return None


def _rooms(width: float | Sequence[float]) -> list[float]:
    return [width] if isinstance(width, (int, float)) else list(width)


def _room(width: float | Sequence[float], i: int) -> float:
    rooms = _rooms(width)
    return rooms[min(i, len(rooms) - 1)]


def sized(lines: list[str], width: float | Sequence[float], size: float, bold: bool,
          floor: float) -> list[Line] | None:
    """`lines` each at `size`, or a line wider than its room at the largest size that fits it
    (rounded down to a tenth of a point); None when one would need less than `floor`."""
    out = []
    for i, line in enumerate(lines):
        room, wide = _room(width, i), text_width(line, size, bold)
        if wide <= room:
            out.append(Line(line, size))
            continue
        tenths = math.floor(size * room / wide * 10)
        while tenths >= floor * 10 and text_width(line, tenths / 10, bold) > room:
            tenths -= 1  # a rounding's last hair
        if tenths < floor * 10 - 1e-6:
            return None
        out.append(Line(line, tenths / 10))
    return out


def wrapped(pieces: list[str], width: float | Sequence[float], size: float,
            bold: bool) -> list[Line]:
    """`pieces` filled into lines, each as full as its room holds; a piece wider than its line
    goes word by word, a word wider still is cut between its letters. Ends, and keeps every
    line inside its room, whatever the name."""
    lines: list[str] = []
    line = ""
    widest = max(_rooms(width))
    words = [word for piece in pieces for word in
             ([piece] if text_width(piece, size, bold) <= widest else piece.split())]
    for word in words:
        joined = f"{line} {word}" if line else word
        if text_width(joined, size, bold) <= _room(width, len(lines)):
            line = joined
            continue
        if line:
            lines.append(line)
        while text_width(word, size, bold) > _room(width, len(lines)):
            cut = _letters_fitting(word, _room(width, len(lines)), size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [Line(text, size) for text in [*lines, line] if text]


def _letters_fitting(word: str, room: float, size: float, bold: bool) -> int:
    """How many of `word`'s first letters fit `room` (one at least), never parting a letter
    from its combining accent."""
    cut = 1
    while cut < len(word) and text_width(word[:cut + 1], size, bold) <= room:
        cut += 1
    while 1 < cut < len(word) and unicodedata.combining(word[cut]):
        cut -= 1
    return cut
