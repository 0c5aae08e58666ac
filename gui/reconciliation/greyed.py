"""A button greyed in the reconciliation window says why in its tooltip (a clerk at 1366 px
saw «Đổi tên…», «Xóa mẫu…», «Lưu PDF…» grey with no word of what they wait for)."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from gui import permissions

USUAL = "motcua_usual_tip"


def enable(button: QWidget, on: bool, why: str) -> None:
    """Enable `button` (or a field), or grey it with `why` under the tooltip it has when enabled."""
    usual = button.property(USUAL)
    if usual is None:
        usual = button.toolTip()
        button.setProperty(USUAL, usual)
    button.setEnabled(on)
    button.setToolTip(usual if on else f"{usual}\n{why}".strip())


def enable_allowed(button: QWidget, action: str, on: bool, why: str) -> None:
    """`enable`, and greyed with the right it needs and who has it (permissions.needs) while the
    signed-in account may not do `action`: shown, not hidden (walk33: a leader saw no «Lưu mẫu
    cột…» and no word of why her mapping could not be kept)."""
    if permissions.allowed(action):
        enable(button, on, why)
    else:
        enable(button, False, f"Đang mờ: {permissions.needs(action)}")
