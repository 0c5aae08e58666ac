"""Schema version and migrations.

The version lives in `PRAGMA user_version`; MIGRATIONS[i] takes a database from version i to
version i + 1. Before any migration of an existing database the file is copied aside with
SQLite's backup API, so a failed upgrade never costs data.

The scripts live by era, each never edited once released: db.schema_v1_v7 (the first seven),
db.schema_v8_on (version 8 onwards), the values of their CHECKs in db.schema_values; all are
re-exported here, where callers and tests have always found them. This module keeps their order,
the steps a script cannot say, and the upgrade itself.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils

from db import (
    chain,
    chain_upgrade,
    dossier_rows,
    entry_rows,
    events_codec,
    facts_codec,
    fulltext,
    ledger,
    steps,
    vacuum,
    vote_origin,
)
from db.connection import (
    APPLICATION_ID,
    DatabaseEnvironmentError,
    enable_wal,
    raise_environment,
    transaction,
)
from db.schema_v1_v7 import DATED_RULES as DATED_RULES
from db.schema_v1_v7 import TWO_TIER as TWO_TIER
from db.schema_v1_v7 import V1 as V1
from db.schema_v1_v7 import V2 as V2
from db.schema_v1_v7 import V3 as V3
from db.schema_v1_v7 import V4 as V4
from db.schema_v1_v7 import V5 as V5
from db.schema_v1_v7 import _widen_unit_levels
from db.schema_v8_on import ACCOUNTS as ACCOUNTS
from db.schema_v8_on import AUDIT_CHAIN as AUDIT_CHAIN
from db.schema_v8_on import CHAIN_PREFIX as CHAIN_PREFIX
from db.schema_v8_on import CODE_ALIASES as CODE_ALIASES
from db.schema_v8_on import COMPACT as COMPACT
from db.schema_v8_on import DETAILS_COMPACT as DETAILS_COMPACT
from db.schema_v8_on import DOSSIER_ROWS as DOSSIER_ROWS
from db.schema_v8_on import ENTRY_ROWS as ENTRY_ROWS
from db.schema_v8_on import EVENTS_COMPACT as EVENTS_COMPACT
from db.schema_v8_on import FTS_NONE as FTS_NONE
from db.schema_v8_on import KEYS_COMPUTED as KEYS_COMPUTED
from db.schema_v8_on import KPI_766 as KPI_766
from db.schema_v8_on import LEDGER_ORIGIN as LEDGER_ORIGIN
from db.schema_v8_on import MOMENTS as MOMENTS
from db.schema_v8_on import PAGES as PAGES
from db.schema_v8_on import SCORECARD_766 as SCORECARD_766
from db.schema_v8_on import SIZE as SIZE
from db.schema_v8_on import VOTE_ORIGIN as VOTE_ORIGIN
from db.schema_values import CALENDAR_KINDS as CALENDAR_KINDS
from db.schema_values import CHANNELS as CHANNELS
from db.schema_values import COMPLAINT_CHANNELS as COMPLAINT_CHANNELS
from db.schema_values import DOCUMENT_FORMS as DOCUMENT_FORMS
from db.schema_values import INVITATION_STATES as INVITATION_STATES
from db.schema_values import KPI_COLUMNS as KPI_COLUMNS
from db.schema_values import KPI_COLUMNS_766 as KPI_COLUMNS_766
from db.schema_values import KPI_COLUMNS_V2 as KPI_COLUMNS_V2
from db.schema_values import LIMIT_UNITS as LIMIT_UNITS
from db.schema_values import ONLINE_LEVELS as ONLINE_LEVELS
from db.schema_values import PAYMENT_METHODS as PAYMENT_METHODS
from db.schema_values import RATINGS as RATINGS
from db.schema_values import RESULT_DELIVERIES as RESULT_DELIVERIES
from db.schema_values import ROLES as ROLES
from db.schema_values import STATUSES as STATUSES
from db.schema_values import UNIT_LEVELS as UNIT_LEVELS
from db.schema_values import UNIT_LEVELS_V1 as UNIT_LEVELS_V1

MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, DATED_RULES, TWO_TIER, AUDIT_CHAIN, ACCOUNTS,
                         SCORECARD_766, KPI_766, fulltext.SCHEMA,
                         SIZE, COMPACT, FTS_NONE, EVENTS_COMPACT, DETAILS_COMPACT, PAGES,
                         MOMENTS, CHAIN_PREFIX, KEYS_COMPUTED, DOSSIER_ROWS, ENTRY_ROWS,
                         CODE_ALIASES, VOTE_ORIGIN, LEDGER_ORIGIN]


def _code_details(conn: sqlite3.Connection, progress=None) -> None:
    """DETAILS_COMPACT's long step: the rows coded while the append-only triggers are away
    (the migration's own transaction: nothing else writes), then the triggers as they were."""
    events_codec.code_details(conn, progress)
    for statement in steps.statements(chain.TRIGGERS):
        conn.execute(statement)


def _shorten_hashes(conn: sqlite3.Connection, progress=None) -> None:
    """CHAIN_PREFIX's long step: the hashes cut while the append-only triggers are away (the
    migration's own transaction: nothing else writes), then the triggers as they were."""
    chain_upgrade.shorten_all(conn, progress)
    for statement in steps.statements(chain.TRIGGERS):
        conn.execute(statement)


def _origin_in_ledger(conn: sqlite3.Connection) -> None:
    """LEDGER_ORIGIN's step: the votes' origins into the ledger's hash (db.ledger.WHEN_SET_FROM
    is this schema's number: tests/db/test_ledger_origin.py)."""
    ledger.hash_when_set(conn, "votes")


# Steps a script cannot say, run after the script of the same index.
MIGRATION_STEPS = {6: _widen_unit_levels, MIGRATIONS.index(AUDIT_CHAIN): chain_upgrade.upgrade,
                   MIGRATIONS.index(VOTE_ORIGIN): vote_origin.fill,
                   MIGRATIONS.index(LEDGER_ORIGIN): _origin_in_ledger}
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
    for statement in steps.statements(MIGRATIONS[index]):
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
            f"phiên bản này hiểu tới {SCHEMA_VERSION}). Hãy cập nhật MotCua.", "newer")


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
