"""Times of day as stored (core.calendar.parse_hhmm) and as typed (core.typed_dates.parse_clock):
the typed rule stops at 23:59, the stored reader also reads "24:00" as the end of the day,
which the procedures import keeps and the catalogue kept as typed before the typed rule; a
due time of such a procedure is computed, never an error (see parse_hhmm)."""
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


def test_a_procedure_imported_with_24_00_gets_its_due_times(db, tmp_path):
    from core.transfer import import_file
    path = write_csv(tmp_path / "thutuc.csv",
                     ["code", "name", "limit_value", "limit_unit", "same_day_cutoff"],
                     [["P.SD24", "Chứng thực chữ ký", "0", "same_day", "24:00"]])
    assert import_file(db, "procedures", path).ok
    assert db.execute("SELECT same_day_cutoff FROM procedures WHERE code = 'P.SD24'"
                      ).fetchone()[0] == "24:00"
    add_units(db)
    add_procedures(db, [])
    add_dossier(db, code="U1-250303-0001", procedure="P.SD24",
                received=dt.datetime.combine(MONDAY, dt.time(16, 30)))
    assert db.execute("SELECT calc_due_at FROM dossiers").fetchone()[0] == "2025-03-03 17:00:00"
