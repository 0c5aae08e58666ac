"""What Qt draws of a label's or a tooltip's text, its markup aside: a text Qt takes for HTML
(Qt.mightBeRichText, or a label set to RichText) loses its tags on the screen."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel


def drawn(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_drawn(label: QLabel) -> str:
    return drawn(label.text(), label.textFormat())
