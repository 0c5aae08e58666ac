"""An office with the same person twice, another person, and dossiers old enough to be due."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from tests.core.factories import add_procedures, add_units

PHONE, ID_NO = "0912345678", "001203012345"
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def office(db):
    add_units(db)
    add_procedures(db)
    old, _ = D.create_dossier(db, unit_code="U1", procedure_code="P.WD2",
                              applicant_name="Nguyễn Văn An", applicant_phone=PHONE,
                              applicant_id_no=ID_NO, applicant_address="Thôn Bản Chu",
                              received_at=dt.datetime(2014, 3, 3, 8), fee=20000)
    D.finish(db, old, at=dt.datetime(2014, 3, 4, 9))
    D.return_result(db, old, at=dt.datetime(2014, 3, 5, 9))
    recent, _ = D.create_dossier(db, unit_code="U1", procedure_code="P.WD2",
                                 applicant_name="Nguyễn  Văn An", applicant_phone="0912 345 678",
                                 applicant_id_no=ID_NO, received_at=dt.datetime(2025, 3, 3, 8))
    other, _ = D.create_dossier(db, unit_code="U2", procedure_code="P.WD2",
                                applicant_name="Trần Thị Hoa", applicant_phone="0987654321",
                                received_at=dt.datetime(2025, 3, 4, 8))
    D.finish(db, other, at=dt.datetime(2025, 3, 5, 9))
    D.return_result(db, other, at=dt.datetime(2025, 3, 6, 9))
    gone, _ = D.create_dossier(db, unit_code="U2", procedure_code="P.WD2",
                               applicant_name="Lê Văn Bình", applicant_phone="0977000111",
                               received_at=dt.datetime(2015, 6, 1, 8))
    D.withdraw(db, gone, reason="Công dân rút", at=dt.datetime(2015, 6, 2, 8))
    return {"old": old, "recent": recent, "other": other, "gone": gone}
