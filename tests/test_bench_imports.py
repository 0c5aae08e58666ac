"""Every module of bench/ still imports against the code it measures: a bench wrapping a step
the code no longer has (bench_exchange_split.py wrapped merge._open_all for nine rounds after it
went) fails here rather than on the night someone needs it. Nothing is run: each module's work
is behind its `__main__` guard; the imports are made in a process of their own, since some
benches wrap the merge's functions when imported."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(path.stem for path in (ROOT / "bench").glob("*.py") if path.stem != "__init__")

IMPORT_EACH = """
import importlib, json, sys, traceback
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module("bench." + name)
    except BaseException:  # SystemExit too: a bench parsing arguments on import
        failed[name] = traceback.format_exc(limit=-1).strip().splitlines()[-1]
print(json.dumps(failed))
"""


def test_every_bench_module_imports():
    assert "bench_exchange_split" in MODULES and "run_all" in MODULES  # the glob found them
    done = subprocess.run([sys.executable, "-c", IMPORT_EACH, *MODULES], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-2000:]
    failed = json.loads(done.stdout.strip().splitlines()[-1])
    assert failed == {}, failed
