"""What an import that keeps both says: the notes the window repeats, why a code cannot be
issued here now, and the new codes given (the sender is to be told)."""
from __future__ import annotations

from core import installation
from core.exchange.recode.terms import BOTH_VI
from core.exchange.recode.votes import FOREIGN_VOTES_VI, MOVED_VI, UNPROVEN_VI, UNSENT_VOTES_VI
from core.exchange.replaced import REPLACED_VI
from core.timefmt import vn_number


def told_after_import(warning: str) -> bool:
    """The notes of an import the window repeats in its message once written (the command
    prints every note): the codes given here to dossiers kept both (the sender is to be told),
    the votes left out, moved, left or cancelled (`replaced_text`) on this installation's
    dossier of a clash, and those sent without their dossier that a code cannot place."""
    return warning.startswith(BOTH_VI) or any(
        said in warning for said in (FOREIGN_VOTES_VI, MOVED_VI, UNPROVEN_VI, UNSENT_VOTES_VI,
                                     REPLACED_VI))


def issuing_refused(conn, count: int) -> str | None:
    """Why this installation cannot keep both now, or None: a code issued here is refused
    (core.installation.allocate_code) while the file is a copy nobody has answered for
    (check_home: opened elsewhere than where it was made) or its slot is unconfirmed. Either
    is a choice the clerk makes first (exit 2), said before anything is written."""
    where = installation.home(conn)
    if where.ask:
        return (f"\"{BOTH_VI}\" ({vn_number(count)} hồ sơ) cần máy này cấp mã mới cho hồ sơ của "
                f"gói. {installation.moved_message(where)} Hoặc bỏ đánh dấu \"{BOTH_VI}\" "
                "(lệnh: --clashes keep) để giữ hồ sơ của máy này.")
    if not installation.slot_confirmed(conn):
        return unconfirmed_text(count)
    return None


def unconfirmed_text(count: int) -> str:
    """Why this installation cannot keep both yet, and what to do (core.installation
    .allocate_code refuses a code while the slot is unconfirmed:
    a centre's older file that never received a dossier itself)."""
    return (f"\"{BOTH_VI}\" ({vn_number(count)} hồ sơ) cần máy này cấp mã mới cho hồ sơ của "
            f"gói. {installation.unconfirmed_message()} Hoặc bỏ đánh dấu \"{BOTH_VI}\" (lệnh: "
            "--clashes keep) để giữ hồ sơ của máy này.")


RECODED_SHOWN = 20


def recoded_text(made: list[tuple[str, str]]) -> str:
    """The package's dossiers kept both, with their new codes: the sender is to be told
    (its receipts carry the old code)."""
    shown = "; ".join(f"{old} → {new}" for old, new in made[:RECODED_SHOWN])
    more = f"; và {vn_number(len(made) - RECODED_SHOWN)} hồ sơ khác" \
        if len(made) > RECODED_SHOWN else ""
    return (f"{BOTH_VI}: {vn_number(len(made))} hồ sơ của gói nhận mã mới trên máy này (mã ở "
            f"máy gửi → mã ở máy này): {shown}{more}. Hãy báo máy gửi; tìm theo mã cũ vẫn thấy "
            "hồ sơ.")
