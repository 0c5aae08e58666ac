"""The exchange merge's steps timed on packages made once, by any checkout's code (issue 16 §3).

    python bench/bench_merge_steps.py make FOLDER [PACKAGES] [DOSSIERS]   (default 50 20000)
    python bench/bench_merge_steps.py TREE FOLDER [PACKAGES] [defer | defer-all]

`make`: one demo office (seed 1), its format-3 package, and PACKAGES packages derived from it
as bench_exchange.py derives them (`derive_rows`), kept in FOLDER. Then TREE's code (a
checkout: this one, /work/main …) merges the first PACKAGES of them into a fresh centre in one
operation on the bulk path, and the wall and CPU of each step of the main process are printed
(summed over the packages; CPU: the thread's that ran the step), with the CPU of both
processes, of the main process (all its threads) and of its main thread, the load average,
and what the centre holds (the chain's head, the dossiers, search hits): run two trees one
after the other, and again, to compare them on the very same files on a shared machine
(docs/speed.md, eleventh round). Since the sixteenth round also every thread of the main
process (`Threads`: the verifications, the screens, the ledger's, multiprocessing's) and the
second process's CPU job by job (`child_wrappers`), so that both processes' CPU adds up.

`defer` (twenty-second round): the search index of the merged dossiers left out of the merge's
transaction — no key asked of the second process, no fill at the end of `fulltext.deferred` —
and brought up to date after the COMMIT (and the checkpoint) as its own phase, by the view's
keys, FILL_CHUNK dossiers a transaction (`catch_up`), as a deferred index would: its wall and
CPU printed apart, and FTS5's integrity-check run on the result so the phase is shown complete.
`defer-all`: besides, the dossiers' secondary indexes the bulk path drops are not made again
inside the transaction but after the COMMIT, in a transaction of their own (timed apart, before
the search index's catch-up): the floor of "data committed first, everything derived after".
A measurement of the design only: TREE's code is patched here, nothing of it changes.

`BENCH_DROP_INDEXES=name,name` (twenty-fourth round): those indexes of the fresh centre dropped
before the merge, as a schema without them would have it: what dropping them would save.

Twenty-seventh round: each step also says how long its thread waited for a core ("crowded
out": runnable, none free; Linux's schedstat), so that its wall less its CPU less that is what
it was blocked (a chain, a screen, a later job: `_Later.get`, timed as a step of its own);
`BENCH_TIMELINE=FILE` appends each step's start and end (time.time) and CPU from both
processes to FILE, to see who waits for whom. `bench/digest_centre.py` digests a kept centre.
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
TIMELINE = "BENCH_TIMELINE"  # twenty-seventh round: a file for each step's start and end


def run_delay() -> float:
    """Seconds this thread has waited on a run queue, runnable but not running (Linux:
    /proc/thread-self/schedstat's second field; 0 elsewhere): a step's wall less its CPU less
    this is the time it was blocked (I/O, a lock, a result waited for), not crowded out."""
    try:
        with open("/proc/thread-self/schedstat") as file:
            return int(file.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


DELAY: dict[str, float] = collections.defaultdict(float)  # each step's run-queue wait


def mark(label: str, start: float, end: float, cpu: float) -> None:
    """One step's absolute start and end (time.time) and its CPU, a line in the file
    BENCH_TIMELINE names (both processes append to it): who waits for whom, in time."""
    out = os.environ.get(TIMELINE)
    if out:
        with open(out, "a") as file:
            file.write(f"{os.getpid()}\t{label.strip()}\t{start:.3f}\t{end:.3f}\t{cpu:.3f}\n")


def wrap(owner, name: str, label: str) -> None:
    if not hasattr(owner, name):  # a step the tree's code does not have
        return
    real = getattr(owner, name)
    ORDER.append(label)

    def timed(*a, **k):
        s, c, at, q = time.perf_counter(), time.thread_time(), time.time(), run_delay()
        try:
            return real(*a, **k)
        finally:
            DELAY[label] += run_delay() - q
            t = T[label]
            t[0] += time.perf_counter() - s
            t[1] += time.thread_time() - c
            t[2] += 1
            mark(label, at, time.time(), time.thread_time() - c)
    setattr(owner, name, timed)


def wrap_sample(owner, name: str, threads) -> None:
    """The threads' CPU read just before `owner.name` runs (a pool's shutdown: its threads'
    last reading)."""
    if not hasattr(owner, name):
        return
    real = getattr(owner, name)

    def sampled(*a, **k):
        threads.sample()
        return real(*a, **k)
    setattr(owner, name, sampled)


def wrap_cm(owner, name: str, enter: str | None, leave: str | None) -> None:
    """A context manager's start and end timed apart (the thread's CPU): the transaction's
    BEGIN and COMMIT, the end of the search index's deferral (its fill), the indexes made
    again at the end of the bulk path."""
    if not hasattr(owner, name):
        return
    real = getattr(owner, name)
    ORDER.extend(label for label in (enter, leave) if label is not None)

    def timed_part(label, step, *a):
        s, c, at, q = time.perf_counter(), time.thread_time(), time.time(), run_delay()
        try:
            return step(*a)
        finally:
            if label is not None:
                DELAY[label] += run_delay() - q
                t = T[label]
                t[0] += time.perf_counter() - s
                t[1] += time.thread_time() - c
                t[2] += 1
                mark(label, at, time.time(), time.thread_time() - c)

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


class Threads:
    """Every thread of this process, its CPU read from /proc (schedstat: nanoseconds on a CPU)
    every PERIOD and named by the Python thread that runs it (its name, with its target's:
    "motcua-open_0", "motcua-screen_0", "motcua-ledger_0", "Thread-4 (_handle_results)" …),
    so that the main process's CPU outside its main thread is named thread by thread (a
    thread's last reading taken when the pools are shut down: `sample` before each `close`).
    Linux only (none printed elsewhere)."""
    PERIOD = 0.25

    def __init__(self) -> None:
        import threading
        self.threading = threading
        self.cpu: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, name="bench-sampler", daemon=True)
        self.base: dict[int, float] = {}

    def start(self) -> None:
        """The threads' CPU so far taken as the start (the main thread's imports and setup)."""
        self.sample()
        self.base = dict(self.cpu)
        self.thread.start()

    def run(self) -> None:
        while not self.done.wait(self.PERIOD):
            self.sample()

    def sample(self) -> None:
        with self.lock:
            known = {t.native_id: t.name for t in self.threading.enumerate()}
            try:
                tids = os.listdir("/proc/self/task")
            except OSError:
                return
            for tid in map(int, tids):
                try:
                    with open(f"/proc/self/task/{tid}/schedstat") as file:
                        ns = int(file.read().split()[0])
                except (OSError, ValueError, IndexError):
                    continue
                self.cpu[tid] = ns / 1e9
                if tid in known:
                    self.names[tid] = known[tid]
                else:
                    self.names.setdefault(tid, f"(no Python thread {tid})")

    def stop(self) -> None:
        self.sample()
        self.done.set()
        self.thread.join()

    def cpu_of(self, name: str) -> float:
        return sum(cpu - self.base.get(tid, 0.0) for tid, cpu in self.cpu.items()
                   if self.names[tid] == name)

    def by_kind(self) -> list[tuple[str, float, int]]:
        """(kind, CPU, threads): the threads grouped by their name less its number."""
        import re
        kinds: dict[str, list] = collections.defaultdict(lambda: [0.0, 0])
        for tid, cpu in self.cpu.items():
            cpu -= self.base.get(tid, 0.0)
            kind = re.sub(r"^Thread-\d+ ", "", re.sub(r"_\d+$", "", self.names[tid]))
            kinds[kind][0] += cpu
            kinds[kind][1] += 1
        return sorted(((k, c, n) for k, (c, n) in kinds.items()), key=lambda x: -x[1])


JOBS_FILE = "BENCH_MERGE_JOBS"  # the environment variable naming the second process's file


def child_wrappers() -> None:
    """In the second process (spawned: this module imported as __mp_main__, the tree's path
    already on sys.path): each job the main process gives it (fastcopy's, looked up by name
    when unpickled) timed (its thread CPU, the process's CPU at its end), one line a job
    into the file the main process named."""
    out = os.environ.get(JOBS_FILE)
    if not out:
        return
    try:  # each job looked up in the module that defines it (the one the child unpickles from)
        from core.exchange.fastcopy import chain_jobs, facts_job, keys
    except ImportError:
        return
    homes = {"_ahead": chain_jobs, "_tails_job": chain_jobs, "_facts_job": facts_job,
             "_keys_job": keys, "_marks_total": facts_job}
    started = time.process_time()  # the spawned interpreter's start and imports before it

    def wrapped(name: str):
        real = getattr(homes[name], name)

        def timed(*a, **k):
            s, c, at = time.perf_counter(), time.thread_time(), time.time()
            try:
                return real(*a, **k)
            finally:
                mark(name, at, time.time(), time.thread_time() - c)
                with open(out, "a") as file:
                    file.write(f"{name}\t{time.perf_counter() - s:.6f}\t"
                               f"{time.thread_time() - c:.6f}\t{time.process_time():.6f}\t"
                               f"{started:.6f}\n")
        timed.__name__ = timed.__qualname__ = name
        return timed
    for name in ("_ahead", "_tails_job", "_facts_job", "_keys_job",
                 "_marks_total"):
        setattr(homes[name], name, wrapped(name))


def child_report(path: str) -> None:
    """The second process's jobs, per kind (`child_wrappers`' file): CPU and wall, and its
    CPU outside them (start, imports, pickling the results) by its last reading."""
    try:
        lines = [line.split("\t") for line in Path(path).read_text().splitlines()]
    except OSError:
        return
    kinds: dict[str, list] = collections.defaultdict(lambda: [0.0, 0.0, 0])
    last = started = 0.0
    for name, wall, cpu, process, start in lines:
        kinds[name][0] += float(wall)
        kinds[name][1] += float(cpu)
        kinds[name][2] += 1
        last, started = max(last, float(process)), float(start)
    in_jobs = sum(c for _w, c, _n in kinds.values())
    print("  second process, by job (its main thread's CPU):")
    for name, (wall, cpu, n) in sorted(kinds.items(), key=lambda x: -x[1][1]):
        print(f"    {name:<42} {wall:8.2f} s wall {cpu:7.2f} s CPU  ×{n}")
    print(f"    {'start and imports (before its first job)':<42} {'':>15} {started:7.2f} s CPU")
    print(f"    {'the rest (its loop, pickling, by its last job)':<42} {'':>15} "
          f"{last - started - in_jobs:7.2f} s CPU")
    print(f"    {'its CPU at its last job':<42} {'':>15} {last:7.2f} s CPU")


if __name__ == "__mp_main__":
    child_wrappers()


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


def defer_search(fastcopy, fulltext) -> dict:
    """The merge without its search index (`defer`): the second process asked for no key, the
    fill at the end of `deferred` skipped; the first id it would have indexed kept."""
    skipped: dict = {}
    fastcopy.Copier.ask_keys = lambda self, *a, **k: None

    def index_new(conn, new_from, given=()):
        skipped["from"] = new_from
    fulltext.index_new = index_new
    return skipped


def defer_indexes(bulk_path) -> list:
    """The bulk path's dropped indexes not made again (`defer-all`): dropped as
    core.bulk.without_indexes drops them, their SQL kept for after the COMMIT."""
    from core import bulk  # the tree measured (on sys.path by now)
    kept: list = []

    @contextlib.contextmanager
    def without(conn, tables, partial=True):
        indexes = bulk.droppable_indexes(conn, tables, partial)
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        yield
        kept.extend(sql for _, sql in indexes)
    bulk_path.without_indexes = without
    return kept


def catch_up(conn, fulltext, searchtext, new_from: int, chunk: int) -> tuple[int, int]:
    """The dossiers from `new_from` on indexed by their computed keys, `chunk` ids a
    transaction (what a deferred index's catch-up commits between two reports of progress):
    (transactions, dossiers indexed)."""
    searchtext.register(conn)
    last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossier_rows").fetchone()[0]
    done = transactions = 0
    low = new_from
    while low <= last:
        high = min(low + chunk, last + 1)
        conn.execute("BEGIN IMMEDIATE")
        fulltext._buffer(conn, fulltext.BULK_BUFFER)
        cursor = conn.execute(f"SELECT id, search_key FROM {fulltext.VIEW} WHERE id >= ? AND "
                              "id < ? ORDER BY id", [low, high])
        rows = cursor.fetchall()
        conn.executemany(f"INSERT INTO {fulltext.TABLE}(rowid, search_key) VALUES (?, ?)", rows)
        fulltext._buffer(conn, fulltext.DEFAULT_BUFFER)
        conn.execute("COMMIT")
        done += len(rows)
        transactions += 1
        low = high
    return transactions, done


def merge(tree: str, folder: Path, packages: int, defer: str | None = None) -> None:
    sys.path.insert(0, tree)
    from core.database import open_database
    from core.exchange import bulk as bulk_path
    from core.exchange import fastcopy, merge, package
    from core.exchange.fastcopy import ahead, copy_part, ledger_sums
    from db import fulltext, searchtext
    skipped = defer_search(fastcopy, fulltext) if defer else None
    later = defer_indexes(bulk_path) if defer == "all" else None
    wrap(package.PackageReader, "__init__", "open + verify, each package (thread)")
    wrap(merge, "_open_all", "open + verify, all packages")
    # fourteenth round: the cheap half before the transaction (__init__ above), the rest in
    # threads ahead of the merge (`verify`, CPU of its thread), waited for by the main thread
    wrap(package.PackageReader, "verify", "verify, each package (threads, ahead)")
    from core.exchange import part as rows_part
    wrap(package.PackageReader, "_extract", "  verify: extraction (inflate, SHA-256, file) (threads)")
    wrap(rows_part, "open_checked", "  verify: the part's checks, open_checked (threads)")
    wrap(rows_part, "counts", "  verify: the part's counts (threads)")
    wrap(merge._Opening if hasattr(merge, "_Opening") else merge, "open",
         "open, before the transaction (main thread)")
    wrap(merge._Opening if hasattr(merge, "_Opening") else merge, "verified",
         "waits for a package verified (main thread)")
    wrap(merge._Opening if hasattr(merge, "_Opening") else merge, "settled",
         "waits for the next part to screen (main thread)")
    wrap_cm(merge, "transaction", "BEGIN (the transaction started)", None)
    wrap(merge._Run, "merge_all", "merge_all (inside the transaction)")
    if hasattr(merge._Run, "units_first"):  # (thirty-third round)
        wrap(merge._Run, "units_first", "  units first (all verified; units, links, dates)")
        wrap(merge._Run, "_dates_early", "    of which: dossiers outside a unit's dates")
    from core.exchange import two_routes  # thirty-sixth round: asked once a package
    wrap(two_routes, "warning", "  two routes' note (each package)")
    wrap(merge._Merger, "_catalogue", "  catalogue")
    wrap(merge._Merger, "_copy_new", "  SQL copy (_copy_new)")
    wrap(merge, "_load", "    deserialize")
    wrap(fastcopy, "screen", "    screen")
    wrap(fastcopy.Copier, "screened", "    screen: the part's own (waited for)")
    # thirteenth round: the part's own screen in a thread of the main process, ahead
    wrap(ahead, "_screen_job", "screen: the part's own, each (thread, ahead)")
    wrap(copy_part, "_with_known", "    screen: the centre's codes")
    wrap(copy_part, "_judge", "    judge")
    wrap(ledger_sums, "_ledger_job", "ledger sums, each part (thread, hash_later)")
    wrap(copy_part._Copy, "plan", "    plan (map)")
    wrap(copy_part._Copy, "dossiers", "    dossier rows")
    wrap(copy_part._Copy, "children", "    children rows")
    wrap(copy_part._Copy, "events", "    events (wait chain, insert)")
    wrap(copy_part._Copy, "words", "      of which: words")
    wrap(copy_part._Copy, "votes", "    votes")
    wrap(copy_part._Copy, "derived", "    derived")
    wrap(merge._Merger, "_dossiers", "  records' way: dossiers left")
    wrap(merge._Merger, "_votes", "  records' way: votes left")
    wrap_end(fulltext, "deferred", "  search index fill (the end of deferred)")
    from core.exchange.fastcopy import jobs as fastcopy_jobs  # (a tree before has it too)
    wrap(fastcopy_jobs._Later, "get", "    of which: waits for a later job (keys, facts)")
    wrap_cm(bulk_path, "indexes_dropped", "  indexes dropped", "  indexes made again")
    wrap(fastcopy.Copier, "finish", "  Copier.finish (kept facts)")
    wrap(fastcopy.Copier, "close", "  Copier.close (second process stopped)")
    wrap(merge._Run, "write_facts", "write_facts (kpi rows, refresh)")
    wrap_cm(merge, "transaction", None, "COMMIT (the transaction's end)")
    wrap(merge._Run, "detach", "parts detached")
    wrap(package.PackageReader, "close", "readers closed, files removed")
    threads = Threads()
    wrap_sample(merge._Opening, "close", threads)
    wrap_sample(fastcopy.Copier, "close", threads)
    jobs = folder / f"jobs-{os.getpid()}.txt"
    jobs.unlink(missing_ok=True)
    os.environ[JOBS_FILE] = str(jobs)
    target = folder / f"centre-{os.getpid()}.db"
    centre = open_database(target)
    # twenty-fourth round: a schema without some of the dossiers' indexes, measured before
    # it is made (the empty centre's indexes dropped; the parts' own schema is not touched)
    dropped = [n for n in os.environ.get("BENCH_DROP_INDEXES", "").split(",") if n]
    for name in dropped:
        centre.conn.execute(f"DROP INDEX {name}")
    paths = sorted(folder.glob("p[0-9]*.zip"))[:packages]
    spent = lambda: sum(os.times()[:4])  # noqa: E731 (this process and its finished children)
    load = os.getloadavg()[0]
    start, start_cpu, start_main = time.perf_counter(), spent(), time.process_time()
    start_thread = time.thread_time()
    threads.start()
    batch = merge.import_packages(centre, paths, bulk=True)
    threads.stop()
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
    caught = remade = None
    if later is not None:  # the dossiers' indexes after the COMMIT, in a transaction of theirs
        s, c = time.perf_counter(), time.thread_time()
        centre.conn.execute("BEGIN IMMEDIATE")
        for sql in later:
            centre.conn.execute(sql)
        centre.conn.execute("COMMIT")
        remade = (time.perf_counter() - s, time.thread_time() - c, len(later))
    if skipped is not None:  # the deferred index's catch-up, its own phase after the COMMIT
        s, c = time.perf_counter(), time.thread_time()
        raw = centre.conn
        made = catch_up(raw, fulltext, searchtext, skipped["from"], fulltext.FILL_CHUNK)
        caught = (time.perf_counter() - s, time.thread_time() - c, made)
        intact = fulltext.is_intact(raw)
    print(f"{tree}: {len(paths)} packages, {dict(batch.total('dossiers'))}"
          + (" (search index deferred)" if skipped is not None else "")
          + (f" (centre without {', '.join(dropped)})" if dropped else ""))
    for label in ORDER:
        if label in T:
            w, c, n = T[label]
            print(f"  {label:<44} {w:8.2f} s wall {c:7.2f} s CPU  ×{n}"
                  + (f"  (crowded out {DELAY[label]:.2f} s)" if DELAY[label] >= 0.005 else ""))
    for label, rest in accounts(thread):
        print(f"  ({label}: {rest:.2f} s CPU)")
    if after is None:
        print("  checkpoint after the operation: none (inside the COMMIT)")
    else:
        print(f"  {'checkpoint after the operation (its own step)':<44} {after[0]:8.2f} s wall "
              f"{after[1]:7.2f} s CPU  {after[2]}")
    print("  main process, by thread (CPU from /proc, the bench's sampler left out):")
    named = 0.0
    for kind, used, count in threads.by_kind():
        if kind == "bench-sampler":
            continue
        named += used
        print(f"    {kind:<42} {used:7.2f} s CPU  ({count} thread{'s' if count > 1 else ''})")
    own = threads.cpu_of("bench-sampler")
    print(f"    {'(the bench sampler itself)':<42} {own:7.2f} s CPU")
    print(f"    {'(process CPU not in these: dead threads …)':<42} "
          f"{main - named - own:7.2f} s CPU")
    child_report(str(jobs))
    jobs.unlink(missing_ok=True)
    print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s (both processes), main process {main:.1f} s; "
          f"its main thread {thread:.1f} s; load average {load:.2f} → {os.getloadavg()[0]:.2f}")
    if after is not None:
        print(f"  wall with the checkpoint after: {wall + after[0]:.1f} s; CPU with it: "
              f"{cpu + after[1]:.1f} s (both processes)")
    if caught is not None:
        print(f"  merge until its COMMIT (data and indicators usable): wall {wall:.1f} s, CPU "
              f"{cpu:.1f} s both processes")
        print(f"  search index caught up after it (its own phase): {caught[0]:.2f} s wall "
              f"{caught[1]:.2f} s CPU, {caught[2][1]} dossiers in {caught[2][0]} transactions, "
              f"FTS5 integrity-check {'passed' if intact else 'FAILED'}")
        if remade is not None:
            print(f"  dossiers' {remade[2]} indexes made after it (their own transaction): "
                  f"{remade[0]:.2f} s wall {remade[1]:.2f} s CPU")
        more = (remade[0], remade[1]) if remade is not None else (0.0, 0.0)
        print(f"  total with the checkpoint and the catch-up: wall "
              f"{wall + (after[0] if after else 0) + caught[0] + more[0]:.1f} s, CPU "
              f"{cpu + (after[1] if after else 0) + caught[1] + more[1]:.1f} s")
    head = centre.execute("SELECT hex(hash) FROM events ORDER BY id DESC LIMIT 1").fetchone()[0]
    held = centre.execute("SELECT COUNT(*), total(length(facts)) FROM dossiers").fetchone()
    hits = centre.execute("SELECT COUNT(*) FROM dossiers_fts WHERE dossiers_fts MATCH 'Ngu'"
                          ).fetchone()[0]
    print(f"  head {head}, dossiers {held[0]} (facts {held[1]:.0f} bytes), search hits {hits}")
    centre.close()
    keep = os.environ.get("BENCH_KEEP_CENTRE")  # the merged centre kept there (a later study)
    if keep:
        target.replace(keep)
    for leftover in folder.glob(target.name + "*"):
        leftover.unlink()


if __name__ == "__main__":  # the second process (spawned) imports this module again
    if sys.argv[1] == "make":
        make(Path(sys.argv[2]), *(int(a) for a in sys.argv[3:5]))
    else:
        merge(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 50,
              defer={"defer": "search", "defer-all": "all"}.get(sys.argv[4]) if len(sys.argv) > 4
              else None)
