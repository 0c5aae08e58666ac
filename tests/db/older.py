"""A current file taken back to an older schema, for the tests of the migrations that build an
older file by hand from a new one."""
from __future__ import annotations

import sqlite3

from db import (
    chain,
    dossier_rows,
    entry_rows,
    events_codec,
    facts_codec,
    fulltext,
    ledger,
    moments,
    schema,
    searchtext,
    steps,
)

TEXT_EVENTS = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    reason TEXT,
    details TEXT,
    hash BLOB
)"""


def text_events(conn) -> None:
    """The events as the schemas before EVENTS_COMPACT stored them: a table of text, every
    value the view gives (db.events_codec), with its index and append-only triggers, and
    their full hashes (full_hashes)."""
    if conn.execute(f"SELECT 1 FROM sqlite_master WHERE name = '{chain.MARKS}'").fetchone():
        full_hashes(conn)
    conn.execute("CREATE TEMP TABLE plain_events AS SELECT * FROM events")
    conn.execute("DROP VIEW events")
    conn.execute(f"DROP TABLE {events_codec.TABLE}")  # its triggers and index go with it
    conn.execute("DROP TABLE event_words")
    conn.execute(TEXT_EVENTS)
    conn.execute("INSERT INTO events SELECT * FROM temp.plain_events ORDER BY id")
    conn.execute("DROP TABLE temp.plain_events")
    conn.execute("CREATE INDEX events_dossier ON events(dossier_id, at)")
    for statement in steps.statements(chain.TRIGGERS_V8):
        conn.execute(statement)


def facts_before_19(conn) -> None:
    """The facts as schemas 14 to 18 stored them ("hz" always, "fd" whenever not null, which
    the migration MOMENTS reads) and their trigger, in a file this version's demo wrote."""
    conn.create_function("older_facts", 5, lambda text, *row: facts_codec.recode(
        facts_codec.full_text(text, *row), *row[:2]))
    conn.execute(f"UPDATE dossiers SET facts = older_facts(facts, "
                 f"{facts_codec.origin_columns()}) WHERE facts IS NOT NULL")
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                           "'dossiers_facts_origin'").fetchone()
    if trigger and "calc_due_at" in trigger[0]:
        for statement in steps.statements(facts_codec.FACTS_ORIGIN_MOMENTS)[:1] + \
                steps.statements(facts_codec.FACTS_ORIGIN):
            conn.execute(statement)


def facts_in_upgrade_order(path) -> None:
    """The facts of a current file with their keys in the order facts_before_19 and then the
    migration MOMENTS give them (the same JSON objects): the file an upgrade gives back, byte
    for byte."""
    conn = sqlite3.connect(path, isolation_level=None)
    searchtext.register(conn)
    try:
        conn.create_function("upgraded_facts", 5, lambda text, *row: facts_codec.recode_moments(
            facts_codec.recode(facts_codec.full_text(text, *row), *row[:2]), *row))
        conn.execute(f"UPDATE dossiers SET facts = upgraded_facts(facts, "
                     f"{facts_codec.origin_columns()}) WHERE facts IS NOT NULL")
        # a file that never merged a package: the upgrade cannot tell which votes it wrote
        # (db.vote_origin.fill), so it gives them none (nor does its ledger hash one)
        with ledger.changing(conn, "votes", "1"):
            conn.execute("UPDATE vote_rows SET origin = NULL")
    finally:
        conn.close()


def four_kb_pages(path) -> None:
    """The file as the schemas before PAGES made it: pages of 4 KB (SQLite's default), at the
    version before PAGES (which changes no table but schema 21's: the keys stored)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        stored_keys(conn)
        conn.execute("PRAGMA journal_mode = DELETE")  # the page size changes only outside WAL
        conn.execute("PRAGMA page_size = 4096")
        facts_before_19(conn)
        full_hashes(conn)
        conn.execute("VACUUM")
        conn.execute(f"PRAGMA user_version = {schema.MIGRATIONS.index(schema.PAGES)}")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def full_hashes(conn) -> None:
    """The hashes as the schemas before CHAIN_PREFIX stored them: each event its full SHA-256
    (hashed again here, the chain being made the same way), no table of marks."""
    content, words = events_codec.raw_content(conn)
    digests = [(digest, event_id) for event_id, _prev, digest in chain.links(list(content), None, words)]
    conn.execute("DROP TRIGGER events_sealed_final")
    conn.executemany(f"UPDATE {events_codec.TABLE} SET hash = ? WHERE id = ?", digests)
    conn.execute(steps.statements(chain.TRIGGERS)[0])  # events_sealed_final as it was
    conn.execute(f"DROP TABLE {chain.MARKS}")  # its triggers go with it


def as_before_prefix(rows: list[tuple], column: int = -1) -> list[tuple]:
    """Rows read before CHAIN_PREFIX as they read after it: the hash in `column` cut to the
    prefix an event keeps (db.chain.STORED_BYTES)."""
    cut = chain.STORED_BYTES
    return [tuple(v[:cut] if i == (column % len(row)) and isinstance(v, bytes) else v
                  for i, v in enumerate(row)) for row in rows]
def _schema_at(version: int, kind: str, name: str) -> str:
    """The SQL schema `version` made for `name` (a table, index or trigger), from its migrations."""
    built = sqlite3.connect(":memory:", isolation_level=None)
    searchtext.register(built)
    try:
        for index in range(version):
            schema.run_migration(built, index)
        return built.execute("SELECT sql FROM sqlite_master WHERE type = ? AND name = ?",
                             [kind, name]).fetchone()[0]
    finally:
        built.close()


def _schema_21(kind: str, name: str) -> str:
    return _schema_at(schema.MIGRATIONS.index(schema.DOSSIER_ROWS), kind, name)


def ledger_without_origin(conn) -> None:
    """The file as schema 25 made it (round 33's MotCua 1.0.0): the votes keep their origins,
    the ledger hashes none of them (db.ledger.WHEN_SET_FROM), at version 25."""
    before = schema.MIGRATIONS.index(schema.LEDGER_ORIGIN)
    if conn.execute("PRAGMA user_version").fetchone()[0] <= before:
        return
    if ledger.stored(conn, "votes") is not None:
        rows = "FROM votes WHERE origin IS NOT NULL"
        ledger._apply(conn, "votes",
                      ledger.summed(conn.execute(f"SELECT id, {ledger.row_text('votes')} {rows}")),
                      ledger.summed(conn.execute(
                          f"SELECT id, {ledger.row_text('votes', when_set=False)} {rows}")))
    conn.execute(f"PRAGMA user_version = {before}")


def without_vote_origin(conn) -> None:
    """The file as the schemas before VOTE_ORIGIN made it: the votes' rows without `origin`,
    the view and its triggers as schema 23 made them, at version 24."""
    ledger_without_origin(conn)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(vote_rows)")]
    if "origin" in columns:
        conn.execute("DROP VIEW votes")
        conn.execute("DROP TRIGGER votes_cancellation_final")
        conn.execute("DROP INDEX votes_origin")
        searchtext.register(conn)  # (the schema's triggers name its functions: parsed again)
        conn.execute("ALTER TABLE vote_rows DROP COLUMN origin")
        for statement in steps.statements(entry_rows.VOTES.view_sql()):
            conn.execute(statement)
    before = schema.MIGRATIONS.index(schema.VOTE_ORIGIN)
    conn.execute(f"PRAGMA user_version = {min(before, conn.execute('PRAGMA user_version').fetchone()[0])}")


def without_code_aliases(conn) -> None:
    """The file as the schemas before CODE_ALIASES made it: no table of re-coded dossiers
    (its index and triggers go with it), at version 23."""
    without_vote_origin(conn)
    conn.execute("DROP TABLE IF EXISTS code_aliases")
    before = schema.MIGRATIONS.index(schema.CODE_ALIASES)
    conn.execute(f"PRAGMA user_version = {min(before, conn.execute('PRAGMA user_version').fetchone()[0])}")


def text_entries(conn) -> None:
    """Payments and votes as schemas before ENTRY_ROWS stored them: tables of text (what the
    views give), their indexes and trigger as schema 22 made them, at version 22."""
    without_code_aliases(conn)
    before = schema.MIGRATIONS.index(schema.ENTRY_ROWS)
    for entries in entry_rows.ALL:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [entries.table]).fetchone() \
                is None:
            continue
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                    "tbl_name IN (?, ?)", [entries.view, entries.table]).fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(f"CREATE TEMP TABLE plain_{entries.view} AS SELECT * FROM {entries.view}")
        conn.execute(f"DROP VIEW {entries.view}")
        conn.execute(f"DROP TABLE {entries.table}")  # nothing refers to it; its indexes go too
        conn.execute(_schema_at(before, "table", entries.view))
        conn.execute(f"INSERT INTO {entries.view} SELECT * FROM temp.plain_{entries.view} ORDER BY id")
        conn.execute(f"DROP TABLE temp.plain_{entries.view}")
        for line in entries.indexes.strip().splitlines():
            conn.execute(line.replace(entries.table, entries.view))
        conn.execute(_schema_at(before, "trigger", f"{entries.view}_cancellation_final"))
    conn.execute(f"PRAGMA user_version = {min(before, conn.execute('PRAGMA user_version').fetchone()[0])}")


def text_dossiers(conn) -> None:
    """The dossiers as schemas before DOSSIER_ROWS stored them: the table `dossiers`, moments as
    text (what the view gives), its indexes and triggers as schema 21 made them, at version 21
    (payments and votes first as schema 22 kept them: `text_entries`)."""
    text_entries(conn)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'dossier_rows'").fetchone() is None:
        return
    searchtext.register(conn)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'dossiers_%' "
        "OR tbl_name IN ('dossiers', 'dossier_rows'))")]
    for name in names:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(f"DROP VIEW {fulltext.VIEW}")
    conn.execute("DROP VIEW dossiers")
    conn.execute("ALTER TABLE dossier_rows RENAME TO dossiers")  # the children follow
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                "name LIKE 'dossiers_%' AND tbl_name = 'dossiers'").fetchall():
        conn.execute(f'DROP INDEX "{name}"')
    # the old columns' text (TEXT moments), in place: the children's rows stay untouched (the
    # table is not dropped, which may run inside a transaction with the foreign keys on)
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'dossiers'",
                 [_schema_21("table", "dossiers")])
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")
    conn.execute("UPDATE dossiers SET " + ", ".join(
        f"{m} = datetime({m}, 'unixepoch')" for m in moments.COLUMNS))
    for statement in steps.statements(dossier_rows.INDEXES.replace("dossier_rows", "dossiers")
                                        + fulltext.VIEW_SQL + ";\n"
                                        + fulltext.triggers(table="dossiers")
                                        + fulltext.UNIT_CODE_FINAL + "\n"
                                        + facts_codec.FACTS_ORIGIN_MOMENTS):
        if statement != "DROP TRIGGER dossiers_facts_origin;":
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {schema.MIGRATIONS.index(schema.DOSSIER_ROWS)}")


def stored_keys(conn) -> None:
    """The search keys as schemas 2 to 19 stored them: the column `search_key` holding each
    dossier's key (what the view computes now), the index over it (`content='dossiers'`,
    schema 15's) and its three triggers; no view, no triggers on units."""
    text_dossiers(conn)
    searchtext.register(conn)  # a plain connection too: the view computes the keys
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                "name LIKE 'dossiers_fts_%'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("ALTER TABLE dossiers ADD COLUMN search_key TEXT")
    conn.execute("UPDATE dossiers SET search_key = (SELECT k.search_key FROM dossier_keys k "
                 "WHERE k.id = dossiers.id)")
    conn.execute(f"DROP TABLE {fulltext.TABLE}")
    conn.execute(f"DROP VIEW {fulltext.VIEW}")
    for statement in steps.statements(fulltext.DEFINITION + ";\n" + fulltext.TRIGGERS):
        conn.execute(statement)
    fulltext.rebuild(conn)


def keys_stored(conn) -> None:
    """In a file of schema 2 to 19 the current writers filled (they no longer store keys): each
    dossier's key stored as those schemas kept it, its index rebuilt from them and marked
    current, as a file that schema opened once had it."""
    searchtext.register(conn)
    conn.execute(f"UPDATE dossiers SET search_key = {searchtext.key_sql('dossiers')}")
    if fulltext.exists(conn):
        fulltext.rebuild(conn)
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                 "SET value = excluded.value", [searchtext.KEY_SETTING, str(searchtext.KEY_FORMAT)])


def searchable(conn) -> None:
    """A plain connection to a file of any schema searches as the program does (core.searchkey):
    the key's functions, and before schema 21 the stored keys as `dossier_keys`."""
    searchtext.register(conn)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [fulltext.VIEW]).fetchone() is None:
        conn.execute(f"CREATE TEMP VIEW IF NOT EXISTS {fulltext.VIEW} AS SELECT id, search_key "
                     "FROM dossiers")


def rows_in_seconds(conn) -> None:
    """A file before schema 22 (23) read by this version's readers without upgrading it:
    temporary views `dossier_rows`, `payment_rows`, `vote_rows` giving the text tables' moments
    as the seconds the rows keep."""
    for table, rows, stored in (("dossiers", "dossier_rows", moments.COLUMNS),
                                *((e.view, e.table, e.moments) for e in entry_rows.ALL)):
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [rows]).fetchone():
            continue
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        shown = ", ".join(f"unixepoch({c}) AS {c}" if c in stored else c for c in columns)
        conn.execute(f"CREATE TEMP VIEW {rows} AS SELECT {shown} FROM {table}")
