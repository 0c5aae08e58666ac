"""The ledger's sums (db.ledger) of the rows a part's copy wrote, made from the part's own rows in
a thread beside the main one (`_ledger_job`, asked by `_LedgerSums.hash_later`) and added to
the ledger before anything else writes its tables (`settle`)."""
from __future__ import annotations

import concurrent.futures
import itertools
import operator
import sqlite3
from typing import Any

from core.exchange.fastcopy.constraints import _affinity
from core.exchange.fastcopy.partdb import read_only
from core.exchange.fastcopy.votes import _count_votes, _marks_sql, _WalkIns
from core.exchange.fastcopy.written import COPIED_CHILDREN, LEDGER_ROWS, LEDGER_VIEWS, VOTE_COLUMNS
from db import ledger
from db.moments import text_sql


def _ledger_job(path: str, left: list[int], first: int | None, rows: dict[str, tuple[int, int]],
                left_votes: list[int]) -> tuple[dict[str, ledger.Sums | None], list | None]:
    """db.ledger's sums of the rows a part's copy wrote into the ledger's tables (`rows`: each
    table's first id and count), made from the part's own rows (read-only, a connection of its
    own) as the copy wrote them: the dossiers but `left` given the centre's ids from `first`
    in part order, each table's rows in the copy's order (COPIED_CHILDREN; the votes but
    `left_votes` by id) given their ids from the first, each row's text as db.ledger.row_sql
    gives it at the centre (the view's moments as text, db.entry_rows) and hashed by
    db.ledger.summed. None for a table whose rows hold a value the centre's column would
    store otherwise (its affinity: a hostile file's integer in a TEXT column …), or whose rows
    are not `count`: summed from the centre's rows then (Copier.settle). And the copied votes'
    kpi marks (`_marks_sql`; None where their sums are). Runs in a thread of its own
    (Copier.hash_later): SQLite, the hashing and the text's making off the main thread, which
    only adds the sums (~1.6 µs a row there before, docs/speed.md)."""
    conn = read_only(path)
    out: dict[str, ledger.Sums | None] = {}
    marks = None
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        for name, ids in (("left", left), ("left_votes", left_votes)):
            conn.execute(f"CREATE TEMP TABLE {name}(id INTEGER PRIMARY KEY)")
            conn.executemany(f"INSERT INTO temp.{name} VALUES (?)", [(i,) for i in ids])
        shift = _shifted(conn, left, first)
        if shift is None:  # (`plan`'s map)
            conn.execute("CREATE TEMP TABLE map(old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
            if first is not None:
                conn.execute("INSERT INTO temp.map SELECT id, ? - 1 + row_number() OVER (ORDER "
                             "BY id) FROM main.dossier_rows WHERE id NOT IN (SELECT id FROM "
                             "temp.left)", [first])
        for table, (start, count) in rows.items():
            columns, rows_sql, new = _copied_rows(table, shift is not None)
            out[table] = _ledger_sums(conn, table, columns, rows_sql, start, count, new,
                                      shift or {})
        if out.get("votes") is not None:  # (each value they read as the centre holds it)
            marks = conn.execute(_marks_sql("main.vote_rows WHERE id NOT IN (SELECT id FROM "
                                            "temp.left_votes)")).fetchall()
    finally:
        conn.close()
    return out, marks


def _copied_rows(table: str, shifted: bool) -> tuple[tuple[str, ...], str, str]:
    """The columns of the ledger's `table` the copy writes as they are, the part's rows it
    wrote ("FROM … ORDER BY …", in the copy's order) and the SQL of each one's new dossier id:
    by the map (temp.map, `plan`'s) or, `shifted`, by the dossier's id plus :shift
    (`_shifted`, `_MAPPED`)."""
    stored = LEDGER_ROWS[table]
    if table == "votes":
        if not shifted:
            return VOTE_COLUMNS, ("FROM main.vote_rows c LEFT JOIN temp.map m ON m.old = "
                                  "c.dossier_id WHERE c.id NOT IN (SELECT id FROM "
                                  "temp.left_votes) ORDER BY c.id"), "m.new"
        # the map's new id where it has the dossier, else NULL (LEFT JOIN)
        return VOTE_COLUMNS, ("FROM main.vote_rows c WHERE c.id NOT IN (SELECT id FROM "
                              "temp.left_votes) ORDER BY c.id"), (
            f"CASE WHEN {_MAPPED} THEN CAST(c.dossier_id AS INTEGER) + :shift END")
    columns, order = _CHILD_ORDERS[stored]
    if not shifted:
        return columns, (f"FROM temp.map m JOIN main.{stored} c ON c.dossier_id = m.old "
                         f"ORDER BY m.old, {order}"), "m.new"
    # the rows the map's join gives, in its order (m.old, the same value)
    return columns, (f"FROM main.{stored} c WHERE {_MAPPED} ORDER BY c.dossier_id, "
                     f"{order}"), "CAST(c.dossier_id AS INTEGER) + :shift"


_CHILD_ORDERS = {table: (columns, order) for table, columns, order in COPIED_CHILDREN}


# A dossier id of the part the map (`plan`'s: the part's dossiers, all copied, their ids lo …
# hi without a gap, each given id + shift) holds, as its join `m.old = c.dossier_id` finds it:
# an integer of the range, or a real equal to one (a text, a blob, NULL or another real never
# equals the map's integers: the columns' INTEGER affinity converts neither side)
_MAPPED = ("c.dossier_id BETWEEN :lo AND :hi AND c.dossier_id = CAST(c.dossier_id AS "
           "INTEGER)")


def _shifted(conn, left: list[int], first: int | None) -> dict[str, int] | None:
    """When every dossier of the part is copied (none `left`) and its ids run lo … hi without
    a gap (as MotCua numbers a part's rows), the map `plan` makes is old → old + shift: then
    the ledger's job reads the part's rows by their dossier ids and computes the new one
    (`_MAPPED`), with no map made of the part's 20,000 dossiers (~15 ms a part, a window over
    them and a table); else None (the map, as before)."""
    if left or first is None:
        return None
    low, high, count = conn.execute("SELECT MIN(id), MAX(id), COUNT(*) FROM main.dossier_rows"
                                    ).fetchone()
    if not count or high - low + 1 != count:
        return None
    return {"lo": low, "hi": high, "shift": first - low}


def _ledger_sums(conn, table: str, columns: tuple[str, ...], rows_sql: str, start: int,
                 count: int, new: str = "m.new", bound: dict[str, int] | None = None
                 ) -> ledger.Sums | None:
    stored = LEDGER_ROWS[table]
    named = (*ledger.TABLES[table], *filter(None, [ledger.WHEN_SET.get(table)]))
    if named[0] != "id" or any(c not in columns for c in named if c not in ("id", "dossier_id")):
        return None  # a column the copy does not write as it is
    kept = " AND ".join(f"(c.{name} IS NULL OR typeof(c.{name}) = '{_AS_IS[affinity]}')"
                        for name, declared in conn.execute(
                            "SELECT name, type FROM pragma_table_info(?, 'main')", [stored])
                        if name in columns and (affinity := _affinity(declared)) in _AS_IS)
    if kept and conn.execute(f"SELECT 1 FROM main.{stored} c WHERE NOT ({kept}) LIMIT 1"
                             ).fetchone() is not None:
        return None
    entries = LEDGER_VIEWS.get(table)

    def shown(name: str) -> str:  # as the centre's view gives it, the id 0 (given below)
        return ("0" if name == "id" else new if name == "dossier_id" else text_sql(f"c.{name}")
                if entries is not None and name in entries.moments else f"c.{name}")
    # each row's text (db.ledger.row_text) with its id first ('[0,' …, the id put in its
    # place), the ids from `start` in the rows' order: made and hashed in C, no Python a row
    # (`ledger.summed_from`). The centre's rule, not the part's file's (its user_version may
    # be older): a centre this program merges into is of its schema, WHEN_SET hashed (db.ledger)
    rows = conn.execute(f"SELECT {ledger.row_text(table, shown)} {rows_sql}", bound or {})
    texts = map("[{},{}".format, itertools.count(start),
                map(operator.itemgetter(slice(3, None)), map(operator.itemgetter(0), rows)))
    sums, done = ledger.summed_from(texts, start)
    return sums if done == count else None


# the storage class a value of each affinity keeps as it is copied (a copied NULL stays NULL)
_AS_IS = {"integer": "integer", "numeric": "integer", "real": "real", "text": "text"}


class _LedgerSums(_WalkIns):
    """The Copier's ledger sums of the rows copied."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the ledger's sums of the rows copied, made beside this thread (`hash_later`) and not
        # yet added (`settle`): (ledger table → (first id, count), the job's result)
        self.hashing: list[tuple[dict[str, tuple[int, int]], Any]] = []
        self.hasher: concurrent.futures.ThreadPoolExecutor | None = None

    def hash_later(self, path: str, left: list[int], first: int | None,
                   rows: dict[str, tuple[int, int]], left_votes: list[int]) -> None:
        """The ledger's sums of the rows a part's copy wrote (`rows`: table → first id, count)
        made from the part's file in a thread of their own (`_ledger_job`: the main thread
        goes on with the next part), added by `settle`."""
        if self.hasher is None:
            self.hasher = concurrent.futures.ThreadPoolExecutor(
                1, thread_name_prefix="motcua-ledger")
        job = self.hasher.submit(_ledger_job, str(path), list(left), first, dict(rows),
                                 list(left_votes))
        self.use(path, job)
        self.hashing.append((dict(rows), job))

    def settle(self) -> None:
        """The ledger's sums of the rows copied so far added (db.ledger.add, one write a table),
        their jobs waited for; a table whose job gave none (or failed) summed here from the
        centre's rows by their ids. Before anything but the copy writes the ledger (the
        existing path, after a part that leaves it something: `copy`; the end, `finish`): a
        row the copy wrote is then as it wrote it, and no bucket of the ledger's is emptied by
        a change before the rows it holds are added."""
        self.forget_walk_ins()  # (the votes may change too)
        totals: dict[str, ledger.Sums] = {}
        for rows, job in self.hashing:
            try:
                found, marks = job.result()
            except (sqlite3.Error, ValueError, TypeError, OSError):  # the rows summed here then
                found, marks = {}, None
            for table, (start, count) in rows.items():
                sums = found.get(table)
                if sums is None:
                    sums = ledger.sums(self.conn, table, "id BETWEEN ? AND ?",
                                       [start, start + count - 1])
                if table == "votes":  # their kpi marks (`_Copy.votes`)
                    _count_votes(self.delta, marks if marks is not None else self.conn.execute(
                        _marks_sql("main.vote_rows WHERE id BETWEEN ? AND ?"),
                        [start, start + count - 1]))
                total = totals.setdefault(table, {})
                for bucket, (rows_in, summed) in sums.items():
                    entry = total.setdefault(bucket, [0, 0])
                    entry[0] += rows_in
                    entry[1] = (entry[1] + summed) % ledger.MODULUS
        self.hashing = []
        for table, total in totals.items():
            ledger.add(self.conn, table, total)
