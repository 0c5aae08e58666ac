"""One reading of a package member's JSON (core.exchange.package.member_json) for the manifest,
a part's lines and the signature: a hostile member — too large, not JSON, a lone half of a
UTF-16 pair — gets one rule and one sentence naming it, and nothing is written. A dossier's
line carrying `"\\udcff"` (valid JSON) crashed the import with UnicodeEncodeError, where the
manifest's same character was refused in words (break33)."""
from __future__ import annotations

import hashlib
import json
import re
import zipfile

import pytest

from core.errors import InputError
from core.exchange import import_package
from core.exchange.package import MANIFEST
from core.exchange.package.layout import SIGNATURE
from core.exchange.package.member_json import MemberRefused, loads
from tests.core.exchange import test_hostile as hostile
from tests.core.exchange import test_package_signature as signed
from tests.core.exchange.test_hostile import refused, rewrite
from tests.core.exchange.test_package_signature import exported, members_of, packed

# the fixtures of those files: a format-2 package of a busy day; a signing commune and a centre
package, sender, centre = hostile.package, signed.sender, signed.centre
PART = "dossiers.jsonl"
HALF = "có ký tự không hợp lệ (mã U+DCFF, một nửa cặp UTF-16 đứng riêng)."


def with_first_line(package, target, line: bytes) -> None:
    """The package with its first dossier's line replaced, the manifest's and the sums'
    checksums made to match (a forger who knows the format)."""
    with zipfile.ZipFile(package) as archive:
        rest = archive.read(PART).partition(b"\n")[2]
    new = line + b"\n" + rest

    def change(name, data):
        if name == PART:
            return new
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["parts"][PART]["sha256"] = hashlib.sha256(new).hexdigest()
            return json.dumps(manifest, ensure_ascii=False).encode()
        return data
    rewrite(package, target, change)


def first_record(package) -> dict:
    with zipfile.ZipFile(package) as archive:
        return json.loads(archive.read(PART).partition(b"\n")[0])


@pytest.mark.parametrize("where", ["value", "key"])
def test_a_lone_half_in_a_dossiers_line_is_refused_in_words(db, package, tmp_path, where):
    record = first_record(package)
    if where == "value":
        record["fields"]["applicant_name"] = "__X__"
    else:
        record["fields"]["__X__"] = "x"
    text = json.dumps(record, ensure_ascii=False).replace("__X__", "Tr\\udcffn")
    bad = tmp_path / "nua.zip"
    with_first_line(package, bad, text.encode())
    message = refused(db, bad, f"phần {PART}, dòng 1 {HALF}")
    assert "\udcff" not in message
    with pytest.raises(InputError, match=re.escape(HALF)):
        import_package(db, bad, dry_run=True)


def test_surrogate_bytes_in_a_line_are_no_json_text(db, package, tmp_path):
    """Raw surrogate bytes are no UTF-8: json.loads of the bytes let them through."""
    record = first_record(package)
    record["fields"]["applicant_name"] = "__X__"
    text = json.dumps(record, ensure_ascii=False).encode().replace(b"__X__", b"Tr\xed\xb3\xbfn")
    bad = tmp_path / "byte.zip"
    with_first_line(package, bad, text)
    refused(db, bad, f"phần {PART}, dòng 1 không phải JSON hợp lệ.")


def test_a_line_nested_too_deep_is_said_as_every_member_says_it(db, package, tmp_path):
    bad = tmp_path / "sau.zip"
    with_first_line(package, bad, b"[" * 200_000)
    refused(db, bad, f"phần {PART}, dòng 1 không phải JSON hợp lệ.")


def test_the_manifest_is_read_by_the_same_rule(db, package, tmp_path):
    bad = tmp_path / "banke.zip"
    rewrite(package, bad, lambda n, d: b"[" * 200_000 if n == MANIFEST else d)
    refused(db, bad, f"bản kê {MANIFEST} không phải JSON hợp lệ.")
    half = tmp_path / "nua.zip"
    rewrite(package, half, lambda n, d: d.rstrip()[:-1] + b', "x": "\\udcff"}'
            if n == MANIFEST else d)
    refused(db, half, f"bản kê {MANIFEST} {HALF}")


@pytest.mark.parametrize("place", ["member", "comment"])
def test_the_signature_is_read_by_the_same_rule(sender, centre, tmp_path, place):
    members = members_of(exported(sender, tmp_path / "goi.zip"))
    said = json.loads(members[SIGNATURE])
    members[SIGNATURE] = json.dumps({**said, "installation": "\udcff"}).encode()  # ascii escape
    where = "tệp signature.json" if place == "member" else "phần chú thích (comment) của tệp nén"
    signed.refused(centre, packed(members, tmp_path / "la.zip", place), "Gói la.zip",
                   f"chữ ký số trong {where}", HALF)


def test_one_rule_in_words():
    assert loads(b'{"a": "\\ud83d\\ude00"}', "x", 100) == {"a": "😀"}  # a pair: one character
    for raw, said in ((b"{" * 5, "không phải JSON hợp lệ"), (b"0" * 101, "dài bất thường"),
                      (b'"\\udc00"', "có ký tự không hợp lệ (mã U+DC00, một nửa cặp UTF-16"),
                      (b'"\xff"', "không phải JSON")):
        with pytest.raises(MemberRefused, match=f"^phần X, dòng 2 {re.escape(said)}"):
            loads(raw, "phần X, dòng 2", 100)
