"""One rule for the version number (core.version): it changes with every schema change. Round
33 changed the schema (25, the votes' origin) and kept 1.0.0, so the previous program refused a
package of it saying «gói do MotCua 1.0.0 xuất, … mới hơn lược đồ 24 của MotCua 1.0.0 ở máy
này … Hãy cập nhật MotCua ở máy này» — the same number on both sides, no version to install."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from core import version
from core.exchange import export_package
from core.exchange.package import MANIFEST, manifest
from db import schema
from tests.core.exchange.conftest import busy_day, office
from tests.core.exchange.test_exchange import SINCE

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_was_given_for_this_schema():
    assert version.SCHEMA == schema.SCHEMA_VERSION, (
        f"lược đồ {schema.SCHEMA_VERSION} mới: hãy đổi core.version.VERSION (và SCHEMA)")


def test_the_installer_and_its_doc_build_this_version():
    iss = (ROOT / "installer" / "MotCua.iss").read_text(encoding="utf-8-sig")
    assert re.findall(r'#define AppVersion "([^"]+)"', iss) == [version.VERSION]
    guide = (ROOT / "docs" / "build-windows.md").read_text(encoding="utf-8")
    assert set(re.findall(r"/DAppVersion=(\S+)", guide + iss)) == {version.VERSION}
    assert set(re.findall(r"MotCua-Setup-([0-9.]+)\.exe", guide)) == {version.VERSION}


def test_the_previous_program_names_this_version_to_install(tmp_path, monkeypatch):
    """What the previous program (1.0.0; its refusal is this function, unchanged since round
    13) says of the manifest this version writes: two versions, and the one to install (the
    real round-32 program said so of a package of round 34's branch: docs/import-export.md).
    1.0.0 wrote schema 24 until round 32 and 25 (the votes' origin) in round 33; this version
    writes 26 (the origin in the ledger's hash)."""
    counter = office(tmp_path / "counter.db", (1, 2))
    try:
        busy_day(counter)
        export_package(counter, tmp_path / "p.zip", SINCE)
    finally:
        counter.close()
    with zipfile.ZipFile(tmp_path / "p.zip") as package:
        made = json.loads(package.read(MANIFEST))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 24)  # round 32's 1.0.0
    monkeypatch.setattr(version, "VERSION", "1.0.0")
    assert manifest.newer_schema(made) == (
        "gói do MotCua 1.1.0 xuất, theo lược đồ dữ liệu phiên bản 26, mới hơn lược đồ 24 của "
        "MotCua 1.0.0 ở máy này: máy này không đọc đúng được gói. Hãy cập nhật MotCua ở máy này "
        "lên bản 1.1.0 hoặc mới hơn, rồi nhập lại gói.")
