"""bench/bench_merge_steps.py measures the merge with its search index (and the dossiers'
indexes) left for after the COMMIT (`defer`, `defer-all`, docs/speed.md twenty-second round):
the phases it times must leave the very centre a plain merge leaves — the index complete
(FTS5's integrity-check), the same search hits, the same chain head. No timing asserted."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BENCH = ROOT / "bench" / "bench_merge_steps.py"


def _run(folder: Path, *mode: str) -> str:
    done = subprocess.run([sys.executable, str(BENCH), str(ROOT), str(folder), "2", *mode],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_deferred_phases_leave_the_same_centre(tmp_path):
    made = subprocess.run([sys.executable, str(BENCH), "make", str(tmp_path), "2", "400"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert made.returncode == 0, made.stderr[-3000:]
    plain = _run(tmp_path)
    final = re.search(r"head (\w+), dossiers (\d+) .*search hits (\d+)", plain)
    assert final is not None and int(final.group(2)) == 800 and int(final.group(3)) > 0
    for mode in ("defer", "defer-all"):
        out = _run(tmp_path, mode)
        assert "(search index deferred)" in out
        caught = re.search(r"caught up after it .*?, (\d+) dossiers in (\d+) transactions, "
                           r"FTS5 integrity-check (\w+)", out)
        assert caught is not None and caught.groups() == ("800", "1", "passed"), out
        assert ("indexes made after it" in out) == (mode == "defer-all")
        again = re.search(r"head (\w+), dossiers (\d+) .*search hits (\d+)", out)
        assert again is not None and again.groups() == final.groups()
