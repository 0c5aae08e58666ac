"""A button greyed in the reconciliation window says why in its tooltip (a clerk at 1366 px
saw «Đổi tên…», «Xóa mẫu…», «Lưu PDF…» grey with no word of what they wait for)."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

USUAL = "motcua_usual_tip"


def enable(button: QWidget, on: bool, why: str) -> None:
    """Enable `button` (or a field), or grey it with `why` under the tooltip it has when enabled."""
    usual = button.property(USUAL)
    if usual is None:
        usual = button.toolTip()
        button.setProperty(USUAL, usual)
    button.setEnabled(on)
    button.setToolTip(usual if on else f"{usual}\n{why}".strip())
