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
"""
from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterable
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


def check_room(centre_path: str | Path | None, temp_folder: str | Path,
               parts: Iterable[tuple[int, bool]], held: int, what: str) -> int | None:
    """Refuse (DatabaseEnvironmentError, kind "full": the command line's exit code 1) before
    anything is written when a disk has not the room the operation needs (`estimate`): the
    centre's (None: in memory) and the temporary folder's, added when they are one disk.
    `what`: the operation, "nhập 50 gói". Returns the bytes the temporary folder's disk has
    beyond the need (None: not known, or no rows part), which merge._Run lets more parts'
    files wait in."""
    centre_bytes, temp_bytes = estimate(parts, held)
    needs: dict[object, Need] = {}
    if centre_path is not None:
        folder = Path(os.path.abspath(centre_path)).parent
        needs.setdefault(disk_of(folder), Need(folder)).centre += centre_bytes
    temp = Path(os.path.abspath(temp_folder))
    if temp_bytes:
        needs.setdefault(disk_of(temp), Need(temp)).temp += temp_bytes
    beyond = None
    for need in needs.values():
        room = free_bytes(need.folder)
        wanted = need.centre + need.temp + SPARE
        if room is not None and room < wanted:
            raise short_of(need.folder, room, wanted, what, _uses(need, centre_path, temp))
        if room is not None and need.temp:
            beyond = room - wanted
    return beyond


def _uses(need: Need, centre_path, temp: Path) -> list[str]:
    uses = []
    if need.centre:
        uses.append(f"cơ sở dữ liệu {centre_path} lớn thêm khoảng {_mb(need.centre)} MB trong "
                    "khi nhập")
    if need.temp:
        uses.append(f"thư mục tạm {temp} cần khoảng {_mb(need.temp)} MB")
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
