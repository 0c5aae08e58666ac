"""The reconciliation as an .xlsx workbook: one sheet per list, for the clerk who enters the
missing dossiers from a spreadsheet. openpyxl's write-only mode keeps memory flat."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook

from core.errors import OperationError, os_reason
from core.labels import CHANNEL_VI, STATUS_VI
from core.paths import refuse_live_database
from core.reconcile import Reconciliation
from core.reconcile.matching import Item
from core.reconcile.side import footnotes

ITEM_HEAD = ["Mã hồ sơ", "Mã thủ tục", "Chủ hồ sơ", "Kênh", "Tiếp nhận", "Hạn trả",
             "Kết thúc xử lý", "Trạng thái", "Người tiếp nhận"]


def _item(item: Item) -> list:
    return [item.code, item.procedure, item.applicant, CHANNEL_VI[item.channel], item.received,
            item.due, item.finished, STATUS_VI[item.status], item.clerk]


def _sheets(result: Reconciliation) -> list[tuple[str, list, list[list]]]:
    ours = sorted(result.only_ours, key=lambda i: (i.clerk or "\uffff", i.received, i.code))
    return [
        ("Chỉ tiêu", ["Chỉ tiêu", "Nguồn", "MotCua", "Hệ thống tỉnh", "Tỉnh khi nhập đủ",
                      "Thay đổi"],
         [[r.name, r.source] + r.texts + [r.change] for r in result.indicators]
         + [[note] for note in footnotes(result.indicators)]),
        ("Thiếu trên HT tỉnh", ITEM_HEAD, [_item(i) for i in ours]),
        ("Thiếu trong MotCua", ITEM_HEAD, [_item(i) for i in result.only_theirs]),
        ("Khác nhau", ["Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Nội dung", "MotCua",
                       "Hệ thống tỉnh", "Cách ghép"],
         [[d.pair.ours.code, d.pair.theirs.code, d.field, d.ours, d.theirs, d.pair.how]
          for d in result.differences]),
        ("Đã ghép", ["Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Cách ghép"],
         [[p.ours.code, p.theirs.code, p.how] for p in result.pairs]),
    ]


def save_workbook(result: Reconciliation, path: str | os.PathLike) -> Path:
    target = Path(path)
    refuse_live_database(target)
    book = Workbook(write_only=True)
    for title, head, rows in _sheets(result):
        sheet = book.create_sheet(title)
        sheet.append(head)
        for row in rows:
            sheet.append(row)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=".motcua-", suffix=".xlsx", dir=folder)
        os.close(handle)
        book.save(temp)
        os.replace(temp, target)
    except OSError as exc:
        raise OperationError(f"Không ghi được tệp {target}: {os_reason(exc)}.") from exc
    return target
