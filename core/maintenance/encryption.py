"""Backups encrypted with a passphrase (issue 15 §3): one file `motcua-….db.enc`.

Layout (integers big-endian; docs/reliability.md § encrypted backups):

    header   magic "MOTCUAENC", format version, KDF id (1 = scrypt), log2 N, r, p,
             chunk size, salt (16 bytes), nonce prefix (7 bytes)               41 bytes
    verifier HMAC-SHA256(check key, header): a wrong passphrase is known at once  32 bytes
    check    SHA-256(header ‖ verifier)[:8], unkeyed: tells a damaged beginning of the
             file from a wrong passphrase (security rests on the verifier and GCM)   8 bytes
    chunks   AES-256-GCM of each `chunk size` piece of the backup, tag appended

scrypt turns the passphrase (Unicode NFC: Vietnamese keyboards send composed or decomposed
letters) into 64 bytes: the AES key and the check key. Streaming follows the STREAM
construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015; age and Tink do the same): the nonce of
chunk i is prefix ‖ i (4 bytes) ‖ last-flag (1 byte), and every chunk authenticates the 81
bytes before it as associated data. So a chunk cannot be altered, moved, dropped or taken from
another file, the file cannot be cut at a chunk boundary (the last chunk carries the flag; a
backup whose size is a multiple of the chunk size ends with an empty last chunk), and memory
stays at a few chunks whatever the size of the database. Decrypted bytes are only ever written
to a temporary file that the caller uses once the last chunk has been authenticated.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import stat
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from core.errors import InputError, OperationError, os_reason, read_reason

MAGIC = b"MOTCUAENC"
FORMAT_VERSION = 1
KDF_SCRYPT = 1
SUFFIX = ".enc"  # motcua-YYYYMMDD-HHMMSS.db.enc: the backup's name, and what it is
ENV_VAR = "MOTCUA_BACKUP_PASSPHRASE"  # the passphrase for scripts (backup --encrypt, restore)
MIN_LENGTH = 10
CHUNK = 1 << 20  # 1 MiB: a few of them in memory at a time, whatever the database's size
LOG_N, R, P = 17, 8, 1  # scrypt with 128 MiB of memory, about 0.4 s on an office PC
MAX_KDF_MEMORY = 1 << 30  # a header asking more is damaged, not worth a machine's memory
# p lanes each mix their memory once: a header may ask at most 8x the default's work (~3 s),
# so a crafted file cannot hold the clerk's PC for a minute before "wrong passphrase".
MAX_KDF_WORK = 8 * 128 * R * (1 << LOG_N) * P
_HEADER = struct.Struct(">9sBBBBBI16s7s")
TAG, CHECK, VERIFIER = 16, 8, 32
PREFIX_SIZE = _HEADER.size + CHECK + VERIFIER


class EncryptedFileError(InputError):
    """An encrypted backup that cannot be decrypted: damaged, cut short, or from a newer MotCua."""


class WrongPassphrase(InputError):
    """The passphrase does not open this backup (the file itself may be sound)."""


class PassphraseNeeded(InputError):
    """An encrypted backup was given without a passphrase."""


@dataclass(frozen=True)
class Header:
    log_n: int
    r: int
    p: int
    chunk: int
    salt: bytes
    prefix: bytes
    raw: bytes  # the 81 bytes every chunk authenticates


def normalized(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def passphrase_problem(passphrase: str, confirmation: str | None = None) -> str | None:
    """Why `passphrase` cannot protect a new backup, or None (one rule for CLI and window)."""
    if not passphrase:
        return "Chưa nhập mật khẩu."
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_LENGTH:
        return (f"Mật khẩu cần ít nhất {MIN_LENGTH} ký tự (nên là một câu dễ nhớ nhiều từ); "
                "mật khẩu ngắn dễ bị dò ra.")
    if confirmation is not None and confirmation != passphrase:
        return "Hai lần nhập mật khẩu không khớp nhau."
    return None


def is_encrypted(path: str | os.PathLike) -> bool:
    """Does the file start like an encrypted backup? (False for a missing or unreadable file,
    and for what is no ordinary file: opening a pipe waits for a writer, for ever.)"""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _damaged(path: Path, what: str) -> EncryptedFileError:
    return EncryptedFileError(
        f"Bản sao lưu mã hoá {path} {what}, không giải mã được. Dữ liệu hiện tại không bị thay "
        "đổi; hãy chọn bản sao lưu khác.")


def read_header(path: str | os.PathLike) -> Header:
    """The header of an encrypted backup, refused when damaged (before any passphrase is asked)."""
    path = Path(path)
    with _open(path, "rb") as handle:
        prefix = handle.read(PREFIX_SIZE)
    return _parse(prefix, path)


def _parse(prefix: bytes, path: Path) -> Header:
    if len(prefix) < PREFIX_SIZE:
        raise _damaged(path, "bị cắt cụt ngay ở phần đầu")
    raw = prefix[:_HEADER.size]
    magic, version, kdf, log_n, r, p, chunk, salt, nonce = _HEADER.unpack(raw)
    if magic != MAGIC or hashlib.sha256(prefix[:-CHECK]).digest()[:CHECK] != prefix[-CHECK:]:
        raise _damaged(path, "bị hỏng ở phần đầu tệp")
    if version > FORMAT_VERSION:
        raise EncryptedFileError(f"Bản sao lưu mã hoá {path} được tạo bởi phiên bản MotCua mới "
                                 "hơn; hãy cập nhật MotCua rồi khôi phục.")
    if (version < 1 or kdf != KDF_SCRYPT or not 1 <= r <= 32 or not 1 <= p <= 16
            or not 10 <= log_n <= 24 or 128 * r * (1 << log_n) > MAX_KDF_MEMORY
            or 128 * r * (1 << log_n) * p > MAX_KDF_WORK
            or not 4096 <= chunk <= 1 << 26):
        raise _damaged(path, "có phần đầu tệp không hợp lệ")
    return Header(log_n, r, p, chunk, salt, nonce, prefix)


def _keys(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    if not passphrase:
        raise InputError("Chưa nhập mật khẩu của bản sao lưu mã hoá.")
    derived = Scrypt(salt=salt, length=64, n=1 << log_n, r=r, p=p).derive(normalized(passphrase))
    return derived[:32], derived[32:]


def unlock(header: Header, passphrase: str, path: str | os.PathLike) -> bytes:
    """The AES key of the backup, or WrongPassphrase naming the file (takes about 0.4 s)."""
    key, check_key = _keys(passphrase, header.salt, header.log_n, header.r, header.p)
    expected = hmac.new(check_key, header.raw[:_HEADER.size], hashlib.sha256).digest()
    if not hmac.compare_digest(expected, header.raw[_HEADER.size:-CHECK]):
        raise WrongPassphrase(f"Mật khẩu không đúng với bản sao lưu mã hoá {Path(path)}. Dữ liệu "
                              "hiện tại không bị thay đổi.")
    return key


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= 1 << 32:
        raise OperationError("Bản sao lưu quá lớn để mã hoá theo định dạng này.")
    return prefix + struct.pack(">IB", index, int(last))


def new_prefix(passphrase: str, *, chunk: int = CHUNK, log_n: int = LOG_N) -> tuple[bytes, bytes]:
    """A fresh header (random salt and nonce prefix) with its check and verifier; and the key."""
    salt, nonce = os.urandom(16), os.urandom(7)
    raw = _HEADER.pack(MAGIC, FORMAT_VERSION, KDF_SCRYPT, log_n, R, P, chunk, salt, nonce)
    key, check_key = _keys(passphrase, salt, log_n, R, P)
    signed = raw + hmac.new(check_key, raw, hashlib.sha256).digest()
    return signed + hashlib.sha256(signed).digest()[:CHECK], key


def encrypt_file(source: Path, dest: Path, passphrase: str, *, chunk: int = CHUNK,
                 log_n: int = LOG_N) -> None:
    """Write the encrypted form of `source` into the new file `dest`, one chunk at a time."""
    prefix, key = new_prefix(passphrase, chunk=chunk, log_n=log_n)
    aead, nonce = AESGCM(key), prefix[_HEADER.size - 7:_HEADER.size]
    with _open(source, "rb") as reader, _open(dest, "wb") as writer:
        _write(writer, dest, prefix)
        index = 0
        while True:
            piece = reader.read(chunk)
            last = len(piece) < chunk  # a full piece is never last: an empty one follows it
            _write(writer, dest, aead.encrypt(_nonce(nonce, index, last), piece, prefix))
            if last:
                break
            index += 1
        _sync(writer, dest)


def decrypt_file(source: Path, dest: Path | None, passphrase: str, *,
                 on_chunk: Callable[[int], None] | None = None) -> None:
    """Authenticate every chunk of `source`, writing the plain bytes into `dest` (None: only
    verify). On any failure the partial `dest` is removed and nothing of it may be used."""
    header = read_header(source)
    aead = AESGCM(unlock(header, passphrase, source))
    try:
        with _open(source, "rb") as reader, _maybe_open(dest) as writer:
            reader.seek(PREFIX_SIZE)
            _decrypt_chunks(reader, writer, aead, header, source, dest, on_chunk)
    except BaseException:
        if dest is not None:
            dest.unlink(missing_ok=True)
        raise


def _decrypt_chunks(reader: IO[bytes], writer: IO[bytes] | None, aead: AESGCM, header: Header,
                    source: Path, dest: Path | None, on_chunk) -> None:
    size, index = header.chunk + TAG, 0
    while True:
        block = reader.read(size)
        if not block:
            raise _damaged(source, "bị cắt cụt (thiếu phần cuối tệp)")
        last = len(block) < size
        try:
            piece = aead.decrypt(_nonce(header.prefix, index, last), block, header.raw)
        except InvalidTag:
            raise _damaged(source, _where(index, header.chunk, last)) from None
        if writer is not None:
            _write(writer, dest or source, piece)
        if on_chunk is not None:
            on_chunk(index)
        if last:
            return
        index += 1


def _where(index: int, chunk: int, last: bool) -> str:
    place = f"từ byte {PREFIX_SIZE + index * (chunk + TAG):,}".replace(",", ".")
    if last:
        return f"bị hỏng hoặc bị cắt cụt ở đoạn cuối ({place})"
    return f"bị hỏng hoặc bị sửa đổi ở đoạn thứ {index + 1} ({place})"


def _open(path: Path, mode: str) -> IO[Any]:
    try:
        return open(path, mode)  # noqa: SIM115  (closed by the callers' with)
    except OSError as exc:
        if "r" in mode:
            raise OperationError(f"Không đọc được tệp {path}: {read_reason(exc)}.") from exc
        raise OperationError(f"Không ghi được tệp {path}: {os_reason(exc)}.") from exc


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc) -> None:
        return None


def _maybe_open(dest: Path | None):
    return _Nothing() if dest is None else _open(dest, "wb")


def _write(writer: IO[bytes], path: Path, data: bytes) -> None:
    try:
        writer.write(data)
    except OSError as exc:
        raise OperationError(f"Không ghi được tệp {path}: {os_reason(exc)}.") from exc


def _sync(writer: IO[bytes], path: Path) -> None:
    try:
        writer.flush()
        os.fsync(writer.fileno())
    except OSError as exc:
        raise OperationError(f"Không ghi được tệp {path}: {os_reason(exc)}.") from exc
