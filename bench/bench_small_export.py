"""Measure the fixed cost of exporting a small installation's package (format 3, the rows part).

    python bench/bench_small_export.py [DOSSIERS] [EXPORTS]     (default 50 20)

Builds one demo office of DOSSIERS dossiers, then exports its package EXPORTS times in this one
process (each to a new file). The first export pays what a process pays once (the empty rows
part made by the migrations: core.exchange.part.making); the others are what every next export
of the day costs. Prints CPU (time.process_time) and wall seconds of the first and the mean of
the others. Run it in two trees one after the other to compare (round 39, fast39a).
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import demo  # noqa: E402
from core.database import open_database  # noqa: E402
from core.exchange import export_package  # noqa: E402

TODAY = dt.date(2025, 10, 20)


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    dossiers = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    exports = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as folder:
        office = open_database(Path(folder) / "office.db")
        try:
            demo.generate(office, dossiers=dossiers, seed=1, today=TODAY)
            times = [timed(lambda k=k: export_package(
                office, Path(folder) / f"p{k}.zip", dt.date(2024, 1, 1), format_version=3))
                for k in range(exports)]
        finally:
            office.close()
    first, rest = times[0], times[1:]
    print(f"{ROOT.name}: {dossiers} dossiers, {exports} exports")
    print(f"  first export: CPU {first[0]:.3f} s, wall {first[1]:.3f} s")
    if rest:
        print(f"  each next:    CPU {sum(t[0] for t in rest) / len(rest):.3f} s, "
              f"wall {sum(t[1] for t in rest) / len(rest):.3f} s (mean of {len(rest)})")


if __name__ == "__main__":
    main()
