"""How a dossier's facts (core.facts.compute, keys in core.facts.FACT_KEYS) are stored.

A million dossiers carry one facts JSON each, so the stored form leaves out what the reader can
put back (schema 14, issue 18: 269 bytes a dossier before):
- "u" and "d", the unit the dossier counts at and its reception day, equal the row's
  counted unit (core.moment.counted_unit_sql) and substr(received_at, 1, 10) whenever facts are
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

import json
from typing import Any

from db import json_text, steps

VARIANTS = ("po", "pe", "ro", "re")  # core.facts.VARIANTS, in its order
FLAGS = ("on", "oe", "of", "fee", "pay", "io", "dg", "er", "cp")  # always present, 0 or 1
CLASSES = {"early": "e", "on_time": "o", "late": "l"}
_CLASS_WORDS = {letter: word for word, letter in CLASSES.items()}
_SEPARATORS = (",", ":")
# json.dumps(x, separators=…) builds an encoder at every call (the demo writes a million, a
# centre's merge 20,000 a package): the C encoder made once, called directly (db.json_text)
_DUMPS = json_text.encoder(separators=_SEPARATORS)


_IMPLIED = {**dict.fromkeys(FLAGS, 0), "fd": None, "st": "r"}  # left out when so
_NO_SPANS: dict[str, list] = dict.fromkeys(VARIANTS, [])
_KEPT = object()


def day_of(received) -> str:
    """The reception day (YYYY-MM-DD) of a stored time text or a datetime."""
    if isinstance(received, str):
        return received[:10]
    return received.isoformat()[:10]


def encode(facts: dict, unit: str, received) -> str:
    """The stored text of `facts` for a dossier counted at `unit`, received at `received`."""
    implied = _IMPLIED.get  # a key not implied gets _KEPT, which no value equals
    out = {key: value for key, value in facts.items()
           if implied(key, _KEPT) != value or value.__class__ is bool}
    if out.get("u") == unit:
        del out["u"]
    if out.get("d") == day_of(received):
        del out["d"]
    if "c" in out:
        _shorten(out, "c", {}, lambda value: CLASSES.get(value) if isinstance(value, str) else None)
    if "s" in out:
        _shorten(out, "s", _NO_SPANS, lambda value: value if isinstance(value, list) else None)
    return _DUMPS(out)


def _shorten(out: dict, key: str, empty: dict, short) -> None:
    """Per-variant values: nothing when `empty`, the shortened shared value when the four
    variants agree, else the dict as it is."""
    per_variant = out[key]
    if per_variant == empty:
        del out[key]
        return
    if not isinstance(per_variant, dict) or per_variant.keys() != _NO_SPANS.keys():
        return
    first = per_variant["po"]
    if all(value == first for value in per_variant.values()):
        shortened = short(first)
        if shortened is not None:
            out[key] = shortened


def decode(text: str, unit: str, received) -> dict:
    """The facts stored as `text` (either form) for a dossier counted at `unit`, received at
    `received` (the row's values). Raises ValueError when the text is not a facts object."""
    stored = json.loads(text)
    if not isinstance(stored, dict):
        raise ValueError("facts are not a JSON object")
    facts: dict[str, Any] = {"u": unit, "d": day_of(received), **_IMPLIED}
    facts.update(stored)
    if "irr" not in facts:  # an irregular dossier has neither (core.facts.compute)
        classes: Any = facts.get("c", {})
        if isinstance(classes, str):
            if classes not in _CLASS_WORDS:
                raise ValueError(f"facts: unknown class {classes!r}")
            classes = dict.fromkeys(VARIANTS, _CLASS_WORDS[classes])
        spans: Any = facts.get("s", [])
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


def counted_unit(alias: str = "") -> str:
    """core.moment.counted_unit_sql, which db cannot import (tests/db/test_facts_codec.py
    checks they agree): the unit whose figures a dossier's facts count in."""
    return f"COALESCE({alias}competent_unit_code, {alias}unit_code)"


# Schema 14: when a row's unit or reception day changes under facts not yet computed again,
# the facts get the old ones ("u", "d"), which core.facts.refresh needs to take the old marks
# back from kpi_daily; the next refresh writes them compact again.
FACTS_ORIGIN = f"""
CREATE TRIGGER dossiers_facts_origin AFTER UPDATE OF unit_code, competent_unit_code, received_at
ON dossiers WHEN OLD.facts IS NOT NULL AND NEW.facts IS OLD.facts
AND ({counted_unit("NEW.")} IS NOT {counted_unit("OLD.")}
     OR substr(NEW.received_at, 1, 10) IS NOT substr(OLD.received_at, 1, 10))
BEGIN UPDATE dossiers SET facts = json_insert(OLD.facts, '$.u', {counted_unit("OLD.")},
    '$.d', substr(OLD.received_at, 1, 10)) WHERE id = NEW.id; END;
"""


def compact_all(conn, progress=None) -> None:
    """Rewrite every stored facts text in the compact form, inside the caller's transaction
    (the migration to schema 14). `progress(done, total)` returning False stops it: the
    transaction then rolls back and nothing has changed."""
    conn.create_function("motcua_recode_facts", 3, recode)
    steps.by_id_ranges(conn, "dossiers", CHUNK,
                       f"UPDATE dossiers SET facts = motcua_recode_facts(facts, {counted_unit()}, "
                       "received_at) WHERE id > ? AND id <= ? AND facts IS NOT NULL", progress)


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
