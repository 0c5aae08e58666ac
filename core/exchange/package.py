"""The package file (spec 9): a zip of parts, a manifest and their checksums.

Format 3 (the default since 01/12/2026, issue 16):

    manifest.json       sender, installation, period, versions, counts, each part's SHA-256
    rows.motcua         the rows part: a MotCua database file at the current schema holding the
                        catalogue, the package's dossiers with every child row and its votes,
                        in the program's own tables with the sender's ids (core.exchange.part)
    checksums.sha256    `sha256sum -c` lines for every member above (manifest included)

Formats 1 and 2 (still written with `exchange export --format 2`, for a centre not yet
upgraded, and always read):

    manifest.json, checksums.sha256 as above, and JSON Lines parts
    units.jsonl, procedures.jsonl, calendar.jsonl, dossiers.jsonl, votes.jsonl

Every format gives the merge the same records (`records`, `lines`): a format-3 package's are
read from its rows part by core.exchange.records, the functions that make a format-2 package's.

A package comes from another office, by USB stick or mail: it is read as hostile. Only the
known member names are accepted, the sizes the zip declares are checked before anything is read
(zipfile never unpacks more than a member declares), and every part's checksum is verified,
streaming, before a single record is parsed. JSON Lines are read in place, never extracted,
with a length cap on a line. The rows part is the one thing written to disk: under a temporary
name of our own (never the member's name), its size checked against the limit and the free
space first, hashed while it is written, then opened read only and checked as a hostile
database (core.exchange.part.open_checked) before a row is read; the file is removed when the
reader closes, whatever happened.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import sqlite3
import tempfile
import threading
import time
import types
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from core import actor_names, limits, zipdir
from core.errors import InputError, read_reason
from core.exchange import part as rows_part
from core.exchange import space
from core.exchange.checks import BadRecord
from core.paths import ordinary_file_mode, refuse_unfit_input
from core.timefmt import vn_number
from db.errors import DatabaseEnvironmentError, error_kind

FORMAT = "motcua-exchange"
FORMAT_VERSION = 3
# 3 (issue 16, 01/12/2026): the dossiers, votes and catalogue in one part, a MotCua database
# file SQLite reads and copies in C (core.exchange.part), instead of five JSON Lines parts.
# 2 (issue 16, 30/11/2026): a dossier carries its digitisation flags (`digitised`,
# `result_digitised`) and its complaints (Decision 766 4.2 and 5.4); a version 1 package is read
# as holding none of them (`upgrade_record`).
READABLE_VERSIONS = (1, 2, 3)
WRITABLE_VERSIONS = (2, 3)
MANIFEST = "manifest.json"
CHECKSUMS = "checksums.sha256"
PARTS = ("units.jsonl", "procedures.jsonl", "calendar.jsonl", "dossiers.jsonl", "votes.jsonl")
ROWS_PART = rows_part.NAME
MEMBERS = (MANIFEST, CHECKSUMS) + PARTS + (ROWS_PART,)
# the logical parts the merge asks for, and the manifest's count of each
COUNTED = {name: name.removesuffix(".jsonl") for name in PARTS}


def inflate_module() -> types.ModuleType:
    """The module whose raw-deflate decompressor reads a package's members: ISA-L's
    (`isal.isal_zlib` of the `isal` package, in requirements.txt and so in the built program;
    zlib's interface: decompress with max_length, unconsumed_tail, eof, flush) when it can be
    imported, else zlib (an environment without it: slower, the same bytes). zipfile's own
    checks apply to either (`_inflated_by`)."""
    try:
        from isal import isal_zlib
    except ImportError:
        return zlib
    return isal_zlib


INFLATE = inflate_module()
_ZLIB_DECOMPRESS = type(zlib.decompressobj(-zlib.MAX_WBITS))
# what a member's stream that is no deflate stream raises (zipfile passes it on as it is): a
# damaged part, like a CRC-32 that does not match
NOT_DEFLATE = tuple({zlib.error, INFLATE.error})


def _inflated_by(member) -> None:
    """A deflated member, just opened by zipfile, inflated by INFLATE's decompressor (ISA-L's:
    the rows part of 20,000 dossiers extracted in 47 ms where zlib's took 66 ms, docs/speed.md,
    fifteenth round). Only the inflating changes: zipfile's reader still
    reads at most the compressed size the zip's directory declares, asks the decompressor
    for at most the bytes it wants at a time (bounded memory), gives no more than the member's
    declared size, raises EOFError on a stream cut short and BadZipFile when the CRC-32 of what
    it gave is not the declared one, as with zlib's. Its decompressor is an attribute of its
    own (`_decompressor`), replaced before the first read and only where it is zlib's: a
    Python whose reader differs keeps zlib's, slower, never wrong."""
    if INFLATE is not zlib and type(getattr(member, "_decompressor", None)) is _ZLIB_DECOMPRESS:
        member._decompressor = INFLATE.decompressobj(-zlib.MAX_WBITS)


def parts_of(version) -> tuple[str, ...]:
    """The parts a package of this format version holds."""
    return (ROWS_PART,) if version == 3 else PARTS


MANIFEST_MAX = 1_000_000            # bytes: a manifest is a few hundred
PART_MAX = 4_000_000_000            # uncompressed bytes of one part (1M dossiers: ~2 GB)
RATIO_MAX = 200                     # JSON text compresses ~10×; a zip bomb 1000× and more
ROWS_MAX = 4_000_000_000            # bytes of the rows part (1M dossiers: ~0.9 GB)
SPACE_SPARE = 100_000_000           # free bytes left on the temporary folder's disk
PART_PREFIX, PART_SUFFIX = "motcua-goi-", ".tmp"   # an extracted rows part's temporary file
STALE_SECONDS = 24 * 3600           # an unheld part this old is a crashed import's leftover
HELD_PREFIX = PART_PREFIX + "giu-"  # a part its import holds a lock on while it runs (new_part)
BEING_MADE = ".moi"                 # a held part's suffix till its lock is taken (Linux)
BEING_MADE_SECONDS = 60             # … a name it bears for microseconds: one this old, its lock
#                                     free, is a killed import's (sweep_stale_parts)
HOLD_BYTE = 1 << 40                 # Windows: the byte locked, past any part's data (LockFile
#                                     locks past the end of a file; a part is at most ROWS_MAX)
WINDOWS = os.name == "nt"
LINE_MAX = 16_000_000               # one record (a dossier with its whole history)
CHUNK = 1 << 20


@dataclass
class Manifest:
    data: dict
    parts: dict[str, dict] = field(default_factory=dict)

    @property
    def counts(self) -> dict:
        return self.data.get("counts", {})


class PackageWriter:
    """Writes parts line by line into the zip, hashing them on the way. The zip is made under a
    temporary name beside `path` and given its name only when finished: a failure or a Huỷ
    leaves neither a half-written package nor, when `path` held a file already, a loss of it.
    `replace`: False never writes over a file of that name (FileExistsError, nothing left)."""

    def __init__(self, path: Path, replace: bool = True):
        self.path, self.replace = path, replace
        handle, name = tempfile.mkstemp(prefix=".motcua-goi-", suffix=".tmp", dir=path.parent)
        self.made, self.file = Path(name), os.fdopen(handle, "w+b")
        try:
            self.zip = zipfile.ZipFile(self.file, "w", compression=zipfile.ZIP_DEFLATED,
                                       compresslevel=1)
        except BaseException:
            self.file.close()
            self.made.unlink(missing_ok=True)
            raise
        self.parts: dict[str, dict] = {}

    def part(self, name: str, records) -> int:
        digest, size, count = hashlib.sha256(), 0, 0
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zip.open(info, "w", force_zip64=True) as out:
            buffer: list[bytes] = []
            for record in records:
                buffer.append((encode(record) + "\n").encode("utf-8"))
                count += 1
                if len(buffer) >= 1000:
                    size += _flush(out, digest, buffer)
            size += _flush(out, digest, buffer)
        self.parts[name] = {"sha256": digest.hexdigest(), "bytes": size, "records": count}
        return count

    def file_part(self, name: str, path: Path) -> int:
        """A part copied from a file (the rows part), hashed on the way; returns its size."""
        digest, size = hashlib.sha256(), 0
        # by name, so the zip's level 1 applies (a ZipInfo gets zlib's 6: 6.0 MB in 0.40 s
        # against 6.7 MB in 0.14 s for the part of 20,000 dossiers)
        with path.open("rb") as source, self.zip.open(name, "w", force_zip64=True) as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        self.parts[name] = {"sha256": digest.hexdigest(), "bytes": size}
        return size

    def finish(self, manifest: dict) -> None:
        manifest = {**manifest, "parts": self.parts}
        text = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        self.zip.writestr(MANIFEST, text)
        sums = {**{n: p["sha256"] for n, p in self.parts.items()},
                MANIFEST: hashlib.sha256(text).hexdigest()}
        self.zip.writestr(CHECKSUMS, "".join(f"{h}  {n}\n" for n, h in sums.items()))
        self.zip.close()  # (it does not close the file object it was given)
        self.file.flush()
        os.fsync(self.file.fileno())  # on the USB stick before the name says it is there
        self.file.close()
        os.chmod(self.made, ordinary_file_mode(self.path))  # mkstemp makes it private
        if not self.replace and os.path.lexists(self.path):  # appeared while it was written
            raise FileExistsError(errno.EEXIST, "exists", str(self.path))
        os.replace(self.made, self.path)

    def abort(self) -> None:
        """Remove what was written; a file that held the name before is left as it was."""
        try:  # closing writes the zip's directory: on a full disk that fails too
            self.zip.close()
        except OSError:
            pass
        finally:
            try:
                self.file.close()
            except OSError:
                pass
            self.made.unlink(missing_ok=True)


def _flush(out, digest, buffer: list[bytes]) -> int:
    data = b"".join(buffer)
    buffer.clear()
    digest.update(data)
    out.write(data)
    return len(data)


# ----- reading ---------------------------------------------------------------------------------
def _unreadable_zip(path: Path) -> str:
    """Why a file zipfile cannot open is no package, in the clerk's words: a zip cut short (a
    USB stick pulled out during the copy) is not 'not a package' — the sender need only copy it
    again; an empty file or a database chosen by mistake say so too."""
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError:
        head = b""
    if not head:
        return "tệp rỗng (0 byte): có thể chép chưa xong. Hãy chép lại gói từ máy gửi."
    if head.startswith(b"PK\x03\x04"):
        return ("tệp nén bị cắt cụt hoặc hỏng (có thể rút USB hay ngắt mạng khi đang chép): "
                f"chỉ có {vn_number(path.stat().st_size)} byte, thiếu phần cuối của tệp nén. "
                "Hãy chép lại gói từ máy gửi.")
    if head.startswith(b"SQLite format 3"):
        return ("đây là một tệp cơ sở dữ liệu, không phải gói trao đổi. Hãy chọn tệp gói .zip "
                "do Dữ liệu → Xuất gói trao đổi… tạo ra.")
    return "tệp không phải gói trao đổi MotCua (không đọc được tệp nén)."


def _bad(path: Path, why: str) -> InputError:
    return InputError(f"Gói {path.name} không dùng được: {why} Chưa ghi gì vào cơ sở dữ liệu.")


def package_ident(manifest: dict) -> str:
    """A package's identity as a clerk can read and type it (8 hex digits): of its manifest,
    which names the sending installation, the moment it was made, its period and every part's
    SHA-256. The same package under another name or in another folder has the same identity;
    two packages with the same file name have not. What a version choice names
    (core.exchange.merge.import_packages: `versions`), shown in every preview."""
    text = json.dumps(manifest, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


class PackageReader:
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
            raise _bad(self.path, _unreadable_zip(self.path)) from None
        self._part: sqlite3.Connection | None = None  # format 3: the rows part, checked
        self.rows = False                             # … taken (format 3)
        self.part_path: Path | None = None            # … and its temporary file
        self.discarded = False                        # … removed once merged (`discard`)
        self.verified = False
        self.stop: threading.Event | None = None
        try:
            if len(self.members) != len(infos):  # zipfile would read the last, a check the first
                raise _bad(self.path, "có hai phần cùng tên trong tệp nén.")
            self._check_members()
            self.manifest = self._read_manifest()
            if verify:
                self.verify()
        except BaseException:
            self.close()
            raise

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

    def _stopped(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise InterruptedError("package verification stopped")

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

    def __enter__(self) -> PackageReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_members(self) -> None:
        strange = [n for n in self.members if n not in MEMBERS]
        if strange:
            raise _bad(self.path, f"có phần lạ {strange[0]!r} (gói chỉ gồm {', '.join(MEMBERS)}).")
        if MANIFEST not in self.members:
            raise _bad(self.path, "thiếu bản kê manifest.json.")
        for name, info in self.members.items():
            limit = {MANIFEST: MANIFEST_MAX, CHECKSUMS: MANIFEST_MAX, ROWS_PART: ROWS_MAX}.get(
                name, PART_MAX)
            if info.file_size > limit:
                raise _bad(self.path, f"phần {name} khi giải nén chiếm "
                           f"{vn_number(info.file_size / 1e6)} MB, vượt giới hạn "
                           f"{vn_number(limit / 1e6)} MB.")
            if info.file_size > CHUNK and info.file_size > RATIO_MAX * max(info.compress_size, 1):
                raise _bad(self.path, f"phần {name} nén bất thường (tỷ lệ hơn {RATIO_MAX} lần): "
                           "có thể là tệp nén độc hại (zip bomb).")

    def _read_manifest(self) -> Manifest:
        try:
            data = json.loads(self.zip.read(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError, EOFError,
                RecursionError):
            raise _bad(self.path, "bản kê manifest.json hỏng (không phải JSON hợp lệ).") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _bad(self.path, "bản kê manifest.json không phải của gói trao đổi MotCua.")
        _check_manifest_shape(self.path, data)
        if data.get("format_version") not in READABLE_VERSIONS:
            raise _bad(self.path, _newer_format(data))
        if reason := newer_schema(data):
            raise _bad(self.path, reason)
        expected = parts_of(data["format_version"])
        parts = data.get("parts")
        if not isinstance(parts, dict) or set(parts) != set(expected) or not all(
                isinstance(p, dict) and isinstance(p.get("sha256"), str) for p in parts.values()):
            raise _bad(self.path, "bản kê không liệt kê đủ các phần và mã kiểm tra của chúng.")
        missing = [n for n in expected if n not in self.members]
        if missing:
            raise _bad(self.path, f"thiếu phần {missing[0]}.")
        extra = [n for n in self.members if n not in (MANIFEST, CHECKSUMS, *expected)]
        if extra:  # a part of the other format: what would read it?
            raise _bad(self.path, f"có phần {extra[0]!r} không thuộc định dạng "
                       f"{data['format_version']} của gói.")
        return Manifest(data, parts)

    def _verify_checksums(self) -> None:
        """Every part hashed against the manifest before any record is read, and its lines
        counted: the manifest's counts must be the package's (one record a line), since the
        import sizes its work by them (the bulk path drops the centre's indexes for a package
        said to hold more dossiers than the centre)."""
        self.records_in: dict[str, int] = {}
        if self.manifest.data["format_version"] == 3:
            self._take_rows_part()
            return
        for name in PARTS:
            digest, lines, last = hashlib.sha256(), 0, b"\n"
            try:
                with self._member(name) as part:
                    while chunk := part.read(CHUNK):
                        self._stopped()
                        digest.update(chunk)
                        lines += chunk.count(b"\n")
                        last = chunk[-1:]
            except InterruptedError:  # (an OSError) stopped: `verify`
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, *NOT_DEFLATE):
                raise _bad(self.path, f"phần {name} hỏng (không giải nén được).") from None
            if digest.hexdigest() != self.manifest.parts[name]["sha256"]:
                raise _bad(self.path, f"mã kiểm tra SHA-256 của phần {name} không khớp bản kê: "
                           "tệp đã bị sửa hoặc hỏng khi sao chép. Hãy xin máy gửi xuất lại gói.")
            self.records_in[name] = lines + (last != b"\n")
            self._check_declared(name, self.records_in[name])

    def _check_declared(self, name: str, records: int) -> None:
        """The part's records as the manifest declares them, in `parts` and in `counts` (where
        it does; the checksum already vouches for the bytes)."""
        said = (self.manifest.parts.get(name, {}).get("records"),
                self.manifest.counts.get(name.removesuffix(".jsonl")))
        for value in said:
            if value is not None and value != records:
                raise _bad(self.path, f"bản kê manifest.json ghi phần {name} có {value!r} bản "
                           f"ghi, nhưng phần ấy có {vn_number(records)}: bản kê không đúng với "
                           "gói. Hãy xin máy gửi xuất lại gói.")

    # ----- format 3: the rows part --------------------------------------------------------
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
        except (zipfile.BadZipFile, EOFError, ValueError, *NOT_DEFLATE):
            raise _bad(self.path, f"phần {ROWS_PART} hỏng (không giải nén được).") from None
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

    def place(self, name: str, number: int) -> str:
        """Where a record was read, for a message: its part and line, or, in a rows part, its
        kind and rank."""
        if not self.rows:
            return f"phần {name}, dòng {number}"
        kind = {"units.jsonl": "đơn vị", "procedures.jsonl": "thủ tục",
                "calendar.jsonl": "ngày lịch", "dossiers.jsonl": "hồ sơ",
                "votes.jsonl": "phiếu đánh giá"}[name]
        return f"phần {ROWS_PART}, {kind} thứ {number}"

    def _placed(self, name: str, rows: Iterator) -> Iterator:
        """A rows part's records, a record it cannot give (damaged, of the wrong kind) named
        by its place: the merge's own `where` still names the record before it."""
        number = 0
        try:
            for row in rows:
                number += 1
                yield row
        except BadRecord as exc:
            raise self.bad(f"{self.place(name, number + 1)}: {exc}.") from None

    # ----- the records ---------------------------------------------------------------------
    def records(self, name: str, only: list[int] | None = None) -> Iterator[dict]:
        """The records of one part, one JSON object a line, each line's length capped (format
        3: read from the rows part by core.exchange.records; `only`: of these ids of the part
        alone, what the SQL fast path left)."""
        if self.rows and name != "dossiers.jsonl":
            if name == "votes.jsonl":
                yield from self._placed(name, rows_part.vote_records(self._opened(), only))
            else:
                yield from self._placed(name, rows_part.catalogue_records(self._opened(), name))
            return
        for _line, record in self.lines(name):
            yield record

    def _member(self, which: str | zipfile.ZipInfo) -> IO[bytes]:
        """A member opened to read, inflated by INFLATE (`_inflated_by`): the one way this
        reader reads a part, whichever format."""
        member = self.zip.open(which)
        _inflated_by(member)
        return member

    def lines(self, name: str, only: list[int] | None = None) -> Iterator[tuple[bytes, dict]]:
        """The records of one part with the line each was read from (a check may look at the
        text once instead of at every string of the record: core.exchange.checks). `only`: as
        for `records`, format 3 alone."""
        if self.rows:
            yield from self._placed(name, rows_part.dossier_lines(self._opened(), only))
            return
        if only is not None:
            raise ValueError("only a rows part (format 3) is read by ids")
        # zipfile's own readline is Python, byte run by byte run; io's is C (3× quicker). The
        # zip member has readinto, all a BufferedReader needs of its raw stream.
        with self._member(name) as member, \
                io.BufferedReader(cast(io.RawIOBase, member), CHUNK) as part:
            number = 0
            while line := part.readline(LINE_MAX + 1):
                number += 1
                if len(line) > LINE_MAX:
                    raise _bad(self.path, f"phần {name}, dòng {number} dài bất thường.")
                try:
                    record = json.loads(line)
                except (ValueError, UnicodeDecodeError, RecursionError):  # nested 100,000 deep
                    raise _bad(self.path, f"phần {name}, dòng {number} không phải JSON hợp lệ."
                               ) from None
                if not isinstance(record, dict):
                    raise _bad(self.path, f"phần {name}, dòng {number} không phải một bản ghi.")
                if name == "dossiers.jsonl" and self.manifest.data["format_version"] == 1:
                    upgrade_record(record)
                yield line, record

    def bad(self, why: str) -> InputError:
        return _bad(self.path, why)


# manifest field -> the kinds of value the reader and the preview accept (the rest is shown or
# compared as text): what a package says is not trusted, a list where a dict goes must not crash
_MANIFEST_SHAPES: dict[str, tuple[type, ...]] = {
    "sender_unit": (str, type(None)), "installation": (dict, type(None)),
    "period": (dict, type(None)), "counts": (dict,), "created_at": (str, type(None)),
    "rules_fingerprint": (str, type(None))}
SENDER_MAX = 100


def _check_manifest_shape(path: Path, data: dict) -> None:
    for key, kinds in _MANIFEST_SHAPES.items():
        if key in data and not isinstance(data[key], kinds):
            raise _bad(path, f"bản kê manifest.json có trường {key} sai kiểu.")
    counts = data.get("counts", {})
    if not all(type(n) is int and 0 <= n < 10**12 for n in counts.values()):
        raise _bad(path, "bản kê manifest.json có số đếm (counts) không phải số tự nhiên.")
    if len(data.get("sender_unit") or "") > SENDER_MAX or len(str(data.get("created_at"))) > SENDER_MAX:
        raise _bad(path, "bản kê manifest.json có mã đơn vị gửi hoặc thời điểm xuất dài bất thường.")
    if reason := actor_names.check_names(data.get(actor_names.MANIFEST_KEY)):
        raise _bad(path, f"bản kê manifest.json, trường {actor_names.MANIFEST_KEY} (họ và tên "
                   f"của người ghi hồ sơ ở máy gửi): {reason}. Hãy xin máy gửi xuất lại gói.")


def _sender(data: dict) -> str | None:
    """The program version the package says made it, when it looks like one (what a package
    says is not trusted: shown only then)."""
    sender = data.get("program_version")
    if isinstance(sender, str) and re.fullmatch(r"[0-9][0-9A-Za-z.+-]{0,30}", sender):
        return sender
    return None


def _update_advice(sender: str | None) -> str:
    return f"Hãy cập nhật MotCua ở máy này{f' lên bản {sender} hoặc mới hơn' if sender else ''}"


def _newer_format(data: dict) -> str:
    """Which program made the package and which this is, so the clerk knows what to install."""
    from core.version import VERSION
    sender = _sender(data)
    made = f"gói do MotCua {sender} xuất, " if sender else "gói "
    return (f"{made}theo định dạng phiên bản {data.get('format_version')!r}; MotCua {VERSION} ở "
            f"máy này chỉ đọc định dạng {', '.join(map(str, READABLE_VERSIONS))}. "
            f"{_update_advice(sender)}.")


def newer_schema(data: dict) -> str | None:
    """Why a package of a format this program reads is refused all the same: its manifest's
    `schema_version` is higher than this program's (db.schema.SCHEMA_VERSION), so a newer
    MotCua made it, whose dossiers may carry what this one would drop or misread; None when
    it is not (an older schema is read: a format-2 package's records are the same, a format-3
    part is brought forward by the migrations before it is read, core.exchange.part). Checked from the
    manifest, before any part is read, so the clerk hears "update this program" and not that
    the part is damaged or of another schema."""
    from core.version import VERSION
    from db.schema import SCHEMA_VERSION

    schema = data.get("schema_version")
    if type(schema) is not int or schema <= SCHEMA_VERSION:
        return None
    sender = _sender(data)
    made = f"gói do MotCua {sender}" if sender else "gói do một bản MotCua mới hơn"
    sender = sender if sender != VERSION else None  # a build of the same number: no "lên bản"
    return (f"{made} xuất, theo lược đồ dữ liệu phiên bản {schema}, mới hơn lược đồ "
            f"{SCHEMA_VERSION} của MotCua {VERSION} ở máy này: máy này không đọc đúng được "
            f"gói. {_update_advice(sender)}, rồi nhập lại gói.")


def upgrade_record(record: dict) -> None:
    """A version 1 dossier record as version 2 reads it: not digitised (unknown for a dossier
    without a component list), no complaints. Left as it is when it is not even a version 1
    record: the checks then name what is wrong."""
    fields = record.get("fields")
    if isinstance(fields, dict):
        fields.setdefault("digitised", None)
        fields.setdefault("result_digitised", 0)
    record.setdefault("complaints", [])


# ----- the parts' files in the temporary folder ----------------------------------------------
# A part (an extracted rows part, a copier's keys file) is held, from its creation to its
# removal, by a lock its process takes on a descriptor of its own opened on it: an exclusive
# flock() on Linux (it belongs to that open file description: closing another descriptor of
# the file, SQLite's own, drops no flock, unlike fcntl() record locks, db/filelocks.py), one
# byte far past the data locked with msvcrt.locking on Windows. The system drops it when the
# process ends however it ends (kill -9, crash, power cut), so the sweep before the next import
# removes a part exactly when its owner is known to be gone, never a running import's (another
# process's, or one of this process: its own parts are never even opened by the sweep). The
# lock is taken before the sweep can see the part (`_created`). A part of an older version
# (its name not HELD_PREFIX's: no lock) is still removed only once not touched for a day.
_holds: dict[str, int] = {}      # this process's parts (by name) -> the descriptor holding each
_abandoned: set[str] = set()     # of those, the ones done with that the system would not remove
_holds_lock = threading.Lock()


def new_part(kind: str = "", folder: str | Path | None = None) -> tuple[int, Path]:
    """A new part's file in the temporary folder (`folder`, else the system's), held by this
    process till `remove_part`: a descriptor open for writing it (the caller closes it) and
    its path. Held before the sweep can see it (`_created`)."""
    handle, path, hold = _created(HELD_PREFIX + kind, None if folder is None else str(folder))
    if hold is not None:
        with _holds_lock:
            _holds[path.name] = hold
    return handle, path


def _created(prefix: str, folder: str | None) -> tuple[int, Path, int | None]:
    """The part's file made and held: its writing descriptor, path and holding descriptor.
    Linux: made under a name the sweep does not look at, locked, then given its part's name
    (a hard link: never over an existing file), so a part the sweep sees is held from its
    first moment. Windows: made under its name; till its lock is taken the sweep may take
    it, but cannot remove it, open here (Python's handles do not share deletion). A temporary
    folder without locks (some network disks): a part as an older version's (no hold, None),
    removed a day after a crash."""
    while True:
        suffix = PART_SUFFIX if WINDOWS else BEING_MADE
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        made, hold, path = Path(name), None, None
        try:
            hold = _hold(made)
            if hold is None:  # nobody else knows the name: never held elsewhere
                raise OSError(f"cannot lock {made.name}")
            if WINDOWS:
                return handle, made, hold
            path = made.with_name(made.name[:-len(BEING_MADE)] + PART_SUFFIX)
            try:
                os.link(made, path)
            except FileExistsError:
                path = None  # (a part of that name already: another name)
            except OSError:  # a file system without hard links
                if path.exists():
                    raise
                os.replace(made, path)
            made.unlink(missing_ok=True)
        except BaseException as exc:
            os.close(handle)
            if hold is not None:
                os.close(hold)
            made.unlink(missing_ok=True)
            if hold is None and isinstance(exc, OSError) and exc.errno is not None:
                break  # no lock could be taken here
            raise
        if path is not None:
            return handle, path, hold
        os.close(handle)
        os.close(hold)
    handle, name = tempfile.mkstemp(prefix=PART_PREFIX + prefix[len(HELD_PREFIX):],
                                    suffix=PART_SUFFIX, dir=folder)
    return handle, Path(name), None


def _hold(path: Path) -> int | None:
    """A descriptor of our own on the part, its lock taken; None when another holds it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if _lock(fd):
            return fd
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def _lock(fd: int) -> bool:
    """Take the part's lock on this descriptor without waiting; False when another holds it
    (another process, or another descriptor of this one)."""
    if WINDOWS:
        return _lock_windows(fd)
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # (any other error: a file system without locks, raised)
    return True


def _unlock(fd: int) -> None:
    """Let go of the lock taken on this descriptor and close it."""
    try:
        if WINDOWS:
            _unlock_windows(fd)
    finally:
        os.close(fd)  # (Linux: the flock goes with its open file description's last descriptor)


# what msvcrt.locking raises when another handle holds the byte; any other error (a seek or
# lock the runtime or the disk refuses) is raised, and the part is made as an older version's
# (no hold, the one-day rule) rather than every import failing on that PC
_HELD_ELSEWHERE = frozenset({errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)})


def _lock_windows(fd: int) -> bool:
    import msvcrt
    os.lseek(fd, HOLD_BYTE, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError as exc:
        if exc.errno in _HELD_ELSEWHERE:
            return False
        raise
    return True


def _unlock_windows(fd: int) -> None:
    import msvcrt
    os.lseek(fd, HOLD_BYTE, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    except OSError:
        pass  # (closing the handle lets go of it too)


def _owner_gone(path: Path) -> bool:
    """Is a held part's owner known to be gone: its lock free (taken and let go at once)?"""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not _lock(fd):
            return False
    except OSError:
        os.close(fd)
        return False
    _unlock(fd)
    return True


def remove_part(path: str | Path) -> bool:
    """An extracted rows part (or a copier's keys file) removed, its lock let go; False when
    the system refuses (on Windows a file still open in some process cannot be removed: it is
    held again, and the caller asks again later, or leaves it to sweep_stale_parts, which
    tries this process's own again each time, and another process's once its owner is gone).
    The one place such a file is removed."""
    path = Path(path)
    with _holds_lock:
        hold = _holds.pop(path.name, None)
        _abandoned.discard(path.name)
    if hold is not None:
        _unlock(hold)  # (Windows: our own descriptor would keep the file from going)
    try:
        path.unlink(missing_ok=True)
    except OSError:
        if hold is not None:
            with contextlib.suppress(OSError):
                again = _hold(path)
                if again is not None:
                    with _holds_lock:
                        _holds[path.name] = again
                        _abandoned.add(path.name)
        return False
    return True


def sweep_stale_parts(folder: Path, now: float | None = None) -> int:
    """Remove the parts a crashed or killed import left in the temporary folder (each ~17 MB a
    20,000-dossier package; a month of 50 packages ~0.9 GB): a held part whose owner is gone
    (its lock free), and this process's own that the system would not remove before; a part
    of an older version (no lock) once not touched for a day; a part's name of making that a
    killed import left (`_made_half`). Never a running import's part, another MotCua's or
    this one's. Returns how many were removed."""
    moment = time.time() if now is None else now
    limit = moment - STALE_SECONDS
    removed = sum(_made_half(path, moment)
                  for path in folder.glob(f"{HELD_PREFIX}*{BEING_MADE}"))
    for path in folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}"):
        with _holds_lock:
            ours, done = path.name in _holds, path.name in _abandoned
        if ours:
            removed += done and remove_part(path)
            continue
        if path.name.startswith(HELD_PREFIX):
            removed += _owner_gone(path) and remove_part(path)
            continue
        try:
            stale = path.is_file() and path.stat().st_mtime < limit
        except OSError:
            continue
        removed += stale and remove_part(path)
    return removed


def _made_half(path: Path, now: float) -> bool:
    """A part's file a killed import left under its name of making (`_created`, Linux: killed
    between its creation and its lock, empty; or between its link and the removal of this
    name, the part's second name): removed when its lock is free and it is older than the
    microseconds a running import's bears that name (BEING_MADE_SECONDS: a sweep never takes
    one being made, whose lock is not taken yet). True when removed."""
    try:
        if path.stat().st_mtime > now - BEING_MADE_SECONDS or not path.is_file():
            return False
    except OSError:
        return False
    if not _owner_gone(path):
        return False
    try:
        path.unlink()
    except OSError:
        return False
    return True
