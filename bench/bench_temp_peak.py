"""What a merge of many packages puts on the disk, by any checkout's code (issue 16 §3).

    [BENCH_HELD_MOST=N] [BENCH_HELD_MAX=N] [BENCH_FREE_MB=N] \
        python bench/bench_temp_peak.py TREE FOLDER [PACKAGES]

TREE's code (a checkout: this one, /work/main …) merges the first PACKAGES packages of FOLDER
(made by bench_merge_steps.py make) into a fresh centre in one operation on the bulk path, as
bench_merge_steps.py does, with a temporary folder of its own (TMPDIR, inherited by the second
process), while a thread samples every 20 ms: the bytes of the files in the temporary folder
(the extracted rows parts, the search keys' files) and how many rows parts are there, and the
bytes of the centre's database file and its WAL above what they were before the merge. Prints
the peaks, the sum of the rows parts' sizes, the ratio of the centre's growth (WAL and file) to
them, and the merge's wall and CPU (both processes) and the chain's head (which must not move).
Run two trees one after the other, and again (docs/speed.md, sixteenth round). BENCH_FREE_MB:
the free space every disk says (a small disk: this branch bounds the parts held only when the
temporary folder's disk has not the room for all of them).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

SAMPLE_SECONDS = 0.02


class Sampler(threading.Thread):
    """The peaks of the temporary folder's files and of the centre's growth, sampled."""

    def __init__(self, temp: Path, centre: Path) -> None:
        super().__init__(daemon=True)
        self.temp, self.centre = temp, centre
        self.wal = Path(str(centre) + "-wal")
        self.base = self.db_bytes()
        self.peak_temp = self.peak_parts = self.peak_db = self.peak_wal = 0
        self.peak_hidden = self.peak_hidden_files = self.peak_all = self.peak_removed = 0
        self.samples = 0
        self.halt = threading.Event()

    def db_bytes(self) -> tuple[int, int]:
        return tuple(p.stat().st_size if p.exists() else 0 for p in (self.centre, self.wal))

    def sample(self) -> None:
        total = parts = 0
        for entry in os.scandir(self.temp):
            try:
                total += entry.stat().st_size
            except OSError:  # removed meanwhile
                continue
            parts += entry.name.startswith("motcua-goi-") and "khoa" not in entry.name
        db, wal = self.db_bytes()
        self.peak_temp = max(self.peak_temp, total)
        self.peak_parts = max(self.peak_parts, parts)
        self.peak_db = max(self.peak_db, db - self.base[0] + wal - self.base[1])
        self.peak_wal = max(self.peak_wal, wal)
        hidden, files, removed = hidden_bytes(self.temp)
        self.peak_hidden = max(self.peak_hidden, hidden)
        self.peak_hidden_files = max(self.peak_hidden_files, files)
        self.peak_removed = max(self.peak_removed, removed)
        self.peak_all = max(self.peak_all, total + hidden + removed)
        self.samples += 1

    def run(self) -> None:
        while not self.halt.wait(SAMPLE_SECONDS):
            self.sample()


def hidden_bytes(temp: Path) -> tuple[int, int, int]:
    """(bytes on the disk, files) of SQLite's own temporary files in `temp` (named
    "etilqs_…": the sorter's runs, a temporary table's or a statement journal's spill), and
    the bytes of the other files there already removed but still open (a rows part removed
    while a reader still holds it; not a name removed while another, a hard link, holds the
    file: the folder's listing counts it): this process's and its children's, each file once. On
    Linux SQLite unlinks its file as soon as it is opened, so no listing of the folder shows
    it: only /proc does, as a descriptor on a "(deleted)" file. Linux only."""
    pids = [os.getpid()]
    try:
        pids += [int(p) for p in Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
                 .read_text().split()]
    except OSError:
        return 0, 0, 0
    sqlite: dict[tuple[int, int], int] = {}
    removed: dict[tuple[int, int], int] = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if not (link.startswith(str(temp)) and link.endswith(" (deleted)")):
                    continue
                st = os.stat(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if st.st_nlink:  # another name still holds it (a part's hard link): listed
                continue
            kind = sqlite if Path(link).name.startswith("etilqs_") else removed
            kind[(st.st_dev, st.st_ino)] = st.st_blocks * 512
    return sum(sqlite.values()), len(sqlite), sum(removed.values())


def merge(tree: str, folder: Path, packages: int) -> None:
    sys.path.insert(0, tree)
    from core.database import open_database
    from core.exchange import merge as merging
    temp = Path(tempfile.gettempdir())
    target = temp.parent / f"centre-{os.getpid()}.db"  # (FOLDER may be read only)
    centre = open_database(target)
    paths = sorted(folder.glob("p[0-9]*.zip"))[:packages]
    parts = 0
    for path in paths:
        with zipfile.ZipFile(path) as package:
            parts += package.getinfo("rows.motcua").file_size
    # the modules that read the knobs: merge.py before round 25, the merge package's since
    readers = [merging] + [getattr(merging, name) for name in ("room", "part_files", "run_state")
                           if hasattr(merging, name)]
    for name in ("HELD_MOST", "HELD_MAX"):  # the bound's knobs, to weigh disk against time
        for module in readers:
            if os.environ.get(f"BENCH_{name}") and hasattr(module, name):
                setattr(module, name, int(os.environ[f"BENCH_{name}"]))
    space = next((m.space for m in readers if hasattr(m, "space")), None)
    if os.environ.get("BENCH_FREE_MB") and space is not None:  # a small disk
        space.free_bytes = lambda folder: int(os.environ["BENCH_FREE_MB"]) * 1_000_000
    waited = [0.0]
    if hasattr(merging._Run, "release"):  # this branch: a merged part's file let go (and the
        real = merging._Run.release       # waits for the copier's jobs on it, HELD_MAX)

        def release(self, reader):
            start = time.perf_counter()
            try:
                return real(self, reader)
            finally:
                waited[0] += time.perf_counter() - start
        merging._Run.release = release
    sampler = Sampler(temp, target)
    sampler.start()
    spent = lambda: sum(os.times()[:4])  # noqa: E731 (this process and its finished children)
    start, start_cpu = time.perf_counter(), spent()
    batch = merging.import_packages(centre, paths, bulk=True)
    wall, cpu = time.perf_counter() - start, spent() - start_cpu
    sampler.sample()
    sampler.halt.set()
    sampler.join()
    mb = 1e6
    print(f"{tree}: {len(paths)} packages, {dict(batch.total('dossiers'))}; the rows parts "
          f"{parts / mb:.1f} MB")
    print(f"  temporary folder: peak {sampler.peak_temp / mb:.1f} MB, at most "
          f"{sampler.peak_parts} rows parts at once ({sampler.samples} samples)")
    print(f"  SQLite's own temporary files there (unlinked, seen in /proc): peak "
          f"{sampler.peak_hidden / mb:.1f} MB on the disk, at most {sampler.peak_hidden_files} "
          f"at once; files removed but still open: peak {sampler.peak_removed / mb:.1f} MB; the "
          f"folder's disk use with both: peak {sampler.peak_all / mb:.1f} MB")
    print(f"  centre: peak growth (file + WAL) {sampler.peak_db / mb:.1f} MB = "
          f"{sampler.peak_db / parts:.2f} × the parts; WAL peak {sampler.peak_wal / mb:.1f} MB "
          f"= {sampler.peak_wal / parts:.2f} × the parts")
    print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s (both processes); load average "
          f"{os.getloadavg()[0]:.2f}; in _Run.release (its waits) {waited[0]:.2f} s wall")
    head = centre.execute("SELECT hex(hash) FROM events ORDER BY id DESC LIMIT 1").fetchone()[0]
    print(f"  head {head}")
    centre.close()
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    left = list(temp.iterdir())
    print(f"  left in the temporary folder after the merge: {len(left)} files")


def main() -> None:
    temp = Path(tempfile.mkdtemp(prefix="bench-temp-peak-")) / "tmp"
    temp.mkdir()
    os.environ["TMPDIR"] = str(temp)  # the second process (spawned) inherits it
    tempfile.tempdir = str(temp)
    try:
        merge(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 50)
    finally:
        shutil.rmtree(temp.parent, ignore_errors=True)


if __name__ == "__main__":  # the second process (spawned) imports this module again
    main()
