"""Writing generated chunks into the database, fast (dossiers into `dossier_rows`, their moments
as seconds made by the chunk: db.moments).

Rows go in with executemany, chunk after chunk, inside the caller's one transaction. The status
history (events) comes made with the chunk (core.demo.events, in the generating process, its
hashed content already encoded): this process, the one that cannot run in parallel, only chains
it (db.chain.append_tails) and inserts it. The receive event records channel, fee and due
time as core.history expects; the chunk's waits, extensions, payments and votes go into the
ledger (db.ledger).
"""
from __future__ import annotations

from collections import Counter

from core.demo.chunk import Rows
from core.demo.scorecard import COMPLAINT_SQL
from core.facts import write_kpi_rows
from db import dossier_rows, fulltext, ledger, vote_origin
from db.chain import append_tails
from db.moments import to_stored, to_text

DOSSIERS_SQL = (
    "INSERT INTO dossier_rows(id, code, unit_code, procedure_code, applicant_name, applicant_phone, "
    "applicant_address, applicant_id_no, channel, received_at, status, due_at, finished_at, "
    "returned_at, extended_due_at, fee, e_result, copies, received_by, note, created_at, "
    "updated_at, calc_due_at, facts, kpi_irregular, competent_unit_code, digitised, "
    "result_digitised) VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,1,?,NULL,?,?,?,?,?,?,?,?)")
SUPPLEMENTS_SQL = ("INSERT INTO supplements(dossier_id, requested_at, completed_at, reason) "
                   "VALUES (?,?,?,?)")
EXTENSIONS_SQL = ("INSERT INTO extensions(dossier_id, extended_at, previous_due_at, new_due_at, "
                  "reason, actor) VALUES (?,?,?,?,?,?)")
PAYMENTS_SQL = ("INSERT INTO payments(dossier_id, amount, method, paid_at, reference, actor) "
                "VALUES (?,?,?,?,?,?)")
VOTES_SQL = ("INSERT INTO votes(unit_code, voted_at, rating, dossier_id, comment, source, actor) "
             "VALUES (?,?,?,?,?,?,?)")
COUNTERS_SQL = ("INSERT INTO code_counters(unit_code, day, last) VALUES (?,?,?) "
                "ON CONFLICT(unit_code, day) DO UPDATE SET last = MAX(last, excluded.last)")
LEDGER_TABLES = ("supplements", "extensions", "payments", "votes")
# positions of the moments in a row of DOSSIERS_SQL (seconds: db.moments)
_MOMENTS = (9, 11, 12, 13, 17, 18, 19)
# payments and votes into their rows since schema 23 (db.entry_rows): the moment at this position
ENTRY_ROWS = {"payments": ("payment_rows", 3), "votes": ("vote_rows", 1)}
LOADED_TABLES = ("dossier_rows", "dossiers", "payment_rows", "vote_rows", "event_rows",
                 "supplements", "extensions", "payments", "votes")


def _last_id(conn, table: str) -> int:
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]


def _as_text(row: tuple) -> tuple:
    return tuple(to_text(v) if i in _MOMENTS else v for i, v in enumerate(row))


class Writer:
    """Writes chunks in order and sums their kpi_daily marks; `finish()` writes the sums."""

    def __init__(self, conn):
        self.conn = conn
        self.kpi: Counter = Counter()
        self.as_text = not dossier_rows.stored_as_seconds(conn)  # a file before schema 22
        self.entries_as_rows = conn.execute(  # schema 23 on
            "SELECT 1 FROM sqlite_master WHERE name = 'payment_rows'").fetchone() is not None
        # the votes' origin, this installation's (schema 25 on, db.vote_origin)
        self.here = vote_origin.here(conn)

    def write(self, rows: Rows) -> None:
        conn = self.conn
        before = {t: _last_id(conn, t) for t in LEDGER_TABLES}
        if self.as_text:
            conn.executemany(DOSSIERS_SQL.replace("dossier_rows", "dossiers", 1),
                             [_as_text(row) for row in rows.dossiers])
        else:
            conn.executemany(DOSSIERS_SQL, rows.dossiers)
        fulltext.index_keys(conn, rows.keys)
        conn.executemany(SUPPLEMENTS_SQL, rows.supplements)
        conn.executemany(EXTENSIONS_SQL, rows.extensions)
        self._entries(PAYMENTS_SQL, "payments", rows.payments)
        self._entries(VOTES_SQL, "votes", rows.votes)
        conn.executemany(COMPLAINT_SQL, rows.complaints)
        if self.here:
            vote_origin.stamp(conn, self.here, "id > ?", [before["votes"]])
        for table in LEDGER_TABLES:  # the rows the events do not carry (db.ledger, spec 10)
            ledger.added(conn, table, "id > ?", [before[table]])
        conn.executemany(COUNTERS_SQL, rows.counters)
        ids, tails, *columns = rows.events  # made and encoded by the chunk (core.demo.events)
        append_tails(conn, ids, tails, columns, coded_moments=True)
        self.kpi.update(rows.kpi)

    def _entries(self, sql: str, view: str, rows: list) -> None:
        if not self.entries_as_rows:
            self.conn.executemany(sql, rows)
            return
        table, at = ENTRY_ROWS[view]
        self.conn.executemany(sql.replace(f"INTO {view}(", f"INTO {table}(", 1),
                              [(*r[:at], to_stored(r[at]), *r[at + 1:]) for r in rows])

    def finish(self) -> None:
        write_kpi_rows(self.conn, self.kpi)
