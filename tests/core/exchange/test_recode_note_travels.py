"""Issue 16 §3, "every change attributable" (round 25): the recode event of a dossier kept both
("Giữ cả hai": the package's dossier under a new code issued here) travels in the re-coded
dossier's history. Its note said "… mã X của máy gửi đã là mã của một hồ sơ khác trên máy
này …", false at every installation that reads it from a package (the centre's package at a
third installation: neither "this PC" nor "the sending PC" is the one meant). It now names the
installations as the move's note does (replaced.machine: the ids' first characters, as a
package's name shows them; an installation with no id by what it did). Notes already written
keep their words: no rule reads them back, they travel and re-import as written."""
from __future__ import annotations

import pytest

from core import installation
from core.exchange import export_package, kept_both, merge, recode
from core.exchange.merge import import_packages
from core.exchange.store import sender_key
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import _everything, two_pcs_in_one_slot

pytestmark = [pytest.mark.slot_unconfirmed, pytest.mark.usefixtures("package_format")]

X, Y = "TT-251020-0001", "TT-251020-0003"  # B's first citizen's code, and its code here


def _old_reason(original: str, package: str, sender: str, here: str | None) -> str:
    """The note as the program before round 25 wrote it."""
    return (f"Cấp mã mới khi nhập gói {package}: mã {original} của máy gửi đã là mã của một hồ "
            "sơ khác trên máy này (giữ cả hai hồ sơ)")


def _notes(db) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT e.reason FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? "
        "AND e.action = ? ORDER BY e.id", [Y, recode.RECODE])]


def _kept_both_at_the_centre(tmp_path, *, no_id=False):
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    theirs = sender_key(installation.installation_id(b))
    for db in (a, b):
        db.close()
    if no_id:
        centre.execute("DELETE FROM settings WHERE key = ?", [installation.ID_KEY])
        centre.conn.commit()
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    return centre, theirs


def _at_a_third(tmp_path, centre):
    package = tmp_path / "centre.zip"
    export_package(centre, package, SINCE)
    third = installed(tmp_path / "third.db", CENTRE, (1, 1))
    assert import_packages(third, [package]).written
    return third, package


@pytest.mark.parametrize("fast", [True, False])
def test_the_recode_note_names_the_installations_here_and_at_a_third(tmp_path, monkeypatch,
                                                                     fast):
    """At the centre the note names B (whose code it was) and the centre (which issued the
    new one) by their ids' first characters; a third installation that imports the centre's
    package shows the same note in the dossier's history, and it is true there."""
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    centre, theirs = _kept_both_at_the_centre(tmp_path)
    here = sender_key(installation.installation_id(centre))
    assert _notes(centre) == [
        f"Cấp mã mới ở máy {here} khi máy ấy nhập gói b.zip: mã {X} của máy gửi {theirs} đã "
        f"là mã của một hồ sơ khác ở máy {here} (giữ cả hai hồ sơ)"]
    third, _package = _at_a_third(tmp_path, centre)
    assert _notes(third) == _notes(centre)
    assert "máy này" not in _notes(third)[0]
    ok(third)
    for db in (centre, third):
        db.close()


def test_an_installation_with_no_id_is_named_by_what_it_did():
    """No id yet (here_key None): the centre is named by the import that re-coded; a sender
    of a package before ids, by its package."""
    assert kept_both.recode_reason(X, "b.zip", "", None) == (
        f"Cấp mã mới ở máy đã nhập gói b.zip: mã {X} của máy gửi gói b.zip đã là mã của một hồ "
        "sơ khác ở máy đã nhập gói b.zip (giữ cả hai hồ sơ)")


def test_a_centre_with_no_id_yet_names_itself_by_its_import(tmp_path):
    """As the move's note: the centre's id deleted before the import, the note names it by the
    import that re-coded (the sender still by its id)."""
    centre, theirs = _kept_both_at_the_centre(tmp_path, no_id=True)
    assert _notes(centre) == [
        f"Cấp mã mới ở máy đã nhập gói b.zip: mã {X} của máy gửi {theirs} đã là mã của một hồ "
        "sơ khác ở máy đã nhập gói b.zip (giữ cả hai hồ sơ)"]
    centre.close()


def test_a_note_written_before_round_25_travels_as_written(tmp_path, monkeypatch):
    """The old words (already in databases and sent packages) are no rule's input: a receiver
    stores them as written, and the same package imported again changes nothing."""
    with monkeypatch.context() as patch:
        patch.setattr(kept_both, "recode_reason", _old_reason)
        centre, _theirs = _kept_both_at_the_centre(tmp_path)
    assert _notes(centre) == [_old_reason(X, "b.zip", "", None)]
    third, package = _at_a_third(tmp_path, centre)
    assert _notes(third) == _notes(centre)
    before = _everything(third)
    again = import_packages(third, [package]).results[0]
    assert _everything(third) == before and not again.warnings, again.warnings
    ok(third)
    for db in (centre, third):
        db.close()
