"""How long a text is: one rule (core.limits.text_length) for the forms' fields, the core's
checks and the import (recon34). The characters as stored (NFC, invisible format characters
removed), one each whatever their encoding: a name typed with Unikey's combining marks was
refused as longer than its letters, an emoji counted twice by the window (UTF-16)."""
from __future__ import annotations

import time
import unicodedata

import pytest

from core import limits
from core.errors import InputError
from core.transfer.profiles import NAME_MAX, check_name


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_text_is_as_long_as_its_letters():
    assert limits.text_length(nfd("Nguyễn Thị Lan")) == len("Nguyễn Thị Lan") == 14
    assert limits.text_length("Lan 😀") == 5  # one character, two UTF-16 units
    assert limits.text_length("Tri\u200bLễ\ufeff") == len("Tri Lễ")  # as stored
    assert limits.text_length("abc") == 3


def test_the_core_refuses_by_letters_and_names_their_count():
    name = "Nguyễn Thị Lan Hương " * 10  # 210 letters
    assert limits.too_long("applicant_name", nfd(name[:200])) is None  # 200 letters, 259 points
    assert limits.too_long("applicant_name", nfd(name)) == (
        "dài 210 ký tự, vượt quá 200 ký tự cho phép")
    assert check_name(nfd("Mẫu cột " + "ễ" * (NAME_MAX - 8))) == "Mẫu cột " + "ễ" * (NAME_MAX - 8)
    with pytest.raises(InputError, match="dài quá 60 ký tự"):
        check_name("ễ" * (NAME_MAX + 1))


def test_a_text_cut_to_fit_drops_what_was_just_typed_never_a_mark_from_its_letter():
    typed = nfd("Nguyễn")  # N g u y e ̂ ̃ n
    assert limits.fit_text(typed, len(typed), 5) == (nfd("Nguyễ"), 7)
    assert limits.fit_text(typed, len(typed), 4) == ("Nguy", 4)
    # pasted in the middle: what was pasted is cut, the text after it kept
    assert limits.fit_text("ab😀😀😀cd", 5, 5) == ("ab😀cd", 3)
    assert limits.fit_text("abc", 1, 5) == ("abc", 1)  # fits: unchanged
    assert limits.fit_text("x" * 50, 10, 5) == ("xxxxx", 5)  # given whole: its end cut


def test_a_pasted_book_is_cut_at_once():
    book = nfd("Thôn Bản Chu, xã Yên Phúc. ") * 40_000  # a million letters
    start = time.perf_counter()
    kept, end = limits.fit_text(book, len(book), 500)
    assert time.perf_counter() - start < 2
    assert limits.text_length(kept) == 500 and end == len(kept)
