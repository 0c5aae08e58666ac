"""Measure a centre merging many installations' packages (issue 16 §3: 50 × 20,000 in ≤ 30 s).

    python bench/bench_exchange.py [PACKAGES] [DOSSIERS] [MODES] [--against TREE]
                                   [--format 2|3]   (default 50 20000 one,rows,each, format 2)

`--format`: the packages merged are of that format (3: the rows part, core.exchange.part);
the office's package is exported in both formats first, their time and size printed.

Builds one demo office of DOSSIERS dossiers, exports its package, and derives PACKAGES packages
from it as PACKAGES installations in slots 1..PACKAGES of one group would have issued them
(sequence number n becomes (n-1)·PACKAGES + slot: no two packages share a code).
Then, in the same run, fresh centre databases merge them: all in ONE operation on the bulk path
("one", the centre's month-end), all in one operation on the row path ("rows"), and one after
the other, one transaction each ("each"); the first is imported again (all identical), and the
merged figures are checked to be PACKAGES times one office's, the centres to hold the same rows.
Prints wall and CPU seconds (of this process and its children: on a machine shared with other
work, wall time says more about the others) and peak RSS per step (on Linux the step's own: the
peak is reset before each; elsewhere the process's so far).

`--against TREE` (another checkout, e.g. the main branch): in the same run, before each merge
of this tree's code, the same packages merged into a fresh centre by TREE's code (a child
process, `merge_with`), its wall and CPU printed beside: before/after on the very same files.

Beside it, in the same run, the floor: the very rows the merge wrote (dossiers, events with
their hashes, payments, waits, extensions, components, votes, search index), copied package
by package into a fresh database of the same schema with bare executemany, one transaction a
package (rows read beforehand, not timed). What the merge costs above it is the merge's own
work: reading and checking the package, classifying, hashing the chain, the ledger, kpi_daily.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import demo  # noqa: E402
from core.database import open_database  # noqa: E402
from core.exchange import export_package, import_package  # noqa: E402
from core.exchange.merge import import_packages  # noqa: E402
from core.exchange.package import (  # noqa: E402
    MANIFEST,
    PARTS,
    ROWS_PART,
    PackageReader,
    PackageWriter,
)
from core.indicators import compute  # noqa: E402
from core.maintenance.audit import audit_findings  # noqa: E402
from core.textnorm import fold  # noqa: E402
from db import searchtext  # noqa: E402

TODAY = dt.date(2025, 10, 31)


def peak_mb() -> float:
    """The peak RSS since `reset_peak` (Linux: VmHWM), else of the whole process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Linux: the peak RSS set back to the RSS of now (5 written to /proc/self/clear_refs), so
    a step's peak is its own, not the demo's or an earlier merge's; elsewhere nothing."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def cpu() -> float:
    """CPU seconds of this process and of its finished child processes (a worker parsing
    packages counts too): on a shared machine wall time says more about the others."""
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def step(name: str, action):
    reset_peak()
    start, start_cpu = time.perf_counter(), cpu()
    value = action()
    print(f"{name:<44} {time.perf_counter() - start:8.1f} s wall {cpu() - start_cpu:8.1f} s CPU"
          f"   peak RSS {peak_mb():6.0f} MB", flush=True)
    return value


def recode(code: str, slot: int, group: int) -> str:
    unit_day, _, number = code.rpartition("-")
    return f"{unit_day}-{(int(number) - 1) * group + slot:04d}"


def derive(source: Path, target: Path, slot: int, group: int) -> None:
    """The package installation `slot` of `group` would have sent for the same work, in
    format 2 (JSON Lines) from a package of either format."""
    with PackageReader(source) as reader:
        writer = PackageWriter(target)
        for part in PARTS:
            writer.part(part, (_recoded(part, r, slot, group) for r in reader.records(part)))
        manifest = {k: v for k, v in reader.manifest.data.items() if k != "parts"}
        manifest["installation"] = {"id": f"bench-{slot:03d}", "slot": slot, "of": group}
        manifest["format_version"] = 2  # JSON Lines, whatever the source's format
        writer.finish(manifest)


def derive_rows(source: Path, target: Path, slot: int, group: int) -> None:
    """The same for a format-3 package: its rows part changed by SQL (codes recoded, votes
    without a dossier told apart), the search triggers off meanwhile and back as they were."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        data = archive.read(ROWS_PART)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ROWS_PART
        path.write_bytes(data)
        conn = sqlite3.connect(path, isolation_level=None)
        searchtext.register(conn)
        conn.create_function("bench_recode", 1, lambda code: recode(code, slot, group))
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND name LIKE 'dossiers_fts_%'").fetchall()
        conn.execute("BEGIN")
        for name, _ in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        # two steps: a recoded code may be one of the codes not yet recoded (UNIQUE)
        conn.execute("UPDATE dossier_rows SET code = code || '~'")
        conn.execute("UPDATE dossier_rows SET code = bench_recode(rtrim(code, '~'))")
        conn.execute("UPDATE vote_rows SET comment = trim(coalesce(comment, '') || ' [máy ' || ? "
                     "|| ']') WHERE dossier_id IS NULL", [slot])
        for _, sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.close()
        writer = PackageWriter(target)
        writer.file_part(ROWS_PART, path)
        manifest = {k: v for k, v in manifest.items() if k != "parts"}
        manifest["installation"] = {"id": f"bench-{slot:03d}", "slot": slot, "of": group}
        writer.finish(manifest)


def _recoded(part: str, record: dict, slot: int, group: int) -> dict:
    if part == "dossiers.jsonl":
        old, new = record["code"], recode(record["code"], slot, group)
        record["code"] = new
        if record.get("derived") and record["derived"][2]:
            record["derived"][2] = record["derived"][2].replace(fold(old), fold(new))
    elif part == "votes.jsonl":
        if record["dossier_code"]:
            record["dossier_code"] = recode(record["dossier_code"], slot, group)
        else:  # a vote without a dossier: another office's citizen, another comment
            record["comment"] = f"{record['comment'] or ''} [máy {slot}]".strip()
    return record


def totals(db) -> dict:
    doc = compute(db, dt.date(2024, 8, 1), dt.date(2025, 10, 31), as_of=dt.datetime(2025, 11, 1))
    total = doc["total"]
    return {"received": total["received"]["total"], "resolved": total["resolved"]["total"],
            "votes": total["satisfaction"]["votes"]}


# The stored rows (schema 16: events as event_rows coded by event_words, copied whole first),
# not the readable view, whose INSERT trigger would store them uncoded.
COPIED = ("dossiers", "event_rows", "payments", "supplements", "extensions", "dossier_components")


def plain_sql(centre, path: Path, packages: int, bulk: bool = False) -> tuple[float, float]:
    """(wall, CPU) of writing the merged rows again with nothing but executemany, one
    transaction per package's share, the search index filled once per share; or (`bulk`) all
    shares in one transaction with the dossiers' secondary indexes dropped and made again and
    the search index filled once: the floor of the merge's bulk path."""
    floor = open_database(path)
    conn, source = floor.conn, centre.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # units name parents listed after them
    for table in ("units", "procedures", "calendar", "event_words"):
        rows = source.execute(f"SELECT * FROM {table}").fetchall()
        conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({_marks(rows)})", rows)
    conn.commit()
    conn.execute("PRAGMA foreign_keys = ON")
    top = source.execute("SELECT MAX(id) FROM dossiers").fetchone()[0]
    votes = source.execute("SELECT MAX(id) FROM votes").fetchone()[0] or 0
    wall = spent = 0.0
    indexes: list = []
    for k in range(packages):
        low, high = top * k // packages, top * (k + 1) // packages
        rows = {t: source.execute(f"SELECT * FROM {t} WHERE {_key(t)} > ? AND {_key(t)} <= ? "
                                  "ORDER BY 1", [low, high]).fetchall() for t in COPIED}
        rows["votes"] = source.execute("SELECT * FROM votes WHERE id > ? AND id <= ?",
                                       [votes * k // packages, votes * (k + 1) // packages]).fetchall()
        start, start_cpu = time.perf_counter(), cpu()
        if not bulk or k == 0:
            conn.execute("BEGIN")
            triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE 'dossiers_fts_%'").fetchall()
            for name, _ in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            if bulk:
                indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'dossiers' AND sql IS NOT NULL").fetchall()
                for name, _ in indexes:
                    conn.execute(f'DROP INDEX "{name}"')
        for table, values in rows.items():
            if values:
                conn.executemany(f"INSERT INTO {table} VALUES ({_marks(values)})", values)
        if not bulk or k == packages - 1:
            for _, sql in triggers + indexes:
                conn.execute(sql)
            conn.execute("INSERT INTO dossiers_fts(rowid, search_key) SELECT id, search_key FROM "
                         "dossier_keys WHERE id > ?", [0 if bulk else low])
            conn.execute("COMMIT")
        wall, spent = wall + time.perf_counter() - start, spent + cpu() - start_cpu
    floor.close()
    return wall, spent


def _key(table: str) -> str:
    return "id" if table == "dossiers" else "dossier_id"


def _marks(rows: list) -> str:
    return ", ".join("?" * len(rows[0])) if rows else ""


# What `--against TREE` runs in a child process: TREE's code merging the packages, one operation
# ("one"/"rows") or one transaction a package ("each"); prints wall and CPU of the merge alone.
AGAINST = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from core.database import open_database
from core.exchange import import_package
from core.exchange.merge import import_packages
centre = open_database(Path(sys.argv[2]))
mode, paths = sys.argv[3], [Path(p) for p in sys.argv[4:]]
spent = lambda: sum(os.times()[:4])
start, start_cpu = time.perf_counter(), spent()
if mode == "each":
    for path in paths:
        import_package(centre, path)
else:
    import_packages(centre, paths, bulk=mode == "one")
print(f"{time.perf_counter() - start:.1f} {spent() - start_cpu:.1f}")
"""


def merge_with(tree: str, mode: str, folder: Path, paths: list[Path]) -> None:
    """The same merge by another checkout's code (the "before" of a change), in a child."""
    import subprocess
    target = folder / f"against-{mode}.db"
    out = subprocess.run([sys.executable, "-c", AGAINST, tree, str(target), mode,
                          *map(str, paths)], capture_output=True, text=True, check=True)
    wall, spent = out.stdout.split()[-2:]
    print(f"{f'  the same by {Path(tree).name} ({mode})':<44} {float(wall):8.1f} s wall "
          f"{float(spent):8.1f} s CPU", flush=True)
    for leftover in folder.glob(f"against-{mode}.db*"):
        leftover.unlink()


def main() -> None:
    against = None
    if "--against" in sys.argv:
        at = sys.argv.index("--against")
        against = sys.argv[at + 1]
        del sys.argv[at:at + 2]
    package_format = 2
    if "--format" in sys.argv:
        at = sys.argv.index("--format")
        package_format = int(sys.argv[at + 1])
        del sys.argv[at:at + 2]
    packages = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    dossiers = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        office = open_database(folder / "office.db")
        step(f"demo office of {dossiers} dossiers", lambda: demo.generate(
            office, dossiers=dossiers, seed=1, today=TODAY))
        one = totals(office)
        made = {}
        for version in (2, 3):
            made[version] = folder / f"office-{version}.zip"
            step(f"export its package, format {version}", lambda version=version: export_package(
                office, made[version], dt.date(2024, 1, 1), format_version=version))
            print(f"  size: {made[version].stat().st_size / 1e6:.1f} MB", flush=True)
        office.close()
        source = made[package_format]
        paths = [folder / f"p{k:02d}.zip" for k in range(1, packages + 1)]
        maker = derive_rows if package_format == 3 else derive
        step(f"derive {packages} packages, format {package_format}", lambda: [
            maker(source, path, k, packages) for k, path in enumerate(paths, 1)])
        first = paths[0]
        modes = sys.argv[3].split(",") if len(sys.argv) > 3 else ["one", "rows", "each"]
        centres = {}
        for mode in modes:
            if against:
                merge_with(against, mode, folder, paths)
            centres[mode] = merge_in(mode, folder, paths)
        centre = centres.get("each") or centres[modes[0]]
        again = step("import the first again (identical)", lambda: import_package(centre, first))
        print("  again:", dict(again.dossiers))
        for bulk, label in ((False, "plain SQL floor: a transaction a package"),
                            (True, "plain SQL floor: one transaction, bulk")):
            floor = plain_sql(centre, folder / f"floor-{bulk}.db", packages, bulk)
            print(f"{label:<44} {floor[0]:8.1f} s wall {floor[1]:8.1f} s CPU", flush=True)
        expected = {k: v * packages for k, v in one.items()}
        shapes = {}
        for mode, db in centres.items():
            merged = step(f"indicators of the merged database ({mode})", lambda db=db: totals(db))
            print(f"  {mode}: one office:", json.dumps(one), " merged:", json.dumps(merged),
                  " equal to", packages, "×:", merged == expected)
            shapes[mode] = shape(db)
            if packages * dossiers <= 200_000:
                bad = [f.text for f in step(f"check of the merged database ({mode})",
                                            lambda db=db: audit_findings(db)) if not f.ok]
                print("  check:", "every finding ok" if not bad else bad[:3])
            db.close()
        print("  every mode left the same rows and search index:",
              len({json.dumps(s, sort_keys=True) for s in shapes.values()}) == 1)


def merge_in(mode: str, folder: Path, paths: list[Path]):
    """A fresh centre merging every package: "each" one transaction a package (before this
    issue's §3 the only way), "one" all in one operation (the bulk path: indexes dropped and
    made again), "rows" all in one operation on the row path (indexes kept row by row)."""
    centre = open_database(folder / f"centre-{mode}.db")
    reset_peak()
    start, start_cpu = time.perf_counter(), cpu()
    if mode == "each":
        for k, path in enumerate(paths, 1):
            result = import_package(centre, path)
            if k in (1, len(paths) // 2, len(paths)):
                print(f"  after {k:>3} packages: {time.perf_counter() - start:6.1f} s wall "
                      f"{cpu() - start_cpu:6.1f} s CPU (sender's facts kept: {result.fast})",
                      flush=True)
    else:
        batch = import_packages(centre, paths, bulk=mode == "one")
        print(f"  {dict(batch.total('dossiers'))}, bulk path: {batch.bulk}", flush=True)
    label = {"each": "one at a time", "one": "in ONE operation, bulk path",
             "rows": "in ONE operation, row path"}[mode]
    print(f"{f'merge {len(paths)} packages {label}':<44} {time.perf_counter() - start:8.1f} s"
          f" wall {cpu() - start_cpu:8.1f} s CPU   peak RSS {peak_mb():6.0f} MB", flush=True)
    return centre


def shape(db) -> dict:
    """What the merge left, in a few numbers: rows per table, the chain's head, the index."""
    out = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
           for t in (*COPIED, "votes", "kpi_daily")}
    out["head"] = db.execute("SELECT hex(hash) FROM events ORDER BY id DESC LIMIT 1").fetchone()[0]
    out["kpi"] = db.execute("SELECT total(recv_direct_postal), total(votes) FROM kpi_daily"
                            ).fetchone()
    out["fts"] = db.execute("SELECT COUNT(*) FROM dossiers_fts WHERE dossiers_fts MATCH 'Ngu'"
                            ).fetchone()[0]
    out["indexes"] = db.execute("SELECT group_concat(sql, ';') FROM (SELECT sql FROM "
                                "sqlite_master WHERE type = 'index' ORDER BY name)").fetchone()[0]
    return out


if __name__ == "__main__":
    main()
