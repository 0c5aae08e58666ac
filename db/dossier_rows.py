"""How the dossiers are stored since schema 22 (issue 18, the database's size).

The rows live in `dossier_rows`, every column of the old table `dossiers` in the same order, the
moments (db.moments.COLUMNS) as INTEGER seconds: 4 bytes instead of 19 in the table and in each of
the seven indexes holding one (1,138 → under 1,000 bytes a dossier, docs/speed.md "Size"). A CHECK
refuses any other value, so a writer that binds a text fails loudly instead of storing it.

`dossiers` is the view giving back the old columns and values, moments as their texts, so every
reader (and the sqlite3 tool) reads what it read; INSTEAD OF triggers send a plain SQL write of
the view to the rows, each moment checked (exactly 'YYYY-MM-DD HH:MM:SS', else the statement
fails). A range or a sort on a moment of the view cannot use an index (the text is computed):
the hot readers read `dossier_rows` with bounds in seconds, and the writers that need the new
id or write many rows write `dossier_rows` themselves (`cursor.lastrowid` after an INSTEAD OF
INSERT is not the new row's).

The children (event_rows, payments, votes …) keep their foreign keys on the rows: the upgrade
renames the table (SQLite rewrites their REFERENCES), then rebuilds it with the new types by
SQLite's twelve steps, ids kept (the search index is keyed by them), in the upgrade's one
transaction with the foreign keys off (db.schema `apply_migration`), checked before the commit.
"""
from __future__ import annotations

from db import facts_codec, fulltext, steps
from db.errors import DatabaseDamagedError
from db.moments import COLUMNS as MOMENTS
from db.moments import checked_sql, column_sql, stored_sql, text_sql

TABLE = "dossier_rows"
VIEW = "dossiers"
_STATUSES = "('received', 'processing', 'supplement', 'done', 'returned', 'rejected', " \
    "'withdrawn', 'stopped')"


_NOW = "DEFAULT (unixepoch('now', 'localtime'))"
# (name, definition) in the old table's order: the view and the copy follow it
_COLUMNS = (
    ("id", "id INTEGER PRIMARY KEY"),
    ("code", "code TEXT NOT NULL UNIQUE"),
    ("unit_code", "unit_code TEXT NOT NULL REFERENCES units(code) ON UPDATE CASCADE"),
    ("procedure_code", "procedure_code TEXT NOT NULL REFERENCES procedures(code) ON UPDATE CASCADE"),
    ("applicant_name", "applicant_name TEXT NOT NULL"),
    ("applicant_phone", "applicant_phone TEXT"),
    ("applicant_address", "applicant_address TEXT"),
    ("applicant_id_no", "applicant_id_no TEXT"),
    ("channel", "channel TEXT NOT NULL CHECK (channel IN ('direct', 'postal', 'online'))"),
    ("received_at", column_sql("received_at", True)),
    ("status", f"status TEXT NOT NULL CHECK (status IN {_STATUSES})"),
    ("due_at", column_sql("due_at", False)),
    ("finished_at", column_sql("finished_at", False)),
    ("returned_at", column_sql("returned_at", False)),
    ("extended_due_at", column_sql("extended_due_at", False)),
    ("fee", "fee INTEGER CHECK (fee IS NULL OR fee >= 0)"),
    ("e_result", "e_result INTEGER NOT NULL DEFAULT 0 CHECK (e_result IN (0, 1))"),
    ("copies", "copies INTEGER NOT NULL DEFAULT 1"),
    ("received_by", "received_by TEXT"),
    ("note", "note TEXT"),
    ("created_at", f"{column_sql('created_at', True)} {_NOW}"),
    ("updated_at", f"{column_sql('updated_at', True)} {_NOW}"),
    ("calc_due_at", column_sql("calc_due_at", False)),
    ("facts", "facts TEXT"),
    ("kpi_irregular", "kpi_irregular INTEGER NOT NULL DEFAULT 0"),
    ("competent_unit_code", "competent_unit_code TEXT REFERENCES units(code) ON UPDATE CASCADE"),
    ("applicant_email", "applicant_email TEXT"),
    ("representative", "representative TEXT"),
    ("result_delivery", "result_delivery TEXT CHECK (result_delivery IS NULL OR result_delivery "
                        "IN ('desk', 'post', 'online'))"),
    ("anonymised_at", column_sql("anonymised_at", False)),
    ("digitised", "digitised INTEGER CHECK (digitised IS NULL OR digitised IN (0, 1))"),
    ("result_digitised", "result_digitised INTEGER NOT NULL DEFAULT 0 "
                         "CHECK (result_digitised IN (0, 1))"),
)
NAMES = tuple(name for name, _ in _COLUMNS)
# what a write through the view leaving a column out gets (a view has no defaults)
_DEFAULTS = {"e_result": "0", "copies": "1", "kpi_irregular": "0", "result_digitised": "0",
             "created_at": "unixepoch('now', 'localtime')",
             "updated_at": "unixepoch('now', 'localtime')"}
INDEXES = f"""
CREATE INDEX dossiers_received ON {TABLE}(received_at);
CREATE INDEX dossiers_unit_received ON {TABLE}(unit_code, received_at);
CREATE INDEX dossiers_finished ON {TABLE}(finished_at);
CREATE INDEX dossiers_calc_due ON {TABLE}(status, calc_due_at);
CREATE INDEX dossiers_irregular ON {TABLE}(unit_code) WHERE kpi_irregular = 1;
CREATE INDEX dossiers_procedure_received ON {TABLE}(procedure_code, received_at);
CREATE INDEX dossiers_applicant ON {TABLE}(applicant_name);
CREATE INDEX dossiers_channel_received ON {TABLE}(channel, received_at);
CREATE INDEX dossiers_competent_received ON {TABLE}(competent_unit_code, received_at)
    WHERE competent_unit_code IS NOT NULL;
"""
_REFUSED = "a dossier''s moment is ''YYYY-MM-DD HH:MM:SS'' or NULL"


def _shown(name: str) -> str:
    return f"{text_sql('r.' + name)} AS {name}" if name in MOMENTS else f"r.{name} AS {name}"


def _written(name: str) -> str:
    value = checked_sql(f"NEW.{name}", _REFUSED) if name in MOMENTS else f"NEW.{name}"
    return f"COALESCE({value}, {_DEFAULTS[name]})" if name in _DEFAULTS else value


def _table(name: str) -> str:
    return f"CREATE TABLE {name} (\n    " + ",\n    ".join(d for _, d in _COLUMNS) + "\n)"


def _changed(name: str) -> str:
    """A column of an UPDATE of the view: what the row holds unless the write changes it (the
    facts' origin trigger may have written the facts under another part of the same write)."""
    return f"CASE WHEN NEW.{name} IS OLD.{name} THEN {name} ELSE {_written(name)} END"


def _set(names: tuple[str, ...]) -> str:
    """The rows' columns `names` set from a write of the view. The row is found at either id:
    a change of the id (its own trigger) may have run first; if NEW.id were another row's,
    that change fails (UNIQUE) and the whole statement is undone."""
    return (f"UPDATE {TABLE} SET ({', '.join(names)}) = ({', '.join(_changed(n) for n in names)}) "
            "WHERE id IN (OLD.id, NEW.id)")


def _view() -> str:
    """The view and its triggers. An UPDATE sets only what it names, in three parts, so that a
    change of, say, the note does not set what a search key is made of: the index's trigger
    (which calls db.searchtext's function, absent in the sqlite3 tool) is then not run."""
    names, values = ", ".join(NAMES), ", ".join(_written(n) for n in NAMES)
    keys = fulltext.KEY_COLUMNS
    rest = tuple(n for n in NAMES if n != "id" and n not in keys)
    return f"""CREATE VIEW {VIEW} AS SELECT {', '.join(_shown(n) for n in NAMES)}
FROM {TABLE} r;
CREATE TRIGGER dossiers_write INSTEAD OF INSERT ON {VIEW}
BEGIN INSERT INTO {TABLE}({names}) VALUES ({values}); END;
CREATE TRIGGER dossiers_change INSTEAD OF UPDATE OF {', '.join(rest)} ON {VIEW}
BEGIN {_set(rest)}; END;
CREATE TRIGGER dossiers_change_key INSTEAD OF UPDATE OF {', '.join(keys)} ON {VIEW}
BEGIN {_set(keys)}; END;
CREATE TRIGGER dossiers_change_id INSTEAD OF UPDATE OF id ON {VIEW}
BEGIN UPDATE {TABLE} SET id = NEW.id WHERE id = OLD.id; END;
CREATE TRIGGER dossiers_remove INSTEAD OF DELETE ON {VIEW}
BEGIN DELETE FROM {TABLE} WHERE id = OLD.id; END;
"""


VIEW_SQL = _view()
# the triggers of the rows: the search index's, the facts' origin
TRIGGERS = fulltext.triggers() + fulltext.UNIT_CODE_FINAL + "\n" + facts_codec.FACTS_ORIGIN_ROWS

# Schema 22's script: what referred to the table by name goes (made again by `convert` from
# the definitions here), the table is renamed (the children's foreign keys follow it) and the
# new table made beside it.
SCHEMA = """
DROP TRIGGER dossiers_facts_origin;
DROP TRIGGER dossiers_fts_inserted;
DROP TRIGGER dossiers_fts_deleted;
DROP TRIGGER dossiers_fts_changed;
DROP TRIGGER dossiers_fts_unit_code_final;
""" + "".join(f"DROP TRIGGER dossiers_fts_unit_{event}_{when};\n"
              for event in ("update", "insert", "delete") for when in ("before", "after")) + f"""
DROP VIEW {fulltext.VIEW};
ALTER TABLE dossiers RENAME TO {TABLE};
{_table(TABLE + '_new')};
"""
CHUNK = 50_000  # dossiers copied between two reports of progress


def _copied(name: str) -> str:
    return stored_sql(name) if name in MOMENTS else name


def _odd_sql() -> str:
    """A condition: a moment of the row its seconds would not give back exactly (a text written
    outside MotCua: '2025-03-03 09:00', a 30 February; never one MotCua wrote)."""
    return " OR ".join(f"({m} IS NOT NULL AND (typeof({m}) <> 'text' OR "
                       f"datetime(unixepoch({m}), 'unixepoch') IS NOT {m}))" for m in MOMENTS)


def _copy(conn):
    """The copy of a range of ids, refused (DatabaseDamagedError: the upgrade rolls back, the
    file stays as it was) when one of its moments is odd: nothing is guessed."""
    names, odd = ", ".join(NAMES), _odd_sql()
    copy = (f"INSERT INTO {TABLE}_new({names}) SELECT {', '.join(_copied(n) for n in NAMES)} "
            f"FROM {TABLE} WHERE id > ? AND id <= ?")

    def run(low: int, high: int) -> None:
        found = conn.execute(f"SELECT code FROM {TABLE} WHERE id > ? AND id <= ? AND ({odd}) "
                             "LIMIT 3", [low, high]).fetchall()
        if found:
            path = conn.execute("PRAGMA database_list").fetchone()[2]
            raise DatabaseDamagedError(path, [f"thời điểm của hồ sơ {code} không đúng dạng "
                                              "'YYYY-MM-DD HH:MM:SS'" for code, in found])
        conn.execute(copy, [low, high])
    return run


def convert(conn, progress=None) -> None:
    """Schema 22's long step: the rows copied with their moments as seconds (refused if one
    would not come back exactly), the old table dropped, the new one named, its indexes, the
    view and the triggers made, the foreign keys checked."""
    steps.by_id_ranges(conn, TABLE, CHUNK, _copy(conn), progress)
    steps.run_busy(conn, [f"DROP TABLE {TABLE}", f"ALTER TABLE {TABLE}_new RENAME TO {TABLE}",
                          *steps.statements(INDEXES)], progress)  # busy: a table freed, a sort each
    for statement in steps.statements(VIEW_SQL + fulltext.view_sql() + ";\n" + TRIGGERS):
        conn.execute(statement)
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by the upgrade: {broken[:3]}")


def stored_as_seconds(conn) -> bool:
    """Does this file keep its dossiers in `dossier_rows` (schema 22 on)? A writer of many rows
    also serves the older files the migration tests build (the demo into schema 19 …)."""
    return conn.execute(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"
                        ).fetchone() is not None


def current(conn) -> str:
    """The table holding the rows: `dossier_rows`, or `dossiers` in a file before schema 22."""
    return TABLE if stored_as_seconds(conn) else VIEW
