"""One operation over several packages inside the transaction: the packages merged in turn,
each rows part readable by the centre's connection for the SQL copy (in memory or attached),
then the codes set aside and the clashes kept both, then the derived figures
(core.exchange.merge)."""
from __future__ import annotations

import contextlib
import functools
import mmap
import sqlite3
from pathlib import Path

from core import actor_names, facts, unit_absent
from core.exchange import bulk as bulk_path
from core.exchange import fastcopy, phases, recode, two_routes
from core.exchange.merge.lines import _Lines
from core.exchange.merge.merger import _Merger
from core.exchange.merge.part_files import _PartFiles
from core.exchange.merge.resolving import _Resolving
from core.exchange.merge.results import ExchangeResult
from core.exchange.merge.units_first import _UnitsFirst
from core.exchange.package import PackageReader
from db import fulltext

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


class _Run(_PartFiles, _Lines, _Resolving, _UnitsFirst):
    """One operation over several packages: the search index and (on the bulk path) the
    dossiers' secondary indexes put back once, the kpi_daily marks and the dossiers whose
    facts need computing gathered over all packages and written once."""

    def merge_all(self, conn, bulk: bool | None) -> None:
        first_new = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM dossiers").fetchone()[0]
        self.first_new = first_new
        self.outside_before = unit_absent.held_outside(conn, first_new)  # (indexes still there)
        # the operation's first vote: those before it were stored by earlier imports or here
        self.first_vote = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM votes"
                                       ).fetchone()[0]
        self._hold_codes(conn)
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
                self.units_in = self.units_first(conn)  # (units_first: every package's)
                for index, result in enumerate(self.batch.results):
                    reader = self.reader = self._verified(index)
                    self._merge_one(conn, reader, result)
                    self.release(reader)
                self._operation_end(conn, copier)
                self.forget()  # the last part's memory, before the facts are computed
                copier.flush()
                phases.enter(self.progress, phases.INDEXES)  # (the blocks' ends)
        self.copier = None  # (its jobs ended: the second process stopped, its threads ended)
        self.sweep()

    # The steps of `merge_all` before and after the packages' turns, named: the codes the SQL
    # copy must leave to the records' way, and what is decided and said once all are merged.
    def _hold_codes(self, conn) -> None:
        """The codes the SQL copy leaves to the records' way (fastcopy.DEFERRED)."""
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

    def _operation_end(self, conn, copier) -> None:
        """Once every package had its turn: the lines counted, the codes set aside decided,
        the dossiers kept both written, and what to tell each sender said."""
        phases.enter(self.progress, phases.SETTLE, sum(len(m.both) for m in self.mergers))
        if not self.units_in:  # (each package's units were taken in its turn)
            self.unit_links(conn, self.mergers)
        self.count_lines()
        if self.deferred or self.versions:
            copier.settle()  # the rows copied summed before the records' way writes
            self.resolve(conn)
        if any(m.both for m in self.mergers):
            copier.settle()
            self.keep_both(conn)
        for merger in self.mergers:  # its dossiers kept both are in now, under their codes
            merger.hours_said(conn)
        for index, made in self.recoded.items():  # what to tell the sender
            self.batch.results[index].warnings.append(recode.recoded_text(made))
        for merger in self.mergers:  # in turn or once the versions were chosen
            if merger.foreign_votes:
                merger.result.warnings.append(
                    recode.foreign_votes_text(merger.foreign_votes))
            if merger.unsent_votes:
                merger.result.warnings.append(
                    recode.unsent_votes_text(merger.unsent_votes))

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

    def made(self, index: int) -> _Merger:
        """Package `index`'s merger (verified: `_verified`), made once, its progress given in
        its turn (`_merge_one`)."""
        if index not in self.ready:
            default, choices, catalogue, catalogue_choices = self.options
            merger = _Merger(self.db, self.readers[index], self.batch.results[index], default,
                             choices, None)
            merger.catalogue_default, merger.catalogue_choices = catalogue, catalogue_choices
            merger.delta, merger.refresh = self.delta, self.refresh
            merger.run_of, merger.book = self, self.book
            merger.index = index
            self.ready[index] = merger
        return self.ready[index]

    def _merge_one(self, conn, reader: PackageReader, result: ExchangeResult) -> None:
        offset, outer = self.done, self.progress
        merger = self.merger = self.made(len(self.mergers))
        merger.progress = None if outer is None else (
            lambda done, _total: outer(offset + done, max(self.total, offset + done)))
        self.mergers.append(merger)
        before = actor_names.maxima(conn)
        merger.run(conn)
        sender = str((reader.manifest.data.get("installation") or {}).get("id") or "")
        twice = two_routes.warning(conn, before["vote_rows"], sender)
        result.warnings += [twice] if twice else []
        last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM dossier_rows").fetchone()[0]
        if last > before["dossier_rows"]:
            result.new_ids = (before["dossier_rows"] + 1, last)
        # where its rows came from, so their logins are named as the sender's (spec 10)
        actor_names.record_origin(conn, reader.manifest.data, Path(result.path).name, before,
                                  merger.store.here, merger.store.now, merger.signature)
        reader.rest()  # its connection closed till read again (PackageReader.part)
        self.recompute_all |= merger.recompute_all
        self.done += sum(result.dossiers.values())

    def write_facts(self, conn) -> None:
        """Derived data of what was written: the senders' when the rules are the same here,
        else computed; everything when new calendar days changed existing due times."""
        facts.write_kpi_rows(conn, self.delta)
        if self.recompute_all:
            facts.rebuild_all(self.db)
            return
        facts.refresh(self.db, self.refresh)


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
