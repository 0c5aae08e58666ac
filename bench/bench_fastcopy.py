"""The fast copy of format-3 parts against the floor (issue 16 §3: 50 × 20,000 in ≤ 30 s).

    python bench/bench_fastcopy.py [PARTS] [DOSSIERS] [--floor] [--check] [--one-process]
                                                                         (default 50 20000)

Builds one demo office of DOSSIERS dossiers and derives PARTS parts from it as PARTS
installations of one group would have sent them (bench/fastcopy_parts.make_part: the codes of
bench_exchange.derive). Then a fresh centre merges them with core.exchange.fastcopy.copy_new
(bench/fastcopy_parts.merge_parts: catalogue, copy, search index, indexes, derived data), in
transactions of at most 10 parts (SQLite's MAX_ATTACHED in this build: a part read inside a
transaction cannot be detached before it ends). Prints wall and CPU (this process), the CPU of
each step of the copy summed over the parts, and the load average.

`--one-process`: in the same run, before, the same copy with the chain and the facts read in
this process (fastcopy.Copier(processes=False)) into another fresh centre.
`--floor`: in the same run, bench_merge_floor's INSERT … SELECT copy of the same rows (nothing
checked, hashes copied, not computed). `--check`: the merged centre's indicators must be PARTS ×
one office's, and `check` (core.maintenance.audit) must find nothing (up to 200,000 dossiers).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fastcopy_parts import make_part, merge_parts  # noqa: E402
from core import demo  # noqa: E402
from core.database import open_database  # noqa: E402
from core.exchange import fastcopy  # noqa: E402
from core.exchange.fastcopy import copy_part  # noqa: E402

TODAY = dt.date(2025, 10, 31)
GROUP = 10  # parts a transaction (SQLite attaches at most 10 databases)


def cpu() -> float:
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


class Steps:
    """Wall and CPU seconds of each step of fastcopy's copy, summed over the parts (the
    second process's work shows as wall time where this one waits for it)."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}

    def wrap(self) -> None:
        for name in ("plan", "submit", "dossiers", "children", "words", "events", "votes",
                     "derived"):
            self._timed(copy_part._Copy, name)
        self._timed(fastcopy.Copier, "finish")
        original = fastcopy.screen

        def screen(conn, s):
            with self.measure("screen"):
                return original(conn, s)
        fastcopy.screen = screen

    @contextlib.contextmanager
    def measure(self, name: str):
        start, start_cpu = time.perf_counter(), cpu()
        try:
            yield
        finally:
            entry = self.spent.setdefault(name, [0.0, 0.0])
            entry[0] += time.perf_counter() - start
            entry[1] += cpu() - start_cpu

    def _timed(self, owner, name: str) -> None:
        original = getattr(owner, name)
        steps = self

        def timed(self, *args):
            with steps.measure(name):
                return original(self, *args)
        setattr(owner, name, timed)

    def show(self) -> None:
        for name, (wall, spent) in self.spent.items():
            print(f"    {name:<12} {wall:7.2f} s wall {spent:7.2f} s CPU", flush=True)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    parts_wanted = int(args[0]) if args else 50
    dossiers = int(args[1]) if len(args) > 1 else 20000
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as folder:
        folder = Path(folder)
        office_path = folder / "office.db"
        office = open_database(office_path)
        demo.generate(office, dossiers=dossiers, seed=1, today=TODAY)
        one = totals(office)
        office.close()
        parts = [make_part(office_path, folder / f"part{k:02d}.db", k, parts_wanted)
                 for k in range(1, parts_wanted + 1)]
        steps = Steps()
        steps.wrap()
        print(f"{parts_wanted} parts × {dossiers} dossiers", flush=True)
        if "--one-process" in sys.argv:
            copy(open_database(folder / "one.db"), parts, False).close()
            steps.spent.clear()
        centre = copy(open_database(folder / "centre.db"), parts, None)
        steps.show()
        if "--check" in sys.argv:
            check(centre, one, parts_wanted, dossiers)
        centre.close()
        if "--floor" in sys.argv:
            from bench.bench_merge_floor import Phases, copy_all
            phases = Phases()
            start, start_cpu = time.perf_counter(), cpu()
            copy_all(folder / "floor.db", office_path, parts_wanted, phases)
            print(f"  floor (INSERT … SELECT, nothing checked, hashes copied), one transaction: "
                  f"{time.perf_counter() - start:7.1f} s wall {cpu() - start_cpu:7.1f} s CPU   "
                  f"load average after {load()}", flush=True)


def copy(centre, parts: list[Path], processes: bool | None):
    """The parts merged into `centre`, GROUP a transaction; wall and CPU printed."""
    print(f"  load average before {load()}", flush=True)
    start, start_cpu = time.perf_counter(), cpu()
    for first in range(0, len(parts), GROUP):
        merge_parts(centre, parts[first:first + GROUP], processes=processes)
    wall, spent = time.perf_counter() - start, cpu() - start_cpu
    how = "one process" if processes is False else "two processes"
    print(f"  fast copy ({how}), {(len(parts) + GROUP - 1) // GROUP} transaction(s): "
          f"{wall:7.1f} s wall {spent:7.1f} s CPU   load average after {load()}", flush=True)
    return centre


def totals(db) -> dict:
    from bench.bench_exchange import totals as office_totals
    return office_totals(db)


def check(centre, one: dict, parts: int, dossiers: int) -> None:
    from core.maintenance.audit import audit_findings
    merged = totals(centre)
    print(f"  indicators: one office {one}, merged {merged}, equal to {parts} ×: "
          f"{merged == {k: v * parts for k, v in one.items()}}", flush=True)
    if parts * dossiers <= 200_000:
        bad = [f.text for f in audit_findings(centre) if not f.ok]
        print("  check:", "every finding ok" if not bad else bad[:3], flush=True)


if __name__ == "__main__":
    main()
