"""db.ledger.summed_from (sixteenth round, docs/speed.md): the sums of rows with ids in a run,
hashed and added in C, are `summed`'s of the same rows, whatever the texts and wherever the run
starts and ends against the buckets."""
from __future__ import annotations

import random

import pytest

from db import ledger

# texts as row_sql makes them, and what a hostile file may hold: quotes, escapes, letters
# beyond the BMP, NUL, U+2028, the empty text
PIECES = ["[1,2,\"cash\",\"2025-01-02 03:04:05\"]", "\"", "\\", "\\u0000", "\x00", "\u2028",
          "Nguyễn Văn Ả", "𝔘𝔫𝔦", "null", "", "9" * 40, "[", "]", ",", " "]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 6)))


def _cases():
    rng = random.Random(16)
    firsts = [1, 0, 1023, 1024, 1025, 2047, 5000, (1 << 40) - 3]
    for k in range(240):
        first = firsts[k % len(firsts)] if k < 80 else rng.randrange(1, 1 << 44)
        count = rng.choice([0, 1, 2, 1023, 1024, 1025, 3000, rng.randrange(0, 4000)])
        yield first, [_text(rng) for _ in range(count)]


@pytest.mark.parametrize("words", [8, 4], ids=["64-bit words", "a digest at a time"])
def test_the_sums_of_a_run_are_summed_s(monkeypatch, words):
    monkeypatch.setattr(ledger, "WORD_BYTES", words)
    buckets = 0
    for first, texts in _cases():
        sums, count = ledger.summed_from(iter(texts), first)
        assert count == len(texts)
        assert sums == ledger.summed(zip(range(first, first + len(texts)), texts, strict=True))
        buckets += len(sums) > 1
    assert buckets > 50  # runs across buckets' edges were met


def test_a_generator_s_rows_counted_as_given():
    """The texts are read once, from an iterator (the ledger's job gives a cursor's rows)."""
    texts = (f"[{i},\"x\"]" for i in range(2500))
    sums, count = ledger.summed_from(texts, 7)
    assert count == 2500 and sum(n for n, _total in sums.values()) == 2500
    assert ledger.summed_from(iter(()), 7) == ({}, 0)


def test_a_text_that_is_no_unicode_scalar_is_refused_as_by_summed():
    """A lone surrogate cannot be encoded in UTF-8: refused, as `summed` refuses it."""
    with pytest.raises(UnicodeEncodeError):
        ledger.summed([(1, "\ud800")])
    with pytest.raises(UnicodeEncodeError):
        ledger.summed_from(iter(["ok", "\ud800"]), 1)
