"""The register's hits read from the indexes alone (core.searchkey.fill_hits) are exactly the
rows of the LIKE scan (`match(indexed=False)`): random pieces of random keys, words of two
letters, codes starting with anything a clerk or an import may type."""
from __future__ import annotations

import random

from core import searchkey
from core.textnorm import search_words
from db.connection import transaction
from tests.core.test_fulltext import _ids, _office

# codes whose folded form starts with a word ("an"), in every shape the code index must catch
ODD_CODES = ("An-0001", "AN.0002", "aN 0003", "  an-0004", "Ánh-0005", "ăn-0006", "a\u0301n-0007",
             "Đa-0008", "đn-0009", "A", "a-n-0011", "ANH", "n", "Ân", "\tan-0015", "zz-an")


def _hits(db, text: str) -> list[int] | None:
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits(id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.hits")
    if not searchkey.fill_hits(conn, "temp.hits", search_words(text)):
        return None
    return [r[0] for r in conn.execute("SELECT id FROM temp.hits ORDER BY id")]


def _with_odd_codes(db) -> None:
    ids = sorted(_office(db, 60))
    with transaction(db) as conn:
        for dossier_id, code in zip(ids, ODD_CODES, strict=False):
            conn.execute("UPDATE dossiers SET code = ? WHERE id = ?", [code, dossier_id])


def test_the_hits_are_the_rows_of_the_like_scan(db):
    _with_odd_codes(db)
    keys = [r[0] for r in db.execute("SELECT search_key FROM dossier_keys")]
    rng, answered, found = random.Random(18), 0, 0
    texts = ["an", "a", "an 0003", "anh", "da", "dn", "nh", "n", "zz", "ubnd", "0001", "00", "a-n",
             "giap dong", "dong giap", "van quan", "%", "a_n", 'a"n', "an| "]
    for _ in range(300):
        key = rng.choice(keys)
        start = rng.randrange(len(key) - 2)
        piece = key[start:start + rng.randint(2, 16)]
        words = piece.split()
        if rng.random() < 0.3:
            rng.shuffle(words)
        texts.append(" ".join(words) if rng.random() < 0.5 else piece)
    for text in texts:
        expected = _ids(db, text, indexed=False)
        got = _hits(db, text)
        if got is not None:
            assert got == expected, text
            answered += 1
            found += bool(expected)
    assert answered > 200 and found > 150  # the index answered most: the comparison is real


def test_a_two_letter_word_is_answered_by_the_index_with_the_codes_that_start_with_it(db):
    _with_odd_codes(db)
    got = _hits(db, "an")
    assert got is not None and got == _ids(db, "an", indexed=False)
    found = {code: key for code, key in db.execute(
        "SELECT d.code, k.search_key FROM dossiers d JOIN dossier_keys k ON k.id = d.id "
        "WHERE d.id IN (SELECT id FROM temp.hits)")}
    assert {"An-0001", "AN.0002", "aN 0003", "  an-0004", "Ánh-0005", "ăn-0006", "Ân",
            "\tan-0015", "ANH"} <= set(found)
    for code in ("Đa-0008", "A", "a-n-0011", "n"):  # found only by a word of the name
        assert code not in found or " an" in found[code]
    assert _hits(db, "a") is None  # one letter: no trigram holds it, the LIKE scan answers
