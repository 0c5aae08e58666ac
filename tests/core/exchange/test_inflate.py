"""The package's members inflated by ISA-L (the `isal` package) or, without it, by zlib: the
same bytes, the same refusals of a damaged or lying stream, in bounded work (issue 16 §3,
docs/speed.md, fifteenth round)."""
from __future__ import annotations

import hashlib
import struct
import sys
import zipfile
import zlib

import pytest

from core.errors import InputError
from core.exchange import export_package, import_package, package
from core.exchange.package import CHUNK, MANIFEST, ROWS_PART, PackageReader, inflate
from tests.core.exchange.conftest import busy_day, repack
from tests.core.exchange.test_exchange import SINCE

pytestmark = pytest.mark.usefixtures("own_temp")  # the part's temporary file removed always


class Counted:
    """An inflating module (isal_zlib) whose decompressors are counted, with the bytes each
    gave and the most one call gave."""

    def __init__(self, module):
        self.module, self.error, self.made, self.given, self.most = module, module.error, 0, 0, 0

    def decompressobj(self, wbits):
        self.made += 1
        real, counted = self.module.decompressobj(wbits), self

        class Decompress:
            def decompress(self, data, max_length=0):
                out = real.decompress(data, max_length)
                counted.given += len(out)
                counted.most = max(counted.most, len(out))
                return out

            def flush(self):
                return real.flush()

            def __getattr__(self, name):  # eof, unconsumed_tail, unused_data
                return getattr(real, name)
        return Decompress()


@pytest.fixture(params=["isal", "zlib"])
def inflater(request, monkeypatch):
    """The program's inflater (ISA-L, counted), or zlib's as where `isal` cannot be imported."""
    if request.param == "zlib":
        monkeypatch.setattr(inflate, "INFLATE", zlib)
        return None
    from isal import isal_zlib
    counted = Counted(isal_zlib)
    monkeypatch.setattr(inflate, "INFLATE", counted)
    return counted


@pytest.fixture
def sent(counter, tmp_path):
    busy_day(counter)
    path = tmp_path / "ba.zip"
    export_package(counter, path, SINCE)  # format 3: the rows part
    return path


def test_the_program_inflates_with_isa_l_and_with_zlib_when_isal_is_missing(monkeypatch):
    from isal import isal_zlib
    assert package.inflate_module() is isal_zlib
    assert package.INFLATE is isal_zlib  # requirements.txt: the program is given it
    monkeypatch.setitem(sys.modules, "isal", None)  # `import isal` then raises ImportError
    monkeypatch.delitem(sys.modules, "isal.isal_zlib", raising=False)
    assert package.inflate_module() is zlib


def test_either_inflater_gives_the_part_byte_for_byte(sent, inflater):
    with zipfile.ZipFile(sent) as archive:
        member = archive.read(ROWS_PART)
        small = len(archive.read(MANIFEST)) + len(archive.read(package.CHECKSUMS))
        assert archive.comment  # the signature: in the zip's comment, nothing to inflate
    with PackageReader(sent) as reader:
        assert reader.part_path is not None
        assert reader.part_path.read_bytes() == member
        assert reader.records_in["dossiers.jsonl"] == 3
    if inflater is not None:  # every member was read by ISA-L's decompressor, not zlib's
        assert inflater.made == 3 and inflater.given == len(member) + small


def test_a_format_2_package_is_verified_and_read_by_the_same_inflater(counter, db, tmp_path,
                                                                      inflater):
    """Every member a reader reads, each time it reads it (verified, then its records read
    while merging), goes through the one inflater (`PackageReader._member`)."""
    busy_day(counter)
    two = tmp_path / "hai.zip"
    export_package(counter, two, SINCE, format_version=2)
    with zipfile.ZipFile(two) as archive:
        parts = [i for i in archive.infolist() if i.filename in package.PARTS
                 and i.compress_type == zipfile.ZIP_DEFLATED]
    import_package(db, two)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 3
    if inflater is not None:  # each deflated part inflated twice by it: verified, then read
        assert parts and inflater.made >= 2 * len(parts)


def _offsets(path, name) -> tuple[bytearray, zipfile.ZipInfo, int, int]:
    """The zip's bytes, the member's entry, where its compressed data starts and where its
    entry of the central directory starts."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info, start = archive.getinfo(name), archive.start_dir
    names, extra = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    central = start
    while True:  # the central directory's entries: 46 bytes, then name, extra and comment
        assert data[central:central + 4] == b"PK\x01\x02"
        sizes = struct.unpack("<HHH", data[central + 28:central + 34])
        if data[central + 46:central + 46 + sizes[0]] == name.encode():
            break
        central += 46 + sum(sizes)
    return data, info, info.header_offset + 30 + names + extra, central


def refused(db, path) -> None:
    with pytest.raises(InputError) as error:
        import_package(db, path)
    said = str(error.value)
    assert f"bị hỏng: tệp {ROWS_PART} trong gói không giải nén được (" in said
    assert "Chưa ghi gì" in said and "zlib" not in said and "Error" not in said
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_a_stream_that_is_no_deflate_is_refused_as_a_damaged_part(sent, db, tmp_path, inflater):
    """(zlib's error escaped as it was before this round: a crash, not the clerk's words.)"""
    data, _info, start, _central = _offsets(sent, ROWS_PART)
    data[start] = 0x07  # a last block of the reserved type 3
    bad = tmp_path / "hong.zip"
    bad.write_bytes(data)
    refused(db, bad)


def test_a_stream_changed_inside_is_refused_as_a_damaged_part(sent, db, tmp_path, inflater):
    """A byte changed in the middle of the stream, where the change changes what it inflates
    to (~2 % of the bytes of a deflate stream can change and inflate to the same bytes, with
    zlib as with ISA-L: then the part is whole and read as it is)."""
    data, info, start, _central = _offsets(sent, ROWS_PART)
    stream = bytes(data[start:start + info.compress_size])
    whole = zlib.decompress(stream, -zlib.MAX_WBITS)
    at = info.compress_size // 2
    while True:
        changed = bytearray(stream)
        changed[at] ^= 0x55
        try:
            if zlib.decompress(bytes(changed), -zlib.MAX_WBITS) != whole:
                break
        except zlib.error:
            break
        at += 1
    data[start + at] ^= 0x55
    bad = tmp_path / "doi.zip"
    bad.write_bytes(data)
    refused(db, bad)


def test_a_member_that_inflates_beyond_its_declared_size_is_refused_in_bounded_work(
        sent, db, tmp_path, inflater):
    """Its directory says 2 MB (within the ratio a zip bomb is refused by, before any read),
    its stream holds 32 MB: zipfile stops at the declared size, where the CRC-32 fails."""
    with zipfile.ZipFile(sent) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    members[ROWS_PART] = bytes(32 << 20)
    lying = tmp_path / "noi.zip"
    repack(members, lying)
    declared = 2 << 20
    data, info, _start, central = _offsets(lying, ROWS_PART)
    assert info.file_size == 32 << 20 and declared < package.RATIO_MAX * info.compress_size
    data[info.header_offset + 22:info.header_offset + 26] = struct.pack("<L", declared)
    data[central + 24:central + 28] = struct.pack("<L", declared)
    lying.write_bytes(data)
    refused(db, lying)
    if inflater is not None:  # never more inflated than asked for, a chunk at a time
        assert 0 < inflater.given <= declared + CHUNK and inflater.most <= CHUNK


def test_a_format_2_part_that_is_no_deflate_is_refused_as_damaged(counter, db, tmp_path,
                                                                  inflater):
    busy_day(counter)
    two = tmp_path / "hai.zip"
    export_package(counter, two, SINCE, format_version=2)
    data, _info, start, _central = _offsets(two, "dossiers.jsonl")
    data[start] = 0x07
    bad = tmp_path / "hong2.zip"
    bad.write_bytes(data)
    with pytest.raises(InputError) as error:
        import_package(db, bad)
    assert "bị hỏng: tệp dossiers.jsonl trong gói không giải nén được (" in str(error.value)


def test_the_checksum_is_still_of_the_inflated_bytes(sent, db, tmp_path, inflater):
    """A part whose bytes inflate cleanly but are not those the manifest names."""
    with zipfile.ZipFile(sent) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    manifest = members[MANIFEST]
    changed = bytearray(members[ROWS_PART])
    changed[-100] ^= 1
    members[ROWS_PART] = bytes(changed)  # the manifest and checksums say the old part's
    bad = tmp_path / "sua.zip"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    assert hashlib.sha256(changed).hexdigest() not in manifest.decode()
    with pytest.raises(InputError) as error:
        import_package(db, bad)
    assert f"mã kiểm tra SHA-256 của phần {ROWS_PART} không khớp" in str(error.value)
