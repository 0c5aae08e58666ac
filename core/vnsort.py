"""Vietnamese alphabetical order, and the units in their tree's order.

Sorting by code points puts "Đồng Giáp" after "Yên Phúc" (Đ is U+0110) and "Ân" after "Yên".
The Vietnamese alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; the
letters decide first, then the tones, in the dictionary's order (none, huyền, hỏi, ngã, sắc,
nặng — as CLDR's Vietnamese collation), then the letter case. `vn_key` is the one sort key of
every list of names; `unit_tree` the one order of every list of units.
"""
from __future__ import annotations

import unicodedata
from typing import Any, Callable, Iterable, Sequence, TypeVar

T = TypeVar("T")

# Letters beyond Vietnamese's (f, j, w, z) keep their Latin place.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_WITH_MARK = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
              ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_FIRST_LETTER = 0x100  # spaces, digits and punctuation sort before letters, by code point


def _letters(text: str) -> tuple[list[int], list[int]]:
    """(the rank of each letter, the tone of each letter) of a text in lower case."""
    ranks: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _TONES and ranks:
            tones[-1] = _TONES[ch]
        elif unicodedata.combining(ch) and ranks:
            base = _ALPHABET[ranks[-1] - _FIRST_LETTER] if ranks[-1] >= _FIRST_LETTER else ""
            marked = _WITH_MARK.get((base, ch))
            if marked:
                ranks[-1] = _FIRST_LETTER + _RANK[marked]
        elif ch in _RANK:
            ranks.append(_FIRST_LETTER + _RANK[ch])
            tones.append(0)
        else:
            ranks.append(ord(ch) if ord(ch) < _FIRST_LETTER else _FIRST_LETTER + len(_ALPHABET)
                         + ord(ch))
            tones.append(0)
    return ranks, tones


def vn_key(text: str | None) -> tuple:
    """Sort key of a Vietnamese text: letters, then tones, then case (then the text itself)."""
    text = text or ""
    ranks, tones = _letters(text.strip())
    return tuple(ranks), tuple(tones), tuple(ch.isupper() for ch in text), text


def sorted_vn(items: Iterable[T], name: Callable[[T], Any] = lambda x: x) -> list[T]:
    """`items` in Vietnamese alphabetical order of `name(item)`."""
    return sorted(items, key=lambda item: vn_key(name(item)))


def tree_order(rows: Sequence[tuple[str, str, str | None]]) -> list[tuple[str, str, int]]:
    """(code, name, depth) of units given as (code, name, parent_code): each unit followed by
    the units under it, indented one level deeper; siblings in Vietnamese alphabetical order.
    A unit whose parent is missing starts a tree of its own; units caught in a loop of parents
    come last at the top level, so none is ever lost from a list."""
    names = {code: name for code, name, _ in rows}
    children: dict[str | None, list[str]] = {}
    for code, _, parent in rows:
        key = parent if parent in names and parent != code else None
        children.setdefault(key, []).append(code)
    for codes in children.values():
        codes.sort(key=lambda c: (vn_key(names[c]), c))
    out: list[tuple[str, str, int]] = []
    seen: set[str] = set()

    def walk(code: str, depth: int) -> None:
        stack = [(code, depth)]
        while stack:
            current, level = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            out.append((current, names[current], level))
            stack.extend((child, level + 1) for child in reversed(children.get(current, [])))

    for root in children.get(None, []):
        walk(root, 0)
    for code in sorted((c for c in names if c not in seen), key=lambda c: (vn_key(names[c]), c)):
        walk(code, 0)  # a loop of parents (refused by the catalogue, possible in an old file)
    return out


def unit_tree(db) -> list[tuple[str, str, int]]:
    """Every unit as (code, name, depth), in the order of its tree (see `tree_order`)."""
    return tree_order([tuple(r) for r in db.execute("SELECT code, name, parent_code FROM units")])
