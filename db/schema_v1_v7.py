"""The schema's first seven versions (MIGRATIONS[0] to [6] of db.schema): the tables of the
first releases, the kiosk's invitations, the register's indexes, cancellations, dated rules and
the 2026 rulebook's two-tier units. A script is never edited once released (a file made by it
is upgraded from what it made); the values of its CHECKs are db.schema_values'."""
from __future__ import annotations

import sqlite3

from db.schema_values import (
    CALENDAR_KINDS,
    CHANNELS,
    DOCUMENT_FORMS,
    INVITATION_STATES,
    KPI_COLUMNS_V2,
    LIMIT_UNITS,
    ONLINE_LEVELS,
    PAYMENT_METHODS,
    RATINGS,
    RESULT_DELIVERIES,
    STATUSES,
    UNIT_LEVELS,
    UNIT_LEVELS_V1,
)
from db.schema_values import sql_in as _in

V1 = f"""
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT CHECK (level IS NULL OR level IN {_in(UNIT_LEVELS_V1)}),
    parent_code TEXT REFERENCES units(code) ON UPDATE CASCADE
);
CREATE TABLE procedures (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    field TEXT,
    limit_value REAL NOT NULL CHECK (limit_value >= 0),
    limit_unit TEXT NOT NULL CHECK (limit_unit IN {_in(LIMIT_UNITS)}),
    fee INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),
    online_level TEXT NOT NULL DEFAULT 'none' CHECK (online_level IN {_in(ONLINE_LEVELS)}),
    paper_result INTEGER NOT NULL DEFAULT 0 CHECK (paper_result IN (0, 1)),
    same_day_cutoff TEXT
);
CREATE TABLE calendar (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN {_in(CALENDAR_KINDS)}),
    name TEXT
);
CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL REFERENCES units(code) ON UPDATE CASCADE,
    procedure_code TEXT NOT NULL REFERENCES procedures(code) ON UPDATE CASCADE,
    applicant_name TEXT NOT NULL,
    applicant_phone TEXT,
    applicant_address TEXT,
    applicant_id_no TEXT,
    channel TEXT NOT NULL CHECK (channel IN {_in(CHANNELS)}),
    received_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN {_in(STATUSES)}),
    due_at TEXT,
    finished_at TEXT,
    returned_at TEXT,
    extended_due_at TEXT,
    fee INTEGER CHECK (fee IS NULL OR fee >= 0),
    e_result INTEGER NOT NULL DEFAULT 0 CHECK (e_result IN (0, 1)),
    copies INTEGER NOT NULL DEFAULT 1,
    received_by TEXT,
    note TEXT,
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE INDEX dossiers_received ON dossiers(received_at);
CREATE INDEX dossiers_unit_received ON dossiers(unit_code, received_at);
CREATE INDEX dossiers_finished ON dossiers(finished_at);
CREATE INDEX dossiers_status ON dossiers(status);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    reason TEXT,
    details TEXT
);
CREATE INDEX events_dossier ON events(dossier_id, at);
CREATE TABLE supplements (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    requested_at TEXT NOT NULL,
    completed_at TEXT,
    reason TEXT
);
CREATE INDEX supplements_dossier ON supplements(dossier_id, requested_at);
CREATE TABLE extensions (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL UNIQUE REFERENCES dossiers(id) ON DELETE CASCADE,
    extended_at TEXT NOT NULL,
    previous_due_at TEXT,
    new_due_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT
);
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    amount INTEGER NOT NULL CHECK (amount > 0),
    method TEXT NOT NULL CHECK (method IN {_in(PAYMENT_METHODS)}),
    paid_at TEXT NOT NULL,
    reference TEXT,
    actor TEXT
);
CREATE INDEX payments_dossier ON payments(dossier_id);
CREATE INDEX payments_paid ON payments(paid_at);
CREATE TABLE votes (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units(code) ON UPDATE CASCADE,
    voted_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN {_in(RATINGS)}),
    dossier_id INTEGER REFERENCES dossiers(id) ON DELETE SET NULL,
    comment TEXT,
    reasons TEXT,
    source TEXT NOT NULL DEFAULT 'paper'
);
CREATE INDEX votes_voted ON votes(voted_at);
CREATE INDEX votes_dossier ON votes(dossier_id);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE code_counters (
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit_code, day)
) WITHOUT ROWID;
"""

# Version 2: storage for fast indicators (db.schema_values KPI_COLUMNS_V2): each dossier's
# computed due time and facts, and their sums per unit and day in kpi_daily (derived data:
# `kpi_stale` asks core to rebuild them).
V2 = """
ALTER TABLE dossiers ADD COLUMN calc_due_at TEXT;
ALTER TABLE dossiers ADD COLUMN facts TEXT;
ALTER TABLE dossiers ADD COLUMN search_key TEXT;
ALTER TABLE dossiers ADD COLUMN kpi_irregular INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dossiers_calc_due ON dossiers(status, calc_due_at);
CREATE INDEX dossiers_irregular ON dossiers(unit_code) WHERE kpi_irregular = 1;
CREATE TABLE kpi_daily (
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
""" + "".join(f"    {c} INTEGER NOT NULL DEFAULT 0,\n" for c in KPI_COLUMNS_V2) + """
    PRIMARY KEY (day, unit_code)
) WITHOUT ROWID;
INSERT OR REPLACE INTO settings(key, value) VALUES ('kpi_stale', '1');
"""

# Version 3: the clerk's invitations to the satisfaction kiosk (core.kiosk), polled by the kiosk
# through the partial index of pending rows.
V3 = f"""
CREATE TABLE kiosk_invitations (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units(code) ON UPDATE CASCADE,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    invited_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN {_in(INVITATION_STATES)}),
    closed_at TEXT,
    actor TEXT
);
CREATE INDEX kiosk_invitations_pending ON kiosk_invitations(unit_code, id)
    WHERE state = 'pending';
CREATE INDEX kiosk_invitations_dossier ON kiosk_invitations(dossier_id);
"""

# Version 4: indexes for the dossier register, so sorting a million dossiers by any column
# (but the computed due time) walks an index instead of sorting in a temporary B-tree.
V4 = """
CREATE INDEX dossiers_procedure_received ON dossiers(procedure_code, received_at);
CREATE INDEX dossiers_applicant ON dossiers(applicant_name);
CREATE INDEX dossiers_channel_received ON dossiers(channel, received_at);
"""

# Version 5: a payment or a vote entered by mistake is cancelled, never deleted (issue 11). The
# row stays with when, why and by whom; every figure and list of live entries skips it
# (`cancelled_at IS NULL`). A cancellation is final: the triggers refuse to change or undo it.
V5 = "".join(f"""
ALTER TABLE {table} ADD COLUMN cancelled_at TEXT;
ALTER TABLE {table} ADD COLUMN cancel_reason TEXT;
ALTER TABLE {table} ADD COLUMN cancelled_by TEXT;
CREATE TRIGGER {table}_cancellation_final BEFORE UPDATE OF cancelled_at, cancel_reason, cancelled_by
ON {table} WHEN OLD.cancelled_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a cancelled {table[:-1]} stays cancelled'); END;
""" for table in ("payments", "votes"))

# Dated rules (spec 2.1): the earlier rules of each procedure, each with the day it started and
# the day the next one took over; the `procedures` row stays the latest rule. Office hours are
# dated in the settings (core.rules). Facts are rebuilt once: waits now count in whole minutes
# (spec 2.2, a due time at a session end stays there). Written without its own number on purpose.
DATED_RULES = f"""
CREATE TABLE procedure_rules (
    procedure_code TEXT NOT NULL REFERENCES procedures(code) ON UPDATE CASCADE ON DELETE CASCADE,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL CHECK (valid_until > valid_from),
    limit_value REAL NOT NULL CHECK (limit_value >= 0),
    limit_unit TEXT NOT NULL CHECK (limit_unit IN {_in(LIMIT_UNITS)}),
    same_day_cutoff TEXT,
    online_level TEXT NOT NULL CHECK (online_level IN {_in(ONLINE_LEVELS)}),
    paper_result INTEGER NOT NULL DEFAULT 0 CHECK (paper_result IN (0, 1)),
    PRIMARY KEY (procedure_code, valid_from)
) WITHOUT ROWID;
INSERT OR REPLACE INTO settings(key, value) VALUES ('kpi_stale', '1');
"""

# The 2026 rulebook (issue 13): units of a two-tier province (validity, successor), a dossier's
# competent unit beside its receiving unit, the applicant's fields of Circular 03/2025 Mẫu 01, how
# the result is handed over (Mẫu 07), and the documents (thành phần hồ sơ) of a procedure and of a
# dossier. The wider level list only relaxes a CHECK, which SQLite lets us edit in the schema text
# without rebuilding `units` (a rebuild would need foreign keys off, impossible in a transaction).
TWO_TIER = f"""
ALTER TABLE units ADD COLUMN valid_from TEXT;
ALTER TABLE units ADD COLUMN valid_to TEXT;
ALTER TABLE units ADD COLUMN successor_code TEXT REFERENCES units(code) ON UPDATE CASCADE;
ALTER TABLE dossiers ADD COLUMN competent_unit_code TEXT REFERENCES units(code) ON UPDATE CASCADE;
ALTER TABLE dossiers ADD COLUMN applicant_email TEXT;
ALTER TABLE dossiers ADD COLUMN representative TEXT;
ALTER TABLE dossiers ADD COLUMN result_delivery TEXT
    CHECK (result_delivery IS NULL OR result_delivery IN {_in(RESULT_DELIVERIES)});
CREATE INDEX dossiers_competent_received ON dossiers(competent_unit_code, received_at)
    WHERE competent_unit_code IS NOT NULL;
CREATE TABLE procedure_components (
    procedure_code TEXT NOT NULL REFERENCES procedures(code) ON UPDATE CASCADE ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    name TEXT NOT NULL,
    form TEXT NOT NULL DEFAULT 'original' CHECK (form IN {_in(DOCUMENT_FORMS)}),
    count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    required INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    PRIMARY KEY (procedure_code, position)
) WITHOUT ROWID;
CREATE TABLE dossier_components (
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    name TEXT NOT NULL,
    form TEXT NOT NULL DEFAULT 'original' CHECK (form IN {_in(DOCUMENT_FORMS)}),
    count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 0),
    received INTEGER NOT NULL DEFAULT 1 CHECK (received IN (0, 1)),
    digitised INTEGER NOT NULL DEFAULT 0 CHECK (digitised IN (0, 1)),
    note TEXT,
    PRIMARY KEY (dossier_id, position)
) WITHOUT ROWID;
"""


def _widen_unit_levels(conn: sqlite3.Connection) -> None:
    """Relax the CHECK on units.level in place (SQLite's documented writable_schema route for
    loosening a constraint: the stored rows are valid under both texts)."""
    old, new = _in(UNIT_LEVELS_V1), _in(UNIT_LEVELS)
    schema_version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
                 "WHERE type = 'table' AND name = 'units'", (old, new))
    conn.execute(f"PRAGMA schema_version = {schema_version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")

