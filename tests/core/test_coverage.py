"""A commune's row and the commune's own report count different votes (spec 5): both figures,
and why, wherever both can be read (round 10, defect 2; core.indicators.coverage)."""
from __future__ import annotations

import datetime as dt

from core import catalogue, indicators
from core.indicators import coverage
from core.pdf.monthly import build_monthly
from tests.core.factories import add_dossier, add_procedures
from tests.pdfread import pdf_text

T = dt.datetime
ONE_LINE = str.maketrans({"\n": " "})


def commune_with_point(db) -> None:
    catalogue.save_unit(db, "LS", "UBND tỉnh Lạng Sơn", "province", None)
    catalogue.save_unit(db, "YP", "UBND xã Yên Phúc", "commune", "LS")
    catalogue.save_unit(db, "YP1", "Điểm tiếp nhận tại An Sơn", "reception_point", "YP")
    catalogue.save_unit(db, "DH", "UBND xã Điềm He", "commune", "LS")
    add_procedures(db)
    add_dossier(db, code="A", unit="YP", received=T(2026, 10, 5, 8),
                votes=[(T(2026, 10, 5, 9), "satisfied"), (T(2026, 10, 6, 9), "satisfied"),
                       (T(2026, 10, 7, 9), "satisfied"), (T(2026, 10, 8, 9), "dissatisfied")])
    add_dossier(db, code="B", unit="YP1", received=T(2026, 10, 5, 8),
                votes=[(T(2026, 10, 5, 9), "dissatisfied")])
    add_dossier(db, code="C", unit="DH", received=T(2026, 10, 5, 8),
                votes=[(T(2026, 10, 5, 9), "satisfied")])


SAID = ("Dòng «UBND xã Yên Phúc» chỉ tính riêng đơn vị này; báo cáo riêng của UBND xã Yên Phúc "
        "(dòng Tổng cộng) gộp cả Điểm tiếp nhận tại An Sơn. Tỷ lệ hài lòng: 75,00% (3/4 phiếu) ở "
        "dòng riêng, 60,00% (3/5 phiếu) khi gộp")


def test_the_two_figures_are_the_row_and_the_communes_own_total(db):
    commune_with_point(db)
    office = indicators.compute(db, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    own = indicators.compute(db, dt.date(2026, 10, 1), dt.date(2026, 10, 31), unit="YP")
    row = next(u for u in office["units"] if u["code"] == "YP")["satisfaction"]
    assert (row["satisfied"], row["votes"]) == (3, 4)
    assert (own["total"]["satisfaction"]["satisfied"], own["total"]["satisfaction"]["votes"]) \
        == (3, 5)
    # one sentence, the same in the office's report and in the commune's, naming both figures
    assert [n.startswith(SAID) for n in coverage.notes(db, office)] == [True]
    assert [n.startswith(SAID) for n in coverage.notes(db, own)] == [True]
    # a commune with nothing below it, and a province with nothing of its own: nothing to say
    assert coverage.notes(db, indicators.compute(db, dt.date(2026, 10, 1),
                                                 dt.date(2026, 10, 31), unit="DH")) == []


def test_both_monthly_reports_say_what_they_cover(db):
    commune_with_point(db)
    for unit in (None, "YP"):
        text = " ".join(pdf_text(build_monthly(db, "2026-10", unit=unit)).split())
        assert SAID in text, unit


def test_units_merged_into_a_commune_are_not_said_to_be_under_it(db):
    """The state-report month of July 2025 said xã Yên Phúc's own report took in "4 đơn vị
    trực thuộc": its reception point and the three communes merged into it on 01/07/2025,
    which never sat under it."""
    catalogue.save_unit(db, "LS", "UBND tỉnh Lạng Sơn", "province", None)
    catalogue.save_unit(db, "YP", "UBND xã Yên Phúc", "commune", "LS",
                        valid_from=dt.date(2025, 7, 1))
    catalogue.save_unit(db, "YP1", "Điểm tiếp nhận tại An Sơn", "reception_point", "YP",
                        valid_from=dt.date(2025, 7, 1))
    for code, name in (("AS", "UBND xã An Sơn"), ("BP", "UBND xã Bình Phúc"),
                       ("YC", "UBND xã Yên Phúc cũ")):
        catalogue.save_unit(db, code, name, "commune", "LS", valid_to=dt.date(2025, 6, 30),
                            successor_code="YP")
    add_procedures(db)
    for n, unit in enumerate(("YP", "YP1", "AS", "BP", "YC")):
        day = T(2025, 7, 2, 8) if unit.startswith("YP") else T(2025, 6, 20, 8)
        add_dossier(db, code=f"D{n}", unit=unit, received=day, votes=[(day, "satisfied")])
    doc = indicators.compute(db, dt.date(2025, 6, 15), dt.date(2025, 7, 14), unit="YP")
    said = " ".join(coverage.notes(db, doc))
    assert "gộp cả 1 đơn vị trực thuộc và 3 đơn vị cũ đã sáp nhập." in said
    assert "4 đơn vị trực thuộc" not in said
