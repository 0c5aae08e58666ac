"""Keeping both dossiers of a code clash (spec 4 and 9, issue 16 §3).

Two installations in one slot (or a package of a version before slots, or a slot answered
wrongly) can give one code to two different citizens' dossiers (compare.same_dossier false: a
clash). Keeping one side lost the other citizen's dossier; "Giữ cả hai" (BOTH) keeps this
installation's dossier as it is and brings the package's in under a NEW code issued here by
this installation's own allocator (core.installation.allocate_code, reception's rule, in the
import's transaction):

- `code_aliases` (db.schema CODE_ALIASES) remembers which sender's code became which code here:
  the sender's later packages of that dossier are read under the code here (`aliased`) and go
  on the re-coded dossier (fast-forward, identical …), never clash again nor make a third one;
- one `recode` event in the re-coded dossier's history (chained as every event) says from
  which code, at the import of which package, by whom (spec 10). It is this installation's own:
  comparing the dossier with the sender's next record leaves it out (`without_own`), as the
  sender never has it;
- the votes a package names the sender's code with go on the re-coded dossier too.

Chosen per code (the window's "Giữ cả hai", ticked for a clash unless the clerk unticks it;
`--choose MÃ=both`) or for every clash (`--clashes both`); a choice for all conflicts
(`--conflicts keep|theirs`) still decides a clash as it says when `--clashes` is not given.
"""
from __future__ import annotations

from collections.abc import Sequence

from core import history, installation, searchkey, timefmt
from core.errors import InputError
from core.exchange import compare
from core.moment import chunks, marks
from core.timefmt import vn_number
from db import actor as actors

BOTH = "both"
BOTH_VI = compare.BOTH_VI
RECODE = "recode"  # the event's action
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


def aliased(record: dict, table: dict[str, str]) -> dict:
    """A package record under the code it has here (itself when not re-coded)."""
    code = table.get(record["code"])
    return record if code is None else {**record, "code": code}


def without_own(local: dict) -> dict:
    """A re-coded dossier as the sender knows it: without this installation's recode event."""
    return {**local, "events": [e for e in local["events"] if e[2] != RECODE]}


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
           code: str) -> str | None:
    """The choice for one conflict: the clerk's for this code, else (a clash) the choice for
    every clash, else the choice for all conflicts. Keeping both is only for two different
    dossiers: one dossier changed at two places has one version to keep."""
    if given == BOTH and not clash:
        raise InputError(f"Hồ sơ {code}: \"{BOTH_VI}\" chỉ dành cho hai hồ sơ khác nhau cùng "
                         "mã; đây là một hồ sơ được sửa ở hai nơi: chọn giữ của máy này hoặc "
                         "lấy theo gói.")
    if given is not None:
        return given
    return clashes if clash and clashes is not None else default


def take_both(conn, store, record: dict, package: str, sender: str) -> str:
    """The package's dossier written beside this installation's under a new code issued here,
    the alias and the recode event with it (the caller's transaction). Returns the new code."""
    fields = record["fields"]
    unit = fields["competent_unit_code"] or fields["unit_code"]
    code = installation.allocate_code(conn, unit, timefmt.parse_db_time(fields["received_at"]))
    made = store.insert_new([{**record, "code": code}])
    dossier_id = made[code]
    who = actors.login()
    # a package of a version before installations had an id: its sender cannot be told from
    # another such one, so its later packages are not followed (`aliases`), and its row is
    # its own ("?:" and the code here)
    conn.execute("INSERT INTO code_aliases(sender, sender_code, local_code, package, at, actor) "
                 "VALUES (?, ?, ?, ?, ?, ?)", [sender or f"?:{code}", record["code"], code,
                                               package, store.now, who])
    history.record(conn, dossier_id, store.now, who, RECODE, None, None,
                   recode_reason(record["code"], package),
                   {"original_code": record["code"], "package": package, "sender": sender})
    store.here.append(conn.execute("SELECT MAX(id) FROM event_rows").fetchone()[0])
    return code


FOREIGN_VOTES_VI = "phiếu đánh giá gắn với hồ sơ của gói không được nhận"


def foreign_votes_text(count: int) -> str:
    """The package's votes left out: they name its dossier of a clash whose dossier here was
    kept (another citizen's), never this installation's dossier of that code."""
    return (f"{vn_number(count)} {FOREIGN_VOTES_VI} (hai hồ sơ khác nhau cùng mã, giữ hồ sơ của "
            "máy này): không ghi, để không tính vào hồ sơ của người khác.")


def unconfirmed_text(count: int) -> str:
    """Why this installation cannot keep both yet, and what to do (core.installation
    .allocate_code refuses a code while the slot is unconfirmed:
    a centre's older file that never received a dossier itself)."""
    return (f"\"{BOTH_VI}\" ({vn_number(count)} hồ sơ) cần máy này cấp mã mới cho hồ sơ của "
            f"gói. {installation.unconfirmed_message()} Hoặc bỏ đánh dấu \"{BOTH_VI}\" (lệnh: "
            "--clashes keep) để giữ hồ sơ của máy này.")


def recode_reason(original: str, package: str) -> str:
    return (f"Cấp mã mới khi nhập gói {package}: mã {original} của máy gửi đã là mã của một hồ "
            "sơ khác trên máy này (giữ cả hai hồ sơ)")


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
