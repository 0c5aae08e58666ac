"""A saved column mapping renamed and deleted from the mapping step, with real clicks and keys
(core.transfer.profiles.rename_profile, delete_profile): the built-in national profile offers
neither; a name already taken is refused in a message and nothing changes."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core.transfer.profiles import NATIONAL_COLUMNS, get_profile, list_profiles, save_profile
from gui import widgets
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import dialog, office  # noqa: F401  (fixtures)


def typing(qtbot, monkeypatch, text: str) -> list[str]:
    """The next input dialogs are answered `text` (as tests/gui answer them: the dialog's
    modal loop cannot run under a test); returns what the line held when each opened."""
    seen: list[str] = []

    def answer(box) -> bool:
        seen.append(box.textValue())
        box.setTextValue(text)
        return True
    monkeypatch.setattr(widgets, "run_input", answer)
    return seen


def choose_profile(panel, name: str) -> None:
    panel.profiles.setCurrentIndex(panel.profiles.findData(name))


def names(db) -> list[str]:
    return [p.name for p in list_profiles(db)]


def test_the_built_in_profile_is_neither_renamed_nor_deleted(qtbot, dialog):  # noqa: F811
    panel = dialog.mapping
    assert panel.profiles.currentData() == "national"
    assert not panel.rename_button.isEnabled() and not panel.delete_button.isEnabled()


def test_a_saved_profile_renamed_then_deleted(qtbot, dialog, office, monkeypatch,  # noqa: F811
                                              message_boxes):
    columns = dict(NATIONAL_COLUMNS) | {"code": "Số hồ sơ"}
    save_profile(office, "iGate", columns, header_row=3)
    panel = dialog.mapping
    panel.reload_profiles()
    choose_profile(panel, "iGate")
    assert panel.rename_button.isEnabled() and panel.delete_button.isEnabled()

    seen = typing(qtbot, monkeypatch, "iGate Lạng Sơn 2026")
    click(qtbot, panel.rename_button)
    assert seen == ["iGate"]  # the old name to change, not an empty line
    assert names(office) == ["national", "iGate Lạng Sơn 2026"]
    assert panel.profiles.currentData() == "iGate Lạng Sơn 2026"
    assert panel.profiles.currentText() == "iGate Lạng Sơn 2026"
    kept = get_profile(office, "iGate Lạng Sơn 2026")
    assert kept.columns["code"] == "Số hồ sơ" and kept.header_row == 3

    click(qtbot, panel.delete_button)  # the clerk answers "Không xóa": nothing deleted
    assert message_boxes[-1][1] == "Xóa mẫu cột" and "iGate Lạng Sơn 2026" in message_boxes[-1][2]
    assert names(office) == ["national", "iGate Lạng Sơn 2026"]
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, panel.delete_button)
    assert names(office) == ["national"]
    assert panel.profiles.currentData() == "national"
    assert [panel.profiles.itemData(i) for i in range(panel.profiles.count())] == ["national"]
    assert not panel.delete_button.isEnabled()


def test_a_name_already_taken_is_refused_in_a_message(qtbot, dialog, office,  # noqa: F811
                                                      monkeypatch, message_boxes):
    save_profile(office, "iGate", dict(NATIONAL_COLUMNS))
    save_profile(office, "Viettel", dict(NATIONAL_COLUMNS) | {"code": "Số hồ sơ"})
    panel = dialog.mapping
    panel.reload_profiles()
    choose_profile(panel, "iGate")
    typing(qtbot, monkeypatch, "viettel")
    click(qtbot, panel.rename_button)
    assert any("Đã có mẫu cột tên 'Viettel'" in text for _k, _t, text in message_boxes)
    assert names(office) == ["national", "iGate", "Viettel"]
    assert get_profile(office, "Viettel").columns["code"] == "Số hồ sơ"
    assert panel.profiles.currentData() == "iGate"
