"""Future times are refused, with a few minutes of tolerance for PCs whose clocks differ."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import timefmt
from core.clock import CLOCK_TOLERANCE, future_error, refuse_future
from core.errors import FieldError
from tests.core.factories import add_procedures, add_units

NOW = dt.datetime(2026, 11, 30, 9, 53)


@pytest.fixture
def catalogue(db, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    add_units(db)
    add_procedures(db)
    return db


def test_the_tolerance_is_a_few_minutes():
    assert future_error(NOW + CLOCK_TOLERANCE, "Thời điểm", now=NOW) is None
    assert future_error(NOW - dt.timedelta(days=300), "Thời điểm", now=NOW) is None
    assert future_error(NOW + CLOCK_TOLERANCE + dt.timedelta(seconds=1), "Thời điểm tiếp nhận",
                        now=NOW) == ("Thời điểm tiếp nhận 09:58 30/11/2026 ở tương lai (bây giờ "
                                     "là 09:53 30/11/2026). Hãy kiểm tra lại ngày giờ đã nhập và "
                                     "đồng hồ của máy.")
    with pytest.raises(FieldError) as error:
        refuse_future(NOW + dt.timedelta(days=1), "at", "Thời điểm", now=NOW)
    assert error.value.field == "at"


def test_a_future_reception_is_refused_and_nothing_is_stored(catalogue):
    with pytest.raises(FieldError) as error:
        D.create_dossier(catalogue, unit_code="U1", procedure_code="P.WD2",
                         applicant_name="Trần Thị Hoa", received_at=dt.datetime(2026, 12, 1, 10, 0))
    assert error.value.field == "received_at" and "ở tương lai" in error.value.message
    assert catalogue.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert catalogue.execute("SELECT COUNT(*) FROM code_counters").fetchone()[0] == 0


def test_future_actions_and_corrections_are_refused(catalogue):
    dossier_id, _ = D.create_dossier(catalogue, unit_code="U1", procedure_code="P.WD2",
                                     applicant_name="Trần Thị Hoa", received_at=NOW)
    tomorrow = NOW + dt.timedelta(days=1)
    for call in (lambda: D.start_processing(catalogue, dossier_id, at=tomorrow),
                 lambda: D.finish(catalogue, dossier_id, at=tomorrow),
                 lambda: D.extend(catalogue, dossier_id, new_due_at=tomorrow + dt.timedelta(days=9),
                                  reason="Chờ xác minh", at=tomorrow)):
        with pytest.raises(FieldError, match="ở tương lai"):
            call()
    with pytest.raises(FieldError, match="ở tương lai"):
        D.correct_field(catalogue, dossier_id, "received_at", tomorrow, reason="Sửa giờ")
    assert catalogue.execute("SELECT status, received_at FROM dossiers").fetchone() == (
        "received", "2026-11-30 09:53:00")
    D.start_processing(catalogue, dossier_id, at=NOW + dt.timedelta(minutes=3))  # clocks differ
