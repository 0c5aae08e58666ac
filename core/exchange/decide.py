"""What an import leaves the clerk to decide, counted in one place: the command's `--dry-run`
(core.exchange.cli.stop_text) and the window's preview (gui.packages.PreviewDialog) both say
these numbers, so they never disagree about the same packages."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.exchange import compare
from core.timefmt import vn_number

# said beside the count of conflicts chosen at an earlier import (compare.DECIDED), by the
# command (stderr) and the window's preview: they are not asked again, and how to change one
CHANGE_EARLIER_VI = ("Hồ sơ xung đột đã chọn ở lần nhập trước không được hỏi lại. Muốn lấy một "
                     "phiên bản mà lần trước không lấy: chạy lệnh `exchange import` với các "
                     "gói ấy và `--choose MÃ=GÓI` (số hiệu gói hoặc tên tệp gói) cho "
                     "từng mã — lựa chọn mới thay lựa chọn cũ và được ghi vào nhật ký thay đổi "
                     "cài đặt (ai, lúc nào).")


# the window's list of clashes kept here at an earlier import (merge.ExchangeResult.reopenable)
REOPEN_VI = ("Hai hồ sơ khác nhau cùng mã đã chọn \"giữ của máy này\" ở lần nhập trước: hồ sơ "
             "của người kia (gói vẫn mang) chưa vào máy này. Đánh dấu \"Giữ cả hai\" để chọn "
             "lại: hồ sơ ấy vào với mã mới của máy này, phiếu đánh giá của nó đi theo (như lệnh "
             "`exchange import` với `--choose MÃ=both`); không đánh dấu thì giữ như lần trước.")


def reopen_text(rows: list) -> str:
    """The command's list of the clashes kept here at an earlier import that the packages still
    bring (merge.ExchangeResult.reopenable: the window's list with its "Giữ cả hai" boxes), so a
    clerk at the command line can choose again too."""
    lines = [f"{vn_number(len(rows))} mã là hai hồ sơ khác nhau đã chọn \"giữ của máy này\" ở "
             "lần nhập trước; gói vẫn mang hồ sơ của người kia, chưa vào máy này. Muốn nhận hồ "
             "sơ ấy với mã mới của máy này: thêm --choose MÃ=both cho từng mã:"]
    lines += [f"  {c.code} — máy này: {c.ours}; gói{f' {c.package}' if c.package else ''}: "
              f"{c.theirs}" for c in rows]
    return "\n".join(lines)


def older_choice_text(code: str, package: str, kept_before: bool) -> str:
    """Said (a warning: nothing written for that code) when `--choose MÃ=GÓI` names a package
    whose record of the code is older than this installation's (this PC went on from it):
    taking it would undo what was done here, so the choice changes nothing. `kept_before`:
    that version was not taken at an earlier import (this installation's kept)."""
    earlier = " (không được lấy ở lần nhập trước)" if kept_before else ""
    return (f"Hồ sơ {code}: bản của gói {package}{earlier} cũ hơn bản máy này đang có — máy "
            "này đã xử lý tiếp hồ sơ sau đó; lấy bản ấy sẽ xoá những gì đã làm ở đây, nên lần "
            "này không đổi gì. Nếu bản của máy này sai, hãy sửa trên máy này (nút \"Sửa thông "
            "tin…\" của hồ sơ).")

@dataclass(frozen=True)
class ToDecide:
    conflicts: int            # dossiers in conflict with this installation's, no keep/theirs
    codes: tuple[str, ...]    # … their codes, as listed (merge.CONFLICTS_SHOWN a package)
    versions: tuple[str, ...]  # codes several packages bring differently, no version chosen

    @property
    def count(self) -> int:
        return self.conflicts + len(self.versions)


def to_decide(results: Sequence, crossed: Sequence[compare.Crossed],
              chosen: Iterable[str] = ()) -> ToDecide:
    """Of an operation's packages (merge.ExchangeResult each) and the codes they bring in
    several versions (merge.BatchResult.crossed), what is still open: the conflicts without a
    choice, a code two packages bring (one going on from the other's) being ONE dossier to
    decide; and the codes of several versions neither chosen in the operation nor in `chosen`
    (the window's round buttons picked so far)."""
    # a package given twice is counted once (merge.ExchangeResult.same_as)
    results = [r for r in results if not getattr(r, "same_as", "")]
    # a version chosen resolves a code of several versions, not one of these
    single = sum(r.conflict_count - r.crossed - (sum(r.resolved.values()) - r.crossed_resolved)
                 for r in results)
    listed = all(r.conflict_count - r.crossed <= len(r.conflicts) for r in results)
    codes: tuple[str, ...] = ()
    if single > 0:
        codes = tuple(dict.fromkeys(c.code for r in results if r.pending for c in r.conflicts))
        if listed:
            single = len(codes)
    taken = set(chosen)
    return ToDecide(max(single, 0), codes,
                    tuple(c.code for c in crossed if c.chosen is None and c.code not in taken))


def counted_conflicts(results: Sequence) -> int:
    """Every conflict of the packages but those of codes several bring in versions (chosen
    apart, merge.BatchResult.crossed): the «Số lượng» count's number, clashes (two citizens'
    dossiers under one code) and conflicts past the list's length included."""
    return sum(r.conflict_count - r.crossed for r in results if not getattr(r, "same_as", ""))


def conflicts_asked(results: Sequence, listed: Sequence[compare.Conflict]) -> int:
    """The conflicts the window's list stands for (its heading): `counted_conflicts`, with a
    dossier one package goes on from another's once when every conflict is `listed` (its
    lines tick together); each clash is a dossier of its own, listed or not."""
    total = counted_conflicts(results)
    if total > len(listed):  # past the list: what is not seen is counted as the counts count it
        return total
    return len(dict.fromkeys(c.code for c in listed if not c.clash)) + sum(c.clash for c in listed)
