"""What a rows part holds: its name, the tables copied whole and for the package's dossiers,
and the manifest's counts taken from it by SQL (core.exchange.part)."""
from __future__ import annotations

import sqlite3

NAME = "rows.motcua"
# copied whole (small, and what the records of the dossiers and the catalogue parts read)
CATALOGUE = ("units", "procedures", "procedure_rules", "procedure_components", "calendar",
             "event_words")
# copied for the package's dossiers (by dossier_id), in an order the foreign keys accept
CHILDREN = ("supplements", "extensions", "payment_rows", "dossier_components", "complaints",
            "event_rows")
ALIAS = "motcua_part"
FTS_TRIGGERS = "dossiers_fts_%"
# A manifest's counts, as the format-2 writer tallies them, by SQL on the part
COUNTS = (("units", "SELECT COUNT(*) FROM units"),
          ("procedures", "SELECT COUNT(*) FROM procedures"),
          ("calendar", "SELECT COUNT(*) FROM calendar"),
          ("dossiers", "SELECT COUNT(*) FROM dossier_rows"),
          ("events", "SELECT COUNT(*) FROM event_rows"),
          ("waits", "SELECT COUNT(*) FROM supplements"),
          ("payments", "SELECT COUNT(*) FROM payment_rows"),
          ("components", "SELECT COUNT(*) FROM dossier_components"),
          ("complaints", "SELECT COUNT(*) FROM complaints"),
          ("extensions", "SELECT COUNT(*) FROM extensions"),
          ("votes", "SELECT COUNT(*) FROM vote_rows"))


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {key: conn.execute(sql).fetchone()[0] for key, sql in COUNTS}
