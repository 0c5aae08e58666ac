"""Import and export from the window, through core.transfer, in a worker with progress."""
from __future__ import annotations

from importlib.util import find_spec

from PySide6.QtWidgets import QFileDialog, QInputDialog

KINDS_VI = {"units": "Đơn vị", "procedures": "Thủ tục", "calendar": "Lịch làm việc",
            "dossiers": "Hồ sơ", "payments": "Thanh toán", "votes": "Phiếu đánh giá"}
FILTER = "Bảng tính (*.csv *.xlsx)"


def available() -> bool:
    return find_spec("core.transfer") is not None


def _pick_kind(parent, verb: str) -> str | None:
    labels = list(KINDS_VI.values())
    label, ok = QInputDialog.getItem(parent, f"{verb} dữ liệu", "Loại dữ liệu:", labels, 0, False)
    if not ok:
        return None
    return list(KINDS_VI)[labels.index(label)]
