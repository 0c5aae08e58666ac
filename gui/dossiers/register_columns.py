"""The register's columns fitted to the width the list has: codes, times, the time left and the
status whole; the procedure takes what is left, the applicant and the unit give way first."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt

from core.dossiers import CHANNEL_VI, STATUS_VI
from core.register import PAUSED
from gui import widgets
from gui.fit_columns import ElideStart

WIDTHS = (175, 250, 150, 160, 80, 130, 130, 150, 120)


# The longest code the app makes ({unit}-{YYMMDD}-{NNNN} with a 13-character unit identifier of
# Decision 1/2018): the clerk reads the sequence at its end, so it must never be cut off.
LONG_CODE = "000.00.00.H00-000000-0000"


def code_width(view) -> int:
    return max(WIDTHS[0], view.fontMetrics().horizontalAdvance(LONG_CODE) + 16)


# What the register's columns must show whole (issue 14 §2, §5): times, the time left and the
# status are read at a glance; the procedure takes the width left over and is cut with "…"
# (its whole name is the row's tooltip), so "Thời gian còn lại" and "Trạng thái" stay in view
# at 1366 px without scrolling sideways.
WHOLE = {5: ["00:00 00/00/0000"], 6: ["00:00 00/00/0000"],
         7: [PAUSED, "Quá hạn 12 ngày 7 giờ"],
         4: list(CHANNEL_VI.values()), 8: list(STATUS_VI.values())}
NAMES = {2: 190, 3: 150}  # applicant and unit at full width (a wide screen)...
# ...and the unit at least as wide as a dossier resolved elsewhere needs: at 150 px it was
# cut at 1920 ("… UBND xã Yên Phúc)") beside a 580-px procedure
UNIT_WHOLE = "UBND xã Đồng Giáp (giải quyết: UBND xã Tràng Các)"
PROCEDURE = 1
APPLICANT, UNIT = 2, 3
# At 1366 px the procedure got only what the eight others left (≈115 px: "Đăng ký thay đ…",
# every procedure alike). Below PROCEDURE_ROOM the applicant and unit give up width first,
# down to NAMES_LEAST. The applicant's least is a long usual name whole (APPLICANT_WHOLE): at
# 104 px a search for "hong nhung" showed "Nguyễn Thị …" and hid what it matched. The unit gives
# way instead (its filter names it; the whole name is the row's tooltip).
PROCEDURE_ROOM = 230
# …but never below PROCEDURE_LEAST for the applicant's sake: with the wider fonts of some PCs
# the applicant's whole name left the procedure 60 px ("Đăng …", every procedure alike).
PROCEDURE_LEAST = 100
NAMES_LEAST = {APPLICANT: 104, UNIT: 90}
APPLICANT_WHOLE = "Nguyễn Thị Hồng Nhung"


def fit_columns(table) -> None:
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    table.setColumnWidth(0, code_width(table))
    model = table.model()
    for column, texts in WHOLE.items():
        title = model.headerData(column, Qt.Orientation.Horizontal) if model else ""
        widgets.fit_column(table, column, texts, least=title or "", padding=14)
    for column, width in NAMES.items():
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(PROCEDURE, header.ResizeMode.Stretch)
    # "UBND xã …" on nearly every row at its least: the end tells the units apart
    table.setItemDelegateForColumn(UNIT, ElideStart(table))
    header.setMinimumSectionSize(60)
    table.viewport().installEventFilter(_ProcedureRoom(table))
    balance_columns(table)


def names_least(table) -> dict[int, int]:
    applicant = table.fontMetrics().horizontalAdvance(APPLICANT_WHOLE) + 16
    return {APPLICANT: max(NAMES_LEAST[APPLICANT], applicant), UNIT: NAMES_LEAST[UNIT]}


def names_full(table) -> dict[int, int]:
    unit = table.fontMetrics().horizontalAdvance(UNIT_WHOLE) + 16
    return {APPLICANT: NAMES[APPLICANT], UNIT: max(NAMES[UNIT], unit)}


def balance_columns(table) -> None:
    """Share the width the fixed columns leave between the procedure and the two names: the
    applicant's least first, then the procedure's room, then the names grow to full together."""
    others = sum(table.columnWidth(c) for c in range(table.model().columnCount())
                 if c != PROCEDURE and c not in NAMES)
    least_of = names_least(table)
    # the room left once the procedure has its least: the applicant's whole name gives way
    # first, down to the old least (the unit is at its least already)
    room = table.viewport().width() - others - PROCEDURE_LEAST
    least_of[APPLICANT] = max(NAMES_LEAST[APPLICANT],
                              min(least_of[APPLICANT], room - least_of[UNIT]))
    full_of = {c: max(full, least_of[c]) for c, full in names_full(table).items()}
    least, full = sum(least_of.values()), sum(full_of.values())
    for_names = max(least, min(full, table.viewport().width() - others - PROCEDURE_ROOM))
    share = (for_names - least) / (full - least)
    for column in NAMES:
        table.setColumnWidth(column, round(least_of[column]
                                           + share * (full_of[column] - least_of[column])))


class _ProcedureRoom(QObject):
    """Re-shares the columns when the list is resized (a window maximised, a smaller screen)."""

    def __init__(self, table):
        super().__init__(table)
        self.table = table

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            balance_columns(self.table)
        return False
