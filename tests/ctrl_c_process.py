"""A program run as a terminal runs it, sent Ctrl+C as a terminal sends it: SIGINT to its whole
process group (its helper processes too), once it has said it waits at a known point. No
timing: the program's hook writes `marker` (how many child processes run) when it waits there,
and, for a second Ctrl+C, `heard` once it has heard the first (tests/core/test_stopping.py,
tests/core/exchange/test_cli_ctrl_c.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def _wait_for(path: Path, process: subprocess.Popen, end: float) -> None:
    while not path.exists() and process.poll() is None and time.monotonic() < end:
        time.sleep(0.02)
    assert path.exists(), process.communicate(timeout=60)


def run_interrupted(command: list[str], env: dict, cwd: Path, marker: Path,
                    heard: Path | None = None, sent: Path | None = None,
                    timeout: float = 120) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, child processes at the wait) of `command`, Ctrl+C sent to
    its process group once `marker` exists, and once more once `heard` exists (if given);
    `sent` (if given) is made once the Ctrl+C has been sent (a helper process waits on it);
    `timeout`: seconds it has to end after the Ctrl+C."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE,
                               start_new_session=True)  # its own group: the Ctrl+C, to it alone
    try:
        end = time.monotonic() + 120
        _wait_for(marker, process, end)
        children = int(marker.read_text())
        os.killpg(process.pid, signal.SIGINT)
        if sent is not None:
            sent.write_text("sent", encoding="utf-8")
        if heard is not None:
            _wait_for(heard, process, end)
            os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode, out.decode("utf-8"), err.decode("utf-8"), children
