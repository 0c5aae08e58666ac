"""Retention: due dossiers lose their personal data in place; figures, chain and search hold."""
from __future__ import annotations

import datetime as dt

import pytest

from core import indicators, searchkey
from core.errors import OperationError
from core.maintenance import audit
from core.privacy import retention
from core.textnorm import search_words
from db import fulltext, settings
from tests.core.privacy.conftest import ID_NO, TODAY


def search(db, text):
    clauses, params = searchkey.match(search_words(text))
    return [r[0] for r in db.execute("SELECT d.id FROM dossiers d WHERE " + " AND ".join(clauses),
                                     params)]


def kpis(db):
    return [indicators.compute(db, dt.date(year, 1, 1), dt.date(year, 12, 31))
            for year in (2014, 2015, 2025)]


def test_the_default_is_ten_years_and_off(office, db):
    current = retention.plan(db, TODAY)
    assert (current.years, current.enabled, current.cutoff) == (10, False, dt.date(2016, 11, 30))
    assert current.due == 2  # returned in 2014, withdrawn in 2015: nothing to hand back
    assert retention.reminder(db, TODAY) is None
    with pytest.raises(OperationError, match="Chưa bật"):
        retention.anonymise(db, TODAY)


def test_anonymising_keeps_figures_chain_and_search(office, db):
    before = kpis(db)
    retention.configure(db, 10, True)
    assert "2 hồ sơ" in retention.reminder(db, TODAY)
    assert retention.anonymise(db, TODAY) == 2
    assert kpis(db) == before
    assert audit.verify_chain(db).ok and audit.verify_fields(db).ok
    row = db.execute("SELECT applicant_name, applicant_phone, applicant_id_no, applicant_address,"
                     " anonymised_at FROM dossiers WHERE id = ?", [office["old"]]).fetchone()
    assert row[:4] == (retention.ANONYMOUS, None, None, None) and row[4]
    assert search(db, "Nguyễn Văn An") == [office["recent"]]  # the old key was forgotten
    assert fulltext.is_intact(db)  # as indexed: the triggers told it the old key (OLD.*)
    assert search(db, "le van binh") == [] and office["other"] in search(db, "tran thi hoa")
    recent = db.execute("SELECT applicant_id_no FROM dossiers WHERE id = ?",
                        [office["recent"]]).fetchone()[0]
    assert recent == ID_NO
    assert retention.plan(db, TODAY).due == 0 and retention.reminder(db, TODAY) is None
    changes = [r[0] for r in db.execute("SELECT key FROM setting_changes")]
    assert {"retention_years", "retention_enabled"} <= set(changes) or "retention_enabled" in changes
    (details,) = db.execute("SELECT details FROM access_log WHERE action = "
                            "'retention.anonymise'").fetchone()
    assert '"count": 2' in details


def test_years_are_checked(office, db):
    from core.errors import FieldError
    with pytest.raises(FieldError):
        retention.configure(db, 0, True)
    settings.put(db, "retention_years", 12)
    assert retention.plan(db, TODAY).due == 1  # only the 2014 dossier is 12 years old
    assert retention.years_ago(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
