"""The note of a move's event (recode.MOVE_VOTE, issue 16 §3): the re-coded dossier received
the votes an earlier import misfiled on this installation's dossier of the code
(recode.misfiled_votes, merge._Run._move_kept_votes).

The event travels in the dossier's history (packages carry it; every receiver stores it as
written and shows it in the dossier's timeline), so its note names the installations as the
move's cancel reason does (recode.moved_reason, core.exchange.replaced.machine), never "this
PC", which is false wherever else it is read. Events are compared as written: those already
written ("… từ hồ sơ X của máy này …", before round 24) keep their text. No code reads the
note back (the event is known by its action, recode.OWN_ACTIONS).
"""
from __future__ import annotations

from core.exchange.replaced import machine
from core.timefmt import vn_number


def move_note(count: int, code: str, package: str, sender: str, here: str | None) -> str:
    """`count` votes moved from this installation's dossier `code` at the import of `package`
    (kept both): `sender` (the package's installation, whose citizen gave them) and `here`
    (this installation, replaced.here_key: None when it has no id yet) by their ids' first
    characters."""
    where = machine(here, package) + (f" khi máy ấy nhập gói {package}" if here else "")
    return (f"Nhận {vn_number(count)} phiếu đánh giá chuyển từ hồ sơ {code} ở {where} chọn giữ "
            f"cả hai: phiếu của người nộp hồ sơ mã {code} ở máy {sender}, một lần nhập trước đã "
            "gắn nhầm vào hồ sơ ấy")
