"""Biểu 06 and the 766 table as workbooks: read back, every figure is the engine's (the same
document `kpi --json` prints), counts and rates are numbers with their formats, the header's
merges are the official form's, and each sheet prints as it is (A4 landscape, fit to width,
header rows on every page)."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from core.database import open_database
from core.indicators import i766
from core.workbook import bieu06 as form06
from core.workbook import i766 as form766
from core.workbook.look import COUNT_FORMAT, FONT_NAME, PERCENT_FORMAT
from main import main
from tests.core.workbook.demo import OCTOBER, body, column_numbers_row, make_demo, texts


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("demo") / "demo.db")


def kpi_json(demo, capsys, first, last, unit=None) -> dict:
    argv = ["--db", str(demo), "kpi", "--from", first.isoformat(), "--to", last.isoformat(),
            "--json"] + (["--unit", unit] if unit else [])
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def export(demo, tmp_path, kind, first, last, *extra) -> object:
    path = tmp_path / f"{kind}.xlsx"
    assert main(["--db", str(demo), "export", kind, "--from", first.isoformat(),
                 "--to", last.isoformat(), *extra, str(path)]) == 0
    return load_workbook(path)


def merges(sheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def assert_printable(sheet, head_top: int, head_last: int) -> None:
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert sheet.print_title_rows == f"${head_top}:${head_last}"


def test_bieu06_by_unit_is_the_official_form_with_the_engines_figures(demo, tmp_path, capsys):
    doc = kpi_json(demo, capsys, *OCTOBER)
    sheet = export(demo, tmp_path, "bieu06", *OCTOBER)["Biểu 06"]
    numbers = column_numbers_row(sheet)
    top = numbers - 2
    assert [sheet.cell(numbers, c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]
    assert sheet.cell(top, 3).value == "Số hồ sơ nhận giải quyết"
    assert [sheet.cell(top + 1, c).value for c in (3, 7, 11)] == ["Tổng số"] * 3
    assert {f"A{top}:A{top + 1}", f"B{top}:B{top + 1}", f"C{top}:F{top}", f"G{top}:J{top}",
            f"K{top}:M{top}"} <= merges(sheet)
    assert_printable(sheet, top, numbers)
    words = texts(sheet, top)
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Biểu số 06/VPCP/KSTT", form06.TITLE, "Số liệu tính đến hết ngày 31/10/2026",
                 "(Tháng 10 năm 2026, từ ngày 01/10/2026 đến ngày 31/10/2026)"):
        assert text in words
    rows = body(sheet, numbers + 1, 13)
    units = {u["name"]: form06.columns_3_13(u) for u in doc["units"]}
    shown = {r[1]: r[2:] for r in rows if r[0] and r[0].isdigit()}
    assert shown == units  # every unit of `kpi --json`, its figures exactly
    assert rows[-1][2:] == form06.columns_3_13(doc["total"])
    levels = [r for r in rows if r[0] in ("I", "II", "III")]
    assert levels and [sum(col) for col in zip(*(r[2:] for r in levels), strict=True)] == rows[-1][2:]
    cell = sheet.cell(numbers + len(rows), 3)
    assert isinstance(cell.value, int) and cell.number_format == COUNT_FORMAT
    assert cell.font.name == FONT_NAME and cell.font.b


def test_bieu06_by_field_equals_the_engines_grouping(demo, tmp_path):
    from core.indicators.by_field import compute_by_field
    sheet = export(demo, tmp_path, "bieu06", *OCTOBER, "--by", "field")["Biểu 06"]
    numbers = column_numbers_row(sheet)
    assert sheet.cell(numbers - 2, 2).value == "Lĩnh vực, công việc giải quyết theo cấp"
    db = open_database(demo, create=False, mode="read")
    try:
        engine = compute_by_field(db, *OCTOBER)
    finally:
        db.close()
    expected = []
    for roman, level in zip(("I", "II", "III"), engine["levels"], strict=False):
        expected.append([roman, level["name"], *form06.columns_3_13(level["total"])])
        expected += [[str(i), f["field"], *form06.columns_3_13(f)]
                     for i, f in enumerate(level["fields"], start=1)]
    expected.append([None, "Tổng cộng", *form06.columns_3_13(engine["total"])])
    assert body(sheet, numbers + 1, 13) == expected


def test_i766_table_rates_are_percent_numbers_equal_to_the_engine(demo, tmp_path, capsys):
    from db import settings
    doc = kpi_json(demo, capsys, *OCTOBER)
    sheet = export(demo, tmp_path, "i766", *OCTOBER)["Chỉ số 766"]
    numbers = column_numbers_row(sheet)
    top = numbers - 2
    width = form766.COLUMNS
    assert {f"C{top}:E{top}", f"F{top}:H{top}", f"R{top}:T{top}"} <= merges(sheet)
    assert sheet.cell(top, 3).value.startswith("2.1.")
    assert [sheet.cell(top + 1, c).value for c in (3, 4, 5)] == list(form766.PARTS)
    assert_printable(sheet, top, numbers)
    rows = body(sheet, numbers + 1, width)
    for row, unit in zip(rows, doc["units"] + [doc["total"]], strict=True):
        expected = []
        for key in i766.KEYS:
            part = unit["i766"][key]
            expected += [part["num"], part["den"], "—" if part["rate"] is None else part["rate"]]
        assert row[2:] == expected
    total_row = numbers + len(rows)
    rate = sheet.cell(total_row, 5)
    assert isinstance(rate.value, float) and rate.number_format == PERCENT_FORMAT
    db = open_database(demo, create=False, mode="read")
    try:
        targets = settings.targets_766_for_year(db, 2026)
    finally:
        db.close()
    aims = [sheet.cell(total_row + 1, c).value for c in form766.FIRST_COLUMNS]
    assert aims == [targets[k] for k in i766.KEYS]
    assert sheet.cell(total_row + 1, 3).number_format == PERCENT_FORMAT


def test_a_running_period_says_its_figures_are_provisional(demo, tmp_path, monkeypatch):
    import datetime as dt

    from core import timefmt
    # November 2026 still runs on the 20th (the test once read the real clock, and failed
    # when December came)
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2026, 11, 20, 10, 15))
    sheet = export(demo, tmp_path, "bieu06", dt.date(2026, 11, 1), dt.date(2026, 11, 30))["Biểu 06"]
    assert "Số liệu tạm tính đến 10 giờ 15 phút, ngày 20/11/2026" in texts(sheet, 10)
    # the paper is dated by the same clock as its figures, not by the computer's calendar
    assert any("ngày 20 tháng 11 năm 2026" in text for text in texts(sheet, 4))


@pytest.mark.parametrize(("argv", "words"), [
    (["export", "bieu06", "{out}"], "--from"),
    (["export", "bieu06", "--from", "2026-10-31", "--to", "2026-10-01", "{out}"], "sau ngày"),
    (["export", "i766", "--from", "2026-10-01", "--to", "2026-10-31", "--by", "field", "{out}"],
     "chỉ lập theo đơn vị"),
    (["export", "bieu06", "--from", "2026-10-01", "--to", "2026-10-31", "{csv}"], ".xlsx"),
    (["export", "bieu06", "--from", "2026-10-01", "--to", "2026-10-31", "--unit", "KHONG", "{out}"],
     "KHONG"),
    (["export", "register", "--from", "2026-10-01", "--to", "2026-10-31", "--full-data", "{out}"],
     "--full-data không dùng với export register"),
    (["export", "i766", "--from", "2026-10-01", "--to", "2026-10-31", "--profile", "national",
      "{out}"], "--profile không dùng với export i766"),
])
def test_the_command_refuses_what_it_cannot_make(demo, tmp_path, capsys, argv, words):
    out, csv = tmp_path / "b.xlsx", tmp_path / "b.csv"
    argv = [a.format(out=out, csv=csv) for a in argv]
    assert main(["--db", str(demo), *argv]) == 2
    assert words in capsys.readouterr().err
    assert not out.exists() and not csv.exists()


@pytest.mark.parametrize("kind", ["register", "bieu06", "i766"])
def test_a_name_too_long_for_the_system_is_a_message_not_a_crash(demo, tmp_path, capsys, kind):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / ("a" * 300 + ".xlsx")
    assert main(["--db", str(demo), "export", kind, "--from", "2026-10-01", "--to", "2026-10-31",
                 str(out)]) == 1
    assert "tên tệp hoặc đường dẫn quá dài" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["register", "bieu06"])
def test_a_failed_swap_says_why_in_vietnamese_and_leaves_no_half_file(demo, tmp_path, capsys,
                                                                      monkeypatch, kind):
    import errno
    import os

    def refuse(*_args):
        raise PermissionError(errno.EACCES, "Permission denied")
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(os, "replace", refuse)
    assert main(["--db", str(demo), "export", kind, "--from", "2026-10-01", "--to", "2026-10-31",
                 str(folder / "x.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "không có quyền ghi" in err and "Permission denied" not in err
    assert list(folder.iterdir()) == []  # no .motcua-*.xlsx left beside the target


@pytest.mark.skipif(__import__("os").name != "posix", reason="file modes are POSIX")
def test_a_form_workbook_is_readable_like_any_other_file_not_private(demo, tmp_path):
    import os
    mask = os.umask(0o022)
    try:
        path = export(demo, tmp_path, "i766", OCTOBER[0], OCTOBER[1])
    finally:
        os.umask(mask)
    assert path is not None
    assert (tmp_path / "i766.xlsx").stat().st_mode & 0o777 == 0o644
