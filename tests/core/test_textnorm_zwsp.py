"""A zero-width space pasted into a name is a word break or nothing by the letters around it,
never by their case (round 19): "NGU\u200bYỄN" was split into "NGU YỄN" where "Ngu\u200byễn"
was "Nguyễn", and "nguyễn\u200bvăn" glued into one word where "Nguyễn\u200bVăn" was two, so an
upper-case provincial export and MotCua's name no longer folded alike. One case tells: a small
letter then a capital is where a title-case name starts its next word ("Ho\u200bAn")."""
from __future__ import annotations

import pytest

from core.textnorm import fold, one_syllable, zwsp_breaks
from core.validation import clean_name

# (pasted, the name it shows) in title case; each is checked in upper and lower case too
PASTED = [
    ("Ngu\u200byễn Văn An", "Nguyễn Văn An"),       # inside a syllable: nothing
    ("Ng\u200buyễn Văn An", "Nguyễn Văn An"),
    ("Nguyễn\u200bVăn An", "Nguyễn Văn An"),        # between two words: a word break
    ("Lò\u200bAn", "Lò An"),                         # "loan" has its tone on the a: two words
    ("Ho\u200bàng Văn Tuấn", "Hoàng Văn Tuấn"),
    ("Tu\u200bấn", "Tuấn"),
    ("Lò\u200bVăn\u200bPáo", "Lò Văn Páo"),
    ("Ng\u00adu\u200byễn Thị\u200bThu", "Nguyễn Thị Thu"),  # a soft hyphen beside it
]


@pytest.mark.parametrize("pasted, shown", PASTED)
@pytest.mark.parametrize("case", [str, str.upper, str.lower])
def test_the_rule_does_not_depend_on_the_case(pasted, shown, case):
    assert clean_name(case(pasted)) == case(shown)
    assert fold(clean_name(case(pasted))) == fold(shown)


def test_upper_and_title_case_of_one_name_fold_alike():
    for pasted, _ in PASTED:
        assert fold(clean_name(pasted.upper())) == fold(clean_name(pasted))


@pytest.mark.parametrize("word, one", [
    ("Nguyễn", True), ("NGUYỄN", True), ("hoàng", True), ("Quỳnh", True), ("người", True),
    ("giữ", True), ("Thuỷ", True), ("Thủy", True), ("NguyễnVăn", False), ("LòAn", False),
    ("ThưAn", False), ("Ksor", False)])
def test_one_syllable(word, one):
    assert one_syllable(word) is one
    assert one_syllable(word.upper()) is one


def test_a_side_with_no_vowel_is_no_word():
    assert not zwsp_breaks("K", "sor") and not zwsp_breaks("NG", "UYỄN")
    assert zwsp_breaks("Chris", "tina") == zwsp_breaks("CHRIS", "TINA")


@pytest.mark.parametrize("pasted, shown", [
    ("Lò Văn Ho\u200bAn", "Lò Văn Ho An"),     # "hoan" is one syllable, but the capital says two
    ("Đinh Thi\u200bÊn", "Đinh Thi Ên"),
    ("Nguyễn\u200bVăn An", "Nguyễn Văn An"),
    ("NGU\u200bYỄN VĂN AN", "NGUYỄN VĂN AN"),  # the same case on both sides: the syllables tell
    ("Ngu\u200byễn Văn An", "Nguyễn Văn An"),
    ("nguyễn\u200bvăn an", "nguyễn văn an"),
    ("LÒ VĂN HO\u200bAN", "LÒ VĂN HOAN"),
    ("N\u200bguyễn", "Nguyễn"),                 # a capital then a small letter: the syllables
])
def test_a_small_letter_then_a_capital_is_a_word_break(pasted, shown):
    assert clean_name(pasted) == shown
