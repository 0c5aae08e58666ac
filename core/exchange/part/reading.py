"""A checked rows part's records, read by core.exchange.records (the very reading of a format-2
package's), its damage met on the way a bad record of the package (core.exchange.part)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from core.exchange import records
from core.exchange.checks import BadRecord
from core.exchange.part.checking import short
from core.exchange.part.layout import NAME
from db.batches import in_chunks, marks

_ENCODE = records._ENCODE


def _guarded(rows: Iterator) -> Iterator:
    """A part's damage met while reading (a page that quick_check did not look at, text that
    is not UTF-8) is a bad record of the package, not a crash."""
    try:
        yield from rows
    except (sqlite3.Error, UnicodeError) as exc:
        raise BadRecord(f"phần {NAME} hỏng, không đọc được ({short(exc)})") from None


def dossier_lines(conn: sqlite3.Connection,
                  only: list[int] | None = None) -> Iterator[tuple[bytes, dict]]:
    """The dossier records in id order (the sender's, as a format-2 package lists them), each
    with the JSON text a format-2 package would hold for it: the text the checks look at, and
    the proof that every value is one JSON can carry (a BLOB in a text column is refused).
    `only`: these ids alone, in this order (what the SQL fast path left to the records)."""
    ids = only if only is not None else [
        row[0] for row in conn.execute("SELECT id FROM dossier_rows ORDER BY id")]
    for record in _guarded(records.dossier_records(conn, ids)):
        yield _line(record), record


def _line(record: dict) -> bytes:
    try:
        return _ENCODE(record).encode("utf-8")
    except (TypeError, ValueError, UnicodeError):
        raise BadRecord("có giá trị sai kiểu (dữ liệu nhị phân)") from None


def vote_records(conn: sqlite3.Connection, only: list[int] | None = None) -> Iterator[dict]:
    """The votes in id order; a vote naming a dossier the part does not hold is refused (a
    format-2 package names the code, and a code that is nowhere is refused too). `only`:
    these ids alone (what the SQL fast path left to the records)."""
    sql = ("SELECT v.dossier_id IS NOT NULL AND d.code IS NULL, "
           + records.VOTES_SQL[len("SELECT "):])
    rows: Iterator = iter(())
    if only is None:
        rows = conn.execute(sql + " ORDER BY v.id")
    else:
        rows = (row for chunk in in_chunks(sorted(only))
                for row in conn.execute(f"{sql} WHERE v.id IN ({marks(chunk)}) ORDER BY v.id",
                                        chunk))
    for row in _guarded(rows):
        if row[0]:
            raise BadRecord("phiếu gắn với một hồ sơ không có trong gói")
        record = records.vote_record(row[1:])
        _line(record)
        yield record


def catalogue_records(conn: sqlite3.Connection, name: str) -> Iterator[dict]:
    read = {"units.jsonl": records.unit_records, "procedures.jsonl": records.procedure_records,
            "calendar.jsonl": records.calendar_records}[name]
    for record in _guarded(read(conn)):
        _line(record)
        yield record
