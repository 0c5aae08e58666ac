"""A saved column mapping renamed and deleted from the mapping step, with real clicks and keys
(core.transfer.profiles.rename_profile, delete_profile): the built-in national profile offers
neither; a name already taken is refused in a message and nothing changes."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core.transfer.profiles import NATIONAL_COLUMNS, get_profile, list_profiles, save_profile
from gui import file_dialogs, widgets
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    dialog,
    office,
)


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


def test_saving_under_a_name_taken_asks_before_replacing(qtbot, dialog, office,  # noqa: F811
                                                         monkeypatch, message_boxes, tmp_path):
    """'Lưu mẫu cột…' under the name of a colleague's profile replaced it without a word."""
    save_profile(office, "iGate", dict(NATIONAL_COLUMNS) | {"code": "Số hồ sơ"})
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)  # the national profile chosen: its columns, as the file has them
    panel = dialog.mapping
    typing(qtbot, monkeypatch, "IGATE")
    click(qtbot, panel.save_button)  # answered "Không thay"
    assert message_boxes[-1][1] == "Lưu mẫu cột" and "'iGate'" in message_boxes[-1][2]
    assert names(office) == ["national", "iGate"]
    assert get_profile(office, "iGate").columns["code"] == "Số hồ sơ"
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, panel.save_button)
    assert names(office) == ["national", "IGATE"]
    assert get_profile(office, "IGATE").columns["code"] == "MaHoSo"
    assert len(message_boxes) == 2  # the two questions, no refusal
    assert panel.profiles.currentData() == "IGATE"


def test_a_profile_shared_as_a_file_from_the_window(qtbot, dialog, office, monkeypatch,  # noqa: F811
                                                    message_boxes, tmp_path):
    """'Xuất ra tệp…' writes the chosen profile to a .json another office imports; importing over
    a profile of that name with other columns asks first (core.transfer.profiles.adopt_profile,
    the rule of `profile import` too)."""
    import json

    from db import actor
    from gui import permissions
    columns = dict(NATIONAL_COLUMNS) | {"code": "Số hồ sơ"}
    save_profile(office, "iGate", columns, header_row=3)
    panel = dialog.mapping
    panel.reload_profiles()
    choose_profile(panel, "iGate")
    shared = tmp_path / "mau.json"
    suggested: list[str] = []

    def save_path(_parent, _caption, name, _filter):
        suggested.append(name)
        return str(shared)
    monkeypatch.setattr(file_dialogs, "save_path", save_path)
    click(qtbot, panel.export_button)
    assert suggested == ["mau_cot_iGate.json"]
    document = json.loads(shared.read_text(encoding="utf-8"))
    assert document["ten"] == "iGate" and document["cot"]["code"] == "Số hồ sơ"
    assert "Đã xuất mẫu cột 'iGate'" in message_boxes[-1][2]

    # the other office's file: the same name, another code column
    document["cot"]["code"] = "Mã số"
    shared.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(shared))
    seen = typing(qtbot, monkeypatch, "iGate")
    click(qtbot, panel.import_button)  # answered "Không thay": nothing changes
    assert seen == ["iGate"]  # the file's own name offered
    assert message_boxes[-1][1] == "Nhập mẫu cột" and "'iGate'" in message_boxes[-1][2]
    assert get_profile(office, "iGate").columns["code"] == "Số hồ sơ"
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, panel.import_button)
    assert get_profile(office, "iGate").columns["code"] == "Mã số"
    assert get_profile(office, "iGate").header_row == 3
    assert "đã được thay" in message_boxes[-1][2]
    typing(qtbot, monkeypatch, "Viettel")
    click(qtbot, panel.import_button)  # under another name: a second profile
    assert names(office) == ["national", "iGate", "Viettel"]
    assert panel.profiles.currentData() == "Viettel"

    shared.write_text("không phải json", encoding="utf-8")
    click(qtbot, panel.import_button)
    assert "không đọc được nội dung JSON" in message_boxes[-1][2]
    assert names(office) == ["national", "iGate", "Viettel"]

    leader = actor.Actor("lanhdao", "Lãnh đạo", frozenset({"leader"}))
    with actor.acting_as(leader):
        permissions.apply_all()
        assert panel.import_button.isHidden() and not panel.export_button.isHidden()
    permissions.apply_all()
