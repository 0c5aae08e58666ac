"""The program's version names the schema it writes (round 34's walk): round 32's release
(schema 24) and round 33's (schema 25, the votes' origin) were both "1.0.0", so an old centre refusing a new counter's
package said "gói do MotCua 1.0.0 xuất, theo lược đồ dữ liệu phiên bản 25, mới hơn lược đồ 24 của
MotCua 1.0.0 ở máy này" — two programs of one number — and both installers were
MotCua-Setup-1.0.0.exe, so the IT officer could not tell which one to install first. 1.0.0 is
recorded with 25 (the last it wrote); this one, 1.1.0, writes 26 (the origin in the ledger)."""
from __future__ import annotations

import re
from pathlib import Path

import main
from core.version import RELEASED, VERSION
from db.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_this_version_is_recorded_with_the_schema_it_writes():
    assert RELEASED.get(VERSION) == SCHEMA_VERSION


def test_the_published_one_is_recorded_with_the_schema_round_33_shipped():
    assert RELEASED["1.0.0"] == 25 and RELEASED["1.1.0"] == 26


def test_no_two_versions_write_one_schema_and_none_is_reused():
    schemas = list(RELEASED.values())
    assert len(set(schemas)) == len(schemas)
    assert schemas == sorted(schemas)


def test_the_installer_and_the_docs_name_this_version():
    script = (ROOT / "installer" / "MotCua.iss").read_text(encoding="utf-8-sig")
    assert re.search(r'#define AppVersion "([^"]+)"', script).group(1) == VERSION
    updating = (ROOT / "docs" / "updating.md").read_text(encoding="utf-8")
    assert f"MotCua {VERSION}" in updating
    build = (ROOT / "docs" / "build-windows.md").read_text(encoding="utf-8")
    assert f"/DAppVersion={VERSION}" in build and f"MotCua-Setup-{VERSION}.exe" in build


def test_the_command_line_says_the_version_and_its_schema(capsys):
    """Nothing said which version a PC runs (no --version, no About box): the IT officer
    updating a centre, its counters and a commune could not check a PC before or after."""
    assert main.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"MotCua {VERSION} (lược đồ dữ liệu {SCHEMA_VERSION})"
