"""A code several packages bring in versions not on one line: every version listed, the one the
clerk chose found and written, the others remembered as not taken (core.exchange.merge)."""
from __future__ import annotations

from core.errors import InputError
from core.exchange import compare, held_absent
from core.exchange.merge.lines import _clash, _on_line
from core.exchange.merge.terms import KEEP, LIVE, THEIRS
from core.exchange.merge.writing import _Writing


class _Choosing(_Writing):
    """_Run's versions of a code listed, and the chosen one applied."""

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
                [self._ident(entries[k][0]) for k in end],
                "" if local is None else held_absent.version_refused(self.db.conn, local,
                                                                     record)))
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
