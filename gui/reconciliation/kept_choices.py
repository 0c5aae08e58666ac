"""The clerk's unsaved column choices across a change of file in the mapping step: choosing
another file (the month's second export, a corrected one) reset every picker to the profile and
dropped what the clerk had chosen and not saved. They are kept for the columns the new file has;
those it lacks go back to the profile, and the panel says which."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from core.transfer.layout import column_key
from core.transfer.profiles import FIELDS, get_profile

NONE = "(không có)"  # the pickers' first line (mapping.MappingPanel)

if TYPE_CHECKING:
    from gui.reconciliation.mapping import MappingPanel


def clerk_choices(panel: MappingPanel) -> dict[str, tuple[str, str]]:
    """{field: (column key, column as the file spells it)} the clerk chose in the file shown
    that differ from the chosen profile (("", "") for a field set to "(không có)"); none
    before a file was shown."""
    if panel.head is None:
        return {}
    profile = get_profile(panel.db, panel.profiles.currentData())
    return {name: (column, panel.pickers[name].currentText() if column else "")
            for name, column in panel.wanted.items()
            if column != column_key(profile.source(name) or "")}


def keep(panel: MappingPanel, chosen: dict[str, tuple[str, str]]) -> list[str]:
    """Choose `kept` again where the new file has the column (or the field set to none); the
    fields dropped (their column not in this file), named to the clerk beside the header row.
    Returns the fields dropped."""
    if not chosen:
        return []
    kept = {name: key for name, (key, _) in chosen.items()}
    keys = {panel.choices.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(1, panel.choices.rowCount())}
    held = {name: column for name, column in kept.items() if not column or column in keys}
    for name, column in held.items():
        picker = panel.pickers[name]
        picker.blockSignals(True)
        picker.setCurrentIndex(max(picker.findData(column), 0) if column else 0)
        picker.blockSignals(False)
        panel.wanted[name] = column
    dropped = [name for name in kept if name not in held]
    left = {name: panel.pickers[name].currentData() or "" for name in dropped}
    # beside the field-name guess's note, not over it (Guessing.say_header); said again at each
    # picker changed, of the choices as they are then (KeptNote)
    panel.say_header(KeptNote(held, left, {name: chosen[name][1] for name in dropped}))
    panel.refresh_preview()
    return dropped


class KeptNote:
    """What `keep` says beside the header row, of the pickers as they are when said: a column
    kept and changed since is no longer "kept", a field dropped and chosen for by the clerk
    since (`picked`) no longer "to choose again" (walk38: "6 cột đã chọn không có trong tệp
    này…" stayed once the clerk had chosen all six again)."""

    def __init__(self, held: dict[str, str], left: dict[str, str], spelt: dict[str, str]):
        self.held = held      # field -> the column kept ("" for "(không có)")
        self.left = left      # field dropped -> what its picker was left at (the profile's)
        self.spelt = spelt    # field dropped -> its column as the previous file spelt it

    def picked(self, name: str) -> None:
        """The clerk chose a column for `name` by hand: a field dropped is hers now, whatever
        column she took (walk38: reset to "(không có)" and chosen again with the very column
        it was left at, it was named as dropped once more)."""
        self.left.pop(name, None)

    def __call__(self, panel: MappingPanel) -> str:
        def now(name: str) -> str:
            return panel.pickers[name].currentData() or ""
        held = [column for name, column in self.held.items() if now(name) == column]
        dropped = [name for name, column in self.left.items() if now(name) == column]
        columns = sum(bool(column) for column in held)  # "(không có)" is no column
        said = []
        if columns:
            said.append(f"giữ {columns} cột đã chọn (chưa lưu) ở tệp trước")
        if len(held) > columns:
            said.append(f"giữ {len(held) - columns} trường đã để «{NONE}» ở tệp trước")
        if dropped:
            said.append(f"{len(dropped)} cột đã chọn không có trong tệp này, chọn lại theo mẫu: "
                        + ", ".join(f"{FIELDS[n]} ({self.spelt[n]})" for n in dropped))
        return "; ".join(said)
