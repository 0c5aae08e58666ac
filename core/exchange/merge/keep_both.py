"""The clashes kept both ("Giữ cả hai"): the package's dossier beside this installation's under
a new code, written once every package's dossiers are in, with its votes (core.exchange.merge)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core import history, timefmt
from core.errors import InputError
from core.exchange import compare, kept_both, phases, recode, records, replaced
from core.exchange.merge.lines import _on_line
from core.exchange.merge.terms import BOTH
from core.exchange.merge.writing import _Writing
from core.exchange.moved import move_note
from core.exchange.store import sender_key
from db import actor as actors

if TYPE_CHECKING:
    from core.exchange.merge.merger import _Merger


class _KeepBoth(_Writing):
    """_Run's clashes kept both."""

    def _both(self, conn, entries: list[tuple[int, dict]], end: list[int], before: list[int],
              writer: int, local: dict, now: str) -> None:
        for k in end:
            self._counted_conflict(entries[k][0], local, entries[k][1], BOTH)
        for k in before:
            self.batch.results[entries[k][0]].dossiers[compare.OLDER] += 1
        self.take_both(conn, [entries[writer]], now)

    def take_both(self, conn, takes: list[tuple[int, dict]], now: str, step=None) -> list[str]:
        """Packages' dossiers (index, record) beside this installation's under new codes, in
        bulk (core.exchange.kept_both), their rows' logins named as the sender's."""
        stores = {i: self._store(i, now) for i in dict.fromkeys(i for i, _ in takes)}
        codes = kept_both.take_all(conn, [kept_both.Take(
            stores[i], r, self._name(i), self.mergers[i].sender,
            self.mergers[i].reader.manifest.data, self.mergers[i].signature)
            for i, r in takes], step)
        for (i, r), code in zip(takes, codes, strict=True):
            self.recoded.setdefault(i, []).append((r["code"], code))
        return codes

    def keep_both(self, conn) -> None:
        """The clashes kept both in the packages' turns, written once every package's
        dossiers are in (a code issued here then is none of theirs), then their votes.

        The packages' records of one dossier in the operation (a sender's two month-ends given
        together, or a counter's package and another's that took it and went on) make ONE
        dossier here, its furthest version (every other on its line), with every record's
        votes (`_both_lines`)."""
        said = recode.issuing_refused(conn, sum(len(m.both) for m in self.mergers))
        if said is not None:  # no code may be issued here yet
            if not self.batch.dry_run:  # a choice the clerk must make first (exit 2), not a
                raise InputError(said)  # state of the program: nothing written
            for merger in self.mergers:  # the preview still shows the clashes, and says so
                merger.result.refused_both = said if merger.both else ""
            return
        now = timefmt.to_db_time(timefmt.now())
        lines = self._both_lines()
        takes: list[tuple[str, list[tuple[int, dict]], tuple[int, dict]]] = []
        # (sender, code) an earlier line re-codes: every line is checked before any is written
        # (`taught_meanwhile` cannot see them yet), and a second alias of it would break
        # code_aliases' key — refused as the one-by-one writing refused it
        taken: dict[tuple[str, str], str] = {}
        for code, line in lines:
            end = self._line_end(conn, code, line, taken)
            taken[self.mergers[end[0]].sender, code] = self._name(end[0])
            takes.append((code, line, end))
        made = self.take_both(conn, [end for *_, end in takes], now,
                              lambda done: phases.step(self.progress, done, len(takes)))
        for (code, line, (index, _record)), new in zip(takes, made, strict=True):
            for other in sorted({i for i, _ in line}):
                # every package's record of that dossier: its votes follow it (`vote_batch`),
                # whichever sender's record was written
                self.mergers[other].both_codes[code] = new
                if other != index:
                    self.recoded.setdefault(other, []).append((code, new))
        self._both_votes(conn, now)

    def _line_end(self, conn, code: str, line: list[tuple[int, dict]],
                  taken: dict[tuple[str, str], str]) -> tuple[int, dict]:
        """The record of `line` (one dossier's records in the packages) that is written: the
        furthest, every other on its line; refused when the records part ways, or when another
        package of the operation, or this PC meanwhile, re-coded the code already."""
        ends = [(index, record) for index, record in line
                if all(_on_line(other, record) for _, other in line)]
        if not ends:
            names = ", ".join(sorted({self._name(index) for index, _ in line}))
            raise InputError(
                f"Hồ sơ {code}: các gói {names} mang những phiên bản khác nhau của cùng một "
                f"hồ sơ (cùng người nộp, thủ tục, đơn vị) chọn \"{recode.BOTH_VI}\". Chưa "
                "ghi gì vào cơ sở dữ liệu. Hãy nhập từng gói một, theo thứ tự lập gói.")
        for other, _record in line:  # another package of the operation named it re-coded
            sender = self.mergers[other].sender
            if sender and (sender, code) in taken:
                raise InputError(_twice_text(code, taken[sender, code], self._name(other)))
            taught = recode.taught_meanwhile(conn, sender, code)
            if taught is not None:
                raise InputError(recode.taught_meanwhile_text(code, self._name(other),
                                                              *taught))
        return ends[-1]

    def _both_votes(self, conn, now: str) -> None:
        """The votes of the dossiers kept both, then those proven another citizen's moved."""
        for merger in self.mergers:
            if merger.both_votes:
                merger.first_new_vote = conn.execute(
                    "SELECT COALESCE(MAX(id), 0) + 1 FROM votes").fetchone()[0]
                merger.vote_batch(conn, merger.both_votes, deferred=False)
            # a reopened clash, or one whose dossier here an earlier "theirs" replaced (before
            # round 22 its citizen's votes stayed live on it): the same move rule, never a guess
            codes = dict.fromkeys([*merger.reopened, *merger.both_codes])
            wanted = recode.wanted_votes(merger.both_votes) if codes else {}
            for code in codes:
                self._move_kept_votes(conn, merger, code, wanted, now)

    def _move_kept_votes(self, conn, merger: _Merger, code: str, wanted: dict,
                         now: str) -> None:
        """A clash kept here at an earlier import, now kept both: the votes that import put on
        this installation's dossier of the code which the package proves are the other
        citizen's (recode.misfiled_votes) are moved to the re-coded dossier — cancelled on this
        one, the reason naming where they went (the package's same votes are on the re-coded
        one: `vote_batch`), one `move_vote` event in the re-coded dossier's history saying
        from which code to which — and both dossiers' facts computed again; those not proven
        are left, and said. No event is added to this installation's dossier: its sender's
        next record of it still goes on from it."""
        new = merger.both_codes.get(code)
        if new is None:
            return
        moved, left = recode.misfiled_votes(conn, code, merger.sender, wanted,
                                            self.first_vote)
        result = self.batch.results[merger.index]
        if moved:
            store = self._store(merger.index, now)
            named = (self._name(merger.index), sender_key(merger.sender),
                     replaced.here_key(conn))
            reason = recode.moved_reason(code, new, *named)
            who = actors.login()
            for vote_id, vote in moved:
                store.cancel_vote(vote_id, {**vote, "cancelled_at": now, "cancel_reason": reason,
                                            "cancelled_by": who})
            ids = records.ids_by_code(conn, [code, new])
            history.record(conn, ids[new], now, who, recode.MOVE_VOTE, None, None,
                           move_note(len(moved), code, *named),
                           {"from_code": code, "to_code": new, "vote_ids": [i for i, _ in moved],
                            "package": self._name(merger.index)})
            self.refresh.extend(ids.values())
            result.warnings.append(recode.moved_text(code, new, len(moved)))
        if left:
            result.warnings.append(recode.left_text(code, len(left)))

    def _both_lines(self) -> list[tuple[str, list[tuple[int, dict]]]]:
        """The records kept both in the packages' turns, grouped by the dossier they are: per
        code, the records of one citizen's dossier (compare.same_dossier) whichever package or
        sender brings them (a counter took another's package and went on: two senders, one
        dossier), in the operation's order. One dossier here for each, never one per sender:
        the sender's code has one code here (code_aliases' key), as when imported one by one,
        and every record's votes go on it."""
        lines: dict[str, list[list[tuple[int, dict]]]] = {}
        for merger in self.mergers:
            for record in merger.both:
                found = lines.setdefault(record["code"], [])
                line = next((line for line in found if all(
                    compare.same_dossier(other, record) for _, other in line)), None)
                if line is None:
                    found.append([(merger.index, record)])
                else:
                    line.append((merger.index, record))
        return [(code, line) for code, found in lines.items() for line in found]


def _twice_text(code: str, first: str, second: str) -> str:
    """Why one sender's code that is two citizens' dossiers in its packages of one operation
    (a backup put back, the code given again) cannot both be kept both: a sender's code has
    one code here (code_aliases' key)."""
    return (f"Hồ sơ {code}: gói {first} và gói {second} của cùng một máy gửi mang hai hồ sơ "
            f"khác nhau (khác người nộp, thủ tục hoặc đơn vị) cùng mã {code}, cả hai chọn "
            f"\"{recode.BOTH_VI}\". Một mã của máy gửi chỉ ứng với một hồ sơ ở máy này. Chưa ghi "
            "gì vào cơ sở dữ liệu. Hãy nhập từng gói một, theo thứ tự lập gói.")
