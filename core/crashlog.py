"""Real bugs go to a crash log in the data folder; the user sees only where it is.

Logs never carry citizens' personal data. A traceback's frames name files, lines and code,
which is safe; exception messages are not: a library's message may quote the data it choked
on (reportlab's LayoutError quoted a citizen's name and address). So a log keeps the message
only of our own exceptions, Python's built-in ones and SQLite's, and even those with quoted
values, long digit runs (phones, ID numbers) and any personal value the program
registered (`forget_later`) replaced by "[…]". Other libraries' messages are left out.
Locals of frames are never written. Each crash gets its own file, even two in one second.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import tempfile
import traceback
from pathlib import Path

from core import paths

log = logging.getLogger("motcua")

PROJECT_PACKAGES = ("core", "db", "gui", "main", "__main__")
HIDDEN = "[…]"
WITHHELD = "(nội dung lỗi của thư viện không được ghi, để không lộ dữ liệu cá nhân)"
# Quoted text, runs of 6+ digits (phones, ID numbers), e-mail addresses.
_PERSONAL = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|\+?\d[\d .-]{4,}\d|[\w.+-]+@[\w-]+\.[\w.]+")
_known: set[str] = set()


def configure(debug: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def forget_later(*values: str | None) -> None:
    """Register personal values (a dossier's name, address…) never to be written to a log."""
    _known.update(v for v in values if v and len(v) >= 3)


def redact(text: str) -> str:
    """`text` without quoted values, long digit runs, e-mails and registered personal values."""
    for value in sorted(_known, key=len, reverse=True):
        text = text.replace(value, HIDDEN)
    return _PERSONAL.sub(HIDDEN, text)


def _own(exc: BaseException) -> bool:
    """Exceptions whose messages we know the shape of: ours, Python's own and SQLite's."""
    module = type(exc).__module__.split(".")[0]
    return module in PROJECT_PACKAGES or module == "builtins" or isinstance(exc, sqlite3.Error)


def _message(exc: BaseException) -> str:
    name = f"{type(exc).__module__}.{type(exc).__qualname__}"
    if not _own(exc):
        return f"{name}: {WITHHELD}"
    return f"{name}: {redact(str(exc))}"


def _frames(exc: BaseException) -> list[str]:
    """File, line, function and code of each frame: code, never data."""
    summary = traceback.extract_tb(exc.__traceback__)
    return [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
            + (f"    {f.line.strip()}\n" if f.line else "") for f in summary]


def describe(exc: BaseException) -> str:
    """The text of a crash log for `exc` and the exceptions it was raised from."""
    chain, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts: list[str] = []
    for item in reversed(chain):
        if parts:
            parts.append("\nNgoại lệ trên dẫn đến ngoại lệ sau:\n\n")
        parts += ["Traceback (most recent call last):\n", *_frames(item), _message(item) + "\n"]
    return "".join(parts)


def write(exc: BaseException) -> Path:
    """Write the traceback of `exc` to a new crash log and return its path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = describe(exc)
    for folder in (paths.log_dir(), Path(tempfile.gettempdir()) / "MotCua-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return _new_file(folder, stamp, text)
        except OSError:
            continue  # the data folder may be read-only: fall back to the temp folder
    raise exc


def _new_file(folder: Path, stamp: str, text: str) -> Path:
    """crash-STAMP.log, or crash-STAMP-2.log … when a crash in the same second has it."""
    for number in range(1, 1000):
        target = folder / (f"crash-{stamp}.log" if number == 1 else f"crash-{stamp}-{number}.log")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return target
    raise FileExistsError(folder / f"crash-{stamp}.log")
