"""Keeping both dossiers of a code clash (spec 4 and 9, issue 16 §3).

Two installations in one slot (or a package of a version before slots, or a slot answered
wrongly) can give one code to two different citizens' dossiers (compare.same_dossier false: a
clash). Keeping one side lost the other citizen's dossier; "Giữ cả hai" (BOTH) keeps this
installation's dossier as it is and brings the package's in under a NEW code issued here by
this installation's own allocator (core.installation.allocate_codes, reception's rule, in the
import's transaction; written in bulk by core.exchange.kept_both):

- `code_aliases` (db.schema CODE_ALIASES) remembers which sender's code became which code here:
  the sender's later packages of that dossier are read under the code here (`aliased`) and go
  on the re-coded dossier (fast-forward, identical …), never clash again nor make a third one;
- one `recode` event in the re-coded dossier's history (chained as every event) says from
  which code, at the import of which package, by whom (spec 10). It is this installation's own:
  comparing the dossier with the sender's next record leaves it out (`without_own`), as the
  sender never has it;
- the votes a package names the sender's code with go on the re-coded dossier too;
- the aliases travel (`carried`, docs/import-export.md "Mã cũ đi theo gói"): a package's rows
  part holds the code_aliases rows of its dossiers, so the installation that issued the old
  code recognises the re-coded dossier as its own (`recognise`: the alias is adopted, the
  dossier compared as the same one, never a duplicate), and any other learns the alias
  (`learn`).

Chosen per code (the window's "Giữ cả hai", ticked for a clash unless the clerk unticks it;
`--choose MÃ=both`) or for every clash (`--clashes both`); a choice for all conflicts
(`--conflicts keep|theirs`) still decides a clash as it says when `--clashes` is not given.

Its parts: `terms` (the choices), `reading` (a sender's records read under the codes here),
`votes` (a clash's votes), `telling` (what an import says), `repair` (`check`'s advice),
`travel` (the aliases a package carries). Every name is importable from here.
"""
from __future__ import annotations

from core.exchange.recode.reading import (
    aliased,
    aliases,
    any_aliases,
    as_sent,
    codes_for,
    followed,
    line_length,
    original_codes,
    recoded_before,
    sender_of,
    without_own,
)
from core.exchange.recode.repair import (
    REPAIRABLE,
    repair_text,
    repairable,
)
from core.exchange.recode.telling import (
    RECODED_SHOWN,
    issuing_refused,
    recoded_text,
    told_after_import,
    unconfirmed_text,
)
from core.exchange.recode.terms import (
    BOTH,
    BOTH_THEIRS,
    BOTH_VI,
    CHOICES_BOTH,
    KEEP,
    MOVE_VOTE,
    ORIGINAL_VI,
    OWN_ACTIONS,
    RECODE,
    THEIRS,
    choice,
    mixed_choice,
)
from core.exchange.recode.travel import (
    CARRIED_SQL,
    RECOGNISED_SHOWN,
    SENDER_MAX,
    adopt,
    carried,
    learn,
    learn_taught,
    own_id,
    recognise,
    recognised_text,
    taught,
    taught_meanwhile,
    taught_meanwhile_text,
    teaching,
)
from core.exchange.recode.votes import (
    FOREIGN_VOTES_VI,
    MOVED_START,
    MOVED_VI,
    UNPROVEN_VI,
    UNSENT_SHOWN,
    UNSENT_VOTES_VI,
    foreign_votes_text,
    left_text,
    misfiled_votes,
    moved_copy,
    moved_copy_sql,
    moved_reason,
    moved_text,
    unsent_codes,
    unsent_votes_text,
    wanted_votes,
)

__all__ = [
    "aliased", "aliases", "any_aliases", "as_sent", "codes_for", "followed", "line_length",
    "original_codes", "recoded_before", "sender_of", "without_own", "REPAIRABLE", "repair_text",
    "repairable", "RECODED_SHOWN", "issuing_refused", "recoded_text", "told_after_import",
    "unconfirmed_text", "BOTH", "BOTH_THEIRS", "BOTH_VI", "CHOICES_BOTH", "KEEP", "MOVE_VOTE",
    "ORIGINAL_VI", "OWN_ACTIONS", "RECODE", "THEIRS", "choice", "mixed_choice", "CARRIED_SQL",
    "RECOGNISED_SHOWN", "SENDER_MAX", "adopt", "carried", "learn", "learn_taught", "own_id",
    "recognise", "recognised_text", "taught", "taught_meanwhile", "taught_meanwhile_text",
    "teaching", "FOREIGN_VOTES_VI", "MOVED_START", "MOVED_VI", "UNPROVEN_VI", "UNSENT_SHOWN",
    "UNSENT_VOTES_VI", "foreign_votes_text", "left_text", "misfiled_votes", "moved_copy",
    "moved_copy_sql", "moved_reason", "moved_text", "unsent_codes", "unsent_votes_text",
    "wanted_votes",
]
