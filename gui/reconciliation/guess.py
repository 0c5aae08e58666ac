"""A vendor's export whose columns are named as the window names the fields ("Mã thủ tục",
"Tên thủ tục", "Ngày tiếp nhận"): those columns are chosen already, for the clerk to check,
instead of eleven pickers left at "(không có)" beside columns of the very same names.

`Guessing` is the mapping panel's part that chooses the pickers' columns (the profile's, an
alias the file has, or the field's own name) and says how the header row and the columns were
found beside the header row."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from core.transfer.layout import column_key
from core.transfer.profiles import FIELDS, REQUIRED, found_in

if TYPE_CHECKING:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QComboBox, QLabel

    from core.transfer.files import Table


# the guessed header row once the clerk has chosen every required field's column in it
CONFIRMED = "(dòng có đủ các cột bắt buộc đã chọn)"


def _key(name: str) -> str:
    return column_key(unicodedata.normalize("NFC", name))


def by_field_name(labels: dict[str, str], keys) -> dict[str, str]:
    """field -> the key of the file's column named as the field's label (`labels`: field ->
    its Vietnamese name, core.transfer.profiles.FIELDS), for the fields such a column names."""
    found = {_key(key): key for key in keys if key}
    return {name: found[_key(label)] for name, label in labels.items() if _key(label) in found}


class Guessing:
    """MappingPanel's picking of columns and its note beside the header row (its attributes:
    set by MappingPanel.__init__)."""

    choices: QStandardItemModel
    pickers: dict[str, QComboBox]
    header_how: QLabel
    guessed: dict[str, str]
    # the note's other words, said again (say_header): a text, or what says it of the pickers
    # as they are then (kept_choices.KeptNote)
    header_more: tuple[str | Callable[[Any], str], ...] = ()
    head: object | None
    chosen_row: int | None
    table: Table | None

    def _pick(self, sources: dict[str, str]) -> None:
        keys = {self.choices.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(1, self.choices.rowCount())}
        # a field whose column the file lacks: its column named as the field, if not another's
        self.guessed = by_field_name({k: FIELDS[k] for k in sources if sources[k] and not found_in(
            sources[k], keys)}, keys - {found_in(sources[k], keys) for k in sources})
        for name, picker in self.pickers.items():
            # the profile's name, or an alias the file has, or the field's own name
            found = found_in(sources[name], keys) or self.guessed.get(name)
            index = picker.findData(found) if found else 0
            picker.blockSignals(True)
            picker.setCurrentIndex(max(index, 0))
            picker.blockSignals(False)
        self.say_header()

    def say_header(self, *more: str | Callable[[Any], str]) -> None:
        """How the header row was found, the columns chosen by the fields' names (those still
        chosen so), and `more` (kept_choices: the clerk's columns kept from the file before)."""
        self.header_more = more  # said again at each picker the clerk changes (said_again)
        self.said_again()

    def said_again(self, picked: str | None = None) -> None:
        """The note once the clerk changed a picker by hand (`picked`: its field): the columns
        still chosen by the fields' names counted again (it said "đã chọn sẵn 10 cột…" after
        the clerk had chosen them all herself), the rest as said, told first of the field the
        clerk chose (KeptNote.picked: a field she chose for is not one to choose again)."""
        for said in self.header_more:
            if picked is not None and hasattr(said, "picked"):
                said.picked(picked)
        more = [m(self) if callable(m) else m for m in self.header_more]
        guessed = [name for name, column in self.guessed.items()
                   if self.pickers[name].currentData() == column]
        said = ([f"đã chọn sẵn {len(guessed)} cột mang tên trường; hãy kiểm tra"]
                if guessed else []) + [m for m in more if m]
        self.header_how.setText(" — ".join([self._how(), "; ".join(said)] if said
                                           else [self._how()]))

    def _how(self) -> str:
        if self.head is None:
            return ""
        if self.chosen_row is not None:
            return "(đã chọn)"
        if self.table is not None and self.table.searched:
            if self._required_chosen():
                return CONFIRMED
            return f"(đoán, hãy kiểm tra: {self.table.searched} dòng đầu không có đủ tên cột)"
        return "(tìm theo tên cột)"

    def _required_chosen(self) -> bool:
        """Every required field has its column in the row taken: the guess is confirmed (walk33:
        "(đoán, hãy kiểm tra …)" stayed after the clerk had chosen them all)."""
        return all(self.pickers[f].currentData() for f in REQUIRED if f in self.pickers)
