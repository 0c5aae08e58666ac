"""The mapping's fields (label and column picker, twenty-six of them) in a grid that wraps to
the width it is given, inside a scroll area that scrolls down only.

At four fixed columns the grid was 1,386 px wide with a file's columns in the pickers: the
reconciliation window ran past the 1366 px screen of the office PCs, and its 26 rows of pickers
and the preview under them took more height than a 768-px screen minus its taskbar has. Here
the number of columns follows the width (four at 1366 px, more on a wide screen, one on a
narrow one), and what does not fit in the height scrolls.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

MOST_COLUMNS = 6  # a 1920 px screen: six pairs, not one long row
SHOWN_ROWS = 3  # at least so many rows of pickers stay in view when the height is short
# The space between two rows of pickers: the style's 6 px left the eight rows of the office
# screen (four columns of the thirty fields) 12 px taller than their room above the preview's
# five rows, the last of them reached by an inner scroll (walk38: 72 px at three columns)
ROW_GAP = 4


class FieldGrid(QWidget):
    """Pairs of (label, field) laid out in as many columns as the width takes."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pairs: list[tuple[QLabel, QWidget]] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(ROW_GAP)
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.columns = 0
        # the scroll area asks the height for its width (heightForWidth) only of a widget
        # whose policy says it has one; without, it squeezed the rows into its height
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, label: QLabel, field: QWidget) -> None:
        label.setBuddy(field)
        self.pairs.append((label, field))
        self._place(max(self.columns, 1))

    def pair_width(self) -> int:
        """What the widest label and field take side by side (one column of pairs)."""
        return self.width_at(1)

    def width_at(self, columns: int) -> int:
        """The width `columns` columns of pairs take: each column as wide as its own widest
        label and field (a long label makes its column wide, not every column)."""
        total = (2 * columns - 1) * self.gap()
        for column in range(columns):
            pairs = self.pairs[column::columns]
            total += max((label.sizeHint().width() for label, _ in pairs), default=0)
            total += max((field.minimumSizeHint().width() for _, field in pairs), default=0)
        return total

    def gap(self) -> int:
        return max(self.grid.horizontalSpacing(), 6)

    def line_gap(self) -> int:
        return self.grid.verticalSpacing()

    def columns_for(self, width: int) -> int:
        fitting = [n for n in range(2, MOST_COLUMNS + 1) if self.width_at(n) <= width]
        return max(fitting, default=1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place(self.columns_for(event.size().width()))

    def _place(self, columns: int) -> None:
        if columns == self.columns and self.grid.count() == 2 * len(self.pairs):
            return
        self.columns = columns
        for label, field in self.pairs:
            self.grid.removeWidget(label)
            self.grid.removeWidget(field)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        for n, (label, field) in enumerate(self.pairs):
            self.grid.addWidget(label, n // columns, (n % columns) * 2)
            self.grid.addWidget(field, n // columns, (n % columns) * 2 + 1)
        for column in range(columns):
            self.grid.setColumnStretch(column * 2 + 1, 1)  # the pickers take the spare width
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        rows = -(-len(self.pairs) // self.columns_for(width))
        return rows * self.row_height() + max(rows - 1, 0) * self.line_gap()

    def row_height(self) -> int:
        return max((max(label.sizeHint().height(), field.sizeHint().height())
                    for label, field in self.pairs), default=0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """One column wide (it wraps to less), as tall as its rows at the width it has: the
        scroll area then scrolls them rather than squeezing them into its height."""
        return QSize(self.pair_width(), self.heightForWidth(max(self.width(), 1)))


class FieldScroll(QScrollArea):
    """The grid, scrolling down when the window is short; never sideways (the grid wraps)."""

    def __init__(self, grid: FieldGrid, parent=None):
        super().__init__(parent)
        self.field_grid = grid
        self.setWidget(grid)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # no taller than its rows (sizeHint): on a full-HD screen the spare height went to
        # the grid at 2:1 and spread its rows apart; it goes to the preview below
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """A new width wraps the grid to other rows: the height asked (sizeHint) follows, or
        the layout kept the first one, that of a narrow window's twenty-six rows."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        """Tall enough for every row at the width it has: on a big screen nothing scrolls."""
        width = max(self.viewport().width(), self.field_grid.pair_width())
        return QSize(self.field_grid.pair_width(), self.field_grid.heightForWidth(width) + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        grid = self.field_grid
        rows = SHOWN_ROWS * grid.row_height() + (SHOWN_ROWS - 1) * grid.line_gap()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(grid.pair_width() + bar, min(rows, self.sizeHint().height()))
