"""The floor of a centre's merge in SQLite alone (issue 16 §3: 50 × 20,000 in ≤ 30 s).

    python bench/bench_merge_floor.py [PACKAGES] [DOSSIERS]        (default 50 20000)

What can a merge of PACKAGES packages of DOSSIERS dossiers cost at the very least, whatever the
package format and however its reading and checking are written? This bench builds one demo
office of DOSSIERS dossiers (as bench_exchange.py does) and copies its stored rows PACKAGES
times into a fresh centre of the same schema with `INSERT … SELECT` from the attached file:
SQLite's own C, not one Python call for any row, nothing read from a package, nothing checked,
the events' hashes copied rather than computed, codes made distinct by a suffix. It takes the
merge's bulk path (core.exchange.bulk): one transaction, the dossiers' secondary indexes dropped
and made again, the search index filled once at the end, the page cache as the merge sets it.

Each phase's CPU is printed (one process, one core: SQLite writes a file from one connection).
The search index is filled twice in the same transaction, with FTS5's default buffer of pending
terms (1 MB) and with the bulk fills' (db.fulltext.BULK_BUFFER), emptied in between. Then,
apart, the chain's tight loop (db.chain.append_tails): the SHA-256 of PACKAGES × the office's events, their bytes made
beforehand; and the making of those bytes (one JSON text an event), which a merge must also do
somewhere, since a package's own hashes cannot be trusted.

The sum is what SQLite and hashlib alone need for these rows with this schema: the merge's
floor, before a package is read.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import demo  # noqa: E402
from core.bulk import BULK_CACHE_KIB  # noqa: E402
from core.database import open_database  # noqa: E402
from db import chain, fulltext  # noqa: E402

TODAY = dt.date(2025, 10, 31)
CATALOGUE = ("units", "procedures", "calendar", "event_words")
# the stored rows (not the views, whose INSTEAD OF triggers convert each row), and how a copy's
# ids are moved: {column: which offset}
COPIED = {
    "dossier_rows": {"id": "dossier"},
    "event_rows": {"id": "event", "dossier_id": "dossier"},
    "payment_rows": {"dossier_id": "dossier"},
    "vote_rows": {"dossier_id": "dossier"},
    "supplements": {"dossier_id": "dossier"},
    "extensions": {"dossier_id": "dossier"},
    "dossier_components": {"dossier_id": "dossier"},
    "complaints": {"dossier_id": "dossier"},
}
# columns left to the table (their own rowid), so the copies do not collide
FRESH_IDS = {"payment_rows", "vote_rows", "supplements", "extensions", "dossier_components",
             "complaints"}
BIG_HASH = fulltext.BULK_BUFFER


def cpu() -> float:
    return sum(os.times()[:2])


class Phases:
    """CPU seconds per named phase, summed over repeats, in the order first met."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def run(self, name: str, action):
        start = cpu()
        out = action()
        self.spent[name] = self.spent.get(name, 0.0) + cpu() - start
        return out

    def show(self) -> None:
        for name, seconds in self.spent.items():
            print(f"  {name:<52} {seconds:7.2f} s CPU", flush=True)


def columns(conn, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA office.table_info({table})")]


def copy_sql(conn, table: str, copy: int, offsets: dict[str, int]) -> str:
    """INSERT … SELECT of the office's rows of `table` as the `copy`-th package's."""
    moved = COPIED[table]
    names = [c for c in columns(conn, table) if not (c == "id" and table in FRESH_IDS)]
    values = []
    for name in names:
        if name == "code" and table == "dossier_rows":
            values.append(f"code || '-{copy}'")
        elif name in moved:
            values.append(f"{name} + {offsets[moved[name]] * copy}")
        else:
            values.append(name)
    return (f"INSERT INTO main.{table}({', '.join(names)}) SELECT {', '.join(values)} "
            f"FROM office.{table}")


def fill_search_index(conn, hash_size: int | None) -> None:
    if hash_size:
        conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}, rank) VALUES('hashsize', ?)",
                     [hash_size])
    conn.execute(f"INSERT INTO {fulltext.TABLE}(rowid, search_key) SELECT id, search_key "
                 f"FROM {fulltext.VIEW}")


def empty_search_index(conn) -> None:
    conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}) VALUES('delete-all')")
    conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}, rank) VALUES('hashsize', ?)",
                 [1024 * 1024])


def copy_all(centre_path: Path, office_path: Path, packages: int, phases: Phases) -> None:
    centre = open_database(centre_path)
    conn = centre.conn
    conn.execute("ATTACH ? AS office", [str(office_path)])
    conn.execute("PRAGMA foreign_keys = OFF")  # units name parents listed after them
    for table in CATALOGUE:
        conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM office.{table}")
    conn.commit()
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")
    offsets = {"dossier": conn.execute("SELECT MAX(id) FROM office.dossier_rows").fetchone()[0],
               "event": conn.execute("SELECT MAX(id) FROM office.event_rows").fetchone()[0]}
    conn.execute("BEGIN")
    indexes = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND "
                           "sql IS NOT NULL AND tbl_name = 'dossier_rows'").fetchall()
    with fulltext.deferred(conn, new_from=None, caller_indexes=True):  # no trigger a row
        for name, _ in indexes:  # the bulk path's (core.bulk.without_indexes)
            conn.execute(f'DROP INDEX "{name}"')
        for copy in range(packages):
            for table in COPIED:
                phases.run(f"rows: {table}", lambda t=table, k=copy: conn.execute(
                    copy_sql(conn, t, k, offsets)))
        for _, sql in indexes:
            phases.run("the dossiers' indexes made again", lambda sql=sql: conn.execute(sql))
    phases.run("search index, FTS5's default 1 MB buffer", lambda: fill_search_index(conn, None))
    empty_search_index(conn)
    phases.run(f"search index, a {BIG_HASH >> 20} MB buffer",
               lambda: fill_search_index(conn, BIG_HASH))
    conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}, rank) VALUES('hashsize', ?)",
                 [1024 * 1024])
    phases.run("commit (WAL)", lambda: conn.execute("COMMIT"))
    print(f"  centre: {conn.execute('SELECT COUNT(*) FROM dossier_rows').fetchone()[0]} "
          f"dossiers, {conn.execute('SELECT COUNT(*) FROM event_rows').fetchone()[0]} events",
          flush=True)
    centre.close()


def chain_loop(office_path: Path, packages: int, phases: Phases) -> None:
    """The chain's tight loop over PACKAGES × the office's events, and the making of its bytes."""
    office = open_database(office_path)
    rows = office.conn.execute(chain.CONTENT_SQL + " ORDER BY e.id").fetchall()
    office.close()
    tails = phases.run(f"chain: JSON bytes of {len(rows)} events (once)",
                       lambda: [chain.encode_tail(*row[1:]) for row in rows])
    phases.spent[f"chain: JSON bytes × {packages} (estimated)"] = \
        phases.spent.pop(f"chain: JSON bytes of {len(rows)} events (once)") * packages

    def hash_all() -> None:
        sha256, hexed = hashlib.sha256, b""
        import binascii
        hexlify = binascii.hexlify
        for _ in range(packages):
            for tail in tails:
                digest = sha256(b'["' + hexed + b'",' + tail).digest()
                hexed = hexlify(digest)

    phases.run(f"chain: SHA-256 of {packages} × {len(rows)} events", hash_all)


def main() -> None:
    packages = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    dossiers = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        office_path = folder / "office.db"
        office = open_database(office_path)
        demo.generate(office, dossiers=dossiers, seed=1, today=TODAY)
        office.close()
        phases = Phases()
        print(f"{packages} × {dossiers} dossiers copied in C into a fresh centre:", flush=True)
        start = time.perf_counter()
        copy_all(folder / "centre.db", office_path, packages, phases)
        print(f"  ({time.perf_counter() - start:.1f} s wall for the copy)", flush=True)
        chain_loop(office_path, packages, phases)
        phases.show()
        spent = phases.spent
        floor = sum(v for k, v in spent.items() if not k.startswith("search index"))
        for label, index in (("default", "search index, FTS5's default 1 MB buffer"),
                             (f"{BIG_HASH >> 20} MB", f"search index, a {BIG_HASH >> 20} MB buffer")):
            print(f"  floor with the search index's {label} buffer: "
                  f"{floor + spent[index]:.1f} s CPU", flush=True)


if __name__ == "__main__":
    main()
