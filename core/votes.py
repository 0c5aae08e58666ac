"""Citizens' satisfaction votes: recording one (kiosk, paper, import), and cancelling a mistake.

A vote counts in the satisfaction indicator of the month it was cast in (spec 5), so its time
is the citizen's, not the moment a clerk types a paper form in: `record_paper_vote` takes the
form's date and time, refuses one in the future or before the dossier was received, and applies
the kiosk hand-off rule (a dossier voted on paper is no longer offered on the kiosk) in the same
transaction. A vote entered by mistake is cancelled with a reason (`cancel_vote`): the row
stays, with when, why and by whom, and kpi_daily loses it at once.
"""
from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from core import cancelling, dossiers, facts, installation, kiosk, timefmt, validation
from core.accounts import recorded
from core.clock import refuse_future
from core.errors import FieldError, OperationError
from core.labels import RATING_VI
from db import ledger, vote_origin
from db.connection import transaction
from db.entry_rows import new_id
from db.schema import RATINGS

LIVE = "cancelled_at IS NULL"  # the SQL condition of a vote that counts


# A form saved with no level ticked said "Mức đánh giá không hợp lệ: ''." (try25 F4)
RATING_REQUIRED = "Cần chọn mức độ hài lòng của người dân (một trong bốn mức)."


def rating_problem(rating: str | None) -> str | None:
    """What is wrong with a vote's level, in the clerk's words; None when it is one."""
    if rating in RATINGS:
        return None
    if not (rating or "").strip():
        return RATING_REQUIRED
    # the clerk's words only: the internal codes (very_satisfied…) read as English (review25 7)
    levels = ", ".join(f"«{RATING_VI[r]}»" for r in RATINGS)
    return f"Mức độ hài lòng “{rating}” không hợp lệ; chỉ nhận một trong bốn mức: {levels}."


def _check(db, unit_code: str, rating: str, voted_at: dt.datetime, dossier_id: int | None):
    problem = rating_problem(rating)
    if problem is not None:
        raise FieldError("rating", problem)
    refuse_future(voted_at, "voted_at", "Thời điểm đánh giá")
    if not db.execute("SELECT 1 FROM units WHERE code = ?", [unit_code]).fetchone():
        raise FieldError("unit_code", f"Đơn vị {unit_code!r} không có trong danh mục.")
    if dossier_id is None:
        return
    dossier = dossiers.load(db, dossier_id)
    if voted_at < dossier.received_at:
        raise FieldError("voted_at", f"Thời điểm đánh giá không được trước thời điểm tiếp nhận "
                                     f"hồ sơ {dossier.code} "
                                     f"({timefmt.vn_datetime(dossier.received_at)}).")
    if db.execute(f"SELECT 1 FROM votes WHERE dossier_id = ? AND {LIVE}", [dossier_id]).fetchone():
        raise OperationError(f"Hồ sơ {dossier.code} đã được đánh giá.")


def add_vote(db: sqlite_utils.Database, *, unit_code: str, rating: str,
             voted_at: dt.datetime | None = None, dossier_id: int | None = None,
             comment: str | None = None, reasons: list[str] | None = None,
             source: str = "paper", actor: str | None = None) -> int:
    """A clerk records a citizen's vote (a paper form, an online one); counted in kpi_daily."""
    return store_vote(db, unit_code=unit_code, rating=rating, voted_at=voted_at,
                      dossier_id=dossier_id, comment=comment, reasons=reasons, source=source,
                      actor=recorded("vote.record", actor))


def store_vote(db: sqlite_utils.Database, *, unit_code: str, rating: str,
               voted_at: dt.datetime | None, dossier_id: int | None, comment: str | None,
               reasons: list[str] | None, source: str, actor: str) -> int:
    """Store a vote and count it in kpi_daily; a dossier gets one live vote only. No role is
    asked: the kiosk stores the citizen's own vote (core.kiosk.cast_vote) with `actor` the clerk
    who invited it; add_vote is the clerk's way in."""
    voted_at = voted_at or timefmt.now()
    validation.check_texts({"comment": comment})  # its length, no bidi or control character
    installation.installation_id(db)  # made once: the vote's origin names it (db.vote_origin)
    with transaction(db) as conn:
        _check(db, unit_code, rating, voted_at, dossier_id)
        conn.execute(
            "INSERT INTO votes(unit_code, voted_at, rating, dossier_id, comment, reasons, source,"
            " actor) VALUES (?,?,?,?,?,?,?,?)",
            [unit_code, timefmt.to_db_time(voted_at), rating, dossier_id,
             dossiers.clean_text(comment),
             json.dumps(reasons, ensure_ascii=False) if reasons else None, source, actor])
        vote_id = new_id(conn, "votes")  # through the view: not lastrowid (db.entry_rows)
        vote_origin.stamp(conn, vote_origin.here(conn), "id = ?", [vote_id])  # first here
        ledger.added(conn, "votes", "id = ?", [vote_id])  # spec 10: edits show
        facts.count_vote(conn, unit_code, timefmt.to_db_time(voted_at), rating, +1)
        if dossier_id is not None and rating == "dissatisfied":  # the dossier's 766 facts (5.4)
            facts.refresh(db, [dossier_id])
    return vote_id


def record_paper_vote(db: sqlite_utils.Database, *, unit_code: str, rating: str,
                      voted_at: dt.datetime, dossier_id: int | None = None,
                      comment: str | None = None) -> int:
    """A paper form typed in by a clerk, at the time written on it.

    The kiosk's rule holds here too: once the dossier has a vote, its pending invitation is
    withdrawn, so the kiosk never asks the citizen a second time.
    """
    with transaction(db):
        vote_id = add_vote(db, unit_code=unit_code, rating=rating, voted_at=voted_at,
                           dossier_id=dossier_id, comment=comment, source="paper")
        if dossier_id is not None:
            kiosk.cancel_invitation(db, dossier_id)
    return vote_id


def cancel_vote(db: sqlite_utils.Database, vote_id: int, *, reason: str,
                actor: str | None = None, at: dt.datetime | None = None) -> None:
    """Cancel a vote entered by mistake: kept with when, why and who; satisfaction skips it.

    A vote of a dossier also leaves an event in the dossier's history, and the dossier may be
    rated again.
    """
    actor = recorded("vote.record", actor)
    at, reason = cancelling.checked_request(at, reason, "Cần ghi lý do huỷ phiếu đánh giá.")
    with transaction(db) as conn:
        row = conn.execute("SELECT unit_code, voted_at, rating, dossier_id, cancelled_at "
                           "FROM votes WHERE id = ?", [vote_id]).fetchone()
        if row is None:
            raise OperationError(f"Không tìm thấy phiếu đánh giá số {vote_id}.")
        unit_code, voted_at, rating, dossier_id, cancelled = row
        if cancelled:
            raise OperationError(f"Phiếu đánh giá này {cancelling.state(cancelled).lower()}.")
        cancelling.mark(conn, "votes", vote_id, at, reason, actor)
        facts.count_vote(conn, unit_code, voted_at, rating, -1)
        if dossier_id is not None and rating == "dissatisfied":  # the dossier's 766 facts (5.4)
            facts.refresh(db, [dossier_id])
        if dossier_id is not None:
            status = dossiers.load(db, dossier_id).status
            dossiers.record_event(conn, dossier_id, at, actor, "cancel_vote", status, status,
                                  reason, {"vote_id": vote_id, "rating": rating,
                                                   "voted_at": voted_at})
