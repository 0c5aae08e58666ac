"""The size of a zip's central directory, read from the file's end before `zipfile` opens it.

`zipfile.ZipFile` builds an object for every entry of the central directory as it opens the
file, before any check of ours can run: a 46 MB .xlsx or package of 500,000 empty members took
330 MB and 20 seconds to be refused (round 18); four times as many would take gigabytes. The
end record (and the ZIP64 one) declares how many bytes the directory takes and how many entries
it holds, which is what zipfile reads, so a file whose directory is larger than any real
workbook's or package's is refused first (core.transfer.xlsx_guard, core.exchange.package).

The records are found the way CPython's zipfile._EndRecData finds them (the last 22 bytes
first, then the last signature in the comment's reach; the ZIP64 record immediately before
its locator), and where a hostile file could make the two readings differ (a signature inside
a record's own fields, a locator pointing elsewhere) every candidate is read and the largest
declaration counts: the guard may refuse a broken file zipfile would also refuse, never let
through one zipfile would list at length.
"""
from __future__ import annotations

import struct
from pathlib import Path

END = b"PK\x05\x06"            # end of central directory record (22 bytes + comment)
LOCATOR = b"PK\x06\x07"        # ZIP64 end of central directory locator (20 bytes)
END64 = b"PK\x06\x06"          # ZIP64 end of central directory record (56 bytes + extensible data)
END_SIZE, LOCATOR_SIZE, END64_SIZE = 22, 20, 56
ENTRY_MIN = 46                 # fixed part of one central directory entry: its least size
COMMENT_MAX = 65_535


def _declared(size: int, *entries: int) -> int:
    """Bytes a directory declares: its size, or its entries' least bytes if more."""
    return max(size, *(count * ENTRY_MIN for count in entries))


def _end64(handle, locator_at: int, filesize: int) -> int:
    """The largest directory the ZIP64 records around a locator at `locator_at` declare
    (0 without a locator): the one immediately before it (where zipfile reads) and the one
    it points at (where the format says)."""
    if locator_at < 0:
        return 0
    handle.seek(locator_at)
    locator = handle.read(LOCATOR_SIZE)
    if len(locator) != LOCATOR_SIZE or locator[:4] != LOCATOR:
        return 0
    best = 0
    pointed = struct.unpack_from("<Q", locator, 8)[0]
    for at in {locator_at - END64_SIZE, pointed}:
        if not 0 <= at <= filesize - END64_SIZE:
            continue
        handle.seek(at)
        record = handle.read(END64_SIZE)
        if len(record) == END64_SIZE and record[:4] == END64:
            here, total, size = struct.unpack_from("<QQQ", record, 24)
            best = max(best, _declared(size, here, total))
    return best


def directory_bytes(path: Path) -> int | None:
    """The bytes of the central directory the zip at `path` declares (the largest over every
    end record zipfile could read and its ZIP64 records, counting an entry at least 46 bytes),
    or None when no end record is found (not a zip: zipfile says so in its own words).
    OSError for a file that cannot be read."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        filesize = handle.tell()
        start = max(0, filesize - (COMMENT_MAX + 1 + END_SIZE))
        handle.seek(start)
        tail = handle.read()
        candidates = set()
        if len(tail) >= END_SIZE and tail[-END_SIZE:-END_SIZE + 4] == END:
            candidates.add(len(tail) - END_SIZE)        # zipfile: no comment, read first
        at = tail.rfind(END)
        if 0 <= at <= len(tail) - END_SIZE:
            candidates.add(at)                          # zipfile: after a comment
        if not candidates:
            return None
        best = 0
        for at in candidates:
            here, total, size = struct.unpack_from("<HHI", tail, at + 8)
            best = max(best, _declared(size, here, total),
                       _end64(handle, start + at - LOCATOR_SIZE, filesize))
        return best
