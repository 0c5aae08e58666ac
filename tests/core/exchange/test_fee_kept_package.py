"""A package bringing a procedure whose fee differs, taken (`--catalogue theirs`): the new fee
goes through core.fees as the Danh mục screen's does — the dossiers this installation had
already received keep the fee they had, so its past figures do not move (the audit of
01/12/2026); the change is logged with the account and `check` stays clean."""
from __future__ import annotations

import datetime as dt

from core import catalogue
from core import dossiers as D
from core.exchange import export_package, import_package
from core.maintenance import audit
from db import actor
from tests.core.exchange.conftest import DAY, busy_day
from tests.core.exchange.test_catalogue_choice import ADMIN, differing  # noqa: F401 (fixture)
from tests.core.exchange.test_exchange import SINCE


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


def test_a_fee_kept_here_stays_when_the_counter_sends_its_dossiers_again(counter, db, tmp_path):
    """The centre holds the counter's dossiers, then changes a fee: those it had received keep
    the old one (core.fees). The counter's package again is identical, not a conflict; a later
    package moving one of them on leaves it with the kept fee, not the new one."""
    codes = busy_day(counter)
    first = tmp_path / "a.zip"
    export_package(counter, first, SINCE)
    import_package(db, first)
    values = {"code": "P.WD2", "name": "Chứng thực bản sao", "field": None, "limit_value": 2,
              "limit_unit": "working_days", "fee": 5000, "online_level": "full",
              "paper_result": 0, "same_day_cutoff": None, "valid_from": dt.date(2025, 10, 20)}
    with actor.acting_as(ADMIN):
        catalogue.save_procedure(db, values)
    kept = "SELECT code, fee FROM dossiers WHERE procedure_code = 'P.WD2' ORDER BY code"
    assert [fee for _, fee in db.execute(kept)] == [0, 0]
    fee_figure = "SELECT SUM(fee_dossiers) FROM kpi_daily"
    figure = db.execute(fee_figure).fetchone()[0]
    assert figure == 1  # the P.SD dossier's only: the kept 0 bears no fee
    assert import_package(db, first).dossiers == {"identical": 3}
    D.finish(counter, D.find_by_code(counter, codes[1]), at=DAY + dt.timedelta(hours=6))
    second = tmp_path / "b.zip"
    export_package(counter, second, dt.date(2025, 10, 20))
    result = import_package(db, second)
    assert result.dossiers["changed"] == 1 and not result.conflicts
    assert [fee for _, fee in db.execute(kept)] == [0, 0]
    assert db.execute(fee_figure).fetchone()[0] == figure
    assert audit.mismatches(db) == (0, [])


def test_a_fee_kept_at_the_counter_does_not_make_its_dossiers_conflict_here(counter, db, tmp_path):
    """The counter changes a fee after sending its dossiers: its own copies keep the old fee in
    their own `fee` (core.fees). Sent again, they carry that fee where the centre holds them
    empty with the same effective fee: identical, not conflicting, and the figures stay."""
    busy_day(counter)
    first = tmp_path / "a.zip"
    export_package(counter, first, SINCE)
    import_package(db, first)
    figures = db.execute("SELECT * FROM kpi_daily ORDER BY 1, 2").fetchall()
    values = {"code": "P.WD2", "name": "Chứng thực bản sao", "field": None, "limit_value": 2,
              "limit_unit": "working_days", "fee": 5000, "online_level": "full",
              "paper_result": 0, "same_day_cutoff": None, "valid_from": dt.date(2025, 10, 20)}
    with actor.acting_as(ADMIN):
        catalogue.save_procedure(counter, values)
    assert [r[0] for r in counter.execute("SELECT fee FROM dossiers WHERE procedure_code = "
                                          "'P.WD2'")] == [0, 0]
    second = tmp_path / "b.zip"
    export_package(counter, second, SINCE)
    result = import_package(db, second)
    assert result.dossiers == {"identical": 3} and not result.conflicts
    assert db.execute("SELECT * FROM kpi_daily ORDER BY 1, 2").fetchall() == figures
    assert audit.mismatches(db) == (0, [])
