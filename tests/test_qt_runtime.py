"""The pinned Qt binding keeps Python's reference counts.

PySide6 6.12.0 lost one reference to True on every `Signal.emit(True)` and one to None on every
`processEvents()`; on Python 3.11 (not immortal objects) a long session then aborted with
"Fatal Python error: bool_dealloc". The script runs in its own process so an abort fails this
test instead of killing the test run.
"""
from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

app = QCoreApplication([])


class Source(QObject):
    flag = Signal(bool)


source = Source()
source.flag.connect(lambda value: None)
true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
for _ in range(3000):
    source.flag.emit(True)
    app.processEvents()
print(true_before - sys.getrefcount(True), none_before - sys.getrefcount(None))
"""


def test_signals_and_event_processing_keep_reference_counts():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120, env=_env() | {"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    lost_true, lost_none = (int(n) for n in done.stdout.split())
    assert abs(lost_true) < 50 and abs(lost_none) < 50, done.stdout


def _env() -> dict[str, str]:
    import os
    return dict(os.environ)
