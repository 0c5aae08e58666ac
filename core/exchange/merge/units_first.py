"""Every package's units judged before any package's dossiers (issue 16 §3, round 33).

A unit's dates decide whether the operation may be written: a dossier received outside its
unit's life (core.moment.unit_absent_reason), a unit's dates against the dossiers held
(core.moment.unit_span_refusal), its links (core.catalogue.check_links). Judged in turn and
after the merge, a package refused for them was found only once the whole operation (a
month-end: 40 s and more) had run and rolled back, the preview too. So, when the temporary
folder holds every package's part at once (room.py: the room counted up front), every package
is verified first, then, before any dossier: each package's new units added and its differing
ones listed (catalogue_rows, in the operation's order), then the versions of held units the
clerk chose taken, then the links of all of them checked once (this installation's units and
every package's: the packages' order decides no verdict), then every package's dossiers its
catalogue as it will stand cannot keep, found by the one query (unit_absent.units_absent_in)
and said in the words of the refusal after the merge (checks.absent_said). The same functions
run in the preview and the import: the same words, nothing written. Without the room, each
package's units come in its turn and their links after the last (as before round 33); so
they do when a package is damaged, its error named in its turn (a package before it with a bad
record is named first, as the operation's order says).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core import unit_absent
from core.exchange import catalogue, checks
from core.exchange.checks import BadRecord
from core.exchange.merge.run_state import _RunState
from core.unit_absent import Absent
from db.batches import rows_in

if TYPE_CHECKING:
    from core.exchange.merge.merger import _Merger
    from core.exchange.package import PackageReader

# a part's dossier id made the operation's own (the parts' ids begin at 1 each): its
# package's place times this, plus the id
_PLACE = 1 << 40
# the codes a dossier may be met under elsewhere (its own, or an alias's either side)
_HELD_SQL = "SELECT code FROM main.dossier_rows WHERE code IN ({marks})"
_ALIAS_SQL = tuple(f"SELECT {side} FROM main.code_aliases WHERE {side} IN ({{marks}})"
                   for side in ("sender_code", "local_code"))


class _UnitsFirst(_RunState):
    """_Run's units before its dossiers: `units_first`, `unit_links`."""

    if TYPE_CHECKING:
        def _verified(self, index: int) -> PackageReader: ...  # (_Run)
        def made(self, index: int) -> _Merger: ...  # (_Run)

    def units_first(self, conn) -> bool:
        """Every package's units in, the chosen versions taken, their links and the dossiers
        their dates cannot keep judged, before any package's dossiers; False (nothing done)
        when the temporary folder cannot hold every package's part at once, or a package's
        verification failed (its error then comes in its turn, as the order says)."""
        if len(self.readers) > 1 and self.held_max < len(self.readers):
            return False
        if not all(self.opening.passes(i) for i in range(len(self.readers))):
            return False  # a damaged package: named in its turn, after the packages before it
        conn.execute("PRAGMA defer_foreign_keys = ON")  # units may name parents listed later
        for index in range(len(self.readers)):
            reader = self._verified(index)
            self.merger, self.reader = self.made(index), reader
            self.merger.unit_rows(conn)
            reader.rest()  # its connection closed till read again
        for index in range(len(self.readers)):
            self.merger, self.reader = self.made(index), self.readers[index]
            self.merger.take_units()
        self.unit_links(conn, [self.made(i) for i in range(len(self.readers))])
        self._dates_early(conn)
        self.merger, self.reader = None, self.readers[0]
        return True

    def unit_links(self, conn, mergers: list[_Merger]) -> None:
        """The links of every unit the packages added (catalogue.check_new_links) and of the
        versions of held units taken (catalogue.check_taken_links: each code's last), once
        all are in, the loops read and walked once: checked against this installation's units
        and every package's, so a unit or a version naming a parent a later package brings
        passes, whatever the packages' order. A refused one is named in the package that
        brought it (its reader and place, for the operation's BadRecord)."""
        last = {record["code"]: (merger, place, record) for merger in mergers
                for place, record in merger.taken_unit_rows}
        if not last and not any(m.new_unit_rows for m in mergers):
            return
        loops = catalogue.unit_loops(conn)
        for merger in mergers:
            for place, record in merger.new_unit_rows:
                self._linked(catalogue.check_new_links, conn, record, loops, merger, place)
        for merger, place, record in last.values():
            self._linked(catalogue.check_taken_links, conn, record, loops, merger, place)

    def _linked(self, check, conn, record: dict, loops: dict, merger: _Merger,
                place: str) -> None:
        try:
            check(conn, record, loops)
        except BadRecord:
            self.merger, self.reader, merger.where = merger, merger.reader, place
            raise

    def _dates_early(self, conn) -> None:
        """The dossiers of every package (format 3: its rows part, one query of index look-ups
        per package) received at, or given to, a unit not in existence on their reception day
        by the catalogue as the operation leaves it, and surely new here (`_surely_new`): the
        operation refused naming the package of the first (checks.absent_said, the words of
        the refusal after the merge, which finds the others)."""
        dated = conn.execute(unit_absent.DATED_UNITS_SQL).fetchall()
        if not dated or not all(r.rows for r in self.readers):
            return
        found: list[Absent] = []
        for index, reader in enumerate(self.readers):
            rows = unit_absent.units_absent_in(reader.part, dated)
            reader.rest()
            new = self._surely_new(conn, index, {r.code for r in rows}) if rows else set()
            found += [r._replace(id=index * _PLACE + r.id) for r in rows if r.code in new]
        if not found:
            return
        found.sort(key=lambda r: (r.unit, r.received, r.code, r.column))
        names = [Path(r.path).name for r in self.batch.results]
        mergers = [self.made(i) for i in range(len(self.readers))]
        new_units = set().union(*(m.new_units for m in mergers))
        first, why = checks.absent_said(conn, found, {r.id: r.id // _PLACE for r in found},
                                        names, new_units)
        raise self.readers[first or 0].bad(why)

    def _surely_new(self, conn, index: int, codes: set[str]) -> set[str]:
        """Of package `index`'s dossier codes, those its merge can only write as new dossiers
        as they are: held here under no code or alias, brought by no other package, carried as
        an alias by none, set aside by no choice of versions nor taught (the records' way
        decides those; the refusal after the merge judges what it wrote)."""
        out = codes - self.defer - set(self.versions) - {c for _s, c in self.taught}
        out -= _met(conn, out, _ALIAS_SQL + (_HELD_SQL,))
        for other, reader in enumerate(self.readers):
            out -= _met(reader.part, out, _ALIAS_SQL + ((_HELD_SQL,) if other != index else ()))
            reader.rest()
        return out


def _met(conn, codes: set[str], queries: tuple[str, ...]) -> set[str]:
    """Those of `codes` any of `queries` finds in `conn`."""
    listed = sorted(codes)
    return {row[0] for sql in queries if listed for row in rows_in(conn, sql, listed)}
