"""signature.json, the sending installation's Ed25519 signature over the exact bytes of
checksums.sha256 (issue 16 §3, spec 9 and 10): the checksums cover the parts and the manifest,
the signature covers the checksums, so a member changed on purpose, its SHA-256 rewritten
beside it, no longer passes as the sender's.

    {"algorithm": "Ed25519", "installation": "<the sender's installation id>",
     "public_key": "<32 bytes, hex>", "signature": "<64 bytes, hex>"}

Here only what the package says of itself is checked (the reader has no database): the member's
shape, and that the signature verifies with the public key it carries, before a field of the
manifest is used (sums.manifest_bytes calls `signed_by`); then that the manifest names the same
installation (verifying._read_manifest). Whether that key is the one this installation knows
for that sender (trust on first use, as SSH does) is core.exchange.signing's rule, asked before
the manifest steers anything. A package without the member (made before 12/2026, or a format-2
package for a centre not yet upgraded) opens as before: `signed_by` gives None.

A signature member is hostile like every other: its declared size is capped before it is read
(SIGNATURE_MAX, verifying._check_members), read with the same cap, and refused in words for
any shape but the one above.
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

from core.exchange.package.layout import CHECKSUMS, SIGNATURE, SIGNATURE_MAX
from core.exchange.package.refused import NOT_INFLATED, damaged

if TYPE_CHECKING:
    from core.exchange.package.opened import _Opened

ALGORITHM = "Ed25519"
_FIELDS = {"algorithm", "installation", "public_key", "signature"}
_INSTALLATION = re.compile(r"[0-9A-Za-z_.-]{1,64}")
_HEX = {"public_key": re.compile(r"[0-9a-f]{64}"), "signature": re.compile(r"[0-9a-f]{128}")}
ADVICE = "Hãy chép lại gói từ máy gửi; nếu vẫn vậy, xin máy gửi xuất lại gói."


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
    """signature.json's bytes: `checksums` (checksums.sha256 exactly as written) signed."""
    return json.dumps({"algorithm": ALGORITHM, "installation": installation,
                       "public_key": public_bytes(key).hex(),
                       "signature": key.sign(checksums).hex()}, indent=1).encode("ascii")


def signed_by(reader: _Opened, checksums: bytes) -> Signed | None:
    """Who signed the package, the signature verified over `checksums` (checksums.sha256's
    bytes); None when the package carries no signature member. A member of another shape, or a
    signature that does not verify, is refused naming the member."""
    if SIGNATURE not in reader.members:
        return None
    said = _fields(reader, _read(reader))
    signed = Signed(said["installation"], bytes.fromhex(said["public_key"]))
    try:
        Ed25519PublicKey.from_public_bytes(signed.public_key).verify(
            bytes.fromhex(said["signature"]), checksums)
    except (InvalidSignature, ValueError):
        raise reader.bad(f"chữ ký số trong tệp {SIGNATURE} không khớp với tệp {CHECKSUMS} "
                         "(mã kiểm tra của các tệp trong gói): gói đã bị sửa sau khi máy gửi ký, "
                         f"hoặc hỏng khi sao chép. {ADVICE}") from None
    return signed


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
        raise reader.bad(_shape(f"dài hơn {SIGNATURE_MAX} byte"))
    return raw


def _fields(reader: _Opened, raw: bytes) -> dict:
    try:
        said = json.loads(raw.decode("ascii"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise reader.bad(_shape("không phải JSON hợp lệ")) from None
    if not isinstance(said, dict) or set(said) != _FIELDS or \
            not all(isinstance(value, str) for value in said.values()):
        raise reader.bad(_shape(f"phải có đúng các trường {', '.join(sorted(_FIELDS))}, "
                                "mỗi trường một chuỗi"))
    if said["algorithm"] != ALGORITHM:
        raise reader.bad(_shape(f"thuật toán {said['algorithm'][:20]!r}, MotCua chỉ dùng "
                                f"{ALGORITHM}"))
    if not _INSTALLATION.fullmatch(said["installation"]):
        raise reader.bad(_shape("mã cài đặt của máy ký không đúng dạng"))
    for name, shape in _HEX.items():
        if not shape.fullmatch(said[name]):
            raise reader.bad(_shape(f"trường {name} không đúng độ dài hoặc không phải số "
                                    "thập lục phân"))
    return said


def _shape(why: str) -> str:
    return f"tệp chữ ký {SIGNATURE} trong gói hỏng: {why}. {ADVICE}"
