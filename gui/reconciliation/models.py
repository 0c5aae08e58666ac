"""The lists of the reconciliation's tabs (gui.table_model.RowsModel shape)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.labels import CHANNEL_VI, STATUS_VI
from core.reconcile import pairs_in_order
from core.reconcile.matching import Difference, Item, Pair, to_enter_order
from core.reconcile.side import Row
from core.textnorm import fold
from core.timefmt import parse_db_time, vn_datetime
from gui.table_model import RowsModel


def _when(value: str | None) -> str:
    return vn_datetime(parse_db_time(value)) if value else ""


class IndicatorsModel(RowsModel):
    HEADERS = ("Chỉ tiêu", "Nguồn", "MotCua", "Hệ thống tỉnh", "Tỉnh khi nhập đủ", "Thay đổi")
    NUMERIC = frozenset({2, 3, 4, 5})

    def display(self, record: Row, column: int) -> str:
        if column == 0:
            return record.name
        if column == 1:
            return record.source
        if column == 5:
            return record.change
        return record.texts[column - 2]

    def sort_value(self, record: Row, column: int):
        return self.display(record, column)


class ItemsModel(RowsModel):
    HEADERS = ("Mã hồ sơ", "Thủ tục", "Chủ hồ sơ", "Kênh", "Tiếp nhận", "Hạn trả", "Trạng thái",
               "Người tiếp nhận")

    def set_rows(self, rows) -> None:
        """In the PDF's and the workbook's order (clerk, then reception: core.reconcile.
        matching.to_enter_order), not the matching's: the paper beside the screen is one list."""
        super().set_rows(sorted(rows, key=to_enter_order))

    def display(self, record: Item, column: int) -> str:
        return [record.code, record.procedure, record.applicant, CHANNEL_VI[record.channel],
                _when(record.received), _when(record.due), STATUS_VI[record.status],
                record.clerk or ""][column]

    def sort_value(self, record: Item, column: int):
        raw = [record.code, record.procedure, fold(record.applicant), record.channel,
               record.received, record.due or "", record.status, fold(record.clerk or "")]
        return raw[column]


class TheirsModel(ItemsModel):
    """The province's dossiers MotCua lacks: no clerk (the file does not say who received
    them), as the PDF and the workbook list them; an empty column stretched over half the
    window was read as data missing."""
    HEADERS = ItemsModel.HEADERS[:-1]


def method_tip(pairs: list[Pair]) -> str:
    """«Cách ghép»'s header tip: the unit every pair made without a code shares, said once
    (Pair.listed leaves it out of each row, to be read whole at 1366 px)."""
    unit = next((p.unit for p in pairs if not p.by_code and p.unit), "")
    shared = f"; các cặp ghép không theo mã còn cùng {unit}" if unit else ""
    return f"Cách ghép{shared}. Đưa chuột lên từng dòng để xem đủ, kèm độ lệch."


class DifferencesModel(RowsModel):
    """What differs, with whose dossier it is (as the printed report lists it)."""
    HEADERS = ("Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ", "Nội dung", "MotCua",
               "Hệ thống tỉnh", "Cách ghép")

    def display(self, record: Difference, column: int) -> str:
        return [record.pair.ours.code, record.pair.theirs.code, record.pair.ours.applicant,
                record.field, record.ours, record.theirs, record.pair.listed][column]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if section == 6 and role == Qt.ItemDataRole.ToolTipRole:
            return method_tip([d.pair for d in self._rows])
        return super().headerData(section, orientation, role)

    def decoration(self, record: Difference, column: int, role):
        """How the pair was made, whole with its gap, when the pointer rests on it."""
        if column == 6 and role == Qt.ItemDataRole.ToolTipRole:
            return record.pair.how
        return None

    def sort_value(self, record: Difference, column: int):
        shown = self.display(record, column)
        return fold(shown) if column == 2 else shown


class UnreadModel(RowsModel):
    """The rows of the provincial file left out (core.transfer RowError): row, column, value,
    reason, as the printed report lists them."""
    HEADERS = ("Dòng", "Cột", "Giá trị", "Lý do")
    NUMERIC = frozenset({0})

    def display(self, record, column: int) -> str:
        return [str(record.row), record.column, record.value, record.reason][column]

    def sort_value(self, record, column: int):
        return [record.row, record.column, record.value, record.reason][column]


class PairsModel(RowsModel):
    """Every match and how it was made; those made without a code first (what a leader must
    check), with both receptions and the gap between them, in the printed report's order
    (core.reconcile.NEAR_HEAD): how the pair was made last, so its long words (the unit shared,
    an uncertainty) never push the gap out of a 1366-pixel window."""
    HEADERS = ("Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Chủ hồ sơ", "Tiếp nhận (MotCua)",
               "Tiếp nhận (tỉnh)", "Lệch (phút)", "Cách ghép")
    NUMERIC = frozenset({5})

    def set_rows(self, rows) -> None:
        super().set_rows(pairs_in_order(rows))

    def display(self, record: Pair, column: int) -> str:
        gap = "" if record.gap is None else str(record.gap)
        return [record.ours.code, record.theirs.code, record.ours.applicant,
                _when(record.ours.received), _when(record.theirs.received), gap,
                record.listed][column]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        """«Cách ghép» says once the unit every pair made without a code shares (Pair.listed
        leaves it out of each row to be read whole at 1366 px)."""
        if section == 6 and role == Qt.ItemDataRole.ToolTipRole:
            return method_tip(self._rows)
        return super().headerData(section, orientation, role)

    def decoration(self, record: Pair, column: int, role):
        """The whole explanation when the pointer rests on it: elided at the window's width
        ("…cùng đơn vị giải quyết; không chắc chắn…" cut short)."""
        if column == 6 and role == Qt.ItemDataRole.ToolTipRole:
            return record.how
        return None

    def sort_value(self, record: Pair, column: int):
        if column == 5:
            return -1 if record.gap is None else record.gap
        if column in (3, 4):
            return (record.ours if column == 3 else record.theirs).received
        shown = self.display(record, column)
        return fold(shown) if column == 2 else shown
