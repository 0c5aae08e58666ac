"""Draw MotCua's icon with QPainter and write resources/icons/motcua.png and motcua.ico.

    python installer/draw_icon.py

The icon is a document with a check mark on a deep-blue rounded square: "a dossier, handled".
Small sizes are drawn with fewer details so they stay legible at 16 px in Explorer.
The .ico holds one PNG-compressed image per size (supported since Windows Vista), written by
hand so no image library beyond Qt is needed.
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE, BLUE_DARK = QColor("#1c5fa8"), QColor("#144478")
PAPER, LINES, RED = QColor("#ffffff"), QColor("#9db4cf"), QColor("#d7262e")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    p.scale(size / 256, size / 256)  # drawn on a 256-unit grid
    _background(p)
    _document(p, detailed=size >= 48)
    _check_mark(p, bold=size < 48)
    p.end()
    return image


def _background(p: QPainter) -> None:
    p.setPen(Qt.NoPen)
    p.setBrush(BLUE_DARK)
    p.drawRoundedRect(QRectF(8, 12, 240, 240), 44, 44)
    p.setBrush(BLUE)
    p.drawRoundedRect(QRectF(8, 4, 240, 240), 44, 44)


def _document(p: QPainter, detailed: bool) -> None:
    page = QPainterPath()
    page.moveTo(64, 36)
    page.lineTo(160, 36)
    page.lineTo(196, 72)
    page.lineTo(196, 212)
    page.lineTo(64, 212)
    page.closeSubpath()
    p.setPen(Qt.NoPen)
    p.setBrush(PAPER)
    p.drawPath(page)
    fold = QPainterPath()
    fold.moveTo(160, 36)
    fold.lineTo(160, 72)
    fold.lineTo(196, 72)
    fold.closeSubpath()
    p.setBrush(QColor("#d6e2f0"))
    p.drawPath(fold)
    if detailed:
        p.setPen(QPen(LINES, 10, Qt.SolidLine, Qt.RoundCap))
        for y, right in ((80, 140), (106, 172), (132, 172)):
            p.drawLine(QPointF(84, y), QPointF(right, y))


def _check_mark(p: QPainter, bold: bool) -> None:
    p.setPen(QPen(RED, 30 if bold else 22, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
    p.setBrush(Qt.NoBrush)
    mark = QPainterPath()
    mark.moveTo(96, 172)
    mark.lineTo(124, 196)
    mark.lineTo(176, 142)
    p.drawPath(mark)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode PNG")
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per size + the PNG payloads (a width of 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in sorted(images.items()):
        edge = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841  (fonts, raster)
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = {size: png_bytes(draw(size)) for size in ICO_SIZES}
    (ICON_DIR / "motcua.png").write_bytes(images[256])
    (ICON_DIR / "motcua.ico").write_bytes(ico_bytes(images))
    print(f"wrote {ICON_DIR / 'motcua.png'} and {ICON_DIR / 'motcua.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
