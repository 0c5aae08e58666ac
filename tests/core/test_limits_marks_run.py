"""A pasted text of a long run of combining marks (break35): core.limits.text_length normalised
the whole text to NFC, and Python's canonical ordering of one run of marks of two classes
(U+0301 above, U+0323 below, alternating) grows with the square of the run: 100,000 characters
took 9 s of CPU in one call, and the window's field (gui.forms.LengthValidator) calls it twice
or more at each paste or key — the window frozen some 20 s; an imported cell of Excel's 32,767
characters ~1 s, each. core.textnorm.nfc now sorts a long run first (review35c): one pass, and
the same text, character for character, as Python's own NFC gives."""
from __future__ import annotations

import random
import re
import sys
import time
import unicodedata

import pytest

from core import limits, name_rules
from core.privacy import masking
from core.textnorm import _MARKS_RUN, MARKS_RUN_MAX, _ordered, clean_text, nfc
from core.transfer import layout

RUN = "a" + "\u0301\u0323" * 40_000  # 80,001 characters: a «zalgo» text pasted
# Tibetan «ཱི» (U+0F73) is no mark itself, but its decomposition is two of two classes
TIBETAN = "\u0f73" * 40_000


@pytest.mark.parametrize("pasted", [RUN, TIBETAN, "Nguyễn " + RUN + " Lan"])
def test_a_long_run_of_marks_is_measured_in_bounded_time(pasted):
    started = time.process_time()
    assert limits.too_long("applicant_name", pasted)  # far over 200 whatever the rule
    kept, end = limits.fit_text(pasted, len(pasted), 200)  # the window's field cutting a paste
    assert limits.text_length(kept) <= 200 and end == len(kept)
    stored = clean_text(pasted)  # what the desk and the import store
    assert time.process_time() - started < 1.0
    assert len(stored) == limits.text_length(pasted)


def test_a_long_run_counts_what_python_nfc_counts():
    short = "a" + "\u0301\u0323" * 300  # Python's own NFC is quick enough on this one
    assert nfc(short) == unicodedata.normalize("NFC", short)
    assert limits.text_length(short) == len(unicodedata.normalize("NFC", short)) == 600


# honest text and the characters whose NFC moves, composes or decomposes: Vietnamese typed
# with Unikey's separate marks, emoji with ZWJ and skin tones, flags, Hangul jamo, Greek with
# three marks, «≠» (= and a mark), Tibetan, the marks of three classes
POOL = (list(unicodedata.normalize("NFD", "Nguyễn Thị Hường Đồng Giáp ậặệộợựỹ"))
        + list("Nguyễn Thị Hường ") + ["👩‍👩‍👧", "👍🏽", "🇻🇳", "\u1100", "\u1161", "\u11a8",
                                       "ᾏ", "\u2260", "\u0f73", "\u0f71", "\u0f72", "\u0344",
                                       "\u0301", "\u0323", "\u0345", "\u031b", "\u0302", " ", "-"])


def test_the_sorted_run_gives_python_nfc_on_every_mix():
    chance = random.Random(35)
    for _ in range(2000):
        text = "".join(chance.choice(POOL) for _ in range(chance.randrange(1, 80)))
        if chance.random() < 0.5:  # a long run of marks somewhere
            text += "".join(chance.choice(POOL[-9:-2]) for _ in range(MARKS_RUN_MAX + 5))
        assert unicodedata.normalize("NFC", _ordered(text)) == unicodedata.normalize("NFC", text)
        assert nfc(text) == unicodedata.normalize("NFC", text)


def test_every_character_a_run_of_marks_can_start_with_is_found_by_the_quick_search():
    """`_MARKS_RUN` looks for characters neither letters, digits nor spaces: every combining
    mark, and every character whose decomposition begins with one, must be one of them."""
    one = re.compile(_MARKS_RUN.pattern.split("{")[0])
    missed = [hex(code) for code in range(sys.maxunicode + 1)
              if not 0xD800 <= code <= 0xDFFF and _starts_a_run(chr(code))
              and not one.fullmatch(chr(code))]
    assert missed == []


def _starts_a_run(char: str) -> bool:
    if unicodedata.combining(char):
        return True
    return bool(unicodedata.decomposition(char)) and bool(
        unicodedata.combining(unicodedata.normalize("NFD", char)[0]))


@pytest.mark.parametrize("reads", [
    lambda text: layout.trailer_worded([text]),  # an import row's first cell (CELL_MAX)
    lambda text: masking.mask_address(text),  # a stored address, one a package brought
    lambda text: name_rules.clean_name(text),  # a name as the desk and the import store it
], ids=["import-row", "address-mask", "name"])
def test_the_other_readers_of_a_pasted_run_normalise_in_one_pass(reads):
    started = time.process_time()
    reads("Nguyễn " + RUN)
    assert time.process_time() - started < 1.0
