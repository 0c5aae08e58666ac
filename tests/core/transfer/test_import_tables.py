"""Importing units, procedures, the calendar, payments and votes: upserts, counts, and the
due times and figures that move with a procedure or the calendar."""
from __future__ import annotations

from core.transfer import import_file
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    PROCEDURES,
    PROCEDURES_HEADER,
    UNITS,
    UNITS_HEADER,
    count,
    dossier_row,
    write_csv,
)
from tests.stored_facts import stored_facts

PAYMENTS_HEADER = ["dossier_code", "amount", "method", "paid_at", "reference"]
VOTES_HEADER = ["unit_code", "voted_at", "rating", "dossier_code", "comment"]
CODE = "XTD-250102-0001"


def load(db, tmp_path, kind, header, rows, name=None):
    return import_file(db, kind, write_csv(tmp_path / (name or f"{kind}.csv"), header, rows))


def calc_due(db, code=CODE):
    return db.execute("SELECT calc_due_at FROM dossiers WHERE code = ?", [code]).fetchone()[0]


def with_dossier(db, tmp_path, **values):
    assert load(db, tmp_path, "dossiers", DOSSIERS_HEADER, [dossier_row(**values)]).ok
    return db


def test_units_upsert_counts(catalog, tmp_path):
    rows = [UNITS[0], ["XTD", "UBND xã Tân Đoàn (mới)", "commune", "LS"], ["XNL", "Xã Na Lầu", "", "LS"]]
    result = load(catalog, tmp_path, "units", UNITS_HEADER, rows)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert catalog.execute("SELECT name FROM units WHERE code = 'XTD'").fetchone()[0] == "UBND xã Tân Đoàn (mới)"
    assert catalog.execute("SELECT level FROM units WHERE code = 'XNL'").fetchone()[0] is None


def test_procedure_defaults_and_decimal_comma(db, tmp_path):
    rows = [["P1", "Thủ tục", "", "0,5", "working_days", "", "", "", ""]]
    assert load(db, tmp_path, "procedures", PROCEDURES_HEADER, rows).ok
    stored = db.execute("SELECT limit_value, fee, online_level, paper_result, same_day_cutoff "
                        "FROM procedures").fetchone()
    assert tuple(stored) == (0.5, 0, "none", 0, None)


def test_procedure_limit_change_applies_from_valid_from(catalog, tmp_path, monkeypatch):
    import datetime as dt

    from core import timefmt
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 3, 1, 9, 0))
    with_dossier(catalog, tmp_path)
    assert calc_due(catalog) == "2025-01-07 08:00:00"
    rows = [r[:] for r in PROCEDURES]
    rows[0][3] = "2"  # no valid_from: from today (01/03/2025), the January dossier keeps 3 days
    result = load(catalog, tmp_path, "procedures", PROCEDURES_HEADER, rows, "p2.csv")
    assert (result.updated, result.unchanged) == (1, 2)
    assert calc_due(catalog) == "2025-01-07 08:00:00"
    assert catalog.execute("SELECT valid_from, valid_until, limit_value FROM procedure_rules"
                           ).fetchall() == [("0001-01-01", "2025-03-01", 3.0)]
    rows = [r[:] + [""] for r in PROCEDURES]
    rows[0][3], rows[0][-1] = "1", "01/01/2025"  # an explicit past date: a retroactive change
    result = load(catalog, tmp_path, "procedures", PROCEDURES_HEADER + ["valid_from"], rows,
                  "p3.csv")
    assert (result.updated, result.unchanged) == (1, 2)
    assert calc_due(catalog) == "2025-01-03 08:00:00"
    assert stored_facts(catalog)[0]["c"]["po"] == "late"
    assert catalog.execute("SELECT SUM(late_po), SUM(early_po) FROM kpi_daily").fetchone() == (1, 0)


def test_procedure_fee_change_keeps_the_fee_figures_already_received(catalog, tmp_path):
    """core.fees: the new fee is for the dossiers received from now on (tests/core/transfer/
    test_fee_kept.py); the one received before keeps the fee 0 it had, in its own fee."""
    with_dossier(catalog, tmp_path)  # fee empty: the procedure's (0)
    rows = [r[:] for r in PROCEDURES]
    rows[0][5] = "8000"
    result = load(catalog, tmp_path, "procedures", PROCEDURES_HEADER, rows, "p2.csv")
    assert catalog.execute("SELECT SUM(fee_dossiers) FROM kpi_daily").fetchone()[0] == 0
    assert catalog.execute("SELECT fee FROM dossiers").fetchone()[0] == 0
    assert result.notes == ["Thủ tục 1.001612: Mức phí mới áp dụng cho hồ sơ tiếp nhận từ nay; "
                            "1 hồ sơ đã tiếp nhận giữ mức phí cũ 0 đ."]


def test_calendar_holiday_moves_due_times(catalog, tmp_path):
    with_dossier(catalog, tmp_path, status="processing", finished_at="", returned_at="")
    result = load(catalog, tmp_path, "calendar", ["date", "kind", "name"],
                  [["03/01/2025", "holiday", "Nghỉ bù"], ["2025-01-11", "workday", "Làm bù"]])
    assert result.added == 2
    # Fri 03/01 off, Sat 11/01 working: 3 working days from Thu 08:00 end Wed 08/01 08:00
    assert calc_due(catalog) == "2025-01-08 08:00:00"
    again = load(catalog, tmp_path, "calendar", ["date", "kind", "name"],
                 [["2025-01-03", "holiday", "Nghỉ bù"]], "c2.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)


def test_calendar_holiday_inside_a_closed_dossiers_time_moves_its_due(catalog, tmp_path):
    with_dossier(catalog, tmp_path)
    before = catalog.execute("SELECT facts, calc_due_at FROM dossiers").fetchone()
    load(catalog, tmp_path, "calendar", ["date", "kind"], [["2025-01-06", "holiday"]])
    assert calc_due(catalog) == "2025-01-08 08:00:00"  # the due time crosses 06/01: moved
    assert catalog.execute("SELECT facts, calc_due_at FROM dossiers").fetchone() != before


def test_a_calendar_that_leaves_no_working_day_is_refused_by_its_row_in_a_dry_run_too(
        catalog, tmp_path):
    """Every day from 2025 to 2040 a holiday (a file whose kind column is wrong): the import
    crashed while moving the due times ("không tìm thấy ngày làm việc", a crash log, exit 1),
    and its dry run said the file was fine."""
    import datetime as dt
    with_dossier(catalog, tmp_path, status="processing", finished_at="", returned_at="")
    days = [dt.date(2024, 12, 30) + dt.timedelta(days=i) for i in range(365 * 16)]
    rows = [[day.isoformat(), "holiday", "Nghỉ"] for day in days]
    before = count(catalog, "calendar")
    for dry_run in (True, False):
        result = import_file(catalog, "calendar", write_csv(tmp_path / "c.csv", ["date", "kind",
                                                                                 "name"], rows),
                             dry_run=dry_run)
        assert [(e.row, e.column) for e in result.errors] == [(2, "date")]
        assert "không còn ngày làm việc nào" in result.errors[0].reason
        assert "30/12/2024" in result.errors[0].reason
    assert count(catalog, "calendar") == before


def test_the_no_working_day_check_runs_on_the_calendar_the_import_makes(
        catalog, tmp_path, monkeypatch):
    """The check built its own calendar (default office hours, the overrides merged by hand)
    beside core.calendar.load_calendar; it now asks load_calendar for the office's calendar
    as the import will leave it (its hours, dated hours and stored days, the file's days)."""
    import datetime as dt

    from core.calendar import WorkCalendar, load_calendar
    from core.rules import set_office_hours
    set_office_hours(catalog, [["07:30", "11:30"], ["13:00", "16:30"]], dt.date(2025, 3, 1))
    load(catalog, tmp_path, "calendar", ["date", "kind"], [["2025-05-10", "workday"]], "c0.csv")
    checked: list[WorkCalendar] = []
    endless_rest = WorkCalendar.endless_rest
    monkeypatch.setattr(WorkCalendar, "endless_rest",
                        lambda cal: checked.append(cal) or endless_rest(cal))
    rows = [["2025-04-30", "holiday", "Nghỉ"], ["2025-05-10", "holiday", "Đổi"]]
    assert import_file(catalog, "calendar", write_csv(tmp_path / "c.csv", ["date", "kind", "name"],
                                                      rows), dry_run=True).ok
    assert load(catalog, tmp_path, "calendar", ["date", "kind", "name"], rows, "c1.csv").ok
    made = load_calendar(catalog)
    for cal in checked:  # the dry run's and the import's
        assert (cal.sessions, cal.dated) == (made.sessions, made.dated) and made.dated
        assert {d: o.kind for d, o in cal.overrides.items()} == \
            {d: o.kind for d, o in made.overrides.items()}
    assert len(checked) == 2


def test_payments_upsert_by_reference_and_count_identical_rows(catalog, tmp_path):
    with_dossier(catalog, tmp_path, procedure_code="1.004227")
    rows = [[CODE, "150000", "online", "2025-01-02 08:30", "GD-01"],
            [CODE, "2000", "cash", "2025-01-02 09:00", ""],
            [CODE, "2000", "cash", "2025-01-02 09:00", ""]]
    first = load(catalog, tmp_path, "payments", PAYMENTS_HEADER, rows)
    assert (first.added, first.unchanged) == (3, 0)
    again = load(catalog, tmp_path, "payments", PAYMENTS_HEADER, rows)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert count(catalog, "payments") == 3
    rows[0][1] = "160000"
    changed = load(catalog, tmp_path, "payments", PAYMENTS_HEADER, rows, "p2.csv")
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 2)
    assert catalog.execute("SELECT amount FROM payments WHERE reference = 'GD-01'").fetchone()[0] == 160000
    assert catalog.execute("SELECT SUM(paid_online), SUM(fee_dossiers) FROM kpi_daily").fetchone() == (1, 1)


def test_votes_are_added_once_and_counted(catalog, tmp_path):
    with_dossier(catalog, tmp_path)
    rows = [["XTD", "2025-01-03 15:10", "satisfied", CODE, "Nhanh"],
            ["XTD", "2025-01-03 15:10", "neutral", "", ""],
            ["XTD", "2025-01-03 15:10", "neutral", "", ""]]
    first = load(catalog, tmp_path, "votes", VOTES_HEADER, rows)
    again = load(catalog, tmp_path, "votes", VOTES_HEADER, rows)
    assert (first.added, again.added, again.unchanged) == (3, 0, 3)
    assert catalog.execute("SELECT SUM(votes), SUM(satisfied) FROM kpi_daily").fetchone() == (3, 1)
    dossier_id = catalog.execute("SELECT id FROM dossiers").fetchone()[0]
    assert catalog.execute("SELECT dossier_id FROM votes WHERE comment = 'Nhanh'").fetchone()[0] == dossier_id


def test_a_cutoff_after_office_hours_is_imported_with_a_word_on_what_it_means(db, tmp_path):
    """Not refused (another installation or an older version may keep it), but the clerk is
    told: office hours end at 17:00, so a dossier received after 17:00 is due the next working
    day (core.due.same_day_cutoff); nothing is said of a cut-off inside office hours."""
    rows = [["P1", "Chứng thực", "", "0", "same_day", "", "", "", "18:00"],
            ["P2", "Chứng thực bản sao", "", "0", "same_day", "", "", "", "16:00"],
            ["P3", "Cấp phép", "", "3", "working_days", "", "", "", "18:00"]]
    result = load(db, tmp_path, "procedures", PROCEDURES_HEADER, rows)
    assert result.ok and result.added == 3
    assert result.warnings == [
        "Dòng 2: thủ tục P1: Giờ chốt 18:00 muộn hơn giờ kết thúc làm việc (17:00): hồ sơ nhận "
        "đến 17:00 trả trong ngày, nhận sau 17:00 trả vào ngày làm việc tiếp theo."]
    assert db.execute("SELECT same_day_cutoff FROM procedures WHERE code = 'P1'").fetchone()[0] \
        == "18:00"
