"""The lines of history of the codes the packages of an operation bring: a record that crosses
an earlier package's version, and the codes moved on in turn counted whatever the packages'
order (core.exchange.merge)."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.exchange import compare, recode
from core.exchange.merge.run_state import _RunState


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


class _Lines(_RunState):
    """_Run's codes met in turn: `crossing`, `note`, `count_lines`."""

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
