"""The chain's hashes made in two steps (db.chain.tails, then db.chain.chained): each event's
content encoded with no previous hash, ahead (core.exchange.fastcopy's second process makes the
tails of the parts to come), then only the SHA-256 in series. The bytes hashed must be exactly
those of `content_hash` and `links` (the one definition of the chain, spec 10), for any
content: quotes, backslashes, control characters, NUL, line separators, letters beyond the
BMP, None, integers and reals, words stored as codes, a code no word has."""
from __future__ import annotations

import datetime as dt
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from core import demo
from core.database import open_database
from db import chain, events_codec

WORDS = {1: "receive", 2: 'a "quoted" \\ word', 3: "Chờ bổ sung 😀", 4: "\x00\x1f\u2028"}
ODD = ['Lý do "có" dấu \\ và\ttab\n', "\x00\x1f\x7f\u2028\u2029 😀 𠀀", "", "\\u0041", '"',
       "\ud7ff\ue000\uffff", None, 0, -1, 2 ** 62, 1.5, 1e100, '{"a": [1, "b\\"c"]}']


def _by_content_hash(rows, prev, words):
    """The chain as `content_hash` makes it, one event at a time, the words decoded first."""
    out = []
    for row in rows:
        fields = list(row[1:])
        if words:
            for i in (2, 3, 4, 5):
                if fields[i].__class__ is int:
                    fields[i] = words.get(fields[i])
        prev = chain.content_hash(prev, *fields)
        out.append(prev)
    return out


def _same_three_ways(rows, prev, words) -> None:
    ids, tails = chain.tails(iter(rows), words)
    assert list(ids) == [row[0] for row in rows]
    linked = list(chain.links(iter(rows), prev, words))
    assert chain.chained(tails, prev) == [digest for _id, _prev, digest in linked]
    assert chain.chained(tails, prev) == _by_content_hash(rows, prev, words)
    if words is None:  # no word coded: each tail is the demo writer's encode_tail
        assert tails == [chain.encode_tail(*row[1:]) for row in rows]


def test_odd_contents_hash_the_same_in_two_steps():
    rows = []
    for n, value in enumerate(ODD):
        for words_as in (1, 2, 3, 4, 99, "extend", None):  # codes, a code no word has, words
            rows.append((n * 10 + len(rows), value if n % 2 else "U1-0001", "2025-01-02 09:00:00",
                         words_as, words_as if words_as is not None else 1, value, words_as,
                         value, value))
    for prev in (None, bytes(32), bytes(range(32))):
        _same_three_ways(rows, prev, WORDS)
        _same_three_ways(rows, prev, None)
    assert chain.tails(iter([]), WORDS) == (array("q"), [])
    assert chain.chained([], bytes(32)) == []


SCALAR = st.one_of(st.none(), st.integers(-2 ** 63, 2 ** 63 - 1), st.text(),
                   st.floats(allow_nan=False, allow_infinity=False),
                   st.text(alphabet=st.characters(max_codepoint=0x3f)),
                   st.text(alphabet=st.characters(min_codepoint=0x10000)))
WORD = st.one_of(st.none(), st.integers(0, 6), st.text())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10 ** 9), SCALAR, SCALAR, WORD, WORD, WORD, WORD, SCALAR,
                          SCALAR), max_size=6),
       st.one_of(st.none(), st.binary(min_size=32, max_size=32)), st.booleans())
def test_any_content_hashes_the_same_in_two_steps(rows, prev, coded):
    _same_three_ways(rows, prev, WORDS if coded else None)


def test_a_stored_history_hashes_to_its_stored_chain(tmp_path):
    """The demo's events as a file stores them (words coded, details coded, moments as
    seconds), read as `check` reads them: the two steps give every stored prefix and the
    recorded head."""
    db = open_database(tmp_path / "office.db")
    demo.generate(db, dossiers=60, seed=3, today=dt.date(2026, 11, 27))
    content, words = events_codec.raw_content(db.conn)
    rows = list(content)
    assert {row[3].__class__ for row in rows} & {int}  # the words are there as codes
    ids, tails = chain.tails(iter(rows), words)
    digests = chain.chained(tails, None)
    stored = dict(db.execute(f"SELECT id, hash FROM {events_codec.TABLE}").fetchall())
    assert [stored[i] for i in ids] == [d[:chain.STORED_BYTES] for d in digests]
    assert chain.head(db.conn) == (ids[-1], digests[-1])
    db.close()
