"""Who recorded a merged row, by name (spec 10, issue 16 §3): a login of commune A is commune
A's person at the centre, never the centre's account of the same login (core.actor_names)."""
from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from core import accounts, installation, payments
from core import dossiers as D
from core.actor_names import MANIFEST_KEY, ORIGIN_PREFIX, Names, package_names
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, import_package, merge
from core.exchange.merge import import_packages
from core.exchange.package import MANIFEST
from core.pdf import reconcile as reconcile_pdf
from core.pdf.slip_data import dossier_events, load_dossier
from core.pdf.slips import build_receipt
from core.reconcile.matching import load_items
from db import actor as actors
from db import chain
from tests.core.exchange.conftest import DAY, clock_at, copied, office, receive, repack
from tests.core.exchange.test_exchange import SINCE, ok, snapshot
from tests.pdfread import pdf_text

AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"


def staffed(path, slot, clerk_name, admin_name="Quản Trị Viên"):
    """An installation with an administrator `quantri` and its own clerk `canbo1`."""
    db = office(path, slot)
    accounts.create_account(db, "quantri", admin_name, ["admin"], "matkhau123")
    accounts.create_account(db, "canbo1", clerk_name, ["clerk"], "matkhau123")
    return db


def as_clerk(db, work, login="canbo1"):
    """`work(db)` done by the installation's `login` (canbo1), signed in."""
    account = accounts.get(db, login)
    assert account is not None
    actors.sign_in(account.as_actor())
    try:
        return work(db)
    finally:
        actors.sign_out()


def clerk_day(db, name: str, minutes: int) -> str:
    """canbo1 receives a dossier, takes a payment, moves it on: rows of three tables."""
    def work(db):
        dossier_id, code = receive(db, name, minutes=minutes, procedure="P.SD")
        at = DAY + dt.timedelta(minutes=minutes + 5)
        payments.add_payment(db, dossier_id, amount=10000, method="cash", paid_at=at)
        D.start_processing(db, dossier_id, at=at)
        return code
    return as_clerk(db, work)


def three_places(folder) -> tuple:
    """Commune A, commune B and the centre, each with its own canbo1 (three people), a dossier
    each, the communes' packages written; every database closed (files only, for `copied`)."""
    a = staffed(folder / "a.db", (1, 3), AN)
    b = staffed(folder / "b.db", (2, 3), BINH)
    centre = staffed(folder / "centre.db", (3, 3), CUONG)
    codes = {"a": clerk_day(a, "Khách xã A", 0), "b": clerk_day(b, "Khách xã B", 10),
             "centre": clerk_day(centre, "Khách trung tâm", 20)}
    packs = {"a": folder / "xa-a.zip", "b": folder / "xa-b.zip"}
    export_package(a, packs["a"], SINCE)
    with clock_at(1):  # made after A's: merged after it (merge.merge_order)
        export_package(b, packs["b"], SINCE)
    ids = {"a": installation.installation_id(a), "b": installation.installation_id(b)}
    for db in (a, b, centre):
        db.close()
    return folder / "centre.db", codes, packs, ids


@pytest.fixture
def places(built_once, tmp_path, package_format):
    """`three_places`, made once per package format for this module: each test has its own
    copy of the centre's database and of the packages, so no test sees another's import."""
    centre_file, codes, packs, ids = built_once(package_format, three_places)
    centre = open_database(copied(centre_file, tmp_path))
    yield centre, codes, {k: copied(p, tmp_path) for k, p in packs.items()}, ids
    centre.close()


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as package:
        return json.loads(package.read(MANIFEST))


def with_manifest(source, target, change) -> None:
    """The package with its manifest changed by `change(dict)`, checksums made to match."""
    with zipfile.ZipFile(source) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    manifest = json.loads(members[MANIFEST])
    change(manifest)
    members[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    repack(members, target)


def test_the_manifest_names_only_the_logins_of_its_rows(places):
    _centre, _codes, packs, _ids = places
    said = manifest_of(packs["a"])[MANIFEST_KEY]
    # canbo1 recorded every row; the administrator recorded none: no name, no password, no role
    assert said == {"canbo1": AN}


def seen(centre, code: str) -> dict:
    """Everything that names the receiving clerk of `code` at the centre."""
    item = load_dossier(centre, code)
    day = DAY.date()
    clerks = {i.code: i.clerk for i in load_items(centre, day, day, None)}
    return {"slip": item.received_by, "reconcile": clerks[code],
            "history": {e.actor for e in dossier_events(centre, item)}}


def test_a_centre_names_each_communes_canbo1_as_that_communes_person(places):
    centre, codes, packs, _ids = places
    batch = import_packages(centre, [packs["a"], packs["b"]])
    assert batch.written
    assert seen(centre, codes["a"]) == {"slip": AN, "reconcile": AN, "history": {AN}}
    assert seen(centre, codes["b"]) == {"slip": BINH, "reconcile": BINH, "history": {BINH}}
    assert seen(centre, codes["centre"]) == {"slip": CUONG, "reconcile": CUONG,
                                             "history": {CUONG}}
    # the leader's list of dossiers missing from the provincial system, per clerk: three people
    day = DAY.date()
    groups = [(clerk, len(group)) for clerk, _day, group in
              reconcile_pdf.by_clerk_and_day(load_items(centre, day, day, None))]
    assert groups == [(CUONG, 1), (AN, 1), (BINH, 1)]
    # the receipt slip prints the commune's clerk
    assert AN in pdf_text(build_receipt(centre, codes["a"]))
    assert CUONG not in pdf_text(build_receipt(centre, codes["a"]))
    # payments too: the one rule over every table
    names = Names(centre)
    for code, person in ((codes["a"], AN), (codes["b"], BINH), (codes["centre"], CUONG)):
        row = centre.execute("SELECT p.id, p.actor FROM payments p JOIN dossiers d "
                             "ON d.id = p.dossier_id WHERE d.code = ?", [code]).fetchone()
        assert names.of(row[1], "payment_rows", row[0]) == person
    ok(centre)


def test_importing_the_same_packages_again_writes_nothing(places):
    centre, _codes, packs, _ids = places
    import_packages(centre, [packs["a"], packs["b"]])
    before = (snapshot(centre), centre.execute("SELECT key, value FROM settings ORDER BY key").fetchall(),
              centre.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0],
              chain.head(centre.conn))
    again = import_packages(centre, [packs["a"], packs["b"]])
    assert again.total("dossiers") == {"identical": 2}
    after = (snapshot(centre), centre.execute("SELECT key, value FROM settings ORDER BY key").fetchall(),
             centre.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0],
             chain.head(centre.conn))
    assert after == before
    origins = centre.execute("SELECT COUNT(*) FROM settings WHERE key LIKE ?",
                             [ORIGIN_PREFIX + "%"]).fetchone()[0]
    assert origins == 2  # one a package that brought rows, written once
    logged = centre.execute("SELECT actor FROM setting_changes WHERE key LIKE ?",
                            [ORIGIN_PREFIX + "%"]).fetchall()
    assert len(logged) == 2 and all(r[0].startswith("os:") for r in logged)  # who imported


def test_the_records_a_package_gives_are_those_it_gave_before(places, tmp_path):
    """The names travel beside the rows: the records (and so the chain) are untouched."""
    centre, codes, packs, _ids = places
    plain = tmp_path / "khong-ten.zip"
    with_manifest(packs["a"], plain, lambda m: m.pop(MANIFEST_KEY))
    other = staffed(tmp_path / "khac.db", (3, 3), CUONG)
    import_package(centre, packs["a"])
    import_package(other, plain)
    assert snapshot(centre)["dossiers"][codes["a"]] == snapshot(other)["dossiers"][codes["a"]]
    other.close()


def test_an_older_package_without_names_shows_the_login_and_its_machine(places, tmp_path):
    centre, codes, packs, ids = places
    older = tmp_path / "cu.zip"
    with_manifest(packs["a"], older, lambda m: m.pop(MANIFEST_KEY))
    assert import_package(centre, older).written
    honest = f"canbo1 (máy {ids['a'][:8]})"
    assert seen(centre, codes["a"]) == {"slip": honest, "reconcile": honest, "history": {honest}}
    assert seen(centre, codes["centre"])["slip"] == CUONG  # the centre's own still its own


@pytest.mark.parametrize("names, said", [
    ({"canbo1": "Nguyễn\x07 Văn An"}, "ký tự điều khiển"),
    ({"canbo1": "A" * 101}, "100"),
    ({"canbo1": ""}, "trống"),
    ({"canbo1": 12}, "không phải chữ"),
    ({"x" * 101: "Nguyễn Văn An"}, "tên đăng nhập"),
    ({"can\x00bo1": "Nguyễn Văn An"}, "ký tự điều khiển"),
    (["canbo1", "Nguyễn Văn An"], "không phải một bảng"),
    ({"canbo1": "Nguyễn Văn An 😀"}, "canbo1"),
])
def test_a_hostile_name_list_refuses_the_package_naming_it(places, tmp_path, names, said):
    centre, _codes, packs, _ids = places
    bad = tmp_path / "xau.zip"
    with_manifest(packs["a"], bad, lambda m: m.update({MANIFEST_KEY: names}))
    before = snapshot(centre)
    with pytest.raises(InputError) as refused:
        import_package(centre, bad)
    message = str(refused.value)
    assert message.startswith("Gói xau.zip không dùng được: bản kê manifest.json, trường "
                              f"{MANIFEST_KEY}")
    assert said in message and "Chưa ghi gì" in message
    assert snapshot(centre) == before


def test_a_centre_passes_on_only_the_names_it_is_sure_of(places):
    """The centre's own package holds two canbo1 (its own and commune A's): that login is left
    out, so nobody downstream is given the wrong one; a login of one person is passed on."""
    centre, codes, packs, _ids = places
    import_package(centre, packs["a"])
    ids = [r[0] for r in centre.execute("SELECT id FROM dossiers ORDER BY id")]
    assert "canbo1" not in package_names(centre, ids, [])
    only_a = [r[0] for r in centre.execute("SELECT id FROM dossiers WHERE code = ?",
                                           [codes["a"]])]
    assert package_names(centre, only_a, []) == {"canbo1": AN}
    only_ours = [r[0] for r in centre.execute("SELECT id FROM dossiers WHERE code = ?",
                                              [codes["centre"]])]
    assert package_names(centre, only_ours, []) == {"canbo1": CUONG}


def test_a_dry_run_keeps_no_origin(places):
    centre, _codes, packs, _ids = places
    import_package(centre, packs["a"], dry_run=True)
    assert not Names(centre).merged_any


def test_what_the_centre_does_to_a_merged_dossier_is_named_as_the_centres(tmp_path):
    """One dossier's history written at two installations: commune A's steps by A's people,
    the centre's own step and its "take theirs" import event by the centre's (the same logins
    at both, other people)."""
    a = staffed(tmp_path / "a.db", (1, 3), AN, "Quản Trị Xã A")
    centre = staffed(tmp_path / "centre.db", (3, 3), CUONG, "Quản Trị Trung Tâm")
    code = clerk_day(a, "Khách xã A", 0)
    first, second = tmp_path / "a1.zip", tmp_path / "a2.zip"
    export_package(a, first, SINCE)
    import_package(centre, first)
    dossier_id = centre.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()[0]
    as_clerk(centre, lambda db: D.finish(db, dossier_id, at=DAY + dt.timedelta(hours=3)))
    as_clerk(a, lambda db: D.finish(db, 1, at=DAY + dt.timedelta(hours=2)))
    export_package(a, second, SINCE)
    a.close()
    assert as_clerk(centre, lambda db: import_package(db, second, conflicts="theirs"),
                    "quantri").resolved == {"theirs": 1}
    item = load_dossier(centre, code)
    who = [(e.action, e.actor) for e in dossier_events(centre, item)]
    assert who == [("receive", AN), ("payment", AN), ("start_processing", AN), ("finish", AN),
                   ("finish", CUONG), ("import", "Quản Trị Trung Tâm")]
    assert item.received_by == AN
    ok(centre)
    centre.close()


def origins(db) -> list[dict]:
    """The origin records, without the moment the clock gave."""
    out = []
    for (value,) in db.execute("SELECT value FROM settings WHERE key LIKE ? ORDER BY key",
                               [ORIGIN_PREFIX + "%"]):
        said = json.loads(value)
        said.pop("at")
        out.append(said)
    return out


def test_the_sql_copy_and_the_records_way_keep_the_same_origins(places, tmp_path, monkeypatch):
    """Format 3 goes the SQL way (core.exchange.fastcopy), the records' way without it: the
    same rows get the same ids, so the same ranges are kept."""
    centre, _codes, packs, ids = places
    slow = staffed(tmp_path / "slow.db", (3, 3), CUONG)
    clerk_day(slow, "Khách trung tâm", 20)
    import_packages(centre, [packs["a"], packs["b"]])
    monkeypatch.setattr(merge.run, "FAST_COPY", False)
    import_packages(slow, [packs["a"], packs["b"]])
    kept = origins(centre)
    assert kept == origins(slow)
    assert [o["installation"] for o in kept] == [ids["a"], ids["b"]]
    assert kept[0]["rows"]["dossier_rows"] == [2, 2] and kept[1]["rows"]["dossier_rows"] == [3, 3]
    assert set(kept[0]["rows"]) == {"dossier_rows", "event_rows", "payment_rows"}
    slow.close()


def test_a_name_is_kept_as_an_accounts_name_is_stored(places, tmp_path):
    """Spaces squeezed and NFC, as core.accounts stores a full name: the slip prints it so."""
    centre, codes, packs, _ids = places
    spaced = tmp_path / "cach.zip"
    with_manifest(packs["a"], spaced,
                  lambda m: m.update({MANIFEST_KEY: {"canbo1": " Nguye\u0302\u0303n  Văn   An "}}))
    import_package(centre, spaced)
    assert load_dossier(centre, codes["a"]).received_by == AN
