"""A package's votes: matched against those stored (identified by all they say), set aside with
their code, carried to a dossier's code here, or left out when another citizen's; a replaced
dossier's votes cancelled (core.exchange.merge)."""
from __future__ import annotations

from pathlib import Path

from core import actor_names
from core.exchange import checks, compare, recode, records, replaced
from core.exchange.merge.merger_state import _MergerState
from core.exchange.merge.results import ExchangeResult


class _Votes(_MergerState):
    """_Merger's votes: `vote_batch`."""

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

    def vote_batch(self, conn, batch: list[dict], deferred: bool = True) -> None:
        """`deferred`: the votes on a code set aside wait for its version chosen (_Run.resolve:
        a new one, or the dossier here, whose package's version may be another citizen's kept
        both or left out: `foreign`), and those on a dossier kept both for its new code
        (_Run.keep_both)."""
        batch = self._held_back(batch, deferred)
        table = self._codes_here(conn, batch)
        batch = self._without_foreign(batch)
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
        self._write_votes(conn, batch, moved)

    # The steps of `vote_batch`: the votes that wait held back, the codes they name here, the
    # other citizens' votes left out, then each vote new, changed or identical.
    def _held_back(self, batch: list[dict], deferred: bool) -> list[dict]:
        """The batch without the votes that wait: on a dossier kept both (its new code), on a
        code set aside (its version chosen)."""
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
        return batch

    def _codes_here(self, conn, batch: list[dict]) -> dict[str, str]:
        """The package's code → the code here of the dossiers the votes name."""
        table = recode.aliases(conn, self.sender, [v["dossier_code"] for v in batch
                                                   if v["dossier_code"] is not None])
        # a vote on the package's dossier kept both in this operation: on the code it got here,
        # whichever package's record of that dossier was written (_Run.keep_both)
        table.update(self.followed)
        table.update(self.both_codes)
        return {**self.recognised, **table}  # (and those recognised as dossiers here)

    def _without_foreign(self, batch: list[dict]) -> list[dict]:
        """The batch without another citizen's votes, on the package's dossier left out, by
        its code in the package (a dossier re-coded here is this one's; one kept both at last,
        a reopened clash, is written: its votes go with it); counted."""
        if not self.foreign:
            return batch
        size = len(batch)
        taken = [v for v in batch if v["dossier_code"] not in self.foreign
                 or v["dossier_code"] in self.both_codes]
        # (the copy a move left on that dossier counts nothing: no note of it either)
        self.foreign_votes += size - len(taken) - sum(
            recode.moved_copy(v) for v in batch if v["dossier_code"] in self.foreign
            and v["dossier_code"] not in self.both_codes)
        return taken

    def _write_votes(self, conn, batch: list[dict], moved: set[int]) -> None:
        """Each vote against those stored: new (written), cancelled since, or identical."""
        # the dossiers the batch's votes name, in one look-up (not one query a vote)
        dossiers = records.ids_by_code(conn, sorted({v["dossier_code"] for v in batch
                                                     if v["dossier_code"] is not None}))
        # the stored walk-in votes that may be the sender's: of the same origin, or saying
        # none and brought by its own earlier packages (two counters' same-moment votes are
        # two: core.actor_names.vote_ranges, records.vote_match)
        senders = (actor_names.vote_ranges(conn, self.sender)
                   if any(v["dossier_code"] is None for v in batch) else None)
        stored = records.stored_votes(conn, batch, dossiers, self.first_new_vote, self.used,
                                      senders)
        fresh: list[tuple[dict, int | None]] = []
        for vote in batch:
            mine = records.vote_match(stored, vote, senders)
            if not mine and id(vote) in moved:  # never had here: left out, as never sent
                continue
            if not mine:
                fresh.append((vote, _vote_dossier(dossiers, vote)))
                self.result.votes[compare.NEW] += 1
                continue
            vote_id, cancelled, _origin = mine
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
