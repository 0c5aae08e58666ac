"""The records a package's reader gives: read from a format-3 package's rows part or, one JSON
object a line, from a format-2 package's parts (core.exchange.package.reader)."""
from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, cast

from core.exchange import part as rows_part
from core.exchange.checks import BadRecord
from core.exchange.package import member_json
from core.exchange.package.layout import CHUNK, LINE_MAX, ROWS_PART
from core.exchange.package.manifest import upgrade_record
from core.exchange.package.opened import _Opened
from core.exchange.package.refused import NOT_INFLATED, _bad, damaged


class _Reading(_Opened):
    """The records of a package's parts (PackageReader)."""

    if TYPE_CHECKING:
        def _opened(self) -> sqlite3.Connection: ...  # (core.exchange.package.rows._RowsPart)

    def place(self, name: str, number: int) -> str:
        """Where a record was read, for a message: its part and line, or, in a rows part, its
        kind and rank."""
        if not self.rows:
            return f"phần {name}, dòng {number}"
        kind = {"units.jsonl": "đơn vị", "procedures.jsonl": "thủ tục",
                "calendar.jsonl": "ngày lịch", "dossiers.jsonl": "hồ sơ",
                "votes.jsonl": "phiếu đánh giá"}[name]
        return f"phần {ROWS_PART}, {kind} thứ {number}"

    def _placed(self, name: str, rows: Iterator) -> Iterator:
        """A rows part's records, a record it cannot give (damaged, of the wrong kind) named
        by its place: the merge's own `where` still names the record before it."""
        number = 0
        try:
            for row in rows:
                number += 1
                yield row
        except BadRecord as exc:
            raise self.bad(f"{self.place(name, number + 1)}: {exc}.") from None

    # ----- the records ---------------------------------------------------------------------
    def records(self, name: str, only: list[int] | None = None) -> Iterator[dict]:
        """The records of one part, one JSON object a line, each line's length capped (format
        3: read from the rows part by core.exchange.records; `only`: of these ids of the part
        alone, what the SQL fast path left)."""
        if self.rows and name != "dossiers.jsonl":
            if name == "votes.jsonl":
                yield from self._placed(name, rows_part.vote_records(self._opened(), only))
            else:
                yield from self._placed(name, rows_part.catalogue_records(self._opened(), name))
            return
        for _line, record in self.lines(name):
            yield record

    def lines(self, name: str, only: list[int] | None = None) -> Iterator[tuple[bytes, dict]]:
        """The records of one part with the line each was read from (a check may look at the
        text once instead of at every string of the record: core.exchange.checks). `only`: as
        for `records`, format 3 alone."""
        if self.rows:
            yield from self._placed(name, rows_part.dossier_lines(self._opened(), only))
            return
        if only is not None:
            raise ValueError("only a rows part (format 3) is read by ids")
        # zipfile's own readline is Python, byte run by byte run; io's is C (3× quicker). The
        # zip member has readinto, all a BufferedReader needs of its raw stream.
        with self._member(name) as member, \
                io.BufferedReader(cast(io.RawIOBase, member), CHUNK) as part:
            number = 0
            while line := self._next_line(part, name):
                number += 1
                try:
                    record = member_json.loads(line, f"phần {name}, dòng {number}", LINE_MAX)
                except member_json.MemberRefused as exc:
                    raise _bad(self.path, f"{exc}.") from None
                if not isinstance(record, dict):
                    raise _bad(self.path, f"phần {name}, dòng {number} không phải một bản ghi.")
                if name == "dossiers.jsonl" and self.manifest.data["format_version"] == 1:
                    upgrade_record(record)
                yield line, record

    def _next_line(self, part: IO[bytes], name: str) -> bytes:
        """A part's next line; a stream that does not inflate (the file changed since `verify`
        read it whole) named as a damaged package, not zlib's words."""
        try:
            return part.readline(LINE_MAX + 1)
        except NOT_INFLATED as exc:
            raise damaged(self.path, name, exc) from None
