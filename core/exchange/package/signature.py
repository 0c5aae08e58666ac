"""The sending installation's Ed25519 signature over the exact bytes of checksums.sha256
(issue 16 §3, spec 9 and 10): the checksums cover the parts and the manifest, the signature
covers the checksums, so a member changed on purpose, its SHA-256 rewritten beside it, no
longer passes as the sender's.

    {"algorithm": "Ed25519", "installation": "<the sender's installation id>",
     "public_key": "<32 bytes, hex>", "signature": "<64 bytes, hex>"}

Where it travels: in the zip's archive comment (since round 29, what PackageWriter writes). A
MotCua that reads format 3 but predates the signature (e128e2d and before) accepts only the
members it knows and never reads the comment (zipfile keeps it, nothing of that reader asks for
it): it opens a signed package as an unsigned one, so a commune updated before its centre can
still send to it (tests/core/exchange/test_signature_place.py). Round 28 wrote the same bytes as
a member, signature.json, which that older reader refused ("phần lạ"); such packages are still
read (`_said`). A package carrying both is refused: no MotCua writes it.

Here only what the package says of itself is checked (the reader has no database): the member's
shape, and that the signature verifies with the public key it carries, before a field of the
manifest is used (sums.manifest_bytes calls `signed_by`); then that the manifest names the same
installation (verifying._read_manifest). Whether that key is the one this installation knows
for that sender (trust on first use, as SSH does) is core.exchange.signing's rule, asked before
the manifest steers anything. A package without the member (made before 12/2026, or a format-2
package for a centre not yet upgraded) opens as before: `signed_by` gives None.

A signature member is hostile like every other: its declared size is capped before it is read
(SIGNATURE_MAX, verifying._check_members), read with the same cap, and refused in words for
any shape but the one above; a comment is at most 65,535 bytes by the zip format (zipfile reads
no more), refused beyond SIGNATURE_MAX, and a comment that is not a signature is refused in the
same words (a package MotCua made has either a signature there or nothing).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.exchange.package import member_json
from core.exchange.package.layout import CHECKSUMS, SIGNATURE, SIGNATURE_MAX
from core.exchange.package.refused import NOT_INFLATED, damaged
from core.timefmt import vn_number

if TYPE_CHECKING:
    from core.exchange.package.opened import _Opened

ALGORITHM = "Ed25519"
_FIELDS = {"algorithm", "installation", "public_key", "signature"}
_INSTALLATION = re.compile(r"[0-9A-Za-z_.-]{1,64}")
_HEX = {"public_key": re.compile(r"[0-9a-f]{64}"), "signature": re.compile(r"[0-9a-f]{128}")}
ADVICE = "Hãy chép lại gói từ máy gửi; nếu vẫn vậy, xin máy gửi xuất lại gói."
COMMENT_VI = "phần chú thích (comment) của tệp nén"  # where the signature travels since round 29


@dataclass(frozen=True)
class Signed:
    """Who signed a package, as the package says and its signature proves: the key's owner
    is the holder of that installation's database (core.exchange.signing)."""
    installation: str
    public_key: bytes  # 32 raw bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public_key)


def fingerprint_of(public_key: bytes) -> str:
    """A public key as a person compares it by eye, on the phone: the first 16 hex digits of
    its SHA-256, in fours (the refusals, `exchange keys`, the window's list say the same)."""
    text = hashlib.sha256(public_key).hexdigest()[:16]
    return " ".join(text[i:i + 4] for i in range(0, 16, 4))


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def member(installation: str, key: Ed25519PrivateKey, checksums: bytes) -> bytes:
    """The signature's bytes (the zip's comment; round 28: signature.json's): `checksums`
    (checksums.sha256 exactly as written) signed."""
    return json.dumps({"algorithm": ALGORITHM, "installation": installation,
                       "public_key": public_bytes(key).hex(),
                       "signature": key.sign(checksums).hex()}, indent=1).encode("ascii")


def signed_by(reader: _Opened, checksums: bytes) -> Signed | None:
    """Who signed the package, the signature verified over `checksums` (checksums.sha256's
    bytes); None when the package carries no signature (neither a comment nor the member). A
    signature of another shape, or one that does not verify, is refused naming where it is."""
    found = _said(reader)
    if found is None:
        return None
    raw, where = found
    said = _fields(reader, raw, where)
    signed = Signed(said["installation"], bytes.fromhex(said["public_key"]))
    try:
        Ed25519PublicKey.from_public_bytes(signed.public_key).verify(
            bytes.fromhex(said["signature"]), checksums)
    except (InvalidSignature, ValueError):
        raise reader.bad(f"chữ ký số trong {where} không khớp với tệp {CHECKSUMS} "
                         "(mã kiểm tra của các tệp trong gói): gói đã bị sửa sau khi máy gửi ký, "
                         f"hoặc hỏng khi sao chép. {ADVICE}") from None
    return signed


def _said(reader: _Opened) -> tuple[bytes, str] | None:
    """The signature's bytes and where they are said to be (the clerk's words): the zip's
    comment, or round 28's member; None for neither."""
    comment = reader.zip.comment  # ≤ 65,535 bytes: the format's field (zipfile reads no more)
    if SIGNATURE in reader.members:
        if comment:
            raise reader.bad(f"gói mang hai chữ ký (tệp {SIGNATURE} và {COMMENT_VI}): MotCua "
                             f"không tạo gói như vậy. {ADVICE}")
        return _read(reader), f"tệp {SIGNATURE}"
    if not comment:
        return None
    if len(comment) > SIGNATURE_MAX:
        raise reader.bad(_shape(COMMENT_VI, f"dài {vn_number(len(comment))} byte, vượt giới "
                                            f"hạn {vn_number(SIGNATURE_MAX)} byte của một chữ ký"))
    return comment, COMMENT_VI


def _read(reader: _Opened) -> bytes:
    try:
        with reader._member(SIGNATURE) as data:
            raw = data.read(SIGNATURE_MAX + 1)
    except InterruptedError:
        raise
    except NOT_INFLATED as exc:
        raise damaged(reader.path, SIGNATURE, exc) from None
    except OSError:
        raise reader.bad(f"không đọc được tệp {SIGNATURE} trong gói (tệp gói không đọc được "
                         "nữa, có thể USB đã rút ra).") from None
    if len(raw) > SIGNATURE_MAX:
        raise reader.bad(_shape(f"tệp {SIGNATURE}", f"dài hơn {SIGNATURE_MAX} byte"))
    return raw


def _fields(reader: _Opened, raw: bytes, where: str) -> dict:
    try:
        said = member_json.loads(raw, f"chữ ký số trong {where}", SIGNATURE_MAX, "ascii")
    except member_json.MemberRefused as exc:
        raise reader.bad(f"{exc}. {ADVICE}") from None
    if not isinstance(said, dict) or set(said) != _FIELDS or \
            not all(isinstance(value, str) for value in said.values()):
        raise reader.bad(_shape(where, f"phải có đúng các trường {', '.join(sorted(_FIELDS))}, "
                                "mỗi trường một chuỗi"))
    if said["algorithm"] != ALGORITHM:
        raise reader.bad(_shape(where, f"thuật toán {said['algorithm'][:20]!r}, MotCua chỉ dùng "
                                f"{ALGORITHM}"))
    if not _INSTALLATION.fullmatch(said["installation"]):
        raise reader.bad(_shape(where, "mã cài đặt của máy ký không đúng dạng"))
    for name, shape in _HEX.items():
        if not shape.fullmatch(said[name]):
            raise reader.bad(_shape(where, f"trường {name} không đúng độ dài hoặc không phải số "
                                    "thập lục phân"))
    return said


def _shape(where: str, why: str) -> str:
    return f"chữ ký số trong {where} hỏng: {why}. {ADVICE}"
