"""The lines of history of an operation of several packages (merge._Run.note, count_lines) are
kept only for the codes two or more packages bring: a code met once holds two numbers in the
run's `met`, never a line held for the whole operation (50 packages of 20,000 dossiers each
held ~300 MB of lines before, review of issue 16 §3)."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core.exchange import export_package, import_package, merge
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import DAY, busy_day, office

# both formats the program writes (format 3: the rows part, copied by SQL)
pytestmark = pytest.mark.usefixtures("package_format")

SINCE = dt.date(2025, 10, 1)


@pytest.fixture
def lines(monkeypatch) -> list[dict]:
    """The lines each operation holds when it counts them (`count_lines`): code → records."""
    held: list[dict] = []
    count = merge._Run.count_lines

    def counted(run):
        held.append({code: list(line.seen) for code, line in run.moved.items()})
        count(run)

    monkeypatch.setattr(merge._Run, "count_lines", counted)
    return held


@pytest.fixture
def days(tmp_path):
    """Two counters of one office: the first one's day taken by the centre, then moved on
    (`q1b`: CHANGED at the centre); the second one's day new to it (`q2`); and `q1` again."""
    q1 = office(tmp_path / "q1.db", (1, 2))
    codes = busy_day(q1, names=("Hoa q1", "Sử q1", "Mai q1"))
    export_package(q1, tmp_path / "q1.zip", SINCE)
    received = [c for c in codes if q1.execute("SELECT status FROM dossiers WHERE code = ?",
                                                [c]).fetchone()[0] == "received"]
    assert received
    for code in received:
        D.start_processing(q1, D.find_by_code(q1, code), at=DAY + dt.timedelta(hours=4))
    export_package(q1, tmp_path / "q1b.zip", SINCE)
    q1.close()
    q2 = office(tmp_path / "q2.db", (2, 2))
    busy_day(q2, names=("Hoa q2", "Sử q2", "Mai q2"))
    export_package(q2, tmp_path / "q2.zip", SINCE)
    q2.close()
    return tmp_path


def test_no_line_is_kept_when_the_packages_share_no_code(days, lines):
    centre = office(days / "centre.db")
    assert import_package(centre, days / "q1.zip").written
    for dry_run in (True, False):  # the preview and the import
        batch = import_packages(centre, [days / "q1b.zip", days / "q2.zip"], dry_run=dry_run)
        assert batch.results[0].dossiers.get("changed") and batch.results[1].dossiers["new"] == 3
        assert lines[-1] == {}, lines[-1]
    centre.close()


def test_a_code_two_packages_bring_is_one_line_of_both_records(days, lines):
    centre = office(days / "centre.db")
    for dry_run in (True, False):  # the preview and the import
        batch = import_packages(centre, [days / "q1.zip", days / "q1b.zip"], dry_run=dry_run)
        # each code of both: one line of q1's record then q1b's, counted as one dossier made
        assert len(lines[-1]) == 3, lines[-1]
        assert all([k for k, _, _ in seen] == [0, 1] for seen in lines[-1].values()), lines[-1]
        assert batch.total("dossiers") == {"new": 3, "identical": 2, "older": 1}
    centre.close()
