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
