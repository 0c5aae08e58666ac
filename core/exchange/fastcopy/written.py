"""What the copy writes besides a dossier's own row: the child tables in the order
Store.insert_new inserts them, with their columns; a vote's columns; the ledger's tables. Read
by the copy (copy_part, votes) and by the ledger's job, which must follow the very same order."""
from __future__ import annotations

from core.exchange import records
from db import entry_rows

# The child tables the copy writes with each dossier, in the order Store.insert_new inserts them
# (records.CHILDREN), each with the columns it copies and its rows' order within a dossier: the
# centre's ids are given in that order
COPIED_CHILDREN = (("supplements", records.WAIT_COLUMNS, "c.requested_at, c.id"),
                   ("extensions", records.EXTENSION_COLUMNS, "c.id"),
                   ("payment_rows", records.PAYMENT_COLUMNS, "c.id"),
                   ("dossier_components", records.COMPONENT_COLUMNS, "c.position"),
                   ("complaints", records.COMPLAINT_COLUMNS, "c.received_at, c.id"))
VOTE_COLUMNS = ("unit_code", "voted_at", "rating", "comment", "reasons", "source", "cancelled_at",
                "cancel_reason", "cancelled_by", "actor", "origin")  # copied as they are
# The ledger's tables (db.ledger) the copy writes: the table of each one's rows, and the view
# that shows them to the ledger where it is one (its moments shown as text: db.entry_rows)
LEDGER_ROWS = {"supplements": "supplements", "extensions": "extensions",
               "payments": "payment_rows", "votes": "vote_rows"}
LEDGER_VIEWS = {entries.view: entries for entries in entry_rows.ALL}
