"""Installations for the exchange tests: counter PCs with their own database files."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from core import dossiers as D
from core import installation, payments, timefmt, votes
from core.database import open_database
from core.exchange import export, merge, signing
from core.exchange.package import CHECKSUMS, MANIFEST, ROWS_PART, signature
from core.exchange.package.layout import SIGNATURE
from db import searchtext
from tests.copies import BuiltOnce, copied  # noqa: F401 (tests import copied here)
from tests.core.factories import add_procedures, add_units

NOW = dt.datetime(2025, 10, 20, 16, 0)
DAY = dt.datetime(2025, 10, 20, 8, 0)


@pytest.fixture
def own_temp(tmp_path, monkeypatch):
    """The temporary folder of this test alone: every path must remove the part's temporary
    file (a module that wants it for every test: `pytestmark = usefixtures("own_temp")`)."""
    folder = tmp_path / "tam"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


@contextlib.contextmanager
def clock_at(minutes: int):
    """The frozen clock `minutes` after NOW meanwhile: a package made then is merged after
    those made before it in one operation (its manifest's created_at: merge.merge_order),
    as a counter's package made after it took another's is."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timefmt, "now", lambda: NOW + dt.timedelta(minutes=minutes))
        yield


def made_later(path, minutes: int = 1) -> None:
    """The package as if made `minutes` later (its manifest's created_at, the checksums made
    to match): merged after those made before it, wherever given (merge.merge_order)."""
    members = package_members(path)
    manifest = json.loads(members[MANIFEST])
    later = dt.datetime.fromisoformat(manifest["created_at"]) + dt.timedelta(minutes=minutes)
    manifest["created_at"] = later.strftime("%Y-%m-%d %H:%M:%S")
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, path)


def in_merge_order(paths: list) -> list:
    """Package files in the order one operation merges them (merge.merge_order), whatever
    the order given: what one package at a time leaves the same is taken in this order."""
    manifests = []
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            manifests.append(json.loads(archive.read(MANIFEST)))
    return [paths[given] for given in merge.merge_order(manifests)]


class _SignedBuilds(BuiltOnce):
    """tests/copies.BuiltOnce, and the signing keys a build made (`sign_again`) known again in
    each test that asks for it: a forgery of its packages is signed again as its sender would."""

    def kept(self, build, folder):
        before = set(SENDERS_KEYS)
        result = build(folder)
        return result, {k: v for k, v in SENDERS_KEYS.items() if k not in before}

    def recall(self, kept) -> None:
        SENDERS_KEYS.update(kept)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """`built_once(key, build)` (tests/copies.BuiltOnce: each build's files checked untouched
    whenever given again and at the module's end), with the keys its build made."""
    builds = _SignedBuilds(tmp_path_factory)
    yield builds
    builds.all_unchanged()


def office(path, slot=(1, 1), catalogue=True):
    db = open_database(path)
    if catalogue:
        add_units(db)
        add_procedures(db)
    installation.set_slot(db, *slot)
    return db


@pytest.fixture
def counter(tmp_path):
    """A counter PC of the office (slot 1 of 2), its own database file."""
    db = office(tmp_path / "counter.db", (1, 2))
    yield db
    db.close()


def receive(db, name="Trần Thị Hoa", minutes=0, unit="U1", procedure="P.WD2", **kw) -> tuple:
    return D.create_dossier(db, unit_code=unit, procedure_code=procedure, applicant_name=name,
                            received_at=DAY + dt.timedelta(minutes=minutes),
                            applicant_phone="0912345678", **kw)


def busy_day(db, names=("Trần Thị Hoa", "Lò Văn Sử", "Hà Thị Mai"), vote_minute=0) -> list[str]:
    """A few dossiers with every kind of part: processing, a wait, an extension, a payment,
    a finished and returned one, a vote (on a dossier and one without)."""
    codes = []
    for i, name in enumerate(names):
        dossier_id, code = receive(db, name, minutes=10 * i, procedure="P.SD" if i == 0 else "P.WD2")
        codes.append(code)
        at = DAY + dt.timedelta(minutes=10 * i + 5)
        if i == 0:
            payments.add_payment(db, dossier_id, amount=10000, method="cash", paid_at=at)
            D.finish(db, dossier_id, at=at + dt.timedelta(hours=1))
            D.return_result(db, dossier_id, at=at + dt.timedelta(hours=2))
            votes.add_vote(db, unit_code="U1", voted_at=at + dt.timedelta(hours=2),
                           rating="satisfied", dossier_id=dossier_id)
        elif i == 1:
            D.start_processing(db, dossier_id, at=at)
            D.request_supplement(db, dossier_id, reason="Thiếu bản sao", at=at + dt.timedelta(hours=1))
            D.receive_supplement(db, dossier_id, at=at + dt.timedelta(hours=2))
        else:
            D.extend(db, dossier_id, new_due_at=DAY + dt.timedelta(days=7),
                     reason="Cần xác minh", at=at)
    votes.add_vote(db, unit_code="U1", voted_at=DAY + dt.timedelta(hours=3, minutes=vote_minute),
                   rating="neutral")
    return codes


@pytest.fixture(params=[2, 3], ids=["format2", "format3"])
def package_format(request, monkeypatch):
    """Run a test on packages of both formats the program writes (core.exchange.export)."""
    monkeypatch.setattr(export, "DEFAULT_FORMAT", request.param)
    return request.param


def rewrite_rows(source, target, change) -> None:
    """A format-3 package with its rows part changed by `change(connection)` (a plain
    connection to the extracted part, constraints and foreign keys off) and every checksum
    made to match again: what a forger who knows the format can make."""
    members = package_members(source)
    folder = Path(tempfile.mkdtemp(prefix="test-part-"))
    try:
        path = folder / ROWS_PART
        path.write_bytes(members[ROWS_PART])
        conn = sqlite3.connect(path, isolation_level=None)
        searchtext.register(conn)
        conn.execute("PRAGMA ignore_check_constraints = ON")
        change(conn)
        conn.close()
        members[ROWS_PART] = path.read_bytes()
    finally:
        shutil.rmtree(folder)
    repack(members, target)


def rewrite_units(package, change_units) -> None:
    """A format-2 package whose units.jsonl rows (dicts) are changed by `change_units(rows)`
    (returning the rows to write), the manifest's counts and every checksum made to match
    again: what a hostile or damaged sender writes (a desk never stores such a unit)."""
    members = package_members(package)
    rows = [json.loads(line) for line in members["units.jsonl"].decode().splitlines()]
    rows = change_units(rows)
    members["units.jsonl"] = "".join(json.dumps(r, ensure_ascii=False) + "\n"
                                     for r in rows).encode()
    manifest = json.loads(members[MANIFEST])
    manifest["parts"]["units.jsonl"]["records"] = manifest["counts"]["units"] = len(rows)
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, package)


def refused_alike(tmp_path, package) -> str:
    """The refusal of a fresh office's import of `package` and of its preview (the same words),
    nothing written ("Chưa ghi gì vào cơ sở dữ liệu.")."""
    from core.errors import InputError
    centre = office(tmp_path / "centre.db")
    try:
        before = list(centre.conn.iterdump())
        with pytest.raises(InputError) as previewed:
            merge.import_package(centre, package, dry_run=True)
        with pytest.raises(InputError) as imported:
            merge.import_package(centre, package)
        assert str(previewed.value) == str(imported.value)
        assert list(centre.conn.iterdump()) == before
        assert str(imported.value).endswith("Chưa ghi gì vào cơ sở dữ liệu.")
        return str(imported.value)
    finally:
        centre.close()


def package_members(path) -> dict:
    """A package's members (name -> bytes), its signature under SIGNATURE whether it travels
    in the zip's comment (since round 29) or as that member (round 28): `repack` writes it back
    as the member, which the program still reads (core.exchange.package.signature)."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
        if archive.comment:
            members[SIGNATURE] = archive.comment
    return members


def repack(members: dict, target) -> None:
    """Write these members as a package, the manifest's checksums and sizes made to match."""
    manifest = json.loads(members[MANIFEST])
    for name in manifest["parts"]:
        manifest["parts"][name]["sha256"] = hashlib.sha256(members[name]).hexdigest()
        manifest["parts"][name]["bytes"] = len(members[name])
    members[MANIFEST] = json.dumps(manifest).encode()
    with_sums(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members.items():
            new.writestr(name, data)


def with_sums(members: dict) -> dict:
    """`members` (name -> bytes) with checksums.sha256 made again for every other member, as
    PackageWriter writes it: what a forger who knows the format writes after a change. The
    sender's signature, which no longer matches, is made again when the sender's key is known
    (`sign_again`: a hostile sender), else dropped, as a forger without it would drop it
    (core.exchange.signing; tests/core/exchange/test_package_signature.py)."""
    said = json.loads(members.pop(SIGNATURE, b"{}"))
    members[CHECKSUMS] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                 for name, data in members.items() if name != CHECKSUMS).encode()
    key = SENDERS_KEYS.get(said.get("public_key", ""))
    if key is not None:  # a hostile sender signs its own forgery (sign_again: True)
        members[SIGNATURE] = signature.member(said["installation"], key, members[CHECKSUMS])
    return members


# public key (hex) -> the private key of every installation that signed a package in this test
# (`sign_again`): a forgery of the tests made by a sender is signed again with its own key
SENDERS_KEYS: dict[str, object] = {}


@pytest.fixture(autouse=True)
def sign_again(monkeypatch):
    """The tests' packages rewritten by their helpers (repack, with_sums) are signed again with
    the sender's own key, as a hostile SENDER would: what they test comes after the signature,
    which tests/core/exchange/test_package_signature.py tests on its own."""
    made = signing.own_key

    def kept(db):
        key = made(db)
        SENDERS_KEYS[signature.public_bytes(key).hex()] = key
        return key
    monkeypatch.setattr(signing, "own_key", kept)
    yield
    SENDERS_KEYS.clear()
