"""The cost of a format-3 package of an older schema (issue 16 §3, fifteenth round): each of
the first N packages of a folder (format 3, this schema) made again as the program at schema 22
makes it (tests.core.exchange.test_older_part.older_part: the part taken back to 22 by
tests.db.older.text_entries, a part of 22 filled from it), then the opening of each form timed
(PackageReader: extraction, checksum, checks; for the older one its upgrade), alternating, CPU
and wall; and the upgrade's steps of one older part.

    .venv/bin/python bench/bench_older_part.py /tmp/lead/pk OUT_FOLDER [N] [RUNS]

Writes the older packages to OUT_FOLDER (p001.zip …), which bench_merge_steps.py merges as it
merges the current ones (the same chain head and counts).
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.exchange import part  # noqa: E402
from core.exchange.part import older, opening  # noqa: E402
from core.exchange.package import MANIFEST, ROWS_PART, PackageReader  # noqa: E402
from db import searchtext  # noqa: E402
from tests.core.exchange.conftest import repack  # noqa: E402
from tests.core.exchange.test_older_part import OLDER, older_part  # noqa: E402
from tests.db.older import text_entries  # noqa: E402


def make_older(source: Path, target: Path, work: Path) -> None:
    with zipfile.ZipFile(source) as package:
        members = {info.filename: package.read(info.filename) for info in package.infolist()}
    back = work / "back.db"
    back.write_bytes(members[ROWS_PART])
    conn = sqlite3.connect(back, isolation_level=None)
    searchtext.register(conn)
    text_entries(conn)
    made = work / "rows-22.motcua"
    older_part(conn, made)
    conn.close()
    members[ROWS_PART] = made.read_bytes()
    manifest = json.loads(members[MANIFEST])
    manifest["schema_version"] = OLDER
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, target)
    back.unlink()
    made.unlink()


def opening(path: Path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    with PackageReader(path) as reader:
        assert reader.part is not None
    return time.perf_counter() - wall, time.process_time() - cpu


def steps(path: Path) -> dict[str, object]:
    """The upgrade's steps, each timed (CPU), on the older part extracted."""
    with zipfile.ZipFile(path) as package:
        data = package.read(ROWS_PART)
    folder = Path(tempfile.mkdtemp(prefix="older-steps-"))
    try:
        file = folder / "part.tmp"
        file.write_bytes(data)
        out: dict[str, object] = {}
        cpu = time.process_time()
        opening._open(file, False, None, lambda c, s, st: older._checks_at(OLDER, c, s, st)).close()
        out["proven at 22 (schema, quick_check)"] = time.process_time() - cpu
        cpu = time.process_time()
        older._migrate(file, OLDER, None)
        out["migrations 22 → 23"] = time.process_time() - cpu
        cpu = time.process_time()
        opening._open(file, False, None, lambda c, s, st: opening._checks(c, s, st, upgraded=True)).close()
        out["checked as a current part"] = time.process_time() - cpu
        out["size before / after (MB)"] = (len(data) / 1e6, file.stat().st_size / 1e6)
        return out
    finally:
        shutil.rmtree(folder)


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="older-make-"))
    try:
        for i in range(1, count + 1):
            target = out / f"p{i:03d}.zip"
            if not target.exists():
                make_older(source / f"p{i:03d}.zip", target, work)
    finally:
        shutil.rmtree(work)
    part.expected_master()
    part.expected_master(OLDER)
    current, older = source / "p001.zip", out / "p001.zip"
    times: dict[str, list[tuple[float, float]]] = {"current": [], "older": []}
    for _ in range(runs):
        times["current"].append(opening(current))
        times["older"].append(opening(older))
    for name, got in times.items():
        walls, cpus = sorted(w for w, _ in got), sorted(c for _, c in got)
        print(f"{name:8} opening: wall median {walls[len(walls) // 2] * 1000:.0f} ms, CPU median "
              f"{cpus[len(cpus) // 2] * 1000:.0f} ms (min {cpus[0] * 1000:.0f})")
    for _ in range(2):
        print(steps(older))


if __name__ == "__main__":
    main()
