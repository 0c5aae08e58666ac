"""The rows of one generated chunk (core.demo.chunk makes them), and their packing as bytes for
the writing process (core.demo.writer stores them)."""
from __future__ import annotations

import marshal
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Rows:
    """The rows of one chunk, ready for executemany, and its share of kpi_daily."""

    first_id: int
    dossiers: list = field(default_factory=list)
    # one tuple an event while the chunk is made, then columns for db.chain.append_tails:
    # dossier ids, encoded tails, at, actor, action, from, to, reason, details
    events: list = field(default_factory=list)
    supplements: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    votes: list = field(default_factory=list)
    complaints: list = field(default_factory=list)
    # (id, search key) of each dossier, for the index (db.fulltext `index_keys`): the key is
    # not stored (schema 21) but made here, in the generating process, its syllables folded once
    keys: list = field(default_factory=list)
    counters: list = field(default_factory=list)
    kpi: Counter = field(default_factory=Counter)


EVENT_COLUMNS = 9
_PACKED = ("dossiers", "events", "supplements", "extensions", "payments", "votes", "complaints",
           "keys", "counters")


def pack(rows: Rows) -> bytes:
    """One chunk as bytes for the writing process: marshal writes these lists of tuples of
    text and numbers several times quicker than pickle, and reads them back quicker too."""
    return marshal.dumps((rows.first_id, [getattr(rows, name) for name in _PACKED],
                          dict(rows.kpi)))


def unpack(blob: bytes) -> Rows:
    first_id, parts, kpi = marshal.loads(blob)
    rows = Rows(first_id, kpi=Counter(kpi))
    for name, part in zip(_PACKED, parts, strict=True):
        setattr(rows, name, part)
    return rows
