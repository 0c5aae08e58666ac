"""A package part that is a MotCua database, copied into the centre by SQLite (issue 16 §3).

Package format 3 (branch pkg3) carries its rows as a MotCua database file of the same schema
(23): the package's dossiers with every child row and its votes, in the program's own tables,
with the sender's ids. A centre's month-end merge meets mostly dossiers it has never seen; for
those this module replaces the record-by-record path (merge._Merger → store.Store.insert_new,
checks.check_dossier, db.chain.append) by INSERT … SELECT statements, with no Python per row
except the chain's SHA-256, the kpi marks of kept facts and the ledger's row hashes.

CONTRACT (pkg3 wires it into merge._Run; nothing else calls it)

    copied = copy_new(conn, "part", now=now, fast=fast, delta=run.delta, refresh=run.refresh,
                      progress=progress)

- `conn`: the centre's connection, INSIDE the caller's transaction (merge.import_packages'
  `transaction(db)`), and inside the same contexts the existing path runs in:
  `bulk_path.indexes_dropped(conn, bulk)` (optional) and `fulltext.deferred(conn,
  new_from=first_new)` — the copied dossiers get their search keys from `deferred`'s fill at
  its end exactly as the existing path's do; `facts.write_kpi_rows(conn, delta)` and
  `facts.refresh(db, refresh)` run after, as `_Run.write_facts` does.
- The part is ATTACHed under the schema name given (here "part") and verified by the caller
  as a well-formed MotCua database of schema 23 (checksum, quick_check, exact sqlite_master).
  SQLite cannot DETACH a schema read inside an open transaction ("database part is locked")
  and this build allows at most 10 attached schemas (MAX_ATTACHED=10, `PRAGMA
  compile_options`): ONE transaction holds at most 10 parts. Attach each under its own name.
- The package's catalogue is merged before the call (as _Merger.run does before its
  dossiers: units, procedures and calendar the centre lacks, and the rows the clerk took):
  units and procedures are checked against the centre's tables as they then stand.
- `fast`: records.rules_fingerprint(conn, VERSION) == the manifest's "rules_fingerprint", taken
  after the catalogue merge (as _Merger.run). True: each dossier keeps the sender's due time,
  facts and kpi_irregular (a facts text store.Store would write differently is written as it
  would), and its kpi marks go into `delta`; False (or no facts): they are left empty and the
  dossier's id is appended to `refresh`, computed by facts.refresh at the end (as the
  existing path does).
- `now`: the import's moment, 'YYYY-MM-DD HH:MM:SS' (created_at and updated_at of the rows).
- `delta` (Counter) and `refresh` (list) are the operation's shared ones (_Run.delta/.refresh):
  kpi marks of kept facts and of the copied votes are added to `delta`.
- `progress(done, total)`: called between statements; returning False raises
  InterruptedError("import cancelled"), which the caller's transaction rolls back.

What it copies: every dossier of the part whose code the centre does not hold, in the part's id
order (the order of the package's export), with its waits, extension, payments, components,
complaints and events, and the part's votes on those dossiers plus its votes without a
dossier that no vote the centre holds could match (core.exchange.merge._votes: identical
stored walk-in votes are matched, not added). Ids: the centre's next ones, in that order, as
Store.insert_new would give them. Events: the centre's event_words codes (new words added in
the order the existing path adds them), details shapes re-coded, hashed into the chain after the
centre's head (db.chain: the same bytes, full hashes, stored prefixes, marks, the head
recorded). The ledger (db.ledger) of supplements, extensions, payments and votes is added to.

What it leaves (returned, in the part's order) for the existing path, which must run AFTER it
for the same part: `left_dossiers`, the part's dossier ids whose code the centre already holds
(identical, changed, conflicts: compare.classify decides) or whose stored form this module does
not copy (see `screen`: a record checks.check_dossier accepts but whose rows are not in the form
MotCua writes, e.g. a moment kept as text); `left_votes`, the part's vote ids on those dossiers,
and the walk-in votes identical to one the centre holds. When something is left, the centre's
chain has the copied events before the left ones' (valid, `check` clean, but another head than
the all-Python merge, which interleaves them in batches of 2,000).

Errors: the first bad record of the part (every dossier, in part order, then every vote, as the
existing path reads them) raises checks.BadRecord with the message checks.check_dossier (or
check_vote) gives for it, prefixed with the dossier's code: the rules are checked in SQL as a
screen (`screen`, built from the same constants), and each record the screen flags is judged by
the Python checks themselves, so the verdict and its words are theirs (tests/core/exchange/
test_fastcopy.py runs both over the same bad records).

Returns Copied(dossiers, votes, left_dossiers, left_votes, first_id, last_id).
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from core import facts
from core.exchange import checks, records
from core.exchange.merge import BATCH
from core.limits import CONTROL
from db import chain, events_codec, facts_codec, ledger
from db.moments import to_stored
from db.schema import CHANNELS, COMPLAINT_CHANNELS, PAYMENT_METHODS, RATINGS, STATUSES

Progress = Callable[[int, int], object]


@dataclass
class Copied:
    dossiers: int = 0
    votes: int = 0
    left_dossiers: list[int] = field(default_factory=list)
    left_votes: list[int] = field(default_factory=list)
    first_id: int | None = None   # the centre's ids given to the copied dossiers
    last_id: int | None = None
