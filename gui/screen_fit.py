"""Windows and columns that fit the office's screen (1366×768 with a taskbar) and its texts:
sizes clamped to the available area, saved geometries brought back on screen, columns as wide as
the codes they show."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_to_screen(widget: QWidget, width: int, height: int, margin: int = 16) -> None:
    """Resize `widget` to width×height, or less where its screen is smaller: on a 1366×768 PC
    with a taskbar a 900 px dialog would hide its buttons under the taskbar."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else None
    if area is not None:  # the title bar and borders come on top of the size
        width = min(width, area.width() - margin - FRAME_ALLOWANCE[0])
        height = min(height, area.height() - margin - FRAME_ALLOWANCE[1])
    widget.resize(width, height)



# Title bar and borders of a window not yet shown (the window system tells them only once it is
# shown): a Windows 10 title bar and its borders.
FRAME_ALLOWANCE = (16, 39)


def keep_on_screen(window: QWidget) -> None:
    """Bring a window restored from saved settings inside its screen's available area: a
    geometry saved on a larger monitor, on one unplugged since, or shrunk to a few pixels must
    not leave the status bar under the taskbar or the window out of reach."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area, geometry, frame = screen.availableGeometry(), window.geometry(), window.frameGeometry()
    extra_w, extra_h = frame.width() - geometry.width(), frame.height() - geometry.height()
    if not window.isVisible() and (extra_w, extra_h) == (0, 0):
        extra_w, extra_h = FRAME_ALLOWANCE
    hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    width = min(max(geometry.width(), hint.width()), area.width() - extra_w)
    height = min(max(geometry.height(), hint.height()), area.height() - extra_h)
    left = min(max(frame.x(), area.left()), area.right() + 1 - width - extra_w)
    top = min(max(frame.y(), area.top()), area.bottom() + 1 - height - extra_h)
    window.resize(width, height)
    window.move(left, top)


# A unit's electronic identifier (Decision 1/2018, 13 characters): the widest a list must fit.
LONG_UNIT_CODE = "000.00.00.H00"


def text_width(view: QWidget, text: str, padding: int = 24) -> int:
    """The width a cell needs to show `text` whole in `view`'s font (with the cell's margins)."""
    return view.fontMetrics().horizontalAdvance(text) + padding


def fit_column(view, column: int, texts, *, least: str = "", padding: int = 24) -> int:
    """Make a column of a table or tree as wide as its longest text (codes read whole, on one
    line, issue 14 §5): at least as wide as `least`, the longest code the program makes."""
    width = max([text_width(view, t, padding) for t in texts if t] +
                [text_width(view, least, padding)])
    view.setColumnWidth(column, width)
    return width


def list_width(view, padding: int) -> int:
    """The width a list needs to show its longest item whole, each with `padding` around it."""
    view.ensurePolished()
    longest = max((view.fontMetrics().horizontalAdvance(view.item(r).text())
                   for r in range(view.count())), default=0)
    return longest + 2 * padding + 2 * view.frameWidth() + 12  # the item's own margins
