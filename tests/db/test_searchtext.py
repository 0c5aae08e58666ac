"""The search key computed (db.searchtext, schema 21) answers every search as the stored key
and its LIKE patterns did: `motcua_holds` against SQLite's own LIKE on the key, for random
parts (Vietnamese, odd codes, empty parts, "|", "%", "_", combining marks, odd spaces) and
random pieces of their keys; the cached fold against `fold` itself."""
from __future__ import annotations

import random
import sqlite3

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
