"""What the register's search finds (core.searchkey): address, units, a rename, an index of
old keys; the keys computed, never stored (schema 21), the index kept exact by its triggers."""
from __future__ import annotations

import datetime as dt

import pytest

from core import catalogue, searchkey
from core.database import open_database
from core.textnorm import search_words
from core.transfer import import_file
from db import fulltext
from db.connection import transaction
from tests.core.factories import add_procedures, add_units

DAY = dt.datetime(2025, 6, 2, 9, 0)


@pytest.fixture
def office(db):
    add_units(db, (("H", "UBND huyện Văn Quan", None), ("DG", "UBND xã Đồng Giáp", "H"),
                   ("YP", "UBND xã Yên Phúc", "H")))
    add_procedures(db)
    from core import dossiers
    made = {}
    for name, unit, address in (("Lý Thị Mai", "DG", "Thôn Bản Piát"),
                                ("Hoàng Văn Nam", "YP", "Thôn Nà Làng, xã Yên Phúc"),
                                ("Đặng Văn Tú", "H", None)):
        made[name] = dossiers.create_dossier(db, unit_code=unit, procedure_code="P.WD2",
                                             applicant_name=name, applicant_address=address,
                                             received_at=DAY)[0]
    return made


def found(db, text: str) -> list[str]:
    clauses, params = searchkey.match(search_words(text))
    where = " AND ".join(clauses) or "1"
    return sorted(r[0] for r in db.execute(
        f"SELECT applicant_name FROM dossiers d WHERE {where}", params))


def test_the_key_holds_code_name_phone_address_and_unit_folded(db, office):
    key = db.execute("SELECT search_key FROM dossier_keys WHERE id = ?",
                     [office["Lý Thị Mai"]]).fetchone()[0]
    assert key.endswith("| ly thi mai| thon ban piat| ubnd xa dong giap")
    assert found(db, "dong giap") == ["Lý Thị Mai"]
    assert found(db, "ĐỒNG GIÁP") == ["Lý Thị Mai"]
    assert found(db, "ban piat") == ["Lý Thị Mai"]
    assert found(db, "na lang") == ["Hoàng Văn Nam"]
    assert found(db, "yen phuc") == ["Hoàng Văn Nam"]  # the unit and the address
    assert found(db, "van quan") == ["Đặng Văn Tú"]
    assert found(db, "an") == []  # a word starts a word: not "Văn", "Làng", "Lý Thị Mai"
    assert found(db, "dg-250602") == ["Lý Thị Mai"]  # a piece of the code, anywhere


def test_the_competent_unit_is_searched_too(db, office):
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET competent_unit_code = 'YP' WHERE id = ?",
                     [office["Đặng Văn Tú"]])
        from core import facts
        facts.refresh(db, [office["Đặng Văn Tú"]])
    assert found(db, "yen phuc") == ["Hoàng Văn Nam", "Đặng Văn Tú"]


def test_renaming_a_unit_refreshes_the_keys_of_its_dossiers(db, office, tmp_path):
    catalogue.save_unit(db, code="DG", name="UBND xã Đồng Giáp Mới", level="commune",
                        parent_code="H")
    assert found(db, "giap moi") == ["Lý Thị Mai"]
    result = import_file(db, "units", _units_file(tmp_path, "DG,UBND xã Tân Đoàn,commune,H"))
    assert result.written and not result.errors
    assert found(db, "tan doan") == ["Lý Thị Mai"]
    assert found(db, "giap moi") == []


def _units_file(folder, row: str):
    path = folder / "units.csv"
    path.write_text("code,name,level,parent_code\n" + row + "\n", encoding="utf-8")
    return path


def _old_index(conn) -> None:
    """What an older version's index held: code|name|phone keys, and no marker."""
    conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}) VALUES ('delete-all')")
    conn.execute(f"INSERT INTO {fulltext.TABLE}(rowid, search_key) SELECT id, lower(code) || "
                 "'| ' || lower(applicant_name) FROM dossiers")
    conn.execute("DELETE FROM settings WHERE key = ?", [searchkey.KEY_SETTING])


def _indexed(db, text: str) -> set[int]:
    return {r[0] for r in db.execute(f"SELECT rowid FROM {fulltext.TABLE} WHERE "
                                     f"{fulltext.TABLE} MATCH ?", [fulltext.query([text])])}


@pytest.mark.facts_may_differ  # the index of old keys is the point
def test_an_index_of_old_keys_is_rebuilt_once_when_the_database_opens(db_path, db, office):
    with transaction(db) as conn:
        _old_index(conn)
    assert not fulltext.is_intact(db)
    db.close()
    calls = []
    reopened = open_database(db_path, progress=lambda done, total: calls.append((done, total)))
    try:
        assert found(reopened, "dong giap") == ["Lý Thị Mai"]
        assert calls[-1] == (3, 3)
        assert searchkey.is_current(reopened) and fulltext.is_intact(reopened)
        assert searchkey.rebuild_if_old(reopened) is False  # once only
    finally:
        reopened.close()


@pytest.mark.facts_may_differ  # the old index it sets stays old: the rebuild was cancelled
def test_a_cancelled_rebuild_changes_nothing(db, office):
    with transaction(db) as conn:
        _old_index(conn)
    with pytest.raises(InterruptedError):
        searchkey.rebuild_all(db, lambda done, total: False)
    assert _indexed(db, " dong giap") == set() and not fulltext.is_intact(db)
    assert not searchkey.is_current(db)
    searchkey.rebuild_all(db, lambda done, total: True)  # the next opening does the same
    assert searchkey.is_current(db) and fulltext.is_intact(db)
    assert _indexed(db, " dong giap") == {office["Lý Thị Mai"]}


def test_a_new_database_is_marked_current(db):
    assert searchkey.is_current(db)


def test_words_typed_together_are_looked_for_together_first(db, office):
    from core import dossiers
    add_units(db, (("VA", "UBND xã Văn An", "H"),))
    for name in ("Nguyễn Thị Hoa", "Nguyễn Văn Bình"):
        dossiers.create_dossier(db, unit_code="VA", procedure_code="P.WD2", applicant_name=name,
                                received_at=DAY)
    # "Nguyễn Thị Hoa" of xã Văn An holds both words too, but not side by side
    assert found(db, "nguyen van") == ["Nguyễn Văn Bình"]
    # nowhere side by side: every word, in any order
    assert found(db, "hoa van an") == ["Nguyễn Thị Hoa"]
    assert found(db, "binh nguyen") == ["Nguyễn Văn Bình"]
    assert found(db, "khong co ai") == []


@pytest.mark.facts_may_differ  # the name is stored as an older version stored it
def test_a_name_stored_with_a_look_alike_of_d_is_found_after_the_database_opens(db_path, db,
                                                                                office):
    """A name an older version stored with Ð (U+00D0, drawn as Đ) was keyed "ðuc": "Đức"
    typed found nothing. The fold reads the look-alikes as đ (one rule with clean_name), and
    a database whose index holds the older keys gets it rebuilt when it opens."""
    from db.searchtext import fold
    assert fold("ÐỨC Ɖ ð ɖ") == fold("Đức Đ đ đ") == "duc d d d"
    target = office["Đặng Văn Tú"]

    def old_fold(text):  # the fold of KEY_FORMAT 2: ð kept
        return fold(text.replace("Ð", "\x00")).replace("\x00", "ð")

    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET applicant_name = 'NGUYỄN ÐỨC TÚ' WHERE id = ?", [target])
        conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}) VALUES ('delete-all')")
        for row_id, code, name in conn.execute("SELECT id, code, applicant_name FROM dossiers"):
            conn.execute(f"INSERT INTO {fulltext.TABLE}(rowid, search_key) VALUES (?, ?)",
                         [row_id, f"{old_fold(code)}| {old_fold(name)}"])
        conn.execute("UPDATE settings SET value = '2' WHERE key = ?", [searchkey.KEY_SETTING])
    db.close()
    reopened = open_database(db_path)
    try:
        assert searchkey.is_current(reopened) and fulltext.is_intact(reopened)
        assert found(reopened, "Đức") == ["NGUYỄN ÐỨC TÚ"]
        assert found(reopened, "nguyen duc tu") == ["NGUYỄN ÐỨC TÚ"]
    finally:
        reopened.close()


def test_a_phone_written_with_spaces_or_dots_is_found_by_its_digits(db, office):
    """A vendor's file (and a clerk at the desk) writes '0912 345 678' or '0912.345.678'; the
    clerk searching types 0912345678: the key holds the phone's digits."""
    from core import dossiers
    for name, phone in (("Nông Thị Hoa", "0912 345 678"), ("Vi Văn Dũng", "0205.387.0123")):
        dossiers.create_dossier(db, unit_code="DG", procedure_code="P.WD2", applicant_name=name,
                                applicant_phone=phone, received_at=DAY)
    assert found(db, "0912345678") == ["Nông Thị Hoa"]
    assert found(db, "0912 345 678") == ["Nông Thị Hoa"]
    assert found(db, "02053870123") == ["Vi Văn Dũng"]
    assert fulltext.is_intact(db)


def test_a_phone_is_found_as_it_is_written_and_by_its_digits_however_it_is_typed(db, office):
    """The key held only the digits, the typed words were not reduced: '0205.387.0123' typed
    exactly as stored, '387.0123' or '0205.387' found nothing; '+84 987 654 321' was not
    found by 0987654321. A code's dotted parts are still found as written."""
    from core import dossiers
    for name, phone in (("Nông Thị Hoa", "0912 345 678"), ("Vi Văn Dũng", "0205.387.0123"),
                        ("Lò Văn Ba", "+84 987 654 321")):
        dossiers.create_dossier(db, unit_code="DG", procedure_code="P.WD2", applicant_name=name,
                                applicant_phone=phone, received_at=DAY)
    for typed in ("0205.387.0123", "387.0123", "0205.387", "02053870123", "(0205) 387 0123"):
        assert found(db, typed) == ["Vi Văn Dũng"], typed
    for typed in ("0987654321", "+84 987 654 321", "+84987654321", "0987.654.321", "654 321"):
        assert found(db, typed) == ["Lò Văn Ba"], typed
    for typed in ("0912.345.678", "0912345678", "0912 345"):
        assert found(db, typed) == ["Nông Thị Hoa"], typed
    code = db.execute("SELECT code FROM dossiers WHERE applicant_name = 'Lò Văn Ba'").fetchone()[0]
    assert found(db, code) == ["Lò Văn Ba"]
    assert found(db, code.split("-", 1)[1]) == ["Lò Văn Ba"]
    assert "Lò Văn Ba" in found(db, code.split("-")[0])
    assert fulltext.is_intact(db)


@pytest.mark.facts_may_differ  # the index of old keys is the point
def test_a_command_rebuilding_an_old_index_says_so_on_stderr_not_in_its_json(db_path, db,
                                                                             office, capsys):
    """Issue 16 §3, round 19: `kpi` (any command) opening a file of an older version rebuilt
    its search index silently (~30 s at a million dossiers; the window shows a bar). The
    command line now names the step and its tenths on stderr; --json's stdout stays JSON."""
    import json

    import main
    with transaction(db) as conn:
        _old_index(conn)
    db.close()
    capsys.readouterr()
    assert main.main(["--db", str(db_path), "kpi", "--from", "2025-06-01", "--to",
                      "2025-06-30", "--json"]) == 0
    out, err = capsys.readouterr()
    json.loads(out)
    assert "Đang dựng lại chỉ mục tìm kiếm (tệp của phiên bản trước)…" in err
    assert "100% (3/3)" in err
    assert main.main(["--db", str(db_path), "kpi", "--from", "2025-06-01", "--to",
                      "2025-06-30", "--json"]) == 0
    assert capsys.readouterr().err == ""  # once only: the index is current now
