"""An import: the options and packages checked, the packages opened, everything merged in ONE
transaction, rolled back for a dry run, a conflict without a choice, a bad record or a cancel;
begun again when a later package teaches an alias or codes are met in several versions
(core.exchange.merge)."""
from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from core import timefmt
from core.accounts import require
from core.errors import InputError
from core.exchange import bulk as bulk_path
from core.exchange import checks, compare, held_absent, passes, phases, recode, signing, slots
from core.exchange.merge.merger import _Taught
from core.exchange.merge.opening import _Opening
from core.exchange.merge.options import _check_options, _chosen_packages, _twice
from core.exchange.merge.previewed import as_previewed, still_as_previewed
from core.exchange.merge.results import BatchResult, ExchangeResult
from core.exchange.merge.room import _check_room, _held_max
from core.exchange.merge.run import _Run
from core.exchange.merge.terms import Progress
from core.exchange.package import package_ident
from db.connection import transaction


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


def import_packages(db, paths, *, dry_run: bool = False, conflicts: str | None = None,
                    choices: dict[str, str] | None = None, progress: Progress | None = None,
                    catalogue: str | None = None, catalogue_choices: dict[str, str] | None = None,
                    bulk: bool | None = None, versions: dict[str, str] | None = None,
                    clashes: str | None = None,
                    previewed: BatchResult | None = None,
                    told: Callable[[str], object] | None = None,
                    stop: threading.Event | None = None) -> BatchResult:
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
    `stop`: set by the command line's Ctrl+C (core.exchange.cli_stop), a lone package's
    verification ends within a MB (it runs in this thread, asking no `progress`).
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
                                        previewed=previewed, mixed=mixed, taught=taught,
                                        stop=stop)
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


def _import_packages(db, paths, *, dry_run: bool = False, conflicts: str | None = None,
                     choices: dict[str, str] | None = None, progress: Progress | None = None,
                     catalogue: str | None = None,
                     catalogue_choices: dict[str, str] | None = None,
                     bulk: bool | None = None, versions: dict[str, str],
                     defer: set[str], clashes: str | None = None,
                     previewed: BatchResult | None = None, mixed: set[str] | None = None,
                     taught: dict[tuple[str, str], tuple[str, int, dict]] | None = None,
                     stop: threading.Event | None = None
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
    paths = _given(paths)
    with contextlib.ExitStack() as stack:
        opening = stack.enter_context(_Opening(paths, heard=stop))
        trust = signing.Trust(db)
        run, listed = _run_of(db, paths, opening, progress, trust, dry_run, previewed, versions)
        batch = run.batch
        run.options = (conflicts, choices or {}, catalogue, catalogue_choices or {})
        run.defer = defer
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
                found = _after_merge(run, conn, progress)
                if dry_run or batch.pending or run.flagged - defer or found - run.mixed:
                    phases.enter(progress, phases.ROLLBACK)
                    raise _Rollback
                still_as_previewed(paths, listed, previewed)  # as given, as previewed
                trust.pin(conn)  # a new sender's key, with the import that brought it
                _finish(run, conn, progress)
        except _Rollback:
            return batch, run.flagged - defer, found - run.mixed
        except checks.BadRecord as exc:
            # a reason quoted from the desk (core.catalogue) ends its own sentence: one full stop
            raise run.reader.bad(f"{run.where}: {str(exc).rstrip('.')}.") from None
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError):
            raise _wrong_values(run) from None
        finally:
            batch.results = listed
    _written(batch)
    return batch, set(), set()


# The steps of `_import_packages`, named so that the operation reads as its order: open and
# verify, list what each package says before anything is merged, merge, check, write figures.
def _given(paths) -> list[Path]:
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("Chưa chọn gói trao đổi nào để nhập.")
    return paths


def _run_of(db, paths: list[Path], opening: _Opening, progress: Progress | None,
            trust: signing.Trust, dry_run: bool, previewed: BatchResult | None,
            versions: dict[str, str]) -> tuple[_Run, list]:
    """The operation's run over the packages opened, and their results as given: what the
    clerk reads (results, lines, totals); the run's batch holds them in the merge's order."""
    readers = _opened(db, opening, progress, trust)
    held_max = _held_max(opening.checked, readers)
    batch = _batch_of(db, paths, readers, dry_run, trust)
    as_previewed(paths, batch, previewed)
    versions = _chosen_packages(versions, paths, batch.results)
    listed = batch.results  # as given: what the clerk reads (results, lines, totals)
    batch.results = [listed[given] for given in opening.order]  # … merged in this order
    run = _Run(db, opening, batch, progress)
    run.held_max = held_max
    run.versions = versions
    return run, listed


def _wrong_values(run: _Run) -> Exception:
    """A value of the wrong kind (a list where text goes) or against a constraint: the batch
    written last holds it."""
    return run.reader.bad(f"{run.where} (hoặc một dòng ngay trước): dữ liệu sai kiểu hoặc "
                          "trái ràng buộc của cơ sở dữ liệu.")


def _written(batch: BatchResult) -> None:
    batch.written = True
    for result in batch.results:
        result.written = True


def _opened(db, opening: _Opening, progress: Progress | None, trust: signing.Trust) -> list:
    """The packages' readers, as given: every manifest read, the signatures held to the keys
    pinned here, the disks' room checked and the first package verified whole before anything
    is merged."""
    if progress is not None:  # the clerk's Huỷ heard while the first ones are verified
        opening.poll = lambda: progress(0, max(opening.total, 1))

    def checked(readers) -> int | None:
        trust.check(opening.given())  # the senders' keys, before a manifest steers anything
        return _check_room(db, readers)
    opening.open(checked)
    return opening.given()  # (opening.readers: in the order they are merged)


def _batch_of(db, paths: list[Path], readers: list, dry_run: bool,
              trust: signing.Trust) -> BatchResult:
    """One result per package, as given, with what its manifest alone says (a sender unknown
    or of another slot, two packages of one slot, the same package twice), before any merge."""
    batch = BatchResult([ExchangeResult(str(p), r.manifest.data, dry_run)
                         for p, r in zip(paths, readers, strict=True)], dry_run)
    for reader, result in zip(readers, batch.results, strict=True):
        result.warnings += slots.sender_warnings(db, reader.manifest.data)
    for index, note in slots.shared_slots([r.manifest.data for r in readers]).items():
        batch.results[index].warnings.append(note)
    for index, (first, note) in _twice(paths, readers).items():
        batch.results[index].warnings.append(note)
        batch.results[index].same_as = first
    for reader, result, status in zip(readers, batch.results, trust.statuses, strict=True):
        result.ident = package_ident(reader.manifest.data)
        result.signature = status
    return batch


def _after_merge(run: _Run, conn, progress: Progress | None) -> set[str]:
    """The checks once every package is merged, in the same transaction: the clerk's choices
    written, clashes said, new dossiers out of existence refused; the codes found mixed
    (recode). A pass that found codes to set aside is run again (`once`): what it wrote in
    turn for them (the version merged first) is not what the operation writes, so it refuses
    nothing out of existence — the pass that decides them does, from the version chosen."""
    phases.enter(progress, phases.CHECKS)
    # the clerk's choices: one row per sender, not one per code (store.ChoiceBook)
    run.book.write(timefmt.to_db_time(timefmt.now()))
    results = run.batch.results
    for result in results:
        clash = compare.clash_warning(
            result.clashes, [c.code for c in result.conflicts if c.clash])
        result.warnings += [clash] if clash else []
    found = run.mixed_found()
    if not (run.flagged - run.defer or found - run.mixed):  # (else run again: `once`)
        _refuse_absent(run, conn)
    for code in sorted(run.both_plain - found):  # keep both, for one dossier
        recode.choice(recode.BOTH, None, None, False, code)  # (refused: says why)
    return found


def _refuse_absent(run: _Run, conn) -> None:
    """A new dossier at a unit not in existence on its reception day refuses the operation,
    named in the package that brought it (checks.absent_refusal; the indexes are back: one
    query of look-ups, not a scan); so does a held dossier a package moved there
    (held_absent.moved_refusal: the same query over the held ids)."""
    results = run.batch.results

    def package_of(dossier_id: int) -> int | None:
        for index, result in enumerate(results):
            if result.new_ids and result.new_ids[0] <= dossier_id <= result.new_ids[1]:
                return index
        code = conn.execute("SELECT code FROM dossiers WHERE id = ?", [dossier_id]).fetchone()
        return next((m.index for m in run.mergers  # kept both: its code here
                     if code and code[0] in m.both_codes.values()), None)
    names = [Path(r.path).name for r in results]
    # the units new to this installation in this operation: the advice then goes to the sender
    new_units = set().union(*(m.new_units for m in run.mergers))
    refused = checks.absent_refusal(conn, run.first_new, package_of, names, new_units)
    if refused is None:  # … and a held dossier a package moved out of its unit's dates
        refused = held_absent.moved_refusal(conn, run.first_new, run.outside_before,
                                            _taker(run), names, new_units)
    if refused is not None:
        index, why = refused
        raise run.readers[index if index is not None else 0].bad(why)


def _taker(run: _Run) -> Callable[[int], int | None]:
    """The package whose version of a held dossier stands (the last to take its fields:
    Store.taken), None when none changed it; its sets made only when first asked."""
    taken: list[set[int]] = []

    def package_of(dossier_id: int) -> int | None:
        if not taken:
            taken.extend(set(m.store.taken) for m in run.mergers)
        return next((m.index for m, ids in zip(reversed(run.mergers), reversed(taken),
                                               strict=True) if dossier_id in ids), None)
    return package_of


def _finish(run: _Run, conn, progress: Progress | None) -> None:
    """The derived figures of what was merged, written before the commit."""
    phases.enter(progress, phases.FACTS,
                 phases.facts_items(conn, run.refresh, run.recompute_all))
    run.write_facts(conn)
    # the clerk's Huỷ, clicked while the derived figures were computed, still
    # undoes everything: asked once more before the commit (phases.enter)
    phases.enter(progress, phases.END)
