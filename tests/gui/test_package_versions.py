"""Issue 16 §3 (spec 9), in the window: a dossier several packages of one import bring in
different versions (two counters went on differently with it): the preview lists every version
with what differs from this PC's, the clerk picks one per code with the mouse or the keyboard,
and "Nhập gói" waits till every code has its choice; 60 such codes at 1366×728 stay usable."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from core import dossiers as D
from core import installation, timefmt
from core.database import open_database
from core.exchange import export_package
from core.exchange.merge import import_packages
from core.exchange.package import PackageReader, package_ident
from gui import file_dialogs, worker
from gui.main_window import MainWindow
from gui.packages import PreviewDialog
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import NOW, add_catalogue
from tests.gui.test_packages import open_dialog

SINCE = dt.date(2025, 1, 1)


@pytest.fixture
def window(qtbot, db, db_path, frozen_now):
    add_catalogue(db)
    installation.set_slot(db, 3, 3)
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    return win


def edited_apart(db, tmp_path, count: int) -> tuple[list[str], list[str]]:
    """`count` dossiers of this PC sent to two counters, each going on differently with all."""
    at = NOW - dt.timedelta(hours=3)
    codes = [D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                              applicant_name=f"Nguyễn Thị Minh Khai Phương {n}",
                              received_at=at + dt.timedelta(minutes=n))[1] for n in range(count)]
    start = tmp_path / "gui-di.zip"
    export_package(db, start, SINCE)
    paths = []
    for name, slot in (("quay1_thang6", 1), ("quay2_thang6", 2)):
        pc = open_database(tmp_path / f"{name}.db")
        installation.set_slot(pc, slot, 3)
        import_packages(pc, [start])
        for code in codes:
            dossier_id = D.find_by_code(pc, code)
            if slot == 1:
                D.start_processing(pc, dossier_id, at=NOW - dt.timedelta(hours=1))
            else:
                D.request_supplement(pc, dossier_id, reason="Thiếu bản sao có chứng thực",
                                     at=NOW - dt.timedelta(minutes=30))
        paths.append(str(tmp_path / f"{name}.zip"))
        # made one after another: merged, and their versions listed, in this order
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timefmt, "now", lambda slot=slot: NOW - dt.timedelta(minutes=3 - slot))
            export_package(pc, paths[-1], SINCE)
        pc.close()
    return codes, paths


def ident(path) -> str:
    """A package's identity, what the window's choice of a version names."""
    reader = PackageReader(path, verify=False)
    try:
        return package_ident(reader.manifest.data)
    finally:
        reader.close()


def status(db, code):
    return db.execute("SELECT status FROM dossiers WHERE code = ?", [code]).fetchone()[0]


def test_each_version_is_listed_and_the_one_picked_is_taken(window, db, qtbot, tmp_path,
                                                            monkeypatch, message_boxes):
    codes, paths = edited_apart(db, tmp_path, 2)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    table = preview.versions_table
    assert table.isVisible() and table.rowCount() == 6  # this PC's and each package's, twice
    assert [table.item(r, 2).text() for r in range(3)] == ["Máy này", "quay1_thang6.zip",
                                                           "quay2_thang6.zip"]
    assert table.item(0, 1).text() == codes[0] and table.item(1, 1).text() == ""
    assert "trạng thái: Đã tiếp nhận → Đang xử lý" in table.item(1, 4).text()
    assert "trạng thái: Đã tiếp nhận → Chờ bổ sung" in table.item(2, 4).text()
    assert not preview.go.isEnabled() and "Còn 2 mã chưa chọn" in preview.left_label.text()
    # the first code: the second counter's version, with the mouse
    button = preview.version_buttons(codes[0])[2]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked() and not preview.go.isEnabled()
    assert "Còn 1 mã chưa chọn" in preview.left_label.text()
    # the second code: the keyboard, from its "Máy này" line to the first counter's
    here, first, _ = preview.version_buttons(codes[1])
    qtbot.mouseClick(here, Qt.MouseButton.LeftButton, pos=QPoint(8, here.height() // 2))
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert first.isChecked() and not here.isChecked()
    assert preview.go.isEnabled() and "Đã chọn đủ" in preview.left_label.text()
    assert preview.versions() == {codes[0]: ident(paths[1]), codes[1]: ident(paths[0])}
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert "giữ của máy này 2, lấy theo gói 2" in message_boxes[-1][2]
    assert [status(db, c) for c in codes] == ["supplement", "processing"]


def test_sixty_codes_in_several_versions_are_usable_at_1366_px(window, db, qtbot, tmp_path,
                                                               monkeypatch, message_boxes):
    codes, paths = edited_apart(db, tmp_path, 60)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    qtbot.waitExposed(preview)
    assert preview.width() <= 1366 and preview.height() <= 728
    table = preview.versions_table
    assert table.rowCount() == 180
    line = table.fontMetrics().lineSpacing()
    assert all(table.rowHeight(r) <= 2 * line + 8 for r in range(6)), \
        [table.rowHeight(r) for r in range(6)]
    whole = [r for r in range(180) if table.rowViewportPosition(r) >= 0
             and table.rowViewportPosition(r) + table.rowHeight(r) <= table.viewport().height()]
    assert len(whole) >= 9, whole  # three codes with all their versions in sight
    for button in (preview.go, preview.here_all):  # none cut off
        corner = button.mapTo(preview, QPoint(button.width(), button.height()))
        assert button.isVisible() and preview.rect().contains(corner), button.text()
    # the last code picked after scrolling, then this PC's version for all the others
    table.scrollToBottom()
    last = preview.version_buttons(codes[-1])[1]
    qtbot.waitUntil(lambda: last.isVisible())
    qtbot.mouseClick(last, Qt.MouseButton.LeftButton, pos=QPoint(8, last.height() // 2))
    assert not preview.go.isEnabled() and "Còn 59 mã chưa chọn" in preview.left_label.text()
    click(qtbot, preview.here_all)
    assert preview.versions()[codes[-1]] == ident(paths[0])  # a choice made is not undone
    assert list(preview.versions().values()).count("here") == 59
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=60000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert status(db, codes[-1]) == "processing"
    assert {status(db, c) for c in codes[:-1]} == {"received"}


def test_two_packages_of_one_name_are_told_apart_and_the_picked_one_is_taken(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):
    """Round 18 review: versions were chosen by file name; two counters' "thang6.zip" from two
    folders could not be imported together (refused: "hai gói cùng tên"), and the preview
    listed them alike. Now each is named with its identity, the one picked is the one taken."""
    import shutil
    codes, paths = edited_apart(db, tmp_path, 1)
    same = []
    for number, path in enumerate(paths):
        folder = tmp_path / f"usb{number + 1}"
        folder.mkdir()
        same.append(str(shutil.copy(path, folder / "thang6.zip")))
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: same)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    labels = [preview.packages.item(r, 0).text() for r in (1, 2)]
    assert labels == [f"thang6.zip (gói {ident(p)})" for p in same], labels
    assert preview.packages.item(2, 0).toolTip() == same[1]
    table = preview.versions_table
    assert [table.item(r, 2).text() for r in range(3)] == ["Máy này", *labels]
    button = preview.version_buttons(codes[0])[2]  # the second folder's: the supplement
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert status(db, codes[0]) == "supplement"


def test_a_package_another_went_on_from_is_one_conflict_taking_the_later(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes):
    """Round 18 review: counter 2 took counter 1's package and went on; this PC changed the
    dossier too. One dossier to decide (not "2 hồ sơ xung đột"), counter 1's line saying that
    taking the package's takes counter 2's, in either order of the files."""
    at = NOW - dt.timedelta(hours=3)
    dossier_id, code = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                                        applicant_name="Nguyễn Thị Minh Khai", received_at=at)
    start = tmp_path / "gui-di.zip"
    export_package(db, start, SINCE)
    paths = [str(tmp_path / "quay1.zip"), str(tmp_path / "quay2.zip")]
    for slot, path in ((1, paths[0]), (2, paths[1])):
        pc = open_database(tmp_path / f"quay{slot}.db")
        installation.set_slot(pc, slot, 3)
        import_packages(pc, [start] if slot == 1 else [start, paths[0]])
        if slot == 1:
            D.start_processing(pc, D.find_by_code(pc, code), at=NOW - dt.timedelta(hours=2))
        else:
            D.request_supplement(pc, D.find_by_code(pc, code), reason="Thiếu bản sao",
                                 at=NOW - dt.timedelta(hours=1))
        export_package(pc, path, SINCE)
        pc.close()
    D.extend(db, dossier_id, new_due_at=NOW + dt.timedelta(days=9), reason="Cần xác minh",
             at=NOW - dt.timedelta(minutes=30))
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths[::-1])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert not preview.crossed and preview.conflicts.rowCount() == 2
    assert any(w.text().startswith("1 hồ sơ xung đột") for w in preview.findChildren(QLabel))
    rows = {preview.conflicts.item(r, 4).text().split("]")[0]: r for r in range(2)}
    first = preview.conflicts.item(rows["[quay1.zip"], 4).text()
    assert "(gói quay2.zip đi tiếp bản này: lấy theo gói là lấy bản của gói quay2.zip)" in first
    box = preview.conflicts.cellWidget(rows["[quay1.zip"], 0)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert all(preview.conflicts.cellWidget(r, 0).isChecked() for r in range(2))
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert status(db, code) == "supplement"


def _left_said(text: str) -> tuple[int, int]:
    """(conflicts, codes of several versions) a --dry-run says a real import would stop at."""
    import re
    conflicts = re.search(r"(\d+) hồ sơ xung đột chưa chọn", text)
    versions = re.search(r"(\d+) mã có nhiều phiên bản chưa chọn", text)
    return (int(conflicts[1]) if conflicts else 0, int(versions[1]) if versions else 0)


def test_the_window_and_the_command_count_alike_what_is_left_to_decide(
        window, db, db_path, qtbot, tmp_path, monkeypatch, capsys):
    """Issue 16 §3, round 19: the window counted what is left to decide beside the command's
    `stop_text`. One core function (core.exchange.decide.to_decide) counts it for both: the
    same numbers, before and after a version is picked with the mouse (--choose)."""
    import main
    codes, paths = edited_apart(db, tmp_path, 3)
    # one more: a single conflict (counter 1 went on with it, this PC too)
    at = NOW - dt.timedelta(hours=3)
    one_id, one = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                                   applicant_name="Trần Văn Một", received_at=at)
    start = tmp_path / "mot-di.zip"
    export_package(db, start, SINCE)
    pc = open_database(tmp_path / "quay3.db")
    installation.set_slot(pc, 2, 3)
    import_packages(pc, [start])
    D.start_processing(pc, D.find_by_code(pc, one), at=NOW - dt.timedelta(hours=1))
    paths.append(str(tmp_path / "quay3_thang6.zip"))
    export_package(pc, paths[-1], SINCE)
    pc.close()
    D.extend(db, one_id, new_due_at=NOW + dt.timedelta(days=9), reason="Cần xác minh",
             at=NOW - dt.timedelta(minutes=20))
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)

    def window_says() -> tuple[int, int]:
        import re
        conflicts = [int(m[1]) for w in preview.findChildren(QLabel)
                     if (m := re.match(r"(\d+) hồ sơ xung đột — ", w.text()))]
        left = re.search(r"Còn (\d+) mã chưa chọn", preview.left_label.text())
        return (conflicts[0] if conflicts else 0, int(left[1]) if left else 0)

    def command_says(*choose: str) -> tuple[int, int]:
        capsys.readouterr()
        argv = ["--db", str(db_path), "exchange", "import", "--dry-run", *paths]
        for choice in choose:
            argv += ["--choose", choice]
        assert main.main(argv) == 0
        return _left_said(capsys.readouterr().out)

    assert window_says() == command_says() == (1, 3)
    button = preview.version_buttons(codes[1])[1]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert window_says() == command_says(f"{codes[1]}={ident(paths[0])}") == (1, 2)


def test_the_preview_says_how_to_change_an_earlier_choice(window, db, qtbot, tmp_path,
                                                          monkeypatch):
    """Issue 16 §3, round 19: codes chosen at an earlier import are not asked again (no round
    buttons); the preview says so and how to change one (the command's --choose)."""
    from core.exchange import compare
    from core.exchange.decide import CHANGE_EARLIER_VI
    codes, paths = edited_apart(db, tmp_path, 2)
    assert import_packages(db, paths, versions={c: compare.HERE for c in codes}).written
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    said = [w for w in preview.findChildren(QLabel) if w.text() == CHANGE_EARLIER_VI]
    assert said and said[0].isVisible() and not preview.crossed
    assert preview.go.isEnabled()
