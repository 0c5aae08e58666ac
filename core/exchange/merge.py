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
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import functools
import json
import mmap
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core import actor_names, facts, fees, history, timefmt
from core.accounts import require
from core.calendar import WorkCalendar, load_calendar
from core.errors import InputError
from core.exchange import bulk as bulk_path
from core.exchange import catalogue as cat
from core.exchange import (
    checks,
    compare,
    fastcopy,
    passes,
    phases,
    recode,
    records,
    replaced,
    slots,
    space,
)
from core.exchange.decide import older_choice_text
from core.exchange.moved import move_note
from core.exchange.package import ROWS_PART, PackageReader, package_ident, parts_of
from core.exchange.store import ChoiceBook, Store, sender_key
from core.moment import chunks, marks
from core.version import VERSION
from db import actor as actors
from db import fulltext
from db.connection import transaction

Progress = Callable[[int, int], object]
BATCH = 2000
KEEP, THEIRS, BOTH = "keep", "theirs", recode.BOTH
# what a package record may change here (the others leave this installation's as it is)
LIVE = (compare.NEW, compare.CHANGED, compare.CONFLICT)
CONFLICTS_SHOWN = 500
# Format 3: the dossiers of a rows part the centre does not hold are copied by SQLite
# (core.exchange.fastcopy), the rest go the records' way. SQLite attaches at most 10 databases
# to a connection (MAX_ATTACHED) and cannot detach one read in an open transaction, so the parts
# are not attached as files: ONE in-memory schema (MEMORY_SCHEMA) is attached once an operation
# and each part's verified bytes are deserialized into it in turn (the previous part's memory
# freed as the next replaces it, an empty database's at the end): every part of an operation
# goes the SQL way, one part in memory at a time.
FAST_COPY = True
MEMORY_SCHEMA = "motcua_goi"
# A part bigger than this is not read into memory (it is attached as a file while slots last,
# ATTACH_MAX, then goes the records' way). 512 MB: 30 times a 20,000-dossier month's part
# (17.3 MB, docs/speed.md), so a part of ~500,000 dossiers still goes in memory, and at most a
# quarter of the 2 GB an office PC of the target machines has free beside the program and the
# centre's page cache (bulk.BULK_CACHE_KIB); SQLite holds the one copy (the file is mapped, not
# read into Python), freed before the next part.
DESERIALIZE_MAX = 512 * 1024 * 1024
ATTACH_MAX = 10
# The fast path hashes the chain in a second process (fastcopy.Copier) when the operation is
# big enough to pay for starting one (a spawned Python importing the program: ~1 s)
SECOND_PROCESS_MIN = 50_000
# The packages of an operation are opened and verified this many at a time (threads: the
# checks run in zlib, hashlib and SQLite, outside Python's lock); the machines have 2 cores
OPENERS = 2
# … at most this many packages past the one being merged (each a ~18 MB part file extracted
# ahead of the copy for 20,000 dossiers, and its checks' memory while they run)
AHEAD = 3
POLL_SECONDS = 0.1  # a wait for a package's verification asks the progress (the clerk's Huỷ)
# A merged part's file is removed as soon as no job of the copier reads it (`_Run.release`).
# The jobs kept for later (the search keys, the kept facts: fastcopy.Copier.later) wait for
# the end of the parts when the second process is behind, their files with them (49 of 50
# parts at a load of 10). When the temporary folder's disk has not the room for every part
# (space.check_room), more than HELD_MOST merged parts' files waiting for them have the
# oldest one's given to the second process at once, and more than HELD_MAX (plus the parts
# the room left allows) make the merge wait for them: the folder then holds at most
# AHEAD + 2 + HELD_MAX parts (the one merging, those verified ahead, those held). With room
# for all, the jobs keep their order (waiting cost 10 % of the wall at a load of 8,
# docs/speed.md, sixteenth round).
HELD_MOST = 1
HELD_MAX = 3


@dataclass
class ExchangeResult:
    path: str
    manifest: dict
    dry_run: bool
    dossiers: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    catalogue: Counter = field(default_factory=Counter)
    conflicts: list[compare.Conflict] = field(default_factory=list)
    conflict_count: int = 0
    clashes: int = 0     # of the conflicts: two different dossiers under one code
    crossed: int = 0     # of the conflicts: codes several packages bring (BatchResult.crossed)
    crossed_resolved: int = 0  # … of those, the ones a version was chosen for (in `resolved`)
    resolved: Counter = field(default_factory=Counter)   # keep / theirs
    catalogue_diffs: list[cat.CatalogueDiff] = field(default_factory=list)
    catalogue_taken: list[str] = field(default_factory=list)   # items taken from the package
    warnings: list[str] = field(default_factory=list)
    fast: bool = False
    written: bool = False
    new_ids: tuple[int, int] | None = None  # the ids its new dossiers got (first, last)
    ident: str = ""  # the package's identity (core.exchange.package.package_ident)
    # clashes kept here at an earlier import (this installation's dossier kept, the other
    # citizen's left out) that the package still brings: named "both" (--choose MÃ=both, the
    # window's list of codes chosen before) they come in under a new code (recode)
    reopenable: list[compare.Conflict] = field(default_factory=list)
    reopened: int = 0  # … of those, the ones reopened by this operation (conflicts again)
    # the package given before it in the operation that it is (the same file, or a copy under
    # another name: `_twice`): merged again, it adds nothing and is counted once, as that one
    same_as: str = ""
    # a preview's "Giữ cả hai" this installation may issue no code for: the import's refusal
    refused_both: str = ""  # in its words (recode.issuing_refused; read by core.exchange.ready)

    @property
    def pending(self) -> bool:
        """Conflicts met without a choice: nothing was written; ask the clerk."""
        return self.conflict_count > sum(self.resolved.values())


class _Taught(Exception):
    """A package's aliases name a sender of a package merged before it (recode.teaching): the
    operation again from its start, those known before its first package (`_Run.taught`)."""

    def __init__(self, found: dict[tuple[str, str], tuple[str, int, dict]]):
        super().__init__("aliases taught by a later package")
        self.found = found


class _Rollback(Exception):
    """Leave the transaction without keeping anything (a dry run, conflicts to choose)."""


def import_package(db, path: str | Path, *, dry_run: bool = False, conflicts: str | None = None,
                   choices: dict[str, str] | None = None, progress: Progress | None = None,
                   catalogue: str | None = None,
                   catalogue_choices: dict[str, str] | None = None,
                   bulk: bool | None = None, clashes: str | None = None) -> ExchangeResult:
    """Preview (dry_run) or merge a package. `conflicts`: the choice for every conflict;
    `choices`: per dossier code, overriding it. Unresolved conflicts write nothing.
    `catalogue` ("ours"/"theirs", default ours) and `catalogue_choices` (per item, "units:X01")
    decide the catalogue rows the package holds differently (core.exchange.catalogue).
    `bulk`: force the bulk path (True) or the row path (False); None chooses (core.exchange.bulk).
    `clashes`: the choice for every clash (two different dossiers under one code), "both"
    keeping both (core.exchange.recode); None: as `conflicts`."""
    return import_packages(db, [path], dry_run=dry_run, conflicts=conflicts, choices=choices,
                           progress=progress, catalogue=catalogue,
                           catalogue_choices=catalogue_choices, bulk=bulk,
                           clashes=clashes).results[0]


@dataclass
class BatchResult:
    """Several packages merged in one operation: one ExchangeResult each, one transaction.
    `crossed`: the codes several packages bring in versions not on one line of history, each
    with every version (compare.Crossed), to be chosen one by one (`versions`)."""
    results: list[ExchangeResult]
    dry_run: bool
    bulk: bool = False
    written: bool = False
    crossed: list[compare.Crossed] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return any(r.pending for r in self.results) or \
            any(c.chosen is None for c in self.crossed)

    def total(self, name: str) -> Counter:
        """The sum over the packages of one Counter of theirs ("dossiers", "votes" …)."""
        out: Counter = Counter()
        for result in self.counted:
            out.update(getattr(result, name))
        return out

    @property
    def counted(self) -> list[ExchangeResult]:
        """The packages the totals add up: a package given twice once (`same_as`)."""
        return [r for r in self.results if not r.same_as]

    def combined(self) -> ExchangeResult:
        """All packages as one result (totals, every warning, conflict and differing catalogue
        row once), for a preview or a summary of the whole operation."""
        if len(self.results) == 1:
            return self.results[0]
        out = ExchangeResult(f"{len(self.results)} gói", {}, self.dry_run, self.total("dossiers"),
                             self.total("votes"), self.total("catalogue"))
        seen: set[str] = set()
        for result, name in zip(self.results, package_labels(self.results), strict=True):
            out.warnings += [f"{name}: {w}" for w in result.warnings]
            out.refused_both = out.refused_both or result.refused_both  # (one operation's)
            if result.same_as:  # its counts and conflicts are the first one's: said once
                continue
            out.conflicts += [dataclasses.replace(c, package=name) for c in
                              result.conflicts[:CONFLICTS_SHOWN - len(out.conflicts)]]
            out.reopenable += [dataclasses.replace(c, package=name) for c in
                               result.reopenable[:CONFLICTS_SHOWN - len(out.reopenable)]]
            out.reopened += result.reopened
            out.conflict_count += result.conflict_count
            out.clashes += result.clashes
            out.crossed += result.crossed
            out.crossed_resolved += result.crossed_resolved
            out.resolved.update(result.resolved)
            out.catalogue_diffs += [d for d in result.catalogue_diffs if d.item not in seen]
            seen |= {d.item for d in result.catalogue_diffs}
            out.catalogue_taken += [i for i in result.catalogue_taken if i not in out.catalogue_taken]
        out.written = self.written
        return out


def package_labels(results: list[ExchangeResult]) -> list[str]:
    """Each package of an operation as the clerk reads it everywhere (the preview's lists, the
    versions, the messages): its file name, and its identity when another package of the
    operation has that name (two folders' "quay-1.zip": "quay-1.zip (gói 4f1a2b3c)")."""
    names = [Path(r.path).name for r in results]
    return [name if names.count(name) == 1 or not result.ident else
            compare.package_named(name, result.ident)
            for name, result in zip(names, results, strict=True)]


def _check_options(conflicts: str | None, catalogue: str | None,
                   catalogue_choices: dict[str, str] | None, clashes: str | None = None,
                   choices: dict[str, str] | None = None) -> None:
    if conflicts not in (None, KEEP, THEIRS):
        raise InputError(f"Cách xử lý xung đột {conflicts!r} không hợp lệ: chọn keep hoặc theirs.")
    for choice in [clashes, *(choices or {}).values()]:
        if choice not in (None, KEEP, THEIRS, *recode.CHOICES_BOTH):
            raise InputError(f"Cách xử lý xung đột {choice!r} không hợp lệ: chọn keep, theirs "
                             "hoặc both (hai hồ sơ khác nhau cùng mã: giữ cả hai; both+theirs: giữ cả "
                             "hai và lấy theo gói bản của chính hồ sơ máy này).")
    for choice in [catalogue, *(catalogue_choices or {}).values()]:
        if choice not in (None, cat.OURS, cat.THEIRS):
            raise InputError(f"Cách xử lý danh mục khác nhau {choice!r} không hợp lệ: chọn ours "
                             "hoặc theirs.")


def _twice(paths: list[Path], readers: list[PackageReader]) -> dict[int, tuple[str, str]]:
    """Packages chosen again (the same file, or a copy under another name: the same manifest,
    checksums and all), by position: the package given first that each is, and the note it
    gets. Merging one again changes nothing (spec 9), so it is merged (nothing more written)
    and counted ONCE: its counts are left out of the operation's totals (ExchangeResult
    .same_as), which say what is written — "Cộng 2 gói" added 43 + 43 clashes for the same
    rows (round 21)."""
    seen: dict[str, Path] = {}
    out = {}
    for index, (path, reader) in enumerate(zip(paths, readers, strict=True)):
        key = json.dumps(reader.manifest.data, sort_keys=True, ensure_ascii=False)
        if key in seen:
            same = "" if seen[key].resolve() == path.resolve() else \
                f" ({path.name} là bản sao của {seen[key].name})"
            out[index] = (str(seen[key]), twice_text(seen[key].name, same))
        else:
            seen[key] = path
    return out


def twice_text(name: str, same: str = "") -> str:
    return (f"Gói {name} được đưa hai lần{same}: chỉ tính một lần (lần sau không ghi thêm gì "
            "và không được cộng vào tổng).")


def _chosen_packages(versions: dict[str, str], paths: list[Path],
                     results: list[ExchangeResult]) -> dict[str, str]:
    """The version choices with each package named by its identity (ExchangeResult.ident):
    given as that identity, as the path given, or as the file name of one package only (two
    packages of one name in two folders, or a file renamed since the preview, are told
    apart by their identity)."""
    out = {}
    idents = [r.ident for r in results]
    listed = ", ".join(f"{p.name} (gói {i})" for p, i in zip(paths, idents, strict=True))
    for code, choice in versions.items():
        if choice == compare.HERE or choice in idents:
            out[code] = choice
            continue
        given = {i for p, i in zip(paths, idents, strict=True) if str(p) == str(choice)}
        named = {i for p, i in zip(paths, idents, strict=True) if p.name == choice}
        if len(given) == 1 or len(named) == 1:
            out[code] = next(iter(given or named))
            continue
        if named:
            raise InputError(f"Chọn phiên bản cho hồ sơ {code}: {len(named)} gói khác nhau cùng "
                             f"tên {choice} (gói {', '.join(sorted(named))}); chọn bằng số hiệu "
                             f"gói, ví dụ {code}={min(named)}.")
        raise InputError(f"Chọn phiên bản cho hồ sơ {code}: {choice!r} không phải gói nào "
                         f"đang nhập (các gói: {listed}) cũng không phải {compare.HERE} (bản "
                         "của máy này).")
    return out


def import_packages(db, paths, *, dry_run: bool = False, conflicts: str | None = None,
                    choices: dict[str, str] | None = None, progress: Progress | None = None,
                    catalogue: str | None = None, catalogue_choices: dict[str, str] | None = None,
                    bulk: bool | None = None, versions: dict[str, str] | None = None,
                    clashes: str | None = None,
                    previewed: BatchResult | None = None,
                    told: Callable[[str], object] | None = None) -> BatchResult:
    """`versions`: per code, the version to keep of a code several packages bring differently
    (compare.HERE: this installation's; else the package whose version is taken, by its
    identity (package_ident, shown in the preview: ExchangeResult.ident, Version.idents), or
    its path as given, or its file name when no other package has that name). A code in
    conflict between versions of several packages without one writes nothing; one given for
    a code no package brings, or not in conflict, or naming a package that does not bring it,
    or no package at all, is refused (InputError). `previewed`: the dry run of the same paths
    the clerk decided on; another package under a path now, or dossiers that would now be
    counted otherwise (another import or a clerk wrote meanwhile), are refused, nothing written
    (as_previewed, still_as_previewed). `told`: what the clerk is told beside the progress
    when the operation begins again from its start (passes.Passes: the bar never goes back)
    and what each phase does (phases.Phases: the bar full only at the operation's end).
    The rest as `_import_packages`."""
    paths = [Path(p) for p in paths]
    versions = dict(versions or {})
    # the aliases a package carries that name a sender merged before it (recode.teaching),
    # known from the operation's start once met (_Taught): the sender's records read as the
    # dossiers they name in its own turn, as if that package had been imported first
    taught: dict[tuple[str, str], tuple[str, int, dict]] = {}
    shown = None if progress is None else phases.Phases(
        progress, told, dry_run, phases.settle_expected(previewed, conflicts, choices, clashes))

    def once(defer: set[str], mixed: set[str]) -> tuple[BatchResult, set[str], set[str]]:
        while True:
            try:
                return _import_packages(db, paths, dry_run=dry_run, conflicts=conflicts,
                                        choices=choices, progress=shown, catalogue=catalogue,
                                        catalogue_choices=catalogue_choices, bulk=bulk,
                                        versions=versions, defer=defer, clashes=clashes,
                                        previewed=previewed, mixed=mixed, taught=taught)
            except _Taught as more:  # (each time one more at least: ends)
                taught.update(more.found)
                if shown is not None:
                    shown.again(passes.TAUGHT_VI)
    defer = set(versions)
    batch, flagged, mixed = once(defer, set())
    if flagged or mixed:  # met while merging in turn: again, each set aside, every version
        # listed; a code that is another citizen's dossier and this one's own versions is
        # merged in turn, each record decided by whose dossier it is (recode.choice), ...
        if shown is not None:
            shown.again(passes.APART_VI)
        batch, again, _ = once(defer | (flagged - mixed), mixed)
        if again:  # ... unless this one's own versions differ among the packages too
            if shown is not None:
                shown.again(passes.APART_VI)
            batch, _, _ = once(defer | flagged | again, mixed)
    if shown is not None:
        shown.end()
    return batch


def as_previewed(paths: list[Path], batch: BatchResult, previewed: BatchResult | None) -> None:
    """The packages written are the ones the clerk previewed: a file replaced in between (a
    second copy of the same name put on the USB while the preview stood open) is refused
    before anything is read, rather than written with conflicts nobody was shown."""
    if previewed is None:
        return
    changed = [p.name for p, now, seen in zip(paths, batch.results, previewed.results,
                                              strict=True) if now.ident != seen.ident]
    if changed:
        raise InputError(f"Gói {', '.join(changed)} đã thay đổi sau khi xem trước (tệp đã được "
                         "chép đè hay thay bằng gói khác). Chưa ghi gì vào cơ sở dữ liệu. "
                         "Hãy nhập lại để xem trước đúng gói sẽ nhập.")


def still_as_previewed(paths: list[Path], results: list[ExchangeResult],
                       previewed: BatchResult | None) -> None:
    """Inside the import's transaction, before its commit: no conflict the preview did not show.
    Another import (a second window, the command line) or a clerk that wrote between the
    preview and "Nhập gói" turned the package's new or changed dossiers into conflicts nobody
    saw, then kept by the default; refused instead (InputError: everything rolled back). The
    clerk's own choices only move counts the other way (a conflict taken: the package it went
    on from is "older")."""
    if previewed is None:
        return
    moved = []
    for path, now, seen in zip(paths, results, previewed.results, strict=True):
        listed = {c.code for c in seen.conflicts}
        # a clash chosen at an earlier import that the clerk reopened (the preview's list of
        # those: `reopenable`) is a conflict again, as chosen
        listed |= {c.code for c in seen.reopenable}
        unseen = [c.code for c in now.conflicts if c.code not in listed]
        more = now.dossiers[compare.CONFLICT] - now.reopened - seen.dossiers[compare.CONFLICT]
        if more > 0 or (unseen and len(seen.conflicts) < CONFLICTS_SHOWN):
            codes = f" ({', '.join(unseen[:3])}{', …' if len(unseen) > 3 else ''})" \
                if unseen else ""
            moved.append(f"gói {path.name}: khi xem trước "
                         f"{timefmt.vn_number(seen.dossiers[compare.CONFLICT])} hồ sơ xung đột, "
                         f"nay {timefmt.vn_number(now.dossiers[compare.CONFLICT])}{codes}")
    if moved:
        raise InputError("Dữ liệu của máy này đã thay đổi sau khi xem trước (một lần nhập hay một "
                         "thao tác khác vừa ghi): có hồ sơ xung đột chưa được xem và chọn "
                         f"({'; '.join(moved)}). Chưa ghi gì vào cơ sở dữ liệu. Hãy nhập lại để "
                         "xem trước và chọn.")


def _import_packages(db, paths, *, dry_run: bool = False, conflicts: str | None = None,
                     choices: dict[str, str] | None = None, progress: Progress | None = None,
                     catalogue: str | None = None,
                     catalogue_choices: dict[str, str] | None = None,
                     bulk: bool | None = None, versions: dict[str, str],
                     defer: set[str], clashes: str | None = None,
                     previewed: BatchResult | None = None, mixed: set[str] | None = None,
                     taught: dict[tuple[str, str], tuple[str, int, dict]] | None = None
                     ) -> tuple[BatchResult, set[str], set[str]]:
    """Preview or merge several packages (a centre's month-end: one per counter or commune)
    in ONE transaction, in the operation's order (`merge_order`: the same whatever the order
    of the files; the results listed as given): every package's manifest read and the first
    package verified whole before anything, each next one verified before its merge (in
    threads, ahead of it: `_Opening`, which says which package's error is named), then merged
    after the ones before it (a code in two packages is met as the first left it).
    Any error, a cancel, a dry run or a conflict without a choice leaves the database as it was.
    The options are those of import_package, for every package.
    A merge that wrote leaves its checkpoint owed on `db`'s connection: its commit is durable
    (synced) and the checkpoint runs when the caller calls db.connection.checkpoint(db.conn),
    after handing the result over, or at the connection's close."""
    require("data.import")  # it writes dossiers and the catalogue, as `import` does
    _check_options(conflicts, catalogue, catalogue_choices, clashes, choices)
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("Chưa chọn gói trao đổi nào để nhập.")
    with contextlib.ExitStack() as stack:
        opening = stack.enter_context(_Opening(paths))
        if progress is not None:  # the clerk's Huỷ heard while the first ones are verified
            opening.poll = lambda: progress(0, max(opening.total, 1))
        # the manifests read, the disks' room checked, the first verified whole
        opening.open(lambda readers: _check_room(db, readers))
        readers = opening.given()  # (opening.readers: in the order they are merged)
        held_max = _held_max(opening.checked, readers)
        batch = BatchResult([ExchangeResult(str(p), r.manifest.data, dry_run)
                             for p, r in zip(paths, readers, strict=True)], dry_run)
        for reader, result in zip(readers, batch.results, strict=True):
            result.warnings += slots.sender_warnings(db, reader.manifest.data)
        for index, note in slots.shared_slots([r.manifest.data for r in readers]).items():
            batch.results[index].warnings.append(note)
        for index, (first, note) in _twice(paths, readers).items():
            batch.results[index].warnings.append(note)
            batch.results[index].same_as = first
        for reader, result in zip(readers, batch.results, strict=True):
            result.ident = package_ident(reader.manifest.data)
        as_previewed(paths, batch, previewed)
        versions = _chosen_packages(versions, paths, batch.results)
        listed = batch.results  # as given: what the clerk reads (results, lines, totals)
        batch.results = [listed[given] for given in opening.order]  # … merged in this order
        run = _Run(db, opening, batch, progress)
        run.held_max = held_max
        run.options = (conflicts, choices or {}, catalogue, catalogue_choices or {})
        run.defer, run.versions = defer, versions
        run.clashes = clashes
        run.mixed = set(mixed or ())
        run.taught = dict(taught or {})
        stack.callback(run.detach)  # after the transaction, before the parts' files go
        try:
            # its COMMIT synced and checkpointing nothing: the checkpoint (~2 s at a month-end)
            # is the caller's once the clerk has the result (db.connection.checkpoint), or the
            # connection's close (docs/import-export.md, "Kết thúc việc nhập")
            with bulk_path.big_cache(db), bulk_path.collector_paused(), \
                    transaction(db, checkpoint_later=True) as conn:
                run.merge_all(conn, bulk)
                phases.enter(progress, phases.CHECKS)
                # the clerk's choices: one row per sender, not one per code (store.ChoiceBook)
                run.book.write(timefmt.to_db_time(timefmt.now()))
                for result in batch.results:
                    clash = compare.clash_warning(
                        result.clashes, [c.code for c in result.conflicts if c.clash])
                    result.warnings += [clash] if clash else []
                # the indexes are back: look-ups, not scans, once for the operation
                for result, said in zip(batch.results, checks.out_of_existence(
                        conn, [r.new_ids for r in batch.results]), strict=True):
                    result.warnings += said
                found = run.mixed_found()
                for code in sorted(run.both_plain - found):  # keep both, for one dossier
                    recode.choice(recode.BOTH, None, None, False, code)  # (refused: says why)
                if dry_run or batch.pending or run.flagged - defer or found - run.mixed:
                    phases.enter(progress, phases.ROLLBACK)
                    raise _Rollback
                still_as_previewed(paths, listed, previewed)  # as given, as previewed
                phases.enter(progress, phases.FACTS,
                             phases.facts_items(conn, run.refresh, run.recompute_all))
                run.write_facts(conn)
                # the clerk's Huỷ, clicked while the derived figures were computed, still
                # undoes everything: asked once more before the commit (phases.enter)
                phases.enter(progress, phases.END)
        except _Rollback:
            return batch, run.flagged - defer, found - run.mixed
        except checks.BadRecord as exc:
            raise run.reader.bad(f"{run.where}: {exc}.") from None
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError):
            # a value of the wrong kind (a list where text goes) or against a constraint: the
            # batch written last holds it
            raise run.reader.bad(f"{run.where} (hoặc một dòng ngay trước): dữ liệu sai kiểu hoặc "
                                 "trái ràng buộc của cơ sở dữ liệu.") from None
        finally:
            batch.results = listed
    batch.written = True
    for result in batch.results:
        result.written = True
    return batch, set(), set()


def _check_room(db, readers: list[PackageReader]) -> int | None:
    """The room the operation needs on the centre's disk and the temporary folder's, checked
    from the manifests and the zip's declared sizes before anything is extracted or written
    (core.exchange.space): refused up front with what is free and what is needed. Returns
    the temporary folder's room beyond it (`_held_max`)."""
    path = getattr(db, "path", None)
    parts = [(sum(r.members[name].file_size for name in parts_of(
        r.manifest.data["format_version"])), ROWS_PART in r.members) for r in readers]
    what = f"nhập {len(readers)} gói" if len(readers) > 1 else f"nhập gói {readers[0].path.name}"
    return space.check_room(None if path in (None, ":memory:") else path,
                            tempfile.gettempdir(), parts, AHEAD + 2 + HELD_MAX, what)


def _held_max(room: int | None, readers: list[PackageReader]) -> int:
    """How many merged parts' files may wait for the copier's jobs (`_Run.release`): HELD_MAX,
    and as many more of the largest as the temporary folder's room beyond the estimate holds
    (unknown room: HELD_MAX)."""
    sizes = [r.members[ROWS_PART].file_size for r in readers if ROWS_PART in r.members]
    if room is None or not sizes:
        return HELD_MAX
    return HELD_MAX + room // max(max(sizes), 1)


def merge_order(manifests: list[dict]) -> list[int]:
    """The order the packages of an operation are merged in (their places as given), the same
    whatever order the files were given in: by the moment each was made (its manifest's
    `created_at`), then by the installation that made it, then by its identity
    (package_ident), then as given (only the same package given twice ties, and merging it
    again adds nothing). A centre given the same packages in another order, or another centre
    given them, writes the same rows with the same ids and the events in the same order: the
    same chain head (issue 16 §3). The moment first makes a package that goes on from
    another's (a counter took another's package and went on) come after it, as if the centre
    had taken them one by one as they were made; the installation, not the identity, next,
    so an export's two formats (the same moment and machine) take the same place."""
    def key(given: int) -> tuple[str, str, str, int]:
        manifest = manifests[given]
        sender = manifest.get("installation") or {}
        return (str(manifest.get("created_at") or ""), str(sender.get("id") or ""),
                package_ident(manifest), given)
    return sorted(range(len(manifests)), key=key)


class _Opening:
    """The packages of an operation opened and verified (core.exchange.package.PackageReader),
    the expensive half a few packages ahead of the merge (docs/speed.md, fourteenth round).

    `open()`, before the transaction: every package's cheap half (its zip's members, its
    manifest: what the preview's warnings and the totals need), in the order given, then put
    in the operation's order (`merge_order`; `given()` gives them back as given), and the
    first package verified whole. Then, in the transaction, `verified(k)` before package k is
    merged: its verification (its rows part extracted with SHA-256 and checked as a hostile
    database, its records counted against the manifest) ran in OPENERS threads (zlib, hashlib
    and SQLite let other threads run), at most AHEAD packages past the one merging, so the
    temporary files and the memory ahead of the copy stay bounded.

    Which error is named (deterministic, whatever the threads' timing): a package whose
    cheap half fails, the first in the order given, named once the packages given before it
    are verified (none of them fails), as when each was opened whole in turn; else the first
    in the operation's order that fails its verification, and, once merging, the first in
    that order that fails at all: package k's verification is looked at only after the
    packages before it are merged, so their errors (a bad record) come first, and k's comes
    before its own merge's and before anything of the packages after it (their
    verifications, started ahead, are stopped and forgotten). A package whose manifest does
    not say how many dossiers it holds is verified before the transaction with every package
    merged before it (the operation is sized by the counts: `total`). Leaving (`close`, the
    ExitStack's): the verifications still running stopped (within a MB or SQLite's next
    progress call), waited for, and every reader closed, its extracted part removed."""

    def __init__(self, paths: list[Path], poll: Callable[[], object] | None = None):
        self.paths, self.poll = paths, poll
        self.readers: list[PackageReader] = []
        self.verifying: list[concurrent.futures.Future | None] = []
        self.stop = threading.Event()
        self.pool: concurrent.futures.ThreadPoolExecutor | None = None
        self.checked: int | None = None  # what `open`'s check returned
        self.order: list[int] = []  # the place given of each package, in the merge's order

    def __enter__(self) -> _Opening:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self, check: Callable[[list[PackageReader]], int | None] | None = None
             ) -> list[PackageReader]:
        """`check`: given the readers once every manifest is read, before any part is
        extracted (`_check_room`)."""
        for index, path in enumerate(self.paths):
            try:
                self.readers.append(PackageReader(path, verify=False))
            except Exception:
                for before in range(index):  # a package before it that fails is named first
                    self.verified(before)
                raise
            self.verifying.append(None)
        # merged (and verified) in an order of their own, not the order given: `merge_order`
        self.order = merge_order([r.manifest.data for r in self.readers])
        self.readers = [self.readers[given] for given in self.order]
        self.paths = [self.paths[given] for given in self.order]
        if check is not None:
            self.checked = check(self.readers)
        unsaid = [i for i, reader in enumerate(self.readers) if reader.declared() is None]
        for index in range(max(unsaid, default=0) + 1):  # the first, and up to the last unsaid
            self.verified(index)
        return self.readers

    def given(self) -> list[PackageReader]:
        """The readers in the order the packages were given."""
        out: list[PackageReader] = [self.readers[0]] * len(self.readers)
        for place, given in enumerate(self.order):
            out[given] = self.readers[place]
        return out

    @property
    def total(self) -> int:
        """The operation's dossiers as the manifests say (each one's count is checked when it
        is verified, before its merge: an operation that ends has merged exactly these)."""
        return sum(r.records_in["dossiers.jsonl"] if r.verified else r.declared() or 0
                   for r in self.readers)

    def verified(self, index: int) -> PackageReader:
        """Package `index` verified whole (its error raised), the next ones started."""
        reader = self.readers[index]
        if reader.verified:
            self._start(index + 1)
            return reader
        if len(self.readers) < 2 or OPENERS < 2:  # no thread: here, in turn
            reader.verify()
            return reader
        self._start(index)
        future = self.verifying[index]
        assert future is not None
        while True:
            try:
                future.result(timeout=POLL_SECONDS)
                break
            except concurrent.futures.TimeoutError:
                self._asked()  # the clerk's Huỷ heard while waiting
        self._start(index + 1)
        return reader

    def settled(self, index: int) -> bool:
        """Package `index`'s verification waited for, its error left for its turn
        (`verified`): True when it passed."""
        reader = self.readers[index]
        future = self.verifying[index] if self.pool is not None else None
        while future is not None and not reader.verified:
            try:
                future.exception(timeout=POLL_SECONDS)
                break
            except concurrent.futures.TimeoutError:
                self._asked()
        return reader.verified

    def done(self) -> int:
        """How many packages from the first are verified (their parts may be read)."""
        count = 0
        for reader in self.readers:
            if not reader.verified:
                break
            count += 1
        return count

    def _start(self, index: int) -> None:
        """The verifications of packages index … index + AHEAD started (those not started)."""
        if OPENERS < 2:
            return
        if self.pool is None:
            self.pool = concurrent.futures.ThreadPoolExecutor(OPENERS,
                                                              thread_name_prefix="motcua-open")
        for ahead in range(index, min(index + AHEAD + 1, len(self.readers))):
            if self.verifying[ahead] is None and not self.readers[ahead].verified:
                self.verifying[ahead] = self.pool.submit(self.readers[ahead].verify, self.stop)

    def _asked(self) -> None:
        if self.poll is not None and self.poll() is False:
            raise InterruptedError("import cancelled")

    def close(self) -> None:
        self.stop.set()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        for reader in self.readers:
            reader.close()
        self.readers, self.verifying = [], []


class _Run:
    """One operation over several packages: the search index and (on the bulk path) the
    dossiers' secondary indexes put back once, the kpi_daily marks and the dossiers whose
    facts need computing gathered over all packages and written once."""

    def __init__(self, db, opening: _Opening, batch: BatchResult, progress: Progress | None):
        self.db, self.opening, self.batch, self.progress = db, opening, batch, progress
        self.readers = opening.readers
        self.reader = self.readers[0]
        self.merger: _Merger | None = None
        self.options: tuple = (None, {}, None, {})
        self.delta: Counter = Counter()
        self.refresh: list[int] = []
        self.recompute_all = False
        self.total = opening.total  # said by the manifests, counted before each merge
        self.screens_given = 0  # the parts given to the copier's screen (`_verified`)
        self.done = 0
        self.copier: fastcopy.Copier | None = None
        self.attached: list[str] = []
        self.in_memory = False  # MEMORY_SCHEMA attached (it holds one of the ATTACH_MAX slots)
        self.attached_files: set[str] = set()  # parts attached as files: kept till `detach`
        self.held: list[PackageReader] = []  # merged, their files not yet removed (`release`)
        self.held_max = HELD_MAX  # … at most (import_packages: `_held_max`)
        # codes several packages bring in versions not on one line (import_packages)
        self.defer: set[str] = set()         # set aside in their packages' turn …
        self.versions: dict[str, str] = {}   # … and resolved at the end as chosen (`resolve`)
        self.deferred: dict[str, list[tuple[int, dict]]] = {}  # code: (package, record)
        self.deferred_votes: dict[int, list[dict]] = {}  # package: votes on a code set aside
        # the recode events of the dossiers re-coded here (recode.recoded_before: a dossier
        # re-coded twice), read once (_Merger._recoded_before)
        self.recoded_before: dict[tuple[str, str], list[str]] | None = None
        # code: the first package whose record of it changes what is here (records' way) and
        # that record's digest ("" when it moves this installation's on: new, changed)
        # (+ when it moved the code on in its turn, `note`: this installation's events' count
        # before the operation, None when new, and the record's events' count)
        self.met: dict[str, tuple[int, str] | tuple[int, str, int | None, tuple[int, int]]] = {}
        self.flagged: set[str] = set()  # in conflict with an earlier package's version
        # codes a package of the operation moved on in its turn, with every record met of
        # them after: counted at the end as a code set aside is (`count_lines`)
        self.moved: dict[str, _Line] = {}
        self.first_new = 0  # the operation's first new dossier id
        self.first_vote = 0  # … and first vote id (`merge_all`)
        self.mergers: list[_Merger] = []
        self.book = ChoiceBook(db.conn)  # the choices made before, and this operation's
        self.clashes: str | None = None  # the choice for every clash (import_packages)
        self.recoded: dict[int, list[tuple[str, str]]] = {}  # package: (its code, code here)
        # codes whose records in conflict here are both another citizen's dossier (a clash) and
        # this installation's own dossier changed elsewhere: `kinds` as met (clash or not),
        # `mixed` those known so from a first pass (import_packages), read by recode.choice
        self.kinds: dict[str, set[bool]] = {}
        self.here_first: dict[str, dict] = {}
        self.mixed: set[str] = set()
        self.both_plain: set[str] = set()  # keep both named for a record of this one's own
        # (sender, its code): (the code a later package holds it as, that package, its record)
        # — recode.teaching, known before the first package (import_packages: _Taught)
        self.taught: dict[tuple[str, str], tuple[str, int, dict]] = {}

    def kind(self, code: str, local: dict, record: dict) -> None:
        """A record in conflict with this installation's dossier of the code: whose dossier
        it is, against that dossier as first met in the operation (a package's version taken
        in its turn does not make a later record of the same citizen look like another's)."""
        here = self.here_first.setdefault(code, local)
        self.kinds.setdefault(code, set()).add(not compare.same_dossier(here, record))

    def other_citizen(self, code: str, local: dict | None, record: dict) -> bool:
        """A record of a code set aside that is merged in its turn all the same: another
        citizen's dossier (a clash) under a code whose records are also this installation's
        own versions (`mixed`), those differing among the packages (import_packages' third
        pass). Its choice is the code's (recode.choice: kept both, or left out) whatever
        version of this one's own is chosen among the others (`resolve`), never a version."""
        return code in self.mixed and local is not None and \
            not compare.same_dossier(local, record)

    def mixed_found(self) -> set[str]:
        return {code for code, kinds in self.kinds.items() if len(kinds) == 2}

    @property
    def where(self) -> str:
        return self.merger.where if self.merger else "bản kê"

    def merge_all(self, conn, bulk: bool | None) -> None:
        first_new = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM dossiers").fetchone()[0]
        self.first_new = first_new
        # the operation's first vote: those before it were stored by earlier imports or here
        self.first_vote = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM votes"
                                       ).fetchone()[0]
        # the codes set aside are not copied by SQL either (core.exchange.fastcopy: `held`)
        conn.execute(fastcopy.DEFERRED_TABLE)
        conn.execute(f"DELETE FROM {fastcopy.DEFERRED}")
        # … nor a sender's code another package says it re-coded (recode.taught: read as that
        # code in the records' way, never copied as a dossier of its own)
        conn.executemany(f"INSERT INTO {fastcopy.DEFERRED} VALUES (?)", [(c,) for c in sorted(
            self.defer | {code for _sender, code in self.taught})])
        # … nor a code this installation knows as re-coded (code_aliases: a sender's code
        # whose dossier is held here under another code). Held or not under that code here,
        # the records' way reads it through recode.aliases; copied by SQL, a dossier learned
        # from the centre's package but not holding its old code here became a second dossier
        conn.execute(f"INSERT OR IGNORE INTO {fastcopy.DEFERRED} "
                     "SELECT DISTINCT sender_code FROM main.code_aliases")
        if bulk is None:
            held = conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
            bulk = bulk_path.wanted(held, self.total)
        self.batch.bulk = bulk
        phases.plan(self.progress, bulk, self.total)
        # the copier's rows are indexed with the others at the end of the search index's
        # deferral, from the keys its second process computed (`given_keys`); the copier's
        # exit, after it and after the indexes are made again, writes the kept facts its
        # second process read meanwhile (`flush`), before write_facts
        with phases.counting(self.progress, conn), fastcopy.Copier(
                conn, delta=self.delta, refresh=self.refresh,
                processes=None if self.total >= SECOND_PROCESS_MIN else False) as copier:
            with bulk_path.indexes_dropped(conn, bulk), \
                    fulltext.deferred(conn, new_from=first_new, given=copier.given_keys):
                self.copier = copier
                if FAST_COPY:  # each part's own screen run a part ahead, beside this thread
                    copier.ahead([], following=self._following)  # given once verified
                for index, result in enumerate(self.batch.results):
                    reader = self.reader = self._verified(index)
                    self._merge_one(conn, reader, result)
                    self.release(reader)
                phases.enter(self.progress, phases.SETTLE, sum(len(m.both) for m in self.mergers))
                self.count_lines()
                if self.deferred or self.versions:
                    copier.settle()  # the rows copied summed before the records' way writes
                    self.resolve(conn)
                if any(m.both for m in self.mergers):
                    copier.settle()
                    self.keep_both(conn)
                for index, made in self.recoded.items():  # what to tell the sender
                    self.batch.results[index].warnings.append(recode.recoded_text(made))
                for merger in self.mergers:  # in turn or once the versions were chosen
                    if merger.foreign_votes:
                        merger.result.warnings.append(
                            recode.foreign_votes_text(merger.foreign_votes))
                    if merger.unsent_votes:
                        merger.result.warnings.append(
                            recode.unsent_votes_text(merger.unsent_votes))
                self.forget()  # the last part's memory, before the facts are computed
                copier.flush()
                phases.enter(self.progress, phases.INDEXES)  # (the blocks' ends)
        self.copier = None  # (its jobs ended: the second process stopped, its threads ended)
        self.sweep()

    def release(self, reader: PackageReader) -> None:
        """The reader's part merged: its file removed as soon as nothing needs it any more
        (`sweep`), the copier starting nothing more on it."""
        if reader.part_path is None:  # format 2: nothing on the disk
            return
        if self.copier is not None:
            self.copier.done_with(reader.part_path)
        self.held.append(reader)
        self.sweep()
        copier = self.copier
        if copier is None or self.held_max >= len(self.readers):  # room for all: the jobs
            return                                                 # keep their order
        if len(self.held) > HELD_MOST:
            copier.give(str(self.held[0].part_path))  # (removed at a sweep after its jobs)
        while len(self.held) > self.held_max:
            oldest = str(self.held[0].part_path)  # (a held reader's file is there)
            copier.give(oldest)
            if not copier.busy(oldest):  # read by none, yet not removed (Windows): tried
                break                    # again at the next sweep, at last by `close`
            copier.wait_for(oldest, POLL_SECONDS)
            self.sweep()
            self.opening._asked()  # the clerk's Huỷ heard while waiting

    def sweep(self) -> None:
        """The merged parts' files no job needs any more removed (those attached as files stay
        till the transaction's end; one the system will not remove yet is tried again at the
        next sweep, at last by the readers' close)."""
        self.held = [reader for reader in self.held if not self._removed(reader)]

    def _removed(self, reader: PackageReader) -> bool:
        path = reader.part_path
        if path is None:
            return True
        if str(path) in self.attached_files or (
                self.copier is not None and self.copier.busy(path)):
            return False
        return reader.discard()

    def _verified(self, index: int) -> PackageReader:
        """Package `index` verified (waited for: _Opening), and the parts verified so far
        given to the copier's screens, which read a part only once it is checked."""
        outer = self.progress
        self.opening.poll = None if outer is None else (
            lambda: outer(self.done, max(self.total, self.done)))
        reader = self.opening.verified(index)
        if self.copier is not None and FAST_COPY:
            self.copier.more(self._given())
        return reader

    def _given(self) -> list[str]:
        """The part files verified since the last given (the screens' and the guessed chains':
        fastcopy.Copier.ahead), in order."""
        done = self.opening.done()
        given = [str(r.part_path) for r in self.readers[self.screens_given:done]
                 if r.part_path is not None]
        self.screens_given = max(done, self.screens_given)
        return given

    def _following(self) -> list[str]:
        """The copier has no part file left to screen or guess the chain of: the next
        package's verification waited for (as its merge would; its error is left for its
        turn, after the part being copied), the files verified since given."""
        if self.screens_given >= len(self.readers) or \
                not self.opening.settled(self.screens_given):
            return []
        return self._given()

    def attach(self, conn, reader: PackageReader) -> str | None:
        """The reader's rows part readable by the centre's connection for the SQL fast path:
        its bytes in MEMORY_SCHEMA (up to DESERIALIZE_MAX, and while the memory is there), or
        the file attached under a name of its own; None when there is none, or no room
        (ATTACH_MAX): the records' way then."""
        path = reader.part_path
        if not FAST_COPY or path is None:
            return None
        if path.stat().st_size <= DESERIALIZE_MAX and (self.in_memory
                                                       or len(self.attached) < ATTACH_MAX):
            if not self.in_memory:
                conn.execute(f"ATTACH DATABASE ':memory:' AS {MEMORY_SCHEMA}")
                self.attached.append(MEMORY_SCHEMA)
                self.in_memory = True
            try:
                _load(conn, path)
                return MEMORY_SCHEMA
            except MemoryError:  # the PC has not the room now: the file, as a bigger part
                self.forget()
        if len(self.attached) >= ATTACH_MAX:
            return None
        name = f"motcua_goi_{len(self.attached) + 1}"
        conn.execute(f"ATTACH DATABASE ? AS {name}", [str(path)])
        self.attached.append(name)
        self.attached_files.add(str(path))
        return name

    def forget(self) -> None:
        """MEMORY_SCHEMA emptied (an empty database in place of the last part's bytes)."""
        if self.in_memory:
            self.db.conn.deserialize(_empty(), name=MEMORY_SCHEMA)

    def detach(self) -> None:
        """The parts attached, detached once the transaction is over (committed or not); the
        in-memory schema emptied first (an error may have left a part's bytes in it)."""
        with contextlib.suppress(Exception):  # a closed connection has none left
            self.forget()
        for name in self.attached:
            with contextlib.suppress(Exception):
                self.db.conn.execute(f"DETACH DATABASE {name}")
        self.attached, self.in_memory = [], False

    def _merge_one(self, conn, reader: PackageReader, result: ExchangeResult) -> None:
        default, choices, catalogue, catalogue_choices = self.options
        offset, outer = self.done, self.progress
        progress = None if outer is None else (
            lambda done, _total: outer(offset + done, max(self.total, offset + done)))
        merger = self.merger = _Merger(self.db, reader, result, default, choices, progress)
        merger.catalogue_default, merger.catalogue_choices = catalogue, catalogue_choices
        merger.delta, merger.refresh = self.delta, self.refresh
        merger.run_of, merger.book = self, self.book
        merger.index = len(self.mergers)
        self.mergers.append(merger)
        before = actor_names.maxima(conn)
        merger.run(conn)
        last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossier_rows").fetchone()[0]
        if last > before["dossier_rows"]:
            result.new_ids = (before["dossier_rows"] + 1, last)
        # where its rows came from, so their logins are named as the sender's (spec 10)
        actor_names.record_origin(conn, reader.manifest.data, Path(result.path).name, before,
                                  merger.store.here, merger.store.now)
        reader.rest()  # its connection closed till read again (PackageReader.part)
        self.recompute_all |= merger.recompute_all
        self.done += sum(result.dossiers.values())

    def crossing(self, index: int, code: str, held: int | None, record: dict,
                 outcome: str, local: dict | None = None) -> bool:
        """Whether package `index`'s record conflicts with a version an earlier package of the
        operation brought (not merely with this installation's): its dossier was made by the
        operation, or an earlier package moved it on or brought another conflicting record.
        A package whose record is identical to (or older than) what is here changes nothing
        and leaves a later conflict with this installation's alone (keep/theirs decide it)."""
        if outcome not in (compare.NEW, compare.CHANGED, compare.CONFLICT):
            return False
        key = compare.digest(record) if outcome == compare.CONFLICT else ""
        first = self.met.setdefault(code, (index, key))
        if outcome != compare.CONFLICT:
            # this one moves this installation's version on after an earlier package brought a
            # version in conflict with it: three versions, not one line (the same in any order;
            # this installation's digest made only then)
            if first[0] == index or first[1] == "":
                return False
            return local is None or first[1] != compare.digest(local)
        return (held is not None and held >= self.first_new) or (
            first[0] != index and (first[1] == "" or first[1] != key))

    # ----- the codes of one line merged in turn: counted whatever the packages' order ------
    def note(self, index: int, code: str, held: int | None, local: dict | None, record: dict,
             outcome: str) -> None:
        """Package `index`'s record of `code`, met in its turn (not set aside), remembered
        when an earlier package of the operation moved the code on or this one does: its
        place on the line (recode.line_length: an installation's own recode event is no step
        of the dossier), what it was counted, and this installation's place before the
        operation (None: the operation made the dossier). `local`: as held here, with its own
        events. One package: nothing to count."""
        if len(self.readers) < 2:
            return
        line = self.moved.get(code)
        first = self.met.get(code)
        if line is None and first is not None and len(first) == 4:
            # met a second time: the first meeting (kept small in `met`) made a line now
            start, n = first[2], first[3]
            line = self.moved[code] = _Line(start, [(
                first[0], compare.NEW if start is None else compare.CHANGED, n)])
        if line is None:
            if held is not None and held >= self.first_new and local is not None:
                maker = self._maker(held)  # copied by SQL in an earlier package's turn
                if maker is None:
                    return
                line = _Line(None, [(maker, compare.NEW, recode.line_length(local))])
            elif outcome in (compare.NEW, compare.CHANGED):
                start = None if local is None else recode.line_length(local)[0]
                if first is not None and first[0] == index:
                    # its first meeting: two numbers in `met`, no line (most codes are met
                    # once: a line each would be held for the whole operation)
                    self.met[code] = (index, first[1], start, recode.line_length(record))
                    return
                line = _Line(start)
            else:  # nothing moved it yet: counted against this installation's, as it should
                return
            self.moved[code] = line
        line.seen.append((index, outcome, recode.line_length(record)))
        line.straight &= outcome in (compare.NEW, compare.CHANGED, compare.IDENTICAL,
                                     compare.OLDER)

    def _maker(self, dossier_id: int) -> int | None:
        """The package whose turn made the dossier (its new ids: ExchangeResult.new_ids)."""
        return next((k for k, r in enumerate(self.batch.results)
                     if r.new_ids and r.new_ids[0] <= dossier_id <= r.new_ids[1]), None)

    def count_lines(self) -> None:
        """Each code moved on in turn whose records lie on one line of history, counted as
        for a code set aside (`_one_end`), not by the order of the files: a record against
        this installation's version when it moves nothing (identical, older); the end of the
        line new or changed for the package it is written from (`_writer`'s rule: the first
        by name) and identical for the others bringing it; a record the end goes on from,
        older. The totals are what the import writes: one new or changed a dossier."""
        for line in self.moved.values():
            if not line.straight or len(line.seen) < 2:
                continue
            end = max(n for _, _, (n, _own) in line.seen)
            # of the records at the end, the one carrying an installation's own events (the
            # re-coding one's: its record is the whole of the other's), then the first by name
            own = {k: mine for k, _, (n, mine) in line.seen if n == end}
            writer = min(own, key=lambda k: (-own[k], self._first_name(k), k))
            for index, turn, (n, _own) in line.seen:
                if line.start is not None and n <= line.start:
                    said = compare.IDENTICAL if n == line.start else compare.OLDER
                elif n < end:
                    said = compare.OLDER
                elif index != writer:
                    said = compare.IDENTICAL
                else:
                    said = compare.NEW if line.start is None else compare.CHANGED
                if said != turn:
                    counts = self.batch.results[index].dossiers
                    counts[turn] -= 1
                    counts[said] += 1
                    if not counts[turn]:
                        del counts[turn]

    # ----- the codes set aside: one version chosen, whatever the packages' order ------------
    def resolve(self, conn) -> None:
        """Each code set aside (`defer`), in the order of the codes, decided from this
        installation's version as it stands (untouched by the operation) and the packages'
        records of it compared WITH EACH OTHER (`_ends`): a record another package's record
        goes on from (a counter took another's package and went on with the dossier) is
        superseded by it, so the versions left are the ends of the lines the packages bring.
        One end: as if one package brought it (written when it goes on from here; in conflict
        with this installation's, keep/theirs as for one package: `_one_end`); several: the
        clerk picks this installation's or exactly one end (`versions`, BatchResult.crossed).
        The records that change nothing here (identical, older, chosen before) are counted and
        left, as in turn. An earlier choice is honoured as in turn (`_outcome`): a record
        chosen before is not asked again, the line of a sender whose version was not taken
        is asked again when it goes on. The same whatever the order of the packages."""
        now = timefmt.to_db_time(timefmt.now())
        brought = sorted(set(self.versions) - set(self.deferred))
        if brought:
            raise InputError(f"Chọn phiên bản cho hồ sơ {', '.join(brought)}: không gói nào đang "
                             "nhập có hồ sơ này; không có gì để chọn.")
        for code in sorted(self.deferred):
            entries = self.deferred[code]
            dossier_id = records.ids_by_code(conn, [code]).get(code)
            local = (next(iter(records.dossier_records(conn, [dossier_id], False)))
                     if dossier_id is not None else None)
            choice = self.versions.get(code)
            if local is not None:  # a re-coded dossier's recode event left out, as in _batch
                local = recode.as_sent(local, [r for _, r in entries])
                # a fee kept here read as the package's — for the same dossier only, as in
                # _batch, and not in the version the clerk names: the package's, as it is
                # (a re-coded dossier whose fee an older program turned into another
                # citizen's is put right so: round 21)
                fees.keep_in_package(conn, {code: local}, [
                    r for i, r in entries if compare.same_dossier(local, r)
                    and (choice is None or self._ident(i) != choice)])
            outcomes = [self._outcome(conn, local, index, record, choice)
                        for index, record in entries]
            if choice not in (None, compare.HERE) and \
                    all(self._ident(i) != choice for i, _ in entries):
                raise InputError(f"Hồ sơ {code}: gói {self._called(choice)} không có hồ sơ "
                                 f"này; chọn máy này "
                                 f"({compare.HERE}) hoặc một trong các gói: "
                                 f"{', '.join(sorted({self._name(i) for i, _ in entries}))}.")
            live = [k for k, outcome in enumerate(outcomes) if outcome in LIVE]
            for k, outcome in enumerate(outcomes):
                if outcome not in LIVE:
                    self.batch.results[entries[k][0]].dossiers[outcome] += 1
            ends = [[live[p] for p in end] for end in _ends([entries[k][1] for k in live])]
            if not ends and choice not in (None, compare.HERE):
                self._chosen_before(code, local, entries, choice)
            if len(ends) == 1:
                self._one_end(conn, code, local, dossier_id, entries, outcomes, live, ends[0],
                              choice, now)
            elif ends:
                chosen = self._chosen_end(code, local, entries, outcomes, ends, choice)
                self._crossed(code, local, entries, live, ends, choice, chosen)
                if choice is not None:
                    self._apply_choice(conn, local, dossier_id, entries, live, chosen, now)
        # the votes on a code set aside that is now here; those on a code still to choose
        # (nothing will be written, BatchResult.pending) counted as the import with the choice
        # will write them: whichever version is chosen, the dossier comes with that code
        awaiting: dict[str, dict[str, list]] = {}
        undecided = {c.code for c in self.batch.crossed if c.chosen is None}
        for index, votes in sorted(self.deferred_votes.items()):
            held = records.ids_by_code(conn, sorted({v["dossier_code"] for v in votes}))
            # an earlier package's set-aside votes, just written, are matched as in turn (one
            # vote both packages carry is one vote, not two)
            self.mergers[index].first_new_vote = conn.execute(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM votes").fetchone()[0]
            self.mergers[index].vote_batch(conn, [v for v in votes if v["dossier_code"] in held],
                                           deferred=False)
            _count_awaiting(self.batch.results[index], awaiting,
                            [v for v in votes if v["dossier_code"] not in held
                             and v["dossier_code"] in undecided])
        for merger in self.mergers:  # the packages' votes in: the replaced dossiers' cancelled
            merger._cancel_replaced(now)

    def _replaced(self, conn, index: int, local: dict | None, dossier_id: int | None,
                  record: dict) -> None:
        """Package `index`'s record, taken at the operation's end, written over this
        installation's dossier of ANOTHER citizen: its votes cancelled once the packages'
        votes of the code are in (`resolve`), by the rule of a package's own turn
        (_Merger._cancel_replaced): the same as one package at a time. The votes stored
        before the operation's set-aside votes are the replaced dossier's."""
        if local is None or dossier_id is None or compare.same_dossier(local, record):
            return
        below = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM votes").fetchone()[0]
        self.mergers[index].replaced.append((record["code"], dossier_id, below))

    def _outcome(self, conn, local: dict | None, index: int, record: dict,
                 choice: str | None = None) -> str:
        """Package `index`'s record to this installation's, as in its turn (`_Merger._batch`):
        chosen at an earlier import, decided; going on from here on the line of a sender whose
        version was not taken before (store.kept_from), a conflict. A record not taken at an
        earlier import that the clerk now names explicitly (`choice`, --choose or the window's
        round button) is a conflict again, to be taken: the new choice replaces the sender's
        earlier one and is recorded as every choice is (who, when: ChoiceBook.write). Without
        an explicit new choice the earlier one holds; an older record than this
        installation's is never taken over it (`_chosen_before` says so)."""
        outcome = compare.classify(local, record)
        made = self.book.made([record]) if outcome in (
            compare.CONFLICT, compare.OLDER, compare.CHANGED) else {}
        if made:
            if choice == self._ident(index) and outcome != compare.OLDER and \
                    made[record["code"]] == KEEP:
                return compare.CONFLICT
            return compare.DECIDED
        if outcome == compare.CHANGED and \
                self.book.kept_from([record], self.mergers[index].store.sender):
            return compare.CONFLICT
        return outcome

    def _name(self, index: int) -> str:
        return Path(self.batch.results[index].path).name

    def _ident(self, index: int) -> str:
        return self.batch.results[index].ident

    def _called(self, ident: str) -> str:
        """A package named by its identity, as the clerk reads it: its file name (and its
        identity when another package of the operation has that name)."""
        index = next(i for i, r in enumerate(self.batch.results) if r.ident == ident)
        return package_labels(self.batch.results)[index]

    def _writer(self, entries: list[tuple[int, dict]], carriers: list[int]) -> int:
        """Of the packages bringing one version, the one it is written from (its `import`
        event, where its rows came from): the first by name, whatever the order given."""
        return min(carriers, key=lambda k: (self._first_name(entries[k][0]), entries[k][0]))

    def _first_name(self, index: int) -> str:
        """The file name a package is ordered by when a version is written from one of several:
        a package given twice (`same_as`) goes by the first's, so the first is the one counted
        (the totals leave the repeat out)."""
        result = self.batch.results[index]
        return Path(result.same_as).name if result.same_as else self._name(index)

    def _one_end(self, conn, code: str, local: dict | None, dossier_id: int | None,
                 entries: list[tuple[int, dict]], outcomes: list[str], live: list[int],
                 end: list[int], choice: str | None, now: str) -> None:
        """One version the others (`live` beyond `end`) are the start of: as if only it came.
        Going on from here (or new), written; in conflict with this installation's, decided
        as one package's conflict (a version chosen, else the per-code choice, else
        `conflicts`). The records it supersedes are older than what the import leaves,
        unless this installation's is kept: then they are conflicts kept too (remembered)."""
        # a sender whose line was not taken does not stop another sender bringing the same
        outcome = compare.CHANGED if any(outcomes[k] == compare.CHANGED for k in end) \
            else outcomes[end[0]]
        carriers = [k for k in end if outcomes[k] == outcome]
        writer = self._writer(entries, carriers)
        record = entries[writer][1]
        before = [k for k in live if k not in end]
        if outcome != compare.CONFLICT:  # new, or going on from here: nothing to choose
            if choice is not None:
                raise InputError(f"Hồ sơ {code}: các gói và máy này không có phiên bản nào "
                                 "xung đột; không cần chọn phiên bản (bỏ lựa chọn ấy).")
            for k in end:  # one dossier written: by one package, the others bring the same
                self.batch.results[entries[k][0]].dossiers[
                    outcome if k == writer else compare.IDENTICAL] += 1
            for k in before:
                self.batch.results[entries[k][0]].dossiers[compare.OLDER] += 1
            self._write(conn, entries[writer][0], local, dossier_id, record, now, False)
            return
        assert local is not None and dossier_id is not None  # (classify: held here)
        names = sorted({self._called(self._ident(entries[k][0])) for k in end})
        if choice is None:
            decided = recode.choice(self.options[1].get(code), self.options[0], self.clashes,
                                    not compare.same_dossier(local, record), code,
                                    code in self.mixed)
        elif choice == compare.HERE:
            decided = KEEP
        elif choice in {self._ident(entries[k][0]) for k in end}:
            decided = THEIRS
        else:
            raise InputError(f"Hồ sơ {code}: bản của gói {self._called(choice)} đã được gói "
                             f"{', '.join(names)} "
                             f"nhận rồi xử lý tiếp; chọn {', '.join(names)} hoặc {compare.HERE} "
                             "(giữ bản của máy này).")
        if decided == BOTH:  # the writer's dossier beside this installation's (recode)
            self._both(conn, entries, end, before, writer, local, now)
            return
        for k in end + ([] if decided == THEIRS else before):
            self._counted_conflict(entries[k][0], local, entries[k][1], decided,
                                   "" if k in end else self._called(self._ident(entries[writer][0])))
        if decided == THEIRS:
            for k in before:
                self.batch.results[entries[k][0]].dossiers[compare.OLDER] += 1
            # an explicit version remembered as chosen, however it is written
            self._write(conn, entries[writer][0], local, dossier_id, record, now,
                        choice is not None)
            self._replaced(conn, entries[writer][0], local, dossier_id, record)
            self._taken_before(conn, entries, before, now)
        elif decided == KEEP:
            for k in end + before:  # another citizen's record remembered as such (alias21)
                self._store(entries[k][0], now).keep_ours(entries[k][1],
                                                          _clash(local, entries[k][1]))
                self._left_out(entries[k][0], entries[k][1], local)

    def _both(self, conn, entries: list[tuple[int, dict]], end: list[int], before: list[int],
              writer: int, local: dict, now: str) -> None:
        for k in end:
            self._counted_conflict(entries[k][0], local, entries[k][1], BOTH)
        for k in before:
            self.batch.results[entries[k][0]].dossiers[compare.OLDER] += 1
        index, record = entries[writer]
        self.take_both(conn, index, record, now)

    def take_both(self, conn, index: int, record: dict, now: str) -> str:
        """Package `index`'s dossier beside this installation's under a new code (recode),
        its rows' logins named as the sender's (core.actor_names)."""
        store, merger = self._store(index, now), self.mergers[index]
        before = actor_names.maxima(conn)
        code = recode.take_both(conn, store, record, self._name(index), merger.sender)
        self.recoded.setdefault(index, []).append((record["code"], code))
        actor_names.record_origin(conn, merger.reader.manifest.data, self._name(index), before,
                                  store.here, now)
        return code

    def keep_both(self, conn) -> None:
        """The clashes kept both in the packages' turns, written once every package's
        dossiers are in (a code issued here then is none of theirs), then their votes.

        The packages' records of one dossier in the operation (a sender's two month-ends given
        together, or a counter's package and another's that took it and went on) make ONE
        dossier here, its furthest version (every other on its line), with every record's
        votes (`_both_lines`)."""
        said = recode.issuing_refused(conn, sum(len(m.both) for m in self.mergers))
        if said is not None:  # no code may be issued here yet
            if not self.batch.dry_run:  # a choice the clerk must make first (exit 2), not a
                raise InputError(said)  # state of the program: nothing written
            for merger in self.mergers:  # the preview still shows the clashes, and says so
                merger.result.refused_both = said if merger.both else ""
            return
        now = timefmt.to_db_time(timefmt.now())
        lines = self._both_lines()
        for done, (code, line) in enumerate(lines):
            phases.step(self.progress, done, len(lines))
            ends = [(index, record) for index, record in line
                    if all(_on_line(other, record) for _, other in line)]
            if not ends:
                names = ", ".join(sorted({self._name(index) for index, _ in line}))
                raise InputError(
                    f"Hồ sơ {code}: các gói {names} mang những phiên bản khác nhau của cùng một "
                    f"hồ sơ (cùng người nộp, thủ tục, đơn vị) chọn \"{recode.BOTH_VI}\". Chưa "
                    "ghi gì vào cơ sở dữ liệu. Hãy nhập từng gói một, theo thứ tự lập gói.")
            for other, _record in line:  # another package of the operation named it re-coded
                taught = recode.taught_meanwhile(conn, self.mergers[other].sender, code)
                if taught is not None:
                    raise InputError(recode.taught_meanwhile_text(code, self._name(other),
                                                                  *taught))
            index, record = ends[-1]
            new = self.take_both(conn, index, record, now)
            for other in sorted({i for i, _ in line}):
                # every package's record of that dossier: its votes follow it (`vote_batch`),
                # whichever sender's record was written
                self.mergers[other].both_codes[code] = new
                if other != index:
                    self.recoded.setdefault(other, []).append((code, new))
        for merger in self.mergers:
            if merger.both_votes:
                merger.first_new_vote = conn.execute(
                    "SELECT COALESCE(MAX(id), 0) + 1 FROM votes").fetchone()[0]
                merger.vote_batch(conn, merger.both_votes, deferred=False)
            # a reopened clash, or one whose dossier here an earlier "theirs" replaced (before
            # round 22 its citizen's votes stayed live on it): the same move rule, never a guess
            for code in dict.fromkeys([*merger.reopened, *merger.both_codes]):
                self._move_kept_votes(conn, merger, code, now)

    def _move_kept_votes(self, conn, merger: _Merger, code: str, now: str) -> None:
        """A clash kept here at an earlier import, now kept both: the votes that import put on
        this installation's dossier of the code which the package proves are the other
        citizen's (recode.misfiled_votes) are moved to the re-coded dossier — cancelled on this
        one, the reason naming where they went (the package's same votes are on the re-coded
        one: `vote_batch`), one `move_vote` event in the re-coded dossier's history saying
        from which code to which — and both dossiers' facts computed again; those not proven
        are left, and said. No event is added to this installation's dossier: its sender's
        next record of it still goes on from it."""
        new = merger.both_codes.get(code)
        if new is None:
            return
        moved, left = recode.misfiled_votes(conn, code, merger.sender, merger.both_votes,
                                            self.first_vote)
        result = self.batch.results[merger.index]
        if moved:
            store = self._store(merger.index, now)
            named = (self._name(merger.index), sender_key(merger.sender),
                     replaced.here_key(conn))
            reason = recode.moved_reason(code, new, *named)
            who = actors.login()
            for vote_id, vote in moved:
                store.cancel_vote(vote_id, {**vote, "cancelled_at": now, "cancel_reason": reason,
                                            "cancelled_by": who})
            ids = records.ids_by_code(conn, [code, new])
            history.record(conn, ids[new], now, who, recode.MOVE_VOTE, None, None,
                           move_note(len(moved), code, *named),
                           {"from_code": code, "to_code": new, "vote_ids": [i for i, _ in moved],
                            "package": self._name(merger.index)})
            self.refresh.extend(ids.values())
            result.warnings.append(recode.moved_text(code, new, len(moved)))
        if left:
            result.warnings.append(recode.left_text(code, len(left)))

    def _both_lines(self) -> list[tuple[str, list[tuple[int, dict]]]]:
        """The records kept both in the packages' turns, grouped by the dossier they are: per
        code, the records of one citizen's dossier (compare.same_dossier) whichever package or
        sender brings them (a counter took another's package and went on: two senders, one
        dossier), in the operation's order. One dossier here for each, never one per sender:
        the sender's code has one code here (code_aliases' key), as when imported one by one,
        and every record's votes go on it."""
        lines: dict[str, list[list[tuple[int, dict]]]] = {}
        for merger in self.mergers:
            for record in merger.both:
                found = lines.setdefault(record["code"], [])
                line = next((line for line in found if all(
                    compare.same_dossier(other, record) for _, other in line)), None)
                if line is None:
                    found.append([(merger.index, record)])
                else:
                    line.append((merger.index, record))
        return [(code, line) for code, found in lines.items() for line in found]

    def _chosen_before(self, code: str, local: dict | None, entries: list[tuple[int, dict]],
                       choice: str) -> None:
        """A package's version chosen for a code nothing of which would change here: said when
        the version was NOT taken at an earlier import, or is older than this installation's
        now however it came (its history a part of this one's: taking it would undo what was
        done here since) — a clerk's explicit choice is never ignored silently; one newer is
        taken (`_outcome`); a rerun of the command that took it, nothing done here since (the
        same version), says nothing."""
        for index, record in entries:
            if self._ident(index) != choice:
                continue
            kept = self.book.made([record]).get(code) == KEEP
            if kept or (local is not None and
                        compare.classify(local, record) == compare.OLDER):
                self.batch.results[index].warnings.append(
                    older_choice_text(code, self._called(choice), kept_before=kept))
                return

    def _counted_conflict(self, index: int, local: dict, record: dict,
                          decided: str | None, continued_by: str = "") -> None:
        result = self.batch.results[index]
        result.dossiers[compare.CONFLICT] += 1
        result.conflict_count += 1
        result.clashes += not compare.same_dossier(local, record)
        if len(result.conflicts) < CONFLICTS_SHOWN:
            result.conflicts.append(dataclasses.replace(compare.conflict_of(local, record),
                                                        continued_by=continued_by))
        if decided is not None:
            result.resolved[decided] += 1

    def _chosen_end(self, code: str, local: dict | None, entries: list[tuple[int, dict]],
                    outcomes: list[str], ends: list[list[int]], choice: str | None
                    ) -> int | None:
        """The package record chosen (its place in `entries`), None for this installation's
        or no choice yet; a choice of no version refused, saying which are."""
        if choice is None:
            return None
        if choice == compare.HERE:
            if local is None:
                raise InputError(f"Hồ sơ {code}: máy này chưa có hồ sơ này, không thể chọn bản "
                                 "của máy này; hãy chọn bản của một gói.")
            return None
        for end in ends:
            named = [k for k in end if self._ident(entries[k][0]) == choice]
            if named:
                return named[0]
        offered = ", ".join(self._called(self._ident(entries[k][0])) for end in ends
                            for k in end[:1])
        place = next(k for k, (i, _) in enumerate(entries) if self._ident(i) == choice)
        if outcomes[place] in LIVE:
            later = [self._called(self._ident(entries[end[0]][0])) for end in ends
                     if _on_line(entries[place][1], entries[end[0]][1])]
            why = f"đã được gói {', '.join(later)} nhận rồi xử lý tiếp"
        else:
            why = f"{compare.OUTCOME_VI[outcomes[place]]} so với bản của máy này"
        raise InputError(f"Hồ sơ {code}: bản của gói {self._called(choice)} {why}, không phải "
                         f"một phiên bản để chọn; chọn một trong: {offered}"
                         + (f" hoặc {compare.HERE} (giữ bản của máy này)." if local else "."))

    def _crossed(self, code: str, local: dict | None, entries: list[tuple[int, dict]],
                 live: list[int], ends: list[list[int]], choice: str | None,
                 chosen: int | None) -> None:
        """Listed with every version (this installation's and each end); each package's
        record that changes something here counted a conflict (resolved when chosen: taken
        for the chosen version and the ones it goes on from, kept for the others)."""
        versions = []
        # each version against this installation's, or (a code it lacks) the first end's
        first = entries[ends[0][0]][1]
        base, against = (local, compare.HERE_VI) if local is not None else (
            first, self._called(self._ident(entries[ends[0][0]][0])))
        if local is not None:
            versions.append(compare.Version([], compare.describe(local), []))
        for end in ends:
            record = entries[end[0]][1]
            versions.append(compare.Version(
                [self._called(self._ident(entries[k][0])) for k in end],
                compare.describe(record),
                [] if record is base else compare.changes(base, record),
                "" if record is base else against,
                [self._called(self._ident(entries[k][0])) for k in live if k not in end
                 and _on_line(entries[k][1], record)],
                [self._ident(entries[k][0]) for k in end]))
        clash = False
        taken = None if chosen is None else entries[chosen][1]
        for k in live:
            index, record = entries[k]
            clash |= not compare.same_dossier(base, record)
            result = self.batch.results[index]
            result.dossiers[compare.CONFLICT] += 1
            result.conflict_count += 1
            result.crossed += 1
            result.clashes += not compare.same_dossier(base, record)
            if choice is not None:
                result.resolved[THEIRS if taken is not None and _on_line(record, taken)
                                else KEEP] += 1
                result.crossed_resolved += 1
        self.batch.crossed.append(compare.Crossed(
            code, versions, clash,
            choice if choice in (None, compare.HERE) else self._called(choice)))

    def _store(self, index: int, now: str) -> Store:
        merger = self.mergers[index]
        store = Store(merger.store.conn, now, merger.store.source, merger.store.fast,
                      merger.store.sender, self.book)
        store.delta, store.refresh = self.delta, self.refresh
        return store

    def _write(self, conn, index: int, local: dict | None, dossier_id: int | None,
               record: dict, now: str, chosen: bool) -> None:
        """Package `index`'s record written over this installation's version: new, a
        fast-forward, or taken (its `import` event naming the package); where its rows came
        from recorded (core.actor_names), and, when the clerk chose it, the choice."""
        store = self._store(index, now)
        before = actor_names.maxima(conn)
        outcome = compare.classify(local, record)
        if outcome == compare.NEW:
            store.insert_new([record])
        elif outcome == compare.CHANGED:
            assert dossier_id is not None and local is not None  # (classify: held here)
            store.fast_forward(dossier_id, local, record)
        elif outcome in (compare.CONFLICT, compare.OLDER):
            assert dossier_id is not None and local is not None
            store.take_theirs(dossier_id, local, record)
            chosen = False  # (take_theirs remembers it)
        if chosen and outcome != compare.IDENTICAL:
            store.book.remember(record, THEIRS, store.source, now, store.sender)
        merger = self.mergers[index]
        actor_names.record_origin(conn, merger.reader.manifest.data, self._name(index), before,
                                  store.here, now)

    def _taken_before(self, conn, entries: list[tuple[int, dict]], before: list[int],
                      now: str) -> None:
        """The records the version taken over this installation's goes on from (a sender's
        earlier month-end given in the same operation), remembered as taken too when they do
        not read as older than what is now here — as one package at a time remembers each
        record it takes. The taken dossier's history holds this installation's events beside
        the package's (store.take_theirs: an event both hold is kept once), so an earlier
        record is not always a part of it: unremembered, the same operation run again asked
        about it again (pending, or a --choose of the later package refused) instead of
        changing nothing (spec 9)."""
        if not before:
            return
        code = entries[before[0]][1]["code"]
        dossier_id = records.ids_by_code(conn, [code])[code]
        here = recode.as_sent(next(iter(records.dossier_records(conn, [dossier_id], False))),
                              [r for _, r in entries])
        for k in before:
            index, record = entries[k]
            if compare.classify(here, record) not in (compare.IDENTICAL, compare.OLDER):
                store = self._store(index, now)
                store.book.remember(record, THEIRS, store.source, now, store.sender)

    def _apply_choice(self, conn, local: dict | None, dossier_id: int | None,
                      entries: list[tuple[int, dict]], live: list[int], chosen: int | None,
                      now: str) -> None:
        """The chosen version written (none: this installation's kept); every record changing
        something here not on its line remembered as not taken."""
        taken = None if chosen is None else entries[chosen][1]
        if chosen is not None:
            self._write(conn, entries[chosen][0], local, dossier_id, entries[chosen][1], now,
                        True)
            self._replaced(conn, entries[chosen][0], local, dossier_id, entries[chosen][1])
            self._taken_before(conn, entries, [
                k for k in live if k != chosen and _on_line(entries[k][1], entries[chosen][1])],
                now)
        for k in live:
            index, record = entries[k]
            if taken is not None and _on_line(record, taken):
                continue
            self._store(index, now).keep_ours(record, _clash(local, record))
            self._left_out(index, record, taken or local)

    def _left_out(self, index: int, record: dict, here: dict | None) -> None:
        """A package's record not taken: when it is another citizen's dossier than the one
        the code keeps here, its votes on that code are not this one's (_Merger.foreign)."""
        if here is not None and not compare.same_dossier(here, record):
            self.mergers[index].foreign.add(self.mergers[index].sent_code(record))

    def write_facts(self, conn) -> None:
        """Derived data of what was written: the senders' when the rules are the same here,
        else computed; everything when new calendar days changed existing due times."""
        facts.write_kpi_rows(conn, self.delta)
        if self.recompute_all:
            facts.rebuild_all(self.db)
            return
        facts.refresh(self.db, self.refresh)


class _Merger:
    def __init__(self, db, reader: PackageReader, result: ExchangeResult, default: str | None,
                 choices: dict[str, str], progress: Progress | None):
        self.db, self.reader, self.result = db, reader, result
        self.default, self.choices, self.progress = default, choices, progress
        self.where = "bản kê"
        self.catalogue_default: str | None = None
        self.catalogue_choices: dict[str, str] = {}
        self.total = reader.records_in["dossiers.jsonl"]
        self.delta: Counter = Counter()     # shared by the packages of one operation (_Run)
        self.refresh: list[int] = []
        self.recompute_all = False
        self.run_of: _Run | None = None
        self.book: ChoiceBook  # the operation's (_Run.book)
        self.index = 0  # its place in the operation (_Run.mergers)
        self.left: tuple[list[int] | None, list[int] | None] = (None, None)
        self.copied = 0
        self.cal: WorkCalendar | None = None  # today's office hours, for a procedure's cut-off

    def run(self, conn) -> None:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # units may name parents listed later
        calendar_added = self._catalogue(conn)
        calendar_added |= self._take_catalogue()
        fingerprint = records.rules_fingerprint(conn, VERSION)
        self.result.fast = fingerprint == self.reader.manifest.data.get("rules_fingerprint")
        self.units = {r[0] for r in conn.execute("SELECT code FROM units")}
        self.procedures = {r[0] for r in conn.execute("SELECT code FROM procedures")}
        now = timefmt.to_db_time(timefmt.now())
        sender = sender_key((self.reader.manifest.data.get("installation") or {}).get("id"))
        self.store = Store(conn, now, f"{Path(self.result.path).name} (máy {sender})",
                           self.result.fast, sender, self.book)
        self.store.delta, self.store.refresh = self.delta, self.refresh
        had_dossiers = conn.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() is not None
        # votes this import adds are never matched (_votes): the SQL fast path's neither
        self.first_new_vote = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM votes"
                                           ).fetchone()[0]
        self.before_votes = self.first_new_vote  # (first_new_vote moves on at the end)
        # the operation's new dossiers are indexed for search in one pass at its end (_Run):
        # nothing here changes a stored key (facts, which rewrite keys, run after, with the
        # triggers back)
        self.future = checks.FutureMoments()  # warned, not refused (a sender's wrong clock)
        if self.reader.rows:  # format 3: the whole part at once; format 2: as records are read
            self.future.read(self.reader.part)
        self.sender = recode.sender_of(self.reader.manifest.data)
        # the aliases the package carries of its dossiers (recode.carried: its own dossiers
        # re-coded elsewhere come back as themselves), read before its dossiers are
        self.where = f"phần {ROWS_PART}, mã cũ của các hồ sơ"
        self.carried = recode.carried(self.reader.part) if self.reader.rows else {}
        self.me = recode.own_id(conn)
        self._teaching()
        self.recognised: dict[str, str] = {}  # the package's code: the code here
        # clashes kept beside this installation's (recode), written at the operation's end
        # (_Run.keep_both) with the votes the package gives them
        self.both: list[dict] = []
        self.both_votes: list[dict] = []
        self.both_codes: dict[str, str] = {}  # of `both`: its code, the code it got here
        self.followed: dict[str, str] = {}  # of its records, those on another's alias (_batch)
        # the codes of a clash whose dossier here was kept (not the package's): the package's
        # votes on them are another citizen's, never this dossier's (`vote_batch`) — the
        # package's codes, not the codes here: the package may hold its dossier re-coded here
        # as H (`_batch`'s table) and another citizen's dossier under H, a clash kept out
        # whose votes only are left out (review21)
        self.foreign: set[str] = set()
        # the records read under their code here (`_merge`'s table): {id: (record, its code
        # in the package)}, the record kept so that its id stays its own
        self.sent: dict[int, tuple[dict, str]] = {}
        self.foreign_votes = 0
        # format 1 and 2: the codes of the package's dossier records, and its votes on a code
        # whose record it does not carry that the code cannot place (recode.unsent_codes):
        # {code: (votes, the dossiers here it may be)} — a rows part (format 3) holds every
        # vote's dossier
        self.sent_codes: set[str] | None = None if self.reader.rows else set()
        self.unsent_votes: dict[str, tuple[int, list[str]]] = {}
        self.reopened: list[str] = []  # clashes kept here before, now kept both (_reopened)
        # clashes whose dossier here "theirs" replaced by another citizen's: (code, its id,
        # the votes stored before: `_cancel_replaced`)
        self.replaced: list[tuple[str, int, int]] = []
        self._copy_new(conn, now)
        self._dossiers(conn)
        self._votes(conn)
        self._cancel_replaced(now)
        self.result.warnings += self.future.warnings()
        if self.recognised:  # no new dossier: the sender's code of a dossier here, remembered
            self.result.warnings.append(recode.recognised_text(self.recognised))
        # new calendar days change the due times of the dossiers stored before them
        self.recompute_all = calendar_added and had_dossiers

    def _teaching(self) -> None:
        """The aliases it carries that name a sender merged before it, not known at the
        operation's start: read with its records of them (checked as in its turn), and the
        operation begun again knowing them (_Taught)."""
        run = self.run_of
        if run is None or not self.carried or self.index == 0:
            return
        earlier = {m.sender for m in run.mergers[:self.index]}
        late = {key: code for key, code in recode.teaching(self.carried, earlier, self.me).items()
                if key not in run.taught}
        if not late:
            return
        wanted = sorted(set(late.values()))
        part = self.reader.part
        assert part is not None  # (self.carried: a rows part's)
        ids = [r[0] for chunk in chunks(wanted, 500) for r in part.execute(
            f"SELECT id FROM dossier_rows WHERE code IN ({marks(chunk)}) ORDER BY id", chunk)]
        theirs = {}
        for line, record in self.reader.lines("dossiers.jsonl", only=ids):
            self.where = f"phần {ROWS_PART}, hồ sơ {checks.code_of(record)}"
            checks.check_dossier(record, self.units, self.procedures, line)
            theirs[record["code"]] = record
        found = {key: (code, self.index, theirs[code]) for key, code in late.items()
                 if code in theirs}
        if found:  # (each one new: the operation is begun again a few times at most)
            raise _Taught(found)

    # ----- catalogue ---------------------------------------------------------------------
    def _catalogue(self, conn) -> bool:
        """Add the catalogue rows this installation lacks; differing ones stay ours (the
        catalogue is the administrator's) and are named. True when calendar days came in."""
        added_days = False
        new_units: list[dict] = []
        for part, kind, columns, key in (
                ("units.jsonl", "units", records.UNIT_COLUMNS, "code"),
                ("procedures.jsonl", "procedures", records.PROCEDURE_COLUMNS, "code"),
                ("calendar.jsonl", "calendar", records.CALENDAR_COLUMNS, "date")):
            ours = {r[key]: r for r in cat.stored_records(conn, kind)}
            for number, record in enumerate(self.reader.records(part), 1):
                self.where = self.reader.place(part, number)
                checks.check_catalogue(record, columns, key)
                mine = ours.get(record[key])
                if mine is None:
                    cat.insert_row(conn, kind, record, columns)
                    self.result.catalogue[f"{kind}_new"] += 1
                    added_days |= kind == "calendar"
                    if kind == "units":
                        new_units.append(record)
                    if kind == "procedures":
                        self._warn_cutoff(record)
                elif mine != record:
                    self.result.catalogue[f"{kind}_different"] += 1
                    self.result.catalogue_diffs.append(cat.diff(kind, record[key], mine, record))
        said = cat.new_units_warning(new_units)
        self.result.warnings += [said] if said else []
        return added_days

    def _take_catalogue(self) -> bool:
        """The differing rows the clerk chose to take from the package, after every new row is
        in (a unit may name a parent the package brings). True when one was taken."""
        for item in self.result.catalogue_diffs:
            if cat.choice_of(item, self.catalogue_default, self.catalogue_choices) == cat.THEIRS:
                self.where = f"danh mục, {item.title()}"
                cat.take_theirs(self.db, item)
                self.result.catalogue_taken.append(item.item)
                if item.kind == "procedures":
                    self._warn_cutoff(item.theirs)
        return bool(self.result.catalogue_taken)

    def _warn_cutoff(self, record: dict) -> None:
        """A procedure the package brings in with a cut-off after our office hours' end."""
        if self.cal is None:
            self.cal = load_calendar(self.db).governing(timefmt.now().date())
        warning = cat.late_cutoff_warning(self.cal, record)
        if warning:
            self.result.warnings.append(warning)

    # ----- dossiers ----------------------------------------------------------------------
    def _copy_new(self, conn, now: str) -> None:
        """Format 3: the part's dossiers this centre does not hold (and their votes) copied by
        SQLite (core.exchange.fastcopy, the same rows, chain, ledger and kpi marks as the
        records' way); what it leaves (codes held here, records it does not copy) is read as
        records after it (`left`)."""
        run = self.run_of
        if run is None or run.copier is None:
            return
        name = run.attach(conn, self.reader)
        if name is None:  # format 2, or a part too big for memory with no slot left: the
            run.copier.settle()  # records' way, which may change rows the parts before copied
            return
        self.where = f"phần {ROWS_PART}"
        run.copier.progress = self.progress
        copied = run.copier.copy(name, now=now, fast=self.result.fast,
                                 path=self.reader.part_path)
        if copied.dossiers:  # a Counter with "new: 0" would differ from the records' way
            self.result.dossiers[compare.NEW] += copied.dossiers
        if copied.votes:
            self.result.votes[compare.NEW] += copied.votes
        self.left, self.copied = (copied.left_dossiers, copied.left_votes), copied.dossiers

    def _dossiers(self, conn) -> None:
        batch: list[dict] = []
        done = self.copied
        lines = self.reader.lines("dossiers.jsonl", only=self.left[0])
        for number, (line, record) in enumerate(lines, 1):
            self.where = self.reader.place("dossiers.jsonl", number)
            code = checks.code_of(record)
            self.where += f" (hồ sơ {code})"
            checks.check_dossier(record, self.units, self.procedures, line)
            if not self.reader.rows:
                self.future.see(code, record)
            batch.append(record)
            if len(batch) >= BATCH:
                done += self._batch(conn, batch)
                batch = []
                self._report(done)
        done += self._batch(conn, batch)
        self._report(done)

    def _report(self, done: int) -> None:
        if self.progress and self.progress(done, max(self.total, done)) is False:
            raise InterruptedError("import cancelled")

    def _batch(self, conn, batch: list[dict]) -> int:
        codes = [r["code"] for r in batch]
        if len(set(codes)) != len(codes):
            raise checks.BadRecord("một mã hồ sơ xuất hiện hai lần trong gói")
        size = len(batch)
        if self.sent_codes is not None:
            self.sent_codes.update(codes)
        # the sender's dossiers re-coded here at an earlier clash, under their code here
        table = recode.aliases(conn, self.sender, codes)
        run = self.run_of
        if run is not None and run.taught:  # … or as a package merged after says (_Taught)
            for code, (here, teacher) in recode.taught(conn, self.sender, batch, table,
                                                       run.taught, self.index).items():
                recode.learn_taught(conn, self.sender, code, here,
                                    Path(run.batch.results[teacher].path).name, self.store.now)
                table = {**table, code: here}
        # … or from another sender's package of the same dossier in one operation (keep_both)
        follow = recode.followed(conn, self.sender, batch, table, self._recoded_before(conn))
        if follow:
            self.followed.update(follow)
            table = {**table, **follow}
        # dossiers held here under another code, as the aliases the package carries say
        # (recode.recognise)
        own = recode.recognise(conn, self.me, self.carried, batch, table) \
            if self.carried else {}
        if own:
            recode.adopt(conn, self.sender, own, Path(self.result.path).name, self.store.now)
            self.recognised.update(own)
        table = {**table, **own}
        if table:  # those under their code here first, in a batch of their own: the package
            # may hold another dossier under that code (a clash, met after, against the
            # dossier as the first batch left it)
            self._merge(conn, [r for r in batch if r["code"] in table], table)
            self._merge(conn, [r for r in batch if r["code"] not in table], {})
        else:
            self._merge(conn, batch, table)
        return size

    def _recoded_before(self, conn) -> dict[tuple[str, str], list[str]] | None:
        """recode.recoded_before, read once an operation (the dossiers kept both in it are
        written at its end, after every batch)."""
        run = self.run_of
        if run is None:
            return recode.recoded_before(conn)
        if run.recoded_before is None and recode.any_aliases(conn):
            run.recoded_before = recode.recoded_before(conn)
        return run.recoded_before

    def _merge(self, conn, batch: list[dict], table: dict[str, str]) -> None:
        """A batch's records, under their codes here (`table`: the package's code → here)."""
        if table:
            here = [recode.aliased(r, table) for r in batch]
            self.sent.update({id(a): (a, r["code"]) for r, a in zip(batch, here, strict=True)
                              if a["code"] != r["code"]})
            batch = here
        codes = [r["code"] for r in batch]
        run = self.run_of
        ids = records.ids_by_code(conn, codes)
        local = {r["code"]: r for r in records.dossier_records(conn, list(ids.values()), False)}
        as_here = dict(local)  # with its own events too (_Run.note)
        for code in set(table.values()) & set(local):  # its recode event is not the sender's
            local[code] = recode.without_own(local[code])
        if run is not None and run.defer:  # set aside till every package is merged
            aside = [r for r in batch if r["code"] in run.defer
                     and not run.other_citizen(r["code"], local.get(r["code"]), r)]
            for record in aside:
                run.deferred.setdefault(record["code"], []).append((self.index, record))
                if record["code"] in local:  # whose dossier: another citizen's too? (mixed)
                    run.kind(record["code"], local[record["code"]], record)
            batch = [r for r in batch if all(r is not other for other in aside)]
        if self.carried:  # the aliases of a dossier that is the package's here, learned
            for record in batch:
                code = record["code"]
                if code in self.carried and code not in table.values() and (
                        code not in local or compare.same_dossier(local[code], record)):
                    recode.learn(conn, code, self.carried[code], Path(self.result.path).name,
                                 self.store.now)
        # a fee kept here when a fee changed stays — for the same dossier only: a clash's other
        # citizen's fee says nothing of the package's (kept both, it would lose its own fee)
        fees.keep_in_package(conn, local, [r for r in batch if r["code"] in local and
                                           compare.same_dossier(local[r["code"]], r)])
        new = []
        outcomes = [compare.classify(local.get(r["code"]), r) for r in batch]
        # chosen at an earlier import of the same record: as then, nothing asked, nothing written
        decided = self.book.made([r for r, o in zip(batch, outcomes, strict=True)
                                  if o in (compare.CONFLICT, compare.OLDER, compare.CHANGED)])
        # a sender's line of a dossier not taken before (a version chosen over it) is asked
        # again when it goes on, never fast-forwarded silently
        refused = self.book.kept_from([r for r, o in zip(batch, outcomes, strict=True)
                                       if o == compare.CHANGED and r["code"] not in decided],
                                      self.store.sender)
        for record, outcome in zip(batch, outcomes, strict=True):
            code = record["code"]
            if code in decided and self._reopened(local.get(code), record):
                outcome = compare.CONFLICT
                self.reopened.append(code)
                self.result.reopened += 1
            elif code in decided:
                outcome = compare.DECIDED
                if decided[code] == KEEP and code in local and len(self.result.reopenable) < \
                        CONFLICTS_SHOWN and not compare.same_dossier(local[code], record):
                    self.result.reopenable.append(compare.conflict_of(local[code], record))
            elif code in refused:
                outcome = compare.CONFLICT
            if code in local and decided.get(code) == KEEP and \
                    not compare.same_dossier(local[code], record):
                self.foreign.add(self.sent_code(record))  # a clash kept as this one's before
            if run is not None and outcome == compare.CONFLICT:  # whose dossier (_Run.kinds)
                run.kind(code, local[code], record)
            if outcome == compare.CONFLICT and (self._both(local[code], record) or (
                    self._mixed(code) and not compare.same_dossier(local[code], record))):
                # two dossiers, whichever package's turn made the one here: this one beside it
                self.result.dossiers[outcome] += 1
                self._conflict(ids[code], local[code], record)
                continue
            if run is not None and run.crossing(self.index, code, ids.get(code), record,
                                                outcome, local.get(code)):
                # another package of this operation brought it differently: chosen among all
                # versions at the end, never by keep/theirs in turn (import_packages)
                run.flagged.add(code)
                self.result.dossiers[outcome] += 1
                self.result.conflict_count += 1
                continue
            self.result.dossiers[outcome] += 1
            if run is not None:
                run.note(self.index, code, ids.get(code), as_here.get(code), record, outcome)
            if outcome == compare.NEW:
                new.append(record)
            elif outcome == compare.CHANGED:
                self.store.fast_forward(ids[code], local[code], record)
            elif outcome == compare.CONFLICT:
                self._conflict(ids[code], local[code], record)
        if new:
            self.store.insert_new(new)

    def sent_code(self, record: dict) -> str:
        """The record's code in the package (`_merge` read it under its code here)."""
        found = self.sent.get(id(record))
        return found[1] if found is not None and found[0] is record else record["code"]

    def _reopened(self, local: dict | None, record: dict) -> bool:
        """A clash decided at an earlier import (this installation's dossier kept: the
        sender's citizen left out) that the clerk now names "both" (--choose MÃ=both): the
        package still holds that dossier, so it comes in beside under a new code."""
        return (self.choices.get(record["code"]) in recode.CHOICES_BOTH and local is not None
                and not compare.same_dossier(local, record))

    def _both(self, local: dict, record: dict) -> bool:
        """A clash to keep both of (core.exchange.recode): never a version among packages."""
        return not compare.same_dossier(local, record) and recode.choice(
            self.choices.get(record["code"]), self.default,
            self.run_of.clashes if self.run_of else None, True, record["code"],
            self._mixed(record["code"])) == BOTH

    def _mixed(self, code: str) -> bool:
        return self.run_of is not None and code in self.run_of.mixed

    def _conflict(self, dossier_id: int, local: dict, record: dict) -> None:
        self.result.conflict_count += 1
        clash = not compare.same_dossier(local, record)
        self.result.clashes += clash
        if len(self.result.conflicts) < CONFLICTS_SHOWN:
            self.result.conflicts.append(compare.conflict_of(local, record))
        code, given = record["code"], self.choices.get(record["code"])
        if given in recode.CHOICES_BOTH and not clash and not self._mixed(code):
            # refused at the end unless a package of the operation brings another citizen's
            # dossier of the code too (_import_packages: then read again as mixed)
            if self.run_of is not None:
                self.run_of.both_plain.add(code)
            return
        choice = recode.choice(given, self.default,
                               self.run_of.clashes if self.run_of else None, clash, code,
                               self._mixed(code))
        if choice is None:
            return
        self.result.resolved[choice] += 1
        if choice == BOTH:  # written once the package's dossiers are in (`run`)
            self.both.append(record)
        elif choice == THEIRS:
            self.store.take_theirs(dossier_id, local, record)
            if clash:  # the replaced dossier's votes: cancelled once the package's are in
                self.replaced.append((code, dossier_id, self.before_votes))
        else:  # remembered too: the same package again asks nothing (spec 9, idempotent)
            self.store.keep_ours(record, clash)
            if clash:
                self.foreign.add(self.sent_code(record))

    # ----- votes -------------------------------------------------------------------------
    def _cancel_replaced(self, now: str) -> None:
        """"Theirs" replaced this installation's dossier of a code by another citizen's, in this
        package's turn or at the operation's end (_Run.resolve, `replaced` filled by it): the
        replaced dossier's votes left live on it cancelled with the reason, and said
        (core.exchange.replaced, one rule). The package's votes are in by then (`used`: the
        ones it matched, its citizen's); each entry done once."""
        package = Path(self.result.path).name
        for code, dossier_id, below in self.replaced:
            said = replaced.cancel(self.store, code, dossier_id, below, self.used, package, now)
            if said:
                self.result.warnings.append(said)
        self.replaced = []

    def _votes(self, conn) -> None:
        """Votes are identified by all they say (spec 7); identical ones are counted, so a
        package with two equal paper votes brings two, and importing it again brings none.
        Read in batches: memory stays bounded whatever the part holds. A stored vote matches one
        vote of the package at most (`used`); votes this import adds are never matched."""
        self.used: set[int] = set()
        batch: list[dict] = []
        for number, vote in enumerate(self.reader.records("votes.jsonl", only=self.left[1]), 1):
            self.where = self.reader.place("votes.jsonl", number)
            checks.check_vote(vote, self.units)
            batch.append(vote)
            if len(batch) >= BATCH:
                self.vote_batch(conn, batch)
                batch = []
        self.vote_batch(conn, batch)

    def vote_batch(self, conn, batch: list[dict], deferred: bool = True) -> None:
        """`deferred`: the votes on a code set aside wait for its version chosen (_Run.resolve:
        a new one, or the dossier here, whose package's version may be another citizen's kept
        both or left out: `foreign`), and those on a dossier kept both for its new code
        (_Run.keep_both)."""
        run = self.run_of
        if deferred and self.both:
            kept = {r["code"] for r in self.both}
            self.both_votes += [v for v in batch if v["dossier_code"] in kept]
            batch = [v for v in batch if v["dossier_code"] not in kept]
        if deferred and run is not None and run.defer:
            wait = [v for v in batch if v["dossier_code"] in run.defer]
            if wait:
                run.deferred_votes.setdefault(self.index, []).extend(wait)
                waiting = {id(v) for v in wait}
                batch = [v for v in batch if id(v) not in waiting]
        table = recode.aliases(conn, self.sender, [v["dossier_code"] for v in batch
                                                   if v["dossier_code"] is not None])
        # a vote on the package's dossier kept both in this operation: on the code it got here,
        # whichever package's record of that dossier was written (_Run.keep_both)
        table.update(self.followed)
        table.update(self.both_codes)
        table = {**self.recognised, **table}  # (and those recognised as dossiers here)
        if self.foreign:  # another citizen's vote, on the package's dossier left out, by its
            size = len(batch)  # code in the package (a dossier re-coded here is this one's;
            # one kept both at last, a reopened clash, is written: its votes go with it)
            taken = [v for v in batch if v["dossier_code"] not in self.foreign
                     or v["dossier_code"] in self.both_codes]
            # (the copy a move left on that dossier counts nothing: no note of it either)
            self.foreign_votes += size - len(taken) - sum(
                recode.moved_copy(v) for v in batch if v["dossier_code"] in self.foreign
                and v["dossier_code"] not in self.both_codes)
            batch = taken
        # the copies a move left on the sender's dossier of their code (recode.moved_copy),
        # read before the codes here replace the package's
        moved = {id(v) for v in batch if recode.moved_copy(v)}
        if self.sent_codes is not None:
            batch = self._unsent(conn, batch, table)
        if table:  # a vote on a re-coded dossier is that dossier's (recode)
            mapped = [{**v, "dossier_code": table.get(v["dossier_code"], v["dossier_code"])}
                      for v in batch]
            moved = {id(m) for v, m in zip(batch, mapped, strict=True) if id(v) in moved}
            batch = mapped
        # the dossiers the batch's votes name, in one look-up (not one query a vote)
        dossiers = records.ids_by_code(conn, sorted({v["dossier_code"] for v in batch
                                                     if v["dossier_code"] is not None}))
        stored = records.stored_votes(conn, batch, dossiers, self.first_new_vote, self.used)
        fresh: list[tuple[dict, int | None]] = []
        for vote in batch:
            mine = stored.get(records.vote_key(vote))
            if not mine and id(vote) in moved:  # never had here: left out, as never sent
                continue
            if not mine:
                fresh.append((vote, _vote_dossier(dossiers, vote)))
                self.result.votes[compare.NEW] += 1
                continue
            vote_id, cancelled = mine.pop(0)
            self.used.add(vote_id)
            if cancelled is None and vote["cancelled_at"] is not None:
                self.store.cancel_vote(vote_id, vote)
                self.result.votes[compare.CHANGED] += 1
            else:
                self.result.votes[compare.IDENTICAL] += 1
        self.store.insert_votes(fresh)

    def _unsent(self, conn, batch: list[dict], table: dict[str, str]) -> list[dict]:
        """The batch without the votes that name, without the package carrying its record, a
        code two dossiers here answer to (recode.unsent_codes: this installation's and one
        re-coded from that code at another sender's package): whose dossier the vote is, only
        its record could say (`_batch`: recode.followed, the clash's choice). Not written, never
        on a guess, and said (_Run); those `table` places (the sender's own alias: proven) or
        whose record the package carries go on as the code says."""
        sent = self.sent_codes or set()
        unsent = {v["dossier_code"] for v in batch if v["dossier_code"] is not None
                  and v["dossier_code"] not in table and v["dossier_code"] not in sent}
        doubtful = recode.unsent_codes(conn, self.sender, unsent) if unsent else {}
        if not doubtful:
            return batch
        for vote in batch:
            code = vote["dossier_code"]
            if code in doubtful:
                count = self.unsent_votes.get(code, (0, []))[0]
                self.unsent_votes[code] = (count + 1, doubtful[code])
        return [v for v in batch if v["dossier_code"] not in doubtful]


@dataclass
class _Line:
    """A code moved on in turn (`_Run.note`): this installation's events' count before the
    operation (None: new), each package's record met (package, counted, events' count), and
    whether all are on one line (no conflict, nothing decided before)."""
    start: int | None
    seen: list[tuple[int, str, tuple[int, int]]] = field(default_factory=list)
    straight: bool = True


def _ends(versions: list[dict]) -> list[list[int]]:
    """The ends of the lines of history these package records of one code make: the places
    of each distinct record (by compare.digest) that no other record goes on from (its history
    the start of the other's: compare.classify CHANGED), in the order first met."""
    places: dict[str, list[int]] = {}
    for place, record in enumerate(versions):
        places.setdefault(compare.digest(record), []).append(place)
    firsts = {key: versions[found[0]] for key, found in places.items()}
    return [found for key, found in places.items()
            if not any(other != key and compare.classify(firsts[key], record) == compare.CHANGED
                       for other, record in firsts.items())]


def _clash(local: dict | None, record: dict) -> bool:
    """A package's record of a code that is another citizen's dossier than the one here."""
    return local is not None and not compare.same_dossier(local, record)


def _on_line(record: dict, end: dict) -> bool:
    """Whether `end` is `record` or goes on from it."""
    return compare.classify(record, end) in (compare.IDENTICAL, compare.CHANGED)


def _count_awaiting(result: ExchangeResult, awaiting: dict[str, dict[str, list]],
                    votes: list[dict]) -> None:
    """One package's votes on codes whose version is still to choose, counted as
    `_Merger.vote_batch` will count them once the dossier is written: matched against the
    votes the packages before it in the operation brought to that code (`awaiting`: per code,
    per vote, whether each is cancelled), each at most once; a new one added there."""
    used: set[int] = set()
    for vote in votes:
        stored = awaiting.setdefault(vote["dossier_code"], {}).setdefault(
            records.vote_key(vote), [])
        mine = next((entry for entry in stored if id(entry) not in used), None)
        if mine is None and recode.moved_copy(vote):  # left out (`_Merger.vote_batch`)
            continue
        if mine is None:
            stored.append([vote["cancelled_at"]])
            used.add(id(stored[-1]))
            result.votes[compare.NEW] += 1
            continue
        used.add(id(mine))
        if mine[0] is None and vote["cancelled_at"] is not None:
            mine[0] = vote["cancelled_at"]
            result.votes[compare.CHANGED] += 1
        else:
            result.votes[compare.IDENTICAL] += 1


def _vote_dossier(dossiers: dict[str, int], vote: dict) -> int | None:
    code = vote["dossier_code"]
    if code is None:
        return None
    if code not in dossiers:
        raise checks.BadRecord(f"phiếu gắn với hồ sơ {code!r} không có")
    return dossiers[code]


def _load(conn, path: Path) -> None:
    """The part file's bytes as MEMORY_SCHEMA's content (the previous part's freed). The file
    is the one the reader extracted and verified (checksum, quick_check, exact sqlite_master,
    foreign_key_check, no BLOB where text goes: core.exchange.part) under a name of its own,
    read here once: the bytes are the verified ones. Mapped, not read into Python: SQLite's
    copy is the only one in memory.

    The reader's defences of a hostile part (core.exchange.part._defend: limits, trusted_schema
    OFF, cell_size_check, no mmap, query_only) are its own connection's, where every check ran
    on this file; on the centre's connection the schema is only read by fastcopy's own SQL on
    its tables (no view of the part is used, none of its triggers fires: nothing writes it),
    so trusted_schema and the trigger depth do not come into play; a value is no longer than
    the part (DESERIALIZE_MAX), as read from an attached file by the same connection before;
    a memory database maps no file. No cursor on the schema is open when the bytes change."""
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        conn.deserialize(data, name=MEMORY_SCHEMA)


@functools.cache
def _empty() -> bytes:
    """An empty database's bytes (one page): what MEMORY_SCHEMA holds between operations'
    parts (deserialize takes no zero bytes)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("PRAGMA page_size = 512")
        conn.execute("VACUUM")
        return conn.serialize()
    finally:
        conn.close()
