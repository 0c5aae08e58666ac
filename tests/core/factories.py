"""Small builders of units, procedures and dossiers for tests (rows written directly)."""
from __future__ import annotations

import datetime as dt

from core import facts
from core.timefmt import to_db_time
from db.connection import transaction

PROCEDURES = [
    ("P.WD2", "Chứng thực bản sao", 2, "working_days", 0, "full", 0, None),
    ("P.WD05", "Trích lục hộ tịch", 0.5, "working_days", 8000, "full", 1, None),
    ("P.WH4", "Xác nhận tình trạng", 4, "working_hours", 0, "partial", 0, None),
    ("P.CD10", "Đăng ký hộ kinh doanh", 10, "calendar_days", 100000, "full", 1, None),
    ("P.SD", "Chứng thực chữ ký", 0, "same_day", 10000, "none", 0, "15:00"),
]


def add_units(db, units=(("U1", "Xã An Sơn", None), ("U2", "Xã Hòa Bình", None))):
    with transaction(db) as conn:
        for code, name, parent in units:
            conn.execute("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         [code, name, "commune", parent])


def add_procedures(db, rows=PROCEDURES):
    with transaction(db) as conn:
        for row in rows:
            conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit, fee,"
                         " online_level, paper_result, same_day_cutoff) VALUES (?,?,?,?,?,?,?,?)",
                         list(row))


def add_dossier(db, *, code, unit="U1", procedure="P.WD2", received, status="received",
                channel="direct", finished=None, due=None, extended=None, waits=(), fee=None,
                e_result=0, payments=(), digitised=None, result_digitised=0, documents=(),
                complaints=(), votes=()):
    """Insert one dossier with its waits and payments, then refresh its facts. 766 inputs:
    `documents` [(received, digitised)], `complaints` [(received_at, cancelled_at)], `votes`
    [(voted_at, rating)]."""
    t = lambda x: to_db_time(x) if isinstance(x, dt.datetime) else x  # noqa: E731
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO dossiers(code, unit_code, procedure_code, applicant_name, channel,"
            " received_at, status, due_at, finished_at, extended_due_at, fee, e_result)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [code, unit, procedure, "Nguyễn Văn A", channel, t(received), status, t(due),
             t(finished), t(extended), fee, e_result])
        # the view's INSTEAD OF INSERT leaves lastrowid alone (db.dossier_rows)
        dossier_id = conn.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()[0]
        for requested, completed in waits:
            conn.execute("INSERT INTO supplements(dossier_id, requested_at, completed_at)"
                         " VALUES (?,?,?)", [dossier_id, t(requested), t(completed)])
        for amount, method, paid in payments:
            conn.execute("INSERT INTO payments(dossier_id, amount, method, paid_at)"
                         " VALUES (?,?,?,?)", [dossier_id, amount, method, t(paid)])
        conn.execute("UPDATE dossiers SET digitised = ?, result_digitised = ? WHERE id = ?",
                     [digitised, result_digitised, dossier_id])
        for position, (received_doc, digitised_doc) in enumerate(documents, 1):
            conn.execute("INSERT INTO dossier_components(dossier_id, position, name, received,"
                         " digitised) VALUES (?,?,?,?,?)",
                         [dossier_id, position, f"Giấy tờ {position}", received_doc, digitised_doc])
        for complained_at, cancelled_at in complaints:
            conn.execute("INSERT INTO complaints(dossier_id, unit_code, received_at, channel,"
                         " content, cancelled_at, cancel_reason) VALUES (?,?,?,'phone',?,?,?)",
                         [dossier_id, unit, t(complained_at), "Chậm trả kết quả", t(cancelled_at),
                          "nhập nhầm" if cancelled_at else None])
        for voted_at, rating in votes:
            conn.execute("INSERT INTO votes(unit_code, voted_at, rating, dossier_id)"
                         " VALUES (?,?,?,?)", [unit, t(voted_at), rating, dossier_id])
            facts.count_vote(conn, unit, t(voted_at), rating, +1)
        facts.refresh(db, [dossier_id])
    return dossier_id
