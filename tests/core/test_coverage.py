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
