"""Complaints (phản ánh, kiến nghị) about a dossier: what the 766 satisfaction figure counts
(spec 5.1, 5.4). The window (the dossier's "Phản ánh, kiến nghị" tab) and the import
(core.transfer.complaints) both write through here.

A complaint changes its dossier's 766 facts (core.scorecard766, key "cp"), so every write here
refreshes them in the same transaction; a complaint entered by mistake is cancelled, never
deleted (the schema keeps a cancellation final).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from core import accounts, cancelling, dossiers, facts, history, timefmt, validation
from core.clock import refuse_future
from core.errors import FieldError, OperationError
from core.labels import COMPLAINT_CHANNEL_VI
from core.moment import counted_unit_sql
from db import actor
from db.connection import inserted_id, transaction


def add_complaint(db: sqlite_utils.Database, dossier_id: int, *, channel: str, content: str,
                  received_at: dt.datetime | None = None, resolution: str | None = None,
                  resolved_at: dt.datetime | None = None) -> int:
    """Record a complaint about a dossier (at its competent unit) and count it at once."""
    accounts.require("complaint.record")
    received_at = received_at or timefmt.now()
    if channel not in COMPLAINT_CHANNEL_VI:
        raise FieldError("channel", f"Kênh tiếp nhận phản ánh không hợp lệ: {channel!r}.")
    validation.check_texts({"content": content, "resolution": resolution})  # bidi: refused
    # cleaned as every free text (a zero-width space removed, NFC), then judged as stored
    content, resolution = validation.stored_text(content) or "", validation.stored_text(resolution)
    if not content:
        raise FieldError("content", "Cần ghi nội dung phản ánh, kiến nghị.")
    refuse_future(received_at, "received_at", "Thời điểm nhận phản ánh")
    if resolved_at is not None and resolved_at < received_at:
        raise FieldError("resolved_at", "Thời điểm giải quyết phản ánh trước thời điểm nhận.")
    with transaction(db) as conn:
        dossier = dossiers.load(db, dossier_id)
        if received_at < dossier.received_at:
            raise FieldError("received_at", f"Thời điểm nhận phản ánh trước khi tiếp nhận hồ sơ "
                                            f"{dossier.code}.")
        unit = conn.execute(f"SELECT {counted_unit_sql()} FROM dossiers WHERE id = ?",
                            [dossier_id]).fetchone()[0]
        cursor = conn.execute(
            "INSERT INTO complaints(dossier_id, unit_code, received_at, channel, content, "
            "resolution, resolved_at, actor) VALUES (?,?,?,?,?,?,?,?)",
            [dossier.id, unit, timefmt.to_db_time(received_at), channel, content,
             resolution, timefmt.to_db_time(resolved_at) if resolved_at else None,
             actor.login()])
        recorded_event(conn, dossier.id, channel, timefmt.to_db_time(received_at))
        facts.refresh(db, [dossier.id])
    return inserted_id(cursor)


def cancel_complaint(db: sqlite_utils.Database, complaint_id: int, *, reason: str,
                     at: dt.datetime | None = None) -> None:
    """Cancel a complaint entered by mistake: kept with when, why and who; counts nowhere."""
    accounts.require("complaint.record")
    at, reason = cancelling.checked_request(at, reason, "Cần ghi lý do huỷ phản ánh.")
    with transaction(db) as conn:
        row = conn.execute("SELECT dossier_id, cancelled_at FROM complaints WHERE id = ?",
                           [complaint_id]).fetchone()
        if row is None:
            raise OperationError(f"Không tìm thấy phản ánh số {complaint_id}.")
        if row[1]:
            raise OperationError(f"Phản ánh này {cancelling.state(row[1]).lower()}.")
        conn.execute("UPDATE complaints SET cancelled_at = ?, cancel_reason = ?, cancelled_by = ? "
                     "WHERE id = ?", [timefmt.to_db_time(at), reason, actor.login(), complaint_id])
        if row[0] is not None:
            cancelled_event(conn, row[0], reason)
            facts.refresh(db, [row[0]])


# The words a complaint's changes leave in its dossier's history, whoever makes them (the
# window, an imported file, the command line's import): one event per change, these actions
# only (gui.dossiers.actions.ACTION_VI names them in Vietnamese).
RECORDED, RESOLVED, CANCELLED = "complaint", "resolve_complaint", "cancel_complaint"


def recorded_event(conn, dossier_id: int, channel: str, received_at: str,
                   source: str | None = None) -> None:
    """The history line of a complaint received: by the window, or brought by the file `source`."""
    _event(conn, dossier_id, RECORDED, {"channel": channel, "received_at": received_at}, source)


def resolved_event(conn, dossier_id: int, resolved_at: str | None,
                   source: str | None = None) -> None:
    """The history line of a complaint's answer (given or replaced)."""
    _event(conn, dossier_id, RESOLVED, {"resolved_at": resolved_at}, source)


def cancelled_event(conn, dossier_id: int, reason: str, source: str | None = None) -> None:
    """The history line of a cancelled complaint, whoever cancels it (the window, an imported
    file naming `source`): the same chained event, with the signed-in account."""
    _event(conn, dossier_id, CANCELLED, {"reason": reason}, source)


def _event(conn, dossier_id: int, action: str, details: dict, source: str | None) -> None:
    """Who did what to a complaint, in the dossier's append-only history (the complaints row
    keeps only who recorded it), inside the caller's transaction; a file's change names it."""
    if source is not None:
        details = {**details, "source": source}
    status = conn.execute("SELECT status FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
    history.record(conn, dossier_id, timefmt.now(), actor.login(), action, status, status, None,
                   details)


def resolve_complaint(db: sqlite_utils.Database, complaint_id: int, *, resolution: str,
                      resolved_at: dt.datetime | None = None) -> None:
    """Record how a complaint was resolved (the answer given and when); a later answer
    replaces an earlier one, a cancelled complaint takes none."""
    accounts.require("complaint.record")
    resolved_at = resolved_at or timefmt.now()
    validation.check_texts({"resolution": resolution})
    resolution = validation.stored_text(resolution) or ""  # as every free text is stored
    if not resolution:
        raise FieldError("resolution", "Cần ghi kết quả giải quyết phản ánh.")
    refuse_future(resolved_at, "resolved_at", "Thời điểm giải quyết phản ánh")
    with transaction(db) as conn:
        row = conn.execute("SELECT dossier_id, received_at, cancelled_at FROM complaints "
                           "WHERE id = ?", [complaint_id]).fetchone()
        if row is None:
            raise OperationError(f"Không tìm thấy phản ánh số {complaint_id}.")
        if row[2]:
            raise OperationError("Phản ánh này đã được huỷ, không ghi kết quả giải quyết.")
        if resolved_at < timefmt.parse_db_time(row[1]):
            raise FieldError("resolved_at", "Thời điểm giải quyết phản ánh trước thời điểm nhận.")
        conn.execute("UPDATE complaints SET resolution = ?, resolved_at = ? WHERE id = ?",
                     [resolution, timefmt.to_db_time(resolved_at), complaint_id])
        if row[0] is not None:
            resolved_event(conn, row[0], timefmt.to_db_time(resolved_at))
            facts.refresh(db, [row[0]])


@dataclass(frozen=True)
class Complaint:
    """One complaint as the dossier window lists it."""
    id: int
    received_at: str
    channel: str
    content: str
    resolution: str | None
    resolved_at: str | None
    cancelled_at: str | None
    cancel_reason: str | None

    @property
    def channel_vi(self) -> str:
        return COMPLAINT_CHANNEL_VI.get(self.channel, self.channel)

    @property
    def status_vi(self) -> str:
        if self.cancelled_at:
            return cancelling.CANCELLED
        return "Đã giải quyết" if self.resolved_at else "Chưa giải quyết"


def dossier_complaints(db: sqlite_utils.Database, dossier_id: int) -> list[Complaint]:
    """Every complaint about the dossier, cancelled ones too (kept, marked), oldest first."""
    return [Complaint(*row) for row in db.execute(
        "SELECT id, received_at, channel, content, resolution, resolved_at, cancelled_at, "
        "cancel_reason FROM complaints WHERE dossier_id = ? ORDER BY received_at, id",
        [dossier_id]).fetchall()]
