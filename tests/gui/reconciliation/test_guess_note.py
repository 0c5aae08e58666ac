"""The note beside the header row says how many columns were chosen by the fields' names, "hãy
kiểm tra": it was written when the file was shown and stayed as it was when the clerk changed
such a picker by hand — "đã chọn sẵn 9 cột" after the clerk had chosen every one of them
herself. It now follows each change (gui.reconciliation.guess.Guessing.say_header)."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt

from gui import file_dialogs
from tests.gui.reconciliation.test_field_named_columns import field_named_file
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401


def pick(qtbot, panel, combo, index: int) -> None:
    """The clerk opens the picker with the mouse, goes to line `index` of its list with the
    arrow keys and takes it with Enter."""
    panel.fields.ensureWidgetVisible(combo)
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=3000)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    for _line in range(index):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=3000)
    assert combo.currentIndex() == index


def chosen_by_name(panel) -> int:
    found = re.search(r"đã chọn sẵn (\d+) cột mang tên trường; hãy kiểm tra",
                      panel.header_how.text())
    return int(found.group(1)) if found else 0


def test_the_note_follows_the_pickers_the_clerk_changes(qtbot, dialog, tmp_path,  # noqa: F811
                                                        monkeypatch):
    source, _fields = field_named_file(tmp_path)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    panel = dialog.mapping
    guessed = [name for name, column in panel.guessed.items()
               if panel.pickers[name].currentData() == column]
    assert len(guessed) >= 3 and chosen_by_name(panel) == len(guessed)
    how = panel.header_how.text().split(" — ")[0]  # how the header row was found
    first = panel.pickers[guessed[0]]
    column = first.currentIndex()
    pick(qtbot, panel, first, 0)  # "(không có)": not the name's column any more
    assert chosen_by_name(panel) == len(guessed) - 1
    pick(qtbot, panel, first, column)  # the name's column again, chosen by the clerk's hand
    assert chosen_by_name(panel) == len(guessed)
    for name in guessed:
        pick(qtbot, panel, panel.pickers[name], 0)
    # nothing chosen by a name now: nothing to check; the required columns not all chosen
    # any more, the header row is a guess again (walk33: said only while they are not)
    assert how == "(dòng có đủ các cột bắt buộc đã chọn)"
    assert panel.header_how.text().startswith("(đoán, hãy kiểm tra")
    assert "đã chọn sẵn" not in panel.header_how.text()
