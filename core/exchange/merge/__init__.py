"""Importing a package (spec 9): verify, preview, and merge all of it in one transaction.

    result = import_package(db, "xa-dong-giap.zip", dry_run=True)      # the preview
    result = import_package(db, path, conflicts="keep"|"theirs"|None, choices={code: …})
    batch = import_packages(db, paths, versions={code: "here" | a package's file name})

The package is verified whole first (members, sizes, checksums, manifest: core.exchange.package;
of several, the first, the others in threads a few ahead of their merge: `_Opening`).
Then everything runs in one transaction: the catalogue rows this installation lacks, each
dossier classified (core.exchange.compare) and written, the votes, the facts. A dry run, a
conflict without a choice, a bad record or a cancel roll it all back: nothing is written.
Importing the same package again finds everything identical and writes nothing.

Several packages of one operation may bring the same code in versions that are not one line of
history (two counters, or a commune and the centre, went on differently with one dossier):
neither `conflicts` nor a per-code keep/theirs decides such a code (taken in turn, the last
package given would win). The clerk picks this installation's version or exactly ONE package's
(`versions`); every record of such a code is set aside in its package's turn and the chosen
version applied at the end, from this installation's as it stood: the same whatever the order
of the packages (`_Run.resolve`). Such a code is found while merging (`_Run.flagged`): the
operation then runs again with it set aside, so the preview lists every version of it
(BatchResult.crossed).

MODULES (one responsibility each; the order an import goes through them)
    operation       import_package, import_packages: the one transaction, the passes again
    options         the choices' words, a package given twice, the versions by identity
    previewed       the import written is the one previewed
    opening         the packages opened and verified a few ahead (_Opening), merge_order
    room            the disks' room checked up front; how many merged parts may wait
    results         ExchangeResult, BatchResult, package_labels
    terms           the progress callback, keep/theirs/both, what a record may change
    run             _Run: the packages merged in turn, each part for the SQL copy, the facts;
                    built of
      run_state       the operation's state and how it names a package
      part_files      the merged parts' files released and swept
      lines           the codes' lines of history met in turn (crossing, note, count_lines)
      resolving       the codes set aside decided at the end (resolve), built of
        keep_both       the clashes kept both, written at the end with their votes
        choosing        a code's versions listed, the chosen one applied
        writing         a record written or left at the end, counted and remembered
    merger          _Merger: one package in its turn, built of
      merger_state    the turn's state
      catalogue_rows  the catalogue rows added, named, taken
      batches         the records read in batches (BATCH), of
        dossiers        the dossiers copied by SQL or read under their codes here
        outcomes        each record against this installation's, conflicts decided
        votes           the votes matched, set aside, carried or left out

A test patches a knob in the module that reads it (review23 S2): FAST_COPY, SECOND_PROCESS_MIN,
DESERIALIZE_MAX, ATTACH_MAX and _load in `run`; BATCH in `batches` (fastcopy's events read it
there too); OPENERS and PackageReader in `opening`; _check_room in `operation`; move_note in
`keep_both`. CONFLICTS_SHOWN is read in `results`, `previewed`, `writing`, `outcomes` and here
(core.exchange.ready reads `merge.CONFLICTS_SHOWN`): a test patches all five. The other knobs
are not named here, so a patch of `core.exchange.merge.FAST_COPY` fails (monkeypatch finds no
such name) instead of silently changing nothing. The classes are named here: a method patched
or wrapped on `merge._Run`, `_Merger` or `_Opening` takes effect wherever the class is used.
"""
from __future__ import annotations

from core.exchange.merge.merger import _Merger
from core.exchange.merge.opening import _Opening, merge_order
from core.exchange.merge.operation import import_package, import_packages
from core.exchange.merge.options import twice_text
from core.exchange.merge.previewed import as_previewed, still_as_previewed
from core.exchange.merge.results import (
    CONFLICTS_SHOWN,
    BatchResult,
    ExchangeResult,
    package_labels,
)
from core.exchange.merge.run import _Run
from core.exchange.merge.terms import BOTH, KEEP, THEIRS

__all__ = ["BOTH", "CONFLICTS_SHOWN", "KEEP", "THEIRS", "BatchResult", "ExchangeResult",
           "_Merger", "_Opening", "_Run", "as_previewed", "import_package", "import_packages", "merge_order",
           "package_labels", "still_as_previewed", "twice_text"]
