"""The satisfaction kiosk's rules, without Qt: invitations, casting a vote, the anti-stuffing guard.

The clerk's app and the kiosk may be two processes (`python main.py kiosk` on a second PC screen)
or two windows of one process; either way they meet in the database. The clerk's `invite()`
writes a pending row in `kiosk_invitations`; the kiosk polls `pending_invitation()` for its unit
every second and, when the citizen taps a face, `cast_vote()` stores the vote against that
dossier and closes the invitation in the same transaction. With nothing pending the vote is a
walk-in vote of the unit.

One kiosk serves one unit and faces one citizen at a time, so a new invitation replaces any
older pending one of the same unit (the citizen who walked away without voting is gone), and an
invitation nobody answered for INVITATION_MINUTES is no longer shown.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from core import dossiers, limits, timefmt, validation
from core.accounts import recorded, require
from core.errors import InputError, OperationError
from core.labels import RATING_VI
from core.privacy.masking import mask_name  # the one masking rule (re-exported for the kiosk)
from db import actor as actors
from db import ledger, settings
from db.connection import DatabaseEnvironmentError, busy_timeout, inserted_id, transaction

RATING_LABELS = RATING_VI  # the one table of rating words (core.labels)
# The ratings after which the kiosk asks why (the plan lost points without knowing why).
ASK_REASONS = ("neutral", "dissatisfied")
# Stored as codes in votes.reasons (JSON list); the labels are what the citizen and reports see.
REASONS = {
    "attitude": "Thái độ phục vụ",
    "time": "Thời gian giải quyết",
    "guidance": "Hướng dẫn chưa rõ",
    "other": "Khác",
}
MIN_SECONDS_BETWEEN_VOTES = 3.0
INVITATION_MINUTES = 15
THANKS_SECONDS = 5
COMMENT_MAX = limits.TEXT["comment"][0]  # the one limit of core.limits


@dataclass(frozen=True)
class Invitation:
    """What the kiosk may show about the dossier: never the phone, address or full name."""

    id: int
    dossier_id: int
    code: str
    procedure_name: str
    masked_name: str


@dataclass(frozen=True)
class CastResult:
    vote_id: int
    dossier_id: int | None
    rating: str


# ----- display helpers -----------------------------------------------------------------------
def reason_labels(codes: object) -> list[str]:
    """The labels of a vote's stored reason codes; what is no list of codes (a number, a
    mapping edited in by SQL) names none: the reasons are only shown, never acted on."""
    if not isinstance(codes, list):
        return []
    return [REASONS[c] for c in codes if isinstance(c, str) and c in REASONS]


def thanks_seconds(db: sqlite_utils.Database) -> float:
    """How long the thank-you page stays (setting `kiosk_thanks_seconds`, default 5)."""
    value = settings.get(db, "kiosk_thanks_seconds")
    return float(value) if isinstance(value, (int, float)) and value > 0 else THANKS_SECONDS


# ----- units ---------------------------------------------------------------------------------
def resolve_unit(db: sqlite_utils.Database, code: str | None) -> tuple[str, str]:
    """(code, name) of the kiosk's unit: the one given, or the only unit of the database."""
    if code:
        row = db.execute("SELECT code, name FROM units WHERE code = ?", [code.strip()]).fetchone()
        if row is None:
            raise InputError(f"Đơn vị {code!r} không có trong danh mục. "
                             "Hãy kiểm tra mã đơn vị sau --unit.")
        return row[0], row[1]
    rows = db.execute("SELECT code, name FROM units ORDER BY code LIMIT 2").fetchall()
    if not rows:
        raise InputError("Cơ sở dữ liệu chưa có đơn vị nào. Hãy nhập danh mục đơn vị "
                         "hoặc chạy lệnh demo trước khi mở màn hình đánh giá.")
    if len(rows) > 1:
        raise InputError("Cơ sở dữ liệu có nhiều đơn vị. Hãy chọn đơn vị của màn hình đánh giá "
                         "bằng --unit MÃ_ĐƠN_VỊ, ví dụ: python main.py kiosk --unit "
                         f"{rows[0][0]}")
    return rows[0][0], rows[0][1]


# ----- invitations (the clerk's side) --------------------------------------------------------
def invite(db: sqlite_utils.Database, dossier_id: int, *, at: dt.datetime | None = None,
           actor: str | None = None) -> int:
    """Ask the kiosk of the dossier's unit to take this dossier's vote; returns the invitation id.

    Refused (OperationError) when the dossier already has a vote. Replaces any other pending
    invitation of the unit, since the kiosk faces one citizen at a time.
    """
    actor = recorded("vote.record", actor)  # the vote it brings records this clerk
    at = at or timefmt.now()
    with transaction(db) as conn:
        dossier = dossiers.load(db, dossier_id)
        if has_vote(db, dossier_id):
            raise OperationError(f"Hồ sơ {dossier.code} đã được đánh giá.")
        conn.execute("UPDATE kiosk_invitations SET state = 'replaced', closed_at = ? "
                     "WHERE unit_code = ? AND state = 'pending'",
                     [timefmt.to_db_time(at), dossier.unit_code])
        cursor = conn.execute(
            "INSERT INTO kiosk_invitations(unit_code, dossier_id, invited_at, actor) "
            "VALUES (?, ?, ?, ?)", [dossier.unit_code, dossier_id, timefmt.to_db_time(at), actor])
    return inserted_id(cursor)


def cancel_invitation(db: sqlite_utils.Database, dossier_id: int) -> bool:
    """Withdraw a pending invitation (the citizen left); True if there was one."""
    require("vote.record")
    with transaction(db) as conn:
        cursor = conn.execute("UPDATE kiosk_invitations SET state = 'cancelled', closed_at = ? "
                              "WHERE dossier_id = ? AND state = 'pending'",
                              [timefmt.to_db_time(timefmt.now()), dossier_id])
    return cursor.rowcount > 0


def waiting_since(db: sqlite_utils.Database, dossier_id: int,
                  now: dt.datetime | None = None) -> dt.datetime | None:
    """When the dossier's invitation still shown on the kiosk was made, or None (the clerk's view)."""
    now = now or timefmt.now()
    oldest = timefmt.to_db_time(now - dt.timedelta(minutes=INVITATION_MINUTES))
    row = db.execute("SELECT MAX(invited_at) FROM kiosk_invitations WHERE dossier_id = ? "
                     "AND state = 'pending' AND invited_at >= ?", [dossier_id, oldest]).fetchone()
    return timefmt.parse_db_time(row[0]) if row[0] else None


def has_vote(db: sqlite_utils.Database, dossier_id: int) -> bool:
    # a cancelled vote (core.votes.cancel_vote) does not count: the dossier may be rated again
    return db.execute("SELECT 1 FROM votes WHERE dossier_id = ? AND cancelled_at IS NULL",
                      [dossier_id]).fetchone() is not None


# ----- the kiosk's side ----------------------------------------------------------------------
PENDING_SQL = """
SELECT i.id, i.dossier_id, d.code, p.name, d.applicant_name
FROM kiosk_invitations i
JOIN dossiers d ON d.id = i.dossier_id
JOIN procedures p ON p.code = d.procedure_code
WHERE i.unit_code = ? AND i.state = 'pending' AND i.invited_at >= ?
ORDER BY i.id DESC LIMIT 1
"""


def pending_invitation(db: sqlite_utils.Database, unit_code: str,
                       now: dt.datetime | None = None) -> Invitation | None:
    """The invitation the kiosk should show now, with the name already masked."""
    now = now or timefmt.now()
    oldest = timefmt.to_db_time(now - dt.timedelta(minutes=INVITATION_MINUTES))
    row = db.execute(PENDING_SQL, [unit_code, oldest]).fetchone()
    if row is None:
        return None
    return Invitation(row[0], row[1], row[2], row[3], mask_name(row[4]))


def cast_vote(db: sqlite_utils.Database, unit_code: str, rating: str, *,
              dossier_id: int | None = None, at: dt.datetime | None = None,
              reasons: list[str] | None = None, comment: str | None = None) -> CastResult:
    """Store the citizen's vote at once and close the dossier's invitation, in one transaction.

    Reasons and comment come later (`add_details`): a citizen who walks away after tapping a face
    has still voted. A dossier already rated raises OperationError and stores nothing.
    The citizen needs no account: the vote records the clerk who invited it (a walk-in vote:
    whoever runs the kiosk).
    """
    from core import votes  # imported here: core.votes imports this module

    at = at or timefmt.now()
    try:
        with transaction(db) as conn:
            vote_id = votes.store_vote(db, unit_code=unit_code, rating=rating, voted_at=at,
                                       dossier_id=dossier_id, source="kiosk", reasons=reasons,
                                       comment=_comment(comment),
                                       actor=_inviter(conn, dossier_id))
            if dossier_id is not None:
                _close_invitations(conn, dossier_id, "voted", at)
    except OperationError:
        # Already rated (by paper, or on another kiosk): stop offering the dossier.
        if dossier_id is not None:
            with transaction(db) as conn:
                _close_invitations(conn, dossier_id, "cancelled", at)
        raise
    return CastResult(vote_id, dossier_id, rating)


def _inviter(conn, dossier_id: int | None) -> str:
    """The clerk whose invitation the citizen answers (the latest pending one of the dossier)."""
    row = conn.execute("SELECT actor FROM kiosk_invitations WHERE dossier_id = ? AND state = "
                       "'pending' ORDER BY id DESC LIMIT 1", [dossier_id]).fetchone() \
        if dossier_id is not None else None
    return row[0] if row and row[0] else actors.login()


def _close_invitations(conn, dossier_id: int, state: str, at: dt.datetime) -> None:
    conn.execute("UPDATE kiosk_invitations SET state = ?, closed_at = ? "
                 "WHERE dossier_id = ? AND state = 'pending'",
                 [state, timefmt.to_db_time(at), dossier_id])


def add_details(db: sqlite_utils.Database, vote_id: int, reasons: list[str],
                comment: str | None) -> None:
    """Attach the reasons and comment a citizen gave after a lower rating to their kiosk vote.

    Neither changes the indicators, so kpi_daily needs no update.
    """
    check_reasons(reasons)
    comment = _comment(comment)
    with transaction(db) as conn, ledger.changing(conn, "votes", "id = ?", [vote_id]):
        cursor = conn.execute(
            # the rows (db.entry_rows): a write through the view tells no rowcount
            "UPDATE vote_rows SET reasons = ?, comment = ? WHERE id = ? AND source = 'kiosk'",
            [json.dumps(reasons, ensure_ascii=False) if reasons else None, comment, vote_id])
        if cursor.rowcount != 1:
            raise OperationError(f"Không tìm thấy phiếu đánh giá số {vote_id} của màn hình đánh giá.")


def check_reasons(reasons: list[str]) -> None:
    unknown = [r for r in reasons if r not in REASONS]
    if unknown:
        raise InputError(f"Lý do không hợp lệ: {', '.join(unknown)}.")


def _comment(comment: str | None) -> str | None:
    """The citizen's comment as stored, by the rule of every text (core.validation): a bidi or
    control character refused ("Góp ý chứa ký tự ẩn đảo chiều chữ (mã U+202E) …": pasted in,
    it turned the comment around in the leader's «Xuất Excel»), the rest cleaned."""
    text = (comment or "").strip()  # cut as the window's field does (core.limits.fit_text):
    text = limits.fit_text(text, len(text), COMMENT_MAX)[0]  # by letters, never code points
    validation.check_texts({"comment": text})
    return validation.stored_text(text)


# ----- votes waiting for a busy database -----------------------------------------------------
@dataclass(eq=False)
class PendingVote:
    """A tapped vote, kept in memory until it is in the database."""

    unit_code: str
    rating: str
    at: dt.datetime  # the moment of the tap, whenever it gets stored
    dossier_id: int | None = None
    reasons: list[str] = field(default_factory=list)
    comment: str | None = None
    vote_id: int | None = None  # once stored
    already_rated: bool = False  # the dossier had a vote already: nothing to store
    details_pending: bool = False  # reasons given after it was stored, not written yet

    @property
    def done(self) -> bool:
        return (self.vote_id is not None or self.already_rated) and not self.details_pending


class VoteQueue:
    """A citizen's vote is never dropped: while another program holds the database (a long
    import), votes wait here in the order they were cast and go in as soon as it is free.
    The kiosk calls `flush` every second while anything waits."""

    def __init__(self, wait_ms: int = 300):
        self.wait_ms = wait_ms  # per attempt: the kiosk must answer the citizen at once
        self.pending: list[PendingVote] = []
        # why the last try failed: the message only — the exception's traceback held flush's
        # frame, whose `self` is this queue, a cycle that outlived the kiosk (gui.ops, round 31)
        self.last_error: str | None = None

    def __len__(self) -> int:
        return len(self.pending)

    def cast(self, db: sqlite_utils.Database, vote: PendingVote) -> PendingVote:
        self.pending.append(vote)
        self.flush(db)
        return vote

    def add_details(self, db: sqlite_utils.Database, vote: PendingVote, reasons: list[str],
                    comment: str | None) -> None:
        check_reasons(reasons)
        vote.reasons, vote.comment = list(reasons), _comment(comment)
        if vote.vote_id is not None:
            vote.details_pending = True
            if vote not in self.pending:
                self.pending.append(vote)
        self.flush(db)

    def flush(self, db: sqlite_utils.Database) -> bool:
        """Store what waits, oldest first; True when nothing waits any more."""
        while self.pending:
            try:
                with busy_timeout(db, self.wait_ms):
                    _store(db, self.pending[0])
            except DatabaseEnvironmentError as exc:  # busy, or full: kept for the next try
                self.last_error = exc.message
                return False
            self.pending.pop(0)
        self.last_error = None
        return True


def _store(db: sqlite_utils.Database, vote: PendingVote) -> None:
    if vote.vote_id is None and not vote.already_rated:
        try:
            vote.vote_id = cast_vote(db, vote.unit_code, vote.rating, dossier_id=vote.dossier_id,
                                     at=vote.at, reasons=vote.reasons, comment=vote.comment).vote_id
        except OperationError:
            vote.already_rated = True
    elif vote.details_pending and vote.vote_id is not None:
        add_details(db, vote.vote_id, vote.reasons, vote.comment)
        vote.details_pending = False


def votes_last_hour(db: sqlite_utils.Database, unit_code: str,
                    now: dt.datetime | None = None) -> int:
    """Votes of the unit cast in the hour up to `now`: the clerk's check against stuffing."""
    now = now or timefmt.now()
    start = timefmt.to_db_time(now - dt.timedelta(hours=1))
    return db.execute("SELECT COUNT(*) FROM vote_rows WHERE voted_at > unixepoch(?) "
                      "AND voted_at <= unixepoch(?) "
                      "AND unit_code = ? AND cancelled_at IS NULL",
                      [start, timefmt.to_db_time(now), unit_code]).fetchone()[0]


def last_vote_id(db: sqlite_utils.Database) -> int:
    """Highest vote id: a cheap way for the clerk's app to notice a vote from a kiosk process."""
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM votes").fetchone()[0]


class VoteGuard:
    """Ignores a vote that follows the previous one on the same kiosk within a few seconds.

    Uses a monotonic clock so a change of the PC's clock cannot open or close the gate.
    """

    def __init__(self, min_seconds: float = MIN_SECONDS_BETWEEN_VOTES,
                 clock: Callable[[], float] = time.monotonic):
        self.min_seconds = min_seconds
        self.clock = clock
        self._last: float | None = None

    def allows(self) -> bool:
        return self._last is None or self.clock() - self._last >= self.min_seconds

    def record(self) -> None:
        self._last = self.clock()
