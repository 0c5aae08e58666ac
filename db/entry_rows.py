"""How payments and votes are stored since schema 23 (issue 18, the database's size).

As the dossiers since schema 22 (db.dossier_rows): the rows live in `payment_rows` and
`vote_rows`, every column of the old tables in the same order, their moments (paid_at or
voted_at, cancelled_at) as INTEGER seconds (db.moments) with a CHECK refusing anything else;
`payments` and `votes` are views giving back the old columns and texts, with INSTEAD OF
triggers checking each moment written through them. The ledger (db.ledger) hashes what the views
give, as before. A reader that bounds or sorts by a moment reads the rows with bounds
`unixepoch(?)`; a writer through the view finds its new id with `new_id` (`lastrowid` after an
INSTEAD OF INSERT is not the new row's). Nothing refers to these tables: the upgrade makes the
rows beside the old table, copies them (ids kept), drops it and makes the view.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from db import steps
from db.errors import DatabaseDamagedError
from db.moments import checked_sql, column_sql, stored_sql, text_sql

_REFUSED = "a moment is ''YYYY-MM-DD HH:MM:SS'' or NULL"
CANCELLATION = ("cancelled_at", "cancel_reason", "cancelled_by")


@dataclass(frozen=True)
class Entries:
    view: str
    table: str
    noun: str  # in the cancellation trigger's message
    columns: tuple[tuple[str, str], ...]  # (name, definition), the old table's order
    moments: tuple[str, ...]
    indexes: str
    defaults: tuple[tuple[str, str], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.columns)

    def written(self, name: str) -> str:
        value = checked_sql(f"NEW.{name}", _REFUSED) if name in self.moments else f"NEW.{name}"
        default = dict(self.defaults).get(name)
        return f"COALESCE({value}, {default})" if default else value

    def _changed(self, name: str) -> str:
        return f"CASE WHEN NEW.{name} IS OLD.{name} THEN {name} ELSE {self.written(name)} END"

    def _set(self, names) -> str:
        return (f"UPDATE {self.table} SET ({', '.join(names)}) = "
                f"({', '.join(self._changed(n) for n in names)}) WHERE id = OLD.id")

    def view_sql(self) -> str:
        """The view and its triggers; an UPDATE sets only the part it names (the cancellation's
        columns are their own part: the rows' "stays cancelled" trigger runs only when a write
        names them, as before; a write of one part changes one row, as the sqlite3 tool says)."""
        shown = ", ".join(f"{text_sql('r.' + n)} AS {n}" if n in self.moments else f"r.{n} AS {n}"
                          for n in self.names)
        rest = tuple(n for n in self.names if n != "id" and n not in CANCELLATION)
        v, t = self.view, self.table
        return f"""CREATE VIEW {v} AS SELECT {shown} FROM {t} r;
CREATE TRIGGER {v}_write INSTEAD OF INSERT ON {v}
BEGIN INSERT INTO {t}({', '.join(self.names)}) VALUES ({', '.join(self.written(n) for n in self.names)}); END;
CREATE TRIGGER {v}_change INSTEAD OF UPDATE OF {', '.join(rest)} ON {v}
BEGIN {self._set(rest)}; END;
CREATE TRIGGER {v}_change_cancellation INSTEAD OF UPDATE OF {', '.join(CANCELLATION)} ON {v}
BEGIN {self._set(CANCELLATION)}; END;
CREATE TRIGGER {v}_remove INSTEAD OF DELETE ON {v}
BEGIN DELETE FROM {t} WHERE id = OLD.id; END;
CREATE TRIGGER {v}_cancellation_final BEFORE UPDATE OF {', '.join(CANCELLATION)}
ON {t} WHEN OLD.cancelled_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a cancelled {self.noun} stays cancelled'); END;
"""

    def schema(self) -> str:
        """The migration's script: the old table's trigger and indexes go, the rows' table is
        made beside it (`convert` copies them and makes the view)."""
        definitions = ",\n    ".join(d for _, d in self.columns)
        drops = "".join(f"DROP INDEX {line.split()[2]};\n" for line in self.indexes.strip().splitlines())
        return (f"DROP TRIGGER {self.view}_cancellation_final;\n{drops}"
                f"CREATE TABLE {self.table} (\n    {definitions}\n);\n")

    def odd(self, conn) -> list[str]:
        """The rows with a moment its seconds would not give back exactly (written outside
        MotCua), named."""
        odd = " OR ".join(f"({m} IS NOT NULL AND (typeof({m}) <> 'text' OR "
                          f"datetime(unixepoch({m}), 'unixepoch') IS NOT {m}))" for m in self.moments)
        return [f"thời điểm của dòng {i} bảng {self.view} không đúng dạng 'YYYY-MM-DD HH:MM:SS'"
                for i, in conn.execute(f"SELECT id FROM {self.view} WHERE {odd} LIMIT 3")]

    def copy(self) -> list[str]:
        """The statements copying the rows (ids kept), dropping the old table, making the
        indexes."""
        copied = ", ".join(stored_sql(n) if n in self.moments else n for n in self.names)
        return [f"INSERT INTO {self.table}({', '.join(self.names)}) SELECT {copied} "
                f"FROM {self.view} ORDER BY id", f"DROP TABLE {self.view}",
                *self.indexes.strip().splitlines()]


PAYMENTS = Entries(
    "payments", "payment_rows", "payment",
    (("id", "id INTEGER PRIMARY KEY"),
     ("dossier_id", "dossier_id INTEGER NOT NULL REFERENCES dossier_rows(id) ON DELETE CASCADE"),
     ("amount", "amount INTEGER NOT NULL CHECK (amount > 0)"),
     ("method", "method TEXT NOT NULL CHECK (method IN ('online', 'transfer', 'cash', 'postal'))"),
     ("paid_at", column_sql("paid_at", True)),
     ("reference", "reference TEXT"), ("actor", "actor TEXT"),
     ("cancelled_at", column_sql("cancelled_at", False)),
     ("cancel_reason", "cancel_reason TEXT"), ("cancelled_by", "cancelled_by TEXT")),
    ("paid_at", "cancelled_at"),
    "CREATE INDEX payments_dossier ON payment_rows(dossier_id);\n"
    "CREATE INDEX payments_paid ON payment_rows(paid_at);\n")
VOTES = Entries(
    "votes", "vote_rows", "vote",
    (("id", "id INTEGER PRIMARY KEY"),
     ("unit_code", "unit_code TEXT NOT NULL REFERENCES units(code) ON UPDATE CASCADE"),
     ("voted_at", column_sql("voted_at", True)),
     ("rating", "rating TEXT NOT NULL CHECK (rating IN ('very_satisfied', 'satisfied', "
                "'neutral', 'dissatisfied'))"),
     ("dossier_id", "dossier_id INTEGER REFERENCES dossier_rows(id) ON DELETE SET NULL"),
     ("comment", "comment TEXT"), ("reasons", "reasons TEXT"),
     ("source", "source TEXT NOT NULL DEFAULT 'paper'"),
     ("cancelled_at", column_sql("cancelled_at", False)),
     ("cancel_reason", "cancel_reason TEXT"), ("cancelled_by", "cancelled_by TEXT"),
     ("actor", "actor TEXT")),
    ("voted_at", "cancelled_at"),
    "CREATE INDEX votes_dossier ON vote_rows(dossier_id);\n"
    "CREATE INDEX votes_voted ON vote_rows(voted_at);\n",
    (("source", "'paper'"),))
ALL = (PAYMENTS, VOTES)
SCHEMA = "".join(e.schema() for e in ALL)
# Schema 25 (db.vote_origin): the votes' rows gain `origin`, last; the view and its triggers are
# made again with it (`votes_origin`: the stored votes of one origin, found by it)
VOTES_WITH_ORIGIN = replace(VOTES, columns=(*VOTES.columns, ("origin", "origin TEXT")))
VOTE_ORIGIN = ("DROP VIEW votes;\nDROP TRIGGER votes_cancellation_final;\n"
               "ALTER TABLE vote_rows ADD COLUMN origin TEXT;\n"
               "CREATE INDEX votes_origin ON vote_rows(origin) WHERE origin IS NOT NULL;\n"
               + VOTES_WITH_ORIGIN.view_sql())


def convert(conn, progress=None) -> None:
    """Schema 23's long step: each table's rows copied with their moments as seconds (refused,
    the upgrade rolled back, if one would not come back exactly), its view made."""
    odd = [problem for entries in ALL for problem in entries.odd(conn)]
    if odd:
        raise DatabaseDamagedError(conn.execute("PRAGMA database_list").fetchone()[2], odd)
    steps.run_busy(conn, [s for entries in ALL for s in entries.copy()], progress)  # busy
    for entries in ALL:
        for statement in steps.statements(entries.view_sql()):
            conn.execute(statement)


def new_id(conn, view: str) -> int:
    """The id of the row just inserted through `view` in this transaction (its writer holds the
    write lock: the largest id is the one SQLite gave it)."""
    return conn.execute(f"SELECT MAX(id) FROM {view}").fetchone()[0]

