"""The mapped rows' preview fills the table's width (mend36's «Still open»): its columns were
sized to their contents after every refresh, which drops the header's stretch of the last
one, a blank band at the preview's right on a wide window."""
from __future__ import annotations

from tests.gui.reconciliation.test_fits_office_screen import outside, with_file
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401


def _right_edge(table) -> int:
    header = table.horizontalHeader()
    last = header.logicalIndex(header.count() - 1)
    return header.sectionViewportPosition(last) + header.sectionSize(last)


def test_the_preview_last_column_reaches_the_table_edge(qtbot, dialog, tmp_path,  # noqa: F811
                                                        monkeypatch):
    dialog.resize(1900, 1000)
    preview = dialog.mapping.preview
    qtbot.waitUntil(lambda: preview.viewport().width() > 1000)
    assert _right_edge(preview) == preview.viewport().width()  # before any file
    with_file(qtbot, dialog, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: preview.rowCount() > 0)
    qtbot.wait(50)
    assert _right_edge(preview) == preview.viewport().width()
    dialog.resize(1600, 1000)  # and after the window narrows
    qtbot.wait(50)
    assert _right_edge(preview) == preview.viewport().width()


def test_the_preview_shows_its_five_rows_on_the_office_screen(
        qtbot, window_font, dialog, tmp_path, monkeypatch):  # noqa: F811
    """Recon38 (walk38): at 1366×728 the preview showed 3 of its 5 rows whole, the rest to
    scroll to; all five now, every button and field still in reach."""
    from PySide6.QtWidgets import QApplication

    from gui.reconciliation.mapping import PREVIEW_ROWS
    area = QApplication.primaryScreen().availableGeometry()
    assert (area.width(), area.height()) == (1366, 728)
    with_file(qtbot, dialog, tmp_path, monkeypatch)  # the file's five rows
    preview = dialog.mapping.preview
    qtbot.waitUntil(lambda: preview.rowCount() == PREVIEW_ROWS)
    qtbot.wait(50)
    seen = preview.viewport().rect()
    whole = [r for r in range(preview.rowCount())
             if seen.contains(preview.visualRect(preview.model().index(r, 0)))]
    assert whole == list(range(PREVIEW_ROWS)), (whole, seen)
    assert outside(dialog) == []


def test_every_picker_is_in_view_without_scrolling_on_the_office_screen(
        qtbot, window_font, dialog, tmp_path, monkeypatch):  # noqa: F811
    """Walk38: at 1366×728, with the preview's five rows whole, the fields' area scrolled 72 px
    (three columns of pickers, ten rows): the last rows of fields were reached by an inner
    scroll. Four columns of narrower pickers, rows closer together and no empty line under
    the preview: every picker in view, the five rows still whole, every button in reach."""
    from PySide6.QtWidgets import QApplication

    from gui.reconciliation.mapping import PREVIEW_ROWS
    from tests.gui.reconciliation.test_fits_office_screen import rect_in
    area = QApplication.primaryScreen().availableGeometry()
    assert (area.width(), area.height()) == (1366, 728)
    with_file(qtbot, dialog, tmp_path, monkeypatch)
    panel, preview = dialog.mapping, dialog.mapping.preview
    qtbot.waitUntil(lambda: preview.rowCount() == PREVIEW_ROWS)
    qtbot.wait(50)
    scroll = panel.fields
    assert scroll.verticalScrollBar().maximum() == 0, scroll.verticalScrollBar().maximum()
    seen = scroll.viewport().rect()
    hidden = [name for name, picker in panel.pickers.items()
              if not seen.contains(rect_in(picker, scroll.viewport()))]
    assert hidden == []
    rows = preview.viewport().rect()
    whole = [r for r in range(preview.rowCount())
             if rows.contains(preview.visualRect(preview.model().index(r, 0)))]
    assert whole == list(range(PREVIEW_ROWS))
    assert outside(dialog) == []
