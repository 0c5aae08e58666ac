"""The search index keeps no positions (schema 15, db.fulltext): it gives the keys holding every
trigram of a word, a superset of the keys holding the word. These keys hold all the trigrams of
what is searched without holding it, so each search here finds them only if the candidates'
keys are not checked: the hits (`fill_hits`, the register's walked steps), `match` and the
side-by-side question must all leave them out, and give the rows of the plain LIKE scan."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers, register_search, searchkey
from core.register_search import SearchHits
from core.textnorm import search_words
from db import fulltext
from tests.core.factories import add_procedures, add_units
from tests.core.test_fulltext import _ids

DAY = dt.datetime(2025, 6, 2, 9, 0)


def _receive(db, name: str, unit: str = "DG", phone: str | None = None,
             address: str | None = None) -> int:
    return dossiers.create_dossier(db, unit_code=unit, procedure_code="P.WD2",
                                   applicant_name=name, applicant_phone=phone,
                                   applicant_address=address, received_at=DAY)[0]


def _key(db, dossier_id: int) -> str:
    return db.execute("SELECT search_key FROM dossier_keys WHERE id = ?",
                      [dossier_id]).fetchone()[0]


def _candidates(db, text: str) -> set[int]:
    """What the index alone says for `text` as the hits look for it (` text`, a word start)."""
    return {r[0] for r in db.execute(f"SELECT rowid FROM {fulltext.TABLE} WHERE "
                                     f"{fulltext.TABLE} MATCH ?", [fulltext.query([text])])}


def _hits(db, text: str, walked: bool = False) -> list[int]:
    """The register's hits of `text`: found at once, or walked and found by steps."""
    hits = SearchHits(db)
    hits.prepare(search_words(text), generation=0, may_walk=walked, first=0)
    assert hits.walking == walked
    hits.finish()
    return [r[0] for r in db.execute(f"SELECT id FROM {hits.table} ORDER BY id")]


def _same_everywhere(db, text: str, monkeypatch) -> list[int]:
    """The rows of the LIKE scan, asserted equal to every indexed way of finding them."""
    expected = _ids(db, text, indexed=False)
    assert _ids(db, text, indexed=True) == expected, text
    assert _hits(db, text) == expected, text
    with monkeypatch.context() as patch:  # any hit is "many" (first=0): the list is walked
        patch.setattr(register_search, "DRIVE_MAX", 0)
        assert _hits(db, text, walked=True) == expected, text
    return expected


@pytest.fixture
def office(db):
    add_units(db, (("H", "UBND huyện Lộc Bình", None), ("DG", "UBND xã Đồng Giáp", "H")))
    add_procedures(db)
    return db


def test_a_key_holding_every_trigram_of_a_name_but_not_the_name_is_not_found(office,
                                                                             monkeypatch):
    db = office
    real = _receive(db, "Nguyễn Văn An")
    scattered = _receive(db, "Yên Ngũ Guy Uye")  # " ng", "ngu", "guy", "uye", "yen", apart
    accented = _receive(db, "Uyên Ngũ Guy")  # the same trigrams once the marks are folded
    assert "| yen ngu guy uye|" in _key(db, scattered)
    assert {real, scattered, accented} <= _candidates(db, " nguyen")
    for text in ("nguyen", "Nguyễn", "NGUYEN"):
        assert _same_everywhere(db, text, monkeypatch) == [real], text


def test_a_piece_of_a_phone_is_found_only_where_it_is_whole(office, monkeypatch):
    db = office
    real = _receive(db, "Lò Thị Mai", phone="0912036812")
    scattered = _receive(db, "Lò Thị Hoa", phone="0903611368")  # "036" and "368", not "0368"
    assert {real, scattered} <= _candidates(db, "0368")
    assert _same_everywhere(db, "0368", monkeypatch) == [real]


def test_words_side_by_side_somewhere_are_looked_for_side_by_side(office, monkeypatch):
    """"van quan" is the district's name: only keys holding it so are found, not a key
    holding each of its trigrams ("n q" in "tan quy") with the words apart."""
    db = office
    add_units(db, (("VQ", "UBND huyện Văn Quan", None),))
    district = _receive(db, "Hoàng Thị Lan", unit="VQ")
    apart = _receive(db, "Quan Văn Tân Quý")
    assert {district, apart} <= _candidates(db, " van quan")
    assert _same_everywhere(db, "van quan", monkeypatch) == [district]


def test_words_nowhere_side_by_side_are_found_in_any_order(office, monkeypatch):
    """No key holds "van quan" (one only holds its trigrams): the words are looked for in any
    order, so the key with the words apart and the one without those trigrams are found."""
    db = office
    apart = _receive(db, "Quan Văn Tân Quý")  # every trigram of " van quan"
    other = _receive(db, "Quan Thị Mai", address="Thôn Văn Lãng")
    assert apart in _candidates(db, " van quan") and other not in _candidates(db, " van quan")
    assert not searchkey.side_by_side(db.conn, ["van", "quan"])
    assert _same_everywhere(db, "van quan", monkeypatch) == [apart, other]


def test_words_out_of_order_and_short_words_keep_their_rows(office, monkeypatch):
    db = office
    made = [_receive(db, "Đồng Văn Giáp"), _receive(db, "Giáp Đồng Văn"),
            _receive(db, "An Văn Giáp", address="Bản Giáp An"), _receive(db, "Văn Giáp")]
    for text in ("giap van dong", "dong van", "an giap", "an", "giap an", "van giap"):
        expected = _same_everywhere(db, text, monkeypatch)
        assert expected and set(expected) <= set(made), text
