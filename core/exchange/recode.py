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
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Sequence

from core import installation, searchkey
from core.errors import InputError
from core.exchange import checks, compare, records, replaced
from core.exchange.replaced import REPLACED_VI
from core.moment import chunks, marks
from core.timefmt import vn_number
from db import actor as actors
from db import settings

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


def sender_of(manifest: dict) -> str:
    """The sending installation, as the aliases key it: its whole id ("" for a package of a
    version before installations had one)."""
    return str((manifest.get("installation") or {}).get("id") or "")


def aliases(conn, sender: str, codes: Sequence[str]) -> dict[str, str]:
    """Of these codes of the sender's, those re-coded here: {sender's code: code here}."""
    found: dict[str, str] = {}
    if not sender or not conn.execute("SELECT 1 FROM code_aliases WHERE sender = ? LIMIT 1",
                        [sender]).fetchone():
        return found  # (most senders: no clash ever)
    for chunk in chunks(sorted(set(codes)), 500):
        found.update(conn.execute(
            f"SELECT sender_code, local_code FROM code_aliases WHERE sender = ? AND "
            f"sender_code IN ({marks(chunk)})", [sender, *chunk]).fetchall())
    return found


def recoded_before(conn) -> dict[tuple[str, str], list[str]]:
    """{(installation, its code): [codes here]} as the recode events of the dossiers re-coded
    here say — those this installation wrote, and those the dossiers brought from an
    installation that re-coded them before (a dossier re-coded twice: B's X became the
    centre's Y, then Z here; code_aliases holds one row a code here, (centre, Y) → Z, and the
    centre's event says B's X is this dossier too). Read once an import, from the re-coded
    dossiers' own histories (a few rows)."""
    found: dict[tuple[str, str], list[str]] = {}
    if not any_aliases(conn):
        return found
    codes = [r[0] for r in conn.execute("SELECT local_code FROM code_aliases")]
    ids = records.ids_by_code(conn, codes)
    code_of = {dossier_id: code for code, dossier_id in ids.items()}
    for chunk in chunks(sorted(code_of), 500):
        for dossier_id, details in conn.execute(
                f"SELECT dossier_id, details FROM events WHERE dossier_id IN ({marks(chunk)}) "
                "AND action = ? ORDER BY id", [*chunk, RECODE]):
            try:
                said = json.loads(details) if isinstance(details, str) else None
            except ValueError:
                continue
            if not isinstance(said, dict):
                continue
            who, old = said.get("sender"), said.get("original_code")
            if isinstance(who, str) and who and isinstance(old, str) and old:
                here = found.setdefault((who, old), [])
                if code_of[dossier_id] not in here:
                    here.append(code_of[dossier_id])
    return found


def followed(conn, sender: str, batch: Sequence[dict], table: dict[str, str],
             before: dict[tuple[str, str], list[str]] | None = None) -> dict[str, str]:
    """Of the batch's records not re-coded for this sender (`table`), those that are a dossier
    re-coded here from ANOTHER sender's package: {code: code here}. Several packages of one
    operation (a counter's and another's that took it and went on) made one dossier here,
    remembered for the sender of the version written (code_aliases holds one sender a
    dossier): the other sender's later packages of it go on that dossier too, found by who
    the dossier is (compare.same_dossier against each dossier re-coded from that code) — one
    such dossier only, never a guess among several."""
    if not any_aliases(conn):
        return {}
    rest = sorted({r["code"] for r in batch} - set(table))
    candidates: dict[str, list[str]] = {}
    for chunk in chunks(rest, 500):
        for sender_code, local_code, who in conn.execute(
                f"SELECT sender_code, local_code, sender FROM code_aliases WHERE sender_code IN "
                f"({marks(chunk)})", chunk):
            if who != sender:
                candidates.setdefault(sender_code, []).append(local_code)
    if sender and before:  # a dossier re-coded twice: its events name this sender's code
        for code in rest:
            for local_code in before.get((sender, code), []):
                if local_code not in candidates.get(code, []):
                    candidates.setdefault(code, []).append(local_code)
    if not candidates:
        return {}
    from core.exchange import records
    ids = records.ids_by_code(conn, [c for found in candidates.values() for c in found])
    held = {r["code"]: without_own(r)
            for r in records.dossier_records(conn, list(ids.values()), False)}
    out = {}
    for record in batch:
        same = [c for c in candidates.get(record["code"], [])
                if c in held and compare.same_dossier(held[c], record)]
        if len(same) == 1:
            out[record["code"]] = same[0]
    return out


def aliased(record: dict, table: dict[str, str]) -> dict:
    """A package record under the code it has here (itself when not re-coded), without the
    recode events of the installation that re-coded it (one installation's own, as
    `without_own`: the dossier here never has them, nor they its)."""
    code = table.get(record["code"])
    return record if code is None else without_own({**record, "code": code})


def without_own(local: dict) -> dict:
    """A re-coded dossier as the sender knows it: without this installation's own events (its
    recode event, the votes moved to it: OWN_ACTIONS)."""
    return {**local, "events": [e for e in local["events"] if e[2] not in OWN_ACTIONS]}


def line_length(record: dict) -> tuple[int, int]:
    """Where a record of a dossier stands on its line of history, as records of one dossier
    met in one operation are counted (core.exchange.merge._Run.count_lines): its events but
    an installation's own bookkeeping of it (OWN_ACTIONS: its recode event, the votes moved to
    it), and those. The re-coding installation's record and its sender's, equal but for that
    event, stand at the same place (one version: the second "giống hệt", as when imported one
    by one, never "máy này mới hơn"); the one carrying it is the fuller."""
    own = sum(1 for event in record["events"] if event[2] in OWN_ACTIONS)
    return len(record["events"]) - own, own


def as_sent(local: dict, records: Sequence[dict]) -> dict:
    """This installation's dossier as packages' records of it are compared with it: a re-coded
    one without its recode event when none of them carries it (the sender's own packages, read
    under the code here: `aliased`). The event is bookkeeping of the import that kept both,
    not work done on the dossier: it never makes this installation's version the newer one
    (a record of the package the dossier came from is not "older"). A record that carries it
    (this installation's package gone round) is compared with the whole history."""
    if not any(e[2] == RECODE for e in local["events"]) or \
            any(e[2] == RECODE for r in records for e in r["events"]):
        return local
    return without_own(local)


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


def misfiled_votes(conn, code: str, sender: str, package_votes: dict[str, Counter],
                   below: int) -> tuple[list[tuple[int, dict]], list[int]]:
    """A clash kept here at an earlier import and now kept both (its package reopened): the
    votes that import put on this installation's dossier `code` (before round 20 a "keep"
    wrote the package's votes on the code, a vote naming only the code) which the package
    PROVES are its citizen's: live, stored before this operation (id < `below`), written by a
    package of the same sender (core.actor_names: where each row came from), and the same
    vote (records.vote_key: all it says) as one the package names `code` with, one for one
    (`package_votes`: the package's votes as `wanted_votes` indexes them, once per package).
    Returns (those to move: (id, vote), the ids of the others that are the same vote as one
    of the package's yet not provably its citizen's: left where they are, and said).
    Never a guess: a vote written here, by another sender, or more copies here than the
    package carries, stays."""
    from core import actor_names
    from core.exchange import records
    wanted = package_votes.get(code)
    if not wanted:
        return [], []
    rows = conn.execute("SELECT v.id, " + records.VOTES_SQL[len("SELECT "):]
                        + " WHERE d.code = ? AND v.cancelled_at IS NULL AND v.id < ? "
                        "ORDER BY v.id", [code, below]).fetchall()
    same: dict[str, list[tuple[int, dict]]] = {}
    for row in rows:
        vote = records.vote_record(row[1:])
        if records.vote_key(vote) in wanted:
            same.setdefault(records.vote_key(vote), []).append((row[0], vote))
    names = actor_names.Names(conn) if same else None
    moved: list[tuple[int, dict]] = []
    left: list[int] = []
    for key, found in same.items():
        origins = [names.origin("vote_rows", vote_id) if names else None for vote_id, _ in found]
        proven = bool(sender) and len(found) <= wanted[key] and all(
            origin is not None and origin.installation == sender for origin in origins)
        if proven:
            moved += found
        else:
            left += [vote_id for vote_id, _ in found]
    return moved, left


def wanted_votes(package_votes: Sequence[dict]) -> dict[str, Counter]:
    """{code: Counter of records.vote_key} of the package's votes. `misfiled_votes` is asked
    for every code kept both with the same votes: reading them all each time was codes ×
    votes (3,255 × 4,100 at try23's size: 0.4 s, growing with the square), so the caller
    indexes them once per package and import and drops the index with it (no state kept
    between imports)."""
    from core.exchange import records
    index: dict[str, Counter] = {}
    for vote in package_votes:
        index.setdefault(vote["dossier_code"], Counter())[records.vote_key(vote)] += 1
    return index


def moved_reason(code: str, new: str, package: str, sender: str, here: str | None) -> str:
    """Why a vote on this installation's dossier was cancelled there: moved (the same vote is
    on the re-coded dossier). The reason travels with the vote (a package carries the
    cancelled copy): it names the installations, never "this PC" — `sender`, the one whose
    citizen gave the vote (the package's), and `here`, the one that had it misfiled and moved
    it (this installation), each by its id's first characters as a package's name shows
    them ("gói.zip (máy c3cd08e7)"), as the replaced reason does (core.exchange.replaced:
    `here` None, no id yet, names it by what it did)."""
    return (f"{MOVED_START}{new}: {_moved_whose(code)}{sender}{_moved_where(code)}"
            f"{replaced.machine(here, package)} khi "
            "máy ấy giữ hồ sơ của mình cho mã này ở một lần nhập trước; máy ấy chuyển phiếu "
            f"khi nhập gói {package} chọn giữ cả hai")


# a moved vote's cancel reason (`moved_reason`): its start, and the parts naming the code of
# the dossier it is cancelled on. Part of the exchange format: packages carry it, and
# receivers know a move's copy by it (`moved_copy`, `moved_copy_sql`). A new wording must keep
# the old ones recognised: the reason of rounds 21-22 (`_moved_middle`, "… của máy này": the
# frozen WRITTEN of tests/core/exchange/test_moved_vote_travels.py) and the one of round 23.
MOVED_START = "Chuyển sang hồ sơ "


def _moved_whose(code: str) -> str:
    return f"phiếu của người nộp hồ sơ mã {code} ở máy "


def _moved_where(code: str) -> str:
    # ends before "máy …": the installation that moved it is named by replaced.machine
    return f", bị gắn nhầm vào hồ sơ {code} ở "


def _moved_middle(code: str) -> str:
    """The reason's middle as rounds 21-22 wrote it (what follows the new code): still
    recognised in the packages and databases that hold it."""
    return (f": phiếu của người nộp hồ sơ mã {code} ở máy gửi, lần nhập trước (giữ của máy "
            f"này) đã gắn nhầm vào hồ sơ {code} của máy này; giữ cả hai khi nhập gói ")


def moved_copy(vote: dict) -> bool:
    """A package's vote that is the copy a move left on the sender's dossier of its code
    (cancelled there, its reason `moved_reason` naming that very code; the same vote is on
    the re-coded dossier, with a move_vote event). It counts nothing; the move travels: it
    cancels the same vote here when an earlier package of that sender brought it live (the
    general rule, `_Merger.vote_batch`), and is left out where no such vote is — the
    receiver never had it misfiled. Either wording (`_moved_middle`: before round 23)."""
    reason, code = vote.get("cancel_reason"), vote.get("dossier_code")
    return vote.get("cancelled_at") is not None and isinstance(reason, str) and \
        reason.startswith(MOVED_START) and code is not None and (
            _moved_middle(code) in reason
            or (_moved_whose(code) in reason and _moved_where(code) in reason))


def moved_copy_sql(vote: str, code: str) -> tuple[str, list[str]]:
    """`moved_copy` in SQL, of a vote row `vote` whose dossier's code is the expression
    `code`: (the condition, its parameters)."""
    def around(text: str) -> list[str]:  # the text before and after each place of the code
        return text.split("\x00")
    old, whose, where = around(_moved_middle("\x00")), around(_moved_whose("\x00")), \
        around(_moved_where("\x00"))
    reason = f"{vote}.cancel_reason"
    return (f"({vote}.cancelled_at IS NOT NULL AND substr({reason}, 1, ?) = ? AND ("
            f"instr({reason}, ? || {code} || ? || {code} || ?) > 0 OR ("
            f"instr({reason}, ? || {code} || ?) > 0 AND "
            f"instr({reason}, ? || {code} || ?) > 0)))",
            [str(len(MOVED_START)), MOVED_START, *old, *whose, *where])


MOVED_VI = "phiếu đánh giá mà lần nhập trước (giữ của máy này) đã gắn vào hồ sơ này"
UNPROVEN_VI = "không chứng minh được là phiếu của người nộp bên kia"


def moved_text(code: str, new: str, count: int) -> str:
    return (f"Hồ sơ {code} của máy này: {vn_number(count)} {MOVED_VI} là phiếu của người nộp "
            f"hồ sơ {code} ở máy gửi "
            "(cùng nội dung với phiếu trong gói, do gói của chính máy gửi ấy mang đến): đã chuyển "
            f"sang hồ sơ {new} — phiếu trên {code} được huỷ, ghi lý do chuyển; số liệu của hai hồ "
            "sơ được tính lại.")


def left_text(code: str, count: int) -> str:
    return (f"Hồ sơ {code} của máy này: {vn_number(count)} phiếu đánh giá cùng nội dung với phiếu "
            f"gói mang theo mã ấy nhưng {UNPROVEN_VI} "
            "(ghi ở máy này, do máy khác mang đến, hoặc nhiều bản hơn gói mang): để nguyên. Nếu "
            f"không phải phiếu của người nộp hồ sơ {code} của máy này, hãy huỷ (màn Đánh giá, "
            "nút \"Huỷ phiếu…\", ghi lý do).")


FOREIGN_VOTES_VI = "phiếu đánh giá gắn với hồ sơ của gói không được nhận"


def foreign_votes_text(count: int) -> str:
    """The package's votes left out: they name its dossier of a clash whose dossier here was
    kept (another citizen's), never this installation's dossier of that code."""
    return (f"{vn_number(count)} {FOREIGN_VOTES_VI} (hai hồ sơ khác nhau cùng mã, giữ hồ sơ của "
            "máy này): không ghi, để không tính vào hồ sơ của người khác.")


def unsent_codes(conn, sender: str, codes: Collection[str]) -> dict[str, list[str]]:
    """Of these codes, named by votes of a package (format 1 or 2) that does not carry their
    dossier's record and not re-coded here for its sender (`aliases`: that is proven, the
    keep recorded for the sender's dossier of the code), those a dossier here was re-coded
    from at ANOTHER sender's package (or a sender without an id): {code: the dossiers here the
    vote may be on — the code itself when held here, and those re-coded from it}. Which one,
    only the dossier's record could say (`followed`: who the dossier is): the sender's code
    may be the other citizen's dossier it took from that package, this installation's, or one
    of its own. Nor is the code held here by the dossier the sender itself sent before proof:
    the vote names the sender's code as the sender holds it when it wrote the vote, and a clash
    decided "theirs" there since (store.take_theirs) put another citizen under it; nothing here
    records where a dossier came from (tests/core/exchange/test_vote_without_dossier.py, round
    23). A program before 30/11/2026 (format 1) wrote the votes changed since the day without
    their dossiers."""
    if not codes or not any_aliases(conn):
        return {}
    found: dict[str, list[str]] = {}
    for chunk in chunks(sorted(set(codes)), 500):
        for sender_code, local in conn.execute(
                f"SELECT sender_code, local_code FROM code_aliases WHERE sender_code IN "
                f"({marks(chunk)}) AND sender != ? ORDER BY local_code", [*chunk, sender]):
            found.setdefault(sender_code, []).append(local)
    held = records.ids_by_code(conn, list(found))
    return {code: ([code] if code in held else []) + here for code, here in found.items()}


UNSENT_VOTES_VI = "phiếu đánh giá gói mang không kèm hồ sơ"
UNSENT_SHOWN = 20


def unsent_votes_text(left: dict[str, tuple[int, list[str]]]) -> str:
    """The package's votes not written (`unsent_codes`): per code, how many, and the dossiers
    here it may be; what to do."""
    made = sorted(left.items())
    count = sum(n for n, _ in left.values())
    shown = "; ".join(f"mã {code} ({vn_number(n)} phiếu): hồ sơ {' hay '.join(here)}"
                      for code, (n, here) in made[:UNSENT_SHOWN])
    more = f"; và {vn_number(len(made) - UNSENT_SHOWN)} mã khác" \
        if len(made) > UNSENT_SHOWN else ""
    return (f"{vn_number(count)} {UNSENT_VOTES_VI} (gói của phiên bản cũ), ghi mã mà trên máy "
            f"này là hai hồ sơ khác nhau (đã giữ cả hai: một hồ sơ được cấp mã mới khi nhập gói "
            f"của máy khác): {shown}{more}. Gói không cho biết phiếu là của người nộp nào nên "
            "không ghi, để không tính vào hồ sơ của người khác. Hãy xin máy gửi xuất lại gói "
            "bằng phiên bản mới (gói mang hồ sơ kèm phiếu), hoặc hỏi máy gửi phiếu là của hồ sơ "
            "nào rồi nhập tay (màn Đánh giá).")


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


# ----- a re-coded dossier the program before 61ac080 damaged (`check`'s advice) -------------
# Keeping both then wrote the package's "0 đồng" as no fee (the fee rule of the OTHER citizen's
# dossier held here) while the re-coded dossier's history says 0: `check` finds its fee unlike
# its history. Importing the package again choosing its version (`--choose MÃ=GÓI`, round 21)
# writes the package's values under the code issued here and appends to the history: repaired,
# with nothing restored from a backup (which would lose everything written since).
REPAIRABLE = ("fee",)  # the fields that fault left wrong


def repairable(conn, differing: Sequence[tuple[str, list[str]]],
               ) -> tuple[dict[str, str], dict[str, str]]:
    """Of dossiers whose stored fields differ from their history (code, fields:
    core.maintenance.audit.mismatches), those re-coded HERE at an import whose only wrong
    field is one that fault left wrong: {code here: the package's file name}. Re-coded here:
    a recode event that names what this installation's code_aliases row of the code holds
    (core.exchange.kept_both writes both: the sender, its code, the package). A dossier another
    installation re-coded carries THAT installation's recode event (its alias here, learned
    or adopted, names the package this one imported it from): its event names a package this
    one never imported and a choice only that installation can make — no repair named
    (review22). Nor for a dossier re-coded twice (B's X the centre's Y, then Z here: the
    centre's recode event beside this one's): the package it came in may carry the centre's
    damage, and importing it again writes the same wrong fee — `check` cannot tell whose old
    program wrote it, so it names no command that may not repair (round 23). Those re-coded
    at another installation come second: {code here: the package it came in}; their damage
    came in that package, so a backup holds it too (core.maintenance.recoded words that)."""
    wanted = sorted({code for code, fields in differing
                     if fields and set(fields) <= set(REPAIRABLE)})
    if not wanted or not any_aliases(conn):
        return {}, {}
    found: dict[str, str] = {}
    elsewhere: dict[str, str] = {}  # also re-coded at another installation before
    for chunk in chunks(wanted, 500):
        for code, details, sender, sender_code, alias_package in conn.execute(
                f"SELECT d.code, e.details, a.sender, a.sender_code, a.package FROM events e "
                f"JOIN dossiers d ON d.id = e.dossier_id JOIN code_aliases a ON a.local_code "
                f"= d.code WHERE e.action = ? AND d.code IN ({marks(chunk)}) ORDER BY e.id",
                [RECODE, *chunk]):
            try:
                said = json.loads(details or "{}")
            except ValueError:
                continue
            if not isinstance(said, dict):
                continue
            package = said.get("package")
            if isinstance(package, str) and package and package == alias_package and \
                    said.get("original_code") == sender_code and \
                    (said.get("sender") or f"?:{code}") == sender:
                found.setdefault(code, package)
            else:
                elsewhere.setdefault(code, alias_package)
    return ({code: package for code, package in found.items() if code not in elsewhere},
            elsewhere)


def repair_text(found: dict[str, str]) -> str:
    """What `check` says of the dossiers `repairable` found: not edited outside MotCua, and
    the one command that puts each right (no backup to restore)."""
    each = "; ".join(f"{code}: exchange import <gói {package}> --choose {code}={package}"
                     for code, package in sorted(found.items()))
    return (f"{vn_number(len(found))} hồ sơ trong số đó được cấp mã mới ở máy này khi nhập gói "
            f"(\"{BOTH_VI}\"): lệ phí bị phiên bản MotCua cũ ghi sai lúc ấy, không phải bị sửa "
            "ngoài MotCua — không cần khôi phục bản sao lưu. Sửa bằng cách nhập lại gói ấy và "
            f"chọn phiên bản của gói (lệnh): {each}.")


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


def any_aliases(conn) -> bool:
    """Whether any dossier here was re-coded (a database without the table: none)."""
    return searchkey.recoded_any(conn)


def original_codes(conn, local_codes: Sequence[str]) -> dict[str, str]:
    """{code here: the sender's code} of those re-coded at an import."""
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(local_codes)), 500):
        found.update(conn.execute(
            f"SELECT local_code, sender_code FROM code_aliases WHERE local_code IN "
            f"({marks(chunk)})", chunk).fetchall())
    return found


def codes_for(conn, code: str) -> list[str]:
    """The codes here a typed code may mean: itself, and the dossiers re-coded from it."""
    return [code] + [r[0] for r in conn.execute(
        "SELECT local_code FROM code_aliases WHERE sender_code = ? ORDER BY local_code", [code])]


# ----- the aliases a package carries (docs/import-export.md, "Mã cũ đi theo gói") -------------
# A format-3 package's rows part is a MotCua database: its code_aliases table holds the rows of
# the sender's code_aliases whose code here (local_code) is a dossier of the package (part.py);
# each says "the dossier the package holds as local_code is the one installation `sender` gave
# the code sender_code". A part of a program before this (or of a schema before 24, brought
# forward) has the table empty: nothing is carried, the package is read as before.
CARRIED_SQL = ("SELECT local_code, sender, sender_code FROM code_aliases ORDER BY local_code, "
               "sender, sender_code")
SENDER_MAX = 200


def carried(part) -> dict[str, list[tuple[str, str]]]:
    """The aliases the rows part carries: {the package's code: [(installation, its old code)]}.
    The part is hostile: an alias of no dossier of the package, or not two texts, is refused
    (checks.BadRecord), as a vote naming no dossier of the package is."""
    found: dict[str, list[tuple[str, str]]] = {}
    codes = None
    for local, sender, old in part.execute(CARRIED_SQL):
        if not all(isinstance(v, str) and v.strip() for v in (local, sender, old)) or \
                len(sender) > SENDER_MAX or len(old) > checks.CODE_MAX:
            raise checks.BadRecord(f"mã cũ của hồ sơ {str(local)[:80]!r} không hợp lệ")
        if codes is None:
            codes = {r[0] for r in part.execute("SELECT code FROM dossier_rows")}
        if local not in codes:
            raise checks.BadRecord(f"mã cũ {old[:80]!r} gắn với hồ sơ {local[:80]!r} không có "
                                   "trong gói")
        found.setdefault(local, []).append((sender, old))
    return found


def own_id(conn) -> str:
    """This installation's id, read in the import's transaction ("" before it has one)."""
    return str(settings.get(conn, installation.ID_KEY) or "")


def _alias_of(conn, sender: str, code: str) -> str | None:
    row = conn.execute("SELECT local_code FROM code_aliases WHERE sender = ? AND sender_code = ?",
                       [sender, code]).fetchone()
    return row[0] if row else None


def _has_alias(conn, local: str) -> bool:
    return conn.execute("SELECT 1 FROM code_aliases WHERE local_code = ?",
                        [local]).fetchone() is not None


def recognise(conn, me: str, aliases: dict[str, list[tuple[str, str]]], batch: list[dict],
              table: dict[str, str]) -> dict[str, str]:
    """Of the batch's records the package carries aliases of, those that are a dossier held here
    under another code: {the package's code: the code here}. An alias names it for certain when
    this installation issued the old code (`me`) and holds it, or when this installation has
    that very alias already (the old code re-coded here, or learned); else, the package's code
    held by no dossier here, when the dossier of the old code here is the same dossier
    (compare.same_dossier: the same citizen, procedure, unit; a copy of the issuer's got from
    it earlier), whether or not this installation holds the package's code for another
    dossier (two PCs of one slot issue the same codes: the code a second PC gave the dossier
    when it kept both may be another citizen's here — tester, round 21: read as a clash, kept
    both, the dossier twice). A code here is given to one record of the batch at most, and
    never to one `table` already brings there."""
    found: dict[str, str] = {}
    wanted = [r for r in batch if r["code"] in aliases and r["code"] not in table]
    if not wanted:
        return found
    taken = set(table.values())
    held_as = records.ids_by_code(conn, [r["code"] for r in wanted])
    for record in wanted:
        code, named = record["code"], aliases[record["code"]]
        here = None
        for sender, old in named:
            local = _alias_of(conn, sender, old)
            if local is None and sender == me and me:
                local = old
            if local is not None and records.ids_by_code(conn, [local]):
                here = local
                break
        if here is None and not _held_as_itself(conn, held_as.get(code), record):
            for _sender, old in named:
                ids = records.ids_by_code(conn, [old])
                mine = next(records.dossier_records(conn, list(ids.values()), False), None)
                if mine is not None and _the_same(mine, record):
                    here = old
                    break
        if here is None or here == code or here in taken:
            continue
        taken.add(here)
        found[code] = here
    return found


def _held_as_itself(conn, dossier_id: int | None, record: dict) -> bool:
    """The package's code is held here by this very dossier: nothing to recognise."""
    if dossier_id is None:
        return False
    mine = next(records.dossier_records(conn, [dossier_id], False), None)
    return mine is not None and _the_same(mine, record)


def _the_same(mine: dict, record: dict) -> bool:
    """The dossier here is the package's: the same citizen, procedure and unit
    (compare.same_dossier) received at the same moment (a citizen's two dossiers of one
    procedure at one unit differ there)."""
    return compare.same_dossier(mine, record) and \
        mine["fields"]["received_at"] == record["fields"]["received_at"]


def adopt(conn, sender: str, found: dict[str, str], package: str, now: str) -> None:
    """The package's codes recognised as dossiers here (`recognise`), remembered: the sender's
    next packages of them go on them (`aliases`), typing the package's code finds them
    (searchkey.RECODED_SQL), its code is shown beside (`original_codes`). Append-only and
    once: a code here already aliased (code_aliases: one row a code here) or the sender's code
    already known keeps its row."""
    who = actors.login()
    for code, here in sorted(found.items()):
        key = sender or f"?:{here}"
        if _alias_of(conn, key, code) is None and not _has_alias(conn, here):
            conn.execute("INSERT INTO code_aliases(sender, sender_code, local_code, package, at, "
                         "actor) VALUES (?, ?, ?, ?, ?, ?)", [key, code, here, package, now, who])


def learn(conn, code: str, named: list[tuple[str, str]], package: str, now: str) -> None:
    """The aliases the package carries of its dossier `code`, written here as the package's
    (this installation holds it under that code): another installation's old code of it is
    then read as it (`aliases`), found and shown. Append-only and once, as `adopt`."""
    who = actors.login()
    for sender, old in named:
        if old == code or _has_alias(conn, code):
            return
        if _alias_of(conn, sender, old) is None:
            conn.execute("INSERT INTO code_aliases(sender, sender_code, local_code, package, at, "
                         "actor) VALUES (?, ?, ?, ?, ?, ?)", [sender, old, code, package, now, who])


# ----- the aliases of every package of one operation (issue 16 §3, round 22) ------------------
# One operation given a sender's package (B's, dossier X) and another's that re-coded X (the
# centre's, X became its Y: the aliases it carries) merges B's first when B's was made first
# (merge.merge_order): in B's turn, X read alone was a clash with this installation's own X.
# The centre's aliases naming a sender merged before it are known before the first package is
# merged (merge._Run.taught, an operation again from its start: merge._Taught), and B's X is
# read as Y in B's turn, the alias written as the centre's turn would learn it (`learn`): the
# same state as the centre's package then B's, one by one.


def teaching(carried: dict[str, list[tuple[str, str]]], earlier: Collection[str], me: str
             ) -> dict[tuple[str, str], str]:
    """Of the aliases a package carries, those `learn` writes in its turn (the first naming
    another code of each of its dossiers) that name a sender of a package merged before it
    (`earlier`), not this installation (`recognise`'s): {(sender, its code): the package's
    code}."""
    found: dict[tuple[str, str], str] = {}
    for local, named in carried.items():
        first = next(((who, old) for who, old in named if old != local), None)
        if first is not None and first[0] in earlier and first[0] not in ("", me):
            found[first] = local
    return found


def taught(conn, sender: str, batch: Sequence[dict], table: dict[str, str],
           known: dict[tuple[str, str], tuple[str, int, dict]], index: int
           ) -> dict[str, tuple[str, int]]:
    """Of the batch's records not read under an alias yet (`table`), those another package of
    the operation (merged after this one, package `teacher`) says are its dossier under
    another code (`teaching`; `known`: {(sender, code): (its code, teacher, its record)}), as
    that package's turn would learn it (`learn`): the same dossier as its record, the code
    held here by no dossier or by the same dossier, neither code aliased here yet.
    {code: (code here, teacher)}."""
    out: dict[str, tuple[str, int]] = {}
    if not sender or not known:
        return out
    for record in batch:
        code = record["code"]
        found = known.get((sender, code))
        if found is None or code in table or found[1] == index:
            continue
        here, teacher, theirs = found
        if here == code or not compare.same_dossier(theirs, record) or \
                _has_alias(conn, here) or _alias_of(conn, sender, code) is not None:
            continue
        ids = records.ids_by_code(conn, [here])
        mine = next(records.dossier_records(conn, list(ids.values()), False), None)
        if mine is not None and not compare.same_dossier(mine, theirs):
            continue
        out[code] = (here, teacher)
    return out


def learn_taught(conn, sender: str, code: str, here: str, package: str, now: str) -> None:
    """The alias `taught` found, written as its package's turn writes it (`learn`)."""
    conn.execute("INSERT INTO code_aliases(sender, sender_code, local_code, package, at, actor) "
                 "VALUES (?, ?, ?, ?, ?, ?)", [sender, code, here, package, now, actors.login()])


def taught_meanwhile(conn, sender: str, code: str) -> tuple[str, str] | None:
    """A clash kept both in a package's turn whose sender's code another package of the same
    operation, merged after, said is a dossier re-coded elsewhere (the aliases it carries,
    `learn`): (the code here, that package). Re-coding it again would make that citizen's
    dossier twice; None when no alias names it. Since `taught` reads such a record as that
    dossier in its own turn, only an alias naming a record of another citizen (not
    compare.same_dossier with that package's record) is left to it."""
    if not sender:
        return None
    row = conn.execute("SELECT local_code, package FROM code_aliases WHERE sender = ? AND "
                       "sender_code = ?", [sender, code]).fetchone()
    return (row[0], row[1]) if row else None


def taught_meanwhile_text(code: str, package: str, here: str, teacher: str) -> str:
    """Why such an operation writes nothing, and the order that imports it right (the package
    that carries the alias first: the sender's record is then read under the code here)."""
    return (f"Hồ sơ {code} của gói {package}: gói {teacher} nhập cùng lần cho biết đó là hồ sơ "
            f"{here} (một máy đã cấp mã mới cho hồ sơ ấy khi giữ cả hai), không phải hồ sơ khác "
            "cùng mã. Chưa ghi gì vào cơ sở dữ liệu. Hãy nhập từng gói một: gói "
            f"{teacher} trước, rồi gói {package} — hồ sơ ấy được nhận tiếp vào {here}.")


RECOGNISED_SHOWN = 20


def recognised_text(found: dict[str, str]) -> str:
    """The package's dossiers that are dossiers of this installation under another code: no new
    dossier, the package's code remembered beside."""
    made = sorted(found.items())
    shown = "; ".join(f"{theirs} → {here}" for theirs, here in made[:RECOGNISED_SHOWN])
    more = f"; và {vn_number(len(made) - RECOGNISED_SHOWN)} hồ sơ khác" \
        if len(made) > RECOGNISED_SHOWN else ""
    return (f"{vn_number(len(made))} hồ sơ của gói là hồ sơ đã có trên máy này dưới mã khác "
            f"(một máy đã cấp mã mới khi giữ cả hai; mã trong gói → mã ở máy này): {shown}"
            f"{more}. Không tạo hồ sơ mới; tìm theo mã trong gói vẫn thấy hồ sơ.")
