"""Format-3 parts for the fast copy's tests and bench, before pkg3 lands (issue 16 §3).

A part is a MotCua database holding a package's rows (branch pkg3 makes them). Here a demo
office's own file stands for it, and `make_part` derives from it the part installation `slot` of
`group` would have sent for the same work, exactly as bench_exchange.derive rewrites a package:
every code's number n becomes (n-1)·group + slot, a walk-in vote's comment names the machine.
`merge_parts` is the operation pkg3 wires into core.exchange.merge: up to 10 parts (SQLite's
MAX_ATTACHED in this build) in ONE transaction, each part's catalogue merged and then its new
dossiers copied by core.exchange.fastcopy.copy_new, the search index, the dossiers' indexes and
the derived data put back as the existing merge does (merge._Run).
"""
from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

from core import facts, timefmt
from core.exchange import bulk as bulk_path
from core.exchange import checks, records
from core.exchange.fastcopy import Copied, Copier
from core.exchange.fastcopy.partdb import read_only
from core.exchange.part import catalogue_records
from db import fulltext
from db.connection import transaction

# the catalogue a part brings, parents first (units' parents may come later: the foreign keys
# are deferred, as _Merger.run defers them)
CATALOGUE = ("units", "procedures", "procedure_rules", "procedure_components", "calendar")


def _recode(code: str, slot: int, group: int) -> str:
    unit_day, _, number = code.rpartition("-")
    return f"{unit_day}-{(int(number) - 1) * group + slot:04d}"


def make_part(office: Path, target: Path, slot: int, group: int) -> Path:
    """The part installation `slot` of `group` would send: a copy of the office's file with its
    codes and walk-in votes rewritten (its own chain is not made again: a part's hashes are
    never trusted, the centre hashes what it copies)."""
    shutil.copy(office, target)
    conn = sqlite3.connect(target)
    conn.create_function("motcua_recode", 1, lambda code: _recode(code, slot, group))
    conn.create_function("motcua_search_key", 6, lambda *values: "")  # the part's index: unread
    # through a form no code has, so that no intermediate code collides with another
    conn.execute("UPDATE dossier_rows SET code = motcua_recode(code) || '~'")
    conn.execute("UPDATE dossier_rows SET code = substr(code, 1, length(code) - 1)")
    conn.execute("UPDATE vote_rows SET comment = trim(COALESCE(comment, '') || ' [máy ' || ? "
                 "|| ']') WHERE dossier_id IS NULL", [slot])
    conn.commit()
    conn.close()
    return target


def catalogue(conn, schema: str, path: str | Path | None = None) -> bool:
    """The part's catalogue rows the centre lacks (ours kept: _Merger._catalogue); True when
    calendar days came in. Its procedures are checked first as _Merger._catalogue checks the
    records a format-3 reader gives (core.exchange.part.catalogue_records, checks.
    check_catalogue: a cut-off "25:99" refused); `path`: the part's file when `schema` is in
    memory."""
    part = read_only(str(path or _attached_path(conn, schema)))
    try:
        for record in catalogue_records(part, "procedures.jsonl"):
            checks.check_catalogue(record, records.PROCEDURE_COLUMNS, "code")
    finally:
        part.close()
    before = conn.execute("SELECT COUNT(*) FROM main.calendar").fetchone()[0]
    for table in CATALOGUE:
        conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM {schema}.{table}")
    return conn.execute("SELECT COUNT(*) FROM main.calendar").fetchone()[0] != before


def _attached_path(conn, schema: str) -> str:
    return next(path for _seq, name, path in conn.execute("PRAGMA database_list")
                if name == schema)


def fingerprint(path: Path) -> str:
    part = read_only(str(path))
    try:
        return records.rules_fingerprint(part)
    finally:
        part.close()


def merge_parts(db, paths: list[Path], *, bulk: bool | None = None, progress=None,
                processes: bool | None = None) -> list[Copied]:
    """Merge these parts (at most 10) in ONE transaction, as merge.import_packages merges
    packages, every dossier of theirs new to the centre (left ones are refused here: this is
    the fast path's bench, not the whole merge)."""
    if len(paths) > 10:
        raise ValueError("SQLite attaches at most 10 databases in one transaction")
    out: list[Copied] = []
    prints = [fingerprint(p) for p in paths]
    now = timefmt.to_db_time(timefmt.now())
    names = [f"part{k}" for k in range(len(paths))]
    try:
        _merge(db, names, paths, prints, now, bulk, progress, processes, out)
    finally:
        for name in names:
            if any(row[1] == name for row in db.conn.execute("PRAGMA database_list")):
                db.conn.execute(f"DETACH {name}")
    return out


def _merge(db, names, paths, prints, now, bulk, progress, processes, out) -> None:
    delta: Counter = Counter()
    refresh: list[int] = []
    recompute_all = False
    with bulk_path.big_cache(db), bulk_path.collector_paused(), transaction(db) as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for name, path in zip(names, paths, strict=True):
            conn.execute("ATTACH ? AS " + name, [Path(path).resolve().as_uri() + "?mode=ro"])
        first_new = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM dossier_rows").fetchone()[0]
        held = conn.execute("SELECT COUNT(*) FROM dossier_rows").fetchone()[0]
        total = sum(conn.execute(f"SELECT COUNT(*) FROM {n}.dossier_rows").fetchone()[0]
                    for n in names)
        with Copier(conn, delta=delta, refresh=refresh, progress=progress,
                    processes=processes) as copier, \
                bulk_path.indexes_dropped(conn, bulk_path.wanted(held, total) if bulk is None
                                          else bulk), \
                fulltext.deferred(conn, new_from=first_new, given=copier.given_keys):
            copier.ahead([_attached_path(conn, name) for name in names])  # as merge._Run
            for name, sender, path in zip(names, prints, paths, strict=True):
                had = conn.execute("SELECT 1 FROM dossier_rows LIMIT 1").fetchone() is not None
                recompute_all |= catalogue(conn, name, path) and had
                fast = records.rules_fingerprint(conn) == sender
                copied = copier.copy(name, now=now, fast=fast)
                if copied.left_dossiers or copied.left_votes:
                    raise ValueError(f"{name}: {len(copied.left_dossiers)} dossiers and "
                                     f"{len(copied.left_votes)} votes left")
                out.append(copied)
        facts.write_kpi_rows(conn, delta)
        if recompute_all:
            facts.rebuild_all(db)
        else:
            facts.refresh(db, refresh)
