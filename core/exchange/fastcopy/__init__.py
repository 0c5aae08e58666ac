"""A package part that is a MotCua database, copied into the centre by SQLite (issue 16 §3).

Package format 3 (branch pkg3) carries its rows as a MotCua database file of the same schema
(23): the package's dossiers with every child row and its votes, in the program's own tables,
with the sender's ids. A centre's month-end merge meets mostly dossiers it has never seen; for
those this module replaces the record-by-record path (merge._Merger → store.Store.insert_new,
checks.check_dossier, db.chain.append) by INSERT … SELECT statements, with no Python per row
except the chain's SHA-256, the kpi marks of kept facts and the copied dossiers' search keys
(all three in a second process, `Copier`) and the ledger's row hashes (db.ledger); each event's
stored hash is taken in SQL from the second process's hashes laid out by the event's id
(`_chain_job`), whose events' content it encoded a part ahead (`_tails_job`: only the SHA-256
is left in series, the part's chain needing the head the part before left).

MODULES (one responsibility each; the names below are theirs)
    conditions   checks' rules as SQL conditions on a part's rows (the screen's pieces)
    constraints  the schema's CHECKs evaluated by the screen, not again by the INSERTs
    screening    the screen (`_screen_part`, `_with_known`, `screen`) and the judge (`_judge`)
    partdb       connections of their own to a part's file
    written      the tables and columns the copy writes, in Store.insert_new's order
    copy_part    one part's copy (`_Copy.run`: plan, dossiers, children, derived data)
    events       its events' step (words, the chain's stored hashes, marks)
    votes        its votes' step, and the Copier's copy of the stored walk-in votes
    chain_jobs   second process: the events' tails and chain (`_tails_job`, `_chain_job`)
    facts_job    second process: the kept facts and their kpi marks (`_facts_job`)
    keys         second process: the search keys (`_keys_job`), and the Copier's side
    jobs         how the Copier runs jobs (second process or here, now or later)
    ahead        what the Copier starts a part ahead (screens, chains, tails)
    ledger_sums  the ledger's sums of the rows copied (a thread, `_ledger_job`)
    copier       Copier (the parts of one operation) and copy_new (one part)

CONTRACT (pkg3 wires it into merge._Run; nothing else calls it)

    # the operation's parts, one after the other (a second process overlaps them):
    with Copier(conn, delta=run.delta, refresh=run.refresh, progress=progress) as copier:
        copier.ahead(the parts' files, in that order)    # optional: screened a part ahead
        with fulltext.deferred(conn, new_from=first_new, given=copier.given_keys):
            for each part k, in the operation's order:
                (merge part k's catalogue)
                copied = copier.copy(f"part{k}", now=now, fast=fast,
                                     senders=actor_names.vote_ranges(conn, sender))
                (the existing path for copied.left_dossiers and copied.left_votes)
            # leaving it: the search index filled, the copied keys from the second process
        # leaving the block normally: copier.finish() applies the facts read, stops the process
    facts.write_kpi_rows(conn, run.delta); facts.refresh(db, run.refresh)   # _Run.write_facts

    # one part alone, all in this process:
    copied = copy_new(conn, "part", now=now, fast=fast, delta=run.delta, refresh=run.refresh,
                      progress=progress)

bench/fastcopy_parts.py (merge_parts) is that wiring, minus the existing path for what is
left, and is what tests/core/exchange/test_fastcopy.py compares with merge.import_packages.

- `conn`: the centre's connection, INSIDE the caller's transaction (merge.import_packages'
  `transaction(db)`), and inside the same contexts the existing path runs in:
  `bulk_path.indexes_dropped(conn, bulk)` (optional) and `fulltext.deferred(conn,
  new_from=first_new, given=copier.given_keys)` INSIDE the Copier's block — the copied
  dossiers are indexed by `deferred`'s fill at its end with the others, their keys computed
  by the second process (`_keys_job`: the view's own SQL and function on the part's rows,
  with the centre's unit names as they stand after the part's catalogue), but those that may
  have changed since (a unit of theirs renamed, added or gone by a later part's catalogue or
  a clerk's choice; a key column a later part's records changed), which the view computes
  there as it does the existing path's: the index is the view's (`deferred` without `given`:
  all by the view, as before); `facts.write_kpi_rows(conn, delta)` and
  `facts.refresh(db, refresh)` run after, as `_Run.write_facts` does.
- The part is ATTACHed under the schema name given (here "part") and verified by the caller
  as a well-formed MotCua database of schema 23 (checksum, quick_check, exact sqlite_master).
  The screen evaluates the CHECK constraints of the tables the copy writes on the part's rows,
  which the copy's INSERTs therefore do not evaluate again (`_checks_proven`).
  SQLite cannot DETACH a schema read inside an open transaction ("database part is locked")
  and this build allows at most 10 attached schemas (MAX_ATTACHED=10, `PRAGMA
  compile_options`): attached as files, ONE transaction holds at most 10 parts, each under its
  own name. merge._Run instead attaches ONE in-memory schema and gives it each part's verified
  bytes in turn (`Connection.deserialize(data, name=…)`, allowed inside the transaction): then
  `copy(…, path=the part's file)`, the file the second process and the judge read (an
  in-memory schema has no path in `PRAGMA database_list`). No cursor on the schema may be left
  open when the next part's bytes replace it (this module leaves none).
- The ledger's sums of the rows a copy writes are made in a thread (`_ledger_job`) and added by
  `Copier.settle`, and the stored walk-in votes are kept in a temp copy (`Copier.walk_ins`):
  anything but the copy that writes the ledger's tables or the votes during the operation (the
  existing path) must come after `settle` — `copy` calls it when it leaves something,
  merge._Merger._copy_new when a part is not copied, `finish` at the end.
- The package's catalogue is merged before the call (as _Merger.run does before its
  dossiers: units, procedures and calendar the centre lacks, and the rows the clerk took):
  units and procedures are checked against the centre's tables as they then stand.
- `fast`: records.rules_fingerprint(conn) == the manifest's "rules_fingerprint", taken
  after the catalogue merge (as _Merger.run). True: each dossier keeps the sender's due time,
  facts and kpi_irregular (a facts text store.Store would write differently is written as it
  would), and its kpi marks go into `delta`; False (or no facts): they are left empty and the
  dossier's id is appended to `refresh`, computed by facts.refresh at the end (as the
  existing path does).
- `now`: the import's moment, 'YYYY-MM-DD HH:MM:SS' (created_at and updated_at of the rows).
- `delta` (Counter) and `refresh` (list) are the operation's shared ones (_Run.delta/.refresh):
  kpi marks of kept facts and of the copied votes are added to `delta`.
- `progress(done, total)`: called between statements with this part's dossiers (done of
  total; wrap it with the operation's offset as _Run._merge_one does); returning False raises
  InterruptedError("import cancelled"), which the caller's transaction rolls back (the
  Copier's exit stops the second process on any exception).
- The second process (multiprocessing, spawned: never forked from a process running Qt, as
  core.demo) reads the part FILE by its path (PRAGMA database_list), read-only: the part
  must not change during the operation. The built program (PyInstaller) spawns itself
  (main.py's freeze_support; its `selftest` proves it); `Copier(processes=False)` does the
  same work in this process, in turn. The keys it computes go to the main process through a
  file of their own a part (one a line, deflated: KEYS_LEVEL; in the temporary folder under
  the rows parts' prefix: `package.sweep_stale_parts` removes a crashed run's), read at the
  fill and removed: the main process holds none in memory meanwhile (1,000,000 keys ~130 MB).
  A part's file is needed till its jobs end (`Copier.use`, `busy`): merge._Run removes it
  then, long before the operation's end (`Copier.done_with`, `give`, `wait_for`).

What it copies: every dossier of the part whose code the centre does not hold, in the part's id
order (the order of the package's export), with its waits, extension, payments, components,
complaints and events, and the part's votes on those dossiers plus its votes without a
dossier that no vote the centre holds could match (core.exchange.merge._votes: identical
stored walk-in votes are matched, not added — only those the sender's own earlier packages
brought, `senders`: two counters' same-moment votes are two). Ids: the centre's next ones, in that order, as
Store.insert_new would give them. Events: the centre's event_words codes (new words added in
the order the existing path adds them), details shapes re-coded, hashed into the chain after the
centre's head (db.chain: the same bytes, full hashes, stored prefixes, marks, the head
recorded). The ledger (db.ledger) of supplements, extensions, payments and votes is added to.

What it leaves (returned, in the part's order) for the existing path, which must run AFTER it
for the same part: `left_dossiers`, the part's dossier ids whose code the centre already holds
(identical, changed, conflicts: compare.classify decides), those the part carries an alias of
(its code_aliases: a dossier the centre may hold under another code, core.exchange.recode
.recognise), or whose stored form this module does
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
test_fastcopy.py runs both over the same bad records). The screen is in two: the part's own
rules (`_screen_part`), run on a connection of its own to the part's file, in a thread a part
ahead when the caller names the parts (`Copier.ahead`: their files must be there and unchanged
from then on), and the codes the centre's catalogue must hold (`_with_known`), tested by the
main thread against the catalogue as the part's own merge has just left it. An error the
screen's thread meets is raised by `copy` as it was raised there; a cancel or any error stops
it (`close`: its statement interrupted, its connection closed, the thread waited for).

Returns Copied(dossiers, votes, left_dossiers, left_votes, first_id, last_id).
"""

from __future__ import annotations

from core.exchange.fastcopy.copier import Copier, copy_new
from core.exchange.fastcopy.copy_part import DEFERRED, DEFERRED_TABLE, Copied, Progress
from core.exchange.fastcopy.screening import screen

__all__ = ["DEFERRED", "DEFERRED_TABLE", "Copied", "Copier", "Progress", "copy_new", "screen"]
