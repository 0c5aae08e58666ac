"""Installations for the exchange tests: counter PCs with their own database files."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import installation, payments, timefmt, votes
from core.database import open_database
from tests.core.factories import add_procedures, add_units

NOW = dt.datetime(2025, 10, 20, 16, 0)
DAY = dt.datetime(2025, 10, 20, 8, 0)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


def office(path, slot=(1, 1), catalogue=True):
    db = open_database(path)
    if catalogue:
        add_units(db)
        add_procedures(db)
    installation.set_slot(db, *slot)
    return db


@pytest.fixture
def counter(tmp_path):
    """A counter PC of the office (slot 1 of 2), its own database file."""
    db = office(tmp_path / "counter.db", (1, 2))
    yield db
    db.close()


def receive(db, name="Trần Thị Hoa", minutes=0, unit="U1", procedure="P.WD2", **kw) -> tuple:
    return D.create_dossier(db, unit_code=unit, procedure_code=procedure, applicant_name=name,
                            received_at=DAY + dt.timedelta(minutes=minutes),
                            applicant_phone="0912345678", **kw)


def busy_day(db, names=("Trần Thị Hoa", "Lò Văn Sử", "Hà Thị Mai"), vote_minute=0) -> list[str]:
    """A few dossiers with every kind of part: processing, a wait, an extension, a payment,
    a finished and returned one, a vote (on a dossier and one without)."""
    codes = []
    for i, name in enumerate(names):
        dossier_id, code = receive(db, name, minutes=10 * i, procedure="P.SD" if i == 0 else "P.WD2")
        codes.append(code)
        at = DAY + dt.timedelta(minutes=10 * i + 5)
        if i == 0:
            payments.add_payment(db, dossier_id, amount=10000, method="cash", paid_at=at)
            D.finish(db, dossier_id, at=at + dt.timedelta(hours=1))
            D.return_result(db, dossier_id, at=at + dt.timedelta(hours=2))
            votes.add_vote(db, unit_code="U1", voted_at=at + dt.timedelta(hours=2),
                           rating="satisfied", dossier_id=dossier_id)
        elif i == 1:
            D.start_processing(db, dossier_id, at=at)
            D.request_supplement(db, dossier_id, reason="Thiếu bản sao", at=at + dt.timedelta(hours=1))
            D.receive_supplement(db, dossier_id, at=at + dt.timedelta(hours=2))
        else:
            D.extend(db, dossier_id, new_due_at=DAY + dt.timedelta(days=7),
                     reason="Cần xác minh", at=at)
    votes.add_vote(db, unit_code="U1", voted_at=DAY + dt.timedelta(hours=3, minutes=vote_minute),
                   rating="neutral")
    return codes
