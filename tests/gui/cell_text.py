"""What a list's cell shows the clerk: its delegate's text, cut to the cell as the view cuts it."""
from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem


def painted(table, index) -> str:
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.widget = table
    option.font = table.font()
    option.textElideMode = table.textElideMode()
    option.rect = table.visualRect(index)
    table.itemDelegateForIndex(index).initStyleOption(option, index)
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    return QFontMetrics(option.font).elidedText(option.text, option.textElideMode,
                                                option.rect.width() - 2 * margin)


# The width the window leaves a screen beside its navigation list (measured at 1366 and 1920)
SCREEN_AT_1366, SCREEN_AT_1920 = 1366 - 115, 1920 - 115
