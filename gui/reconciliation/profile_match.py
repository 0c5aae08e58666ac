"""Next month's file: the saved profile whose columns the file has is chosen for it. The window
opened on the built-in national profile whatever was saved, and a vendor's export (the very
file of last month's mapping) showed "thiếu cột: Kênh thực hiện, Chủ hồ sơ…" until the clerk
remembered to pick the saved name in «Mẫu cột» (walk33)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import MotCuaError
from core.transfer.layout import column_key
from core.transfer.profiles import Profile, list_profiles
from gui import widgets

if TYPE_CHECKING:
    from gui.reconciliation.mapping import MappingPanel


def fitting_profile(panel: MappingPanel) -> str | None:
    """The one saved profile (not the built-in) whose required columns the file's header row
    names, when the profile chosen now finds none of its own (its header row searched for);
    None when the chosen one fits, or no saved one does, or two do (the clerk chooses)."""
    if panel.head is None or panel.table is None or not panel.table.searched:
        return None
    fitting = []
    for profile in list_profiles(panel.db):
        if profile.builtin or profile.name == panel.profiles.currentData():
            continue
        try:
            table = panel.head.at(profile.expected(), profile.header_row)
        except MotCuaError:
            continue
        if not table.searched and all(
                key in table.header for key in _required_keys(profile)):
            fitting.append(profile.name)
    return fitting[0] if len(fitting) == 1 else None


def _required_keys(profile: Profile) -> list[str]:
    return [column_key(column) for column in profile.expected().required]


def choose_fitting(panel: MappingPanel) -> str:
    """Choose fitting_profile in «Mẫu cột» (the pickers follow); what to say beside the header
    row, or ""."""
    name = fitting_profile(panel)
    if name is None:
        return ""
    widgets.select_value(panel.profiles, name)
    return f"đã chọn mẫu cột '{name}' vì tệp có đủ các cột bắt buộc của mẫu ấy; hãy kiểm tra"
