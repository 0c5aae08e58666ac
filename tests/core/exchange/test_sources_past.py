"""The "Nguồn số liệu" as it stood at a moment, and packages older versions imported (issue 16
§3, spec 2.3 and 9): a report "as of" a moment lists only what was imported by then; a package
imported before the sources rows existed is listed as what its origin record says, the rest
"không rõ", never guessed."""
from __future__ import annotations

import datetime as dt

import pytest

from core.exchange import sources
from core.pdf.monthly import build_monthly
from tests.core.exchange.test_sources import (
    AFTER,
    OCTOBER,
    clock,
    month,
    offices,
    send,
    take,
    text_of,
)
from tests.pdfread import pdf_text

__all__ = ["month", "offices"]  # fixtures
BETWEEN = dt.datetime(2025, 10, 23, 12)  # after commune A's first package, before its third


def as_of(centre, known, scope=None) -> sources.Sources:
    return sources.sources(centre, *OCTOBER, min(known, AFTER), scope, known=known)


def test_a_report_as_of_an_earlier_moment_lists_what_was_imported_then(offices, month):
    centre = offices[0]
    found = as_of(centre, BETWEEN)
    assert [row.unit for row in found.rows] == ["U1"]  # commune B's package came on 03/11
    row = found.rows[0]
    assert (row.package, row.until, row.imported) == ("a1.zip", dt.datetime(2025, 10, 20, 16),
                                                      dt.datetime(2025, 10, 21, 9))
    said = text_of(found)
    assert "chỉ đến 16:00 20/10/2025" in said and "không liền nhau" not in said
    assert "Đồng hồ" not in said  # commune B's clock: known only from its later package
    assert [row.package for row in as_of(centre, AFTER).rows] == ["a3.zip", "b1.zip"]


def test_the_monthly_report_as_of_prints_the_sources_of_then(offices, month):
    centre = offices[0]
    with clock(AFTER):
        text = " ".join(pdf_text(build_monthly(centre, "2025-10", as_of=BETWEEN)).split())
        later = " ".join(pdf_text(build_monthly(centre, "2025-10")).split())
    text, later = (part[part.index("NGUỒN SỐ LIỆU"):part.index("I. CÁC CHỈ TIÊU")]
                   for part in (text, later))
    assert "Xã An Sơn" in text and "Xã Hòa Bình" not in text
    assert "chỉ đến 16:00 20/10/2025" in text and "25/10/2025" not in text
    assert "Xã Hòa Bình" in later and "chỉ đến 16:00 25/10/2025" in later


def test_before_any_import_there_is_no_sources_section(offices, month):
    assert as_of(offices[0], dt.datetime(2025, 10, 21, 8)).rows == []


@pytest.fixture
def older(offices, tmp_path, monkeypatch):
    """Commune A's and B's packages taken by a version before the sources rows (round 27): it
    kept only each package's origin record (core.actor_names.record_origin)."""
    centre, xa_a, xa_b = offices
    a1 = send(xa_a, tmp_path / "a1.zip", dt.date(2025, 10, 1), dt.datetime(2025, 10, 20, 16), "U1")
    b1 = send(xa_b, tmp_path / "b1.zip", dt.date(2025, 10, 1), dt.datetime(2025, 10, 24, 16), "U2")
    with monkeypatch.context() as patch:
        patch.setattr(sources, "note_package", lambda *args: False)
        assert take(centre, a1, dt.datetime(2025, 10, 21, 9)).dossiers == {"new": 1}
        assert take(centre, b1, dt.datetime(2025, 10, 25, 9)).dossiers == {"new": 1}
    assert not centre.execute("SELECT 1 FROM settings WHERE key LIKE 'exchange_source:%'").fetchall()
    return centre


def test_packages_imported_by_an_older_version_are_listed_honestly(older):
    found = sources.sources(older, *OCTOBER, AFTER)
    assert [(row.known, row.package, row.imported) for row in found.rows] == [
        (False, "a1.zip", dt.datetime(2025, 10, 21, 9)),
        (False, "b1.zip", dt.datetime(2025, 10, 25, 9))]
    said = text_of(found)
    assert said.count("nhập bởi phiên bản cũ") == 2 and "không biết số liệu" in said
    assert "gói cuối nhập lúc 09:00 21/10/2025" in said
    with clock(AFTER):
        text = " ".join(pdf_text(build_monthly(older, "2025-10")).split())
    assert "NGUỒN SỐ LIỆU" in text and "không rõ (nhập bởi phiên bản cũ)" in text
    assert text.index("NGUỒN SỐ LIỆU") < text.index("I. CÁC CHỈ TIÊU")


def test_an_older_import_belongs_to_the_units_of_its_dossiers(older):
    found = sources.sources(older, *OCTOBER, AFTER, "U1")
    assert [row.package for row in found.rows] == ["a1.zip"]


def test_an_older_import_as_of_a_moment_before_it_is_not_listed(older):
    assert [row.package for row in as_of(older, dt.datetime(2025, 10, 22)).rows] == ["a1.zip"]


def test_a_sender_s_next_package_replaces_its_older_row(older, offices, tmp_path):
    a2 = send(offices[1], tmp_path / "a2.zip", dt.date(2025, 10, 20), dt.datetime(2025, 11, 1, 8),
              "U1")
    take(older, a2, dt.datetime(2025, 11, 2, 9))
    rows = sources.sources(older, *OCTOBER, AFTER).rows
    assert [(row.known, row.package) for row in rows] == [(True, "a2.zip"), (False, "b1.zip")]
    # as it stood before that package: both from the older version
    assert [row.known for row in as_of(older, dt.datetime(2025, 10, 30)).rows] == [False, False]
