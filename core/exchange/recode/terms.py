"""Keeping both: the choices for a clash and the words of a re-coded dossier's own events
(core.exchange.recode: its docstring says what keeping both is)."""
from __future__ import annotations

from core.errors import InputError
from core.exchange import compare

BOTH = "both"
KEEP, THEIRS = "keep", "theirs"
# a code that is both another citizen's dossier and this installation's own dossier changed
# elsewhere (`choice`'s `mixed`): keep both, and take the package's version of this one's own
BOTH_THEIRS = "both+theirs"
CHOICES_BOTH = (BOTH, BOTH_THEIRS)
BOTH_VI = compare.BOTH_VI
RECODE = "recode"  # the event's action
# the event of a re-coded dossier that received the votes an earlier "keep" put on this
# installation's dossier of the code (`misfiled_votes`)
MOVE_VOTE = "move_vote"
OWN_ACTIONS = (RECODE, MOVE_VOTE)  # this installation's own events of a re-coded dossier
ORIGINAL_VI = "mã ở máy gửi:"  # beside a re-coded dossier's code, before its sender's


def choice(given: str | None, default: str | None, clashes: str | None, clash: bool,
           code: str, mixed: bool = False) -> str | None:
    """The choice for one conflict: the clerk's for this code, else (a clash) the choice for
    every clash, else the choice for all conflicts. Keeping both is only for two different
    dossiers: one dossier changed at two places has one version to keep.

    `mixed`: the operation's packages bring, for this code, both another citizen's dossier (a
    clash) and a version of this installation's own dossier (several packages: one took the
    dossier here and went on elsewhere). One choice for the code, read for each record by
    whose dossier it is: BOTH keeps both for the other citizen and this installation's
    version of its own (BOTH_THEIRS: takes the package's version of its own); "theirs" takes
    the package's version of its own dossier and never puts the other citizen's over it (that
    record is kept here: left out, its votes too)."""
    if given in CHOICES_BOTH and not clash:
        if not mixed:
            raise InputError(f"Hồ sơ {code}: \"{BOTH_VI}\" chỉ dành cho hai hồ sơ khác nhau "
                             "cùng mã; đây là một hồ sơ được sửa ở hai nơi: chọn giữ của máy "
                             "này hoặc lấy theo gói.")
        return THEIRS if given == BOTH_THEIRS else KEEP
    if given == BOTH_THEIRS:
        given = BOTH
    decided = given if given is not None else (
        clashes if clash and clashes is not None else default)
    return KEEP if mixed and clash and decided == THEIRS else decided


def mixed_choice(both: bool, theirs: bool) -> str:
    """The one choice for a code of two citizens and of this installation's own versions
    (`choice`'s `mixed`): the other citizen's kept both or not, this one's version taken or
    kept — as the command's --choose MÃ=both|both+theirs, --choose MÃ=... says it."""
    if both:
        return BOTH_THEIRS if theirs else BOTH
    return THEIRS if theirs else KEEP
