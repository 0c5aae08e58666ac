"""bench/bench_exchange.py with the merge's steps timed in the same run (wall, and CPU of the
thread that ran the step, summed over the packages; the second process's CPU is in the bench's
total). bench_merge_steps.py times the same steps, and more, on packages made once by any tree.

    python bench/bench_exchange_split.py 50 20000 one --format 3      (bench_exchange's arguments)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import bench_exchange as be  # noqa: E402
# bench_merge_steps's wrappers (maintained with the merge): a step the code no longer has is
# left out instead of failing the import (merge._open_all went with the fourteenth round's
# opening ahead; CPU is the calling thread's)
from bench.bench_merge_steps import ORDER, T, wrap  # noqa: E402
from core.exchange import fastcopy, merge, package  # noqa: E402
from core.exchange.fastcopy import copy_part  # noqa: E402

# opened ahead in threads since the fourteenth round (merge._Opening): what the main thread
# spends on it, not the readers' threads' sum (whose times overlap)
wrap(merge._Opening, "open", "open, before the transaction (main thread)")
wrap(merge._Opening, "verified", "  waits for a package verified (main thread)")
wrap(package.PackageReader, "_take_rows_part", "rows part extracted + checked (threads)")
wrap(merge._Run, "merge_all", "merge_all (inside the transaction)")
wrap(merge._Merger, "_catalogue", "  catalogue")
wrap(merge._Merger, "_copy_new", "  SQL copy (_copy_new)")
wrap(merge, "_load", "    deserialize")
wrap(fastcopy, "screen", "    screen")
wrap(copy_part, "_judge", "    judge")
wrap(copy_part._Copy, "submit", "    submit chain job")
wrap(copy_part._Copy, "plan", "    plan (map)")
wrap(copy_part._Copy, "dossiers", "    dossier rows")
wrap(copy_part._Copy, "children", "    children rows")
wrap(copy_part._Copy, "events", "    events (wait chain, insert)")
wrap(copy_part._Copy, "words", "      of which: words")
wrap(copy_part._Copy, "votes", "    votes")
wrap(copy_part._Copy, "derived", "    derived")
wrap(merge._Merger, "_dossiers", "  records' way: dossiers")
wrap(merge._Merger, "_votes", "  records' way: votes")
wrap(fastcopy.Copier, "finish", "  Copier.finish (kept facts)")
wrap(merge._Run, "write_facts", "write_facts (kpi rows, refresh)")
real_merge_in = be.merge_in


def merge_in(mode, folder, paths):
    T.clear()
    out = real_merge_in(mode, folder, paths)
    print(f"  split ({mode}), this process:", flush=True)
    for label in ORDER:
        if label in T:
            w, c, n = T[label]
            print(f"    {label:<46} {w:7.1f} s wall {c:7.1f} s CPU  ×{n}", flush=True)
    return out


if __name__ == "__main__":  # the second process (spawned) imports this module again
    be.merge_in = merge_in
    be.main()
