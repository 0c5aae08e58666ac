"""checksums.sha256, the package's list of every member's SHA-256, checked before a single field
of the manifest is used (issue 16 §3, spec 9).

The manifest says how big the package is, how many dossiers it holds, which unit sent it and
for which period: what sizes the import's work, its room on the disk and its preview. A
manifest damaged after the export (a bad copy, a bad disk) or edited carelessly (opened and
saved in an editor, its checksum left as it was) must not steer any of it, so its bytes are
hashed against checksums.sha256 before they are parsed, and every part the manifest names must
carry the same SHA-256 there (the parts' bytes are then hashed against it, streaming, by the
reader's `verify`). One rule, one place: the reader's opening calls `manifest_bytes` first.

What it is not, alone: a guard against a deliberate forgery. The checksums travel in the
package; whoever changes a member on purpose can write its new SHA-256 beside it. Since 12/2026
the sender signs the exact bytes of checksums.sha256 with its installation's Ed25519 key
(signature.json, core.exchange.package.signature: verified here, before the manifest is read),
and the centre pins each sender's key at its first signed package (core.exchange.signing):
a package whose checksums were rewritten is then refused, unless the forger also holds the
sender's key. What the signature does not guard against: the private key sits in the sender's
database (settings), so whoever holds a copy of that file can sign as that installation; and a
sender's first package, or one from an installation never seen signing, is taken on trust.

The file is written by PackageWriter.finish since the first format: `sha256sum -c` lines, one
a member (the parts and manifest.json), "HASH  NAME". Only those lines are accepted: a member
listed twice, a member of the package not listed, a name listed the package does not hold, a
line of another shape, each is a refusal naming the file inside the package. signature.json
is the one member not listed (it signs the list).
"""
from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from core.exchange.package import signature
from core.exchange.package.layout import CHECKSUMS, MANIFEST, MANIFEST_MAX, MEMBERS, SIGNATURE
from core.exchange.package.refused import NOT_INFLATED, damaged

if TYPE_CHECKING:
    from core.exchange.package.opened import _Opened

_LINE = re.compile(r"([0-9a-f]{64}) [ *](\S+)")
ADVICE = "Hãy chép lại gói từ máy gửi; nếu vẫn vậy, xin máy gửi xuất lại gói."


def read_member(reader: _Opened, name: str) -> bytes:
    """A small member (the manifest, the checksums) read whole, at most MANIFEST_MAX bytes
    (its declared size was checked first: _check_members); a member that does not inflate is
    named as damaged."""
    try:
        with reader._member(name) as member:
            return member.read(MANIFEST_MAX + 1)
    except InterruptedError:
        raise
    except NOT_INFLATED as exc:
        raise damaged(reader.path, name, exc) from None
    except OSError:  # the file itself unreadable meanwhile (a USB stick pulled out)
        raise reader.bad(f"không đọc được tệp {name} trong gói (tệp gói không đọc được "
                         "nữa, có thể USB đã rút ra).") from None


def checksums_bytes(reader: _Opened) -> bytes:
    """checksums.sha256's bytes, as the sender signed them."""
    if CHECKSUMS not in reader.members:
        raise reader.bad(f"thiếu tệp {CHECKSUMS} (mã kiểm tra của các tệp trong gói), nên "
                         f"không kiểm được {MANIFEST} có bị sửa hay không. {ADVICE}")
    return read_member(reader, CHECKSUMS)


def sums_of(reader: _Opened, raw: bytes) -> dict[str, str]:
    """checksums.sha256 (`raw`) with its shape checked: member name -> SHA-256 (hex)."""
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise reader.bad(_shape("có ký tự lạ")) from None
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        found = _LINE.fullmatch(line)
        if found is None:
            raise reader.bad(_shape(f"dòng {number} không đúng dạng “mã-SHA-256  tên-tệp”"))
        digest, name = found.groups()
        if name not in MEMBERS or name in (CHECKSUMS, SIGNATURE) or name in sums:
            raise reader.bad(_shape(f"dòng {number} ghi {name!r}, không phải một tệp của gói "
                                    "hoặc đã ghi ở dòng trước"))
        sums[name] = digest
    for name in reader.members:
        if name not in (CHECKSUMS, SIGNATURE) and name not in sums:
            raise reader.bad(f"tệp {CHECKSUMS} trong gói không ghi mã kiểm tra của tệp {name}: "
                             f"gói đã bị sửa hoặc hỏng. {ADVICE}")
    for name in sums:
        if name not in reader.members:
            raise reader.bad(f"tệp {CHECKSUMS} trong gói ghi mã kiểm tra của tệp {name}, "
                             f"nhưng gói không có tệp ấy. {ADVICE}")
    return sums


def _shape(why: str) -> str:
    return f"tệp {CHECKSUMS} trong gói hỏng: {why}. {ADVICE}"


def manifest_bytes(reader: _Opened) -> tuple[bytes, dict[str, str]]:
    """The manifest's bytes, once the signature over checksums.sha256 (if any) verifies
    (`reader.signed`: who signed) and their SHA-256 is the one checksums.sha256 gives it, with
    every member's checksum: nothing of the manifest is read before this returns."""
    raw_sums = checksums_bytes(reader)
    sums = sums_of(reader, raw_sums)
    reader.signed = signature.signed_by(reader, raw_sums)
    raw = read_member(reader, MANIFEST)
    if hashlib.sha256(raw).hexdigest() != sums[MANIFEST]:
        raise reader.bad(f"tệp {MANIFEST} trong gói không khớp mã kiểm tra SHA-256 ghi trong "
                         f"{CHECKSUMS}: bản kê đã bị sửa hoặc hỏng khi sao chép, nên không "
                         f"dùng một trường nào của nó. {ADVICE}")
    return raw, sums


def check_parts(reader: _Opened, parts: dict[str, dict], sums: dict[str, str]) -> None:
    """Every part's SHA-256 in the manifest is the one checksums.sha256 gives it (the parts'
    bytes are hashed against it by `verify`)."""
    for name, part in parts.items():
        if sums.get(name) != part.get("sha256"):
            raise reader.bad(f"tệp {MANIFEST} và tệp {CHECKSUMS} trong gói ghi hai mã kiểm "
                             f"tra khác nhau cho phần {name}: gói đã bị sửa. {ADVICE}")
