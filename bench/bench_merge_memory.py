"""The peak memory of a centre merging many format-3 packages in one operation (docs/speed.md,
"Peak memory with many format-3 parts").

    python bench/bench_merge_memory.py PACKAGES [DOSSIERS] [--against TREE] [--folder DIR]

Builds one demo office of DOSSIERS dossiers (default 20,000), derives PACKAGES format-3
packages from it as bench_exchange does (`derive_rows`, slots 1..PACKAGES), then merges them all
in ONE operation (bulk path) into a fresh, empty centre, in a fresh process per tree: this one,
and TREE's code (`--against /work/main`: the "before" on the very same files). `--folder`: the
packages are kept there and used again when present (`p01.zip` …, made for at least PACKAGES).

Prints, at each part's copy (core.exchange.fastcopy.Copier.copy) and at the end: the RSS and
peak RSS (/proc/self/status VmRSS, VmHWM: Linux), SQLite's own memory (sqlite3_memory_used,
through ctypes when Python's SQLite library is reachable) and glibc's heap (mallinfo2: arena,
in use, free), then the merge's wall and CPU seconds. Linux only (the figures are /proc's).
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What runs in the child, with the tree's code first on the path: argv = tree, centre, parts…
CHILD = """
import ctypes, os, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path


def status():
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) // 1024
    return out


def sqlite_used():
    try:
        import _sqlite3
        library = ctypes.CDLL(_sqlite3.__file__)
        library.sqlite3_memory_used.restype = ctypes.c_int64
        return lambda: library.sqlite3_memory_used() >> 20
    except (OSError, AttributeError):
        return lambda: -1


class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]


def heap():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = Info
    except (OSError, AttributeError):
        return ""
    info = libc.mallinfo2()
    return f"heap {info.arena >> 20:4d} in use {info.uordblks >> 20:4d} free {info.fordblks >> 20:4d}"


def line(label, used):
    now = status()
    print(f"{label:<14} RSS {now['VmRSS']:5d} MB  peak {now['VmHWM']:5d} MB  "
          f"SQLite {used():4d} MB  {heap()}", flush=True)


def main():
    from core.database import open_database
    from core.exchange import fastcopy
    from core.exchange.merge import import_packages
    used = sqlite_used()
    centre = open_database(Path(sys.argv[2]))
    copy, parts = fastcopy.Copier.copy, []

    def copying(self, part, **options):
        parts.append(part)
        line(f"part {len(parts)}", used)
        return copy(self, part, **options)

    fastcopy.Copier.copy = copying
    spent = lambda: sum(os.times()[:4])
    start, start_cpu = time.perf_counter(), spent()
    batch = import_packages(centre, [Path(p) for p in sys.argv[3:]], bulk=True)
    line("end", used)
    print(f"merged {dict(batch.total('dossiers'))} in {time.perf_counter() - start:.1f} s wall, "
          f"{spent() - start_cpu:.1f} s CPU; load average {os.getloadavg()[0]:.1f}", flush=True)
    centre.close()


if __name__ == "__main__":  # the second process is spawned: it imports this module again
    main()
"""


def packages(folder: Path, count: int, dossiers: int) -> list[Path]:
    paths = [folder / f"p{k:02d}.zip" for k in range(1, count + 1)]
    if all(path.exists() for path in paths):
        return paths
    sys.path.insert(0, str(ROOT))
    from bench.bench_exchange import TODAY, derive_rows
    from core import demo
    from core.database import open_database
    from core.exchange import export_package
    office = open_database(folder / "office.db")
    demo.generate(office, dossiers=dossiers, seed=1, today=TODAY)
    source = folder / "office-3.zip"
    export_package(office, source, dt.date(2024, 1, 1), format_version=3)
    office.close()
    for slot, path in enumerate(paths, 1):
        derive_rows(source, path, slot, count)
    return paths


def merge(tree: str, folder: Path, paths: list[Path]) -> None:
    print(f"--- {tree}: {len(paths)} packages in one operation", flush=True)
    script = folder / "merge_child.py"
    script.write_text(CHILD)
    centre = folder / "centre.db"
    subprocess.run([sys.executable, str(script), tree, str(centre), *map(str, paths)],
                   check=True)
    for leftover in folder.glob("centre.db*"):
        leftover.unlink()


def main() -> None:
    args = sys.argv[1:]
    against = keep = None
    if "--against" in args:
        at = args.index("--against")
        against = args[at + 1]
        del args[at:at + 2]
    if "--folder" in args:
        at = args.index("--folder")
        keep = Path(args[at + 1])
        del args[at:at + 2]
    count = int(args[0]) if args else 10
    dossiers = int(args[1]) if len(args) > 1 else 20000
    with tempfile.TemporaryDirectory() as temporary:
        folder = keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        paths = packages(folder, count, dossiers)
        work = Path(temporary)
        if against:
            merge(against, work, paths)
        merge(str(ROOT), work, paths)


if __name__ == "__main__":
    main()
