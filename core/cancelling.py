"""Cancelling a payment or a vote entered by mistake (issue 11): the row stays, with when, why
and who; every figure and list of live entries skips it (`cancelled_at IS NULL`), and the
schema's triggers keep a cancellation final. Shared by core.payments and core.votes.

The words of a cancelled entry, one rule for every screen, file and message: `state` ("Đã huỷ
lúc 09:30 11/06/2025": the Excel lists' column, a wide state column — the payments' list —,
the refusals to cancel twice), `CANCELLED` ("Đã huỷ": a narrow state column — the votes' list
at 1366 px, the dossier window's complaints; a complaint's state) and `note` on hover ("Đã huỷ
lúc 09:30 11/06/2025: Nhập nhầm": every list's tooltip, the dossier window's payments)."""

from __future__ import annotations

import datetime as dt

from core import timefmt, validation
from core.clock import refuse_future
from db import ledger

TABLES = ("payments", "votes")

CANCELLED = "Đã huỷ"


def state(cancelled_at: str | dt.datetime | None) -> str:
    """"Đã huỷ lúc 09:30 11/06/2025" for a stored (or given) moment; "" when not cancelled."""
    if not cancelled_at:
        return ""
    at = timefmt.parse_db_time(cancelled_at) if isinstance(cancelled_at, str) else cancelled_at
    return f"{CANCELLED} lúc {timefmt.vn_datetime(at)}"


def note(cancelled_at: str | dt.datetime | None, reason: str | None) -> str:
    """The state with its reason, "Đã huỷ lúc 09:30 11/06/2025: Nhập nhầm" (what a narrow
    column's CANCELLED holds on hover); "" when not cancelled."""
    text = state(cancelled_at)
    return f"{text}: {reason}" if text and reason else text


def checked_request(at: dt.datetime | None, reason: str | None, missing: str) -> tuple[dt.datetime, str]:
    """The moment (default now, never in the future) and the reason of a cancellation as every
    reason is stored (core.validation.stored_reason: no bidi or control character, nothing
    hidden, NFC, stripped); `missing` is the form's message when no reason was given."""
    at = at or timefmt.now()
    refuse_future(at, "at", "Thời điểm huỷ")
    text = validation.stored_reason(reason, missing)
    assert text is not None  # `missing` given: no reason raised
    return at, text


def mark(conn, table: str, row_id: int, at: dt.datetime, reason: str, actor: str | None) -> None:
    """Mark one row of `table` cancelled (inside the caller's transaction)."""
    assert table in TABLES
    with ledger.changing(conn, table, "id = ?", [row_id]):  # spec 10: the row stays vouched for
        conn.execute(f"UPDATE {table} SET cancelled_at = ?, cancel_reason = ?, cancelled_by = ? "
                     "WHERE id = ?", [timefmt.to_db_time(at), reason, actor, row_id])
