"""The size of a zip's central directory, read from the file's end before `zipfile` opens it.

`zipfile.ZipFile` builds an object for every entry of the central directory as it opens the
file, before any check of ours can run: a 46 MB .xlsx or package of 500,000 empty members took
330 MB and 20 seconds to be refused (round 18); four times as many would take gigabytes. The
end record (and the ZIP64 one) declares how many bytes the directory takes, which is what
zipfile reads, so a file whose directory is larger than any real workbook's or package's is
refused first (core.transfer.xlsx_guard, core.exchange.package).
"""
from __future__ import annotations

import struct
from pathlib import Path

END = b"PK\x05\x06"            # end of central directory record (22 bytes + comment)
LOCATOR = b"PK\x06\x07"        # ZIP64 end of central directory locator (20 bytes)
END64 = b"PK\x06\x06"          # ZIP64 end of central directory record
COMMENT_MAX = 65_535


def directory_bytes(path: Path) -> int | None:
    """The bytes of the central directory the zip at `path` declares (the larger of the ZIP64
    and the ordinary record), or None when no end record is found (not a zip: zipfile says so
    in its own words). OSError for a file that cannot be read."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        start = max(0, size - (COMMENT_MAX + 22 + 20))
        handle.seek(start)
        tail = handle.read()
        at = tail.rfind(END)
        if at < 0 or len(tail) - at < 22:
            return None
        declared = struct.unpack_from("<I", tail, at + 12)[0]
        if at >= 20 and tail[at - 20:at - 16] == LOCATOR:
            handle.seek(struct.unpack_from("<Q", tail, at - 20 + 8)[0])
            record = handle.read(56)
            if len(record) == 56 and record[:4] == END64:
                declared = max(declared, struct.unpack_from("<Q", record, 40)[0])
        return declared
