"""A package made by a NEWER MotCua (round 13 review): its manifest's schema version higher
than this program's, in a package format this program reads, was accepted silently (format 2),
or refused as a part "of another schema" with advice for both machines (format 3). Refused from
the manifest with the one advice that helps: update MotCua on this machine; nothing written,
exit 2 on the command line. An older schema is read as before."""
from __future__ import annotations

import json
import zipfile

import pytest

import main
from core.errors import InputError
from core.exchange import export_package, import_package
from core.exchange.package import MANIFEST, PackageReader
from core.version import VERSION
from db.schema import SCHEMA_VERSION
from tests.core.exchange.conftest import busy_day, office, repack, rewrite_rows
from tests.core.exchange.test_exchange import SINCE

NEWER = SCHEMA_VERSION + 1


def _members(path) -> dict:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info.filename) for info in package.infolist()}


def _with_manifest(source, target, **fields):
    """The package with these manifest fields, every checksum made to match again."""
    members = _members(source)
    manifest = json.loads(members[MANIFEST])
    manifest.update(fields)
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, target)
    return target


@pytest.fixture(params=[2, 3], ids=["format2", "format3"])
def made(request, tmp_path):
    counter = office(tmp_path / "counter.db", (1, 2))
    busy_day(counter)
    path = tmp_path / "good.zip"
    export_package(counter, path, SINCE, format_version=request.param)
    counter.close()
    return request.param, path


def _newer(fmt: int, path, tmp_path, **manifest):
    """What a newer program makes: its schema in the manifest (and, format 3, in its part)."""
    if fmt == 3:
        part = tmp_path / "part.zip"
        rewrite_rows(path, part, lambda conn: conn.execute(f"PRAGMA user_version = {NEWER}"))
        path = part
    return _with_manifest(path, tmp_path / "newer.zip", schema_version=NEWER, **manifest)


def _counts(db) -> tuple:
    return tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("dossiers", "votes", "setting_changes", "access_log"))


def test_a_package_of_a_newer_schema_is_refused_naming_both_programs(made, tmp_path):
    fmt, path = made
    newer = _newer(fmt, path, tmp_path, program_version="1.4.0")
    centre = office(tmp_path / "centre.db", (2, 2))
    before = _counts(centre)
    with pytest.raises(InputError) as caught:
        import_package(centre, newer)
    said = str(caught.value)
    assert said == (
        f"Gói newer.zip không dùng được: gói do MotCua 1.4.0 xuất, theo lược đồ dữ liệu phiên "
        f"bản {NEWER}, mới hơn lược đồ {SCHEMA_VERSION} của MotCua {VERSION} ở máy này: máy "
        f"này không đọc đúng được gói. Hãy cập nhật MotCua ở máy này lên bản 1.4.0 hoặc mới "
        f"hơn, rồi nhập lại gói. Chưa ghi gì vào cơ sở dữ liệu.")
    with pytest.raises(InputError, match="mới hơn lược đồ"):  # the preview says the same
        import_package(centre, newer, dry_run=True)
    assert _counts(centre) == before
    centre.close()


def test_a_sender_version_that_is_no_version_is_not_repeated(made, tmp_path):
    fmt, path = made
    newer = _newer(fmt, path, tmp_path, program_version="<b>x</b>")
    with pytest.raises(InputError) as caught:
        PackageReader(newer)
    said = str(caught.value)
    assert "gói do một bản MotCua mới hơn xuất" in said and "<b>" not in said
    assert "Hãy cập nhật MotCua ở máy này, rồi nhập lại gói." in said


def test_the_command_line_exits_2(made, tmp_path, capsys):
    fmt, path = made
    newer = _newer(fmt, path, tmp_path)
    office(tmp_path / "centre.db", (2, 2)).close()
    code = main.main(["--db", str(tmp_path / "centre.db"), "exchange", "import", str(newer)])
    err = capsys.readouterr().err
    assert code == 2 and "mới hơn lược đồ" in err and "Hãy cập nhật MotCua ở máy này" in err
    assert "Chưa ghi gì" in err and "Traceback" not in err


def test_an_older_schema_is_read_as_before(tmp_path):
    """A format-2 package of an older schema is imported; a format-3 part said to be older
    but not what that schema's program made is refused by the part's check, not as newer (a
    genuine older part is brought forward: test_older_part)."""
    counter = office(tmp_path / "counter.db", (1, 2))
    busy_day(counter)
    two, three = tmp_path / "two.zip", tmp_path / "three.zip"
    export_package(counter, two, SINCE, format_version=2)
    export_package(counter, three, SINCE, format_version=3)
    counter.close()
    centre = office(tmp_path / "centre.db", (2, 2))
    older = _with_manifest(two, tmp_path / "older.zip", schema_version=SCHEMA_VERSION - 3)
    result = import_package(centre, older)
    assert result.written and result.dossiers["new"] == 3
    old_part = tmp_path / "old-part.zip"
    # (24: a part of 25 is one of 26, whose upgrade changed only the ledger, kept by no part)
    rewrite_rows(three, old_part, lambda conn: conn.execute(
        f"PRAGMA user_version = {SCHEMA_VERSION - 2}"))
    old_part = _with_manifest(old_part, tmp_path / "older3.zip",
                              schema_version=SCHEMA_VERSION - 2)
    with pytest.raises(InputError) as caught:
        PackageReader(old_part)
    assert f"lược đồ phiên bản {SCHEMA_VERSION - 2}" in str(caught.value)
    assert "cấu trúc" in str(caught.value) and "mới hơn" not in str(caught.value)
    centre.close()
