"""What the clerk is told after «Huỷ» during an exchange import or its preview (issue 16 §3).

The dialog used to vanish with no word (round 23's test, F7), and a clerk who cancelled at 50 %
could not know whether half the packages were kept. Nothing is: the import is one transaction,
rolled back on the cancel (core.exchange.merge.import_packages), and a preview never writes.
Not said when the clerk cancelled to close the program (gui.closing): the question said it, and
the window closes as the job stops.
"""
from __future__ import annotations

from core.timefmt import vn_number
from gui import closing, widgets

TITLE = "Đã huỷ nhập gói"
PREVIEW_TITLE = "Đã huỷ xem trước gói"


def _packages(count: int) -> str:
    return "gói" if count == 1 else f"{vn_number(count)} gói"


def import_text(packages: int) -> str:
    return (f"Đã huỷ việc nhập {_packages(packages)} trao đổi. Chưa ghi gì: không gói nào được nhập, cơ sở dữ "
            "liệu vẫn như trước khi nhập. Có thể nhập lại các gói này khi cần.")


def preview_text(packages: int) -> str:
    return (f"Đã dừng việc kiểm tra {_packages(packages)} trao đổi. Chưa nhập gói nào, cơ sở dữ liệu không "
            "thay đổi.")


def tell_import(window, packages: int) -> None:
    if not closing.closing_down(window):
        widgets.inform(window, TITLE, import_text(packages))


def tell_preview(window, packages: int) -> None:
    if not closing.closing_down(window):
        widgets.inform(window, PREVIEW_TITLE, preview_text(packages))
