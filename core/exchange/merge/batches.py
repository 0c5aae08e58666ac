"""A package's records read in batches of BATCH, checked as they are read: its dossiers (the
progress said after each batch), then its votes (core.exchange.merge)."""
from __future__ import annotations

from core.exchange import checks
from core.exchange.merge.dossiers import _Dossiers
from core.exchange.merge.votes import _Votes

BATCH = 2000


class _Batches(_Dossiers, _Votes):
    """_Merger's reading: `_dossiers`, `_votes`."""

    def _dossiers(self, conn) -> None:
        batch: list[dict] = []
        done = self.copied
        lines = self.reader.lines("dossiers.jsonl", only=self.left[0])
        for number, (line, record) in enumerate(lines, 1):
            self.where = self.reader.place("dossiers.jsonl", number)
            code = checks.code_of(record)
            self.where += f" (hồ sơ {code})"
            checks.check_dossier(record, self.units, self.procedures, line)
            if not self.reader.rows:
                self.future.see(code, record)
            batch.append(record)
            if len(batch) >= BATCH:
                done += self._batch(conn, batch)
                batch = []
                self._report(done)
        done += self._batch(conn, batch)
        self._report(done)

    def _report(self, done: int) -> None:
        if self.progress and self.progress(done, max(self.total, done)) is False:
            raise InterruptedError("import cancelled")

    def _votes(self, conn) -> None:
        """Votes are identified by all they say (spec 7); identical ones are counted, so a
        package with two equal paper votes brings two, and importing it again brings none.
        Read in batches: memory stays bounded whatever the part holds. A stored vote matches one
        vote of the package at most (`used`); votes this import adds are never matched."""
        self.used: set[int] = set()
        batch: list[dict] = []
        for number, vote in enumerate(self.reader.records("votes.jsonl", only=self.left[1]), 1):
            self.where = self.reader.place("votes.jsonl", number)
            checks.check_vote(vote, self.units)
            batch.append(vote)
            if len(batch) >= BATCH:
                self.vote_batch(conn, batch)
                batch = []
        self.vote_batch(conn, batch)
