"""The cancellation columns of payments and votes files (MotCua's own, after the spec 7 ones).

A payment or vote cancelled in MotCua (core.payments.cancel_payment, core.votes.cancel_vote) is
exported with `cancelled_at`, `cancel_reason` and `cancelled_by`, so the history travels with
it; importing that file keeps it cancelled and out of every figure. A file can cancel a stored
entry, never revive one: a cancellation is final (the database refuses to undo it), so an empty
`cancelled_at` against a cancelled entry leaves it cancelled.
"""
from __future__ import annotations

import contextlib
import datetime as dt

from core.clock import future_error
from core.transfer.base import Column, Record
from core.transfer.cells import text, time_value
from db import ledger

COLUMNS = (Column("cancelled_at", time_value), Column("cancel_reason", text),
           Column("cancelled_by", text))
NAMES = tuple(c.name for c in COLUMNS)


def check(record: Record, moment_column: str) -> None:
    """A cancellation needs its reason, comes after the entry and is not in the future."""
    cancelled = record.value("cancelled_at")
    if cancelled is None:
        if record.value("cancel_reason"):
            record.error("cancelled_at", "có lý do huỷ nhưng thiếu thời điểm huỷ")
        return
    if not record.value("cancel_reason"):
        record.error("cancel_reason", "đã huỷ thì cần ghi lý do huỷ", value="")
    moment = record.value(moment_column)
    if moment is not None and cancelled < moment:
        record.error("cancelled_at", f"thời điểm huỷ trước {moment_column} ({moment})")
    reason = future_error(dt.datetime.fromisoformat(cancelled), "thời điểm huỷ")
    if reason:
        record.error("cancelled_at", reason)


def values(record: Record) -> list:
    """[cancelled_at, cancel_reason, cancelled_by] of the row (all None when not cancelled)."""
    if record.value("cancelled_at") is None:
        return [None, None, None]
    return [record.value("cancelled_at"), record.value("cancel_reason"),
            record.value("cancelled_by")]


def cancel_stored(conn, table: str, row_id: int, stored_cancelled_at, record: Record) -> bool:
    """Cancel the stored row when the file says so and it is still live; True if it did."""
    cancel = values(record)
    if cancel[0] is None or stored_cancelled_at is not None:
        return False
    # spec 10: a ledger table's row stays vouched for; complaints are vouched for by their
    # dossier's history instead (core.complaints), and have no ledger sums to keep in step
    vouched = ledger.changing(conn, table, "id = ?", [row_id]) if table in ledger.TABLES \
        else contextlib.nullcontext()
    with vouched:
        conn.execute(f"UPDATE {table} SET cancelled_at = ?, cancel_reason = ?, cancelled_by = ? "
                     "WHERE id = ?", [*cancel, row_id])
    return True
