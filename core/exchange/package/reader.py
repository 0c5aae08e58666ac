"""A package's reader: the package opened and verified whole before a record is read, its
records read, its rows part's file removed whatever happened (core.exchange.package)."""
from __future__ import annotations

import sqlite3
import threading
import zipfile
from pathlib import Path

from core import limits, zipdir
from core.errors import InputError, read_reason
from core.exchange.package import spreadsheet
from core.exchange.package.reading import _Reading
from core.exchange.package.refused import NOT_INFLATED, _bad, _unreadable_zip
from core.exchange.package.rows import _RowsPart
from core.exchange.package.temp_parts import remove_part
from core.exchange.package.verifying import _Verifying
from core.paths import refuse_unfit_input
from core.timefmt import vn_number


class PackageReader(_Verifying, _RowsPart, _Reading):
    """Opens a package and verifies it whole (members, sizes, checksums, manifest) at once;
    `verify=False`: the cheap half only (the zip's members, the manifest), the rest by
    `verify()` before a record is read (merge._Opening verifies them in threads ahead of the
    merge)."""

    def __init__(self, path: str | Path, verify: bool = True):
        self.path = Path(path)
        if self.path.is_dir():  # a folder exists: 'not found' sent the clerk looking for it
            raise InputError(f"{self.path} là một thư mục, không phải tệp gói: hãy chọn tệp "
                             ".zip bên trong. Chưa ghi gì vào cơ sở dữ liệu.")
        refuse_unfit_input(self.path)  # a pipe is no package, nor 'not found'
        if not self.path.is_file():
            raise InputError(f"Không tìm thấy tệp gói {self.path}.")
        try:
            directory = zipdir.directory_bytes(self.path)
            if directory is not None and directory > limits.ZIP_DIRECTORY_MAX:
                raise _bad(self.path, f"danh mục các phần nén chiếm {vn_number(directory / 1e6)} MB "
                                      "(hàng chục nghìn phần trở lên), trong khi gói chỉ có vài "
                                      "phần: tệp hỏng hoặc bất thường (có thể là tệp độc hại).")
            self.zip = zipfile.ZipFile(self.path)
            infos = self.zip.infolist()
            self.members = {info.filename: info for info in infos}
        except OSError as exc:  # unreadable (locked, no permission) is not 'not a package'
            raise _bad(self.path, f"không đọc được tệp ({read_reason(exc)}).") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            kind = spreadsheet.head_kind(self.path)  # the province's export picked by mistake
            raise (spreadsheet.refusal(self.path, kind) if kind else
                   _bad(self.path, _unreadable_zip(self.path))) from None
        self._part: sqlite3.Connection | None = None  # format 3: the rows part, checked
        self.rows = False                             # … taken (format 3)
        self.part_path: Path | None = None            # … and its temporary file
        self.discarded = False                        # … removed once merged (`discard`)
        self.verified = False
        self.stop: threading.Event | None = None
        self.signed = None                            # set by the manifest's reading (sums)
        try:  # whatever is raised from here on, the zip is closed (a file open stays locked)
            if kind := spreadsheet.zip_kind(self.members, self._mimetype()):
                raise spreadsheet.refusal(self.path, kind)
            if len(self.members) != len(infos):  # zipfile would read the last, a check the first
                raise _bad(self.path, "có hai phần cùng tên trong tệp nén.")
            self._check_members()
            self.manifest = self._read_manifest()
            if verify:
                self.verify()
        except BaseException:
            self.close()
            raise

    def _mimetype(self) -> bytes:
        """The `mimetype` member an OpenDocument file begins with (stored, a few bytes), or
        nothing: read only to name a LibreOffice workbook (spreadsheet.zip_kind)."""
        info = self.members.get("mimetype")
        if info is None or info.file_size > 100:
            return b""
        try:
            return self.zip.read(info)
        except (*NOT_INFLATED, OSError):
            return b""

    def verify(self, stop: threading.Event | None = None) -> None:
        """The expensive half of the opening: every part hashed against the manifest (a
        format-3 rows part extracted on the way and checked as a hostile database) and its
        records counted against it. `stop`: set by another thread, the work ends within a
        chunk (a MB) or SQLite's next progress call, raising InterruptedError; the reader is
        then only to be closed. Not to be run twice, nor beside `close`."""
        self.stop = stop
        try:
            self._verify_checksums()
        finally:
            self.stop = None
        self.verified = True

    def declared(self) -> int | None:
        """The dossiers the manifest says the package holds (checked by `verify`: a package
        whose count is not the manifest's is refused), None when it says none."""
        said = [self.manifest.counts.get("dossiers"),
                self.manifest.parts.get("dossiers.jsonl", {}).get("records")]
        return next((n for n in said if type(n) is int and n >= 0), None)

    def close(self) -> None:
        """Close the zip and remove the rows part's temporary file (every path: done, refused,
        cancelled, failed; a file the system will not remove now is left to
        sweep_stale_parts: never hide what happened before)."""
        self.zip.close()
        self.rest()
        self.rows = False
        if self.part_path is not None:
            remove_part(self.part_path)
            self.part_path = None

    def discard(self) -> bool:
        """The rows part's file removed as soon as nothing needs it any more (merge._Run: its
        merge done, no job of the copier reading it), long before the operation's end: an
        operation of 50 packages kept ~0.9 GB of them in the temporary folder till its end
        (docs/speed.md, sixteenth round). The reader keeps its manifest and counts; its
        records are not read again. False when the system refuses (Windows: a file still
        open somewhere): asked again later, by `close` at last."""
        self.rest()
        if self.part_path is not None and not remove_part(self.part_path):
            return False
        self.part_path = None
        self.discarded = True
        return True

    def __enter__(self) -> PackageReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
