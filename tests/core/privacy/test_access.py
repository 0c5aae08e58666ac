"""The access log: what is written for each reading of personal data, and never the data."""
from __future__ import annotations

import datetime as dt

import pytest

from core.privacy import access
from tests.core.privacy.conftest import ID_NO, PHONE


def rows(db):
    return db.execute("SELECT actor, action, dossier_code, purpose, details FROM access_log "
                      "ORDER BY id").fetchall()


def test_a_row_names_the_dossier_and_the_os_user(office, db):
    access.record(db, "dossier.view", office["old"])
    (who, action, code, purpose, details), = rows(db)
    assert who.startswith("os:") and action == "dossier.view" and code.startswith("U1-")
    assert purpose is None and details is None


def test_personal_data_cannot_reach_details(office, db):
    with pytest.raises(ValueError):
        access.record(db, "subject.find", details={"phone": PHONE})
    with pytest.raises(ValueError):
        access.record(db, "no.such.action")
    assert rows(db) == []


def test_the_log_is_append_only(office, db):
    import sqlite3
    access.record(db, "dossier.view", office["old"])
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE access_log SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("DELETE FROM access_log")


def test_read_filters_by_period_account_and_code(office, db):
    access.record(db, "dossier.view", office["old"])
    access.record(db, "dossier.view", office["other"])
    today = dt.date.today()
    assert len(access.read(db, today, today)) == 2
    code = db.execute("SELECT code FROM dossiers WHERE id = ?", [office["other"]]).fetchone()[0]
    assert [e.dossier_code for e in access.read(db, today, today, code=code)] == [code]
    assert access.read(db, today, today, account="os:nobody") == []
    assert access.read(db, today - dt.timedelta(days=3), today - dt.timedelta(days=1)) == []


def test_slips_exports_and_the_register_are_logged_without_personal_data(office, db, tmp_path):
    from core.pdf import book, dossier_forms
    from core.transfer import export_file
    code = db.execute("SELECT code FROM dossiers WHERE id = ?", [office["recent"]]).fetchone()[0]
    dossier_forms.build(db, "receipt", code, draft=True)  # the preview's draft: not a slip
    dossier_forms.build(db, "receipt", code)
    export_file(db, "dossiers", tmp_path / "d.csv")
    book.save_book(db, book.gather(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
                   tmp_path / "b.pdf")
    export_file(db, "units", tmp_path / "u.csv")  # no personal data: not logged
    logged = rows(db)
    assert [r[1] for r in logged] == ["slip.print", "export.dossiers", "export.book"]
    assert logged[0][2] == code
    text = repr(logged)
    assert PHONE not in text and ID_NO not in text and "Nguyễn" not in text
