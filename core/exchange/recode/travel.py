"""The aliases that travel with a package: read from its rows part, recognised as dossiers
held here under another code (adopted), learned, and taught by another package of the
same operation."""
from __future__ import annotations

from collections.abc import Collection, Sequence

from core import installation
from core.exchange import checks, compare, records
from core.timefmt import vn_number
from db import actor as actors

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
    return installation.stored_id(conn) or ""


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
