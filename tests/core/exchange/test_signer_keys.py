"""The senders whose key is pinned here, as `exchange keys` and the window's «Máy gửi gói đã
biết» list them (core.exchange.signing.known_senders: one function builds the rows for both)."""
from __future__ import annotations

import hashlib

import pytest

import main
from core import installation
from core.exchange import signing, sources
from core.exchange.merge import import_packages
from core.exchange.package.signature import public_bytes
from db.connection import transaction
from tests.core.exchange.test_package_signature import centre, exported, sender

__all__ = ["centre", "sender"]  # fixtures


def test_a_signed_import_gives_one_row_with_machine_unit_fingerprint_and_package(
        sender, centre, tmp_path, capsys):
    assert signing.known_senders(centre) == []
    path = centre.execute("PRAGMA database_list").fetchone()[2]
    assert main.main(["--db", path, "exchange", "keys"]) == 0
    assert capsys.readouterr().out.strip() == signing.NO_SENDER_VI
    assert import_packages(centre, [exported(sender, tmp_path / "goi-xa.zip")]).written
    ident = installation.installation_id(sender)
    [row] = signing.known_senders(centre)
    digest = hashlib.sha256(public_bytes(signing.own_key(sender))).hexdigest()[:16]
    assert row.installation == ident and row.machine == f"máy {ident[:8]}"
    assert row.fingerprint == " ".join(digest[i:i + 4] for i in range(0, 16, 4))
    assert row.package == "goi-xa.zip" and len(row.pinned_at) == len("09:15 02/04/2025")
    said = [s.unit for s in sources.gathered(centre) if s.installation == ident]
    assert said and row.units  # the units its merged packages carried are named
    assert main.main(["--db", path, "exchange", "keys"]) == 0
    out = capsys.readouterr().out
    assert f"máy {ident[:8]} (mã cài đặt {ident})" in out and row.fingerprint in out
    assert "goi-xa.zip" in out and row.pinned_at in out


def test_a_sender_not_merged_yet_and_a_damaged_pin_still_give_a_row(centre):
    with transaction(centre) as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                     [signing.PIN_PREFIX + "abcdef0123456789", '{"public_key": "zz"}'])
    [row] = signing.known_senders(centre)
    assert (row.machine, row.units, row.fingerprint, row.pinned_at, row.package) == \
        ("máy abcdef01", "", "?", "", "")


def test_forgotten_the_row_is_gone(sender, centre, tmp_path):
    import_packages(centre, [exported(sender, tmp_path / "goi.zip")])
    ident = signing.known_senders(centre)[0].installation
    assert signing.forget(centre, ident) == ident
    assert signing.known_senders(centre) == []


def _another_import_meanwhile(monkeypatch, centre, meanwhile):
    """`meanwhile(other)` runs on a second connection to the centre's file once this import
    has read the keys pinned, before its transaction: a second MotCua on the same file."""
    from core.database import open_database
    path = centre.execute("PRAGMA database_list").fetchone()[2]
    checked = signing.Trust.check

    def check_then_other(self, readers):
        checked(self, readers)
        monkeypatch.setattr(signing.Trust, "check", checked)  # the other import checks as ever
        other = open_database(path)
        try:
            meanwhile(other)
        finally:
            other.close()
    monkeypatch.setattr(signing.Trust, "check", check_then_other)


def test_one_package_imported_twice_at_once_is_not_called_damaged(sender, centre, tmp_path,
                                                                   monkeypatch):
    """Two MotCua on one file imported a new sender's package at the same moment: both read
    "no key pinned" before their transaction, and the second to write failed on the key the
    first had pinned meanwhile (UNIQUE settings.key), told the clerk that the package was
    damaged ("dữ liệu sai kiểu hoặc trái ràng buộc"). The key pinned meanwhile is the
    package's own: the second import finds everything identical and pins nothing again."""
    package = exported(sender, tmp_path / "goi.zip")
    _another_import_meanwhile(monkeypatch, centre, lambda other: import_packages(other, [package]))
    result = import_packages(centre, [package]).results[0]
    assert result.written and result.dossiers["new"] == 0 and result.dossiers["identical"] > 0
    assert len(signing.known_senders(centre)) == 1


def test_another_key_pinned_meanwhile_is_refused_in_its_words(sender, centre, tmp_path,
                                                              monkeypatch):
    from core.errors import InputError
    package = exported(sender, tmp_path / "goi.zip")
    ident = installation.installation_id(sender)

    def pin_another(other):
        with transaction(other) as conn:
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)",
                         [signing.PIN_PREFIX + ident, '{"public_key": "' + "ab" * 32 + '"}'])
    _another_import_meanwhile(monkeypatch, centre, pin_another)
    with pytest.raises(InputError, match="goi.zip: chữ ký không khớp"):
        import_packages(centre, [package])
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


DAMAGED_PINS = ['{"public_key": "ab', "null", '["ab"]', '{"pinned_at": "2025-06-01 08:00:00"}',
                '{"public_key": "khong-phai-khoa"}', '{"public_key": ""}']  # no key: damaged too


def _damage_pin(db, ident: str, value: str) -> None:
    with transaction(db) as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                     "SET value = excluded.value", [signing.PIN_PREFIX + ident, value])


@pytest.mark.parametrize("value", DAMAGED_PINS)
def test_a_damaged_pin_is_refused_in_words_naming_the_sender_and_what_to_do(
        sender, centre, tmp_path, capsys, value):
    """A pin whose stored value is not the JSON object MotCua writes crashed the preview and
    the import with a JSON error (check and pin each read a pin their own way); one function
    reads a pin now (signing.pinned), and a damaged one is refused in words, nothing written;
    the listing still shows its sender, and forgetting it lets the next package pin again."""
    from core.errors import InputError
    package = exported(sender, tmp_path / "goi.zip")
    ident = installation.installation_id(sender)
    _damage_pin(centre, ident, value)
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_packages(centre, [package], dry_run=dry_run)
        words = str(refused.value)
        assert words.startswith(f"Khoá đã ghi nhận của máy {ident[:8]} bị hỏng")
        assert f"`exchange forget-key {ident}`" in words and words.endswith("Chưa ghi gì vào "
                                                                            "cơ sở dữ liệu.")
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    path = centre.execute("PRAGMA database_list").fetchone()[2]
    assert main.main(["--db", path, "exchange", "import", str(package)]) != 0
    assert "bị hỏng" in capsys.readouterr().err
    assert [row.installation for row in signing.known_senders(centre)] == [ident]
    signing.forget(centre, ident)
    assert import_packages(centre, [package]).written
    assert signing.pinned(centre, ident) is not None


def test_a_pin_damaged_meanwhile_is_refused_in_the_same_words(sender, centre, tmp_path,
                                                              monkeypatch):
    """The import's own transaction reads the pin again (another MotCua may have pinned it
    since): through the same function, the same words for a damaged one."""
    from core.errors import InputError
    package = exported(sender, tmp_path / "goi.zip")
    ident = installation.installation_id(sender)
    _another_import_meanwhile(monkeypatch, centre, lambda other: _damage_pin(other, ident, "{"))
    with pytest.raises(InputError, match=f"Khoá đã ghi nhận của máy {ident[:8]} bị hỏng"):
        import_packages(centre, [package])
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
