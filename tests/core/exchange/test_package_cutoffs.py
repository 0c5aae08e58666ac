"""A procedure's same-day cut-off brought by another installation's package (formats 2 and 3):
refused whole when the due times cannot read it — the package, the procedure and the value
named, nothing written — and kept as stored when they can (a "24:00" of an older version, a
cut-off after office hours). On the old code "25:99" came in unchecked and every due time of the
procedure then failed ("giờ không hợp lệ")."""
from __future__ import annotations

import pytest

from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, import_package
from tests.core.exchange.conftest import busy_day, copied, office
from tests.core.exchange.test_exchange import SINCE

BAD = ["25:99", "abc", "", "24:01", "15h30"]


def fresh(folder):
    """A fresh, migrated, empty database, closed (a file only, for `copied`)."""
    open_database(folder / "centre.db").close()
    return folder / "centre.db"


def busy_counter(folder):
    """A counter PC (slot 1 of 2) after `busy_day`, its dossiers' due times computed before
    any value is spoiled; closed (a file only, for `copied`)."""
    db = office(folder / "counter.db", (1, 2))
    busy_day(db)
    db.close()
    return folder / "counter.db"


@pytest.fixture
def busy(built_once, tmp_path):
    """This test's own copy of `busy_counter`, made once for the module: no test sees
    another's spoiled value."""
    db = own_copy(built_once, tmp_path, "busy", busy_counter)
    yield db
    db.close()


def own_copy(built_once, tmp_path, key, build):
    """This test's own copy of what `build` made once for the module, opened."""
    own = tmp_path / key
    own.mkdir()
    return open_database(copied(built_once(key, build), own))


@pytest.fixture
def db(built_once, tmp_path):
    """The receiving installation: this test's own copy of a fresh database made once."""
    database = own_copy(built_once, tmp_path, "fresh", fresh)
    yield database
    database.close()


def _package(counter, tmp_path, cutoff: str, rule: bool = False):
    if rule:  # a dated rule of the past, as core.rules keeps them
        counter.conn.execute(
            "INSERT INTO procedure_rules(procedure_code, valid_from, valid_until, limit_value, "
            "limit_unit, same_day_cutoff, online_level, paper_result) VALUES "
            "('P.SD', '2020-01-01', '2024-01-01', 0, 'same_day', ?, 'none', 0)", [cutoff])
    else:
        counter.conn.execute("UPDATE procedures SET same_day_cutoff = ? WHERE code = 'P.SD'",
                             [cutoff])
    counter.conn.commit()
    path = tmp_path / "tu-quay-1.zip"
    export_package(counter, path, SINCE)
    return path


@pytest.mark.parametrize("rule", [False, True], ids=["procedure", "dated rule"])
@pytest.mark.parametrize("cutoff", BAD)
def test_an_unreadable_cutoff_refuses_the_package(db, busy, tmp_path, package_format, cutoff,
                                                  rule):
    path = _package(busy, tmp_path, cutoff, rule)
    with pytest.raises(InputError) as error:
        import_package(db, path)
    message = str(error.value)
    assert message.startswith("Gói tu-quay-1.zip không dùng được: ")
    assert "thủ tục 'P.SD' (Chứng thực chữ ký)" in message
    assert f"giờ chốt trả trong ngày {cutoff!r} " in message
    assert ("quy định áp dụng từ 2020-01-01" in message) is rule
    assert message.endswith("Chưa ghi gì vào cơ sở dữ liệu.")
    for table in ("dossiers", "procedures", "procedure_rules", "units", "votes"):
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table


@pytest.mark.parametrize("cutoff", ["24:00", "18:00", None])
def test_a_cutoff_the_due_times_read_is_kept_as_stored(db, busy, tmp_path, package_format,
                                                       cutoff):
    path = _package(busy, tmp_path, cutoff)
    import_package(db, path)
    assert db.execute("SELECT same_day_cutoff FROM procedures WHERE code = 'P.SD'"
                      ).fetchone()[0] == cutoff
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 3


def test_derived_data_of_other_time_rules_is_recomputed_not_kept(db, counter, tmp_path,
                                                                  package_format, monkeypatch):
    """A sender of the same program version under the old rule (RULES_REVISION 1) stored 17:00
    of the reception day for a dossier received 17:15 under a cut-off 18:00. Its package's
    rules fingerprint is not this installation's: the due time is computed here again (on the
    old code the fingerprints matched and the wrong due time was kept)."""
    import datetime as dt

    from core import due
    from tests.core.exchange.conftest import receive
    counter.conn.execute("UPDATE procedures SET same_day_cutoff = '18:00' WHERE code = 'P.SD'")
    counter.conn.commit()
    _, code = receive(counter, procedure="P.SD", minutes=-3 * 24 * 60 + 9 * 60 + 15)  # Fri 17:15
    counter.conn.execute("UPDATE dossiers SET calc_due_at = '2025-10-17 17:00:00' WHERE code = ?",
                         [code])
    counter.conn.commit()
    path = tmp_path / "cu.zip"
    monkeypatch.setattr(due, "RULES_REVISION", 1, raising=False)
    export_package(counter, path, SINCE)
    monkeypatch.setattr(due, "RULES_REVISION", 2, raising=False)
    import_package(db, path)
    stored = db.execute("SELECT received_at, calc_due_at FROM dossiers WHERE code = ?",
                        [code]).fetchone()
    assert stored == ("2025-10-17 17:15:00", "2025-10-20 17:00:00")
    assert dt.date(2025, 10, 20).weekday() == 0  # Monday, the next working day


def test_a_cutoff_after_office_hours_comes_in_with_a_warning(db, busy, tmp_path,
                                                             package_format):
    """Kept as stored, and the clerk told what it means here (core.explain.cutoff_note); the
    preview (a dry run) says it before anything is written."""
    path = _package(busy, tmp_path, "18:00")
    warning = ("Thủ tục P.SD (Chứng thực chữ ký): Giờ chốt 18:00 muộn hơn giờ kết thúc làm việc "
               "(17:00): hồ sơ nhận đến 17:00 trả trong ngày, nhận sau 17:00 trả vào ngày làm "
               "việc tiếp theo.")
    preview = import_package(db, path, dry_run=True)
    assert warning in preview.warnings
    assert db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0] == 0
    assert warning in import_package(db, path).warnings
