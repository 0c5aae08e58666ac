"""Bytes that are no UTF-8 stored as text in a format-3 part (round 34, utf34): the SQL copy
stored a vote's origin holding a UTF-16 surrogate (ED A0 80) that the records' way refuses,
and the centre's later format-2 export crashed on it («Could not decode to UTF-8»); in a
vote's comment it crashed the copy (sqlite3.OperationalError). Every text of every table a
part holds is now judged by one rule (part.checking._all_utf8): refused in words naming the
table, column and row, nothing written, on the fast path and the records' alike."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.database import open_database
from core.errors import InputError
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.exchange.part import checking
from tests.core.exchange.conftest import busy_day, copied, rewrite_rows
from tests.core.exchange.conftest import office as office_db
from tests.core.exchange.test_exchange import SINCE

# bytes no UTF-8 decoder takes: a surrogate, a stray continuation byte, an overlong form, a
# byte F5–FF, a sequence cut short (before a value's end and at it)
BAD = {"surrogate": "ed a0 80", "continuation": "80", "overlong": "c0 af", "ff": "ff",
       "cut short": "e1 ba"}
# (table, column, row): one text of each kind of row the copy writes
PLACES = {
    "vote origin": ("vote_rows", "origin", "(SELECT MIN(id) FROM vote_rows)"),
    "vote comment": ("vote_rows", "comment", "(SELECT MIN(id) FROM vote_rows)"),
    "applicant name": ("dossier_rows", "applicant_name", "(SELECT MIN(id) FROM dossier_rows)"),
    "event details": ("event_rows", "details", "(SELECT MIN(id) FROM event_rows)"),
    "event reason": ("event_rows", "reason", "(SELECT MIN(id) FROM event_rows)"),
    "unit name": ("units", "name", "(SELECT MIN(rowid) FROM units)"),
}
# (round 35) a text where MotCua keeps numbers or BLOBs: an INTEGER column, an untyped one, the
# event's hash (a BLOB column): `_no_blobs` finds it and `_all_utf8` reads that table's every
# column, which it no longer does in an honest part
ELSEWHERE = {
    "received at": ("dossier_rows", "received_at", "(SELECT MAX(id) FROM dossier_rows)"),
    "event actor": ("event_rows", "actor", "(SELECT MAX(id) FROM event_rows)"),
    "event hash": ("event_rows", "hash", "(SELECT MIN(id) FROM event_rows)"),
}


def _sent(folder: Path) -> Path:
    db = office_db(folder / "q1.db", (1, 2))
    busy_day(db)
    export_package(db, folder / "q1.zip", SINCE)
    db.close()
    return folder / "q1.zip"


@pytest.fixture
def sent(tmp_path, built_once):
    """A counter's package after a busy day, made once a module: each test its own copy."""
    return copied(built_once("sent", _sent), tmp_path)


def _spoilt(sent, tmp_path, table, column, row, raw) -> None:
    def spoil(conn):
        conn.execute("PRAGMA writable_schema = ON")  # (no trigger of the part fires)
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = ?", [table]).fetchall()
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(f"UPDATE {table} SET {column} = CAST(x'41{raw}' || ifnull(CAST({column} AS BLOB), x'') "
                     f"AS TEXT) WHERE rowid = {row}")
        if column == "origin":  # a vote of another PC has one (a walk-in vote has none)
            conn.execute(f"UPDATE {table} SET {column} = CAST(x'41{raw}' AS TEXT) "
                         f"WHERE rowid = {row}")
        for _name, sql in triggers:
            conn.execute(sql)
    rewrite_rows(sent, tmp_path / "bad.zip", spoil)


@pytest.mark.parametrize("fast", [True, False], ids=["sql copy", "records"])
@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("place", PLACES)
def test_a_text_that_is_no_utf8_is_refused_in_words_nothing_written(sent, tmp_path, monkeypatch,
                                                                  place, bad, fast):
    _refused_nothing_written(sent, tmp_path, monkeypatch, PLACES[place], BAD[bad], fast)


@pytest.mark.parametrize("fast", [True, False], ids=["sql copy", "records"])
@pytest.mark.parametrize("place", ELSEWHERE)
def test_a_text_that_is_no_utf8_where_numbers_are_kept_is_refused(sent, tmp_path, monkeypatch,
                                                                 place, fast):
    _refused_nothing_written(sent, tmp_path, monkeypatch, ELSEWHERE[place], BAD["surrogate"],
                             fast)


def _refused_nothing_written(sent, tmp_path, monkeypatch, where, bad, fast) -> None:
    from core.exchange import merge
    table, column, row = where
    _spoilt(sent, tmp_path, table, column, row, bad.replace(" ", ""))
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    office_db(tmp_path / "centre.db").close()
    before = (tmp_path / "centre.db").read_bytes()
    centre = open_database(tmp_path / "centre.db")
    try:
        with pytest.raises(InputError) as error:
            import_packages(centre, [tmp_path / "bad.zip"])
    finally:
        centre.close()
    said = str(error.value)
    assert "Chưa ghi gì" in said and "không phải UTF-8" in said, said
    assert f"{table}.{column}, dòng " in said, said
    assert (tmp_path / "centre.db").read_bytes() == before


def test_honest_parts_are_still_copied_by_sql(sent, tmp_path, monkeypatch):
    from core.exchange import fastcopy, merge
    copies = []
    real = fastcopy.Copier.copy
    monkeypatch.setattr(fastcopy.Copier, "copy", lambda self, *a, **k: copies.append(a)
                        or real(self, *a, **k))
    monkeypatch.setattr(merge.run, "FAST_COPY", True)
    centre = office_db(tmp_path / "centre.db")
    try:
        assert import_packages(centre, [sent]).total("dossiers") == {"new": 3}
    finally:
        centre.close()
    assert len(copies) == 1


def test_a_chunk_too_long_to_join_is_read_value_by_value(sent, tmp_path, monkeypatch):
    """A join past SQLite's length limit (part.checking.LIMITS) is no crash: the chunk is
    decoded value by value, and a bad text still named."""
    import sqlite3

    from core.exchange.package import ROWS_PART
    from tests.core.exchange.conftest import package_members
    path = tmp_path / "rows.motcua"
    path.write_bytes(package_members(sent)[ROWS_PART])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE dossier_rows SET note = printf('%.700c', 'x')")  # 3 notes: 2,102 bytes
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1000)
    checking._all_utf8(conn)  # honest: passes, its joins too long
    conn.execute("UPDATE dossier_rows SET note = CAST(x'41eda080' AS TEXT) WHERE id = "
                 "(SELECT MAX(id) FROM dossier_rows)")
    with pytest.raises(checking.PartRefused, match="dossier_rows.note, dòng"):
        checking._all_utf8(conn)
    conn.close()


@pytest.mark.parametrize("table,column,key", [
    ("dossier_rows", "note", "id"), ("procedure_components", "name", "procedure_code, position"),
    ("units", "name", "code")])
def test_every_chunk_is_read_to_the_last_row(sent, tmp_path, monkeypatch, table, column, key):
    """Chunks of one row (a rowid table by ranges, a WITHOUT ROWID one after its last key):
    a bad text in a table's last row is still found and named by its key."""
    import sqlite3

    from core.exchange.package import ROWS_PART
    from db import searchtext
    from tests.core.exchange.conftest import package_members
    path = tmp_path / "rows.motcua"
    path.write_bytes(package_members(sent)[ROWS_PART])
    monkeypatch.setattr(checking, "UTF8_ROWS", 1)
    conn = sqlite3.connect(path)
    searchtext.register(conn)
    conn.execute("INSERT INTO procedure_components(procedure_code, position, name) SELECT code, "
                 "n, 'Đơn' FROM procedures, (SELECT 1 AS n UNION SELECT 2)")
    checking._all_utf8(conn)
    last = conn.execute(f"SELECT {key} FROM {table} ORDER BY {key} DESC LIMIT 1").fetchone()
    assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 1
    conn.execute(f"UPDATE {table} SET {column} = CAST(x'41ff' AS TEXT) WHERE ({key}) = "
                 f"({', '.join('?' * len(last))})", last)
    with pytest.raises(checking.PartRefused, match=f"{table}.{column}, dòng "):
        checking._all_utf8(conn)
    conn.close()


def _part_file(sent, tmp_path):
    from core.exchange.package import ROWS_PART
    from tests.core.exchange.conftest import package_members
    path = tmp_path / "rows.motcua"
    path.write_bytes(package_members(sent)[ROWS_PART])
    return path


def test_an_honest_part_is_checked_without_reading_its_numbers(sent, tmp_path):
    """Round 35 (docs/speed.md): an honest part's columns that keep numbers (an INTEGER one,
    an untyped one) hold no text, which `_no_blobs`' own scan proves, so `_all_utf8` joins
    only its TEXT columns and the BLOB columns' texts; and no join's separator is char(10), a
    call and an allocation a value (with `_no_blobs`, 412 → 196 ms a part of 20,000 dossiers)."""
    import sqlite3

    from core.exchange.fastcopy import screening
    conn = sqlite3.connect(_part_file(sent, tmp_path))
    said: list[str] = []
    conn.set_trace_callback(said.append)
    assert checking._no_blobs(conn) == set()
    checking._all_utf8(conn, set())
    screening._control_anywhere(conn, "main")
    conn.close()
    joins = [s for s in said if "group_concat" in s]
    assert joins and not [s for s in joins if "char(" in s]
    utf8 = [s for s in joins if "CAST(group_concat" in s]
    assert any('"applicant_name"' in s for s in utf8)
    assert any('"details"' in s for s in utf8)  # (a BLOB column's texts)
    dossiers = [s for s in utf8 if 'FROM "dossier_rows"' in s]
    events = [s for s in utf8 if 'FROM "event_rows"' in s]
    assert dossiers and events
    assert not [s for s in dossiers if '"received_at"' in s], dossiers
    assert not [s for s in events if '"actor"' in s], events


def test_a_text_where_numbers_are_kept_then_a_blob_is_refused_as_a_blob(sent, tmp_path):
    """`_no_blobs` asks a column that keeps numbers for a text or a BLOB in one scan: a text
    first (valid UTF-8, an INTEGER column) sends the table to `_all_utf8` whole, and a later
    row's BLOB is still refused by `_no_blobs` in its own words, naming its column."""
    import sqlite3

    from db import searchtext
    conn = sqlite3.connect(_part_file(sent, tmp_path))
    searchtext.register(conn)  # (the part's triggers call it)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE dossier_rows SET received_at = 'Hôm qua' WHERE id = "
                 "(SELECT MIN(id) FROM dossier_rows)")
    assert checking._no_blobs(conn) == {"dossier_rows"}
    checking._all_utf8(conn, {"dossier_rows"})  # a text, UTF-8: passes
    conn.execute("UPDATE dossier_rows SET note = x'00ff' WHERE id = "
                 "(SELECT MAX(id) FROM dossier_rows)")
    with pytest.raises(checking.PartRefused, match="nhị phân ở cột dossier_rows.note"):
        checking._no_blobs(conn)
    conn.close()
