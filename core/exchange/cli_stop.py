"""Ctrl+C during `exchange import` on the command line, heard as the window's «Huỷ» (issue 16
§3, core.exchange.cli): core.stopping's rule (the one of every writing command), in the
import's own words (how many packages, a preview).

Python's own Ctrl+C raises KeyboardInterrupt wherever the main thread stands: in the middle of
the merge, of its rollback, of the COMMIT or of the summary, and the operator could not know
whether the packages were written. Here, while the import runs, Ctrl+C only sets a flag; the
import asks it at every report of its progress (the rows, each phase, SQLite's steps while the
indexes are made, and once more just before its COMMIT: core.exchange.phases), as it asks the
window's «Huỷ», and stops there with the transaction rolled back; the verification of a lone
package (run in the main thread, asking nothing) is stopped by the flag's Event (`heard`)
within a MB. Ctrl+C that comes after the COMMIT stops nothing: the import is whole, and the
operator is told so. A second Ctrl+C is not waited on: the handler before is put back and the
import stopped where it stands (Stopped: before the COMMIT its transaction rolls back), said in
words, not a traceback.

The handler is this module's only while the import runs: the one before is put back as it was
(`signal.getsignal`'s value, whatever it is); a process that ignores Ctrl+C (SIG_IGN, as a
service or a test runner may start it) keeps ignoring it, and a thread other than the main one
(which cannot set a handler) leaves it alone. The second process of the copier ignores Ctrl+C
from its start (core.exchange.fastcopy.jobs.spawned_pool, by core.stopping.ignoring_ctrl_c):
the terminal sends it to every process of the command, and the main process alone decides.
"""
from __future__ import annotations

from core import stopping
from core.stopping import Stopped
from core.timefmt import vn_number

__all__ = ["AGAIN_TEXT", "CtrlC", "Stopped", "late_text", "stopped_text"]


class CtrlC(stopping.CtrlC):
    """core.stopping's flag, its second Ctrl+C said in the import's words."""

    def __init__(self) -> None:
        super().__init__(AGAIN_TEXT)


AGAIN_TEXT = ("Đã dừng ngay theo yêu cầu (Ctrl+C lần thứ hai). Nếu việc nhập chưa ghi xong thì "
              "không gì được ghi: cơ sở dữ liệu vẫn như trước khi nhập; nếu đã ghi xong thì kết "
              "quả được giữ, nhập lại cùng gói cũng không thay đổi gì thêm.")


def stopped_text(packages: int, dry_run: bool) -> str:
    """Ctrl+C heard before the COMMIT: the import stopped, its transaction rolled back."""
    which = "gói" if packages == 1 else f"{vn_number(packages)} gói"
    if dry_run:
        return (f"Đã dừng theo yêu cầu. Chưa ghi gì: việc kiểm tra {which} dừng giữa chừng, cơ "
                "sở dữ liệu không thay đổi.")
    none = "không gói nào" if packages == 1 else f"không gói nào trong {which}"
    return (f"Đã dừng theo yêu cầu. Chưa ghi gì: {none} được nhập, cơ sở dữ liệu vẫn như "
            f"trước khi nhập. Có thể nhập lại {which} này khi cần.")


def late_text(written: bool) -> str:
    """Ctrl+C heard once the import had ended: nothing was stopped."""
    if written:
        return ("Lưu ý: lệnh dừng (Ctrl+C) đến khi gói đã được ghi xong vào cơ sở dữ liệu, nên "
                "việc nhập không dừng: kết quả ở trên đã được giữ. Nhập lại cùng gói cũng không "
                "thay đổi gì thêm.")
    return ("Lưu ý: lệnh dừng (Ctrl+C) đến khi việc kiểm tra đã xong; không có gì được ghi "
            "vào cơ sở dữ liệu.")
