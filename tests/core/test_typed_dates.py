"""The one rule of a typed day and moment (core.typed_dates): exactly what was written, or an
InputError whose words say what is wrong — never another day or time."""
import datetime as dt

import pytest

from core.errors import InputError
from core.typed_dates import parse_day, parse_moment


@pytest.mark.parametrize("text, day", [
    ("20/11/2026", dt.date(2026, 11, 20)), ("5/1/2026", dt.date(2026, 1, 5)),
    ("29/02/2024", dt.date(2024, 2, 29)), ("2026-11-20", dt.date(2026, 11, 20)),
    (" 01.10.2026 ", dt.date(2026, 10, 1)), ("31-12-2026", dt.date(2026, 12, 31)),
])
def test_a_real_day_is_that_day(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text, words", [
    ("31/02/2026", "ngày 31 không có trong tháng 2/2026 (tháng 2/2026 chỉ có 28 ngày)"),
    ("29/02/2025", "ngày 29 không có trong tháng 2/2025"),
    ("31/04/2026", "tháng 4/2026 chỉ có 30 ngày"),
    ("15/13/2026", "không có tháng 13"),
    ("2026-00-10", "không có tháng 0"),
    ("00/11/2026", "ngày 0 không có trong tháng 11/2026"),
    ("01/02/26", "năm «26» phải đủ 4 chữ số"),
    ("1/2/026", "năm «026» phải đủ 4 chữ số"),
    ("01/01/0026", "nằm ngoài khoảng năm"),
    ("", "chưa nhập ngày"),
    ("hôm qua", "«hôm qua» không phải một ngày"),
    ("20/11", "«20/11» không phải một ngày"),
])
def test_a_day_that_is_not_one_is_named(text, words):
    with pytest.raises(InputError) as caught:
        parse_day(text, "Nhận từ ngày")
    assert caught.value.message.startswith("Nhận từ ngày")
    assert words in caught.value.message, caught.value.message


@pytest.mark.parametrize("text, moment", [
    ("08:30 20/11/2026", dt.datetime(2026, 11, 20, 8, 30)),
    ("8:05 5/3/2026", dt.datetime(2026, 3, 5, 8, 5)),
    ("20/11/2026 08:30", dt.datetime(2026, 11, 20, 8, 30)),
    ("2026-11-20 08:30", dt.datetime(2026, 11, 20, 8, 30)),
    ("2026-11-20 08:30:15", dt.datetime(2026, 11, 20, 8, 30, 15)),
    ("2026-11-20T08:30", dt.datetime(2026, 11, 20, 8, 30)),
    ("  23:59   31/12/2026 ", dt.datetime(2026, 12, 31, 23, 59)),
    ("00:00 29/02/2028", dt.datetime(2028, 2, 29, 0, 0)),
])
def test_a_real_moment_is_that_moment(text, moment):
    assert parse_moment(text) == moment


@pytest.mark.parametrize("text, words", [
    ("24:30 20/11/2026", "giờ 24:30 không hợp lệ"),
    ("10:60 20/11/2026", "giờ 10:60 không hợp lệ"),
    ("10:15 31/02/2026", "ngày 31 không có trong tháng 2/2026"),
    ("10:15 29/02/2025", "ngày 29 không có trong tháng 2/2025"),
    ("10:15 15/13/2026", "không có tháng 13"),
    ("10:15 01/02/26", "năm «26» phải đủ 4 chữ số"),
    ("20/11/2026", "chưa có giờ phút"),
    ("31/02/2026", "ngày 31 không có trong tháng 2/2026"),
    ("10:15", "«10:15» không phải một thời điểm"),
    ("", "chưa nhập thời điểm"),
])
def test_a_moment_that_is_not_one_is_named(text, words):
    with pytest.raises(InputError) as caught:
        parse_moment(text, "Thời điểm tiếp nhận")
    assert caught.value.message.startswith("Thời điểm tiếp nhận")
    assert words in caught.value.message, caught.value.message


def test_the_command_line_takes_a_bare_day_as_its_midnight_by_the_same_rule():
    from core.pdf.cli import parse_date as pdf_date
    from core.periods import parse_date
    from core.periods import parse_moment as cli_moment
    assert parse_moment("2026-11-30", bare_day=True) == dt.datetime(2026, 11, 30)
    assert cli_moment("30/11/2026") == dt.datetime(2026, 11, 30)
    for parse in (parse_date, lambda text: pdf_date(text, "--from"), cli_moment):
        with pytest.raises(InputError, match="ngày 31 không có trong tháng 2/2026"):
            parse("31/02/2026")
        with pytest.raises(InputError, match="phải đủ 4 chữ số"):
            parse("01/02/26")


@pytest.mark.parametrize("text, first", [
    ("11/2026", dt.date(2026, 11, 1)), ("1/2027", dt.date(2027, 1, 1)),
    ("2026-05", dt.date(2026, 5, 1)),
])
def test_a_real_month_is_that_month(text, first):
    from core.typed_dates import parse_month
    assert parse_month(text) == first


@pytest.mark.parametrize("text, words", [
    ("13/2026", "không có tháng 13"), ("00/2026", "không có tháng 0"),
    ("11/26", "năm «26» phải đủ 4 chữ số"), ("11/0026", "nằm ngoài khoảng năm"),
    ("tháng 11", "không phải một tháng"), ("", "chưa nhập tháng"),
])
def test_a_month_that_is_not_one_is_named(text, words):
    from core.typed_dates import parse_month
    with pytest.raises(InputError, match=words):
        parse_month(text, "Tháng")


def test_the_command_line_names_the_text_typed_as_well():
    from core.periods import parse_date
    from core.periods import parse_moment as cli_moment
    with pytest.raises(InputError) as caught:
        parse_date("2026-02-30", "Ngày bắt đầu")
    assert caught.value.message == ("Ngày bắt đầu: ngày 30 không có trong tháng 2/2026 (tháng "
                                    "2/2026 chỉ có 28 ngày) (đã ghi «2026-02-30»).")
    with pytest.raises(InputError, match="«2026-11-30 24:30»"):
        cli_moment("2026-11-30 24:30")
    with pytest.raises(InputError) as caught:  # already quoted: once
        parse_date("hôm qua")
    assert caught.value.message.count("«hôm qua»") == 1


# ----- a time of day (the office hours) ----------------------------------------------------
@pytest.mark.parametrize("text, time", [
    ("07:30", dt.time(7, 30)), ("7:30", dt.time(7, 30)), ("7h30", dt.time(7, 30)),
    ("7H30", dt.time(7, 30)), ("7g30", dt.time(7, 30)), (" 13 : 05 ", dt.time(13, 5)),
    ("7h", dt.time(7, 0)), ("17", dt.time(17, 0)), ("0:00", dt.time(0, 0)),
    ("23.59", dt.time(23, 59)),
])
def test_a_time_of_day_is_that_time(text, time):
    from core.typed_dates import parse_clock
    assert parse_clock(text) == time


@pytest.mark.parametrize("text, words", [
    ("25:00", "giờ 25 không có (giờ từ 0 đến 23)"),
    ("24:00", "giờ 24 không có"),
    ("12:75", "phút 75 không có (phút từ 00 đến 59)"),
    ("13:3", "phút «3» phải đủ 2 chữ số"),
    ("1330", "«1330» không phải giờ:phút"),
    ("mười giờ", "«mườigiờ» không phải giờ:phút"),
    ("-7:30", "không phải giờ:phút"),
    ("", "chưa nhập giờ"),
])
def test_a_time_that_is_not_one_is_named(text, words):
    from core.typed_dates import parse_clock
    with pytest.raises(InputError) as caught:
        parse_clock(text, "Buổi sáng, giờ bắt đầu")
    assert caught.value.message.startswith("Buổi sáng, giờ bắt đầu: ")
    assert words in caught.value.message, caught.value.message


def test_office_hours_typed_are_kept_as_hh_mm_and_in_order():
    from core.calendar import typed_sessions
    from core.errors import FieldError
    assert typed_sessions([("7h30", "11:30"), ("13h", "17")]) == [["07:30", "11:30"],
                                                                   ["13:00", "17:00"]]
    assert typed_sessions([("7:00", "11:30"), ("11:30", "17:00")])[1] == ["11:30", "17:00"]
    cases = [
        ([("07:00", "11:30"), ("25:00", "17:00")], "1.start",
         "Buổi chiều, giờ bắt đầu: giờ 25 không có (giờ từ 0 đến 23)."),
        ([("11:30", "07:00"), ("13:30", "17:00")], "0.end",
         "Buổi sáng: giờ kết thúc 07:00 phải sau giờ bắt đầu 11:30."),
        ([("07:00", "11:30"), ("11:00", "17:00")], "1.start",
         "Buổi chiều bắt đầu lúc 11:00, trước khi buổi sáng kết thúc (11:30)."),
        ([("07:00", "11:30"), ("13:30", "13:30")], "1.end",
         "Buổi chiều: giờ kết thúc 13:30 phải sau giờ bắt đầu 13:30."),
    ]
    for rows, field, message in cases:
        with pytest.raises(FieldError) as caught:
            typed_sessions(rows)
        assert (caught.value.field, caught.value.message) == (field, message)
