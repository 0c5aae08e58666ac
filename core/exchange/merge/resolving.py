"""The codes set aside in their packages' turns, decided at the operation's end from this
installation's version as it stands: the same whatever the order of the packages
(core.exchange.merge)."""
from __future__ import annotations

from core import fees, timefmt
from core.errors import InputError
from core.exchange import compare, recode, records
from core.exchange.decide import older_choice_text
from core.exchange.merge.choosing import _Choosing
from core.exchange.merge.keep_both import _KeepBoth
from core.exchange.merge.lines import _clash, _ends
from core.exchange.merge.terms import BOTH, KEEP, LIVE, THEIRS
from core.exchange.merge.votes import _count_awaiting


class _Resolving(_KeepBoth, _Choosing):
    """_Run's codes set aside: `resolve`."""

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
            self._resolve_code(conn, code, now)
        self._deferred_votes(conn, now)

    # The steps of `resolve`: each code set aside decided, then the votes set aside written.
    def _resolve_code(self, conn, code: str, now: str) -> None:
        """One code set aside, decided from this installation's version and the packages'
        records of it (`resolve`)."""
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

    def _deferred_votes(self, conn, now: str) -> None:
        """The votes set aside with their codes, written once the codes are decided."""
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
