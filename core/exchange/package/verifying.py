"""The verifying half of a package's reader: its members and their sizes, its manifest, and
every part's checksum and count against the manifest (core.exchange.package.reader)."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from core.errors import read_reason
from core.exchange.package import member_json, sums
from core.exchange.package.layout import (
    CHECKSUMS,
    CHUNK,
    FORMAT,
    MANIFEST,
    MANIFEST_MAX,
    MEMBERS,
    PART_MAX,
    PARTS,
    RATIO_MAX,
    READABLE_VERSIONS,
    ROWS_MAX,
    ROWS_PART,
    SIGNATURE,
    SIGNATURE_MAX,
    parts_of,
)
from core.exchange.package.manifest import (
    Manifest,
    _check_manifest_shape,
    _newer_format,
    newer_schema,
)
from core.exchange.package.opened import _Opened
from core.exchange.package.refused import NOT_INFLATED, _bad, damaged
from core.timefmt import vn_number


class _Verifying(_Opened):
    """A package's members, manifest and parts verified (PackageReader: at its opening and in
    `verify`)."""

    if TYPE_CHECKING:
        def _take_rows_part(self) -> None: ...  # (core.exchange.package.rows._RowsPart)

    def _check_members(self) -> None:
        strange = [n for n in self.members if n not in MEMBERS]
        if strange:
            raise _bad(self.path, f"có phần lạ {strange[0]!r} (gói chỉ gồm {', '.join(MEMBERS)}).")
        if MANIFEST not in self.members:
            raise _bad(self.path, "thiếu bản kê manifest.json.")
        for name, info in self.members.items():
            limit = {MANIFEST: MANIFEST_MAX, CHECKSUMS: MANIFEST_MAX, ROWS_PART: ROWS_MAX,
                     SIGNATURE: SIGNATURE_MAX}.get(name, PART_MAX)
            if info.file_size > limit:
                raise _bad(self.path, f"phần {name} khi giải nén chiếm "
                           f"{vn_number(info.file_size / 1e6)} MB, vượt giới hạn "
                           f"{vn_number(limit / 1e6)} MB.")
            if info.file_size > CHUNK and info.file_size > RATIO_MAX * max(info.compress_size, 1):
                raise _bad(self.path, f"phần {name} nén bất thường (tỷ lệ hơn {RATIO_MAX} lần): "
                           "có thể là tệp nén độc hại (zip bomb).")

    def _read_manifest(self) -> Manifest:
        raw, checked = sums.manifest_bytes(self)  # checked before a field of it is used
        try:
            data = member_json.loads(raw, f"bản kê {MANIFEST}", MANIFEST_MAX)
        except member_json.MemberRefused as exc:
            raise _bad(self.path, f"{exc}.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _bad(self.path, "bản kê manifest.json không phải của gói trao đổi MotCua.")
        _check_manifest_shape(self.path, data)
        self._check_signer(data)
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
        extra = [n for n in self.members if n not in (MANIFEST, CHECKSUMS, SIGNATURE, *expected)]
        if extra:  # a part of the other format: what would read it?
            raise _bad(self.path, f"có phần {extra[0]!r} không thuộc định dạng "
                       f"{data['format_version']} của gói.")
        sums.check_parts(self, parts, checked)
        return Manifest(data, parts)

    def _check_signer(self, data: dict) -> None:
        """A signed package's manifest names the installation that signed it: a key of one
        installation never vouches for a package said to be another's."""
        if self.signed is None:
            return
        said = (data.get("installation") or {}).get("id")
        if said != self.signed.installation:
            raise _bad(self.path, f"gói được ký bởi máy {self.signed.installation[:8]} nhưng bản "
                       f"kê manifest.json ghi là của máy {str(said)[:8]}: gói đã bị sửa. "
                       "Hãy xin máy gửi xuất lại gói.")

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
            except NOT_INFLATED as exc:
                raise damaged(self.path, name, exc) from None
            except OSError as exc:
                raise _bad(self.path, f"không đọc được phần {name} ({read_reason(exc)}).") from None
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
