"""Schema 22: a dossier's moments are stored as INTEGER seconds (db.moments) in `dossier_rows`;
the view `dossiers` gives back exactly the old texts, NULL as NULL; a text in a moment column is
refused, never stored."""
from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest

from db import moments
from db.connection import transaction
from tests.core.factories import add_procedures, add_units

EDGES = ("1970-01-01 00:00:00", "1969-12-31 23:59:59", "2024-02-29 00:00:00",
         "2025-01-28 23:59:59", "2025-12-31 23:59:59", "2026-01-01 00:00:00",
         "2026-11-27 10:15:00", "2000-02-29 12:00:01", "2099-12-31 23:59:59")
REQUIRED = ("received_at", "created_at", "updated_at")


def _sqlite(sql: str, value):
    return sqlite3.connect(":memory:").execute(sql, [value]).fetchone()[0]


def test_python_and_sqlite_agree_on_every_moment():
    rng = random.Random(22)
    texts = list(EDGES) + [
        (dt.datetime(1990, 1, 1) + dt.timedelta(seconds=rng.randrange(40 * 365 * 86400)))
        .strftime("%Y-%m-%d %H:%M:%S") for _ in range(2000)]
    for text in texts:
        seconds = moments.to_stored(text)
        assert seconds == _sqlite("SELECT unixepoch(?)", text), text
        assert moments.to_text(seconds) == text == _sqlite("SELECT datetime(?, 'unixepoch')", seconds)
        assert moments.to_stored(dt.datetime.fromisoformat(text)) == seconds
    ordered = sorted(texts)
    assert [moments.to_stored(t) for t in ordered] == sorted(moments.to_stored(t) for t in texts)
    assert moments.to_stored(None) is None and moments.to_text(None) is None
    assert moments.to_stored(dt.datetime(2026, 11, 27, 10, 15, 0, 999999)) == \
        moments.to_stored("2026-11-27 10:15:00")  # the text form drops the microseconds too


@pytest.mark.parametrize("odd", ["2026-11-27", "2026-11-27 10:15", "2026-11-27T10:15:00",
                                 "2026-02-30 10:00:00", "2026-11-27 24:00:00", " 2026-11-27 10:15:00",
                                 "2026-11-27 10:15:00+07:00", 1764238500])
def test_only_the_exact_text_is_converted(odd):
    with pytest.raises(ValueError):
        moments.to_stored(odd)
    with pytest.raises(ValueError):
        moments.to_stored(dt.datetime(2026, 11, 27, tzinfo=dt.UTC))


@pytest.fixture
def office(db):
    add_units(db)
    add_procedures(db)
    return db


def _insert(conn, table: str, **moment):
    values = {"code": "A-1", "unit_code": "U1", "procedure_code": "P.WD2",
              "applicant_name": "Nguyễn Văn A", "channel": "direct", "status": "received",
              "received_at": "2025-03-03 09:00:00", **moment}
    conn.execute(f"INSERT INTO {table}({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                 list(values.values()))


@pytest.mark.parametrize("column", moments.COLUMNS)
def test_a_text_stored_in_a_moment_column_is_refused(office, column):
    """The CHECK: a writer binding a text to the rows fails loudly, whatever the column."""
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"), \
            transaction(office) as conn:
        _insert(conn, "dossier_rows", **{column: "2025-03-03 09:00:00"})
    with transaction(office) as conn:
        _insert(conn, "dossier_rows", received_at=moments.to_stored("2025-03-03 09:00:00"))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"), \
            transaction(office) as conn:
        conn.execute(f"UPDATE dossier_rows SET {column} = '2025-03-04 09:00:00'")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"), \
            transaction(office) as conn:
        conn.execute(f"UPDATE dossier_rows SET {column} = 1.5")
    assert office.execute(f"SELECT typeof({column}) FROM dossier_rows").fetchone()[0] in \
        ("integer", "null")


@pytest.mark.parametrize("odd", ["2025-03-03", "2025-03-03 9:00:00", "2025-02-30 09:00:00",
                                 "2025-03-03 09:00:00.5", 1741000000, b"2025-03-03 09:00:00"])
def test_a_write_of_the_view_with_a_moment_not_exactly_text_fails(office, odd):
    with pytest.raises(sqlite3.IntegrityError, match="YYYY-MM-DD HH:MM:SS"), \
            transaction(office) as conn:
        _insert(conn, "dossiers", received_at=odd)
    with transaction(office) as conn:
        _insert(conn, "dossiers")
    with pytest.raises(sqlite3.IntegrityError, match="YYYY-MM-DD HH:MM:SS"), \
            transaction(office) as conn:
        conn.execute("UPDATE dossiers SET finished_at = ? WHERE code = 'A-1'", [odd])
    assert office.execute("SELECT received_at, finished_at FROM dossiers").fetchone() == \
        ("2025-03-03 09:00:00", None)


@pytest.mark.parametrize("column", moments.COLUMNS)
def test_the_view_gives_back_every_moment_as_written(office, column):
    """Each moment column, through the view: the edges of days, years, leap days and the
    epoch read back as the very text written, NULL as NULL, the rows holding its seconds."""
    written = list(EDGES) + ([] if column in REQUIRED else [None])
    for n, text in enumerate(written):
        with transaction(office) as conn:
            _insert(conn, "dossiers", code=f"A-{n}", **{column: text})
    read = office.execute(f"SELECT d.{column}, r.{column} FROM dossiers d JOIN dossier_rows r "
                          "ON r.id = d.id ORDER BY d.id").fetchall()
    assert [r[0] for r in read] == written
    assert [r[1] for r in read] == [moments.to_stored(t) for t in written]
    for n, text in enumerate(reversed(written)):  # an UPDATE through the view, the same
        with transaction(office) as conn:
            conn.execute(f"UPDATE dossiers SET {column} = ? WHERE code = ?", [text, f"A-{n}"])
    assert [r[0] for r in office.execute(f"SELECT {column} FROM dossiers ORDER BY id")] == \
        list(reversed(written))


def test_a_write_of_the_view_leaving_out_a_column_gets_its_default(office):
    before = dt.datetime.now().replace(microsecond=0)
    with transaction(office) as conn:
        _insert(conn, "dossiers")
    row = office.execute("SELECT e_result, copies, kpi_irregular, result_digitised, created_at, "
                         "updated_at FROM dossiers").fetchone()
    assert row[:4] == (0, 1, 0, 0)
    assert before <= dt.datetime.fromisoformat(row[4]) <= dt.datetime.now() and row[5] == row[4]
