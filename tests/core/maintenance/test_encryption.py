"""Backups encrypted with a passphrase (issue 15 §3): round trip, refusals, bounded memory."""
from __future__ import annotations

import hashlib
import os
import tracemalloc
from pathlib import Path

import pytest

from core.errors import InputError
from core.maintenance import check_backup, encryption, make_backup, restore
from core.maintenance.encryption import (
    CHUNK,
    PREFIX_SIZE,
    TAG,
    EncryptedFileError,
    PassphraseNeeded,
    WrongPassphrase,
)
from tests.core.maintenance.test_maintenance import MOMENT, count

SECRET = "Bánh chưng xanh 2026!"
FAST = 10  # scrypt log2 N for the tests that only exercise the layout (the real one is 17)


@pytest.fixture
def encrypted(filled, tmp_path) -> Path:
    return make_backup(filled, tmp_path / "usb", passphrase=SECRET, moment=MOMENT)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hidden(*folders: Path) -> list[str]:
    return sorted(f.name for folder in folders if folder.is_dir()
                  for f in folder.iterdir() if f.name.startswith("."))


def test_an_encrypted_backup_restores_to_the_same_data(filled, encrypted, tmp_path, data_dir):
    assert encrypted.name == "motcua-20250314-093005.db.enc"
    assert encryption.is_encrypted(encrypted)
    assert b"SQLite format 3" not in encrypted.read_bytes()
    assert "Nguyễn Văn".encode() not in encrypted.read_bytes()
    assert hidden(tmp_path / "usb", filled.parent) == []  # the clear snapshot is gone
    target = tmp_path / "other" / "restored.db"
    target.parent.mkdir()
    result = restore(encrypted, target, passphrase=SECRET)
    assert count(target) == count(filled) == 40
    assert result.schema_before > 0 and hidden(target.parent) == []


def test_the_passphrase_is_compared_as_the_letters_typed(filled, tmp_path):
    """Vietnamese keyboards send "ả" composed or as a + combining hook: the same passphrase."""
    composed = "Mật khẩu của xã Vạn Phúc"
    copy = make_backup(filled, tmp_path, passphrase=composed)
    decomposed = __import__("unicodedata").normalize("NFD", composed)
    assert decomposed != composed
    restore(copy, tmp_path / "r.db", passphrase=decomposed)
    assert count(tmp_path / "r.db") == 40


def test_restoring_over_a_database_compares_the_chains_as_a_plain_restore_does(filled, tmp_path):
    plain = make_backup(filled, tmp_path / "plain")
    locked = make_backup(filled, tmp_path / "locked", passphrase=SECRET)
    first = restore(plain, filled, backup_folder=tmp_path / "kept")
    second = restore(locked, filled, backup_folder=tmp_path / "kept", passphrase=SECRET)
    assert second.chain == first.chain != ""
    assert second.previous_backup is not None and count(filled) == 40


def test_a_wrong_passphrase_changes_nothing(filled, encrypted, tmp_path):
    before = digest(filled)
    with pytest.raises(WrongPassphrase) as caught:
        restore(encrypted, filled, passphrase="không phải mật khẩu này")
    assert str(encrypted) in caught.value.message and "Mật khẩu không đúng" in caught.value.message
    assert caught.value.exit_code == 2
    assert digest(filled) == before and hidden(filled.parent) == []


def test_no_passphrase_is_asked_for_by_name(encrypted, filled):
    with pytest.raises(PassphraseNeeded, match="được mã hoá; cần mật khẩu"):
        restore(encrypted, filled)
    with pytest.raises(InputError, match="Chưa nhập mật khẩu"):
        restore(encrypted, filled, passphrase="")


@pytest.mark.parametrize("passphrase, words", [("", "Chưa nhập mật khẩu"),
                                               ("ngắn quá", "ít nhất 10 ký tự")])
def test_an_empty_or_short_passphrase_makes_no_backup(filled, tmp_path, passphrase, words):
    with pytest.raises(InputError, match=words):
        make_backup(filled, tmp_path / "usb", passphrase=passphrase)
    assert not (tmp_path / "usb").exists() and hidden(filled.parent) == []


def test_passphrase_rules():
    assert encryption.passphrase_problem("a" * 10) is None
    assert "không khớp" in encryption.passphrase_problem("a" * 10, "a" * 11)
    assert encryption.passphrase_problem("a" * 10, "a" * 10) is None


def small_chunks(tmp_path: Path, size: int, chunk: int = 4096) -> tuple[Path, Path]:
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(size))
    sealed = tmp_path / "sealed.enc"
    encryption.encrypt_file(plain, sealed, SECRET, chunk=chunk, log_n=FAST)
    return plain, sealed


@pytest.mark.parametrize("size, chunks", [(0, 1), (100, 1), (4096, 2), (4096 * 3 + 5, 4)])
def test_each_chunk_is_sealed_and_a_full_last_piece_gets_an_empty_chunk(tmp_path, size, chunks):
    plain, sealed = small_chunks(tmp_path, size)
    assert sealed.stat().st_size == PREFIX_SIZE + size + chunks * TAG
    out = tmp_path / "out.bin"
    encryption.decrypt_file(sealed, out, SECRET)
    assert out.read_bytes() == plain.read_bytes()


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("offset, words", [
    (0, "bị hỏng ở phần đầu tệp"), (9, "bị hỏng ở phần đầu tệp"),    # magic, format version
    (11, "bị hỏng ở phần đầu tệp"), (20, "bị hỏng ở phần đầu tệp"),  # scrypt N, salt
    (38, "bị hỏng ở phần đầu tệp"), (50, "bị hỏng ở phần đầu tệp"),  # nonce, verifier
    (PREFIX_SIZE - 1, "bị hỏng ở phần đầu tệp"),                     # the header's check
    (PREFIX_SIZE, "đoạn thứ 1"),                                      # first chunk
    (PREFIX_SIZE + (4096 + TAG) + 2000, "đoạn thứ 2"),                # a middle chunk
    (PREFIX_SIZE + 2 * (4096 + TAG) + 1, "đoạn cuối"),                # the last chunk
    (-1, "đoạn cuối"),                                                # its tag
])
def test_any_altered_byte_is_refused_naming_the_file(tmp_path, offset, words):
    _plain, sealed = small_chunks(tmp_path, 4096 * 2 + 300)
    flip(sealed, offset if offset >= 0 else sealed.stat().st_size + offset)
    out = tmp_path / "out.bin"
    with pytest.raises(EncryptedFileError) as caught:
        encryption.decrypt_file(sealed, out, SECRET)
    assert words in caught.value.message and str(sealed) in caught.value.message
    assert not out.exists()  # nothing half-written is left to be used


@pytest.mark.parametrize("keep, words", [
    (20, "cắt cụt ngay ở phần đầu"), (PREFIX_SIZE, "thiếu phần cuối"),
    (PREFIX_SIZE + 4096 + TAG, "thiếu phần cuối"),          # cut exactly after a chunk
    (PREFIX_SIZE + 4096 + TAG + 1000, "đoạn cuối"),         # cut inside a chunk
])
def test_a_cut_file_is_refused(tmp_path, keep, words):
    _plain, sealed = small_chunks(tmp_path, 4096 * 2 + 300)
    sealed.write_bytes(sealed.read_bytes()[:keep])
    with pytest.raises(EncryptedFileError, match=words):
        encryption.decrypt_file(sealed, tmp_path / "out.bin", SECRET)


def test_bytes_added_after_the_end_are_refused(tmp_path):
    _plain, sealed = small_chunks(tmp_path, 5000)
    sealed.write_bytes(sealed.read_bytes() + b"\0")
    with pytest.raises(EncryptedFileError, match="đoạn cuối"):
        encryption.decrypt_file(sealed, None, SECRET)


def test_chunks_cannot_be_swapped(tmp_path):
    _plain, sealed = small_chunks(tmp_path, 4096 * 3 + 1)
    data, size = sealed.read_bytes(), 4096 + TAG
    one, two = (data[PREFIX_SIZE + i * size:PREFIX_SIZE + (i + 1) * size] for i in (0, 1))
    sealed.write_bytes(data[:PREFIX_SIZE] + two + one + data[PREFIX_SIZE + 2 * size:])
    with pytest.raises(EncryptedFileError, match="đoạn thứ 1"):
        encryption.decrypt_file(sealed, None, SECRET)


@pytest.mark.parametrize("log_n, p", [
    (40, 1),   # scrypt N = 2^40: a terabyte of memory
    (20, 16),  # 1 GiB, the memory cap, mixed by 16 lanes: a minute of the clerk's PC
])
def test_an_absurd_work_factor_in_a_forged_header_is_refused_before_any_work(tmp_path, log_n, p):
    _plain, sealed = small_chunks(tmp_path, 10)
    data = bytearray(sealed.read_bytes())
    data[11], data[13] = log_n, p
    signed = bytes(data[:PREFIX_SIZE - 8])
    sealed.write_bytes(signed + hashlib.sha256(signed).digest()[:8] + bytes(data[PREFIX_SIZE:]))
    with pytest.raises(EncryptedFileError, match="phần đầu tệp không hợp lệ"):
        encryption.read_header(sealed)


def test_the_largest_work_a_header_may_ask_is_eight_times_the_default(tmp_path):
    _plain, sealed = small_chunks(tmp_path, 10)
    data = bytearray(sealed.read_bytes())
    data[13] = 8  # eight lanes of the default 128 MiB: allowed (about 3 s)
    signed = bytes(data[:PREFIX_SIZE - 8])
    sealed.write_bytes(signed + hashlib.sha256(signed).digest()[:8] + bytes(data[PREFIX_SIZE:]))
    assert encryption.read_header(sealed).p == 8


def test_memory_stays_at_a_few_chunks_whatever_the_size(tmp_path):
    plain = tmp_path / "big.bin"
    with open(plain, "wb") as handle:
        for _ in range(24):
            handle.write(os.urandom(CHUNK))  # 24 MiB
    sealed, back = tmp_path / "big.enc", tmp_path / "back.bin"
    tracemalloc.start()
    try:
        encryption.encrypt_file(plain, sealed, SECRET, log_n=FAST)
        _, encrypt_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        encryption.decrypt_file(sealed, back, SECRET)
        _, decrypt_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert encrypt_peak < 4 * CHUNK and decrypt_peak < 4 * CHUNK, (encrypt_peak, decrypt_peak)
    assert digest(back) == digest(plain)


def test_a_sound_encrypted_file_holding_an_altered_database_is_still_refused(filled, tmp_path):
    """Every check of a restore runs on the decrypted copy."""
    import sqlite3
    altered = tmp_path / "altered.db"
    altered.write_bytes(filled.read_bytes())
    conn = sqlite3.connect(altered)
    conn.execute("CREATE TABLE evil(x)")
    conn.close()
    sealed = tmp_path / "altered.db.enc"
    encryption.encrypt_file(altered, sealed, SECRET, log_n=FAST)
    before = digest(filled)
    with pytest.raises(InputError) as caught:
        check_backup(sealed, SECRET, filled.parent)
    assert f"Không khôi phục từ tệp {sealed}" in caught.value.message
    assert "evil" in caught.value.message
    with pytest.raises(InputError):
        restore(sealed, filled, passphrase=SECRET)
    assert digest(filled) == before and hidden(filled.parent) == []


def test_check_backup_reads_an_encrypted_backup_and_leaves_no_clear_copy(encrypted, filled):
    assert check_backup(encrypted, SECRET, filled.parent) > 0
    assert hidden(filled.parent) == []
    with pytest.raises(WrongPassphrase):
        check_backup(encrypted, "một mật khẩu khác hẳn", filled.parent)
