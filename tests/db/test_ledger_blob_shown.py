"""A BLOB put by SQL where a text stood is named as an edit even when the text read like the
BLOB's rendering: the ledger shows a BLOB (db.ledger.shown_blob, break35) as a text no writer
can store. Shown as the text x'…', a comment a citizen typed as «x'4142'» turned by SQL into
the BLOB x'4142' (the bytes «AB») hashed alike, and check said the file was good."""
from __future__ import annotations

from core import votes
from core.database import open_database
from tests.core.factories import add_units
from tests.db.test_ledger_origin import EDITED, _back, _wrong


def test_a_text_turned_into_the_blob_it_reads_as_is_named(db_path):
    db = open_database(db_path)
    try:
        add_units(db)
        for comment in ("Tốt", "x'4142'", "Tốt"):
            votes.add_vote(db, unit_code="U1", rating="satisfied", comment=comment,
                           actor="admin")
    finally:
        db.close()
    assert _wrong(db_path) == []
    _back(db_path, lambda conn: None, "UPDATE vote_rows SET comment = x'4142' WHERE id = 2")
    assert _wrong(db_path) == [EDITED]
