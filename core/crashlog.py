"""Real bugs go to a crash log in the data folder; the user sees only where it is.

Logs never carry citizens' personal data: only tracebacks and messages of our own code, and the
logging setup below writes nothing about dossiers.
"""
from __future__ import annotations

import datetime as dt
import logging
import tempfile
import traceback
from pathlib import Path

from core import paths

log = logging.getLogger("motcua")


def configure(debug: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def write(exc: BaseException) -> Path:
    """Write the traceback of `exc` to a new crash log and return its path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for folder in (paths.log_dir(), Path(tempfile.gettempdir()) / "MotCua-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"crash-{stamp}.log"
            target.write_text(text, encoding="utf-8")
            return target
        except OSError:
            continue  # the data folder may be read-only: fall back to the temp folder
    raise exc
