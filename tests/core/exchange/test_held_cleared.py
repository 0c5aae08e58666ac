"""One ordinary package settles what an older program's first package left open (review34c).

After the centre updates to round 34, a sender whose first package (made by the older program)
left anything behind read «Không rõ» in every month until it re-sent everything from its first
day. Its next ordinary package now says the day on or before which none of the open dossiers it
leaves behind was last changed (`held_before.cleared`, core.exchange.held_cleared): on or after
the first package's day, with the spans joined between, no open dossier of that package was left
behind — «Đủ» again; never when it cannot know."""
from __future__ import annotations

import datetime as dt

import pytest

from core.exchange import held_cleared
from core.exchange.package import PackageWriter
from core.pdf.monthly_sources import cells
from tests.core.exchange.test_held_carried import (
    FIRST,
    MADE,
    NOVEMBER,
    OCTOBER,
    UNKNOWN,
    finished,
    offices,  # noqa: F401 (the fixture)
)
from tests.core.exchange.test_held_units import MISSING, held_of, report
from tests.core.exchange.test_sources import send, take

NEXT, NEXT_MADE = dt.date(2025, 12, 5), dt.datetime(2025, 12, 6, 16)  # the next ordinary one


def verdicts(centre, period=NOVEMBER) -> list[str]:
    return [row[-1] for row in cells(report(centre, period).rows)]


def _older_first(centre, xa_a, tmp_path, monkeypatch, unit="U1", made=MADE,
                 since=FIRST) -> None:
    """A's first package, written as round 33's program did: no `open`, no `cleared`."""
    finish = PackageWriter.finish

    def written(self, manifest, sign=None):
        held = {k: v for k, v in manifest["held_before"].items()
                if k not in ("open", held_cleared.KEY)}
        held["units"] = [{k: v for k, v in line.items() if k != "open"} for line in held["units"]]
        return finish(self, {**manifest, "held_before": held}, sign)

    with monkeypatch.context() as patch:
        patch.setattr(PackageWriter, "finish", written)
        take(centre, send(xa_a, tmp_path / "a.zip", since, made, unit),
             made + dt.timedelta(hours=1))


@pytest.mark.parametrize("unit", ["U1", None])
def test_a_closed_dossier_left_behind_is_settled_by_the_next_ordinary_package(
        offices, tmp_path, monkeypatch, unit):  # noqa: F811
    """The older program's package from 01/11 left the dossier finished on 25/10 behind
    without saying it is closed: «Không rõ»; A's next ordinary package from 05/12 leaves no
    open dossier behind — November and December «Đủ» (before: «Không rõ» until A re-sent
    everything from 01/11)."""
    centre, xa_a = offices
    finished(xa_a)
    _older_first(centre, xa_a, tmp_path, monkeypatch, unit)
    [said] = report(centre, NOVEMBER).warnings
    assert verdicts(centre) == [UNKNOWN] and "xuất gói như thường lệ rồi nhập và in lại" in said
    path = send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, unit)
    assert held_of(path)[held_cleared.KEY] == "2025-12-05"  # nothing open left behind
    take(centre, path, NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == ["Đủ"]
    assert verdicts(centre, (dt.date(2025, 12, 1), dt.date(2025, 12, 5))) == ["Đủ"]
    assert verdicts(centre, OCTOBER) == [MISSING]  # 25/10 counts in October: never sent


def test_an_open_dossier_left_behind_stays_unknown(offices, tmp_path, monkeypatch):  # noqa: F811
    """Still open and unchanged since 20/10: the next package says so (cleared 20/10, before
    01/11) — never «Đủ»."""
    centre, xa_a = offices
    _older_first(centre, xa_a, tmp_path, monkeypatch)
    path = send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, "U1")
    assert held_of(path)[held_cleared.KEY] == "2025-10-20"
    take(centre, path, NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre) == [UNKNOWN]


def test_an_open_dossier_finished_since_and_carried(offices, tmp_path):  # noqa: F811
    """This version's package from 01/11 (made 02/12) said 1 open dossier left behind:
    «Thiếu»; A finished it on 03/12 and its next package from 02/12 carried it — the centre
    has it whole: November «Đủ» (held34 kept «Thiếu» for ever)."""
    centre, xa_a = offices
    made = dt.datetime(2025, 12, 2, 10)
    take(centre, send(xa_a, tmp_path / "a.zip", FIRST, made, "U1"), made)
    assert verdicts(centre) == [MISSING]
    finished(xa_a, dt.datetime(2025, 12, 3, 9))
    path = send(xa_a, tmp_path / "a2.zip", made.date(), NEXT_MADE, "U1")
    assert held_of(path)[held_cleared.KEY] == "2025-12-02"
    take(centre, path, NEXT_MADE + dt.timedelta(hours=1))
    assert centre.execute("SELECT COUNT(*) FROM dossier_rows WHERE finished_at IS NOT NULL"
                          ).fetchone()[0] == 1
    assert verdicts(centre) == ["Đủ"]


def test_a_gap_between_the_packages_keeps_it_unknown(offices, tmp_path, monkeypatch):  # noqa: F811
    """A's older package from 21/10 (made 01/11) left the dossier of 20/10 behind, open; A
    finished it on 20/11 and sent next only from 05/12: the finish travelled in no package,
    and nothing open is left behind now. Without the spans joined from 21/10 to 05/12 the
    centre cannot know: the days before the gap stay «Không rõ», November «Thiếu» (the gap),
    never «Đủ»."""
    centre, xa_a = offices
    _older_first(centre, xa_a, tmp_path, monkeypatch, since=dt.date(2025, 10, 21),
                 made=dt.datetime(2025, 11, 1, 9))
    finished(xa_a, dt.datetime(2025, 11, 20, 9))
    path = send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, "U1")
    assert held_of(path)[held_cleared.KEY] == "2025-12-05"
    take(centre, path, NEXT_MADE + dt.timedelta(hours=1))
    assert verdicts(centre, (dt.date(2025, 10, 22), dt.date(2025, 10, 31))) == [UNKNOWN]
    assert verdicts(centre) == [MISSING]


@pytest.mark.parametrize("value", ["2025-12-06", "2025-13-01", "2025-12-5", 20251201, None,
                                   "9999-12-31", "2025-12-05 00:00:00", ["2025-11-01"]])
def test_a_day_not_as_written_is_not_taken(value):
    """A day after the package's first day (it cannot know), or not a day: not taken."""
    assert held_cleared.read({held_cleared.KEY: value}, "2025-12-05 00:00:00") is None
    assert held_cleared.read({}, "2025-12-05 00:00:00") is None
    assert held_cleared.read({held_cleared.KEY: "2025-12-05"}, "2025-12-05 00:00:00") == \
        dt.date(2025, 12, 5)


def test_the_row_keeps_the_statement_clearing_most():
    kept = held_cleared.kept(None, dt.date(2025, 11, 3), "2025-12-05 00:00:00")
    assert held_cleared.kept(kept, dt.date(2025, 10, 1), "2025-12-10 00:00:00") == kept
    assert held_cleared.kept(kept, None, "2025-12-10 00:00:00") == kept
    assert held_cleared.kept({"day": 1}, None, "x") is None  # a stored row not as written


def test_the_printed_report_and_the_command_say_it_too(offices, tmp_path, monkeypatch,  # noqa: F811
                                                      capsys):
    """The monthly PDF and `report monthly` (the Báo cáo screen's cells are the same `cells`)
    read the row the same way: «Đủ», no warning, once the next package settled it."""
    import main
    from core.pdf.monthly import build_monthly
    from tests.core.exchange.test_sources import clock
    from tests.pdfread import pdf_text
    centre, xa_a = offices
    finished(xa_a)
    _older_first(centre, xa_a, tmp_path, monkeypatch)
    take(centre, send(xa_a, tmp_path / "a2.zip", NEXT, NEXT_MADE, "U1"),
         NEXT_MADE + dt.timedelta(hours=1))
    with clock(dt.datetime(2025, 12, 7, 10)):
        text = " ".join(pdf_text(build_monthly(centre, "2025-11")).split())
        out = tmp_path / "thang11.pdf"
        code = main.main(["--db", str(tmp_path / "centre.db"), "report", "monthly",
                          "--month", "2025-11", "--out", str(out)])
    assert code == 0, capsys.readouterr()
    for said in (text, " ".join(pdf_text(out).split())):
        assert "NGUỒN SỐ LIỆU" in said and "Số liệu của mọi máy gửi đã đủ đến hết kỳ báo cáo" \
            in said and "Không rõ" not in said and "Thiếu" not in said


def test_a_row_whose_partly_spans_are_not_moments_fails_no_report(offices, tmp_path):  # noqa: F811
    """A unit row's `partly` (held34) not as written — a span that is no moment — is read past
    like the row's other keys (sources._readable: never a report failed for a row): the report
    was a ValueError from parse_db_time."""
    import json

    from db.connection import transaction
    from tests.core.exchange.test_held_units import move
    centre, xa_a = offices
    take(centre, send(xa_a, tmp_path / "a-u2.zip", dt.date(2025, 9, 1),
                      dt.datetime(2025, 10, 1, 9), "U2"), dt.datetime(2025, 10, 1, 10))
    for db in (centre, xa_a):
        move(db, "U1", "U2")
    take(centre, send(xa_a, tmp_path / "a-u2b.zip", dt.date(2025, 10, 1),
                      dt.datetime(2025, 11, 1, 9), "U2"), dt.datetime(2025, 11, 1, 10))
    [(key, value)] = centre.execute("SELECT key, value FROM settings WHERE key LIKE "
                                    "'exchange_source:%'").fetchall()
    said = json.loads(value)
    assert said["partly"]  # U1, carried by the later package only
    said["partly"] = {code: [["hôm qua", "2025-11-01 09:00:00"]] for code in said["partly"]}
    with transaction(centre) as conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = ?", [json.dumps(said), key])
    take(centre, send(xa_a, tmp_path / "a-all.zip", FIRST, MADE, None), MADE)
    assert verdicts(centre, OCTOBER)  # judged (erring as a row without it), not raised


def test_a_later_period_asks_for_a_package_from_its_start_when_nothing_left_is_open(
        offices, tmp_path):  # noqa: F811
    """A's first package from 03/12 left the dossier finished on 25/10 behind, none of it open:
    December lacks 01/12–02/12 only, and a package from 01/12 brings it — the warning asked for
    one from 20/10 (for a counter its commune relayed in November: those walk-in votes again,
    walk34); once taken, «Đủ»."""
    centre, xa_a = offices
    finished(xa_a)
    take(centre, send(xa_a, tmp_path / "a.zip", dt.date(2025, 12, 3), NEXT_MADE, "U1"),
         NEXT_MADE + dt.timedelta(hours=1))
    december = (dt.date(2025, 12, 1), dt.date(2025, 12, 5))
    [said] = report(centre, december).warnings
    assert "xuất lại gói từ ngày 01/12/2025" in said, said
    take(centre, send(xa_a, tmp_path / "a2.zip", dt.date(2025, 12, 1), NEXT_MADE, "U1"),
         NEXT_MADE + dt.timedelta(hours=2))
    assert verdicts(centre, december) == ["Đủ"]
    assert "xuất lại gói từ ngày 01/11/2025" in " ".join(report(centre, NOVEMBER).warnings)


def test_the_day_reads_open_dossiers_by_the_packages_one_rule(offices, monkeypatch):  # noqa: F811
    """Which dossiers are open (a closed status with its finish) was written twice, in the
    counts of `open` (held_units.OPEN_SQL) and here: one rule now (held_units.CLOSED_SQL), so
    the `cleared` day and the `open` counts cannot come to differ (read34)."""
    from core.exchange import held_units
    _centre, xa_a = offices
    assert held_cleared.day(xa_a, "U1", NEXT, []) < NEXT.isoformat()  # its open dossier
    monkeypatch.setattr(held_units, "CLOSED_SQL", "(1)")  # every dossier read as closed
    assert held_cleared.day(xa_a, "U1", NEXT, []) == NEXT.isoformat()
