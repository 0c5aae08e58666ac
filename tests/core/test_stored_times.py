"""Times of day as stored (core.calendar.parse_hhmm) and as typed (core.typed_dates.parse_clock):
the typed rule stops at 23:59, the stored reader also reads "24:00" as the end of the day,
which the procedures import and the catalogue kept before the typed rule; a due time of such a
procedure is computed, never an error (see parse_hhmm). A cut-off is taken by one rule in the
catalogue and the import (core.typed_dates.parse_cutoff): a typed time, or the one stored kept."""
from __future__ import annotations

import datetime as dt

import pytest

from core.calendar import WorkCalendar, parse_hhmm, parse_sessions
from core.due import Limit, statutory_due
from core.errors import InputError
from core.typed_dates import parse_clock
from tests.core.factories import add_dossier, add_procedures, add_units
from tests.core.transfer.conftest import write_csv

MONDAY = dt.date(2025, 3, 3)


def test_the_stored_reader_reads_the_end_of_the_day_and_nothing_beyond():
    assert parse_hhmm("24:00") == 86400 and parse_hhmm("23:59") == 86340
    for wrong in ("24:01", "25:00", "23:60", "-1:00"):
        with pytest.raises(ValueError, match="giờ không hợp lệ"):
            parse_hhmm(wrong)
    with pytest.raises(InputError, match="giờ 24 không có"):
        parse_clock("24:00")  # typed: 00:00–23:59


def test_a_stored_cutoff_of_24_00_is_no_dossier_of_a_working_day_late_by_its_hour():
    cal = WorkCalendar()
    whole_day = Limit(0, "same_day", "24:00")
    at_16 = dt.datetime.combine(MONDAY, dt.time(16, 30))
    assert statutory_due(cal, at_16, whole_day) == dt.datetime.combine(MONDAY, dt.time(17, 0))
    assert statutory_due(cal, at_16, Limit(0, "same_day", "15:00")) == \
        dt.datetime(2025, 3, 4, 17, 0)  # the common cut-off: the next working day
    # a session stored as ending at midnight ends there
    assert parse_sessions([["07:00", "11:30"], ["13:30", "24:00"]])[-1] == (13 * 3600 + 1800, 86400)


def test_a_procedure_stored_with_24_00_gets_its_due_times(db):
    add_units(db)
    add_procedures(db, [("P.SD24", "Chứng thực chữ ký", 0, "same_day", 0, "none", 0, "24:00")])
    add_dossier(db, code="U1-250303-0001", procedure="P.SD24",
                received=dt.datetime.combine(MONDAY, dt.time(16, 30)))
    assert db.execute("SELECT calc_due_at FROM dossiers").fetchone()[0] == "2025-03-03 17:00:00"


def test_one_rule_for_a_cutoff_typed_or_imported_keeps_only_the_stored_24_00():
    from core.typed_dates import parse_cutoff
    assert parse_cutoff("15h30") == "15:30" and parse_cutoff(" 7:05 ") == "07:05"
    assert parse_cutoff("") is None and parse_cutoff(None, "24:00") is None
    assert parse_cutoff("24:00", "24:00") == "24:00"  # stored by an older version: kept
    assert parse_cutoff("7:5", "7:5") == "7:5"  # kept byte for byte: no rule change
    assert parse_cutoff("16:00", "24:00") == "16:00"
    for new, kept in (("24:00", None), ("24:00", "15:00"), ("24h", None), ("24", None)):
        with pytest.raises(InputError, match="giờ 24:00 không có"):
            parse_cutoff(new, kept)
    with pytest.raises(InputError, match="giờ 25 không có"):
        parse_cutoff("25:00", "25:00")  # a stored text the due times cannot read is not kept


def test_the_import_refuses_a_new_24_00_and_takes_back_a_stored_one(db, tmp_path):
    """The import took "24:00" while the catalogue's field refused it: two rules. Now a new
    24:00 is refused with its row and column, and a procedure stored with 24:00, exported and
    imported again, is unchanged (spec 6, 7: an export reads again)."""
    from core.transfer import export_file, import_file
    path = write_csv(tmp_path / "thutuc.csv",
                     ["code", "name", "limit_value", "limit_unit", "same_day_cutoff"],
                     [["P.SD24", "Chứng thực chữ ký", "0", "same_day", "24:00"],
                      ["P.SD15", "Chứng thực bản sao", "0", "same_day", "15h30"]])
    result = import_file(db, "procedures", path)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "same_day_cutoff", "24:00")]
    assert "giờ 24:00 không có" in result.errors[0].reason
    assert db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0] == 0
    add_procedures(db, [("P.SD24", "Chứng thực chữ ký", 0, "same_day", 0, "none", 0, "24:00")])
    for name in ("thutuc.csv", "thutuc.xlsx"):
        export_file(db, "procedures", tmp_path / name)
        again = import_file(db, "procedures", tmp_path / name)
        assert again.ok and again.unchanged == 1, (name, again.errors)
    assert db.execute("SELECT same_day_cutoff FROM procedures").fetchone()[0] == "24:00"
