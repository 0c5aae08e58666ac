"""A value an older version stored with a character nobody sees (a bidi override, a zero-width
space) is found by what the screens show of it (core.textnorm.shown_text): the search key leaves
the format characters out (db.searchtext, key format 4), and a database whose index holds the
older keys gets it rebuilt when it opens."""
from __future__ import annotations

import pytest

from core import searchkey, textnorm
from core.database import open_database
from db import fulltext
from db.connection import transaction
from db.searchtext import fold, phone_key
from tests.core.test_searchkey import found, office  # noqa: F401  (the fixture)

NAME = "Đặng \u202eVăn\u200b Tú"  # as an older version stored it
PHONE = "0912\u200b345678"


def test_the_fold_leaves_out_what_no_screen_shows():
    assert fold(NAME) == "dang van tu"
    assert fold("xã Đồng Giáp\u2067, Lạng\ufeffSơn") == "xa dong giap, lang son"
    assert phone_key(PHONE) == "0912345678"


@pytest.mark.facts_may_differ  # the name is stored as an older version stored it
def test_an_old_value_is_found_by_what_the_clerk_reads_after_the_database_opens(db_path, db,
                                                                                office):  # noqa: F811
    target = office["Đặng Văn Tú"]

    def old_fold(text):  # the fold of KEY_FORMAT 3: the format characters kept
        return fold(text.replace("\u202e", "\x00").replace("\u200b", "\x01")) \
            .replace("\x00", "\u202e").replace("\x01", "\u200b")

    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET applicant_name = ?, applicant_phone = ? WHERE id = ?",
                     [NAME, PHONE, target])
        conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}) VALUES ('delete-all')")
        for row_id, code, name, phone in conn.execute(
                "SELECT id, code, applicant_name, applicant_phone FROM dossiers"):
            key = f"{old_fold(code)}| {old_fold(name)}" + (f"| {phone}" if phone else "")
            conn.execute(f"INSERT INTO {fulltext.TABLE}(rowid, search_key) VALUES (?, ?)",
                         [row_id, key])
        conn.execute("UPDATE settings SET value = '3' WHERE key = ?", [searchkey.KEY_SETTING])
    db.close()
    reopened = open_database(db_path)
    try:
        assert searchkey.is_current(reopened) and fulltext.is_intact(reopened)
        for typed in ("dang van tu", "Đặng Văn Tú", "0912345678", "van tu"):
            assert found(reopened, typed) == [NAME], typed
        assert reopened.execute("SELECT applicant_name FROM dossiers WHERE id = ?",
                                [target]).fetchone()[0] == NAME  # found, not rewritten
    finally:
        reopened.close()


def test_a_break_left_hidden_between_two_words_is_found_as_the_words_typed(db, office):  # noqa: F811
    """A zero-width space or BOM an older version stored between two words ("Lạng\ufeffSơn")
    is the break it stood for, as the desk stores it now (db.wordbreak): the clerk who types
    "lang son" finds it (it was keyed "langson", and found nothing); inside a word nothing."""
    target = office["Đặng Văn Tú"]
    name = "Đặng\ufeffVăn Ng\u200buyễn\u200bTú"
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET applicant_name = ? WHERE id = ?", [name, target])
    for typed in ("dang van", "Đặng Văn Nguyễn Tú", "nguyen tu"):
        assert found(db, typed) == [name], typed
    assert textnorm.shown_text(name) == "Đặng Văn Nguyễn Tú"
