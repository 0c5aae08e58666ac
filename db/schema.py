"""Schema version and migrations.

The version lives in `PRAGMA user_version`; MIGRATIONS[i] takes a database from version i to
version i + 1. Before any migration of an existing database the file is copied aside with
SQLite's backup API, so a failed upgrade never costs data.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils

from db import chain, dossier_rows, entry_rows, events_codec, facts_codec, fulltext, vacuum
from db.connection import (
    APPLICATION_ID,
    DatabaseEnvironmentError,
    enable_wal,
    raise_environment,
    transaction,
)

CHANNELS = ("direct", "postal", "online")
STATUSES = ("received", "processing", "supplement", "done", "returned", "rejected",
            "withdrawn", "stopped")
LIMIT_UNITS = ("working_days", "working_hours", "calendar_days", "same_day")
ONLINE_LEVELS = ("full", "partial", "none")
UNIT_LEVELS_V1 = ("province", "district", "commune", "department", "centre")
# Two-tier local government (from 1/7/2025): the provincial centre's branches and its reception
# points join the levels (spec 7).
UNIT_LEVELS = UNIT_LEVELS_V1 + ("branch", "reception_point")
DOCUMENT_FORMS = ("original", "copy", "certified_copy")
RESULT_DELIVERIES = ("desk", "post", "online")
PAYMENT_METHODS = ("online", "transfer", "cash", "postal")
RATINGS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
CALENDAR_KINDS = ("holiday", "workday")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


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

# Version 2: storage for fast indicators. Each dossier carries its computed due time and the
# facts the indicators need (classification under each policy, overdue spans); kpi_daily sums
# those facts per unit and day. Both are derived data: `kpi_stale` asks core to rebuild them.
KPI_COLUMNS_V2 = (
    "recv_online", "recv_direct_postal", "closed",
    "online_full", "online_eligible", "fee_dossiers", "paid_online",
    "withdrawn", "votes", "satisfied",
) + tuple(f"{kind}_{variant}" for variant in ("po", "pe", "ro", "re")
          for kind in ("early", "on_time", "late", "od_start", "od_end"))
# Added by KPI_766 (spec 5.1, core.scorecard766): closed not late under 766 (finish day), the
# spans of open dossiers late under 766, 766-online and digitised (reception day), electronic
# result and complained (finish day of a resolved dossier).
KPI_COLUMNS_766 = ("i_ok", "i_od_start", "i_od_end", "i_online", "i_digitised", "i_eresult",
                   "i_complained")
KPI_COLUMNS = KPI_COLUMNS_V2 + KPI_COLUMNS_766

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

# Version 3: the clerk's invitations to the satisfaction kiosk (core.kiosk). The kiosk may run as
# its own process, so the hand-off lives in the database; the kiosk polls the pending row of its
# unit every second through the partial index below.
INVITATION_STATES = ("pending", "voted", "replaced", "cancelled")

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


# Schema 8 (issue 15, spec 10): the event history is hash-chained and append-only. The events
# already stored are chained once, in id order, after the last of each dossier records the
# dossier's audited fields as they stand (db.chain.upgrade).
AUDIT_CHAIN = """
ALTER TABLE events ADD COLUMN prev_hash BLOB;
ALTER TABLE events ADD COLUMN hash BLOB;
""" + chain.TRIGGERS_V8


ROLES = ("clerk", "leader", "admin")
COMPLAINT_CHANNELS = ("direct", "phone", "written", "online", "email")


def _append_only(table: str) -> str:
    """Triggers that keep a log table append-only (a row, once written, is never changed)."""
    return f"""
CREATE TRIGGER {table}_never_changed BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only: a row is never changed'); END;
CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only: a row is never deleted'); END;
"""


# Schema 9 (issue 15, spec 10): accounts with roles, and the logs that say who did what.
# `roles` is a comma-separated subset of ROLES (a commune of three people gives one person two
# roles); passwords and PINs are scrypt hashes (core.accounts). `setting_changes` records every
# change of a setting, the catalogue, the calendar, units or accounts; `access_log` every view of
# a dossier's personal data, every printed slip and every export of personal data (Law
# 91/2025/QH15), with the stated purpose when the full data was asked for. Both are append-only
# and keep the dossier's code beside its id so a row stays readable on its own. Votes now record
# who entered them; a dossier whose personal data was anonymised after the retention period says
# when (the figures stay untouched).
ACCOUNTS = """
CREATE TABLE accounts (
    login TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    roles TEXT NOT NULL,
    unit_code TEXT REFERENCES units(code) ON UPDATE CASCADE,
    password_hash TEXT NOT NULL,
    pin_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT,
    password_changed_at TEXT
);
CREATE TABLE setting_changes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    area TEXT NOT NULL,
    key TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX setting_changes_at ON setting_changes(at);
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    dossier_id INTEGER,
    dossier_code TEXT,
    purpose TEXT,
    details TEXT
);
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX access_log_dossier ON access_log(dossier_id) WHERE dossier_id IS NOT NULL;
ALTER TABLE votes ADD COLUMN actor TEXT;
ALTER TABLE dossiers ADD COLUMN anonymised_at TEXT;
""" + _append_only("setting_changes") + _append_only("access_log")

# Schema 10 (issue 17, spec 5.1): what the Decision 766 scorecard needs beyond Biểu 06. A
# dossier's `digitised` says whether its submitted documents were digitised when it has no
# document list (NULL: not recorded; with a list, dossier_components.digitised decides);
# `result_digitised` whether its result was. Complaints (phản ánh, kiến nghị) tied to a dossier,
# cancelled like payments and votes, never deleted.
SCORECARD_766 = f"""
ALTER TABLE dossiers ADD COLUMN digitised INTEGER CHECK (digitised IS NULL OR digitised IN (0, 1));
ALTER TABLE dossiers ADD COLUMN result_digitised INTEGER NOT NULL DEFAULT 0
    CHECK (result_digitised IN (0, 1));
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER REFERENCES dossiers(id) ON DELETE CASCADE,
    unit_code TEXT NOT NULL REFERENCES units(code) ON UPDATE CASCADE,
    received_at TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN {_in(COMPLAINT_CHANNELS)}),
    content TEXT NOT NULL,
    resolution TEXT,
    resolved_at TEXT,
    actor TEXT,
    cancelled_at TEXT,
    cancel_reason TEXT,
    cancelled_by TEXT
);
CREATE INDEX complaints_dossier ON complaints(dossier_id);
CREATE INDEX complaints_unit_received ON complaints(unit_code, received_at);
CREATE TRIGGER complaints_cancellation_final BEFORE UPDATE OF cancelled_at, cancel_reason,
cancelled_by ON complaints WHEN OLD.cancelled_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a cancelled complaint stays cancelled'); END;
"""

# The sums of the 766 indicators (issue 17): derived data, rebuilt from the facts at once.
KPI_766 = "".join(f"ALTER TABLE kpi_daily ADD COLUMN {c} INTEGER NOT NULL DEFAULT 0;\n"
                  for c in KPI_COLUMNS_766) + \
    "INSERT OR REPLACE INTO settings(key, value) VALUES ('kpi_stale', '1');\n"

# Schema (issue 18): the register's search index, db.fulltext.SCHEMA.
# Schema 13 (issue 18, size): no copy of the previous event's hash in each event (db.chain: it
# is the previous row's hash; 161 bytes a dossier).
SIZE = "ALTER TABLE events DROP COLUMN prev_hash;\n"
# Schema 14 (issue 18, size): facts stored compact (db.facts_codec; the step below rewrites them).
# The trigger keeps what the compact form leaves out: when a row's unit or reception day changes
# under facts not yet computed again, the facts get the old ones ("u", "d"), which the marks to
# take back from kpi_daily need (core.facts.refresh). dossiers_status(status) is the prefix of
# dossiers_calc_due(status, calc_due_at), which answers every query it answered (docs/speed.md).
COMPACT = facts_codec.FACTS_ORIGIN + "DROP INDEX dossiers_status;\n"
# Schema 15 (issue 18, size): the search index without positions (db.fulltext: 344 → 106 bytes a
# dossier); a search checks the index's candidates against the keys (core.searchkey).
FTS_NONE = fulltext.WITHOUT_POSITIONS
# Schema 16 (issue 18, size): the event history stored compact (db.events_codec): the rows move to
# `event_rows` (moments as seconds, words as codes of `event_words`) and `events` becomes the
# view giving back every value as it was; the long step converts the rows (same ids, hashes
# untouched: the chain is made over the decoded content), then builds the index.
EVENTS_COMPACT = """
DROP TRIGGER events_sealed_final;
DROP TRIGGER events_never_deleted;
DROP INDEX events_dossier;
ALTER TABLE events RENAME TO old_events;
""" + events_codec.SCHEMA + chain.TRIGGERS
# Schema 18 (issue 18, size): pages of db.connection.PAGE_SIZE bytes. No table changes: the
# version marks the files whose VACUUM after the upgrade (db.vacuum) has been given the chance to
# convert them (a new file is made with them).
PAGES = "-- pages of PAGE_SIZE bytes, made by the VACUUM after the upgrade (db.vacuum)\n"
# Schema 17 (issue 18, size): the events' details stored coded (db.events_codec `Details`: a text's
# shape a word of `event_words`, its values a JSON array, which the view `events` puts back in
# SQL, byte for byte); the long step codes the stored rows (hashes untouched: the chain is
# over the decoded text), then makes the append-only triggers again (`_code_details`).
DETAILS_COMPACT = """
DROP TRIGGER events_sealed_final;
DROP TRIGGER events_never_deleted;
DROP VIEW events;
""" + events_codec.VIEW
# Schema 19 (issue 18, size): the facts leave out "hz" and "fd" when the row's calc_due_at and
# finished_at give them (db.facts_codec: 41 bytes a dossier of the 1M demo); the trigger
# dossiers_facts_origin keeps them too when the row changes before the facts are computed again;
# the long step rewrites the stored texts.
MOMENTS = facts_codec.FACTS_ORIGIN_MOMENTS
# Schema 20 (issue 18, size): each event keeps the first 8 bytes of its hash (db.chain: the chain
# is still made over full hashes, every printed fingerprint still matches; 156 → 43 bytes a
# dossier with the marks); `chain_marks` keeps the full hash of one event in 1,024. The long step
# hashes the chain once, refuses a chain already broken, keeps the marks, cuts the hashes, and
# makes the append-only triggers again (`_shorten_hashes`).
CHAIN_PREFIX = """
DROP TRIGGER events_sealed_final;
DROP TRIGGER events_never_deleted;
""" + chain.MARKS_SCHEMA
# Schema 21 (issue 18, size): no stored search key (122 bytes a dossier of the 1M demo): the
# index's content is the view dossier_keys, the key computed by db.searchtext's SQL function;
# the long step drops the column and fills the index (db.fulltext `drop_stored_keys`).
KEYS_COMPUTED = fulltext.KEYS_COMPUTED
# Schema 22 (issue 18, size): the dossiers' moments stored as INTEGER seconds in `dossier_rows`,
# `dossiers` the view giving back their texts (db.dossier_rows, db.moments: 1,138 → under 1,000
# bytes a dossier); the long step copies the rows (ids kept) and makes the view and triggers.
# It runs with the foreign keys off (the old table is dropped under its children), checked after.
DOSSIER_ROWS = dossier_rows.SCHEMA
# Schema 23 (issue 18, size): the same for payments and votes (db.entry_rows): paid_at, voted_at
# and their cancelled_at as INTEGER seconds in `payment_rows`, `vote_rows`; `payments` and `votes`
# the views giving back their texts (the ledger hashes what they give, as before).
ENTRY_ROWS = entry_rows.SCHEMA
# Schema 24 (issue 16 §3, spec 4 and 9): a package's dossier whose code is another dossier's
# here ("two different dossiers, one code": two PCs in one slot) kept beside it under a code
# issued here (core.exchange.recode): which sender's code became which code here, so the
# sender's later packages of it go on that dossier and its original code is shown and found.
# Append-only: a dossier's code never changes once given.
CODE_ALIASES = """
CREATE TABLE code_aliases (
    sender TEXT NOT NULL,
    sender_code TEXT NOT NULL,
    local_code TEXT NOT NULL UNIQUE,
    package TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT,
    PRIMARY KEY (sender, sender_code)
) WITHOUT ROWID;
CREATE INDEX code_aliases_sender_code ON code_aliases(sender_code);
""" + _append_only("code_aliases")
MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, DATED_RULES, TWO_TIER, AUDIT_CHAIN, ACCOUNTS,
                         SCORECARD_766, KPI_766, fulltext.SCHEMA,
                         SIZE, COMPACT, FTS_NONE, EVENTS_COMPACT, DETAILS_COMPACT, PAGES,
                         MOMENTS, CHAIN_PREFIX, KEYS_COMPUTED, DOSSIER_ROWS, ENTRY_ROWS,
                         CODE_ALIASES]


def _code_details(conn: sqlite3.Connection, progress=None) -> None:
    """DETAILS_COMPACT's long step: the rows coded while the append-only triggers are away
    (the migration's own transaction: nothing else writes), then the triggers as they were."""
    events_codec.code_details(conn, progress)
    for statement in _statements(chain.TRIGGERS):
        conn.execute(statement)


def _shorten_hashes(conn: sqlite3.Connection, progress=None) -> None:
    """CHAIN_PREFIX's long step: the hashes cut while the append-only triggers are away (the
    migration's own transaction: nothing else writes), then the triggers as they were."""
    chain.shorten_all(conn, progress)
    for statement in _statements(chain.TRIGGERS):
        conn.execute(statement)


# Steps a script cannot say, run after the script of the same index.
MIGRATION_STEPS = {6: _widen_unit_levels, MIGRATIONS.index(AUDIT_CHAIN): chain.upgrade}
# Long steps, told the upgrade's progress(done, total) (False: cancelled, nothing changed).
LONG_STEPS = {MIGRATIONS.index(COMPACT): facts_codec.compact_all,
              MIGRATIONS.index(FTS_NONE): fulltext.fill,
              MIGRATIONS.index(EVENTS_COMPACT): events_codec.convert_all,
              MIGRATIONS.index(DETAILS_COMPACT): _code_details,
              MIGRATIONS.index(MOMENTS): facts_codec.derive_moments_all,
              MIGRATIONS.index(CHAIN_PREFIX): _shorten_hashes,
              MIGRATIONS.index(KEYS_COMPUTED): fulltext.drop_stored_keys,
              MIGRATIONS.index(DOSSIER_ROWS): dossier_rows.convert,
              MIGRATIONS.index(ENTRY_ROWS): entry_rows.convert}
# Migrations that drop a table the children's foreign keys name (SQLite's twelve steps)
WITHOUT_FOREIGN_KEYS = {MIGRATIONS.index(DOSSIER_ROWS)}
SCHEMA_VERSION = len(MIGRATIONS)


def run_migration(conn: sqlite3.Connection, index: int, progress=None) -> None:
    """Run MIGRATIONS[index] (and its extra step) on an open connection, inside its transaction."""
    if index in WITHOUT_FOREIGN_KEYS:
        _refuse_foreign_keys(conn)
    for statement in _statements(MIGRATIONS[index]):
        conn.execute(statement)
    step = MIGRATION_STEPS.get(index)
    if step is not None:
        step(conn)
    if index in LONG_STEPS:
        LONG_STEPS[index](conn, progress)


def _refuse_foreign_keys(conn: sqlite3.Connection) -> None:
    """The twelve steps drop a table under its children: with the foreign keys on, SQLite would
    delete their rows (ON DELETE CASCADE). The pragma cannot change inside a transaction:
    apply_migration turns them off before it begins."""
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
    conn.execute("PRAGMA legacy_alter_table = OFF")  # a rename rewrites the references
    if conn.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError("this upgrade runs with the foreign keys off (db.schema.apply_migration)")


def version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _application_id(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA application_id").fetchone()[0]


def check_is_motcua(db: sqlite_utils.Database) -> None:
    """Refuse a file that holds someone else's tables or comes from a newer MotCua."""
    try:
        current = version(db)
        app_id = _application_id(db)
        has_tables = bool(db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone())
    except sqlite3.DatabaseError as exc:
        raise_environment(exc, getattr(db, "path", None))
        raise
    if has_tables and app_id != APPLICATION_ID:
        raise DatabaseEnvironmentError(
            f"Tệp {getattr(db, 'path', '')} là cơ sở dữ liệu SQLite nhưng không phải của MotCua.")
    if current > SCHEMA_VERSION:
        raise DatabaseEnvironmentError(
            f"Cơ sở dữ liệu được tạo bởi phiên bản MotCua mới hơn (lược đồ {current}, "
            f"phiên bản này hiểu tới {SCHEMA_VERSION}). Hãy cập nhật MotCua.")


def backup_before_migration(db: sqlite_utils.Database, from_version: int) -> Path | None:
    """Copy the database aside (consistent even under WAL) before migrating it."""
    path = getattr(db, "path", None)
    if not path or path == ":memory:" or from_version == 0:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(f"{path}.v{from_version}-{stamp}.bak")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def apply_migration(db: sqlite_utils.Database, index: int, progress=None) -> None:
    """Run MIGRATIONS[index] and set the version, all in one transaction (some with the
    foreign keys off, WITHOUT_FOREIGN_KEYS: they check them before the commit)."""
    keys = db.execute("PRAGMA foreign_keys").fetchone()[0]
    if index in WITHOUT_FOREIGN_KEYS:
        db.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(db) as conn:
            run_migration(conn, index, progress)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {index + 1}")
    finally:
        db.execute(f"PRAGMA foreign_keys = {int(keys)}")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows the grammar)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def migrate(db: sqlite_utils.Database, target: int = SCHEMA_VERSION,
            progress=None) -> Path | None:
    """Bring the database to `target`, backing it up first. Returns the backup path, if any.
    `progress(done, total)` follows the long steps (LONG_STEPS) and may return False to stop;
    during the VACUUM after them it is told (0, 0): busy, length unknown, not cancellable."""
    check_is_motcua(db)
    enable_wal(db)
    current = version(db)
    if current >= target:
        return None
    try:
        backup = backup_before_migration(db, current)
        for index in range(current, target):
            apply_migration(db, index, progress)
    except (sqlite3.Error, OSError) as exc:
        raise_environment(exc, getattr(db, "path", None))
        raise
    if any(current <= MIGRATIONS.index(script) < target
           for script in (SIZE, COMPACT, FTS_NONE, EVENTS_COMPACT, DETAILS_COMPACT, PAGES,
                          MOMENTS, CHAIN_PREFIX, KEYS_COMPUTED, DOSSIER_ROWS, ENTRY_ROWS)):
        vacuum.reclaim(db, progress)  # once, whichever of them the upgrade ran
    return backup
