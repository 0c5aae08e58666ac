"""The register's full-text index: `dossiers_fts`, an FTS5 trigram index of the dossiers' search keys.

A search used to read every dossier's key with LIKE (0.9 s at a million dossiers); the trigram
index finds the keys holding a piece of three characters or more without reading them all. It is
an external-content table: it stores only the index, not the text (SQLite FTS5, `content=`).
Since schema 21 the text is not stored anywhere: the content is the view `dossier_keys`, whose
`search_key` is computed from each dossier's columns and the units' names by the SQL function of
db.searchtext (122 bytes a dossier less; docs/speed.md "Size").

Since schema 15 it keeps no positions (`detail=none`, and no column sizes: `columnsize=0`): 106
bytes a dossier instead of 344 (issue 18, the database's size). It then answers only which keys
hold every one of some trigrams (`query`), never a phrase: "nguyen" is asked as "ngu" AND "guy"
AND "uye" AND "yen", which a key "yen ngu guy uye" holds too. What it gives is a superset of
the keys holding a text: the caller checks each candidate's key with the exact rule
(core.searchkey), which reads only the candidates' rows.

Triggers keep it in step inside the very transaction of every change of what a key is made of
— a dossier's code, applicant, unit or competent unit, a unit's name — whoever writes (a clerk,
an import, an anonymisation, a unit renamed), nothing can forget it. An external-content index
must be told, to forget a row, exactly the text it indexed: the triggers compute it from the
old row (OLD.*) and, for a unit's new name, before the name changes (`triggers`). They touch
only `dossiers_fts`, never `events`: the append-only history and its hash chain are not
involved. `check` verifies the index against the computed keys and rebuilds it when they
disagree (`rebuild`).

SQLite 3.34 brought the trigram tokenizer; the Python of python.org 3.11+ for Windows bundles
SQLite 3.40 or newer with FTS5, as does the one here.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext

from db import steps
from db.searchtext import KEY_FORMAT, KEY_SETTING, key_sql

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

# Schema 21 (issue 18, size): the keys computed, not stored. The view is the index's content
# (FTS5 reads it for 'rebuild' and 'integrity-check': `id` and `search_key`), and what a search
# reads to check a candidate (core.searchkey).
VIEW = "dossier_keys"
# since schema 22 the rows are `dossier_rows` (db.dossier_rows), `dossiers` their view
ROWS = "dossier_rows"


def view_sql(table: str = ROWS) -> str:
    return f"CREATE VIEW {VIEW} AS SELECT d.id AS id, {key_sql('d')} AS search_key FROM {table} d"


VIEW_SQL = view_sql("dossiers")  # schema 21, as it was made
COMPUTED = (f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='{VIEW}', "
            "content_rowid='id', tokenize='trigram', detail=none, columnsize=0)")
# what a dossier's key is made of: a change of another column (status, facts…) costs nothing
KEY_COLUMNS = ("code", "applicant_name", "applicant_phone", "applicant_address", "unit_code",
               "competent_unit_code")


def _of_unit(code: str, below: int | None, table: str) -> str:
    """The keys of the dossiers a unit received or resolves (its name is in them)."""
    bound = "" if below is None else f" AND id < {int(below)}"
    return (f"SELECT id, search_key FROM {VIEW} WHERE id IN (SELECT id FROM {table} WHERE "
            f"unit_code = {code}{bound} UNION SELECT id FROM {table} WHERE competent_unit_code "
            f"= {code}{bound})")


def triggers(below: int | None = None, table: str = ROWS) -> str:
    """The index's triggers since schema 21 (on `table`: "dossiers" until schema 22). `below`:
    only dossiers with smaller ids are in the index (a load whose new rows are indexed at its
    end: `deferred`), so only theirs are touched.

    A unit's name enters the keys of its dossiers: before it changes (or the unit comes or goes:
    a dossier may name a unit not yet loaded, foreign keys deferred) their keys are forgotten
    as they were indexed, after it they are indexed again."""
    new_only = "" if below is None else f" AND OLD.id < {int(below)} AND NEW.id < {int(below)}"
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ("id",) + KEY_COLUMNS)
    forget, index = f"INSERT INTO {TABLE}({TABLE}, rowid, search_key)", \
        f"INSERT INTO {TABLE}(rowid, search_key)"
    made = "" if below is not None else f"""
CREATE TRIGGER dossiers_fts_inserted AFTER INSERT ON {table}
BEGIN {index} VALUES (NEW.id, {key_sql('NEW')}); END;"""
    deleted = "" if below is None else f" WHEN OLD.id < {int(below)}"
    unit = []
    # an upsert (INSERT … ON CONFLICT DO UPDATE: a catalogue saved, units imported) fires the
    # BEFORE INSERT triggers even when it updates: only a unit not there yet is coming
    coming = " WHEN NOT EXISTS (SELECT 1 FROM units WHERE code = NEW.code)"
    for event, before, after, when, first in (
            ("UPDATE OF name", "OLD", "NEW", " WHEN OLD.name IS NOT NEW.name", ""),
            ("INSERT", "NEW", "NEW", "", coming), ("DELETE", "OLD", "OLD", "", "")):
        slug = event.split()[0].lower()
        unit.append(f"""
CREATE TRIGGER dossiers_fts_unit_{slug}_before BEFORE {event} ON units{when or first}
BEGIN {forget} SELECT 'delete', id, search_key FROM ({_of_unit(f'{before}.code', below, table)}); END;
CREATE TRIGGER dossiers_fts_unit_{slug}_after AFTER {event} ON units{when}
BEGIN {index} SELECT id, search_key FROM ({_of_unit(f'{after}.code', below, table)}); END;""")
    return made + f"""
CREATE TRIGGER dossiers_fts_deleted AFTER DELETE ON {table}{deleted}
BEGIN {forget} VALUES ('delete', OLD.id, {key_sql('OLD')}); END;
CREATE TRIGGER dossiers_fts_changed AFTER UPDATE OF id, {', '.join(KEY_COLUMNS)} ON {table}
WHEN ({changed}){new_only}
BEGIN
{forget} VALUES ('delete', OLD.id, {key_sql('OLD')});
{index} VALUES (NEW.id, {key_sql('NEW')});
END;""" + "".join(unit) + "\n"


# A unit's code never changes (the program has no such action; a reorganisation makes new units
# with `successor_code`). The foreign keys' ON UPDATE CASCADE would move its dossiers' unit_code
# after the unit row already holds the new code, so their old keys could no longer be computed
# for the index's 'delete' and the index would be corrupted: the change is refused outright.
UNIT_CODE_FINAL = """
CREATE TRIGGER dossiers_fts_unit_code_final BEFORE UPDATE OF code ON units WHEN OLD.code IS NOT NEW.code
BEGIN SELECT RAISE(ABORT, 'a unit''s code never changes: make a new unit (successor_code)'); END;"""

# Schema 21: the stored keys' index and triggers go, the view and the index over it come; the
# long step (`drop_stored_keys`) drops the column and fills the index.
KEYS_COMPUTED = f"""
DROP TRIGGER dossiers_fts_inserted;
DROP TRIGGER dossiers_fts_deleted;
DROP TRIGGER dossiers_fts_changed;
DROP TABLE {TABLE};
{VIEW_SQL};
{COMPUTED};
{triggers(table="dossiers")}
{UNIT_CODE_FINAL}
INSERT INTO settings(key, value) VALUES ('{KEY_SETTING}', '{KEY_FORMAT}')
ON CONFLICT(key) DO UPDATE SET value = excluded.value;
"""

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
    rank 1 compares it with the content, the computed keys; a difference is reported as
    corruption.)"""
    try:
        conn.execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


# FTS5 holds the terms of a transaction's new rows in memory and writes them out as a segment
# each time that buffer passes its `hashsize` (1 MB by default), merging the segments as they
# pile up: a bulk fill of a million keys writes and merges ~100 segments. With 32 MB, measured on
# the keys of a 50 × 20,000 merge (1M dossiers): 12.97 → 7.52 s CPU, +48 MB of memory during
# the fill; 64 MB and 128 MB were no quicker (docs/speed.md, "Ninth round"). Set for a bulk fill
# only and put back afterwards: a clerk's transaction indexes one key.
BULK_BUFFER = 32 * 1024 * 1024
DEFAULT_BUFFER = 1024 * 1024  # FTS5's own default (FTS5_DEFAULT_HASHSIZE)


def _buffer(conn, size: int) -> None:
    conn.execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('hashsize', ?)", [size])


@contextmanager
def big_buffer(conn) -> Iterator[None]:
    """Inside a transaction: FTS5's buffer of pending terms at BULK_BUFFER while a bulk fill
    runs, back to the default when the block ends normally (on an exception the caller's
    rollback puts the setting back with everything else)."""
    if not exists(conn):
        yield
        return
    _buffer(conn, BULK_BUFFER)
    yield
    _buffer(conn, DEFAULT_BUFFER)


def rebuild(conn) -> None:
    """Index every dossier's key again, computed (inside the caller's transaction)."""
    with big_buffer(conn):
        conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def fill(conn, progress=None) -> None:
    """Index the stored keys of every dossier into the empty index, a range of ids at a time,
    inside the caller's transaction (the migration to schema 15, when the keys were stored).
    `progress(done, total)` returning False stops it: the transaction then rolls back and
    nothing has changed."""
    with big_buffer(conn):
        steps.by_id_ranges(conn, "dossiers", FILL_CHUNK,
                           f"INSERT INTO {TABLE}(rowid, search_key) SELECT id, search_key "
                           "FROM dossiers WHERE id > ? AND id <= ?", progress)


def fill_computed(conn, progress=None) -> None:
    """`fill` for schema 21 on: the keys computed (the view), a range of ids at a time."""
    with big_buffer(conn):
        steps.by_id_ranges(conn, "dossiers", FILL_CHUNK,
                           f"INSERT INTO {TABLE}(rowid, search_key) SELECT id, search_key "
                           f"FROM {VIEW} WHERE id > ? AND id <= ?", progress)


def drop_stored_keys(conn, progress=None) -> None:
    """Schema 21's long step: the column of stored keys dropped (SQLite rewrites the table:
    progress is told (0, 0), busy, and may still cancel), then the index filled from the
    computed keys, with progress. A cancel rolls the upgrade back: nothing has changed."""
    steps.run_busy(conn, "ALTER TABLE dossiers DROP COLUMN search_key", progress)
    fill_computed(conn, progress)


def index_keys(conn, keys: list[tuple[int, str]]) -> None:
    """Index these (dossier id, key) pairs, inside a `deferred(caller_indexes=True)` load: the
    keys must be exactly what the view computes (the demo makes them with db.searchtext's
    `folded_key` from the same folded parts; its test runs FTS5's integrity-check)."""
    conn.executemany(f"INSERT INTO {TABLE}(rowid, search_key) VALUES (?, ?)", keys)


Given = tuple[int, list]  # (first id, their keys, each a text or None): `index_new`


def index_new(conn, new_from: int, given: Iterable[Given] = ()) -> None:
    """Index the dossiers from id `new_from` on (a load's new rows: `deferred`), in id order
    (FTS5 writes its buffer out each time a rowid is not above the last one): each one's key
    computed by the view, but in the ranges `given` — (first id, keys: the key of dossier
    first + i, or None), ascending, not overlapping, each from `new_from` on — the keys
    given, computed elsewhere from the same rows and unit names by the same function
    (core.exchange.fastcopy: a second process). A None is computed here by the view (a
    dossier no longer there is not indexed). Whoever gives a key vouches that it is the
    view's: `check` and FTS5's integrity-check compare the index with the view.

    Every key is inserted a row at a time by executemany (C's loop), the computed ones read
    from the view by a cursor: an INSERT … SELECT opens a statement savepoint, at which FTS5
    writes its buffer out (fts5SavepointMethod), so one such statement between the parts'
    ranges made a segment a part. 100,000 keys: 0.53 s CPU given, against 0.60 through one
    JSON text and json_each, 0.48 from a table, 0.88 computed by the view."""
    computed = f"SELECT id, search_key FROM {VIEW} WHERE id >= ? AND id < ? ORDER BY id"
    taken = f"INSERT INTO {TABLE}(rowid, search_key) VALUES (?, ?)"

    def compute(low: int, high: int | None) -> None:
        if high is None:
            conn.executemany(taken, conn.execute(computed.replace(" AND id < ?", ""), [low]))
        elif low < high:
            conn.executemany(taken, conn.execute(computed, [low, high]))

    at = new_from
    for first, keys in given:
        if first < at:
            raise ValueError(f"keys given from {first}, below {at}")
        compute(at, first)
        at, start = first + len(keys), 0
        if None in keys:  # the keys between given, each None computed, in id order
            for place in [i for i, key in enumerate(keys) if key is None]:
                conn.executemany(taken, zip(range(first + start, first + place),
                                            keys[start:place], strict=True))
                compute(first + place, first + place + 1)
                start = place + 1
        conn.executemany(taken, zip(range(first + start, at), keys[start:] if start else keys,
                                    strict=True))
    compute(at, None)


@contextmanager
def deferred(conn, new_from: int | None = None, caller_indexes: bool = False,
             given: Callable[[], Iterable[Given]] | None = None) -> Iterator[None]:
    """Inside a transaction: load dossiers without the triggers, then index them in one pass.

    For bulk loads (the demo, an exchange import). If the load fails, the transaction's
    rollback restores the triggers with everything else. Indexing by trigger costs far more
    than the rows: each firing is a nested statement with FTS5's per-statement work
    (measured: 20,000 dossiers into a centre of 60,000, 3.2 s CPU by trigger, 0.45 s in one
    INSERT … SELECT).

    `caller_indexes`: the load indexes its rows itself (`index_keys`, the demo): nothing is
    rebuilt at the end.
    `new_from`: the load inserts dossiers with ids from there on (an exchange import); only
    those rows are indexed at the end, instead of all again. Meanwhile the dossiers already
    indexed stay in step by the triggers restricted to them (`triggers(below=new_from)`): an
    import may change their applicant or unit too.
    `given`: with `new_from`, called at the end for keys computed elsewhere (`index_new`).
    """
    found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                         "name LIKE 'dossiers_fts_%' ORDER BY name").fetchall()
    for name, _ in found:
        conn.execute(f'DROP TRIGGER "{name}"')
    restricted = steps.statements(triggers(below=new_from)) if found and new_from is not None else []
    for sql in restricted:
        conn.execute(sql)
    with big_buffer(conn) if found else nullcontext():  # the load's keys, or the fill at the end
        yield
        for sql in restricted:
            conn.execute(f'DROP TRIGGER "{sql.split()[2]}"')
        for _, sql in found:
            conn.execute(sql)
        if caller_indexes:
            return
        if new_from is None:
            rebuild(conn)
        elif found:  # no triggers: a database without the index (never after schema 12)
            index_new(conn, new_from, given() if given is not None else ())

