"""One rule for a text's length (core.limits.text_length, fit_text) in every place that cuts
or counts one: the search, what documents clip (a value stored before the limits) and the
header's recipients lines (mend35). Counted with `len` or cut at code points, a text typed with
Unikey's separate tone marks (NFD: «ễ» three code points) lost a third of its letters."""
from __future__ import annotations

import unicodedata

import pytest

from core import limits, report_header
from core.errors import FieldError
from core.textnorm import SEARCH_MAX, search_words


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_search_within_its_limit_keeps_every_word_whatever_its_marks():
    typed = nfd("ệ" * 150 + " Đồng Giáp")  # 160 letters, 465 code points
    assert limits.text_length(typed) <= SEARCH_MAX < len(typed)
    assert search_words(typed)[-2:] == ["dong", "giap"]
    assert search_words(typed) == search_words(unicodedata.normalize("NFC", typed))


def test_a_long_search_is_cut_at_its_limit_by_letters_never_a_mark_alone():
    pasted = nfd("Nguyễn Thị Hường ") * 2000  # a pasted page: 34,000 letters
    words = search_words(pasted)
    assert words == ["nguyen", "thi", "huong"] * 2 + ["nguyen", "thi"]  # SEARCH_WORDS_MAX
    one_word = nfd("ộ") * 5000  # a single word: cut at 200 letters, not 200 code points
    assert search_words(one_word) == ["o" * SEARCH_MAX]


@pytest.mark.parametrize("stored", [nfd("Nguyễn Thị Hường ") * 12, "Lan 😀 " * 40,
                                    "Tri\u200bLễ " * 40])
def test_a_stored_text_is_clipped_at_its_limit_in_letters(stored):
    clipped = limits.clip(stored, "", 100)
    assert limits.text_length(clipped) == 100 and clipped.endswith("…")
    assert stored.startswith(clipped[:-1])
    assert not unicodedata.combining(stored[len(clipped) - 1])  # no mark left without its letter
    assert limits.clip(stored[:len(clipped) - 1], "", 100) == stored[:len(clipped) - 1]


def test_a_recipient_line_within_its_limit_is_printed_whole_whatever_its_marks():
    line = nfd("Ủy ban nhân dân tỉnh Lạng Sơn; các sở, ngành liên quan của tỉnh Lạng Sơn")
    line = (line + nfd(" và huyện Văn Quan") * 3)
    while limits.text_length(line) > limits.RECIPIENT_MAX:
        line = line[:-1]
    line = line.rstrip() + "x" * (limits.RECIPIENT_MAX - limits.text_length(line.rstrip()))
    assert limits.text_length(line) == limits.RECIPIENT_MAX < len(line)  # points, not letters
    assert limits.clip_header({"recipients": [line]})["recipients"] == [line]
    assert report_header.checked({}, [line])[1] == [unicodedata.normalize("NFC", line)]
    with pytest.raises(FieldError, match="mỗi dòng tối đa 100 ký tự"):
        report_header.checked({}, [line + "x"])


def test_a_pasted_book_costs_a_search_no_more_than_its_limit():
    import time
    book = nfd("Nguyễn Thị Hường ") * 200_000  # 4.6 million code points
    started = time.process_time()
    for _ in range(5):  # a refresh of the register asks five times
        assert search_words(book)[:3] == ["nguyen", "thi", "huong"]
    assert time.process_time() - started < 0.5  # the whole book read: 0.7 s each call
