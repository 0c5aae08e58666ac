"""The schema from version 8 on (MIGRATIONS[7] onwards of db.schema): the hash-chained history
and the accounts and logs (issue 15), the Decision 766 scorecard (issue 17), the compact stored
forms (issue 18, whose long steps live with their codecs) and the code aliases (issue 16). A
script is never edited once released; a new version's script goes at the end of this module and
of db.schema.MIGRATIONS."""
from __future__ import annotations

from db import append_only, chain, dossier_rows, entry_rows, events_codec, facts_codec, fulltext
from db.schema_values import COMPLAINT_CHANNELS, KPI_COLUMNS_766
from db.schema_values import sql_in as _in

# Schema 8 (issue 15, spec 10): the event history is hash-chained and append-only. The events
# already stored are chained once, in id order, after the last of each dossier records the
# dossier's audited fields as they stand (db.chain_upgrade.upgrade).
AUDIT_CHAIN = """
ALTER TABLE events ADD COLUMN prev_hash BLOB;
ALTER TABLE events ADD COLUMN hash BLOB;
""" + chain.TRIGGERS_V8




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
""" + append_only.triggers("setting_changes") + append_only.triggers("access_log")

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
""" + append_only.triggers("code_aliases")
# Schema 25 (issue 16 §3, spec 9): a vote's origin (db.vote_origin): the installation that first
# recorded it and its id there, kept wherever the vote travels; the long-known votes filled by
# the step (db.vote_origin.fill), the rest NULL.
VOTE_ORIGIN = entry_rows.VOTE_ORIGIN
# Schema 26: a vote's origin in the ledger's hash where it is set (db.ledger.WHEN_SET); no table
# changes: the step (db.ledger.hash_when_set) swaps each such vote's contribution to the ledger.
LEDGER_ORIGIN = "-- schema 26: the votes' origin in the ledger's hash (db.ledger.hash_when_set)\n"
