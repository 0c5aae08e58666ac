"""The counted line of quiet units (core.indicators.listing) says «không có số liệu trong kỳ»:
it must hold only units that did nothing in the period. A reception point or a branch of the
provincial centre receives dossiers for the departments and communes; spec 5 counts them in
the competent unit's row, so its own row is all zeros — yet it received dossiers in the
period (section VIII lists them). Folded, the signed report said it had no figures."""
from __future__ import annotations

import datetime as dt

from core.indicators.listing import listing
from core.indicators.reception import ReceptionRow
from core.pdf.monthly import render_monthly
from core.pdf.monthly_data import MonthlyData
from core.periods import parse_month
from tests.core.pdf.helpers import figures, kpi_doc
from tests.core.pdf.test_monthly import table06_numbers
from tests.core.pdf.test_monthly_layout import header
from tests.pdfread import page_texts, pdf_text


def test_a_reception_point_that_received_for_others_is_listed_not_folded():
    units = [("SO", "Sở Tư pháp", figures(direct=5, on_time=5))]
    units += [(f"Q{i:04d}", f"UBND xã lặng {i}", figures()) for i in range(1050)]
    units += [("DTN", "Điểm tiếp nhận tại An Sơn", figures())]
    data = MonthlyData(parse_month("2026-10"), kpi_doc(units), header(), dt.date(2026, 11, 5),
                       "Tỉnh lớn", reception=[ReceptionRow("DTN", "Điểm tiếp nhận tại An Sơn",
                                                          "SO", "Sở Tư pháp", 5)])
    assert [u["code"] for u in data.listing.shown] == ["SO", "DTN"]
    assert len(data.listing.folded) == 1050
    pdf = render_monthly(data)
    assert table06_numbers("\n".join(page_texts(pdf, layout=True)),
                           "1.050 đơn vị khác: không") == [0] * 11
    # its own row in Biểu 06 (the name on two lines), in the 766 table, and in section VIII
    text = pdf_text(pdf)
    assert "2\nĐiểm tiếp nhận tại An\nSơn\n" + "0\n" * 11 + "1.050 đơn vị khác" in text
    assert " ".join(text.split()).count("Điểm tiếp nhận tại An Sơn") == 3  # II, 766, VIII


def test_every_unit_of_the_largest_real_province_is_listed_by_name():
    """Hà Nội before the 2025 reform: 579 communes and wards, 30 districts, some 30 departments
    and the centre — a year's report over 2025 lists them and the 126 new communes. A unit
    with nothing in the period is still a line a leader reads by name ("which did nothing?");
    only a crafted catalogue of thousands folds them (test_monthly_many_units)."""
    units = [{"code": f"X{i:04d}", **figures()} for i in range(780)]
    units[5] = {"code": "BUSY", **figures(direct=1)}
    assert listing(units).shown == units and not listing(units).folded
