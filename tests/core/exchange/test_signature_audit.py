"""An import's own audit record says how its package was signed (spec 10: every change
attributable): the origin record every merged package leaves (core.actor_names.record_origin,
logged in setting_changes) keeps its signature's status against the keys pinned here — known,
pinned by this import, unsigned — and the key; the sender's sources row keeps the status of its
last package. The command and the window go through one function (import_packages)."""
from __future__ import annotations

import json

import pytest

import main
from core import actor_names, installation
from core.exchange import export_package, signing
from core.exchange.merge import import_packages
from core.exchange.package.signature import public_bytes
from tests.core.exchange.conftest import busy_day, clock_at, office, receive
from tests.core.exchange.test_exchange import SINCE


@pytest.fixture
def dbs(tmp_path):
    sender, older, centre = (office(tmp_path / name, slot) for name, slot in
                             (("xa.db", (1, 3)), ("cu.db", (3, 3)), ("trungtam.db", (2, 3))))
    busy_day(sender)
    busy_day(older, names=("Lý Văn Tâm",))
    yield sender, older, centre
    for db in (sender, older, centre):
        db.close()


def origins(db) -> list[tuple[str, dict]]:
    """Each origin record with its logged value (setting_changes) — they must be the same."""
    out = []
    for key, value in db.execute("SELECT key, value FROM settings WHERE key LIKE ? ORDER BY key",
                                 [actor_names.ORIGIN_PREFIX + "%"]):
        logged = db.execute("SELECT new_value, old_value FROM setting_changes WHERE key = ?",
                            [key]).fetchall()
        assert logged == [(value, None)]  # written once, logged once
        out.append((key, json.loads(value)))
    return out


def last_signature(db, sender) -> str:
    from core.exchange import sources
    value = db.execute("SELECT value FROM settings WHERE key = ?",
                       [sources.key(installation.installation_id(sender), None)]).fetchone()[0]
    return json.loads(value)["last"].get("signature")


def test_each_import_records_its_packages_signature(dbs, tmp_path, capsys):
    sender, older, centre = dbs
    key = public_bytes(signing.own_key(sender)).hex()
    first = tmp_path / "goi1.zip"
    export_package(sender, first, SINCE)
    import_packages(centre, [first])
    [(_, said)] = origins(centre)
    assert said["package"] == "goi1.zip"
    assert said["signature"] == {"status": signing.NEW, "public_key": key}
    assert last_signature(centre, sender) == signing.NEW

    receive(sender, "Đinh Thị Lan", minutes=90)  # a later package brings a new dossier
    second = tmp_path / "goi2.zip"
    with clock_at(5):  # made later: it becomes the sender's last package
        export_package(sender, second, SINCE)
    path = centre.execute("PRAGMA database_list").fetchone()[2]
    with clock_at(10):
        assert main.main(["--db", path, "exchange", "import", str(second)]) == 0  # the command
    capsys.readouterr()
    assert origins(centre)[-1][1]["package"] == "goi2.zip"
    assert origins(centre)[-1][1]["signature"] == {"status": signing.KNOWN, "public_key": key}
    assert last_signature(centre, sender) == signing.KNOWN

    unsigned = tmp_path / "cu.zip"  # what a program older than the signature sends
    export_package(older, unsigned, SINCE, format_version=2)
    import_packages(centre, [unsigned])
    assert origins(centre)[-1][1]["package"] == "cu.zip"
    assert origins(centre)[-1][1]["signature"] == {"status": signing.UNSIGNED}
    assert last_signature(centre, older) == signing.UNSIGNED
    # the first record untouched by the later imports (append-only)
    assert origins(centre)[0][1]["signature"]["status"] == signing.NEW


def test_a_preview_records_nothing(dbs, tmp_path):
    sender, _older, centre = dbs
    package = tmp_path / "goi.zip"
    export_package(sender, package, SINCE)
    import_packages(centre, [package], dry_run=True)
    assert origins(centre) == []
