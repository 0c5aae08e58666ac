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
from core.database import open_database
from core.dossiers import correct_field
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
    wrote the fee: no command is named. Nor a backup (review23 S3: the damage came in the
    package, a backup holds it too): the finding says what happened, the fee the sender
    recorded, and the correction in the dossier's window — which, followed, repairs it."""
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
    assert "--choose" not in finding.text  # … with no false repair
    assert (f"1 hồ sơ trong số đó đã được cấp mã mới ở một máy khác trước khi đến máy này (gói "
            f"centre.zip): lệ phí đang lưu khác với lệ phí máy gửi đã ghi khi tiếp nhận ({z}: "
            "0 đ).") in finding.text
    assert "không khôi phục bản sao lưu" in finding.text and "Sửa thông tin…" in finding.text
    assert finding.repair  # `check`'s summary sends nobody to a backup
    d.close()
    # the command it named before does not repair: the same wrong fee written again
    assert main.main(["--db", str(tmp_path / "d.db"), "exchange", "import", str(back),
                      "--choose", f"{z}=centre.zip"]) == 0
    capsys.readouterr()
    assert main.main(["--db", str(tmp_path / "d.db"), "check"]) == 1
    out = capsys.readouterr()[0]
    assert "khôi phục từ bản sao lưu gần nhất" not in out
    assert "sửa theo hướng dẫn ở trên; không cần khôi phục bản sao lưu" in out
    assert "Người B" not in out  # (the citizen's name is no part of the advice)
    # the advice followed (the dossier window's correction, with a reason): repaired
    d = open_database(tmp_path / "d.db")
    [dossier_id] = [r[0] for r in d.execute("SELECT id FROM dossiers WHERE code = ?", [z])]
    correct_field(d, dossier_id, "fee", 0, reason="Lệ phí theo gói của trung tâm", actor="cb")
    assert not _failed(d)
    d.close()
    # where the damage was made, the repair is named (and repairs: test_recoded_dossiers)
    [there] = _failed(centre)
    assert f"--choose {y}=b.zip" in there.text and there.repair
    for db in (a, b, centre):
        db.close()
