"""The mapping step with a vendor's file holding the reception's date and time in two columns:
a picker for each time column beside its date's, kept in a saved profile; the preview shows the
moment the import stores (the time joined; a day alone at the start of office hours, marked).
Saving, renaming or deleting a profile is for an account that may change settings."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.transfer.mapped import import_mapped
from core.transfer.profiles import get_profile, save_profile
from db import actor
from gui import file_dialogs, permissions
from gui.reconciliation.mapping import BUILTIN_KEPT, PREVIEW_FIELDS
from tests.core.transfer.conftest import write_csv
from tests.core.transfer.test_split_time import COLUMNS, HEADER, row
from tests.gui.reconciliation.test_screen import choose, dialog, office  # noqa: F401  (fixtures)


def _pick_profile(qtbot, panel, name: str) -> None:
    combo = panel.profiles
    combo.setFocus()
    while combo.currentData() != name:
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, name


def test_a_time_column_beside_its_date_and_the_preview_shows_the_moment(
        qtbot, dialog, office, tmp_path, monkeypatch):  # noqa: F811
    save_profile(office, "Phần mềm huyện", COLUMNS)
    source = write_csv(tmp_path / "huyen.csv", HEADER,
                       [row(), row("XTD-250102-0002", **{"Giờ nhận": ""})])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    dialog.mapping.reload_profiles()
    choose(qtbot, dialog)
    panel = dialog.mapping
    _pick_profile(qtbot, panel, "Phần mềm huyện")
    assert panel.pickers["received_at_time"].currentText() == "Giờ nhận"
    assert panel.pickers["received_at"].currentText() == "Ngày nhận"
    preview = panel.preview
    received = [preview.horizontalHeaderItem(c).text() for c in range(preview.columnCount())
                ].index("Ngày tiếp nhận")
    assert preview.item(0, received).text() == "08:30 02/01/2025"
    assert preview.item(1, received).text() == "07:00 02/01/2025 (chỉ có ngày)"
    # the clerk takes the time column away: the date alone, as the import will read it
    picker = panel.pickers["received_at_time"]
    picker.setFocus()
    qtbot.keyClick(picker, Qt.Key.Key_Home)
    assert picker.currentData() is None
    assert preview.item(0, received).text() == "07:00 02/01/2025 (chỉ có ngày)"


def test_profiles_are_changed_only_by_an_account_that_may_change_settings(qtbot, dialog):  # noqa: F811
    panel = dialog.mapping
    buttons = (panel.save_button, panel.rename_button, panel.delete_button)
    assert all(not b.isHidden() for b in buttons)  # the operating-system user (no sign-in)
    leader = actor.Actor("lanhdao", "Lãnh đạo", frozenset({"leader"}))
    with actor.acting_as(leader):  # shown greyed, saying who may (walk33; hidden before)
        permissions.apply_all()
        assert all(not b.isHidden() and not b.isEnabled() for b in buttons)
        assert all("Cần quyền thay đổi cài đặt" in b.toolTip() for b in buttons)
    permissions.apply_all()
    assert panel.rename_button.toolTip() == "Đổi tên mẫu cột đang chọn\n" + BUILTIN_KEPT


def test_the_preview_shows_the_name_as_it_is_stored(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                    monkeypatch):
    save_profile(office, "Phần mềm huyện", COLUMNS)
    source = write_csv(tmp_path / "huyen.csv", HEADER,
                       [row(**{"Người nộp": "Trần\u200bThị  Bình "})])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    dialog.mapping.reload_profiles()
    choose(qtbot, dialog)
    panel = dialog.mapping
    _pick_profile(qtbot, panel, "Phần mềm huyện")
    preview = panel.preview
    titles = [preview.horizontalHeaderItem(c).text() for c in range(preview.columnCount())]
    assert preview.item(0, titles.index("Chủ hồ sơ")).text() == "Trần Thị Bình"


def test_the_preview_and_the_import_agree_on_a_finish_of_days_returned_with_its_time(
        qtbot, dialog, office, tmp_path, monkeypatch):  # noqa: F811
    """A finish given as a day, returned at 15:00 that day: the import stores 15:00 (no later
    than the return), the preview showed 17:00 (its own copy of the rule, without that part)."""
    save_profile(office, "Phần mềm huyện", COLUMNS)
    # a dossier the office lacks: one it has keeps its time that day (test_day_only)
    source = write_csv(tmp_path / "huyen.csv", HEADER,
                       [row("XTD-250102-0009", **{"Giờ xong": ""})])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    dialog.mapping.reload_profiles()
    choose(qtbot, dialog)
    panel = dialog.mapping
    _pick_profile(qtbot, panel, "Phần mềm huyện")
    shown = panel.preview.item(0, PREVIEW_FIELDS.index("finished_at")).text()
    # the office's XTD-250102-0001 is the same citizen and morning: imported anyway here
    result = import_mapped(office, source, get_profile(office, "Phần mềm huyện"),
                           duplicates="import")
    assert result.ok, result.errors
    stored = office.execute("SELECT finished_at FROM dossiers WHERE code = 'XTD-250102-0009'"
                            ).fetchone()[0]
    assert stored == "2025-01-03 15:00:00"
    assert shown == "15:00 03/01/2025 (chỉ có ngày)"
