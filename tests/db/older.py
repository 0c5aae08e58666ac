"""A current file taken back to an older schema, for the tests of the migrations that build an
older file by hand from a new one."""
from __future__ import annotations

import sqlite3

from db import chain, events_codec, schema

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
    value the view gives (db.events_codec), with its index and append-only triggers."""
    conn.execute("CREATE TEMP TABLE plain_events AS SELECT * FROM events")
    conn.execute("DROP VIEW events")
    conn.execute(f"DROP TABLE {events_codec.TABLE}")  # its triggers and index go with it
    conn.execute("DROP TABLE event_words")
    conn.execute(TEXT_EVENTS)
    conn.execute("INSERT INTO events SELECT * FROM temp.plain_events ORDER BY id")
    conn.execute("DROP TABLE temp.plain_events")
    conn.execute("CREATE INDEX events_dossier ON events(dossier_id, at)")
    for statement in schema._statements(chain.TRIGGERS_V8):
        conn.execute(statement)


def four_kb_pages(path) -> None:
    """The file as the schemas before PAGES made it: pages of 4 KB (SQLite's default), at the
    version before PAGES (which changes no table)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # the page size changes only outside WAL
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("VACUUM")
        conn.execute(f"PRAGMA user_version = {schema.MIGRATIONS.index(schema.PAGES)}")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
