"""Dossiers' facts as core.facts computed them, read back from their stored form (db.facts_codec:
the compact form of schemas 14 and 19 leaves out what the row says)."""
from __future__ import annotations

from db import facts_codec

ORIGIN = facts_codec.origin_columns()


def stored_facts(db, where: str = "1", params=()) -> list[dict]:
    """The decoded facts of the dossiers matching `where`, by id."""
    rows = db.execute(f"SELECT facts, {ORIGIN} FROM dossiers WHERE {where} ORDER BY id",
                      list(params)).fetchall()
    return [facts_codec.decode(text, *origin) for text, *origin in rows]
