"""Packages from the Dữ liệu menu, with real clicks: export, import with its preview and a
choice per conflicting dossier, the slot of this PC."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel

from core import dossiers as D
from core import installation, timefmt
from core.database import open_database
from core.exchange import export_package
from gui import file_dialogs, worker
from gui.main_window import MainWindow
from gui.packages import ExportDialog, PreviewDialog, SlotDialog
from tests.copies import copied
from tests.gui.clicks import click, menu_pick
from tests.gui.conftest import NOW, add_catalogue


@pytest.fixture
def window(qtbot, db, db_path, office):
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    return win


def shown(kind) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def open_dialog(qtbot, kind):
    qtbot.waitUntil(lambda: bool(shown(kind)), timeout=10000)
    return shown(kind)[0]


@pytest.fixture
def counter_package(tmp_path, frozen_now, built_once):
    """A counter PC sends two dossiers; left in slot 1 of 1 like this PC, its first code is
    the one this PC gives its next dossier (the clash the slots prevent). Its database
    (counter.db) and package (quay2.zip) are made once per module and copied into the test's
    folder: each test changes only its own copies."""
    database, package, codes = built_once("counter", build_counter)
    copied(database, tmp_path, issues=True)  # its home is the copy's: it may issue codes
    return copied(package, tmp_path), list(codes)


def build_counter(folder):
    other = open_database(folder / "counter.db")
    add_catalogue(other)
    at = NOW - dt.timedelta(hours=2)
    codes = [D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                              applicant_name=name, received_at=at)[1]
             for name in ("Khách Quầy Hai", "Người Thứ Hai")]
    package = folder / "quay2.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    return folder / "counter.db", package, tuple(codes)


def untick_keep_both(qtbot, preview) -> None:
    """The clerk unticks each clash's "Giữ cả hai" (ticked by default): this PC's kept."""
    for box in preview.both_boxes.values():
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert not box.isChecked()


def type_day(qtbot, dialog, text: str) -> None:
    """The clerk clicks into the day, selects it all and types over it."""
    qtbot.mouseClick(dialog.since, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.since, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.since, text)


def test_export_from_the_menu_writes_a_package(window, qtbot, tmp_path, monkeypatch,
                                               message_boxes):
    target = tmp_path / "goi.zip"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(target))
    menu_pick(qtbot, window, window.exchange_export_action)
    dialog = open_dialog(qtbot, ExportDialog)
    type_day(qtbot, dialog, f"{dialog.day.value() - dt.timedelta(days=3 * 365):%d/%m/%Y}")
    click(qtbot, dialog.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã xuất gói" and str(target) in message_boxes[-1][2]
    assert target.is_file()


@pytest.mark.parametrize("older", [False, True])
def test_export_writes_format_3_unless_the_box_asks_for_format_2(
        window, qtbot, tmp_path, monkeypatch, message_boxes, older):
    """Issue 16 §3: format 3 (the rows part SQLite copies) is what the window writes; the box
    gives format 2 (smaller). Since schema 25 an older receiver refuses both (the window says
    to update the centre first: below)."""
    from core.exchange.package import PackageReader
    target = tmp_path / "goi.zip"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(target))
    menu_pick(qtbot, window, window.exchange_export_action)
    dialog = open_dialog(qtbot, ExportDialog)
    assert not dialog.older.isChecked()
    if older:
        click(qtbot, dialog.older)
    click(qtbot, dialog.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    with PackageReader(target) as reader:
        assert reader.manifest.data["format_version"] == (2 if older else 3)


def test_the_day_typed_is_the_day_exported_or_the_dialog_says_what_is_wrong(
        window, qtbot, tmp_path, monkeypatch, message_boxes):
    """Issue 16 §3: a date field that made 31/02 another day, kept the old day while a
    two-digit year was typed, or rolled a day over, exported another period than the one the
    clerk confirmed. Real keys: each wrong day keeps the dialog open with the rule's words
    (the command line's, core.exchange.export.parse_since), the text stays as typed, no file
    is asked for; a right day is the package's first day, exactly."""
    from core.exchange.package import PackageReader
    asked = []
    target = tmp_path / "goi.zip"

    def save_path(parent, caption, suggested="", name_filter=""):
        asked.append(suggested)
        return str(target)
    monkeypatch.setattr(file_dialogs, "save_path", save_path)
    menu_pick(qtbot, window, window.exchange_export_action)
    dialog = open_dialog(qtbot, ExportDialog)
    tomorrow = NOW.date() + dt.timedelta(days=1)
    for text, words in (("31/02/2025", "tháng 2/2025 chỉ có 28 ngày"),
                        ("01/02/25", "năm «25» phải đủ 4 chữ số"),
                        ("15/13/2025", "không có tháng 13"),
                        (f"{tomorrow:%d/%m/%Y}", "là sau hôm nay"),
                        ("", "chưa nhập ngày")):
        type_day(qtbot, dialog, text)
        if not text:
            qtbot.keyClick(dialog.since, Qt.Key.Key_Delete)
        qtbot.keyClick(dialog.since, Qt.Key.Key_Return)
        assert dialog.isVisible() and not asked, text
        assert words in dialog.reading.text(), dialog.reading.text()
        assert dialog.since.text() == text  # what the clerk sees is what was typed
    type_day(qtbot, dialog, "30/04/2025")
    assert dialog.reading.text() == "Gói gồm những gì thay đổi từ đầu ngày thứ tư 30/04/2025."
    qtbot.keyClick(dialog.since, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert asked and "-tu20250430-" in asked[0]
    with PackageReader(target) as reader:
        assert reader.manifest.data["period"]["since"] == "2025-04-30"


def test_import_shows_the_preview_and_takes_the_ticked_conflict(window, db, qtbot, tmp_path,
                                                                 monkeypatch, message_boxes,
                                                                 counter_package):
    package, codes = counter_package
    clash = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                             applicant_name="Khách Của Máy Này",
                             received_at=NOW - dt.timedelta(hours=1))[1]
    assert clash == codes[0]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.dossiers["conflict"] == 1 and preview.result.dossiers["new"] == 1
    assert preview.conflicts.item(0, 1).text() == clash
    # what differs with both values, in the line itself (it was the labels alone)
    assert "người nộp: Khách Của Máy Này → Khách Quầy Hai" in preview.conflicts.item(0, 2).text()
    assert "Khách Của Máy Này" in preview.conflicts.item(0, 3).text()
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]  # the preview wrote nothing
    box = preview.boxes()[0]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert "lấy theo gói 1" in message_boxes[-1][2]
    names = dict(db.execute("SELECT code, applicant_name FROM dossiers").fetchall())
    assert names[clash] in ("Khách Quầy Hai", "Người Thứ Hai")
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before + 1


def test_the_import_hands_its_result_over_then_checkpoints_in_its_worker(
        window, db, db_path, qtbot, monkeypatch, message_boxes, counter_package, second_package):
    """The merge's COMMIT checkpoints nothing (core.exchange.merge): the clerk is told the
    result first, then the worker, no longer a job the clerk waits for (closing the window does
    not ask about it), copies the log into the database and cuts it, off the GUI thread."""
    import os
    import threading

    from db import connection

    (first, _codes), (second, _code) = counter_package, second_package
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    real, entered, release, seen = worker.checkpoint, threading.Event(), threading.Event(), []

    def held(conn):  # the import worker's checkpoint, held till the test has looked
        if not connection.own(conn).checkpoint_owed:  # (the preview's worker: none owed)
            return real(conn)
        seen.append(threading.current_thread() is not threading.main_thread())
        entered.set()
        release.wait(20)
        return real(conn)
    monkeypatch.setattr(worker, "checkpoint", held)
    monkeypatch.setattr(file_dialogs, "open_file_names",
                        lambda *a, **k: [str(first), str(second)])
    menu_pick(qtbot, window, window.exchange_import_action)
    click(qtbot, open_dialog(qtbot, PreviewDialog).go)
    try:
        qtbot.waitUntil(lambda: entered.is_set() and bool(message_boxes), timeout=20000)
        assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
        job = window.exchange_worker
        assert job.isRunning() and job.handed_over and worker.clerk_jobs() == []
        assert seen == [True]  # in the worker's thread
        assert os.path.getsize(f"{db_path}-wal") > 0  # the merge is in the log alone
        assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_name = 'Khách Quầy Ba'"
                          ).fetchone()[0] == 1  # and read from it
    finally:
        release.set()
    worker.wait_handed_over()  # what the program does before it exits (gui.app.run_gui)
    assert not job.isRunning()
    assert os.path.getsize(f"{db_path}-wal") == 0  # copied into the database, the log cut
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_name IN ('Khách Quầy Hai', "
                      "'Người Thứ Hai', 'Khách Quầy Ba')").fetchone()[0] == 3


def test_a_conflict_kept_is_not_asked_again_when_the_same_package_comes_again(
        window, db, qtbot, monkeypatch, message_boxes, counter_package):
    """Issue 16 §3 (spec 9, idempotent): the clerk keeps this PC's dossier (box left unticked)
    and imports; the same package again showed the conflict again, unticked, to be chosen
    again. Now the preview counts it as chosen at the earlier import, lists nothing to choose,
    and importing it writes nothing."""
    package, codes = counter_package
    clash = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                             applicant_name="Khách Của Máy Này",
                             received_at=NOW - dt.timedelta(hours=1))[1]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.dossiers["conflict"] == 1 and not preview.boxes()[0].isChecked()
    untick_keep_both(qtbot, preview)  # a clash: kept both unless the clerk unticks it
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert "giữ của máy này 1" in message_boxes[-1][2]

    def state():
        return (db.execute("SELECT code, applicant_name FROM dossiers ORDER BY code").fetchall(),
                db.execute("SELECT COUNT(*), MAX(id) FROM events").fetchone(),
                db.execute("SELECT key, value FROM settings ORDER BY key").fetchall())
    before = state()
    message_boxes.clear()
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(shown(PreviewDialog)) and shown(PreviewDialog)[0] is not preview,
                    timeout=10000)
    again = shown(PreviewDialog)[0]
    assert again.result.dossiers == {"decided": 1, "identical": 1}
    assert again.result.conflict_count == 0 and again.conflicts.rowCount() == 0
    counts = {again.counts.item(r, 0).text(): again.counts.item(r, 1).text()
              for r in range(again.counts.rowCount())}
    assert counts["Hồ sơ xung đột đã chọn ở lần nhập trước (giữ như đã chọn)"] == "1"
    assert counts["Hồ sơ xung đột: cùng mã, khác nội dung (cần chọn)"] == "0"
    click(qtbot, again.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert state() == before  # nothing written, not even the choice again
    assert dict(before[0])[clash] == "Khách Của Máy Này"


def test_cancelling_the_preview_writes_nothing(window, db, qtbot, monkeypatch, counter_package):
    package, _ = counter_package
    before = db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    worker.wait_all()
    assert not preview.isVisible()
    assert db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone() \
        == before


@pytest.fixture
def second_package(tmp_path, frozen_now, built_once):
    """Another counter (slot 3 of 3): a code of its own, one dossier (made once per module,
    copied into the test's folder like counter_package)."""
    database, package, code = built_once("counter3", build_second)
    copied(database, tmp_path, issues=True)  # its home is the copy's: it may issue codes
    return copied(package, tmp_path), code


def build_second(folder):
    other = open_database(folder / "counter3.db")
    add_catalogue(other)
    installation.set_slot(other, 3, 3)
    code = D.create_dossier(other, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Quầy Ba", received_at=NOW - dt.timedelta(hours=3))[1]
    package = folder / "quay3.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    return folder / "counter3.db", package, code


def test_several_packages_are_previewed_one_line_each_and_imported_together(
        window, db, qtbot, monkeypatch, message_boxes, counter_package, second_package):
    (first, codes), (second, code) = counter_package, second_package
    clash = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                             applicant_name="Khách Của Máy Này",
                             received_at=NOW - dt.timedelta(hours=1))[1]
    assert clash == codes[0]
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    monkeypatch.setattr(file_dialogs, "open_file_names",
                        lambda *a, **k: [str(first), str(second)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    table = preview.packages
    assert table.rowCount() == 3 and table.isVisible()
    # the totals first, as a Vietnamese statistical table opens, then a line a package
    assert [table.item(r, 0).text() for r in range(3)] == ["Cộng", "quay2.zip", "quay3.zip"]
    assert [table.item(r, 2).text() for r in range(3)] == ["2", "1", "1"]  # new
    assert [table.item(r, 6).text() for r in range(3)] == ["1", "1", "0"]  # the conflict
    assert preview.conflicts.item(0, 1).text() == clash
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before
    untick_keep_both(qtbot, preview)
    click(qtbot, preview.go)  # the conflict left unticked: keep this PC's dossier
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    assert "2 gói, trong một giao dịch" in message_boxes[-1][2]
    assert "giữ của máy này 1" in message_boxes[-1][2]
    names = dict(db.execute("SELECT code, applicant_name FROM dossiers").fetchall())
    assert names[clash] == "Khách Của Máy Này" and names[code] == "Khách Quầy Ba"
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before + 2


def test_cancelling_a_preview_of_several_packages_writes_nothing(
        window, db, qtbot, monkeypatch, counter_package, second_package):
    before = db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone()
    monkeypatch.setattr(file_dialogs, "open_file_names",
                        lambda *a, **k: [str(counter_package[0]), str(second_package[0])])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.packages.rowCount() == 3
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    worker.wait_all()
    assert db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone() \
        == before


def test_the_slot_of_this_pc_is_set_from_the_menu(window, db, qtbot):
    menu_pick(qtbot, window, window.exchange_slot_action)
    dialog = open_dialog(qtbot, SlotDialog)
    dialog.of.clear()
    qtbot.keyClicks(dialog.of, "3")
    dialog.slot.clear()
    qtbot.keyClicks(dialog.slot, "2")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: installation.slot(db) == (2, 3), timeout=5000)


@pytest.mark.slot_unconfirmed
def test_the_menu_leaves_an_unconfirmed_slot_unchosen(db, db_path, qtbot):
    """Issue 16 §3: on a file whose slot nobody confirmed, one click on Lưu must not confirm a
    1 of 1 nobody chose: no number shown, Lưu refused inline with the first start's words."""
    from core import office_setup
    add_catalogue(db)
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    assert not installation.slot_confirmed(db)
    menu_pick(qtbot, window, window.exchange_slot_action)
    dialog = open_dialog(qtbot, SlotDialog)
    assert dialog.of.text() == dialog.slot.text() == "—"
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and dialog.error.text() == office_setup.SLOT_QUESTION
    assert dialog.error.isVisible() and not installation.slot_confirmed(db)
    for spin, value in ((dialog.of, "3"), (dialog.slot, "2")):
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin, value)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: installation.slot(db) == (2, 3), timeout=5000)
    assert installation.slot_confirmed(db) and not dialog.isVisible()


def test_a_differing_catalogue_row_is_shown_and_taken_when_ticked(window, db, qtbot, tmp_path,
                                                                   monkeypatch, message_boxes):
    from core import catalogue
    other = open_database(tmp_path / "xa.db")
    add_catalogue(other)
    installation.set_slot(other, 3, 3)
    catalogue.save_unit(other, "X01", "UBND xã Đồng Giáp (mới)", "commune", "H01")
    catalogue.save_unit(other, "X02", "UBND xã Tràng Các (mới)", "commune", "H01")
    package = tmp_path / "xa.zip"
    export_package(other, package, dt.date(2025, 1, 1))
    other.close()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.catalogue.rowCount() == 2
    assert preview.catalogue.item(0, 1).text() == "Đơn vị X01 (UBND xã Đồng Giáp (mới))"
    assert preview.catalogue.item(0, 2).text() == "Tên: UBND xã Đồng Giáp"
    assert preview.catalogue.item(0, 3).text() == "Tên: UBND xã Đồng Giáp (mới)"
    box = preview.catalogue.cellWidget(0, 0)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert "danh mục lấy theo gói 1 dòng" in message_boxes[-1][2], message_boxes[-1]
    names = dict(db.execute("SELECT code, name FROM units").fetchall())
    assert names["X01"] == "UBND xã Đồng Giáp (mới)" and names["X02"] == "UBND xã Tràng Các"
    assert db.execute("SELECT actor FROM setting_changes WHERE area = 'units' AND key = 'X01'"
                      ).fetchone()[0] == "kiemthu"


def test_preview_counts_sit_beside_their_words(window, qtbot, monkeypatch, counter_package):
    """At 1366 px a count stretched to the table's far edge sat 700 px from what it counts."""
    package, _ = counter_package
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    counts = preview.counts
    words = max(counts.fontMetrics().horizontalAdvance(counts.item(r, 0).text())
                for r in range(counts.rowCount()))
    assert counts.columnWidth(0) >= words  # every line whole
    figures_end = counts.columnViewportPosition(1) + counts.columnWidth(1)
    assert figures_end < words + 150
    assert counts.width() < preview.width() * 0.7
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    worker.wait_all()


def test_a_conflicts_two_sides_are_read_whole_at_1366_px(window, db, qtbot, monkeypatch,
                                                         counter_package):
    """The walkthrough: "Máy này" and "Trong gói" were cut to one line (the reception moment
    hidden, whole only in a tooltip); now they wrap and the row grows to show every line."""
    package, codes = counter_package
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Nguyễn Thị Minh Khai Phương Của Máy Này",
                     received_at=NOW - dt.timedelta(hours=1))
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    table = preview.conflicts
    assert preview.width() <= 1366 and preview.height() <= 728
    metrics = table.fontMetrics()
    for column in (3, 4):  # this PC's dossier, the package's
        text = table.item(0, column).text()
        assert "tiếp nhận" in text
        space = QRect(0, 0, table.columnWidth(column) - 8, 10_000)
        needed = metrics.boundingRect(space, int(Qt.TextFlag.TextWordWrap), text).height()
        assert table.rowHeight(0) >= needed, (column, table.rowHeight(0), needed)
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert right <= table.viewport().width()  # no side behind a scroll bar
    box = preview.boxes()[0]  # the explicit choice per conflict is still there
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert preview.choices()[1] == {codes[0]: "theirs"}
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    worker.wait_all()


def test_a_package_chosen_twice_from_the_menu_is_pointed_out_in_the_preview(
        window, db, qtbot, monkeypatch, counter_package, tmp_path):
    # previewed and summed twice without a word — fails on the old code
    import shutil

    from PySide6.QtWidgets import QLabel
    first = counter_package[0]
    copy = tmp_path / "quay2 - Copy.zip"
    shutil.copy(first, copy)
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(first), str(copy)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    notes = [label.text() for label in preview.findChildren(QLabel)]
    assert any("quay2.zip được đưa hai lần (quay2 - Copy.zip là bản sao của quay2.zip): chỉ "
               "tính một lần" in n for n in notes), notes
    # round 21: the "Cộng" line added the copy again; it says what the import writes
    table = preview.packages
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    # the counts (the last column says each package's signature, none for the totals)
    assert rows[0][:2] == ["Cộng", "1 gói"] and rows[0][2:-1] == rows[1][2:-1], rows
    assert any(n.startswith("<b>1 gói</b> (1 tệp là gói đã đưa, chỉ tính một lần)")
               for n in notes), notes
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    worker.wait_all()
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before


def test_export_starts_where_this_pcs_last_package_stopped(window, db, qtbot, tmp_path,
                                                           monkeypatch, message_boxes):
    """Exported on 28/05 (from 01/05); a dossier received and last written on 30/05. The next
    package, made on 11/06 with the dialog's own day, must carry it: starting from the 1st of
    the month (the old default) left the end of May out, and the centre's May report short."""
    from core import timefmt
    from core.exchange.package import PackageReader
    from db.connection import transaction
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 5, 28, 16, 0))
    export_package(db, tmp_path / "thang5.zip", dt.date(2025, 5, 1))
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    late_id, late_code = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                                          applicant_name="Người Cuối Tháng",
                                          received_at=dt.datetime(2025, 5, 30, 10, 0))
    with transaction(db) as conn:  # written on the day it was received, not when the test runs
        conn.execute("UPDATE dossiers SET updated_at = '2025-05-30 10:05:00' WHERE id = ?",
                     [late_id])
    asked = []
    target = tmp_path / "thang6.zip"

    def save_path(parent, caption, suggested="", name_filter=""):
        asked.append(suggested)
        return str(target)
    monkeypatch.setattr(file_dialogs, "save_path", save_path)
    menu_pick(qtbot, window, window.exchange_export_action)
    dialog = open_dialog(qtbot, ExportDialog)
    assert dialog.day.value() == dt.date(2025, 5, 28) and dialog.since.text() == "28/05/2025"
    assert "16:00" in dialog.last.text() and "28/05/2025" in dialog.last.text()
    click(qtbot, dialog.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    with PackageReader(target) as reader:
        codes = {record["code"] for record in reader.records("dossiers.jsonl")}
    assert late_code in codes
    assert asked and f"-may1-{installation.installation_id(db)[:4]}-tu20250528-" in asked[0]


def test_a_code_given_to_two_citizens_is_told_apart_from_a_conflict(window, db, qtbot,
                                                                    monkeypatch, counter_package):
    """This PC and the counter, both left in slot 1 of 1, gave one code to two people: the
    preview says so above the list and on the line, in red, before the clerk ticks anything
    (whichever side is kept, the other citizen's dossier does not come in)."""
    from PySide6.QtWidgets import QLabel
    package, codes = counter_package
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    cell = preview.conflicts.item(0, 2)
    assert cell.text().startswith("HAI HỒ SƠ KHÁC NHAU cùng mã — ") and "người nộp" in cell.text()
    assert cell.foreground().color().name() == "#c62828"
    said = [label.text() for label in preview.findChildren(QLabel) if label.isVisible()]
    assert any("hai hồ sơ khác nhau" in text and "số hiệu riêng" in text for text in said)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)  # nothing chosen, nothing written
    qtbot.waitUntil(lambda: not preview.isVisible(), timeout=5000)


def test_of_several_packages_each_conflict_names_its_package(window, db, qtbot, monkeypatch,
                                                            counter_package, second_package):
    """Packages are merged one after the other: what is 'here' when a later one is compared
    may have come from an earlier one, and the clerk choosing must see which package each
    line is about."""
    (first, _codes), (second, _code) = counter_package, second_package
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    monkeypatch.setattr(file_dialogs, "open_file_names",
                        lambda *a, **k: [str(first), str(second)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    header = preview.conflicts.horizontalHeaderItem(3).text()
    assert header == "Đang có (máy này hoặc gói trước)"
    assert preview.conflicts.item(0, 4).text().startswith("[quay2.zip] ")
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    worker.wait_all()


@pytest.fixture
def on_another_pc(db, monkeypatch):
    """The test's database, opened as if its file had been copied onto counter 2."""
    from tests.gui.accounts_setup import make_accounts
    made = make_accounts(db)
    monkeypatch.setattr(installation, "machine_name", lambda: "QUAY2", raising=False)
    return made


def test_an_administrator_opening_a_copied_file_says_it_is_a_new_pc(qtbot, db, db_path,
                                                                     office, on_another_pc,
                                                                     message_boxes):
    """Issue 16 §3 (spec 4): asked at the sign-in, nothing preselected; the new PC gets an id
    and a slot of its own and then issues codes the old one never will."""
    from db import actor
    from gui.packages import HomeDialog
    from tests.gui.accounts_setup import ADMIN, CLERK
    old_id = installation.installation_id(db)
    actor.sign_in(on_another_pc[ADMIN].as_actor())
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    dialog = open_dialog(qtbot, HomeDialog)
    assert "máy «QUAY2»" in dialog.findChildren(type(dialog.new_note))[0].text()
    assert not dialog.go.isEnabled()  # an explicit choice
    click(qtbot, dialog.new)
    assert dialog.go.isEnabled() and (dialog.slot.value(), dialog.of.value()) == (2, 2)
    assert "đặt nó thành 1 trên 2" in dialog.new_note.text()
    dialog.slot.clear()
    qtbot.keyClicks(dialog.slot, "1")  # the old PC's number: refused before any click
    assert not dialog.go.isEnabled() and "của máy kia" in dialog.new_note.text()
    dialog.slot.clear()
    qtbot.keyClicks(dialog.slot, "2")
    click(qtbot, dialog.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert installation.installation_id(db) != old_id and installation.slot(db) == (2, 2)
    assert installation.home(db).state == "here"
    assert "cấp mã hồ sơ mới từ bây giờ" in str(message_boxes[-1])
    actor.sign_in(on_another_pc[CLERK].as_actor())
    code = D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                            applicant_name="Khách Quầy Hai", received_at=NOW)[1]
    assert int(code[-4:]) % 2 == 0  # slot 2 of 2


def test_a_clerk_on_a_copied_file_is_told_whom_to_ask(qtbot, db, db_path, office, on_another_pc):
    from core.errors import OperationError
    from db import actor
    from gui.packages import HomeDialog
    from tests.gui.accounts_setup import CLERK
    actor.sign_in(on_another_pc[CLERK].as_actor())
    win = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(win)
    # above the screens, whole (round 19: in the status bar it was cut and drawn over the
    # account's line; tests/gui/test_copied_file_note.py)
    assert "Quản trị viên cần chọn" in win.home_note.text() and not win.home_note.isHidden()
    assert not shown(HomeDialog)
    with pytest.raises(OperationError, match="Chưa cấp mã hồ sơ mới"):
        D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                         applicant_name="Khách Quầy Hai", received_at=NOW)


def test_a_package_made_by_a_newer_motcua_is_refused_with_what_to_do(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes, counter_package):
    """Round 13 review: a package of a newer schema was previewed and imported silently."""
    import json
    import zipfile

    from core.exchange.package import MANIFEST
    from db.schema import SCHEMA_VERSION
    from tests.core.exchange.conftest import repack, rewrite_rows

    package, _codes = counter_package
    part = tmp_path / "part.zip"
    rewrite_rows(package, part, lambda conn: conn.execute(
        f"PRAGMA user_version = {SCHEMA_VERSION + 1}"))
    with zipfile.ZipFile(part) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    manifest = json.loads(members[MANIFEST])
    manifest.update(schema_version=SCHEMA_VERSION + 1, program_version="2.0.0")
    members[MANIFEST] = json.dumps(manifest).encode()
    newer = tmp_path / "moi.zip"
    repack(members, newer)
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(newer)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    text = message_boxes[-1][2]
    assert "gói do MotCua 2.0.0 xuất" in text and "mới hơn lược đồ" in text, message_boxes[-1]
    assert "Hãy cập nhật MotCua ở máy này lên bản 2.0.0 hoặc mới hơn" in text
    assert not shown(PreviewDialog)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before


def test_a_month_end_preview_with_many_warnings_keeps_its_totals_and_conflicts_in_sight(
        window, db, qtbot, counter_package, second_package):
    """The walkthrough of the thirteenth round, 3 packages of 3,000 dossiers at 1366×728: seven
    warnings (same slot, codes given twice, a reception in the future) took the height, the
    packages' "Cộng" line went behind a scroll bar and the conflicts' table shrank to a sliver
    of one row, its code out of sight. The warnings now scroll beside the counts."""
    from core.exchange.merge import import_packages
    (first, codes), (second, _code) = counter_package, second_package
    D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                     applicant_name="Khách Của Máy Này", received_at=NOW - dt.timedelta(hours=1))
    batch = import_packages(db, [str(first), str(second)], dry_run=True)
    result = batch.combined()
    result.warnings += [
        f"quay{n}.zip: 1.442 mã hồ sơ được cấp cho hai hồ sơ khác nhau (khác người nộp, thủ tục "
        "hoặc đơn vị): máy gửi và máy đã cấp mã ấy dùng cùng một số hiệu cấp mã. Giữ bên nào "
        "thì hồ sơ bên kia không vào được máy này — hãy ghi lại các mã ấy, báo máy gửi, và cho "
        "mỗi máy một số hiệu riêng (Dữ liệu → Máy này trong nhóm trao đổi…)." for n in range(7)]
    preview = PreviewDialog(result, window, batch.results)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    assert preview.height() <= 728
    table = preview.packages
    last = table.rowCount() - 1
    assert table.item(0, 0).text() == "Cộng"
    bottom = table.rowViewportPosition(last) + table.rowHeight(last)
    assert bottom <= table.viewport().height(), (bottom, table.viewport().height())
    conflicts = preview.conflicts
    assert conflicts.item(0, 1).text() == codes[0]
    assert conflicts.rowHeight(0) <= conflicts.viewport().height(), (
        conflicts.rowHeight(0), conflicts.viewport().height())  # the first conflict whole
    counts = preview.counts  # beside the warnings, its words and figures still whole
    assert counts.width() >= counts.horizontalHeader().length() + 2 * counts.frameWidth()
    assert not counts.horizontalScrollBar().isVisible()
    for label in preview.findChildren(QLabel):
        if label.text().startswith("⚠"):
            assert label.isVisibleTo(preview)
    preview.reject()


def test_a_month_end_of_twelve_packages_with_many_conflicts_is_usable_at_1366_px(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes, frozen_now):
    """Twelve counters left in the same slot as this PC send three dossiers each: 33
    conflicting records. At 1366×728 the packages' list showed five of its lines with the totals behind
    the scroll bar, and each conflict took three or four lines (two conflicts in sight). Now
    the totals open the list beside the counts, seven packages show, each conflict takes two
    lines. A code several packages bring is one choice among its versions (this PC's and each
    package's), picked per code whatever the packages' order (issue 16 §3: ticked to take,
    the last package given silently won over the earlier ones)."""
    for n in range(4):
        D.create_dossier(db, unit_code="X01", procedure_code="1.004227",
                         applicant_name=f"Nguyễn Thị Minh Khai Phương {n}",
                         received_at=NOW - dt.timedelta(hours=2, minutes=n))
    paths = []
    for p in range(12):
        other = open_database(tmp_path / f"quay{p}.db")
        add_catalogue(other)
        for n in range(3):
            D.create_dossier(other, unit_code="X01" if p % 2 == 0 else "X02",
                             procedure_code="1.001612" if n else "1.004227",
                             applicant_name=f"Khách Quầy {p} Người {n}",
                             received_at=NOW - dt.timedelta(hours=1, minutes=p * 3 + n))
        paths.append(str(tmp_path / f"quay{p + 1:02d}_thang11.zip"))
        # made one after another: merged, and their versions listed, in this order
        monkeypatch.setattr(timefmt, "now", lambda p=p: NOW - dt.timedelta(minutes=12 - p))
        export_package(other, paths[-1], dt.date(2025, 1, 1))
        other.close()
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: paths)
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    qtbot.waitExposed(preview)
    assert preview.width() <= 1366 and preview.height() <= 728
    table = preview.packages
    assert table.item(0, 0).text() == "Cộng" and table.item(0, 1).text() == "12 gói"
    # every record of a code this PC or an earlier package holds for another citizen: 36 less
    # the three X02 records the first X02 package brings new
    assert table.item(0, 6).text() == "33"
    seen = [r for r in range(table.rowCount())
            if table.rowViewportPosition(r) + table.rowHeight(r) <= table.viewport().height()]
    assert len(seen) >= 8, seen  # the totals and seven packages
    assert table.item(1, 1).text().startswith("tất cả — máy ")
    # each package's sender as the single preview names it: its slot tells the counters apart
    assert table.item(1, 1).text().endswith(" (số hiệu 1/1)"), table.item(1, 1).text()
    assert table.columnWidth(1) >= table.fontMetrics().horizontalAdvance(
        table.item(1, 1).text())  # the sender whole, not "tất cả — …"
    # every code here is brought by six packages, each a different citizen's dossier: not one
    # version kept of seven (issue 16 §3), every one kept, "Giữ cả hai" ticked on each line
    conflicts = preview.conflicts
    assert not preview.crossed and conflicts.isVisible() and conflicts.rowCount() == 33
    assert len(preview.both_boxes) == 33 and all(b.isChecked() for b in preview.both_boxes.values())
    line = conflicts.fontMetrics().lineSpacing()  # what differs read whole: four fields with
    # both values (a clash: person, procedure, moment, history) on four lines at most
    assert all(conflicts.rowHeight(r) <= 4 * line + 8 for r in range(conflicts.rowCount()))
    for button in (preview.go, preview.keep_all):  # none cut off
        corner = button.mapTo(preview, QPoint(button.width(), button.height()))
        assert button.isVisible() and preview.rect().contains(corner), button.text()
    assert preview.go.isEnabled()
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    worker.wait_all()


def test_a_package_made_by_an_older_motcua_is_previewed_and_imported(
        window, db, qtbot, tmp_path, monkeypatch, message_boxes, counter_package):
    """Issue 16 §3: a commune not yet updated sends a format-3 package of an older schema
    (tests.core.exchange.test_older_part: its part as the program at 22 made it); the menu
    previews it and imports it as it would the package of this version."""
    from tests.core.exchange.test_older_part import OLDER, older_package

    package, codes = counter_package
    folder = tmp_path / "cu"
    folder.mkdir()
    older = older_package(package, tmp_path / "counter.db", tmp_path / "xa-cu.zip", folder)
    before = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(older)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    assert preview.result.dossiers == {"new": 2}, preview.result.dossiers
    assert preview.result.manifest["schema_version"] == OLDER
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before
    click(qtbot, preview.go)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    worker.wait_all()
    assert message_boxes[-1][1] == "Đã nhập gói", message_boxes[-1]
    names = dict(db.execute("SELECT code, applicant_name FROM dossiers").fetchall())
    assert {names[code] for code in codes} == {"Khách Quầy Hai", "Người Thứ Hai"}


def test_too_little_room_on_the_disk_is_said_before_the_preview(window, db, qtbot, monkeypatch,
                                                                counter_package, message_boxes):
    """Dữ liệu → Nhập gói trao đổi… on a PC whose disk has 40 MB free: the clerk reads, before
    any preview, which disk, what is free and what the import needs; nothing is written."""
    from core.exchange import space
    package, _ = counter_package
    before = db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone()
    monkeypatch.setattr(space, "free_bytes", lambda folder: 40_000_000)
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(package)])
    menu_pick(qtbot, window, window.exchange_import_action)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    worker.wait_all()
    kind, _title, text = message_boxes[0]
    assert kind == "warning"
    assert text.startswith("Ổ đĩa ") and "còn trống 40 MB, cần khoảng" in text, text
    assert f"để nhập gói {package.name}" in text and "Chưa ghi gì" in text
    assert not shown(PreviewDialog)
    assert db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events) FROM dossiers").fetchone() \
        == before


def test_export_over_a_file_that_is_there_asks_first_and_keeps_it_when_told_no(
        window, qtbot, tmp_path, message_boxes, monkeypatch):
    """The real save dialog (no stand-in): naming last month's package on the USB stick makes
    Qt's dialog ask, in Vietnamese, before anything is written; "Không" keeps the file (the
    dialog stays for another name), "Có" replaces it with the new package, written whole
    beside it first (core.exchange.package.PackageWriter: nothing half-written)."""
    from PySide6.QtCore import QCoreApplication, QTranslator
    from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

    from core.exchange.package import PackageReader
    from gui.app import install_qt_vietnamese
    from tests.gui.accounts_setup import answer_modal
    usb = tmp_path / "usb"
    usb.mkdir()
    target = usb / "goi-thang-truoc.zip"
    target.write_bytes(b"last month's package")
    from PySide6.QtCore import QSettings

    from gui.file_dialogs import SAVE_FOLDER_KEY
    QSettings().setValue(SAVE_FOLDER_KEY, str(usb))  # last month's package was saved there
    app = QCoreApplication.instance()
    assert install_qt_vietnamese(app)
    asked: list[str] = []

    def when(kind, act):
        """A step of answer_modal that waits for Qt's own dialog of `kind` to be up."""
        def step(_modal=None) -> None:
            from PySide6.QtCore import QTimer
            up = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind)
                  and w.isVisible()]
            if not up:
                QTimer.singleShot(30, lambda: step(_modal))
                return
            act(up[0])
        return step

    def name_it(button):
        def act(dialog) -> None:
            from PySide6.QtCore import QTimer
            line = dialog.findChild(QLineEdit, "fileNameEdit")
            line.selectAll()
            qtbot.keyClicks(line, target.name)  # the dialog opens in the USB stick's folder
            # Qt's question runs its own loop inside the key press: its answer goes first
            QTimer.singleShot(30, when(QMessageBox, lambda box: reply(box, button)))
            qtbot.keyClick(line, Qt.Key.Key_Return)
        return when(QFileDialog, act)

    def reply(box, button) -> None:
        asked.append(box.text())
        qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

    cancel = when(QFileDialog, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    try:
        for button, then in ((QMessageBox.StandardButton.No, cancel),
                             (QMessageBox.StandardButton.Yes, None)):
            menu_pick(qtbot, window, window.exchange_export_action)
            dialog = open_dialog(qtbot, ExportDialog)
            answer_modal(qtbot, name_it(button), *([then] if then else []))
            click(qtbot, dialog.go)
            qtbot.waitUntil(lambda: not shown(QFileDialog), timeout=10000)
            worker.wait_all()
            if then:  # told no, then Huỷ: nothing written
                assert target.read_bytes() == b"last month's package" and not message_boxes
        qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
        worker.wait_all()
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
            translator.deleteLater()
    assert asked == [f"{target.name} đã có.\nGhi đè lên tệp này?"] * 2, asked
    assert message_boxes[-1][1] == "Đã xuất gói", message_boxes
    with PackageReader(target) as reader:
        assert reader.manifest.data["counts"]["units"] > 0
    assert sorted(p.name for p in usb.iterdir()) == [target.name]


def test_export_window_says_to_update_the_centre_first(window, qtbot):
    """Schema 25: an older receiver refuses this version's packages, format 2 too, so the box no
    longer promises format 2 to a centre not updated; the window says the update order."""
    from core.version import UPDATE_ORDER_VI
    menu_pick(qtbot, window, window.exchange_export_action)
    dialog = open_dialog(qtbot, ExportDialog)
    said = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert UPDATE_ORDER_VI in said and "cập nhật máy trung tâm trước" in UPDATE_ORDER_VI
    assert "chưa cập nhật" not in dialog.older.text()
    # the words an unsigned format-2 package's refusal quotes (core.exchange.signing)
    assert dialog.older.text().startswith("Xuất gói theo định dạng 2 (")
    dialog.reject()
