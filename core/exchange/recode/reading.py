"""A sender's records read under the codes they have here: the aliases written when a clash
was kept both, the dossiers re-coded before, the sender's view of a re-coded dossier
(without this installation's own events), and the codes a typed code may mean."""
from __future__ import annotations

from collections.abc import Sequence

from core import searchkey
from core.exchange import compare, records
from core.exchange.recode.terms import OWN_ACTIONS, RECODE
from db import stored_json
from db.batches import in_chunks, marks


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
    for chunk in in_chunks(sorted(set(codes))):
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
    for chunk in in_chunks(sorted(code_of)):
        for dossier_id, details in conn.execute(
                f"SELECT dossier_id, details FROM events WHERE dossier_id IN ({marks(chunk)}) "
                "AND action = ? ORDER BY id", [*chunk, RECODE]):
            try:
                said = stored_json.loads(details) if isinstance(details, str) else None
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
    for chunk in in_chunks(rest):
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


def any_aliases(conn) -> bool:
    """Whether any dossier here was re-coded (a database without the table: none)."""
    return searchkey.recoded_any(conn)


def original_codes(conn, local_codes: Sequence[str]) -> dict[str, str]:
    """{code here: the sender's code} of those re-coded at an import."""
    found: dict[str, str] = {}
    for chunk in in_chunks(sorted(set(local_codes))):
        found.update(conn.execute(
            f"SELECT local_code, sender_code FROM code_aliases WHERE local_code IN "
            f"({marks(chunk)})", chunk).fetchall())
    return found


def codes_for(conn, code: str) -> list[str]:
    """The codes here a typed code may mean: itself, and the dossiers re-coded from it."""
    return [code] + [r[0] for r in conn.execute(
        "SELECT local_code FROM code_aliases WHERE sender_code = ? ORDER BY local_code", [code])]

