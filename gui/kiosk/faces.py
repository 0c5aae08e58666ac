"""The four rating buttons: a colour, a face drawn with QPainter, a label and the key to press.

Faces are drawn rather than loaded from images so they stay sharp on any screen size and the
build carries no extra files. Colours are chosen for contrast with their label (white on the dark
green and red, black on the light green and amber).
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from core.kiosk import RATING_LABELS

# rating -> (background, text colour, key)
STYLE = {
    "very_satisfied": ("#1B6E34", "#FFFFFF", "1"),
    "satisfied": ("#8BC34A", "#111111", "2"),
    "neutral": ("#FFC107", "#111111", "3"),
    "dissatisfied": ("#C62828", "#FFFFFF", "4"),
}
# How the mouth bends: +1 a wide smile, 0 a straight line, -1 a frown.
MOUTH = {"very_satisfied": 1.0, "satisfied": 0.55, "neutral": 0.0, "dissatisfied": -0.6}
INK = QColor("#1A1A1A")


def draw_face(painter: QPainter, rect: QRectF, rating: str) -> None:
    """A round white face with eyes and a mouth matching the rating, inside `rect`."""
    side = min(rect.width(), rect.height())
    face = QRectF(0, 0, side, side)
    face.moveCenter(rect.center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(INK, max(2.0, side * 0.035)))
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawEllipse(face)
    _draw_eyes(painter, face, rating)
    _draw_mouth(painter, face, MOUTH[rating])
    painter.restore()


def _round_pen(width: float) -> QPen:
    pen = QPen(INK, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _draw_eyes(painter: QPainter, face: QRectF, rating: str) -> None:
    side = face.width()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(INK)
    radius = side * 0.065
    for dx in (-0.17, 0.17):
        centre = QPointF(face.center().x() + dx * side, face.top() + side * 0.38)
        painter.drawEllipse(centre, radius, radius * (1.25 if rating != "dissatisfied" else 1.0))
    if rating == "dissatisfied":  # slanted brows make the frown read at a distance
        painter.setPen(_round_pen(side * 0.04))
        for sign in (-1, 1):
            x = face.center().x() + sign * 0.17 * side
            painter.drawLine(QPointF(x - sign * 0.09 * side, face.top() + side * 0.24),
                             QPointF(x + sign * 0.08 * side, face.top() + side * 0.28))


def _draw_mouth(painter: QPainter, face: QRectF, bend: float) -> None:
    side = face.width()
    left = QPointF(face.center().x() - side * 0.22, face.top() + side * 0.66)
    right = QPointF(face.center().x() + side * 0.22, left.y())
    control = QPointF(face.center().x(), left.y() + bend * side * 0.22)
    path = QPainterPath(left)
    path.quadTo(control, right)
    painter.setPen(_round_pen(side * 0.05))
    if bend >= 0.9:  # the widest smile is an open mouth
        path.closeSubpath()
        painter.setBrush(QColor("#B71C1C"))
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def label_font(base: QFont, width: float, max_pixels: float) -> QFont:
    """A bold font in which the longest label fits on one line, so all four labels match."""
    font = QFont(base)
    font.setBold(True)
    font.setPixelSize(100)
    longest = max(QFontMetricsF(font).horizontalAdvance(t) for t in RATING_LABELS.values())
    font.setPixelSize(max(12, int(min(max_pixels, 100 * width / longest))))
    return font


class RatingButton(QAbstractButton):
    """One big button: coloured card, face on top, label below, key hint in the corner."""

    def __init__(self, rating: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.rating = rating
        self.setText(RATING_LABELS[rating])
        self.setAccessibleName(RATING_LABELS[rating])
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys 1-4 go to the window, never lost
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(150, 190)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        background, text_colour, key = STYLE[self.rating]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        colour = QColor(background).darker(125) if self.isDown() else QColor(background)
        painter.setPen(QPen(QColor("#000000"), 3))
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 24, 24)
        # Face and label as one group, centred, so the label sits right under its face.
        side = min(rect.width() - 24, rect.height() * 0.62)
        label_height = min(rect.height() * 0.2, side * 0.4)
        top = rect.top() + max(rect.height() * 0.06, (rect.height() - side - label_height) / 2)
        draw_face(painter, QRectF(rect.center().x() - side / 2, top, side, side), self.rating)
        label_area = QRectF(rect.left(), top + side, rect.width(), label_height)
        self._draw_label(painter, label_area, label_height, text_colour)
        self._draw_key(painter, rect, key, text_colour)

    def _draw_label(self, painter: QPainter, rect: QRectF, height: float, colour: str) -> None:
        painter.setFont(label_font(self.font(), rect.width() - 24, height * 0.55))
        painter.setPen(QColor(colour))
        area = rect.adjusted(8, 0, -8, 0)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.text())

    def _draw_key(self, painter: QPainter, rect: QRectF, key: str, colour: str) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(12, int(rect.height() * 0.06)))
        painter.setFont(font)
        painter.setPen(QColor(colour))
        painter.drawText(rect.adjusted(14, 10, -14, -10),
                         Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, key)


class FaceBadge(QWidget):
    """The chosen face alone, shown on the thank-you page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rating: str | None = None
        self.setMinimumSize(120, 120)

    def set_rating(self, rating: str | None) -> None:
        self.rating = rating
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        if self.rating:
            painter = QPainter(self)
            draw_face(painter, QRectF(self.rect()).adjusted(6, 6, -6, -6), self.rating)
