"""A package's dossiers: those new to the centre copied by SQL (format 3), the others read under
their codes here (re-coded, taught, followed, recognised), a batch at a time
(core.exchange.merge)."""
from __future__ import annotations

from pathlib import Path

from core import actor_names
from core.exchange import checks, compare, recode
from core.exchange.merge.outcomes import _Outcomes
from core.exchange.package import ROWS_PART


class _Dossiers(_Outcomes):
    """_Merger's dossiers: `_copy_new`, `_batch`."""

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
                                 path=self.reader.part_path,
                                 senders=actor_names.vote_ranges(conn, self.sender))
        if copied.dossiers:  # a Counter with "new: 0" would differ from the records' way
            self.result.dossiers[compare.NEW] += copied.dossiers
        if copied.votes:
            self.result.votes[compare.NEW] += copied.votes
        self.left, self.copied = (copied.left_dossiers, copied.left_votes), copied.dossiers

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
