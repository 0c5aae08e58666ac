"""The exchange merge's steps timed on packages made once, by any checkout's code (issue 16 §3).

    python bench/bench_merge_steps.py make FOLDER [PACKAGES] [DOSSIERS]   (default 50 20000)
    python bench/bench_merge_steps.py TREE FOLDER [PACKAGES]

`make`: one demo office (seed 1), its format-3 package, and PACKAGES packages derived from it
as bench_exchange.py derives them (`derive_rows`), kept in FOLDER. Then TREE's code (a
checkout: this one, /work/main …) merges the first PACKAGES of them into a fresh centre in one
operation on the bulk path, and the wall and CPU of each step of the main process are printed
(summed over the packages; CPU: the thread's that ran the step), with the CPU of both
processes, of the main process (all its threads) and of its main thread, the load average,
and what the centre holds (the chain's head, the dossiers, search hits): run two trees one
after the other, and again, to compare them on the very same files on a shared machine
(docs/speed.md, eleventh round).
"""
from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import sys
import time
from pathlib import Path

T: dict[str, list] = collections.defaultdict(lambda: [0.0, 0.0, 0])
ORDER: list[str] = []


def wrap(owner, name: str, label: str) -> None:
    if not hasattr(owner, name):  # a step the tree's code does not have
        return
    real = getattr(owner, name)
    ORDER.append(label)

    def timed(*a, **k):
        s, c = time.perf_counter(), time.thread_time()
        try:
            return real(*a, **k)
        finally:
            t = T[label]
            t[0] += time.perf_counter() - s
            t[1] += time.thread_time() - c
            t[2] += 1
    setattr(owner, name, timed)


def wrap_cm(owner, name: str, enter: str | None, leave: str | None) -> None:
    """A context manager's start and end timed apart (the thread's CPU): the transaction's
    BEGIN and COMMIT, the end of the search index's deferral (its fill), the indexes made
    again at the end of the bulk path."""
    if not hasattr(owner, name):
        return
    real = getattr(owner, name)
    ORDER.extend(label for label in (enter, leave) if label is not None)

    def timed_part(label, step, *a):
        s, c = time.perf_counter(), time.thread_time()
        try:
            return step(*a)
        finally:
            if label is not None:
                t = T[label]
                t[0] += time.perf_counter() - s
                t[1] += time.thread_time() - c
                t[2] += 1

    @contextlib.contextmanager
    def timed(*a, **k):
        manager = real(*a, **k)
        value = timed_part(enter, manager.__enter__)
        try:
            yield value
        except BaseException:
            if not manager.__exit__(*sys.exc_info()):
                raise
        else:
            timed_part(leave, manager.__exit__, None, None, None)
    setattr(owner, name, timed)


def wrap_end(owner, name: str, label: str) -> None:
    """A context manager's end timed (the search index's fill at the end of `deferred`)."""
    wrap_cm(owner, name, None, label)


def accounts(thread: float) -> list[tuple[str, float]]:
    """The main thread's CPU not named by a wrapped step, under each step that has named
    sub-steps (and at the top: the main thread's CPU less its top-level steps); the steps of
    other threads (marked "(thread)", "(threads, …)" or "(thread, …)") left out."""
    levels = [(label, len(label) - len(label.lstrip()), T[label][1]) for label in ORDER
              if label in T and "(thread" not in label]
    out = []
    named = sum(cpu for _label, depth, cpu in levels if depth == 0)
    out.append(("main thread, not in a step above", thread - named))
    for i, (label, depth, cpu) in enumerate(levels):
        children = []
        for other, other_depth, other_cpu in levels[i + 1:]:
            if other_depth <= depth:
                break
            if other_depth == depth + 2 and not other.strip().startswith("of which"):
                children.append(other_cpu)
        if children:
            out.append((f"{label.strip()}: not in its steps", cpu - sum(children)))
    return out


def make(folder: Path, packages: int = 50, dossiers: int = 20000) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import bench_exchange as be
    from core import demo
    from core.database import open_database
    from core.exchange import export_package
    folder.mkdir(parents=True, exist_ok=True)
    office = open_database(folder / "office.db")
    demo.generate(office, dossiers=dossiers, seed=1, today=be.TODAY)
    export_package(office, folder / "office-3.zip", dt.date(2024, 1, 1), format_version=3)
    office.close()
    for k in range(1, packages + 1):
        be.derive_rows(folder / "office-3.zip", folder / f"p{k:03d}.zip", k, packages)


def merge(tree: str, folder: Path, packages: int) -> None:
    sys.path.insert(0, tree)
    from core.database import open_database
    from core.exchange import bulk as bulk_path
    from core.exchange import fastcopy, merge, package
    from db import fulltext
    wrap(package.PackageReader, "__init__", "open + verify, each package (thread)")
    wrap(merge, "_open_all", "open + verify, all packages")
    # fourteenth round: the cheap half before the transaction (__init__ above), the rest in
    # threads ahead of the merge (`verify`, CPU of its thread), waited for by the main thread
    wrap(package.PackageReader, "verify", "verify, each package (threads, ahead)")
    wrap(merge._Opening if hasattr(merge, "_Opening") else merge, "open",
         "open, before the transaction (main thread)")
    wrap(merge._Opening if hasattr(merge, "_Opening") else merge, "verified",
         "waits for a package verified (main thread)")
    wrap(merge._Opening if hasattr(merge, "_Opening") else merge, "settled",
         "waits for the next part to screen (main thread)")
    wrap_cm(merge, "transaction", "BEGIN (the transaction started)", None)
    wrap(merge._Run, "merge_all", "merge_all (inside the transaction)")
    wrap(merge._Merger, "_catalogue", "  catalogue")
    wrap(merge._Merger, "_copy_new", "  SQL copy (_copy_new)")
    wrap(merge, "_load", "    deserialize")
    wrap(fastcopy, "screen", "    screen")
    wrap(fastcopy.Copier, "screened", "    screen: the part's own (waited for)")
    # thirteenth round: the part's own screen in a thread of the main process, ahead
    wrap(fastcopy, "_screen_job", "screen: the part's own, each (thread, ahead)")
    wrap(fastcopy, "_with_known", "    screen: the centre's codes")
    wrap(fastcopy, "_judge", "    judge")
    wrap(fastcopy._Copy, "plan", "    plan (map)")
    wrap(fastcopy._Copy, "dossiers", "    dossier rows")
    wrap(fastcopy._Copy, "children", "    children rows")
    wrap(fastcopy._Copy, "events", "    events (wait chain, insert)")
    wrap(fastcopy._Copy, "words", "      of which: words")
    wrap(fastcopy._Copy, "votes", "    votes")
    wrap(fastcopy._Copy, "derived", "    derived")
    wrap(merge._Merger, "_dossiers", "  records' way: dossiers left")
    wrap(merge._Merger, "_votes", "  records' way: votes left")
    wrap_end(fulltext, "deferred", "  search index fill (the end of deferred)")
    wrap_cm(bulk_path, "indexes_dropped", "  indexes dropped", "  indexes made again")
    wrap(fastcopy.Copier, "finish", "  Copier.finish (kept facts)")
    wrap(fastcopy.Copier, "close", "  Copier.close (second process stopped)")
    wrap(merge._Run, "write_facts", "write_facts (kpi rows, refresh)")
    wrap_cm(merge, "transaction", None, "COMMIT (the transaction's end)")
    wrap(merge._Run, "detach", "parts detached")
    wrap(package.PackageReader, "close", "readers closed, files removed")
    target = folder / f"centre-{os.getpid()}.db"
    centre = open_database(target)
    paths = sorted(folder.glob("p[0-9]*.zip"))[:packages]
    spent = lambda: sum(os.times()[:4])  # noqa: E731 (this process and its finished children)
    load = os.getloadavg()[0]
    start, start_cpu, start_main = time.perf_counter(), spent(), time.process_time()
    start_thread = time.thread_time()
    batch = merge.import_packages(centre, paths, bulk=True)
    wall, cpu, main = time.perf_counter() - start, spent() - start_cpu, time.process_time() - start_main
    thread = time.thread_time() - start_thread
    # sixteenth round: the COMMIT checkpoints nothing; the checkpoint runs afterwards (the GUI's
    # worker once the clerk has the result, `exchange import` before it exits): timed here
    # on its own, and added to the wall below, so that no work is hidden
    from db import connection
    after = None
    if hasattr(connection, "checkpoint"):
        s, c = time.perf_counter(), time.thread_time()
        rows = connection.checkpoint(centre.conn)
        after = (time.perf_counter() - s, time.thread_time() - c, rows)
    print(f"{tree}: {len(paths)} packages, {dict(batch.total('dossiers'))}")
    for label in ORDER:
        if label in T:
            w, c, n = T[label]
            print(f"  {label:<44} {w:8.2f} s wall {c:7.2f} s CPU  ×{n}")
    for label, rest in accounts(thread):
        print(f"  ({label}: {rest:.2f} s CPU)")
    if after is None:
        print("  checkpoint after the operation: none (inside the COMMIT)")
    else:
        print(f"  {'checkpoint after the operation (its own step)':<44} {after[0]:8.2f} s wall "
              f"{after[1]:7.2f} s CPU  {after[2]}")
    print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s (both processes), main process {main:.1f} s; "
          f"its main thread {thread:.1f} s; load average {load:.2f} → {os.getloadavg()[0]:.2f}")
    if after is not None:
        print(f"  wall with the checkpoint after: {wall + after[0]:.1f} s; CPU with it: "
              f"{cpu + after[1]:.1f} s (both processes)")
    head = centre.execute("SELECT hex(hash) FROM events ORDER BY id DESC LIMIT 1").fetchone()[0]
    held = centre.execute("SELECT COUNT(*), total(length(facts)) FROM dossiers").fetchone()
    hits = centre.execute("SELECT COUNT(*) FROM dossiers_fts WHERE dossiers_fts MATCH 'Ngu'"
                          ).fetchone()[0]
    print(f"  head {head}, dossiers {held[0]} (facts {held[1]:.0f} bytes), search hits {hits}")
    centre.close()
    for leftover in folder.glob(target.name + "*"):
        leftover.unlink()


if __name__ == "__main__":  # the second process (spawned) imports this module again
    if sys.argv[1] == "make":
        make(Path(sys.argv[2]), *(int(a) for a in sys.argv[3:5]))
    else:
        merge(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 50)
