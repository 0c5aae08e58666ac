"""Cells as clerks type them: Vietnamese dates, thousands separators, decimal commas."""
from __future__ import annotations

import datetime as dt

import pytest

from core.transfer import cells
from core.transfer.cells import CellError


@pytest.mark.parametrize("raw, expected", [
    ("2025-01-02 08:00", "2025-01-02 08:00:00"), ("2025-01-02 08:00:59", "2025-01-02 08:00:59"),
    ("2025-1-2T8:05", "2025-01-02 08:05:00"), ("02/01/2025 08:00", "2025-01-02 08:00:00"),
    ("2/1/2025 8:00:30", "2025-01-02 08:00:30"), ("02/01/2025", "2025-01-02 00:00:00"),
    ("  2025-01-02 08:00  ", "2025-01-02 08:00:00"), ("", None), (None, None),
    (dt.datetime(2025, 1, 2, 7, 59, 59, 999_999), "2025-01-02 08:00:00"),
    (dt.date(2025, 1, 2), "2025-01-02 00:00:00"),
])
def test_time_values(raw, expected):
    assert cells.time_value(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2025 08:00", "2025-02-29 08:00", "2025-01-02 24:00",
                                 "2025-01-02 08:60", "02-01-2025", "hôm nay", "1800-01-01 08:00", 45678])
def test_bad_time_values(raw):
    with pytest.raises(CellError):
        cells.time_value(raw)


def test_dates_refuse_a_time_of_day():
    assert cells.date_value("25/01/2025") == "2025-01-25"
    assert cells.date_value(dt.datetime(2025, 1, 25)) == "2025-01-25"
    with pytest.raises(CellError, match="không ghi giờ"):
        cells.date_value("2025-01-25 08:00")


@pytest.mark.parametrize("raw, expected", [
    ("150000", 150000), ("150.000", 150000), ("1.500.000", 1500000), ("150,000", 150000),
    ("150 000", 150000), ("150.000 đ", 150000), ("150000.0", 150000), (150000.0, 150000), ("0", 0),
    ("-5", -5), ("", None),
])
def test_integers(raw, expected):
    assert cells.integer(raw) == expected


@pytest.mark.parametrize("raw", ["12,5", "1.5", 12.5, "mười", True, "1.50.000"])
def test_bad_integers(raw):
    with pytest.raises(CellError):
        cells.integer(raw)


def test_numbers_accept_decimal_comma():
    assert cells.number("0,5") == 0.5 and cells.number("3") == 3.0 and cells.number(1.5) == 1.5
    with pytest.raises(CellError):
        cells.number("nan")


def test_flags_enums_and_clock_times():
    assert [cells.flag(v) for v in ("1", "0", 1, 0.0, True, "có", "")] == [1, 0, 1, 0, 1, 1, None]
    assert cells.enum(("online", "direct"))(" Online ") == "online"
    # the cell as text; whether it is a cut-off is the catalogue's rule (parse_cutoff)
    assert cells.hhmm(" 9:30 ") == "9:30" and cells.hhmm(dt.time(15, 0)) == "15:00"
    assert cells.hhmm("16:00:00") == "16:00" and cells.hhmm("") is None
    with pytest.raises(CellError):
        cells.hhmm(dt.time(15, 0, 30))


@pytest.mark.parametrize("parse", [cells.time_value, cells.date_value, cells.hhmm])
def test_the_last_moment_excel_can_hold_is_refused_not_a_crash(parse):
    """An XLSX date cell of serial 2958465.999999 is 9999-12-31 23:59:59.91: rounding it to the
    second once went past datetime.max (OverflowError, a crash log instead of the cell named)."""
    with pytest.raises(CellError, match="năm|ngày|giờ"):
        parse(dt.datetime(9999, 12, 31, 23, 59, 59, 913_600))
