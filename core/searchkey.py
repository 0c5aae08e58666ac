"""What the register's search box searches, in one place: a dossier's search key.

A clerk types what the citizen says — "dong giap", a street, a phone number, a piece of the
code — so the key holds, folded (core.textnorm: no diacritics, đ → d, lower case): the code, the
applicant's name, phone and address, the receiving unit's name and, when another unit resolves
the dossier (`competent_unit_code`), that unit's name too.

The key is derived data, and since schema 21 it is not stored (issue 18, the database's size):
db.searchtext computes it (`dossier_key`, the SQL function every connection of the program has),
the view `dossier_keys` gives it per dossier, and db.fulltext indexes it, kept in step by
triggers on the dossiers and the units (a correction, a unit renamed, an anonymisation, an
import: nothing to call). A search asks the index for the keys that may hold the words, then
tests each candidate's key, computed, with `motcua_holds` (`match`): the same rows as when each
key was stored and tested with LIKE. A database whose index was built with an older format of
the key (the setting `KEY_SETTING` below `KEY_FORMAT`) gets it rebuilt once when it is opened
for writing (`rebuild_if_old`).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import NamedTuple

from db import fulltext, searchtext
from db.connection import transaction
from db.searchtext import KEY_FORMAT, KEY_SETTING, folded_key  # noqa: F401  (the demo's)


def dossier_key(code: str | None, name: str | None, phone: str | None, address: str | None,
                unit_name: str | None, competent_name: str | None = None) -> str:
    """The search key of one dossier: everything a clerk may type to find it, folded."""
    return searchtext.search_key(code, name, phone, address, unit_name, competent_name)


def _holds(terms: Sequence[str], row: str) -> tuple[str, list[str]]:
    """SQL: the key of the dossier `row` (an alias of dossiers) holds every term — a term
    (word or words) of letters starts a word of the key; one with a digit (in its first
    word) may sit anywhere. What the LIKE patterns "w%" OR "% w%", and "%w%", said when the
    keys were stored: one call a row, only the parts it needs folded (db.searchtext)."""
    return (searchtext.holds_sql(row),
            [searchtext.spec([(_is_anywhere(term), term) for term in terms])])


def match(words: Sequence[str], row: str = "d", indexed: bool = True,
          narrow: bool = True) -> tuple[list[str], list[str]]:
    """SQL conditions (and their parameters) finding the dossiers `row` whose keys hold every
    folded word.

    A word with a digit may sit anywhere (a piece of a code or a phone number); a word of
    letters starts a word of the key ("an" finds "An Sơn", not every "Văn Quan" of the
    addresses). Words typed together are first looked for together: "nguyen van" finds the
    Nguyễn Văn…, not every Nguyễn living in Văn Quan; only when no key holds them side by side
    are they found in any order ("giap van dong" finds "Đồng Văn Giáp").
    `indexed=False` leaves the full-text index out (the same rows, slower: for comparisons).
    `narrow=False` keeps the index from leading (a list walked along its sort's index, testing
    each key: core.register_search); it still tells once whether the words sit side by side.
    """
    if not words:
        return [], []
    lead, lead_params = _indexed(row, words) if indexed and narrow else ([], [])
    each, each_params = _holds(words, row)
    if len(words) < 2:
        return lead + [each], lead_params + each_params
    joined = " ".join(words)
    together, together_params = _holds([joined], row)
    anywhere, anywhere_params = _holds([joined], "x")
    near, near_params = (fulltext.rows_matching("x.id", [joined]) if indexed else ("1", []))
    # the sub-query does not depend on the row: SQLite runs it once (and stops at a first
    # hit); CASE then tests each row one way only
    return (lead + [f"(CASE WHEN EXISTS (SELECT 1 FROM dossiers x WHERE {near} AND "
                    f"{anywhere}) THEN {together} ELSE {each} END)"],
            lead_params + near_params + anywhere_params + together_params + each_params)


def walk_match(conn, words: Sequence[str], row: str = "d",
               narrow: bool = False, together: bool | None = None) -> tuple[list[str], list[str]]:
    """`match`'s conditions for a list walked along an index (core.register_search): the
    question "does some key hold the words side by side?" answered now, once, so each key
    met is tested alone. (In `match` that question is an IN sub-query, which SQLite fills
    with every key the index finds — 390,000 for "van quan", 0.2–0.5 s.)
    `narrow`: the index leads as in `match` (a list not walked: the due-time sort, Excel).
    `together`: that answer when the caller has it (`HitArms.together`), not asked again."""
    lead, lead_params = _indexed(row, words) if narrow else ([], [])
    if len(words) < 2:
        clauses, values = match(words, row, narrow=False)
        return lead + clauses, lead_params + values
    if together is None:
        together = side_by_side(conn, words)
    sql, values = _holds([" ".join(words)] if together else words, row)
    return lead + [sql], lead_params + values


def side_by_side(conn, words: Sequence[str]) -> bool:
    """Does some key hold the words side by side (`match`'s choice, asked once)? The index's
    candidates, each key computed and tested until one holds them."""
    joined = " ".join(words)
    anywhere, params = _holds([joined], "x")
    return conn.execute(
        f"SELECT 1 FROM {fulltext.TABLE} CROSS JOIN dossiers x ON x.id = {fulltext.TABLE}.rowid "
        f"WHERE {fulltext.TABLE} MATCH ? AND {anywhere} LIMIT 1",
        [fulltext.query([joined])] + params).fetchone() is not None


def _indexed(row: str, words: Sequence[str]) -> tuple[list[str], list[str]]:
    """The full-text index (db.fulltext) narrows the search to the keys holding every trigram
    of every word of three characters or more; the test of each key then decides exactly as
    before on those few rows, so the index changes the speed, never the result. Shorter
    words: the test of each key alone."""
    long_words = [w for w in words if len(w) >= fulltext.MIN_CHARS]
    if not long_words:
        return [], []
    sql, params = fulltext.rows_matching(f"{row}.id", long_words)
    return [sql], params


# ----- the hits from the index (issue 18: a search finding 150,000 dossiers) -------------------
# `match` narrows with the index, then reads every row it keeps in the list's query, each
# query again: at a million dossiers a search finding a commune reads 150,000 rows (1.5 s).
# The hits are found once instead, each word as a substring of the key, spaces included:
# "% an%" (a word of the key starts with "an") is the text " an", "%0368%" the text "0368".
# The index (no positions: db.fulltext) gives the keys holding every trigram of those texts,
# and each candidate's key is computed and tested in the same statement — unless every text is a
# single trigram (" an"), which the index answers exactly. What no text can say is "the key
# starts with the word" ("an%"): a key starts with its dossier's folded code (`dossier_key`),
# so those few keys are found through the code's index and checked as before.


def _is_anywhere(term: str) -> bool:
    return any(ch.isdigit() for ch in term.split(" ")[0])


def _phrase_of(term: str) -> str | None:
    """The substring the index looks for, or None when it is too short for a trigram."""
    text = term if _is_anywhere(term) else " " + term
    return text if len(text) >= fulltext.MIN_CHARS else None


def _cased(ch: str) -> list[str]:
    return [ch, ch.upper()] if ch.upper() != ch else [ch]


def _code_ranges(term: str) -> list[tuple[str, str | None]] | None:
    """Code ranges holding every dossier whose folded code may start with `term` (a superset:
    the test of the key decides). A visible ASCII character folds to its lower case; anything else (a
    space, a mark, a letter outside ASCII) lets the code in whatever follows."""
    first, second = term[0], term[1]
    if not ("!" <= first <= "~" and "!" <= second <= "~"):
        return None
    ranges: list[tuple[str, str | None]] = [("", "!"), ("\x7f", None)]  # not visible ASCII
    for f in _cased(first):
        ranges += [(f, f + "!"), (f + "\x7f", chr(ord(f) + 1))]
        ranges += [(f + c, f + chr(ord(c) + 1)) for c in _cased(second)]
    return ranges


def _starting(terms: Sequence[str]) -> tuple[str, list[str]] | None:
    """The keys starting with one of the terms and holding them all: found by the code's
    index (one range search each, so SQLite never falls back to reading every row), checked
    with the test of each key."""
    ranges: dict[tuple[str, str | None], None] = {}
    for term in terms:
        found = _code_ranges(term)
        if found is None:
            return None
        ranges.update(dict.fromkeys(found))
    arms = " UNION ALL ".join(
        "SELECT id FROM dossiers WHERE code >= ?" + (" AND code < ?" if hi is not None else "")
        for _, hi in ranges)
    params = [v for lo, hi in ranges for v in ((lo, hi) if hi is not None else (lo,))]
    return "SELECT id FROM dossiers WHERE id IN (" + arms + ")", params


class HitArms(NamedTuple):
    """How to find a search's hits: `arms`, SELECTs of ids whose union they are (the first,
    the keys holding the words' texts, may be given a rowid range: `AND rowid …`); and
    `candidates`, the index's own query behind the first arm, unchecked (a superset, as cheap
    as the index: what an estimate of the hits' number reads); `together`: are the words
    looked for side by side (`side_by_side`, which costs a pass over the index's candidates
    when no key holds them so: asked once)."""
    arms: list[tuple[str, list[str]]]
    candidates: tuple[str, list[str]]
    together: bool = False


def _candidates(texts: list[str]) -> tuple[str, list[str]]:
    """The index's candidates for keys holding every text (a superset; a rowid range may be
    added to it: `AND rowid …`)."""
    return (f"SELECT rowid FROM {fulltext.TABLE} WHERE {fulltext.TABLE} MATCH ?",
            [fulltext.query(texts)])


def _holding(texts: list[str]) -> tuple[str, list[str]]:
    """The keys holding every text: the index's candidates, each key tested (computed from its row,
    read by its rowid) unless the index is exact; a rowid range may still be added."""
    sql, params = _candidates(texts)
    if fulltext.exact(texts):
        return sql, params
    return (f"{sql} AND EXISTS (SELECT 1 FROM dossiers k WHERE k.id = {fulltext.TABLE}.rowid "
            f"AND {searchtext.holds_sql('k')})",
            params + [searchtext.spec([(True, text) for text in texts])])


def _arms(terms: Sequence[str]) -> HitArms | None:
    """SELECTs of ids whose union is the keys holding every term as `_holds` says: the
    keys holding the terms' texts (`_holding`), and the keys starting with a term (the code's
    index, then the test). None if a term is too short or too strange for the index."""
    found = [_phrase_of(t) for t in terms]
    texts = [p for p in found if p is not None]
    if len(texts) < len(found):
        return None
    arms = [_holding(texts)]
    starts = [t for t in terms if not _is_anywhere(t)]
    if not starts:
        return HitArms(arms, _candidates(texts))
    starting = _starting(starts)
    if starting is None:
        return None
    holds, holds_params = _holds(terms, "dossiers")
    arms.append((f"{starting[0]} AND {holds}", starting[1] + holds_params))
    return HitArms(arms, _candidates(texts))


# The dossiers re-coded at an exchange import from a sender's code (core.exchange.recode): a
# search for that code (one word, typed whole) finds them beside the one holding it here —
# through the indexes only (the register's search: `fill_hits`, core.register_search), not
# `match`'s conditions, whose index-led plans an OR would turn into a scan.
RECODED_SQL = ("SELECT id FROM dossiers WHERE code IN (SELECT local_code FROM code_aliases "
               "WHERE sender_code = ?)")


def recoded_any(conn) -> bool:
    """Was any dossier re-coded here (a file of a schema before 24 has no such table)?"""
    try:
        return conn.execute("SELECT 1 FROM code_aliases LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def _any(conn, arms: list[tuple[str, list[str]]]) -> bool:
    return any(conn.execute(f"{sql} LIMIT 1", params).fetchone() for sql, params in arms)


def hit_arms(conn, words: Sequence[str]) -> HitArms | None:
    """The SELECTs whose union is what `match(words)` finds, through the indexes (`HitArms`):
    the keys holding the words (the full-text index's candidates, their keys checked), then
    the keys starting with a word. None when a word is too short for the index: `match` then."""
    if not words:
        return None
    found = _arms(words)
    if found is None:
        return None
    if len(words) == 1 and recoded_any(conn):  # a code typed whole: those re-coded from it
        found = found._replace(arms=[*found.arms, (RECODED_SQL, [words[0].upper()])])
    if len(words) > 1:  # side by side when some key holds them so, else in any order (`match`)
        together = _arms([" ".join(words)])
        if together is None:
            return None
        if _any(conn, together.arms):
            found = together._replace(together=True)
    return found


def fill_hits(conn, table: str, words: Sequence[str]) -> bool:
    """Put into `table(id INTEGER PRIMARY KEY)` the ids `match(words)` finds, through the
    indexes (only the candidates' keys read). False (and nothing written) when a word is too
    short for the index: `match` then. The same rows as `match` (tests/core/test_search_hits.py)."""
    found = hit_arms(conn, words)
    if found is None:
        return False
    for sql, params in found.arms:
        conn.execute(f"INSERT OR IGNORE INTO {table}(id) {sql}", params)
    return True


def mark_current(conn) -> None:
    """Say in the database that its keys have the current format (inside a transaction)."""
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 [KEY_SETTING, json.dumps(KEY_FORMAT)])


def is_current(db) -> bool:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [KEY_SETTING]).fetchone()
    return row is not None and str(row[0]) == json.dumps(KEY_FORMAT)


def rebuild_all(db, progress: Callable[[int, int], bool] | None = None) -> None:
    """The index of every dossier's key in the current format, and the marker saying so (one
    transaction). `progress(done, total)` as in core.facts.rebuild_all: False cancels,
    nothing is changed."""
    with transaction(db) as conn:
        conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}) VALUES ('delete-all')")
        fulltext.fill_computed(conn, progress)
        mark_current(conn)


def rebuild_if_old(db, progress: Callable[[int, int], bool] | None = None) -> bool:
    """Rebuild the index of a database written by an older version; True if it did."""
    if is_current(db):
        return False
    rebuild_all(db, progress)
    return True
