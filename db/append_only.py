"""The triggers that keep a table append-only: a row, once written, is never changed or deleted
(the logs of schema 9 and 24, the event words of schema 16, the chain's marks of schema 20).
A correction is a new row. The text is part of the stored schema (db.structure compares it):
a released script's triggers keep their words."""
from __future__ import annotations


def triggers(table: str, row: str = "a row") -> str:
    """The two triggers of `table`, whose rows the refusal calls `row` ('a word', 'a mark')."""
    return f"""
CREATE TRIGGER {table}_never_changed BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only: {row} is never changed'); END;
CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only: {row} is never deleted'); END;
"""
