"""Events' details stored coded (db.events_codec, schema DETAILS_COMPACT): a details text's
shape kept once as a word of `event_words`, its values as a JSON array, which the view `events`
puts back in SQL byte for byte (db.events_view `details_sql`). Re-exported by db.events_codec."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import TYPE_CHECKING

from db import stored_json
from db.events_view import MAX_SLOTS

if TYPE_CHECKING:
    from db.events_codec import Words

# A details text is nearly always one of a few JSON shapes: the same keys, the same punctuation,
# a few words (a channel, a method) and some values (a fee, an amount, a moment). The shape is
# kept once, as a word of `event_words`; an event stores the word's code and, as a JSON array,
# its values. What the view gives back is printf(shape, value, …), each value as SQLite renders
# it from the array: exactly the text of its element (quotes and escapes as written). So a text
# is coded only when putting its values back into its shape gives that very text (`decode`);
# anything else (not JSON, a top-level value that is no object or array, spaces or escapes
# json.dumps does not write, 1e5 for 100000.0, NaN, too many values, too long) is kept as it is.
# Stored forms: NULL; a text (as written); a blob: b"17" (shape 17, no values: the word is the
# text itself), b'[17,2000,"2026-12-01 17:00:00"]' (the shape's code, then its values), or a
# zero byte then a blob written as details (rare: kept as it was).
_WORDLIKE = re.compile(r"[a-z][a-z0-9_]{0,31}")  # a value kept in the shape (channel, method)
MAX_TEXT = 2000  # a longer text is kept as it is (no shape grows without bound)
MAX_WORDS = 65536  # no new shape once `event_words` holds this many words (a hostile import)
_STYLES = ((",", ":", encode_basestring), (", ", ": ", encode_basestring),  # SQLite, json.dumps
           (",", ":", encode_basestring_ascii), (", ", ": ", encode_basestring_ascii))


class _Pairs(list):
    """A JSON object as its (key, value) pairs: order and repeated keys kept."""


def _refuse(constant: str):
    raise ValueError(constant)  # NaN, Infinity: JSON to Python, not to SQLite


def _walk(value, style, out: list[str], slots: list[int]) -> None:
    """Write `value` as JSON in `style` into `out`, noting the places of its values."""
    sep, colon, quote = style
    kind = value.__class__
    if kind is _Pairs:
        out.append("{")
        for i, (key, item) in enumerate(value):
            out.append(f"{sep}{quote(key)}{colon}" if i else f"{quote(key)}{colon}")
            _walk(item, style, out, slots)
        out.append("}")
    elif kind is list:
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(sep)
            _walk(item, style, out, slots)
        out.append("]")
    elif value is None or kind is bool:
        out.append("null" if value is None else "true" if value else "false")
    elif kind is str and _WORDLIKE.fullmatch(value):
        out.append(quote(value))
    else:
        slots.append(len(out))
        out.append(quote(value) if kind is str else int.__repr__(value) if kind is int
                   else float.__repr__(value))


def decode(shape: str, values: Sequence[str]) -> str:
    """A coded text back, by the view's rule: printf's %s filled with each value's text."""
    return shape % tuple(values) if values else shape


@functools.lru_cache(maxsize=65536)  # the demo repeats a few thousand texts a million times
def shape_of(text: str) -> tuple[str, tuple[str, ...]] | None:
    """(shape, values) of a details text, or None when it is kept as it is. The shape is a
    printf format (a literal % doubled) when there are values, else the text itself."""
    if len(text) > MAX_TEXT or text[:1] not in ("{", "["):
        return None
    try:
        value = stored_json.loads(text, object_pairs_hook=_Pairs, parse_constant=_refuse)
    except ValueError:
        return None
    for style in _STYLES:
        out: list[str] = []
        slots: list[int] = []
        try:
            _walk(value, style, out, slots)
        except RecursionError:  # nested deeper than Python goes: kept as it is
            return None
        if "".join(out) != text:
            continue
        if not slots or len(slots) > MAX_SLOTS:
            return (text, ()) if not slots else None
        values, slotted = tuple(out[i] for i in slots), set(slots)
        shape = "".join("%s" if i in slotted else part.replace("%", "%%")
                        for i, part in enumerate(out))
        return (shape, values) if decode(shape, values) == text else None
    return None


def raw_details(details):
    """The stored form of details kept as they are: a blob behind a zero byte, the rest as is
    (the same rule as the view's INSTEAD OF triggers)."""
    return b"\x00" + details if isinstance(details, bytes) else details


class Details:
    """The stored forms of details texts for one writer inside its transaction, the shapes'
    codes in its `Words` (same lifetime: a code never outlives its transaction)."""

    def __init__(self, words: Words):
        self.words = words
        self.stored: dict[str, object] = {}
        self.room: int | None = None

    def code(self, details):
        if details.__class__ is not str:
            return raw_details(details)
        stored = self.stored.get(details)
        if stored is None:
            stored = self._encode(details)
            if len(self.stored) < 65536:
                self.stored[details] = stored
        return stored

    def column(self, texts) -> list:
        code = self.code
        return [None if text is None else code(text) for text in texts]

    def _encode(self, text: str):
        found = shape_of(text)
        if found is None:
            return text
        shape, values = found
        code = self._shape_code(shape)
        if code is None:
            return text
        return (f"[{code},{','.join(values)}]" if values else str(code)).encode()

    def _shape_code(self, shape: str) -> int | None:
        words = self.words
        code = words.codes.get(shape)
        if code is None and not words.complete:
            row = words.conn.execute("SELECT code FROM event_words WHERE word = ?",
                                     [shape]).fetchone()
            code = None if row is None else words.codes.setdefault(shape, row[0])
        if code is None and self._has_room():
            code = words.code(shape)
        return code

    def _has_room(self) -> bool:
        if self.room is None:
            self.room = MAX_WORDS - self.words.conn.execute(
                "SELECT COALESCE(MAX(code), 0) FROM event_words").fetchone()[0]
        self.room -= 1
        return self.room >= 0

