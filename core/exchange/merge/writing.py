"""A package's record written or left at the operation's end, with what it is counted and
remembered as (core.exchange.merge)."""
from __future__ import annotations

import dataclasses

from core import actor_names
from core.exchange import compare, held_absent, recode, records
from core.exchange.merge.results import CONFLICTS_SHOWN
from core.exchange.merge.run_state import _RunState
from core.exchange.merge.terms import THEIRS
from core.exchange.store import Store


class _Writing(_RunState):
    """_Run's writing of one package record over this installation's, or leaving it out."""

    def _store(self, index: int, now: str) -> Store:
        merger = self.mergers[index]
        store = Store(merger.store.conn, now, merger.store.source, merger.store.fast,
                      merger.store.sender, self.book)
        store.delta, store.refresh = self.delta, self.refresh
        store.taken = merger.store.taken  # (the package's, whichever turn wrote it)
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
                                  store.here, now, merger.signature)

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

    def _left_out(self, index: int, record: dict, here: dict | None) -> None:
        """A package's record not taken: when it is another citizen's dossier than the one
        the code keeps here, its votes on that code are not this one's (_Merger.foreign)."""
        if here is not None and not compare.same_dossier(here, record):
            self.mergers[index].foreign.add(self.mergers[index].sent_code(record))

    def _counted_conflict(self, index: int, local: dict, record: dict,
                          decided: str | None, continued_by: str = "") -> None:
        result = self.batch.results[index]
        result.dossiers[compare.CONFLICT] += 1
        result.conflict_count += 1
        result.clashes += not compare.same_dossier(local, record)
        if len(result.conflicts) < CONFLICTS_SHOWN:
            result.conflicts.append(dataclasses.replace(compare.conflict_of(
                local, record, held_absent.version_refused(self.db.conn, local, record)),
                continued_by=continued_by))
        if decided is not None:
            result.resolved[decided] += 1
