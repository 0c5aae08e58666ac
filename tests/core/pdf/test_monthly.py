"""The monthly report on a real database: its figures are the indicator engine's."""
from __future__ import annotations

import datetime as dt
import re

from core import indicators
from core.pdf.monthly import build_monthly
from core.pdf.monthly_data import gather
from core.pdf.monthly_sections import table06_row
from tests.core.pdf import sample
from tests.pdfread import page_sizes, pdf_fonts, pdf_text, render_pages

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def table06_numbers(text: str, name: str) -> list[int]:
    match = re.search(re.escape(name) + r"\s+((?:[\d.]+\s+){10}[\d.]+)", text)
    assert match, name
    return [int(x.replace(".", "")) for x in match.group(1).split()]


def test_periodic_table_equals_the_engine(sample_db, write_pdf, tmp_path):
    path = write_pdf(build_monthly(sample_db, "2026-10", issued=dt.date(2026, 11, 5)))
    kpi = indicators.compute(sample_db, *OCTOBER)
    text = pdf_text(path, layout=True)
    assert kpi["total"]["received"]["total"] > 50  # the sample is busy enough to mean something
    for unit in kpi["units"]:
        expected = [int(x.replace(".", "")) for x in table06_row(unit)]
        assert table06_numbers(text, unit["name"]) == expected
    assert table06_numbers(text, "Tổng cộng") == \
        [int(x.replace(".", "")) for x in table06_row(kpi["total"])]
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))
    sizes = page_sizes(path)
    assert all(abs(w - 595.276) < 1 and abs(h - 841.89) < 1 for w, h in sizes)
    assert len(render_pages(path, tmp_path)) == len(sizes)


def test_indicator_results_are_the_engines(sample_db, write_pdf):
    kpi = indicators.compute(sample_db, *OCTOBER)
    text = " ".join(pdf_text(write_pdf(build_monthly(sample_db, "2026-10"))).split())
    total = kpi["total"]
    resolved = total["resolved"]
    on_time = resolved["early"] + resolved["on_time"]
    expected = f"{total['on_time_rate'] * 100:.2f}".replace(".", ",") + \
        f"% ({on_time}/{resolved['total']})"
    assert expected in text
    pay = total["online_payment"]
    assert f"({pay['paid_online']}/{pay['fee_dossiers']})" in text


def test_overdue_list_and_votes_match_the_engine(sample_db):
    data = gather(sample_db, "2026-10")
    kpi = data.kpi
    assert 0 < kpi["total"]["in_progress"]["overdue"] <= 100  # all of them printed
    assert len(data.overdue) == kpi["total"]["in_progress"]["overdue"]
    for unit in kpi["units"]:
        mine = sum(1 for row in data.overdue if row.unit_code == unit["code"])
        assert mine == unit["in_progress"]["overdue"] == data.overdue_found.get(unit["code"], 0)
        assert sum(data.votes[unit["code"]].values()) == unit["satisfaction"]["votes"]
    moment = dt.datetime(2026, 11, 1)
    assert all(row.due < moment and row.late for row in data.overdue)
    assert [row.due for row in data.overdue] == sorted(row.due for row in data.overdue)


def test_only_the_longest_overdue_are_printed_but_all_are_counted(sample_db):
    from core.pdf import queries

    units = [code for code, _ in queries.scope_units(sample_db, None)]
    moment = dt.datetime(2026, 11, 1)
    policy = indicators.compute(sample_db, *OCTOBER)["policy"]
    everything = queries.overdue_dossiers(sample_db, units, moment, policy, limit=1000)
    top = queries.overdue_dossiers(sample_db, units, moment, policy, limit=3)
    assert top.per_unit == everything.per_unit and top.count > 3
    assert [r.code for r in top.rows] == [r.code for r in everything.rows[:3]]


def test_scope_limits_units_and_names_the_unit(sample_db, write_pdf):
    text = " ".join(pdf_text(write_pdf(build_monthly(sample_db, "2026-10", unit="X01"))).split())
    assert "Kết quả giải quyết thủ tục hành chính tháng 10 năm 2026 của UBND xã Văn An" in text
    assert "UBND xã Tràng Phái" not in text


def test_month_without_data_on_a_real_database(db, write_pdf):
    sample.catalogue_only(db)
    text = " ".join(pdf_text(write_pdf(build_monthly(db, "2026-10"))).split())
    assert "không có hồ sơ thủ tục hành chính nào được tiếp nhận" in text
    assert "0,00%" not in text and "Tổng cộng" not in text


def test_monthly_command_writes_the_report(sample_db, db_path, tmp_path):
    import main

    sample_db.close()
    out = tmp_path / "bao-cao.pdf"
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-10",
                      "--out", str(out)]) == 0
    assert "BÁO CÁO" in pdf_text(out)


def test_six_digit_totals_stay_on_one_line():
    """A year of a 200,000-dossier office printed "145.17 / 8" in the Tổng cộng row."""
    from core.pdf.blocks import _fits
    from core.pdf.monthly_sections import table06_widths
    for row in (["145.178", "45.302", "98.464", "1.412", "141.141", "33.796", "100.357", "6.988",
                 "1.386", "1.327", "59"], ["9.999"] * 11):
        widths, size = table06_widths(row)
        assert all(_fits(cell, width, size, True) for cell, width in zip(row, widths[2:], strict=True))
        assert sum(widths) <= sum(table06_widths(["1"] * 11)[0]) + 0.01  # the page keeps its width


def test_a_period_that_is_not_a_month_reads_as_one(sample_db):
    from core.periods import Period
    text = pdf_text(build_monthly(sample_db, Period(dt.date(2026, 1, 1), dt.date(2026, 10, 31)),
                                  issued=dt.date(2026, 11, 5)))
    assert "trong kỳ từ ngày 01/01/2026 đến ngày 31/10/2026" in " ".join(text.split())


def test_table_06_by_field_grouped_by_level_equals_the_engine(sample_db, write_pdf, tmp_path):
    from core.indicators.by_field import compute_by_field

    path = write_pdf(build_monthly(sample_db, "2026-10", issued=dt.date(2026, 11, 5), by="field"))
    by_field = compute_by_field(sample_db, *OCTOBER)
    kpi = indicators.compute(sample_db, *OCTOBER)
    text = pdf_text(path, layout=True)
    flat = " ".join(pdf_text(path).split())
    assert "Lĩnh vực, công việc giải quyết theo cấp" in flat
    assert "theo lĩnh vực và cấp giải quyết" in flat
    assert by_field["levels"]
    for level in by_field["levels"]:
        expected = [int(x.replace(".", "")) for x in table06_row(level["total"])]
        assert table06_numbers(text, level["name"]) == expected
        for row in level["fields"]:
            assert row["field"].split()[0] in flat
    total = [int(x.replace(".", "")) for x in table06_row(kpi["total"])]
    assert table06_numbers(text, "Tổng cộng") == total  # the same total as by unit
    assert render_pages(path, tmp_path)


def test_monthly_command_by_field_and_its_refusals(sample_db, db_path, tmp_path, capsys):
    import main

    sample_db.close()
    out = tmp_path / "theo-linh-vuc.pdf"
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-10",
                      "--by", "field", "--out", str(out)]) == 0
    assert "theo cấp" in " ".join(pdf_text(out).split())
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-10",
                      "--by", "procedure", "--out", str(out)]) == 2
    assert main.main(["--db", str(db_path), "report", "monthly", "--month", "2026-10",
                      "--by", "field", "--as-of", "2026-10-20 10:00", "--out",
                      str(tmp_path / "x.pdf")]) == 2  # an input error, like a wrong --month
    assert "--as-of" in capsys.readouterr().err


def test_the_766_section_prints_the_engines_figures_per_unit(sample_db, write_pdf):
    """Spec 5.1: a section of the six 766 figures, each named with its set, and per unit."""
    from core.indicators import i766
    from core.timefmt import vn_number, vn_percent
    kpi = indicators.compute(sample_db, *OCTOBER)
    path = write_pdf(build_monthly(sample_db, "2026-10"))
    text = " ".join(pdf_text(path).split())
    assert "CÁC CHỈ SỐ THEO QUYẾT ĐỊNH 766/QĐ-TTg" in text
    assert "CÁC CHỈ TIÊU THEO BIỂU 06 SO VỚI MỤC TIÊU" in text
    for key in i766.KEYS:
        part = kpi["total"]["i766"][key]
        figure = i766.FIGURES[key]
        if part["rate"] is not None:
            assert (f"{figure.code}. {figure.name} {vn_percent(part['rate'])} "
                    f"({vn_number(part['num'])}/{vn_number(part['den'])})") in text
    layout = pdf_text(path, layout=True)
    section = layout[layout.index("Tỷ lệ các chỉ số 766 theo đơn vị"):]
    for unit in kpi["units"]:
        rates = [vn_percent(unit["i766"][k]["rate"]) for k in i766.KEYS]
        line = next(line for line in section.splitlines() if unit["name"][:18] in line)
        assert line.split()[-6:] == rates, unit["name"]
