"""The register's columns fitted to the width the list has: codes, times, the time left and the
status whole; the procedure, the applicant and the unit share the rest, the procedure first."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.dossiers import CHANNEL_VI, STATUS_VI
from core.register import PAUSED
from gui import widgets
from gui.fit_columns import ElideName, ElideStart, OnResize

WIDTHS = (175, 250, 150, 160, 80, 130, 130, 150, 120)


# The longest code the app makes ({unit}-{YYMMDD}-{NNNN} with a 13-character unit identifier of
# Decision 1/2018): the clerk reads the sequence at its end, so it must never be cut off.
LONG_CODE = "000.00.00.H00-000000-0000"


def code_width(view) -> int:
    return max(WIDTHS[0], view.fontMetrics().horizontalAdvance(LONG_CODE) + 16)


# What the register's columns must show whole (issue 14 §2, §5): times, the time left and the
# status are read at a glance; the procedure shares the width left over and is cut with "…"
# (its whole name is the row's tooltip), so "Thời gian còn lại" and "Trạng thái" stay in view
# at 1366 px without scrolling sideways.
# Padded by the view's margins (2 × 3 px), the grid line and 3 px: 14 px gave the procedure
# 20 px less at 1366 for nothing
PADDING = 10
WHOLE = {5: ["00:00 00/00/0000"], 6: ["00:00 00/00/0000"],
         7: [PAUSED, "Quá hạn 12 ngày 7 giờ"],
         4: list(CHANNEL_VI.values()), 8: list(STATUS_VI.values())}
NAMES = {2: 190, 3: 150}  # applicant and unit at full width (a wide screen)...
# ...and the unit at least as wide as a dossier resolved elsewhere needs: at 150 px it was
# cut at 1920 ("… UBND xã Yên Phúc)") beside a 580-px procedure
UNIT_WHOLE = "UBND xã Đồng Giáp (giải quyết: UBND xã Tràng Các)"
PROCEDURE = 1
APPLICANT, UNIT = 2, 3
# What the fixed columns leave is shared in this order (`balance_columns`):
#   1. each name its least: the procedure PROCEDURE_LEAST, the applicant and unit NAMES_LEAST;
#   2. the procedure, what a clerk scans, up to PROCEDURE_SHARE of that width (at most
#      PROCEDURE_ROOM);
#   3. the applicant up to a long usual name whole (APPLICANT_WHOLE);
#   4. the procedure up to PROCEDURE_ROOM;
#   5. the applicant and unit together up to full (NAMES, the unit's longest usual label);
#   6. the procedure all the rest (it stretches).
# At 1366 px the applicant's whole name came before the procedure: 101 px in the window's
# 10-pt font, "Đăng ký, cấ…" on every row. Now 162 px ("Đăng ký, cấp Giấy ch…"), the
# applicant 124 (cut by words in its middle, the given name kept: `ElideName`), the unit 100
# (cut at its start, `ElideStart`); each whole in the row's tooltip.
PROCEDURE_LEAST = 100
PROCEDURE_SHARE = 0.42
PROCEDURE_ROOM = 230
NAMES_LEAST = {APPLICANT: 104, UNIT: 100}
APPLICANT_WHOLE = "Nguyễn Thị Hồng Nhung"


def fit_columns(table) -> None:
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    table.setColumnWidth(0, code_width(table))
    model = table.model()
    for column, texts in WHOLE.items():
        title = model.headerData(column, Qt.Orientation.Horizontal) if model else ""
        widgets.fit_column(table, column, texts, least=title or "", padding=PADDING)
    for column, width in NAMES.items():
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(PROCEDURE, header.ResizeMode.Stretch)
    # "UBND xã …" on nearly every row at its least: the end tells the units apart
    table.setItemDelegateForColumn(UNIT, ElideStart(table))
    table.setItemDelegateForColumn(APPLICANT, ElideName(table))
    header.setMinimumSectionSize(60)
    OnResize(table, lambda: balance_columns(table))
    balance_columns(table)


def names_full(table) -> dict[int, int]:
    unit = table.fontMetrics().horizontalAdvance(UNIT_WHOLE) + 16
    return {APPLICANT: NAMES[APPLICANT], UNIT: max(NAMES[UNIT], unit)}


def shares(room: int, whole_name: int, full: dict[int, int]) -> dict[int, int]:
    """The widths of the procedure, applicant and unit sharing `room` px (the steps above)."""
    widths = {PROCEDURE: PROCEDURE_LEAST, **NAMES_LEAST}
    left = room - sum(widths.values())

    def grow(column: int, to: int) -> None:
        nonlocal left
        step = max(0, min(left, to - widths[column]))
        widths[column] += step
        left -= step

    grow(PROCEDURE, min(PROCEDURE_ROOM, round(PROCEDURE_SHARE * room)))
    grow(APPLICANT, max(whole_name, NAMES_LEAST[APPLICANT]))
    grow(PROCEDURE, PROCEDURE_ROOM)
    least = {c: widths[c] for c in full}
    need = sum(max(0, full[c] - least[c]) for c in full)
    if need and left > 0:
        share = min(1.0, left / need)
        for c in full:
            step = round(share * max(0, full[c] - least[c]))
            widths[c] += step
            left -= step
    widths[PROCEDURE] += max(0, left)
    return widths


def balance_columns(table) -> None:
    """Share the width the fixed columns leave between the procedure and the two names."""
    others = sum(table.columnWidth(c) for c in range(table.model().columnCount())
                 if c != PROCEDURE and c not in NAMES)
    whole_name = table.fontMetrics().horizontalAdvance(APPLICANT_WHOLE) + 16
    widths = shares(table.viewport().width() - others, whole_name, names_full(table))
    for column in NAMES:
        table.setColumnWidth(column, widths[column])

