"""Temporary files of an interrupted backup, restore or database creation are removed later.

Each such file carries the id of the process that wrote it (`.<name>.<pid>.part`,
`.motcua-restore-<pid>-….db`, `.<database>.<pid>.new`). A leftover is removed when that process
is gone, or, where that cannot be known (Windows), once it is older than an hour: a file still
being written by a running MotCua is never taken away from it.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

OLD_AFTER_SECONDS = 3600
_PID = re.compile(r"^\.(?:motcua-restore-(\d+)-.*|.*\.(\d+)\.(?:part|new))(?:-journal|-wal|-shm)?$")


def temporary_name(folder: Path, name: str, kind: str) -> Path:
    """The hidden name a file is written under before it gets `name` (kind: part | new)."""
    return folder / f".{name}.{os.getpid()}.{kind}"


def clean(*folders: Path) -> list[Path]:
    """Remove the leftovers of dead processes in `folders`; returns what was removed."""
    removed = []
    for folder in folders:
        if not folder or not Path(folder).is_dir():
            continue
        for file in Path(folder).iterdir():
            match = _PID.match(file.name)
            if match and _abandoned(file, int(match.group(1) or match.group(2))):
                try:
                    file.unlink()
                    removed.append(file)
                except OSError:
                    continue  # read-only folder or in use: left for a later start
    return removed


def _abandoned(file: Path, pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process may be writing it right now
    if os.name == "posix":
        try:
            os.kill(pid, 0)  # signal 0 only asks whether the process exists
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # alive, another user's
    try:
        return time.time() - file.stat().st_mtime > OLD_AFTER_SECONDS
    except OSError:
        return False
