"""Where a package's signature travels (round 29): in the zip's archive comment, so that a
MotCua reading format 3 but older than the signature (e128e2d and before) opens a signed package
as an unsigned one, while round 28's packages (the signature as the member signature.json) are
still read and verified (core.exchange.package.signature)."""
from __future__ import annotations

import json
import tracemalloc
import zipfile

import pytest

from core import installation, limits, zipdir
from core.errors import InputError
from core.exchange import export_package, signing
from core.exchange.merge import import_packages
from core.exchange.package import CHECKSUMS, PackageReader, signature, sums, verifying
from core.exchange.package.layout import SIGNATURE
from tests.core.exchange.conftest import busy_day, office
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_package_signature import members_of, packed, refused

# What the reader of e128e2d (the last release reading format 3 before the signature) accepted:
# `git show e128e2d:core/exchange/package/layout.py`, MEMBERS. Its verifying._check_members
# refused any other member ("có phần lạ"), its sums.sums_of wanted every member but
# checksums.sha256 listed there, its _read_manifest every member of the format's parts; it
# never read the zip's comment (`git grep -n comment e128e2d -- core/exchange core/zipdir.py`:
# only zipdir, which finds the end record past a comment as zipfile does).
OLDER_MEMBERS = ("manifest.json", "checksums.sha256", "units.jsonl", "procedures.jsonl",
                 "calendar.jsonl", "dossiers.jsonl", "votes.jsonl", "rows.motcua")


@pytest.fixture
def sender(tmp_path):
    db = office(tmp_path / "xa.db", (1, 2))
    busy_day(db)
    yield db
    db.close()


@pytest.fixture
def centre(tmp_path):
    db = office(tmp_path / "trungtam.db", (2, 2))
    yield db
    db.close()


def exported(db, path):
    export_package(db, path, SINCE)
    return path


def test_a_signed_package_holds_only_what_an_older_format_3_reader_accepts(sender, tmp_path):
    package = exported(sender, tmp_path / "goi.zip")
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        listed = [line.split("  ")[1] for line in archive.read(CHECKSUMS).decode().splitlines()]
        comment = archive.comment
    assert set(names) <= set(OLDER_MEMBERS) and len(names) == len(set(names)), names
    assert sorted(listed) == sorted(n for n in names if n != CHECKSUMS)
    assert json.loads(comment)["algorithm"] == "Ed25519"  # the signature: in the comment
    # the zip's directory as an older reader measures it (core.zipdir, unchanged since)
    assert zipdir.directory_bytes(package) is not None
    assert zipdir.directory_bytes(package) <= limits.ZIP_DIRECTORY_MAX
    with PackageReader(package) as reader:  # and this program verifies it
        assert reader.signed is not None
        assert reader.signed.installation == installation.installation_id(sender)


def test_the_older_readers_rules_open_a_signed_package_as_an_unsigned_one(
        sender, centre, tmp_path, monkeypatch):
    """The reader held to e128e2d's rules: its members' list, no signature known."""
    package = exported(sender, tmp_path / "goi.zip")
    for module in (verifying, sums):
        monkeypatch.setattr(module, "MEMBERS", OLDER_MEMBERS)
        monkeypatch.setattr(module, "SIGNATURE", "\0none")  # no name of that reader's
    monkeypatch.setattr(signature, "signed_by", lambda reader, checksums: None)
    with PackageReader(package) as reader:
        assert reader.verified and reader.signed is None and reader.declared() == 3
    result = import_packages(centre, [package]).results[0]
    assert result.written and result.signature == signing.UNSIGNED


def test_a_round_28_package_still_verifies_and_pins_the_same_key(sender, centre, tmp_path):
    """Signed as round 28 wrote it (the member signature.json), then as now (the comment):
    one key, one sender; each way verified."""
    members = members_of(exported(sender, tmp_path / "goi.zip"))
    old = packed(members, tmp_path / "vong28.zip", "member")
    with zipfile.ZipFile(old) as archive:
        assert SIGNATURE in archive.namelist() and archive.comment == b""
    first = import_packages(centre, [old]).results[0]
    assert first.written and first.signature == signing.NEW
    later = exported(sender, tmp_path / "sau.zip")
    assert import_packages(centre, [later]).results[0].signature == signing.KNOWN
    # a comment changed after the signing no longer passes as the sender's
    forged = members_of(later)
    said = json.loads(forged[SIGNATURE])
    forged[SIGNATURE] = json.dumps({**said, "signature": "0" * 128}).encode()
    refused(centre, packed(forged, tmp_path / "gia.zip", "comment"), "không khớp")


def test_a_package_with_two_signatures_is_refused(sender, centre, tmp_path):
    package = exported(sender, tmp_path / "goi.zip")
    members = members_of(package)
    both = packed(members, tmp_path / "hai.zip", "member")
    with zipfile.ZipFile(both, "a") as archive:
        archive.comment = members[SIGNATURE]
    refused(centre, both, "Gói hai.zip", "hai chữ ký")


@pytest.mark.parametrize("comment, words", [
    (b"\x00\xff" * 32_767, "vượt giới hạn"),               # the largest a zip's comment can be
    (b"Created by WinZip", "không phải JSON"),
    (b"{" * 4000, "không phải JSON"),
    (b'{"algorithm": "Ed25519"}', "đúng các trường"),
], ids=["huge", "text", "deep", "fields"])
def test_a_hostile_comment_is_refused_in_words_in_bounded_memory(centre, tmp_path, sender,
                                                                 comment, words):
    members = members_of(exported(sender, tmp_path / "goi.zip"))
    members.pop(SIGNATURE)
    bad = packed(members, tmp_path / "la.zip")
    with zipfile.ZipFile(bad, "a") as archive:
        archive.comment = comment
    tracemalloc.start()
    try:
        said = refused(centre, bad, "Gói la.zip", "chú thích (comment)", words)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, peak
    assert len(said) < 600  # the comment is not repeated to the clerk
    with pytest.raises(InputError):
        PackageReader(bad)
