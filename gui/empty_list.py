"""A list that says, in its own area, why it is empty: a plain white table read as broken.

Every list made by widgets.table_view is a ListView; a screen gives it `empty_text`, a function
returning the sentence for the moment (nothing yet, or nothing matching the filter; the
sentences and their rule are core.empty_lists'). A short list filled by hand (a QTableWidget) is
a SentenceTable, or mixes in SaysWhyEmpty. Painted only when the model has no row: a full list
(a million dossiers) pays one rowCount() per paint."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QTableView, QTableWidget

MARGIN = 24  # px around the sentence, inside the empty rows' area
GREY = "#6e6e6e"  # darker than the disabled text (≈ #bebebe): read on a counter's screen


class SaysWhyEmpty:
    """Mixed in before a QTableView class: a grey sentence in its empty area (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_text: Callable[[], str] | None = None

    def shown_empty_text(self) -> str:
        """The sentence painted now: empty when the list has rows or says nothing."""
        model = self.model()  # type: ignore[attr-defined]
        if self.empty_text is None or model is None or model.rowCount() > 0:
            return ""
        return self.empty_text()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)  # type: ignore[misc]
        text = self.shown_empty_text()
        if not text:
            return
        viewport = self.viewport()  # type: ignore[attr-defined]
        painter = QPainter(viewport)
        painter.setPen(QColor(GREY))
        # a list one row high (a dossier's payments) has no room for the margin above
        room = viewport.height() - 2 * MARGIN >= 2 * viewport.fontMetrics().height()
        down = MARGIN if room else 2
        area = viewport.rect().adjusted(MARGIN, down, -MARGIN, -down)
        painter.drawText(area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, text)
        painter.end()


class ListView(SaysWhyEmpty, QTableView):
    """A QTableView with a grey sentence in its empty area (see the module)."""


class SentenceTable(SaysWhyEmpty, QTableWidget):
    """A QTableWidget with a grey sentence in its empty area (see the module)."""


def says(view: SaysWhyEmpty, text: Callable[[], str]) -> SaysWhyEmpty:
    """Give `view` its sentence and repaint it (the moment's sentence may have changed while
    the list stayed empty: no row change repaints it)."""
    view.empty_text = text
    view.viewport().update()  # type: ignore[attr-defined]
    return view
