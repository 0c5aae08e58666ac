"""Writing generated chunks into the database, fast.

Rows go in with executemany, chunk after chunk, inside the caller's one transaction. The status
history (events) is derived by one SELECT per chunk from what was just written (dossiers, waits,
extensions, payments) plus a small temporary table of the steps only the generator knows (when
processing started, by whom, why it ended). That keeps the history consistent with the dossier
by construction and saves most of the cost.
The receive event records channel, fee and due time as core.history expects, and each chunk's
events are hashed into the chain on their way in (db.chain.append); its waits, extensions,
payments and votes go into the ledger (db.ledger).
"""
from __future__ import annotations

from collections import Counter

from core.demo.chunk import Rows
from core.demo.scorecard import COMPLAINT_SQL
from core.facts import write_kpi_rows
from db import ledger
from db.chain import append

DOSSIERS_SQL = (
    "INSERT INTO dossiers(id, code, unit_code, procedure_code, applicant_name, applicant_phone, "
    "applicant_address, applicant_id_no, channel, received_at, status, due_at, finished_at, "
    "returned_at, extended_due_at, fee, e_result, copies, received_by, note, created_at, "
    "updated_at, calc_due_at, facts, search_key, kpi_irregular, competent_unit_code, digitised, "
    "result_digitised) VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,1,?,NULL,?,?,?,?,?,?,?,?,?)")
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
STEPS_TABLE = ("CREATE TEMP TABLE IF NOT EXISTS demo_steps(dossier_id INTEGER PRIMARY KEY, "
               "started_at TEXT, handler TEXT, end_from TEXT, end_reason TEXT)")
STEPS_SQL = "INSERT INTO temp.demo_steps VALUES (?,?,?,?,?)"

# The history of each dossier, in the vocabulary of core.dossiers (action, from, to):
# receive → payment → start_processing → request/receive_supplement → extend → finish | reject |
# withdraw | stop → return_result. `step` orders events that share a time.
EVENTS_SQL = """
SELECT dossier_id, at, actor, action, from_status, to_status, reason, details FROM (
  SELECT d.id AS dossier_id, d.received_at AS at, d.received_by AS actor, 'receive' AS action,
         NULL AS from_status, 'received' AS to_status, NULL AS reason,
         json_object('channel', d.channel, 'fee', d.fee, 'due_at', d.due_at) AS details, 0 AS step
    FROM dossiers d WHERE d.id BETWEEN :lo AND :hi
  UNION ALL
  SELECT s.dossier_id, s.started_at, s.handler, 'start_processing', 'received', 'processing',
         NULL, NULL, 2
    FROM temp.demo_steps s WHERE s.started_at IS NOT NULL
  UNION ALL
  SELECT p.dossier_id, p.paid_at, p.actor, 'payment',
         CASE WHEN s.started_at IS NULL OR p.paid_at <= s.started_at THEN 'received'
              ELSE 'processing' END,
         CASE WHEN s.started_at IS NULL OR p.paid_at <= s.started_at THEN 'received'
              ELSE 'processing' END,
         NULL, json_object('amount', p.amount, 'method', p.method), 1
    FROM payments p JOIN temp.demo_steps s ON s.dossier_id = p.dossier_id
   WHERE p.id > :payments
  UNION ALL
  SELECT w.dossier_id, w.requested_at, s.handler, 'request_supplement', 'processing',
         'supplement', w.reason, NULL, 3
    FROM supplements w JOIN temp.demo_steps s ON s.dossier_id = w.dossier_id
   WHERE w.id > :supplements
  UNION ALL
  SELECT w.dossier_id, w.completed_at, d.received_by, 'receive_supplement', 'supplement',
         'processing', NULL, NULL, 4
    FROM supplements w JOIN dossiers d ON d.id = w.dossier_id
   WHERE w.id > :supplements AND w.completed_at IS NOT NULL
  UNION ALL
  SELECT e.dossier_id, e.extended_at, e.actor, 'extend', 'processing', 'processing', e.reason,
         json_object('previous_due_at', e.previous_due_at, 'new_due_at', e.new_due_at), 5
    FROM extensions e WHERE e.id > :extensions
  UNION ALL
  SELECT d.id, d.finished_at, s.handler,
         CASE d.status WHEN 'rejected' THEN 'reject' WHEN 'withdrawn' THEN 'withdraw'
                       WHEN 'stopped' THEN 'stop' ELSE 'finish' END,
         s.end_from, CASE d.status WHEN 'returned' THEN 'done' ELSE d.status END,
         s.end_reason, NULL, 6
    FROM dossiers d JOIN temp.demo_steps s ON s.dossier_id = d.id
   WHERE d.id BETWEEN :lo AND :hi AND d.finished_at IS NOT NULL
  UNION ALL
  SELECT d.id, d.returned_at, d.received_by, 'return_result', 'done', 'returned', NULL, NULL, 7
    FROM dossiers d WHERE d.id BETWEEN :lo AND :hi AND d.returned_at IS NOT NULL
) ORDER BY dossier_id, at, step
"""

LEDGER_TABLES = ("supplements", "extensions", "payments", "votes")
LOADED_TABLES = ("dossiers", "events", "supplements", "extensions", "payments", "votes")


def _last_id(conn, table: str) -> int:
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]


class Writer:
    """Writes chunks in order and sums their kpi_daily marks; `finish()` writes the sums."""

    def __init__(self, conn):
        self.conn = conn
        self.kpi: Counter = Counter()
        conn.execute(STEPS_TABLE)
        conn.execute("DELETE FROM temp.demo_steps")

    def write(self, rows: Rows) -> None:
        conn = self.conn
        before = {t: _last_id(conn, t) for t in LEDGER_TABLES}
        conn.executemany(DOSSIERS_SQL, rows.dossiers)
        conn.executemany(SUPPLEMENTS_SQL, rows.supplements)
        conn.executemany(EXTENSIONS_SQL, rows.extensions)
        conn.executemany(PAYMENTS_SQL, rows.payments)
        conn.executemany(VOTES_SQL, rows.votes)
        conn.executemany(COMPLAINT_SQL, rows.complaints)
        for table in LEDGER_TABLES:  # the rows the events do not carry (db.ledger, spec 10)
            ledger.added(conn, table, "id > ?", [before[table]])
        conn.executemany(COUNTERS_SQL, rows.counters)
        conn.executemany(STEPS_SQL, rows.steps)
        if rows.dossiers:
            self._events(rows, before)
        conn.execute("DELETE FROM temp.demo_steps")
        self.kpi.update(rows.kpi)

    def _events(self, rows: Rows, before: dict) -> None:
        """The chunk's history, chained as it goes in (db.chain.append, core.history)."""
        codes = {row[0]: row[1] for row in rows.dossiers}
        found = self.conn.execute(EVENTS_SQL, {"lo": rows.first_id, "hi": rows.dossiers[-1][0],
                                               **before}).fetchall()
        append(self.conn, [(row[0], codes[row[0]], *row[1:]) for row in found])

    def finish(self) -> None:
        write_kpi_rows(self.conn, self.kpi)
        self.conn.execute("DROP TABLE IF EXISTS temp.demo_steps")
