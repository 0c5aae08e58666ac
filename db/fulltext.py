"""The register's full-text index: `dossiers_fts`, an FTS5 trigram index of `dossiers.search_key`.

A search used to read every dossier's key with LIKE (0.9 s at a million dossiers); the trigram
index finds the keys holding a piece of three characters or more without reading them all. It is
an external-content table: it stores only the index, the text stays in `dossiers` (SQLite FTS5,
`content=`), so it costs no second copy of the keys.

Triggers keep it in step inside the very transaction of every change of a key — whoever writes
(core.facts, the demo, an import, a restore of anonymised data), nothing can forget it. The
triggers touch only `dossiers_fts`, never `events`: the append-only history and its hash chain
are not involved. `check` verifies the index against the dossiers and rebuilds it when they
disagree (`rebuild`).

SQLite 3.34 brought the trigram tokenizer; the Python of python.org 3.11+ for Windows bundles
SQLite 3.40 or newer with FTS5, as does the one here.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

TABLE = "dossiers_fts"

# Schema (issue 18): the index, its triggers, and its first filling from the keys already stored.
# An update that leaves the key as it was (core.facts rewrites it with every refresh) costs
# nothing. 'delete' must be given the old text: an external-content index cannot look it up.
SCHEMA = f"""
CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='dossiers', content_rowid='id',
    tokenize='trigram');
CREATE TRIGGER dossiers_fts_inserted AFTER INSERT ON dossiers
BEGIN INSERT INTO {TABLE}(rowid, search_key) VALUES (NEW.id, NEW.search_key); END;
CREATE TRIGGER dossiers_fts_deleted AFTER DELETE ON dossiers
BEGIN INSERT INTO {TABLE}({TABLE}, rowid, search_key) VALUES ('delete', OLD.id, OLD.search_key);
END;
CREATE TRIGGER dossiers_fts_changed AFTER UPDATE OF id, search_key ON dossiers
WHEN OLD.search_key IS NOT NEW.search_key OR OLD.id <> NEW.id
BEGIN
INSERT INTO {TABLE}({TABLE}, rowid, search_key) VALUES ('delete', OLD.id, OLD.search_key);
INSERT INTO {TABLE}(rowid, search_key) VALUES (NEW.id, NEW.search_key);
END;
INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild');
"""

MIN_CHARS = 3  # a trigram index finds nothing shorter (SQLite FTS5 docs, "trigram")


def phrase(text: str) -> str:
    """An FTS5 query finding `text` as it is, anywhere in a key: one quoted phrase."""
    return '"' + text.replace('"', '""') + '"'


def rows_matching(id_column: str, texts: list[str]) -> tuple[str, list[str]]:
    """A condition: `id_column` is a dossier whose key holds every text (each ≥ MIN_CHARS)."""
    query = " AND ".join(phrase(t) for t in texts)
    return f"{id_column} IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?)", [query]


def exists(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [TABLE]).fetchone() is not None


def is_intact(conn) -> bool:
    """Does the index say exactly what the dossiers' keys say? (FTS5 'integrity-check' with
    rank 1 compares it with the content table; a difference is reported as corruption.)"""
    try:
        conn.execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def rebuild(conn) -> None:
    """Index every dossier's key again from the dossiers (inside the caller's transaction)."""
    conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


@contextmanager
def deferred(conn, new_from: int | None = None) -> Iterator[None]:
    """Inside a transaction: load dossiers without the triggers, then index them in one pass.

    For bulk loads (the demo, an exchange import). If the load fails, the transaction's
    rollback restores the triggers with everything else. Indexing by trigger costs far more
    than the rows: each firing is a nested statement with FTS5's per-statement work
    (measured: 20,000 dossiers into a centre of 60,000, 3.2 s CPU by trigger, 0.45 s in one
    INSERT … SELECT).

    `new_from`: the load only inserts dossiers with ids from there on and changes no stored
    key (an exchange import); only those rows are indexed at the end, instead of all again.
    """
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                            "name LIKE 'dossiers_fts_%' ORDER BY name").fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        conn.execute(sql)
    if new_from is None:
        rebuild(conn)
    elif triggers:  # no triggers: a database without the index (never after schema 12)
        conn.execute(f"INSERT INTO {TABLE}(rowid, search_key) SELECT id, search_key "
                     "FROM dossiers WHERE id >= ? ORDER BY id", [new_from])
