"""Issue 16 §3 (round 23): `check`'s advice for a dossier re-coded twice (B's X became the
centre's Y, then D's Z) whose fee an older MotCua's keep-both wrote wrong. The advice for a
dossier re-coded once here (import the package again choosing its version: round 21) was
given for it too, naming the centre's package — which carries the centre's damage: followed,
it wrote the same wrong fee again and `check` still failed. Whichever installation's old
program damaged it, the advice now followed puts it right: the package again here (D's own
keep-both), else the centre's repair and its next package."""
from __future__ import annotations

import pytest

import main
from core.exchange import export_package, recode
from core.exchange.merge import import_packages
from core.maintenance.audit import audit_findings
from tests.core.exchange.conftest import receive
from tests.core.exchange.test_exchange import SINCE
from tests.core.exchange.test_installed_offices import CENTRE, installed
from tests.core.exchange.test_keep_both import people
from tests.core.exchange.test_recoded_dossiers import _centre_damaged

pytestmark = pytest.mark.slot_unconfirmed


def _failed(db) -> list:
    return [f for f in audit_findings(db) if not f.ok]


def test_check_names_no_import_that_brings_the_damage_again(tmp_path, capsys, monkeypatch):
    """The centre's old program damaged Y; D kept both again (Z). `check` at D named
    `exchange import <gói centre.zip> --choose Z=centre.zip` as the repair — followed, it wrote
    the centre's wrong fee again and `check` still failed. D cannot tell whose old program
    wrote the fee: no command is named, the mismatch still is (the honest fallback), and the
    centre's own `check` names the repair there."""
    a, b, centre, package_b, y = _centre_damaged(tmp_path, monkeypatch)
    back = tmp_path / "centre.zip"
    export_package(centre, back, SINCE)
    d = installed(tmp_path / "d.db", CENTRE, (1, 1))
    for i in range(2):  # D's own citizens under the centre's codes
        receive(d, f"Người D{i}", minutes=40 + i, unit=CENTRE)
    assert import_packages(d, [back], clashes=recode.BOTH).written
    [z] = [c for c, name in people(d).items() if name == "Người B"]
    assert z != y
    [finding] = _failed(d)
    assert z in finding.text  # the mismatch is still found …
    assert "--choose" not in finding.text and not finding.repair  # … with no false repair
    d.close()
    # the command it named before does not repair: the same wrong fee written again
    assert main.main(["--db", str(tmp_path / "d.db"), "exchange", "import", str(back),
                      "--choose", f"{z}=centre.zip"]) == 0
    capsys.readouterr()
    assert main.main(["--db", str(tmp_path / "d.db"), "check"]) == 1
    assert "khôi phục từ bản sao lưu" in capsys.readouterr()[0]
    # where the damage was made, the repair is named (and repairs: test_recoded_dossiers)
    [there] = _failed(centre)
    assert f"--choose {y}=b.zip" in there.text and there.repair
    for db in (a, b, centre):
        db.close()
