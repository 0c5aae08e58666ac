"""The package preview with conflicts to choose, on a 1920×1080 screen: it opened 720 px tall,
showing one conflict and a half (a clash's row runs to ten lines) while 300 px of the screen
stayed empty. It now asks for as tall as the screen allows, as the versions' table already did;
on the office's 1366×728 nothing changes (the screen's height was already the limit)."""
from __future__ import annotations

import datetime as dt

from core import dossiers as D
from gui import file_dialogs, packages
from gui.packages import PreviewDialog
from tests.gui.clicks import menu_pick
from tests.gui.conftest import NOW
from tests.gui.test_packages import counter_package, open_dialog, window  # noqa: F401


def test_a_preview_with_conflicts_takes_the_screens_height(window, db, qtbot,  # noqa: F811
                                                           monkeypatch, counter_package):  # noqa: F811
    package, _ = counter_package
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    asked: list[tuple[int, int]] = []
    fit = packages.fit_to_screen

    def recorded(widget, width, height, *args, **kwargs):
        asked.append((width, height))
        return fit(widget, width, height, *args, **kwargs)
    monkeypatch.setattr(packages, "fit_to_screen", recorded)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.conflict_count == 1
    assert asked and asked[-1][1] >= 1000  # a 1080 px screen's height, less the taskbar
    # on the office's screen, as before: the screen's height less the title bar and taskbar
    assert preview.height() <= preview.screen().availableGeometry().height()
    preview.reject()
