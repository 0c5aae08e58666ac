"""Alt letters on the main buttons of the reconciliation and the package preview (round 31, a
clerk's walk): a clerk at the keyboard had to Tab through twenty pickers to "Đối chiếu". Each
window's letters are its own, none taken twice."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from core import dossiers as D
from gui import file_dialogs
from gui.packages import PreviewDialog
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import menu_pick, shortcut
from tests.gui.conftest import NOW
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401 (fixtures)
from tests.gui.test_packages import counter_package, open_dialog, window  # noqa: F401 (fixtures)

ALT = Qt.KeyboardModifier.AltModifier


def letters(shown) -> list[str]:
    """The Alt letters of the buttons `shown` holds, one per button that has one."""
    out = []
    for button in shown.findChildren(QAbstractButton):
        text = button.text().replace("&&", "")
        if "&" in text:
            out.append(text[text.index("&") + 1].lower())
    return out


def test_the_reconciliation_runs_on_alt_c(qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    found = letters(dialog)
    assert set(found) >= {"t", "n", "c", "p", "e", "g"} and len(found) == len(set(found)), found
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    shortcut(qtbot, dialog, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    assert dialog.result.pairs


def test_the_package_preview_takes_all_on_alt_l(window, db, qtbot, monkeypatch,  # noqa: F811
                                                message_boxes, tmp_path,
                                                counter_package):  # noqa: F811
    package, codes = counter_package
    from core.exchange.merge import import_packages
    import_packages(db, [package])
    D.start_processing(db, D.find_by_code(db, codes[0]), at=NOW)
    from core.database import open_database
    other = open_database(tmp_path / "counter.db")
    D.request_supplement(other, D.find_by_code(other, codes[0]), reason="Thiếu", at=NOW)
    import datetime as dt

    from core.exchange import export_package
    export_package(other, package, dt.date(2025, 1, 1), replace=True)
    other.close()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    found = letters(preview)
    assert set(found) >= {"g", "l", "n"} and len(found) == len(set(found)), found
    assert not any(box.isChecked() for box in preview.boxes())
    shortcut(qtbot, preview, Qt.Key.Key_L, ALT)
    # (a button's Alt letter clicks it as the eye sees it: pressed for a moment, then clicked)
    qtbot.waitUntil(lambda: all(box.isChecked() for box in preview.boxes()), timeout=2000)
    shortcut(qtbot, preview, Qt.Key.Key_G, ALT)
    qtbot.waitUntil(lambda: not any(box.isChecked() for box in preview.boxes()), timeout=2000)
    preview.reject()
