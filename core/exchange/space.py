"""Room on the disks before an operation of packages begins (issue 16 §3, sixteenth round).

A merge writes in two places: the centre's database (its WAL grows by about the rows written
and their indexes, then the file itself as they are checkpointed into it) and the temporary
folder (each format-3 package's rows part extracted, a few at a time: merge._Opening, _Run;
the search keys of every part copied, till the end). An old office PC with a few GB free
filled its disk late in a big month-end merge: rolled back, nothing lost, but after minutes.
`check_room` estimates both from the manifests and the zip's declared sizes (read before
anything is extracted) and refuses up front, naming the disk, what is free and what is
needed, before the transaction begins. The free space is asked of one small function
(`free_bytes`, a test gives its own), a disk told by its device (`disk_of`), a Windows drive
named by its letter (`disk_name`, pathlib's).

SQLite writes temporary files of its own during the merge (its temporary store is a file:
core.exchange.bulk `big_cache`), in a folder it chooses by its own rules, which is not always
Python's (`sqlite_temp_folder`): on Linux without TMPDIR, /var/tmp where Python uses /tmp.
That folder's disk is checked too, and named when it is the one short of room.
"""
from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from core.timefmt import vn_number
from db.errors import DatabaseEnvironmentError

# Measured (docs/speed.md, sixteenth round; bench/bench_temp_peak.py): merging 10 and 50
# packages of 20,000 dossiers into an empty centre, its file and WAL grew by 2.08 and 2.09
# times the rows parts' bytes (the WAL 1.04–1.05 times, the file as much at the checkpoint).
# A format-2 package's JSON Lines are 1.66 times the rows part of the same dossiers (3,000
# demo dossiers: 5.75 against 3.46 MB): 1.26 times their bytes. Each with a margin. The sizes
# are those the zip declares (zipfile never gives more; not the manifest's counts, which are
# checked only when the package is verified).
CENTRE_RATIO = 2.2
JSON_RATIO = 1.4
# The search keys' files of the parts copied (deflated, kept till the fill): 0.48 MB for a
# 18 MB part of 20,000 dossiers
KEYS_RATIO = 0.04
# SQLite's own temporary files (temporary tables, statement journals spilled past 64 KiB) at
# their peak: 59 MB beside 919 MB of rows parts merging 50 × 20,000 (docs/speed.md, 23rd
# round): 6.4 %, with a margin. Counted on every part's bytes (JSON Lines, 1.66 times the rows
# part of the same dossiers, then over-counted: on the safe side).
SQLITE_TEMP_RATIO = 0.08
SPARE = 100_000_000  # bytes left free on a disk beyond the estimate (package.SPACE_SPARE)
MB = 1_000_000

def free_bytes(folder: Path) -> int | None:
    """The bytes free on the disk that holds `folder`, None when the system does not say."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def disk_of(folder: Path) -> object:
    """Which disk holds `folder`: its device (on Windows the volume's serial number), else its
    drive or root as pathlib reads it."""
    try:
        return os.stat(folder).st_dev
    except OSError:
        return PurePath(os.path.abspath(folder)).anchor


def disk_name(folder: PurePath) -> str:
    """The disk as the clerk knows it: a Windows drive by its letter ("Ổ đĩa C:"), else the
    disk holding the folder."""
    if folder.drive:
        return f"Ổ đĩa {folder.drive}"
    return f"Ổ đĩa chứa thư mục {folder}"


@dataclass
class Need:
    """What the operation will write on one disk."""
    folder: Path
    centre: int = 0  # bytes the centre's database grows by
    temp: int = 0    # bytes of the temporary folder at its peak
    sqlite: int = 0  # bytes of SQLite's own temporary files at their peak


def estimate(parts: Iterable[tuple[int, bool]], held: int) -> tuple[int, int]:
    """(the centre's growth, the temporary folder's peak) in bytes for the packages given as
    (their parts' bytes, whether it is a rows part: format 3; else JSON Lines, read in place),
    at most `held` rows parts on disk at a time."""
    parts = list(parts)
    centre = sum(math.ceil(size * (CENTRE_RATIO if rows else JSON_RATIO))
                 for size, rows in parts)
    rows_parts = sorted((size for size, rows in parts if rows), reverse=True)
    temp = sum(rows_parts[:held]) + math.ceil(KEYS_RATIO * sum(rows_parts))
    return centre, temp


def sqlite_need(parts: Iterable[tuple[int, bool]]) -> int:
    """The bytes of SQLite's own temporary files at their peak for these packages (`estimate`'s
    `parts`)."""
    return math.ceil(SQLITE_TEMP_RATIO * sum(size for size, _ in parts))


def sqlite_temp_folder(environ: Mapping[str, str] | None = None,
                       windows: bool | None = None) -> Path:
    """The folder SQLite puts its temporary files in, by its own rules (sqlite3.c 3.40,
    unixTempFileDir and winGetTempname; MotCua never sets `PRAGMA temp_store_directory`,
    which would come first). Unix (Linux, macOS): SQLITE_TMPDIR, then TMPDIR, then /var/tmp,
    /usr/tmp, /tmp, "." — the first that is a folder SQLite may write in. Windows:
    GetTempPathW's, TMP, then TEMP, then USERPROFILE, then the Windows folder. SQLite reads
    the variables when Python loads sqlite3; MotCua changes none of them afterwards, so the
    process's environment now is theirs."""
    environ = os.environ if environ is None else environ
    if (os.name == "nt") if windows is None else windows:
        for name in ("TMP", "TEMP", "USERPROFILE"):
            if environ.get(name):
                return Path(environ[name])
        return Path(environ.get("SystemRoot") or environ.get("windir") or r"C:\Windows")
    for folder in (environ.get("SQLITE_TMPDIR"), environ.get("TMPDIR"),
                   "/var/tmp", "/usr/tmp", "/tmp"):
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return Path(folder)
    return Path(os.path.abspath("."))


def check_room(centre_path: str | Path | None, temp_folder: str | Path,
               parts: Iterable[tuple[int, bool]], held: int, what: str,
               sqlite_folder: str | Path | None = None) -> int | None:
    """Refuse (DatabaseEnvironmentError, kind "full": the command line's exit code 1) before
    anything is written when a disk has not the room the operation needs (`estimate`): the
    centre's (None: in memory), the temporary folder's and SQLite's own temporary folder's
    (`sqlite_folder`, by default `sqlite_temp_folder`), added when they are one disk.
    `what`: the operation, "nhập 50 gói". Returns the bytes the temporary folder's disk has
    beyond the need (None: not known, or no rows part), which merge._Run lets more parts'
    files wait in."""
    parts = list(parts)
    centre_bytes, temp_bytes = estimate(parts, held)
    needs: dict[object, Need] = {}
    if centre_path is not None:
        folder = Path(os.path.abspath(centre_path)).parent
        needs.setdefault(disk_of(folder), Need(folder)).centre += centre_bytes
    temp = Path(os.path.abspath(temp_folder))
    if temp_bytes:
        needs.setdefault(disk_of(temp), Need(temp)).temp += temp_bytes
    sqlite = Path(os.path.abspath(sqlite_temp_folder() if sqlite_folder is None
                                  else sqlite_folder))
    sqlite_bytes = sqlite_need(parts)
    if sqlite_bytes:
        needs.setdefault(disk_of(sqlite), Need(sqlite)).sqlite += sqlite_bytes
    beyond = None
    for need in needs.values():
        room = free_bytes(need.folder)
        wanted = need.centre + need.temp + need.sqlite + SPARE
        if room is not None and room < wanted:
            raise short_of(need.folder, room, wanted, what,
                           _uses(need, centre_path, temp, sqlite))
        if room is not None and need.temp:
            beyond = room - wanted
    return beyond


def _uses(need: Need, centre_path, temp: Path, sqlite: Path) -> list[str]:
    uses = []
    if need.centre:
        uses.append(f"cơ sở dữ liệu {centre_path} lớn thêm khoảng {_mb(need.centre)} MB trong "
                    "khi nhập")
    if need.temp:
        uses.append(f"thư mục tạm {temp} cần khoảng {_mb(need.temp)} MB")
    if need.sqlite:
        uses.append(f"tệp tạm của SQLite trong thư mục {sqlite} cần khoảng "
                    f"{_mb(need.sqlite)} MB")
    return uses


def short_of(folder: Path, room: int, wanted: int, what: str,
             uses: list[str] | None = None) -> DatabaseEnvironmentError:
    """The one message of a disk without the room an operation needs (checked up front here,
    or met while a part is extracted: core.exchange.package): the machine's problem, not the
    package's (kind "full": the command line's exit code 1)."""
    detail = f" ({'; '.join(uses)}; thêm {_mb(SPARE)} MB dự phòng)" if uses else ""
    return DatabaseEnvironmentError(
        f"{disk_name(Path(os.path.abspath(folder)))} còn trống {_mb(room)} MB, cần khoảng "
        f"{_mb(wanted)} MB để {what}{detail}. Hãy giải phóng ổ đĩa (xoá bớt tệp không cần, dọn "
        "Thùng rác) rồi nhập lại. Chưa ghi gì vào cơ sở dữ liệu.", "full")


def _mb(size: int) -> str:
    return vn_number(math.ceil(size / MB))
