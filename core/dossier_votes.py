"""The live votes of one dossier as the clerk reads them: the dossier window's «Đánh giá» line,
and the rows the clerk chooses from when cancelling one.

A dossier holds one live vote (core.votes refuses a second), but an older program's exchange
choice (`--clashes theirs`, then the clash reopened) could leave another citizen's vote live
beside its own; `check` names such a dossier (core.maintenance.check.one_vote_a_dossier). The
window must then show both and let the clerk cancel the one that is not this citizen's: each is
told with what tells them apart — its time, rating, how it was taken, who recorded it, and
whether a package brought it here (core.actor_names: where each row came from).
"""
from __future__ import annotations

from dataclasses import dataclass

from core import actor_names, kiosk, timefmt
from core.labels import RATING_VI, VOTE_SOURCE_VI
from core.limits import clip
from db import stored_json

HERE = "ghi tại máy này"
NBSP = "\u00a0"
ROWS_SQL = ("SELECT id, voted_at, rating, source, actor, reasons, comment FROM votes "
            "WHERE dossier_id = ? AND cancelled_at IS NULL ORDER BY voted_at, id")


@dataclass(frozen=True)
class LiveVote:
    id: int
    when: str          # "11:00 03/02/2025" (timefmt.vn_datetime, as every list shows a time)
    rating: str
    label: str         # "Hài lòng"
    source: str        # how it was taken, in a sentence: "phiếu giấy", "máy đánh giá", …
    recorded_by: str   # who recorded it (core.actor_names), "" when nobody is known
    came_from: str     # HERE, or "nhập từ gói X01-….zip (máy c3cd08e7)"
    remark: str        # the reasons the citizen ticked and the comment, "" when none

    @property
    def brief(self) -> str:
        """The window's line: "Hài lòng (phiếu giấy, 11:00 03/02/2025) — “…”"."""
        return self.told(self.when)

    def told(self, when: str) -> str:
        return f"{self.label} ({self.source}, {when})" + (f" — {self.remark}" if self.remark
                                                         else "")

    @property
    def cancel_question(self) -> str:
        """Asked before one of several live votes is cancelled: names the chosen one, since a
        cancelled vote cannot be restored (core.votes has no undo)."""
        return (f"Huỷ phiếu «{self.label}» ghi lúc {self.when} ({self.source}, {self.came_from})?"
                " Phiếu đã huỷ không khôi phục được.")

    @property
    def text(self) -> str:
        """All that tells it apart, on one line (a chooser's row, a message)."""
        parts = [f"Phiếu số {self.id}: {self.label}", self.when, self.source,
                 f"người ghi: {self.recorded_by}" if self.recorded_by else "", self.came_from,
                 self.remark]
        return " — ".join(p for p in parts if p)


def source_text(source: str | None) -> str:
    """How a vote was taken, inside a sentence ("phiếu giấy"): core.labels' word, lower case."""
    word = VOTE_SOURCE_VI.get(source or "", source or "")
    return word[:1].lower() + word[1:]


def live_votes(db, dossier_id: int) -> list[LiveVote]:
    """The dossier's live votes, oldest first (one, unless an older exchange left two)."""
    rows = db.execute(ROWS_SQL, [dossier_id]).fetchall()
    names = actor_names.Names(db) if rows else None
    found = []
    for vote_id, voted_at, rating, source, actor, reasons, comment in rows:
        origin = names.origin("vote_rows", vote_id) if names else None
        came_from = HERE if origin is None else (
            f"nhập từ gói {origin.package} ({actor_names.machine(origin.installation)})"
            if origin.package else f"nhập từ gói của {actor_names.machine(origin.installation)}")
        said = kiosk.reason_labels(stored_json.value_or(reasons, []))
        remark = " — ".join(p for p in (
            "lý do: " + ", ".join(said) if said else "",
            f"“{clip(comment, 'comment')}”" if comment else "") if p)
        found.append(LiveVote(vote_id, timefmt.vn_datetime(timefmt.parse_db_time(voted_at)),
                              rating, RATING_VI.get(rating, rating), source_text(source),
                              names.of(actor, "vote_rows", vote_id) if names else "",
                              came_from, remark))
    return found


def window_line(db, dossier_id: int, now) -> tuple[str, bool]:
    """The dossier window's «Đánh giá» value, and whether the dossier holds an extra live vote:
    the vote; or — an older exchange left more than one — how many, that the extra one must be
    cancelled, and each; or none yet, and since when the kiosk waits for it."""
    votes = live_votes(db, dossier_id)
    if len(votes) > 1:  # each time kept on one line of the wrapped value ("09:20 / 04/06/2025")
        return (f"{timefmt.vn_number(len(votes))} phiếu đánh giá còn hiệu lực — cần huỷ phiếu "
                "thừa («Huỷ phiếu đánh giá…»): " + "; ".join(
                    v.told(v.when.replace(" ", NBSP)) for v in votes)), True
    if votes:
        return votes[0].brief, False
    since = kiosk.waiting_since(db, dossier_id, now)
    return (f"Chưa có — đang chờ trên màn hình đánh giá (mời lúc {since:%H:%M})" if since
            else "Chưa có"), False
