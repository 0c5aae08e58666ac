"""One database worked through MotCua, and every single edit a tester can make with the sqlite3
tool on the rows the history vouches for (spec 10, issue 15 §2): shared by the `check` tests
(tests/core/test_audit_tamper.py) and the window's start-up check (tests/gui/test_history_tamper.py)."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from core import dossiers as D
from core import payments as P
from core import votes as V
from db import chain, searchtext
from tests.core.factories import add_procedures, add_units

T0 = dt.datetime(2025, 3, 3, 8, 0)


def hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def build(db) -> None:
    """Three dossiers with a payment, a vote, a wait, an extension, and a walk-in vote."""
    add_units(db)
    add_procedures(db)
    first, _ = D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name="Trần Thị Hoa",
                                received_at=T0, fee=20000, channel="online")
    P.add_payment(db, first, amount=20000, method="online", paid_at=hours(0.5))
    D.start_processing(db, first, at=hours(1))
    D.request_supplement(db, first, reason="Thiếu bản sao", at=hours(2))
    D.receive_supplement(db, first, at=hours(3))
    D.extend(db, first, new_due_at=T0 + dt.timedelta(days=9), reason="Chờ xác minh", at=hours(4))
    D.finish(db, first, at=hours(24))
    D.return_result(db, first, at=hours(48))
    V.record_paper_vote(db, unit_code="U1", rating="satisfied", voted_at=hours(49), dossier_id=first)
    second, _ = D.create_dossier(db, unit_code="U2", procedure_code="P.WD2", applicant_name="Lê Văn B",
                                 received_at=hours(5), due_at=T0 + dt.timedelta(days=5))
    D.reject(db, second, reason="Không đủ điều kiện", at=hours(26))
    third, _ = D.create_dossier(db, unit_code="U2", procedure_code="P.WD2", applicant_name="Phạm C",
                                received_at=hours(6), fee=20000)
    P.add_payment(db, third, amount=10000, method="cash", paid_at=hours(7))
    V.add_vote(db, unit_code="U2", rating="neutral", voted_at=hours(8))  # a walk-in: no dossier


FIRST = "(SELECT MIN(id) FROM {t})"
LAST_EVENT = "(SELECT MAX(id) FROM events)"


def _update(table: str, column: str, value: str, row: str = FIRST) -> tuple[str, str]:
    return table, f"UPDATE {table} SET {column} = {value} WHERE id = {row.format(t=table)}"


def _later(column: str) -> str:
    return f"datetime(COALESCE({column}, '2025-03-04 08:00:00'), '+1 hour')"


DOSSIER_EDITS = {
    "received_at": "datetime(received_at, '-1 hour')", "due_at": "'2025-03-20 17:00:00'",
    "extended_due_at": "'2025-03-30 17:00:00'", "finished_at": "datetime(finished_at, '-2 hours')",
    "returned_at": "NULL", "status": "'done'", "channel": "'direct'", "fee": "0"}
EVENT_EDITS = {
    "at": "datetime(at, '-1 hour')", "actor": "'ai đó'", "action": "'finish'",
    "from_status": "'processing'", "to_status": "'withdrawn'", "reason": "'lý do khác'",
    "details": "'{}'", "dossier_id": "3", "hash": "zeroblob(32)"}
SIDE_EDITS = {
    "payments": {"dossier_id": "2", "amount": "amount + 1000", "method": "'cash'",
                 "paid_at": _later("paid_at"), "reference": "'BL-9'", "actor": "'ai đó'",
                 "cancelled_at": "'2025-03-04 08:00:00'", "cancel_reason": "'nhầm'",
                 "cancelled_by": "'ai đó'"},
    "votes": {"unit_code": "'U2'", "voted_at": _later("voted_at"), "rating": "'very_satisfied'",
              "dossier_id": "2", "comment": "'tốt'", "reasons": "'[\"slow\"]'", "source": "'kiosk'",
              "cancelled_at": "'2025-03-06 08:00:00'", "cancel_reason": "'nhầm'",
              "cancelled_by": "'ai đó'"},
    "supplements": {"dossier_id": "2", "requested_at": "datetime(requested_at, '-1 hour')",
                    "completed_at": _later("completed_at"), "reason": "'khác'"},
    "extensions": {"dossier_id": "2", "extended_at": _later("extended_at"),
                   "previous_due_at": _later("previous_due_at"),
                   "new_due_at": _later("new_due_at"), "reason": "'khác'", "actor": "'ai đó'"},
}
TABLE_VI = {"payments": "Khoản thu", "votes": "Phiếu đánh giá", "supplements": "Yêu cầu bổ sung",
            "extensions": "Gia hạn"}


def cases() -> list:
    """pytest params: (table, SQL, what the check must say)."""
    out = [pytest.param(*_update("dossiers", c, v), "Hồ sơ khác với lịch sử", id=f"dossiers.{c}")
           for c, v in DOSSIER_EDITS.items()]
    out += [pytest.param(*_update("events", c, v, "5"), "sự kiện số 5", id=f"events.{c}")
            for c, v in EVENT_EDITS.items()]
    out.append(pytest.param("events", "DELETE FROM events WHERE id = 5", "sự kiện số 6",
                            id="events.delete"))
    out.append(pytest.param("events", f"DELETE FROM events WHERE id = {LAST_EVENT}",
                            "mất các sự kiện cuối", id="events.delete_last"))
    for table, edits in SIDE_EDITS.items():
        out += [pytest.param(*_update(table, c, v), f"{TABLE_VI[table]} bị sửa", id=f"{table}.{c}")
                for c, v in edits.items()]
        out.append(pytest.param(table, f"DELETE FROM {table} WHERE id = {FIRST.format(t=table)}",
                                "(bị xoá)", id=f"{table}.delete"))
    out.append(pytest.param(*_update("votes", "rating", "'dissatisfied'", LAST_EVENT.replace("events", "votes")),
                            "Phiếu đánh giá bị sửa", id="votes.walk_in.rating"))
    return out


def tamper(path, table: str, statement: str) -> None:
    """What a tester does with the sqlite3 tool. On events, the append-only triggers are
    dropped and made again exactly as they were, so the file still opens (as with
    `.dbconfig enable_trigger off` in the sqlite3 shell). The tool is given the search key's
    functions (db.searchtext): without them it could not change a dossier's applicant or unit
    at all (the search index's triggers call them), and the edit is what is to be caught."""
    conn = sqlite3.connect(path)
    searchtext.register(conn)
    if table == "events":
        conn.execute("DROP TRIGGER events_sealed_final")
        conn.execute("DROP TRIGGER events_never_deleted")
    conn.execute(statement)
    assert conn.total_changes == 1, statement
    if table == "events":
        conn.executescript(chain.TRIGGERS)
    conn.commit()
    conn.close()
