"""The register's full-text index: `dossiers_fts`, an FTS5 trigram index of `dossiers.search_key`.

A search used to read every dossier's key with LIKE (0.9 s at a million dossiers); the trigram
index finds the keys holding a piece of three characters or more without reading them all. It is
an external-content table: it stores only the index, the text stays in `dossiers` (SQLite FTS5,
`content=`), so it costs no second copy of the keys.

Since schema 15 it keeps no positions (`detail=none`, and no column sizes: `columnsize=0`): 106
bytes a dossier instead of 344 (issue 18, the database's size). It then answers only which keys
hold every one of some trigrams (`query`), never a phrase: "nguyen" is asked as "ngu" AND "guy"
AND "uye" AND "yen", which a key "yen ngu guy uye" holds too. What it gives is a superset of
the keys holding a text: the caller checks each candidate's key with the exact rule
(core.searchkey), which reads only the candidates' rows.

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

from db import steps

TABLE = "dossiers_fts"

# The index's triggers. An update that leaves the key as it was (core.facts rewrites it with
# every refresh) costs nothing. 'delete' must be given the old text: an external-content index
# cannot look it up.
TRIGGERS = f"""
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
"""

# Schema 12 (issue 18), as it was: the index with positions (FTS5's default detail=full), its
# triggers, and its first filling from the keys already stored. History: schema 15 replaces it.
SCHEMA = f"""
CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='dossiers', content_rowid='id',
    tokenize='trigram');
{TRIGGERS}
INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild');
"""

# The index as every database has it since schema 15: the one definition (a new database gets
# it through the migration below; `check` rebuilds it in place).
DEFINITION = (f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='dossiers', "
              "content_rowid='id', tokenize='trigram', detail=none, columnsize=0)")

# Schema 15 (issue 18, size): the index again without positions; filled by `fill`, a long step
# with progress (the old index is dropped first, so the new one takes its pages).
WITHOUT_POSITIONS = f"""
DROP TRIGGER dossiers_fts_inserted;
DROP TRIGGER dossiers_fts_deleted;
DROP TRIGGER dossiers_fts_changed;
DROP TABLE {TABLE};
{DEFINITION};
{TRIGGERS}"""

FILL_CHUNK = 50_000  # ids indexed between two reports of progress (0.3–0.7 s at 200k–1M)
MIN_CHARS = 3  # a trigram index finds nothing shorter (SQLite FTS5 docs, "trigram")


def trigrams(text: str) -> list[str]:
    """The text's distinct pieces of three characters, in order: what the tokenizer indexes."""
    return list(dict.fromkeys(text[i:i + MIN_CHARS] for i in range(len(text) - MIN_CHARS + 1)))


def query(texts: list[str]) -> str:
    """An FTS5 query for the keys holding every trigram of every text (each ≥ MIN_CHARS): a
    superset of the keys holding the texts, exactly them when each text is one trigram."""
    pieces = dict.fromkeys(piece for text in texts for piece in trigrams(text))
    return " AND ".join('"' + piece.replace('"', '""') + '"' for piece in pieces)


def exact(texts: list[str]) -> bool:
    """Does `query(texts)` find exactly the keys holding the texts (no key to check)?"""
    return all(len(text) == MIN_CHARS for text in texts)


def rows_matching(id_column: str, texts: list[str]) -> tuple[str, list[str]]:
    """A condition: `id_column` is a dossier whose key may hold every text (each ≥ MIN_CHARS):
    the candidates of `query`, a superset, to be decided by the caller's own test of the key."""
    return f"{id_column} IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?)", [query(texts)]


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


def fill(conn, progress=None) -> None:
    """Index the keys of every dossier into the empty index, a range of ids at a time, inside
    the caller's transaction (the migration to schema 15; the same index as `rebuild`).
    `progress(done, total)` returning False stops it: the transaction then rolls back and
    nothing has changed."""
    steps.by_id_ranges(conn, "dossiers", FILL_CHUNK,
                       f"INSERT INTO {TABLE}(rowid, search_key) SELECT id, search_key "
                       "FROM dossiers WHERE id > ? AND id <= ?", progress)


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
