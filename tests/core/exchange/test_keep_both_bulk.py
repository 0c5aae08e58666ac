"""Issue 16 §3, round 25: "Giữ cả hai" written in bulk. Re-coding a package's dossiers one by
one cost ~58 SQL statements a dossier (the file's home and the slot read for every code, one
origin record a dossier, the chain's head read and sealed for every recode event): 8.5–9.6 ms
a dossier, 26 s for 3,107 under load. Now a handful a dossier (its row, its events, its alias,
its code looked up), the rest once a run (core.exchange.kept_both); the state is the one the
one-by-one writing left (bench/bench_recode.py compares it with main's tree)."""
from __future__ import annotations

import pytest

from core.exchange import export_package, recode
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import receive
from tests.core.exchange.test_exchange import SINCE, ok
from tests.core.exchange.test_installed_offices import CENTRE, installed

pytestmark = [pytest.mark.slot_unconfirmed, pytest.mark.usefixtures("package_format")]


def _statements(tmp_path, count: int) -> tuple[int, object]:
    """A and B in one slot each received `count` dossiers (the same codes); the centre took
    A's, then B's kept both: the statements the centre's import ran, and the centre."""
    tmp_path.mkdir()
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    for i in range(count):
        receive(a, f"Người A{i}", minutes=i, unit=CENTRE)
        receive(b, f"Người B{i}", minutes=i, unit=CENTRE)
    for db, name in ((a, "a.zip"), (b, "b.zip")):
        export_package(db, tmp_path / name, SINCE)
        db.close()
    assert import_packages(centre, [tmp_path / "a.zip"]).written
    ran = [0]
    centre.conn.set_trace_callback(lambda _sql: ran.__setitem__(0, ran[0] + 1))
    result = import_packages(centre, [tmp_path / "b.zip"], clashes=recode.BOTH).results[0]
    centre.conn.set_trace_callback(None)
    assert result.written and result.resolved == {recode.BOTH: count}
    return ran[0], centre


def test_each_dossier_kept_both_costs_a_few_statements_not_sixty(tmp_path):
    small, first = _statements(tmp_path / "small", 4)
    large, centre = _statements(tmp_path / "large", 24)
    per_dossier = (large - small) / 20
    assert per_dossier <= 12, (small, large)  # one by one: 59-60 (now 8-9)
    # one origin record for the run of B's dossiers, not one a dossier (the same ranges)
    assert centre.execute("SELECT COUNT(*) FROM settings WHERE key LIKE 'exchange_origin:%'"
                          ).fetchone()[0] == 2
    codes = [r[0] for r in centre.execute("SELECT code FROM dossiers ORDER BY id")]
    assert codes == [f"TT-251020-{n:04d}" for n in range(1, 49)]  # B's after A's, in turn
    assert recode.original_codes(centre.conn, codes[24:]) == dict(zip(codes[24:], codes[:24], strict=True))
    # each re-coded dossier: its own events, then its recode event, one after the other
    assert [r[0] for r in centre.execute(
        "SELECT e.action FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? "
        "ORDER BY e.id", [codes[30]])] == ["receive", recode.RECODE]
    for db in (first, centre):
        ok(db)
        db.close()


def test_one_senders_two_citizens_under_one_code_kept_both_are_refused_in_vietnamese(
        tmp_path):
    """B restored an older copy and gave its code again to another citizen: its two packages,
    imported together and kept both, bring two citizens under one code of one sender. Every
    line is checked before any is written, so the second alias of (B, code) broke
    code_aliases' key (a raw IntegrityError); the clerk reads why, and nothing is written."""
    import sqlite3

    from core.database import open_database
    from core.errors import InputError
    from core.exchange import signing
    from tests.core.exchange.test_keep_both import people
    a = installed(tmp_path / "a.db", CENTRE, (1, 1))
    b = installed(tmp_path / "b.db", CENTRE, (1, 1))
    # B's signing key made before its backup (a backup older than the key makes another key
    # once restored: refused as two keys of one sender, tests/core/exchange/test_package_signature)
    signing.own_key(b)
    copy = sqlite3.connect(tmp_path / "b_copy.db")
    b.conn.backup(copy)  # B's backup, before any dossier
    copy.close()
    code = receive(a, "Người A", unit=CENTRE)[1]
    assert receive(b, "Người B", minutes=30, unit=CENTRE)[1] == code
    packages = [tmp_path / name for name in ("a.zip", "b1.zip", "b2.zip")]
    export_package(a, packages[0], SINCE)
    export_package(b, packages[1], SINCE)
    b.close()  # the backup put back in its place
    (tmp_path / "b.db").rename(tmp_path / "b_lost.db")
    (tmp_path / "b_copy.db").rename(tmp_path / "b.db")
    restored = open_database(tmp_path / "b.db")
    assert receive(restored, "Người C", minutes=40, unit=CENTRE)[1] == code
    export_package(restored, packages[2], SINCE)
    centre = installed(tmp_path / "centre.db", CENTRE, (1, 1))
    assert import_packages(centre, packages[:1]).written
    with pytest.raises(InputError) as refused:
        import_packages(centre, packages[1:], clashes=recode.BOTH)
    said = str(refused.value)
    assert code in said and "b1.zip" in said and "b2.zip" in said
    assert "Chưa ghi gì vào cơ sở dữ liệu" in said and "hai hồ sơ khác nhau" in said
    assert people(centre) == {code: "Người A"}
    ok(centre)
    for db in (a, restored, centre):
        db.close()


def test_an_import_keeping_both_leaves_no_votes_behind_in_the_program(tmp_path):
    """The package's votes are indexed once per import (recode.wanted_votes) and dropped with
    it: no container of the module grows over an import (a process-wide cache kept the last
    package's whole vote list alive in a long-running window, and could be read stale)."""
    from core.exchange import kept_both
    from tests.core.exchange.test_keep_both import two_pcs_in_one_slot

    def sizes() -> dict[str, int]:
        return {f"{module.__name__}.{name}": len(value)
                for module in (recode, kept_both) for name, value in vars(module).items()
                if isinstance(value, list | dict | set) and not name.startswith("__")}

    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    before = sizes()
    assert import_packages(centre, [package_b], clashes=recode.BOTH).written
    assert centre.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1
    assert sizes() == before
    for db in (a, b, centre):
        db.close()
