"""How a dossier's facts (core.facts.compute, keys in core.facts.FACT_KEYS) are stored.

A million dossiers carry one facts JSON each, so the stored form leaves out what the reader can
put back (schema 14, issue 18: 269 bytes a dossier before):
- "u" and "d", the unit the dossier counts at and its reception day, equal the row's
  COALESCE(competent_unit_code, unit_code) and substr(received_at, 1, 10) whenever facts are
  written; when a later change of the row reaches the facts before they are computed again
  (a correction of received_at, an import), the trigger `dossiers_facts_origin` (db.schema)
  writes the old values into them, so the old marks can still be taken back;
- the flags every dossier has ("on", "oe", "of", "fee", "pay", "io", "dg", "er", "cp") when 0,
  "fd" when null, "st" when "r" (resolved, most dossiers);
- "c" (classes per variant) as one letter when the four variants agree, nothing when empty;
  "s" (overdue spans per variant) as one list when they agree, nothing when all are empty.
Every other key is stored as computed; SQL reads only those (json_extract of "hz", "lw", "ld",
"kl" and flags compared with `= 1`, which a missing 0 answers the same). `decode` reads both
this form and the full one of schema 13 and earlier; `decode(encode(f)) == f` for every facts
compute() gives (tests/db/test_facts_codec.py). db, not core: the migration uses it too.
"""
from __future__ import annotations

import datetime as dt
import json

VARIANTS = ("po", "pe", "ro", "re")  # core.facts.VARIANTS, in its order
FLAGS = ("on", "oe", "of", "fee", "pay", "io", "dg", "er", "cp")  # always present, 0 or 1
CLASSES = {"early": "e", "on_time": "o", "late": "l"}
_CLASS_WORDS = {letter: word for word, letter in CLASSES.items()}
_SEPARATORS = (",", ":")


def day_of(received) -> str:
    """The reception day (YYYY-MM-DD) of a stored time text or a datetime."""
    if isinstance(received, dt.datetime | dt.date):
        return received.isoformat()[:10]
    return str(received)[:10]


def encode(facts: dict, unit: str, received) -> str:
    """The stored text of `facts` for a dossier counted at `unit`, received at `received`."""
    out = {key: value for key, value in facts.items() if not _implied(key, value, unit, received)}
    if "c" in out:
        out["c"] = _one_of(out["c"], lambda v: CLASSES.get(v) if isinstance(v, str) else None)
    if "s" in out:
        out["s"] = _one_of(out["s"], lambda v: v)
    return json.dumps(out, separators=_SEPARATORS)


def _implied(key: str, value, unit: str, received) -> bool:
    """Whether `decode` gives this member back without it being stored."""
    if key == "u":
        return value == unit
    if key == "d":
        return value == day_of(received)
    if key in FLAGS:
        return value == 0 and not isinstance(value, bool)
    if key == "fd":
        return value is None
    if key == "st":
        return value == "r"
    if key in ("c", "s"):
        return value == ({} if key == "c" else dict.fromkeys(VARIANTS, []))
    return False


def _one_of(per_variant, short):
    """The value the four variants share (shortened), else the dict itself."""
    if not isinstance(per_variant, dict) or set(per_variant) != set(VARIANTS):
        values = None
    else:
        values = list(per_variant.values())
    if values and all(v == values[0] for v in values):
        shortened = short(values[0])
        if shortened is not None and not isinstance(shortened, dict):
            return shortened
    return per_variant


def decode(text: str, unit: str, received) -> dict:
    """The facts stored as `text` (either form) for a dossier counted at `unit`, received at
    `received` (the row's values). Raises ValueError when the text is not a facts object."""
    facts = json.loads(text)
    if not isinstance(facts, dict):
        raise ValueError("facts are not a JSON object")
    facts.setdefault("u", unit)
    facts.setdefault("d", day_of(received))
    for flag in FLAGS:
        facts.setdefault(flag, 0)
    facts.setdefault("fd", None)
    facts.setdefault("st", "r")
    if "irr" not in facts:  # an irregular dossier has neither (core.facts.compute)
        classes = facts.get("c", {})
        if isinstance(classes, str):
            classes = dict.fromkeys(VARIANTS, _CLASS_WORDS[classes])
        spans = facts.get("s", [])
        facts["c"] = classes
        facts["s"] = dict.fromkeys(VARIANTS, spans) if isinstance(spans, list) else spans
    return facts


def recode(text: str | None, unit: str, received) -> str | None:
    """A stored text in the compact form (the migration to schema 14); an unreadable one is
    left as it is, for `check` to name (core.maintenance), never a failed upgrade."""
    if text is None:
        return None
    try:
        return encode(decode(text, unit, received), unit, received)
    except (ValueError, KeyError, TypeError):
        return text


CHUNK = 20000  # dossiers rewritten between two reports of progress


def compact_all(conn, progress=None) -> None:
    """Rewrite every stored facts text in the compact form, inside the caller's transaction
    (the migration to schema 14). `progress(done, total)` returning False stops it: the
    transaction then rolls back and nothing has changed."""
    conn.create_function("motcua_recode_facts", 3, recode)
    top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossiers").fetchone()[0]
    for start in range(0, top, CHUNK):
        conn.execute("UPDATE dossiers SET facts = motcua_recode_facts(facts, "
                     "COALESCE(competent_unit_code, unit_code), received_at) "
                     "WHERE id > ? AND id <= ? AND facts IS NOT NULL", [start, start + CHUNK])
        if progress is not None and progress(min(start + CHUNK, top), top) is False:
            raise InterruptedError("upgrade cancelled")


def full_text(text: str | None, unit: str, received) -> str | None:
    """The full form (every key, as schema 13 stored it), which exchange packages carry whatever
    the sender stores (core.exchange.records); an unreadable text is passed on as it is (the
    receiver then computes the facts itself)."""
    if text is None:
        return None
    try:
        return json.dumps(decode(text, unit, received), separators=_SEPARATORS)
    except (ValueError, KeyError, TypeError):
        return text
