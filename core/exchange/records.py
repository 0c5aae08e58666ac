"""A dossier (and the catalogue) as a package record, read from a database.

The same reading serves the export (what a package holds) and the import (what this
installation holds for the same codes), so "identical" means exactly: the same fields, waits,
extension, payments, components and events, as read by the same code.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from core.actor_names import WalkIns
from db import facts_codec, searchtext
from db.batches import in_chunks, marks

# Every column a dossier carries between installations (not its id, its derived data, nor
# created_at/updated_at, which say when this installation wrote the row).
FIELDS = ("unit_code", "procedure_code", "applicant_name", "applicant_phone",
          "applicant_address", "applicant_id_no", "channel", "received_at", "status", "due_at",
          "finished_at", "returned_at", "extended_due_at", "fee", "e_result", "copies",
          "received_by", "note", "competent_unit_code", "applicant_email", "representative",
          "result_delivery", "digitised", "result_digitised")
WAIT_COLUMNS = ("requested_at", "completed_at", "reason")
EXTENSION_COLUMNS = ("extended_at", "previous_due_at", "new_due_at", "reason", "actor")
PAYMENT_COLUMNS = ("amount", "method", "paid_at", "reference", "actor", "cancelled_at",
                   "cancel_reason", "cancelled_by")
COMPONENT_COLUMNS = ("position", "name", "form", "count", "received", "digitised", "note")
COMPLAINT_COLUMNS = ("unit_code", "received_at", "channel", "content", "resolution",
                     "resolved_at", "actor", "cancelled_at", "cancel_reason", "cancelled_by")
COMPLAINT_IDENTITY = (1, 3)  # a complaint is the one received at that moment with that content
EVENT_COLUMNS = ("at", "actor", "action", "from_status", "to_status", "reason", "details")
# A package's "derived" list, in this order (the format between installations). The search key
# is no longer stored (schema 21): it is sent computed, and a receiver computes its own.
DERIVED_COLUMNS = ("calc_due_at", "facts", "search_key", "kpi_irregular")
STORED_DERIVED = ("calc_due_at", "facts", "kpi_irregular")  # what a dossier's row keeps of it
_DERIVED_SQL = ("calc_due_at", "facts", searchtext.key_sql("dossiers"), "kpi_irregular")
CHILDREN = (("waits", "supplements", WAIT_COLUMNS, "requested_at, id"),
            ("payments", "payments", PAYMENT_COLUMNS, "id"),
            ("components", "dossier_components", COMPONENT_COLUMNS, "position"),
            ("complaints", "complaints", COMPLAINT_COLUMNS, "received_at, id"),
            ("events", "events", EVENT_COLUMNS, "id"))

UNIT_COLUMNS = ("code", "name", "level", "parent_code", "valid_from", "valid_to",
                "successor_code")
PROCEDURE_COLUMNS = ("code", "name", "field", "limit_value", "limit_unit", "fee", "online_level",
                     "paper_result", "same_day_cutoff")
RULE_COLUMNS = ("valid_from", "valid_until", "limit_value", "limit_unit", "same_day_cutoff",
                "online_level", "paper_result")
PROC_COMPONENT_COLUMNS = ("position", "name", "form", "count", "required")
CALENDAR_COLUMNS = ("date", "kind", "name")
VOTE_COLUMNS = ("unit_code", "voted_at", "rating", "dossier_code", "comment", "reasons", "source",
                "cancelled_at", "cancel_reason", "cancelled_by", "actor", "origin")
VOTE_IDENTITY = VOTE_COLUMNS[:7]  # a vote is identified by all it says (spec 7), not its fate

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def state(record: dict) -> str:
    """A dossier's content but its history, canonically: equal text, equal dossier."""
    return _ENCODE([record["fields"], record["waits"], record["extension"], record["payments"],
                    record["components"], record["complaints"]])


def dossier_records(conn, ids: Sequence[int], derived: bool = True) -> Iterator[dict]:
    """The package records of these dossiers, in the order of `ids`, 500 at a time."""
    for chunk in in_chunks(list(ids)):
        yield from _chunk_records(conn, chunk, derived)


def _chunk_records(conn, ids: Sequence[int], derived: bool) -> list[dict]:
    where = f"IN ({marks(ids)})"
    columns = ("id", "code") + FIELDS + (_DERIVED_SQL if derived else ())
    out: dict[int, dict] = {}
    for row in conn.execute(f"SELECT {', '.join(columns)} FROM dossiers WHERE id {where}", ids):
        record = {"code": row[1], "fields": dict(zip(FIELDS, row[2:2 + len(FIELDS)], strict=True)),
                  "waits": [], "extension": None, "payments": [], "components": [], "complaints": [],
                  "events": []}
        if derived:
            record["derived"] = _full_facts(record["fields"], list(row[2 + len(FIELDS):]))
        out[row[0]] = record
    for key, table, cols, order in CHILDREN:
        for row in conn.execute(f"SELECT dossier_id, {', '.join(cols)} FROM {table} "
                                f"WHERE dossier_id {where} ORDER BY dossier_id, {order}", ids):
            out[row[0]][key].append(list(row[1:]))
    for row in conn.execute(f"SELECT dossier_id, {', '.join(EXTENSION_COLUMNS)} FROM extensions "
                            f"WHERE dossier_id {where}", ids):
        out[row[0]]["extension"] = list(row[1:])
    return [out[i] for i in ids if i in out]


def _full_facts(fields: dict, derived: list) -> list:
    """A package carries the facts in their full form (db.facts_codec), not the stored one."""
    unit = fields["competent_unit_code"] or fields["unit_code"]
    derived[1] = facts_codec.full_text(derived[1], unit, fields["received_at"], derived[0],
                                       fields["finished_at"])
    return derived


def ids_by_code(conn, codes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in in_chunks(list(codes)):
        found.update(conn.execute(f"SELECT code, id FROM dossiers WHERE code IN ({marks(chunk)})",
                                  chunk).fetchall())
    return found


def unit_records(conn) -> Iterator[dict]:
    for row in conn.execute(f"SELECT {', '.join(UNIT_COLUMNS)} FROM units ORDER BY code"):
        yield dict(zip(UNIT_COLUMNS, row, strict=True))


def procedure_records(conn) -> Iterator[dict]:
    rules: dict[str, list] = {}
    for row in conn.execute(f"SELECT procedure_code, {', '.join(RULE_COLUMNS)} FROM "
                            "procedure_rules ORDER BY procedure_code, valid_from"):
        rules.setdefault(row[0], []).append(list(row[1:]))
    parts: dict[str, list] = {}
    for row in conn.execute(f"SELECT procedure_code, {', '.join(PROC_COMPONENT_COLUMNS)} FROM "
                            "procedure_components ORDER BY procedure_code, position"):
        parts.setdefault(row[0], []).append(list(row[1:]))
    for row in conn.execute(f"SELECT {', '.join(PROCEDURE_COLUMNS)} FROM procedures ORDER BY code"):
        record = dict(zip(PROCEDURE_COLUMNS, row, strict=True))
        record["rules"] = rules.get(row[0], [])
        record["components"] = parts.get(row[0], [])
        yield record


def calendar_records(conn) -> Iterator[dict]:
    for row in conn.execute(f"SELECT {', '.join(CALENDAR_COLUMNS)} FROM calendar ORDER BY date"):
        yield dict(zip(CALENDAR_COLUMNS, row, strict=True))


VOTES_SQL = ("SELECT v.unit_code, v.voted_at, v.rating, d.code, v.comment, v.reasons, v.source, "
             "v.cancelled_at, v.cancel_reason, v.cancelled_by, v.actor, v.origin FROM votes v "
             "LEFT JOIN dossiers d ON d.id = v.dossier_id")


def vote_record(row: Sequence) -> dict:
    return dict(zip(VOTE_COLUMNS, row, strict=True))


def vote_key(record: dict) -> str:
    return _ENCODE([record.get(c) for c in VOTE_IDENTITY])


def stored_votes(conn, batch: list[dict], dossiers: dict[str, int], below: int,
                 used: set[int], senders: WalkIns | None = None) -> dict[str, list]:
    """This installation's votes (stored before this import, not yet matched) that may be
    the batch's, by what they say: those on the batch's dossiers (index on dossier_id), and
    those without a dossier at the batch's moments of such votes (index on voted_at) that may
    be the same vote (`senders`: core.actor_names.vote_ranges, its `may_be`; None: any).
    Never all votes at a moment: a centre holds many installations' votes of the same minutes,
    and two counters' same-moment walk-in votes are two votes, not one. Per key, the stored
    votes in id order, each [id, cancelled_at, origin]; a vote's own origin first
    (`vote_match`)."""
    stored: dict[str, list] = {}
    sql = ("SELECT v.id, " + VOTES_SQL[len("SELECT "):] +
           " WHERE {} AND v.id < ? ORDER BY v.id")
    moments = sorted({v["voted_at"] for v in batch if v["dossier_code"] is None})
    for where, values in (("v.dossier_id IN ({})", sorted(set(dossiers.values()))),
                          ("v.dossier_id IS NULL AND v.voted_at IN ({})", moments)):
        for chunk in in_chunks(values):
            for row in conn.execute(sql.format(where.format(marks(chunk))), [*chunk, below]):
                if row[0] in used:
                    continue
                walk_in = row[4] is None
                if walk_in and senders is not None and not senders.may_be(row[0], row[12]):
                    continue
                stored.setdefault(vote_key(vote_record(row[1:])), []).append(
                    [row[0], row[8], row[12]])
    return stored


def vote_match(stored: dict[str, list], vote: dict, senders: WalkIns | None) -> list | None:
    """The stored vote `vote` is, taken out of `stored` (`stored_votes`): by its origin when
    both say one (the same vote, whatever route brought either); else the first that may be
    it (a walk-in vote: `WalkIns.takes`; a stored vote saying another origin never is one)."""
    mine = stored.get(vote_key(vote))
    if not mine:
        return None
    origin = vote.get("origin")
    for at, entry in enumerate(mine):
        if entry[2] is not None and entry[2] == origin:
            return mine.pop(at)
    for at, entry in enumerate(mine):
        if senders is None or vote["dossier_code"] is not None or senders.takes(
                entry[0], entry[2], origin):
            return mine.pop(at)
    return None


def rules_fingerprint(conn) -> str:
    """What a dossier's derived data (due time, facts, search key) depends on besides the
    dossier itself: the calendar, office hours, procedures and their dated rules, the units'
    names and links, and the program that computes them (core.version.DERIVED_BY, not the
    version: a release that computes alike keeps its senders' figures) with the revision of its
    time rules (core.due.RULES_REVISION: the version number did not move when a rule did). Equal fingerprints:
    the sender's derived data is what this installation would compute, so the import may keep
    it instead of recomputing."""
    import hashlib

    from core.due import RULES_REVISION
    from core.version import DERIVED_BY
    digest = hashlib.sha256(f"{DERIVED_BY}/{RULES_REVISION}".encode())
    for query in ("SELECT key, value FROM settings WHERE key IN ('office_hours', "
                  "'office_hours_dated', 'same_day_cutoff', 'search_key_format') ORDER BY key",
                  f"SELECT {', '.join(UNIT_COLUMNS)} FROM units ORDER BY code",
                  f"SELECT {', '.join(PROCEDURE_COLUMNS)} FROM procedures ORDER BY code",
                  "SELECT * FROM procedure_rules ORDER BY procedure_code, valid_from",
                  f"SELECT {', '.join(CALENDAR_COLUMNS)} FROM calendar ORDER BY date"):
        for row in conn.execute(query):
            digest.update(_ENCODE(list(row)).encode())
        digest.update(b"|")
    return digest.hexdigest()
