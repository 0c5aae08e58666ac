"""The making of a rows part: a new file by the program's own creation code, filled by
`INSERT … SELECT` from the sender's connection (core.exchange.part)."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from core.exchange.part.layout import ALIAS, CATALOGUE, CHILDREN, COUNTS, FTS_TRIGGERS
from db import searchtext
from db.connection import APPLICATION_ID, PAGE_SIZE
from db.schema import SCHEMA_VERSION, run_migration

Progress = Callable[[int, int], object]


# ----- making it -------------------------------------------------------------------------------
# The bytes of an empty part as `_migrated` made it, by schema version: every part of a version
# starts as the same file (its pages, header, sqlite_master), so this process runs the 26
# migrations once per version, not once per export (0.1 s of CPU each here; fast39a).
_EMPTY: dict[int, bytes] = {}


def create(path: Path, version: int = SCHEMA_VERSION) -> None:
    """A new, empty rows part at `path` (no file there yet): the program's migrations at
    SCHEMA_VERSION, in one transaction, as a new database is made (db.schema), in the rollback
    journal (one file). `version`: as the program at that schema made it (what an older part
    is checked against). The first part of a version is migrated; the next are its bytes."""
    empty = _EMPTY.get(version)
    if empty is None:
        open(path, "xb").close()  # never over a file already there, the first part as the next
        _migrated(path, version)
        _EMPTY[version] = path.read_bytes()
    else:
        _write_new(path, empty)


def _write_new(path: Path, content: bytes) -> None:
    """A part kept as bytes written as a new file, never over one already there."""
    with open(path, "xb") as file:
        file.write(content)


def _migrated(path: Path, version: int) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        searchtext.register(conn)  # schema 21's view and triggers name its functions
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("BEGIN")
        for index in range(version):
            run_migration(conn, index)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    finally:
        conn.close()


def build(source: sqlite3.Connection, path: Path, dossier_ids: list[int], vote_ids: list[int],
          progress: Progress | None = None) -> dict:
    """Make the rows part of these dossiers and votes of `source` at `path` (a new file);
    returns the manifest's counts. The search index's triggers are taken off while the rows go
    in (they would call Python and FTS5 for every dossier) and put back with the same SQL.
    The part is a temporary file, deflated into the package once made and thrown away if not
    (a crash included): its writes wait for no disk (`synchronous = OFF`, as an older part's
    upgrade, core.exchange.part.older), which changes nothing in it (0.5 s a part here)."""
    triggers = _bare(path)
    source.execute("ATTACH DATABASE ? AS " + ALIAS, [str(path)])
    try:
        source.execute(f"PRAGMA {ALIAS}.synchronous = OFF")
        _copy(source, dossier_ids, vote_ids, progress)
    finally:
        source.execute("DETACH DATABASE " + ALIAS)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        for sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
        return {key: conn.execute(sql).fetchone()[0] for key, sql in COUNTS}
    finally:
        conn.close()


# The bytes of an empty part without its search index's triggers, and their SQL: what `build`
# starts from, the same for every part (fast39a).
_BARE: dict[int, tuple[bytes, list[str]]] = {}


def _bare(path: Path) -> list[str]:
    """An empty part at `path` (a new file) without the search index's triggers; their SQL."""
    bare = _BARE.get(SCHEMA_VERSION)
    if bare is None:
        create(path)
        triggers = _without_fts_triggers(path)
        _BARE[SCHEMA_VERSION] = (path.read_bytes(), triggers)
        return triggers
    _write_new(path, bare[0])
    return list(bare[1])


def _without_fts_triggers(path: Path) -> list[str]:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                             "name LIKE ? ORDER BY name", [FTS_TRIGGERS]).fetchall()
        for name, _sql in found:
            conn.execute(f'DROP TRIGGER "{name}"')
        return [sql for _name, sql in found]
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> str:
    """The table's columns by name: an upgraded sender may hold them in another order than a
    new file (ALTER TABLE … ADD COLUMN puts a column last)."""
    names = [row[1] for row in conn.execute(f'PRAGMA {ALIAS}.table_info("{table}")')]
    return ", ".join(f'"{n}"' for n in names)


def _copy(source: sqlite3.Connection, dossier_ids: list[int], vote_ids: list[int],
          progress: Progress | None) -> None:
    """All rows in one transaction of the sender's connection, from C (INSERT … SELECT)."""
    total, steps = len(dossier_ids), len(CATALOGUE) + len(CHILDREN) + 3
    source.execute("CREATE TEMP TABLE motcua_part_dossiers (id INTEGER PRIMARY KEY)")
    source.execute("CREATE TEMP TABLE motcua_part_votes (id INTEGER PRIMARY KEY)")
    try:
        source.execute("BEGIN")
        try:
            source.executemany("INSERT INTO temp.motcua_part_dossiers VALUES (?)",
                               [(i,) for i in dossier_ids])
            source.executemany("INSERT INTO temp.motcua_part_votes VALUES (?)",
                               [(i,) for i in vote_ids])
            statements = [(t, "") for t in CATALOGUE]
            statements.append(("dossier_rows", " WHERE id IN temp.motcua_part_dossiers"))
            statements += [(t, " WHERE dossier_id IN temp.motcua_part_dossiers")
                           for t in CHILDREN]
            statements.append(("vote_rows", " WHERE id IN temp.motcua_part_votes"))
            # the aliases of the package's dossiers travel with them (core.exchange.recode)
            statements.append(("code_aliases", " WHERE local_code IN (SELECT code FROM "
                               "main.dossier_rows WHERE id IN temp.motcua_part_dossiers)"))
            for done, (table, where) in enumerate(statements, 1):
                columns = _columns(source, table)
                source.execute(f'INSERT INTO {ALIAS}."{table}" ({columns}) SELECT {columns} '
                               f'FROM main."{table}"{where}')
                if progress is not None and progress(total * done // steps, total) is False:
                    raise InterruptedError("export cancelled")
            source.execute("COMMIT")
        except BaseException:
            source.execute("ROLLBACK")
            raise
    finally:
        source.execute("DROP TABLE temp.motcua_part_dossiers")
        source.execute("DROP TABLE temp.motcua_part_votes")
