"""A format-3 package's rows part in its reader: extracted to a temporary file of our own,
hashed, checked as a hostile database (core.exchange.part), opened again when read, rested
and removed (core.exchange.package.reader)."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from core.errors import read_reason
from core.exchange import part as rows_part
from core.exchange import space
from core.exchange.package.layout import CHUNK, COUNTED, ROWS_MAX, ROWS_PART, SPACE_SPARE
from core.exchange.package.opened import _Opened
from core.exchange.package.refused import NOT_INFLATED, _bad, damaged
from core.exchange.package.temp_parts import new_part, sweep_stale_parts
from core.timefmt import vn_number
from db.errors import DatabaseEnvironmentError, error_kind


class _RowsPart(_Opened):
    """The rows part of a format-3 package (PackageReader)."""

    @property
    def part(self) -> sqlite3.Connection | None:
        """Format 3: the rows part, checked (core.exchange.part), opened again when read after
        `rest`; None for format 2."""
        if self.discarded:
            raise ValueError("the rows part was read and removed (discard)")
        if self._part is None and self.rows and self.part_path is not None:
            try:
                self._part = rows_part.reopen(self.part_path)
            except (rows_part.PartRefused, sqlite3.Error, OSError) as exc:
                raise _bad(self.path, f"phần {ROWS_PART} không mở lại được "
                           f"({rows_part.short(exc)}).") from None
        return self._part

    def _opened(self) -> sqlite3.Connection:
        part = self.part
        if part is None:
            raise ValueError("a format-2 package has no rows part")
        return part

    def rest(self) -> None:
        """The rows part's connection closed till the part is read again (`part`): a reader
        waiting its turn in an operation of many packages holds no SQLite memory (0.6 MB a
        connection: its schema and statements; 50 readers 29 MB, docs/speed.md)."""
        if self._part is not None:
            self._part.close()
            self._part = None

    def _take_rows_part(self) -> None:
        """Extract the rows part to a temporary file of our own, hashing it on the way, then
        open it checked (core.exchange.part) and count its records against the manifest."""
        self.part_path = self._extract(self.members[ROWS_PART])
        try:
            self._part = rows_part.open_checked(self.part_path, self.stop)
            held = rows_part.counts(self._part)
            self.rows = True
            # the page cache the checks and counts filled (quick_check reads every page, up to
            # cache_size: 2 MB a reader), its schema and statements (0.6 MB) freed: an
            # operation keeps every reader till its end, one part read at a time (docs/speed.md,
            # tenth and eleventh rounds)
            self.rest()
        except rows_part.PartRefused as exc:
            raise _bad(self.path, f"phần {ROWS_PART} {exc} {exc.advice}") from None
        except sqlite3.Error as exc:
            raise _bad(self.path, f"phần {ROWS_PART} hỏng, không đọc được "
                       f"({rows_part.short(exc)}). Hãy xin máy gửi xuất lại gói.") from None
        self.records_in = {name: held[key] for name, key in COUNTED.items()}
        for key, value in held.items():
            said = self.manifest.counts.get(key)
            if said is not None and said != value:
                raise _bad(self.path, f"bản kê manifest.json ghi {key} có {said!r} bản ghi, "
                           f"nhưng phần {ROWS_PART} có {vn_number(value)}: bản kê không đúng "
                           "với gói. Hãy xin máy gửi xuất lại gói.")

    def _extract(self, info: zipfile.ZipInfo) -> Path:
        """The part, copied out under a name of our own in the temporary folder, its checksum
        verified; refused before anything is written when the disk has no room for it."""
        folder = tempfile.gettempdir()
        free = space.free_bytes(Path(folder))
        if free is not None and free < info.file_size + SPACE_SPARE:
            raise self._no_room(folder, free, info.file_size + SPACE_SPARE)
        sweep_stale_parts(Path(folder))
        handle, path = new_part(folder=folder)
        self.part_path = path
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(handle, "wb") as out, self._member(info) as member:
                while chunk := member.read(CHUNK):
                    self._stopped()
                    size += len(chunk)
                    if size > ROWS_MAX:
                        raise _bad(self.path, f"phần {ROWS_PART} lớn hơn giới hạn "
                                   f"{vn_number(ROWS_MAX / 1e6)} MB.")
                    digest.update(chunk)
                    out.write(chunk)
        except NOT_INFLATED as exc:
            raise damaged(self.path, ROWS_PART, exc) from None
        except InterruptedError:  # (an OSError) stopped: `verify`
            raise
        except OSError as exc:
            if error_kind(exc) == "full":  # another program filled the disk meanwhile
                raise self._no_room(folder, space.free_bytes(Path(folder)) or 0,
                                    info.file_size + SPACE_SPARE) from None
            raise _bad(self.path, f"không chép được phần {ROWS_PART} ra thư mục tạm "
                       f"({read_reason(exc)}).") from None
        if digest.hexdigest() != self.manifest.parts[ROWS_PART]["sha256"]:
            raise _bad(self.path, f"mã kiểm tra SHA-256 của phần {ROWS_PART} không khớp bản kê: "
                       "tệp đã bị sửa hoặc hỏng khi sao chép. Hãy xin máy gửi xuất lại gói.")
        return path

    def _no_room(self, folder: str, free: int, wanted: int) -> DatabaseEnvironmentError:
        """The temporary folder's disk has not the room for the part (space.short_of)."""
        return space.short_of(Path(folder), free, wanted,
                              f"giải nén gói {self.path.name} vào thư mục tạm {folder}")
