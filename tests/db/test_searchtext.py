"""The search key computed (db.searchtext, schema 21) answers every search as the stored key
and its LIKE patterns did: `motcua_holds` against SQLite's own LIKE on the key, for random
parts (Vietnamese, odd codes, empty parts, "|", "%", "_", combining marks, odd spaces) and
random pieces of their keys; the cached fold against `fold` itself."""
from __future__ import annotations

import random
import sqlite3
import unicodedata

import pytest

from db import searchtext

NAMES = ("Nguyễn Văn An", "Đồng Thị Giáp", "LÝ THỊ MAI", "a\u0301n Bình", "Hà\u00a0Nội",
         "Ông  Ba\tBốn", "Ma Seo Chứ", "x|y", "50% giảm_giá", "Ǆemal Ñoño", "", "  ", None)
CODES = ("000.33.27.H37-250401-0001", "An-0001", "  an-0004", "Ánh-0005", "A", "đn-0009",
         "zz-an", "", " ", None)
PHONES = ("0912345678", "+84 91 234", None, "")
ADDRESSES = ("Thôn Bản Piát, xã Đồng Giáp", "Khối 3| phường An", None, "Ngõ 5 _ ngách 7")
UNITS = ("UBND xã Đồng Giáp", "UBND huyện Văn Quan", None, "")


def _like(conn, key: str, anywhere: bool, term: str) -> bool:
    """The LIKE patterns core.searchkey asked of a stored key (schemas 2 to 19)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if anywhere:
        sql, params = "? LIKE ? ESCAPE '\\'", [key, f"%{escaped}%"]
    else:
        sql = "(? LIKE ? ESCAPE '\\' OR ? LIKE ? ESCAPE '\\')"
        params = [key, f"{escaped}%", key, f"% {escaped}%"]
    return bool(conn.execute(f"SELECT {sql}", params).fetchone()[0])


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    searchtext.register(connection)
    yield connection
    connection.close()


def test_holds_answers_as_the_like_patterns_on_the_key(conn):
    rng, checked, held = random.Random(20), 0, 0
    for _ in range(3000):
        parts = (rng.choice(CODES), rng.choice(NAMES), rng.choice(PHONES),
                 rng.choice(ADDRESSES), rng.choice(UNITS), rng.choice(UNITS))
        key = conn.execute(f"SELECT {searchtext.KEY_FUNCTION}(?, ?, ?, ?, ?, ?)",
                           parts).fetchone()[0]
        assert key == searchtext.search_key(*parts)
        terms = []
        for _ in range(rng.randint(1, 3)):
            if key and rng.random() < 0.8:
                start = rng.randrange(len(key))
                piece = key[start:start + rng.randint(1, 12)]
            else:
                piece = rng.choice(("an", "AN", "%", "_", "|", "| a", " an", "0", "qx", "ǆ"))
            terms.append((rng.random() < 0.5, piece))
        spec = searchtext.spec(terms)
        got = conn.execute(f"SELECT {searchtext.HOLDS_FUNCTION}(?, ?, ?, ?, ?, ?, ?)",
                           [spec, *parts]).fetchone()[0]
        lowered = [(a, t.translate(searchtext._ASCII_LOWER)) for a, t in terms]
        expected = all(_like(conn, key, a, t) for a, t in lowered if t)
        assert bool(got) == expected, (parts, terms)
        checked, held = checked + 1, held + expected
    assert held > 500 and checked - held > 500  # both answers met often: the test is real


def test_the_cached_fold_is_fold(conn):
    rng = random.Random(21)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ \t\u00a0\u0301\u0323|%_-.0123456789Ǆñß"
    folder = searchtext.Folder()
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert folder(text) == searchtext.fold(text) == folder(text), repr(text)


def _phone_key_general(phone):
    """phone_key as it was before its digits-only shortcut (twenty-seventh round)."""
    if not phone:
        return ""
    if not phone.isascii():
        phone = "".join(ch for ch in phone if unicodedata.category(ch) != "Cf")
    written, digits = " ".join(phone.lower().split()), searchtext.phone_digits(phone)
    return written if digits == written or not digits else f"{written} {digits}"


def test_a_phone_key_is_the_general_one_for_any_phone():
    """The digits-only shortcut gives what the general way gives, for digits of every kind
    (ASCII, full-width, Arabic-Indic: only 0-9 take the shortcut), signs, spaces, letters."""
    rng = random.Random(27)
    alphabet = "0123456789" * 4 + " .-()+\u00a0\u200b" + "０１٣x"
    phones = ["0912345678", "84", "+84987654321", "0", "0205.387", "٠١٢", "０９１２", " 0912 ",
              "0912\u200b345678", "12a", *("".join(rng.choice(alphabet) for _ in range(
                  rng.randint(1, 14))) for _ in range(3000))]
    for phone in phones:
        assert searchtext.phone_key(phone) == _phone_key_general(phone), repr(phone)


def test_a_phone_of_digits_alone_is_its_own_key_without_the_general_way(monkeypatch):
    """Most phones are ASCII digits alone: keyed as they are, without the translation and
    folds of the general way (a third of a part's keys' Python; docs/speed.md, twenty-seventh
    round). Failed before the shortcut: phone_digits was called for every phone."""
    def general(phone):
        raise AssertionError(f"the general way taken for {phone!r}")
    monkeypatch.setattr(searchtext, "phone_digits", general)
    assert searchtext.phone_key("0848295133") == "0848295133"
    assert searchtext.search_key("A-1", "Lành Kim Thảo", "0848295133", None, "UBND", None) \
        == "a-1| lanh kim thao| 0848295133| ubnd"
