"""The rows part of a format-3 package (`rows.motcua`): a MotCua database file.

What it is (the interface the centre's SQL fast path reads too): a database made by the
program's own creation code (db.schema's migrations, at SCHEMA_VERSION, application_id set,
rollback journal, nothing run after them but the copy), holding in the program's own internal
tables, with the sender's own ids:

    the catalogue       units, procedures, procedure_rules, procedure_components, calendar
    the words           event_words (what the compact events name by number)
    the dossiers        dossier_rows of the package, and their supplements, extensions,
                        payment_rows, dossier_components, complaints, event_rows
    the votes           vote_rows of the package
    the aliases         code_aliases rows whose local_code is a dossier of the package: the
                        codes other installations gave those dossiers before they were
                        re-coded (core.exchange.recode.carried); a part an older program
                        wrote has the table empty, and is read as before

Nothing else: no accounts, access_log, kpi_daily, chain_marks, code counters, and no settings
beyond the two rows creation writes. The search index is left empty (the receiver computes its
own keys). So every package record is read from it by core.exchange.records, the very functions
that read a database for a format-2 package: the same records, by the same code.

The writer fills it with `INSERT … SELECT` from the sender's connection (no Python per row).
The reader treats it as hostile (it came by USB stick, https://www.sqlite.org/security.html,
"Defense Against the Dark Arts"): read only, `trusted_schema`/`cell_size_check`/`mmap_size`
set, the lengths SQLite accepts limited, its sqlite_master equal row for row to what creation
makes (no extra trigger, view, table or index, the same SQL text), its versions ours (a part
of an older schema, proven exactly what the program at that schema made and whole, is first
brought forward in its file by the program's migrations: `_upgraded`), `quick_check` clean,
every reference inside it whole (`foreign_key_check`) and no BLOB where MotCua writes text or
numbers, all before a row is read; the records are then checked as any
package's (core.exchange.checks), or, for the dossiers new to a centre, by the SQL fast path's
screen built from the same rules (core.exchange.fastcopy).

MODULES (one responsibility each)
    layout     its name, the tables it holds, the manifest's counts by SQL on it
    making     a new part by creation's code, filled by INSERT … SELECT (`create`, `build`)
    checking   what a hostile part is checked against, and PartRefused
    older      a part of an older schema proven and brought forward by the migrations
    opening    a part opened read only and defended (`open_checked`, `reopen`)
    reading    its records, by core.exchange.records
"""
from __future__ import annotations

from core.exchange.part.checking import BLOB_COLUMNS, PartRefused, expected_master, short
from core.exchange.part.layout import CATALOGUE, CHILDREN, FTS_TRIGGERS, NAME, counts
from core.exchange.part.making import build, create
from core.exchange.part.older import OLDEST_SCHEMA
from core.exchange.part.opening import open_checked, reopen
from core.exchange.part.reading import catalogue_records, dossier_lines, vote_records

__all__ = ["BLOB_COLUMNS", "CATALOGUE", "CHILDREN", "FTS_TRIGGERS", "NAME", "OLDEST_SCHEMA",
           "PartRefused", "build", "catalogue_records", "counts", "create", "dossier_lines",
           "expected_master", "open_checked", "reopen", "short", "vote_records"]
