"""A package bringing a procedure whose fee differs, taken (`--catalogue theirs`): the new fee
goes through core.fees as the Danh mục screen's does — the dossiers this installation had
already received keep the fee they had, so its past figures do not move (the audit of
01/12/2026); the change is logged with the account and `check` stays clean."""
from __future__ import annotations

from core.exchange import import_package
from core.maintenance import audit
from db import actor
from tests.core.exchange.test_catalogue_choice import ADMIN, differing  # noqa: F401 (fixture)


def test_a_package_s_new_fee_leaves_the_dossiers_received_here_as_they_were(differing):  # noqa: F811
    centre, package = differing
    ours = centre.execute("SELECT code, fee FROM dossiers").fetchall()
    assert [fee for _, fee in ours] == [None]  # the centre's one: its procedure's fee, 0
    assert centre.execute("SELECT SUM(fee_dossiers) FROM kpi_daily").fetchone()[0] == 0
    with actor.acting_as(ADMIN):
        result = import_package(centre, package, catalogue="theirs")
    assert "procedures:P.WD2" in result.catalogue_taken
    assert centre.execute("SELECT fee FROM procedures WHERE code = 'P.WD2'").fetchone()[0] == 5000
    assert centre.execute("SELECT fee FROM dossiers WHERE code = ?", [ours[0][0]]).fetchone()[0] == 0
    # the package's dossier (received there under 5.000) bears a fee; ours still does not
    assert centre.execute("SELECT SUM(fee_dossiers) FROM kpi_daily").fetchone()[0] == 1
    assert centre.execute("SELECT actor, old_value, new_value FROM setting_changes "
                          "WHERE key = 'P.WD2: mức phí'").fetchall() == [
        ("quantri", "0", "5000; từ 2025-10-20 16:00:00; 1 hồ sơ đã tiếp nhận giữ mức phí cũ")]
    assert audit.mismatches(centre) == (0, [])
    again = import_package(centre, package)  # the same package again: nothing differs, nothing moves
    assert not again.catalogue_diffs
    assert centre.execute("SELECT fee FROM dossiers WHERE code = ?", [ours[0][0]]).fetchone()[0] == 0
