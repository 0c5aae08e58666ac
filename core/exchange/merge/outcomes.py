"""Each dossier record of a package, in its turn, against this installation's: new, moved on,
identical, older, decided before, set aside for the operation's end, or a conflict decided by
the clerk's choice (core.exchange.merge)."""
from __future__ import annotations

from pathlib import Path

from core import fees
from core.exchange import compare, held_absent, recode, records
from core.exchange.merge.merger_state import _MergerState
from core.exchange.merge.results import CONFLICTS_SHOWN
from core.exchange.merge.terms import BOTH, KEEP, THEIRS


class _Outcomes(_MergerState):
    """_Merger's records classified and written, a batch at a time (`_merge`)."""

    def _merge(self, conn, batch: list[dict], table: dict[str, str]) -> None:
        """A batch's records, under their codes here (`table`: the package's code → here)."""
        batch = self._under_codes_here(batch, table)
        ids = records.ids_by_code(conn, [r["code"] for r in batch])
        local = {r["code"]: r for r in records.dossier_records(conn, list(ids.values()), False)}
        as_here = dict(local)  # with its own events too (_Run.note)
        for code in set(table.values()) & set(local):  # its recode event is not the sender's
            local[code] = recode.without_own(local[code])
        batch = self._set_aside(batch, local)
        self._learn_carried(conn, batch, local, table)
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
        run = self.run_of
        for record, outcome in zip(batch, outcomes, strict=True):
            code = record["code"]
            outcome = self._as_decided(record, outcome, local.get(code), decided, refused)
            if self._apart(ids, local, record, outcome):
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

    # The steps of `_merge`, named: a batch is read under its codes here, what waits for the
    # operation's end set aside, then each record's outcome decided and written.
    def _under_codes_here(self, batch: list[dict], table: dict[str, str]) -> list[dict]:
        """The records under their codes here, each aliased one's code in the package kept
        (`sent_code`)."""
        if not table:
            return batch
        here = [recode.aliased(r, table) for r in batch]
        self.sent.update({id(a): (a, r["code"]) for r, a in zip(batch, here, strict=True)
                          if a["code"] != r["code"]})
        return here

    def _set_aside(self, batch: list[dict], local: dict[str, dict]) -> list[dict]:
        """The batch without the records set aside till every package is merged (run.defer)."""
        run = self.run_of
        if run is None or not run.defer:
            return batch
        aside = [r for r in batch if r["code"] in run.defer
                 and not run.other_citizen(r["code"], local.get(r["code"]), r)]
        for record in aside:
            run.deferred.setdefault(record["code"], []).append((self.index, record))
            if record["code"] in local:  # whose dossier: another citizen's too? (mixed)
                run.kind(record["code"], local[record["code"]], record)
        return [r for r in batch if all(r is not other for other in aside)]

    def _learn_carried(self, conn, batch: list[dict], local: dict[str, dict],
                       table: dict[str, str]) -> None:
        """The aliases of a dossier that is the package's here, learned."""
        if not self.carried:
            return
        for record in batch:
            code = record["code"]
            if code in self.carried and code not in table.values() and (
                    code not in local or compare.same_dossier(local[code], record)):
                recode.learn(conn, code, self.carried[code], Path(self.result.path).name,
                             self.store.now)

    def _as_decided(self, record: dict, outcome: str, local: dict | None,
                    decided: dict, refused) -> str:
        """The record's outcome once the clerk's earlier choices are heard: reopened, decided
        before, or asked again; a clash kept as this one's before is noted (`foreign`)."""
        code = record["code"]
        if code in decided and self._reopened(local, record):
            outcome = compare.CONFLICT
            self.reopened.append(code)
            self.result.reopened += 1
        elif code in decided:
            outcome = compare.DECIDED
            if decided[code] == KEEP and local is not None and len(self.result.reopenable) < \
                    CONFLICTS_SHOWN and not compare.same_dossier(local, record):
                self.result.reopenable.append(compare.conflict_of(local, record))
        elif code in refused:
            outcome = compare.CONFLICT
        if local is not None and decided.get(code) == KEEP and \
                not compare.same_dossier(local, record):
            self.foreign.add(self.sent_code(record))  # a clash kept as this one's before
        return outcome

    def _apart(self, ids: dict, local: dict[str, dict], record: dict, outcome: str) -> bool:
        """Whether the record was dealt with apart from its outcome: two dossiers kept side by
        side, or a version another package of the operation brought differently."""
        code, run = record["code"], self.run_of
        if run is not None and outcome == compare.CONFLICT:  # whose dossier (_Run.kinds)
            run.kind(code, local[code], record)
        if outcome == compare.CONFLICT and (self._both(local[code], record) or (
                self._mixed(code) and not compare.same_dossier(local[code], record))):
            # two dossiers, whichever package's turn made the one here: this one beside it
            self.result.dossiers[outcome] += 1
            self._conflict(ids[code], local[code], record)
            return True
        if run is not None and run.crossing(self.index, code, ids.get(code), record,
                                            outcome, local.get(code)):
            # another package of this operation brought it differently: chosen among all
            # versions at the end, never by keep/theirs in turn (import_packages)
            run.flagged.add(code)
            self.result.dossiers[outcome] += 1
            self.result.conflict_count += 1
            return True
        return False

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
            self.result.conflicts.append(compare.conflict_of(
                local, record, held_absent.version_refused(self.db.conn, local, record)))
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
