"""How a dossier's facts (core.facts.compute, keys in core.facts.FACT_KEYS) are stored.

A million dossiers carry one facts JSON each, so the stored form leaves out what the reader can
put back (schema 14, issue 18: 269 bytes a dossier before):
- "u" and "d", the unit the dossier counts at and its reception day, equal the row's
  counted unit (core.moment.counted_unit_sql) and substr(received_at, 1, 10) whenever facts are
  written; when a later change of the row reaches the facts before they are computed again
  (a correction of received_at, an import), the trigger `dossiers_facts_origin` (db.schema)
  writes the old values into them, so the old marks can still be taken back;
- "hz" and "fd" (schema 19), the horizon and the finish day, when they equal the row's
  `calc_due_at` and substr(finished_at, 1, 10) (NULL without finished_at): 88 % and 100 % of the
  1M demo's dossiers (docs/speed.md "Size"); "fd" null under a finished_at (a reopened
  dossier) is stored as null. When calc_due_at or finished_at change under facts not yet
  computed again (a correction of the finish, a reopening, an import), the trigger
  `dossiers_facts_origin` writes the old values in, as for "u" and "d". SQL reads them through
  `horizon_sql` and `finish_day_sql`, the one definition of what an absent key means;
- the flags every dossier has ("on", "oe", "of", "fee", "pay", "io", "dg", "er", "cp") when 0,
  "st" when "r" (resolved, most dossiers);
- "c" (classes per variant) as one letter when the four variants agree, nothing when empty;
  "s" (overdue spans per variant) as one list when they agree, nothing when all are empty.
Every other key is stored as computed; SQL reads only those (json_extract of "lw", "ld", "kl"
and flags compared with `= 1`, which a missing 0 answers the same; "hz" through horizon_sql).
`decode` reads this form; `decode_before_19` the forms of schemas 13 to 18, for the migrations;
`decode(encode(f)) == f` for every facts compute() gives (tests/db/test_facts_codec.py). Every
reader passes the row's values in the order of `origin_columns`. db, not core: the migrations
use it too.
"""
from __future__ import annotations

import json
from typing import Any

from db import json_text, steps, stored_json
from db.moments import day_sql, text_sql

VARIANTS = ("po", "pe", "ro", "re")  # core.facts.VARIANTS, in its order
FLAGS = ("on", "oe", "of", "fee", "pay", "io", "dg", "er", "cp")  # always present, 0 or 1
CLASSES = {"early": "e", "on_time": "o", "late": "l"}
_CLASS_WORDS = {letter: word for word, letter in CLASSES.items()}
_SEPARATORS = (",", ":")
# json.dumps(x, separators=…) builds an encoder at every call (the demo writes a million, a
# centre's merge 20,000 a package): the C encoder made once, called directly (db.json_text)
_DUMPS = json_text.encoder(separators=_SEPARATORS)


_IMPLIED = {**dict.fromkeys(FLAGS, 0), "st": "r"}  # left out when so
# Schemas 14 to 18 also left "fd" out when null (and always stored "hz")
_IMPLIED_BEFORE_19 = {**_IMPLIED, "fd": None}
_NO_SPANS: dict[str, list] = dict.fromkeys(VARIANTS, [])
_KEPT = object()


def day_of(received) -> str:
    """The reception day (YYYY-MM-DD) of a stored time text or a datetime."""
    if isinstance(received, str):
        return received[:10]
    return received.isoformat()[:10]


def finish_day(finished) -> str | None:
    """The day (YYYY-MM-DD) of a row's finished_at (a stored time text or a datetime), None
    without one: what an absent "fd" means."""
    return day_of(finished) if finished else None


def origin_columns(alias: str = "", rows: bool = False) -> str:
    """The row's columns a stored facts text is read with, in the order decode takes them;
    `rows`: read from dossier_rows, whose moments are seconds (db.moments), given as text."""
    moment = text_sql if rows else (lambda column: column)
    return (f"{counted_unit(alias)}, {moment(alias + 'received_at')}, "
            f"{moment(alias + 'calc_due_at')}, {moment(alias + 'finished_at')}")


def horizon_sql(alias: str = "", rows: bool = False) -> str:
    """The facts' "hz" in SQL, whether stored or left out (the row's calc_due_at; `rows`: of
    dossier_rows, seconds given as text)."""
    due = text_sql(f"{alias}calc_due_at") if rows else f"{alias}calc_due_at"
    return f"COALESCE({alias}facts ->> 'hz', {due})"


def finish_day_sql(alias: str = "") -> str:
    """The facts' "fd" in SQL: a stored value (a day or null) or, left out, the row's
    finished_at's day (`->` gives SQL NULL only for a missing key, 'null' for a stored null)."""
    return (f"CASE WHEN {alias}facts -> 'fd' IS NULL THEN substr({alias}finished_at, 1, 10) "
            f"ELSE {alias}facts ->> 'fd' END")


def encode(facts: dict, unit: str, received, due: str | None, finished) -> str:
    """The stored text of `facts` for a dossier whose row (once written) says: counted at
    `unit`, received at `received`, calc_due_at `due`, finished_at `finished`."""
    return _encode(facts, unit, received, due, finished, _IMPLIED)


def _encode(facts: dict, unit: str, received, due, finished, implied_values: dict) -> str:
    implied = implied_values.get  # a key not implied gets _KEPT, which no value equals
    out = {key: value for key, value in facts.items()
           if implied(key, _KEPT) != value or value.__class__ is bool}
    if out.get("u") == unit:
        del out["u"]
    if out.get("d") == day_of(received):
        del out["d"]
    if implied_values is _IMPLIED:  # schema 19: the row's moments
        if "hz" in out and out["hz"] == due:
            del out["hz"]
        if "fd" in out and out["fd"] == finish_day(finished):
            del out["fd"]
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


def decode(text: str, unit: str, received, due: str | None, finished) -> dict:
    """The facts stored as `text` for a dossier whose row says: counted at `unit`, received at
    `received`, calc_due_at `due`, finished_at `finished` (origin_columns). Raises ValueError
    when the text is not a facts object."""
    stored = _object(text)
    return _completed({"u": unit, "d": day_of(received), **_IMPLIED, "hz": due,
                       "fd": finish_day(finished)}, stored)


def decode_before_19(text: str, unit: str, received) -> dict:
    """The facts stored as schemas 13 to 18 did (the full form, or compact without "hz" and "fd"
    ever left out for the row's): what the migrations read."""
    return _completed({"u": unit, "d": day_of(received), **_IMPLIED_BEFORE_19}, _object(text))


def _object(text: str) -> dict:
    stored = stored_json.loads(text)
    if not isinstance(stored, dict):
        raise ValueError("facts are not a JSON object")
    return stored


def _completed(facts: dict[str, Any], stored: dict) -> dict:
    """The implied values `facts` with the stored ones over them, the variants spread out."""
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
    """A stored text in the compact form of schema 14 (its migration: "hz" and "fd" kept, later
    migrations read this form); an unreadable one is left as it is, for `check` to name
    (core.maintenance), never a failed upgrade."""
    if text is None:
        return None
    try:
        return _encode(decode_before_19(text, unit, received), unit, received, None, None,
                       _IMPLIED_BEFORE_19)
    except (ValueError, KeyError, TypeError):
        return text


def recode_moments(text: str | None, unit: str, received, due: str | None,
                   finished) -> str | None:
    """A text of schemas 14 to 18 in the form of schema 19 ("hz", "fd" left out when the row
    gives them); an unreadable one is left as it is, as by `recode`."""
    if text is None:
        return None
    try:
        return encode(decode_before_19(text, unit, received), unit, received, due, finished)
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


# Schema 19: the same for the row's due time and finish ("hz", "fd"), one trigger for all four
# (two triggers on one UPDATE would each write OLD.facts with their own keys, the second
# undoing the first). json_insert adds only the keys the text leaves out: those the row gave.
# A writer that sets calc_due_at together with a text equal to the old one must keep "hz" in
# it (core.facts._refresh_chunk), or the trigger would take the new due for a row change.
FACTS_ORIGIN_MOMENTS = f"""
DROP TRIGGER dossiers_facts_origin;
CREATE TRIGGER dossiers_facts_origin
AFTER UPDATE OF unit_code, competent_unit_code, received_at, calc_due_at, finished_at
ON dossiers WHEN OLD.facts IS NOT NULL AND NEW.facts IS OLD.facts
AND ({counted_unit("NEW.")} IS NOT {counted_unit("OLD.")}
     OR substr(NEW.received_at, 1, 10) IS NOT substr(OLD.received_at, 1, 10)
     OR NEW.calc_due_at IS NOT OLD.calc_due_at
     OR substr(NEW.finished_at, 1, 10) IS NOT substr(OLD.finished_at, 1, 10))
BEGIN UPDATE dossiers SET facts = json_insert(OLD.facts, '$.u', {counted_unit("OLD.")},
    '$.d', substr(OLD.received_at, 1, 10), '$.hz', OLD.calc_due_at,
    '$.fd', substr(OLD.finished_at, 1, 10)) WHERE id = NEW.id; END;
"""


# Schema 22: the same trigger on the rows (db.dossier_rows), whose moments are seconds
# (db.moments): the facts keep the moments' texts.
FACTS_ORIGIN_ROWS = f"""
CREATE TRIGGER dossiers_facts_origin
AFTER UPDATE OF unit_code, competent_unit_code, received_at, calc_due_at, finished_at
ON dossier_rows WHEN OLD.facts IS NOT NULL AND NEW.facts IS OLD.facts
AND ({counted_unit("NEW.")} IS NOT {counted_unit("OLD.")}
     OR {day_sql("NEW.received_at")} IS NOT {day_sql("OLD.received_at")}
     OR NEW.calc_due_at IS NOT OLD.calc_due_at
     OR {day_sql("NEW.finished_at")} IS NOT {day_sql("OLD.finished_at")})
BEGIN UPDATE dossier_rows SET facts = json_insert(OLD.facts, '$.u', {counted_unit("OLD.")},
    '$.d', {day_sql("OLD.received_at")}, '$.hz', {text_sql("OLD.calc_due_at")},
    '$.fd', {day_sql("OLD.finished_at")}) WHERE id = NEW.id; END;
"""


def derive_moments_all(conn, progress=None) -> None:
    """Rewrite every stored facts text in the form of schema 19, inside the caller's transaction
    (its migration); `progress` as for compact_all."""
    conn.create_function("motcua_recode_moments", 5, recode_moments, deterministic=True)
    steps.by_id_ranges(conn, "dossiers", CHUNK,
                       f"UPDATE dossiers SET facts = motcua_recode_moments(facts, "
                       f"{origin_columns()}) WHERE id > ? AND id <= ? AND facts IS NOT NULL",
                       progress)


def full_text(text: str | None, unit: str, received, due: str | None, finished) -> str | None:
    """The full form (every key, as schema 13 stored it), which exchange packages carry whatever
    the sender stores (core.exchange.records); an unreadable text is passed on as it is (the
    receiver then computes the facts itself)."""
    if text is None:
        return None
    try:
        return json.dumps(decode(text, unit, received, due, finished), separators=_SEPARATORS)
    except (ValueError, KeyError, TypeError):
        return text
