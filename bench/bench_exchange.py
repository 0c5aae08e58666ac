"""Measure a centre merging many installations' packages (issue 16 §3: 50 × 20,000 in ≤ 30 s).

    python bench/bench_exchange.py [PACKAGES] [DOSSIERS]     (default 50 20000)

Builds one demo office of DOSSIERS dossiers, exports its package, and derives PACKAGES packages
from it as PACKAGES installations in slots 1..PACKAGES of one group would have issued them
(sequence number n becomes (n-1)·PACKAGES + slot: no two packages share a code).
Then a fresh centre database imports them one after the other (one transaction each), imports
the first again (all identical), and checks that the merged figures are PACKAGES times one
office's. Prints seconds and peak RSS per step.
"""
from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import demo  # noqa: E402
from core.database import open_database  # noqa: E402
from core.exchange import export_package, import_package  # noqa: E402
from core.exchange.package import PARTS, PackageReader, PackageWriter  # noqa: E402
from core.indicators import compute  # noqa: E402
from core.textnorm import fold  # noqa: E402

TODAY = dt.date(2025, 10, 31)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    """CPU seconds of this process: on a shared machine wall time says more about the others."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def step(name: str, action):
    start, start_cpu = time.perf_counter(), cpu()
    value = action()
    print(f"{name:<44} {time.perf_counter() - start:8.1f} s wall {cpu() - start_cpu:8.1f} s CPU"
          f"   peak RSS {peak_mb():6.0f} MB", flush=True)
    return value


def recode(code: str, slot: int, group: int) -> str:
    unit_day, _, number = code.rpartition("-")
    return f"{unit_day}-{(int(number) - 1) * group + slot:04d}"


def derive(source: Path, target: Path, slot: int, group: int) -> None:
    """The package installation `slot` of `group` would have sent for the same work."""
    with PackageReader(source) as reader:
        writer = PackageWriter(target)
        for part in PARTS:
            writer.part(part, (_recoded(part, r, slot, group) for r in reader.records(part)))
        manifest = {k: v for k, v in reader.manifest.data.items() if k != "parts"}
        manifest["installation"] = {"id": f"bench-{slot}", "slot": slot, "of": group}
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


def main() -> None:
    packages = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    dossiers = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        office = open_database(folder / "office.db")
        step(f"demo office of {dossiers} dossiers", lambda: demo.generate(
            office, dossiers=dossiers, seed=1, today=TODAY))
        one = totals(office)
        source = folder / "office.zip"
        step("export its package", lambda: export_package(office, source, dt.date(2024, 1, 1)))
        office.close()
        paths = [folder / f"p{k:02d}.zip" for k in range(1, packages + 1)]
        step(f"derive {packages} packages (slots 1..{packages})", lambda: [
            derive(source, path, k, packages) for k, path in enumerate(paths, 1)])
        first = paths[0]
        centre = open_database(folder / "centre.db")
        start, start_cpu = time.perf_counter(), cpu()
        for k, path in enumerate(paths, 1):
            result = import_package(centre, path)
            if k in (1, packages // 2, packages):
                print(f"  after {k:>3} packages: {time.perf_counter() - start:6.1f} s wall "
                      f"{cpu() - start_cpu:6.1f} s CPU (sender's facts kept: {result.fast})",
                      flush=True)
        print(f"{'merge ' + str(packages) + ' packages':<44} {time.perf_counter() - start:8.1f} s"
              f" wall {cpu() - start_cpu:8.1f} s CPU   peak RSS {peak_mb():6.0f} MB", flush=True)
        again = step("import the first again (identical)", lambda: import_package(centre, first))
        print("  again:", dict(again.dossiers))
        merged = step("indicators of the merged database", lambda: totals(centre))
        expected = {k: v * packages for k, v in one.items()}
        expected["votes"] = one["votes"] * packages
        print("  one office:", json.dumps(one), " merged:", json.dumps(merged),
              " equal to", packages, "×:", merged == expected)
        centre.close()


if __name__ == "__main__":
    main()
