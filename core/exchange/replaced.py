"""The votes of a dossier "theirs" replaced by another citizen's (issue 16 §3, rounds 22-23).

"Theirs" on a clash writes the package's dossier (another citizen's) over this installation's
dossier of the code. The votes that stay live on it were the replaced dossier's citizen's —
one dossier, one citizen's votes: they are cancelled (append-only: the vote stays, counted
nowhere) with the reason, and said. ONE rule, whichever path took the package's version: a
package's own turn (merge._Merger) or the end of an operation whose packages bring several
versions of the code (merge._Run.resolve: the last version taken by theirs or --choose
MÃ=GÓI). A reopen (--choose MÃ=both) brings that dossier back under a new code with its
package's votes (recode.misfiled_votes).
"""
from __future__ import annotations

from collections.abc import Collection

from core import installation as installations
from core.exchange import compare, records
from core.exchange.store import sender_key
from core.timefmt import vn_number
from db import actor as actors

REPLACED_VI = "phiếu đánh giá của người nộp hồ sơ cũ"


def replaced_votes(conn, dossier_id: int, below: int, used: Collection[int]
                   ) -> list[tuple[int, dict]]:
    """The votes that stay live on `dossier_id`, stored before this import (id < `below`) and
    not the same vote as one the package carries for its own dossier (`used`: matched by the
    import, its citizen's): the replaced dossier's citizen's, to cancel."""
    rows = conn.execute("SELECT v.id, " + records.VOTES_SQL[len("SELECT "):]
                        + " WHERE v.dossier_id = ? AND v.cancelled_at IS NULL AND v.id < ? "
                        "ORDER BY v.id", [dossier_id, below]).fetchall()
    return [(row[0], records.vote_record(row[1:])) for row in rows if row[0] not in used]


def cancel(store, code: str, dossier_id: int, below: int, used: Collection[int],
           package: str, now: str) -> str | None:
    """The replaced dossier's votes cancelled in the import's transaction (store.cancel_vote:
    the kpi and the dossier's facts follow); the note to say, None when there were none."""
    found = replaced_votes(store.conn, dossier_id, below, used)
    reason = replaced_reason(code, package, here_key(store.conn))
    who = actors.login()
    for vote_id, vote in found:
        store.cancel_vote(vote_id, {**vote, "cancelled_at": now, "cancel_reason": reason,
                                    "cancelled_by": who})
    return replaced_text(code, len(found)) if found else None


def here_key(conn) -> str | None:
    """This installation as a text that travels names it: its id's first characters, as a
    package's name shows them ("gói.zip (máy c3cd08e7)"); None when it has no id yet
    (`machine` names it by what it did)."""
    made = installations.stored_id(conn)
    return sender_key(made) if made else None


def machine(installation: str | None, package: str) -> str:
    """An installation as a text that travels names it (a vote's cancel reason, a history
    event's note: read at other installations, never "this PC"): "máy c3cd08e7" (`here_key`,
    `sender_key`); one with no id yet by what it did: "máy đã nhập gói b1.zip"."""
    return f"máy {installation}" if installation else f"máy đã nhập gói {package}"


def replaced_reason(code: str, package: str, installation: str | None) -> str:
    """Why a vote was cancelled when "theirs" replaced its dossier by another citizen's. The
    reason travels with the vote (a package carries it, the receiver stores it as written):
    it names the installation that replaced the dossier (`installation`, its id's first
    characters as a package's name shows it: "gói.zip (máy c3cd08e7)"), never "this PC",
    which is false wherever else it is read; one with no id yet (None) is named by what it
    did: the installation that imported the package."""
    where = (f"ở {machine(installation, package)} đã được thay bằng hồ sơ của người nộp khác "
             "cùng mã" + (f" khi máy ấy nhập gói {package}" if installation else ""))
    return (f"Hồ sơ {code} {where} (lấy theo gói): {REPLACED_VI} không tính cho hồ sơ mới. "
            f"Nếu ở máy ấy nhập lại gói có hồ sơ cũ và chọn \"{compare.BOTH_VI}\" thì phiếu đi "
            "cùng hồ sơ ấy.")


def replaced_text(code: str, count: int) -> str:
    """The import's note (preview, summary, the window's message after the import)."""
    return (f"Hồ sơ {code}: đã lấy hồ sơ của người nộp khác theo gói; {vn_number(count)} "
            f"{REPLACED_VI} của máy này đã được huỷ (ghi lý do), không tính cho hồ sơ của người "
            f"khác. Muốn giữ cả hai hồ sơ: nhập lại gói có hồ sơ cũ, chọn \"{compare.BOTH_VI}\" "
            f"cho mã {code}.")
