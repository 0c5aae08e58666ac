"""Đối chiếu với hệ thống tỉnh with real clicks: from the Dữ liệu menu, choose the file, map a
vendor's columns and save the mapping, run in a worker, read the tabs, save PDF and Excel."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core.transfer import import_file
from gui import file_dialogs, widgets, worker
from gui.reconciliation.screen import ReconcileDialog
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, ours_rows, province_rows
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    PROCEDURES,
    PROCEDURES_HEADER,
    UNITS,
    UNITS_HEADER,
    write_csv,
    write_xlsx,
)
from tests.gui.clicks import click, menu_pick
from tests.pdfread import pdf_text


@pytest.fixture
def office(db, tmp_path):
    for kind, header, rows in (("units", UNITS_HEADER, UNITS),
                               ("procedures", PROCEDURES_HEADER, PROCEDURES),
                               ("dossiers", DOSSIERS_HEADER, ours_rows())):
        assert import_file(db, kind, write_csv(tmp_path / f"{kind}.csv", header, rows)).ok
    return db


@pytest.fixture
def dialog(qtbot, office, db_path):
    widget = ReconcileDialog(office, str(db_path), today=dt.date(2025, 2, 10))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def choose(qtbot, dialog) -> None:
    """The clerk picks the file; its head is read in a worker, the pickers follow."""
    click(qtbot, dialog.choose_button)
    qtbot.waitUntil(lambda: dialog.reading is None, timeout=10000)


def run(qtbot, dialog) -> None:
    click(qtbot, dialog.run_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)


def click_tab(qtbot, dialog, index: int) -> None:
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert dialog.tabs.currentIndex() == index


def test_menu_opens_the_window(qtbot, office, db_path):
    from gui.main_window import MainWindow
    window = MainWindow(office, str(db_path))
    qtbot.addWidget(window)
    menu_pick(qtbot, window, window.reconcile_action)
    assert isinstance(window.reconcile_dialog, ReconcileDialog)
    assert window.reconcile_dialog.windowTitle() == "Đối chiếu với hệ thống tỉnh"
    window.reconcile_dialog.close()


def test_national_file_reconciled_tabs_counted_and_saved(qtbot, dialog, tmp_path, monkeypatch,
                                                         message_boxes):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    assert not dialog.run_button.isEnabled()
    choose(qtbot, dialog)
    assert dialog.mapping.preview.rowCount() == 5
    assert dialog.mapping.preview.item(1, 7).text() == "Đã xử lý xong"  # TrangThaiHoSo 9
    assert dialog.mapping.preview.item(0, 3).text() == "Trực tuyến"     # KenhThucHien 2
    run(qtbot, dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles[2:6] == ["Thiếu trên hệ thống tỉnh (1)", "Thiếu trong MotCua (1)",
                           "Khác nhau (6)", "Đã ghép (4, 1 không theo mã)"]  # 6: the near pair's reception
    assert not dialog.tabs.isTabVisible(dialog.unread_tab)  # every row was read
    assert not dialog.unread_note.isVisible()
    assert dialog.tabs.currentIndex() == 1
    assert dialog.views["only_ours"].model().index(0, 0).data() == "XTD-250102-0002"
    pdf = tmp_path / "ra.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(pdf))
    click(qtbot, dialog.pdf_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: pdf.exists(), timeout=10000)
    assert "Trần *** Bình" in pdf_text(pdf)  # a report: the name masked
    # whose header and signer it bears, as the monthly report's window says it (round 18)
    qtbot.waitUntil(lambda: any("Đã ghi kết quả đối chiếu" in box[2] for box in message_boxes),
                    timeout=10000)
    assert "Tiêu đề và người ký của cơ quan: chưa đặt" in message_boxes[-1][2]  # none set
    book = tmp_path / "ra"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(book))
    click(qtbot, dialog.xlsx_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: (tmp_path / "ra.xlsx").exists(), timeout=10000)


def test_vendor_columns_mapped_saved_and_reused(qtbot, dialog, office, tmp_path, monkeypatch):
    names = {"MaHoSo": "So ho so", "MaTTHC": "Ma TTHC", "ChuHoSo": "Nguoi nop",
             "KenhThucHien": "Kenh", "NgayTiepNhan": "Ngay nhan", "TrangThaiHoSo": "Tinh trang",
             "NgayKetThucXuLy": "Ngay xong"}
    keep = [PROVINCE_HEADER.index(n) for n in names]
    rows = [[r[i] for i in keep] for r in province_rows()]
    source = write_xlsx(tmp_path / "igate.xlsx", list(names.values()), rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert "thiếu cột" in dialog.mapping.note.text()  # the national names are not there
    for field, column in (("code", "so ho so"), ("procedure_code", "ma tthc"),
                          ("applicant_name", "nguoi nop"), ("channel", "kenh"),
                          ("received_at", "ngay nhan"), ("status", "tinh trang"),
                          ("finished_at", "ngay xong")):
        picker = dialog.mapping.pickers[field]
        picker.setFocus()
        qtbot.keyClick(picker, Qt.Key.Key_Home)
        for _ in range(picker.findData(column)):
            qtbot.keyClick(picker, Qt.Key.Key_Down)
        assert picker.currentData() == column
    assert dialog.mapping.note.text() == ""
    assert dialog.mapping.preview.item(0, 0).text() == "XTD-250102-0001"
    monkeypatch.setattr(widgets, "ask_text", lambda *a, **k: "iGate Lạng Sơn")
    click(qtbot, dialog.mapping.save_button)
    assert dialog.mapping.profiles.currentData() == "iGate Lạng Sơn"
    run(qtbot, dialog)
    assert len(dialog.result.only_theirs) == 1
    again = ReconcileDialog(office, dialog.db_path, today=dt.date(2025, 2, 10))
    qtbot.addWidget(again)
    index = again.mapping.profiles.findData("iGate Lạng Sơn")
    assert index > 0
    again.mapping.profiles.setCurrentIndex(index)
    again.open_file(str(source))
    qtbot.waitUntil(lambda: again.reading is None, timeout=10000)
    assert again.mapping.pickers["channel"].currentData() == "kenh"


def test_a_bad_row_is_listed_and_the_rest_compared(qtbot, dialog, tmp_path, monkeypatch,
                                                   message_boxes):
    """Round 12: one bad row refused the whole file; now it is listed in its own tab and the
    figures say the province's side lacks it."""
    rows = province_rows()
    rows[2][PROVINCE_HEADER.index("KenhThucHien")] = "8"
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    assert not message_boxes and dialog.pdf_button.isEnabled()
    assert dialog.tabs.isTabVisible(dialog.unread_tab)
    assert dialog.tabs.tabText(dialog.unread_tab) == "Dòng không đọc được (1)"
    assert dialog.tabs.tabText(5) == "Đã ghép (3)"
    # on the indicators' tab, above the figures, in words
    assert dialog.tabs.currentIndex() == 1 and dialog.unread_note.isVisible()
    assert dialog.unread_note.text().startswith("1 dòng của tệp hệ thống tỉnh không đọc được")
    assert dialog.summary.text().startswith("1 dòng của tệp không đọc được, không được đối chiếu.")
    bar = dialog.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(dialog.unread_tab).center())
    assert dialog.tabs.currentIndex() == dialog.unread_tab
    view = dialog.views["unread"]
    assert [view.model().index(0, c).data() for c in range(3)] == [
        "4", "KenhThucHien (Kênh thực hiện)", "8"]


def test_a_file_with_no_readable_row_compares_nothing(qtbot, dialog, tmp_path, monkeypatch,
                                                      message_boxes):
    rows = province_rows()
    for row in rows:
        row[PROVINCE_HEADER.index("KenhThucHien")] = "8"
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    click(qtbot, dialog.run_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    kind, title, text = message_boxes[-1]
    assert title == "Tệp có lỗi, chưa đối chiếu"
    assert "Dòng 4, cột KenhThucHien (Kênh thực hiện)" in text
    assert dialog.result is None and not dialog.pdf_button.isEnabled()


def test_not_a_spreadsheet_refused(qtbot, dialog, tmp_path, monkeypatch, message_boxes):
    source = tmp_path / "tinh.xlsx"
    source.write_bytes(b"not a zip at all")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert message_boxes[-1][1] == "Không thể đọc tệp"
    assert dialog.path.text() == "" and not dialog.run_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_an_unreadable_file_is_told_in_the_projects_one_way(qtbot, dialog, db_path, tmp_path,
                                                            monkeypatch, message_boxes):
    """The box of a file the window cannot read is titled as every failed job's is
    (gui.errors.failure_title of its line, "Đang đọc tệp…"), and says what the import says of the
    same file, word for word (the window had its own title, "Không đọc được tệp")."""
    from gui import errors, import_export
    from gui.reconciliation.screen import READING
    source = tmp_path / "tinh.xlsx"
    source.write_bytes(b"not a zip at all")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert len(message_boxes) == 1
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", errors.failure_title(READING)) == ("warning",
                                                                          "Không thể đọc tệp")
    monkeypatch.setattr(widgets, "choose", lambda *a, **k: import_export.KINDS_VI["dossiers"])
    import_export.import_dialog(dialog, str(db_path))  # the import, of the same file
    worker.wait_all()
    qtbot.waitUntil(lambda: len(message_boxes) == 2, timeout=10000)
    imported = message_boxes[-1]
    assert imported[:2] == ("warning", "Không thể nhập hồ sơ")
    assert text == imported[2] and source.name in text
    assert dialog.path.text() == "" and not dialog.run_button.isEnabled()


@pytest.mark.parametrize("encoding, advice", [
    ("latin-1", "CSV UTF-8 (Comma delimited) (*.csv)\", rồi chọn lại tệp (nút “Chọn tệp…”)."),
    ("utf-16", "CSV UTF-8 (Comma delimited) (*.csv)\", rồi chọn lại tệp (nút “Chọn tệp…”)."),
    ("mangled", "không mở rồi lưu lại, rồi chọn lại tệp (nút “Chọn tệp…”).")])
def test_a_csv_in_another_encoding_says_to_choose_it_again(qtbot, dialog, tmp_path,
                                                            monkeypatch, message_boxes,
                                                            encoding, advice):
    """The window opens a file, it imports nothing: the advice ends "rồi chọn lại tệp", not
    "rồi nhập lại" (one rule: core.transfer.csv_files.utf8_advice, its last step by the place)."""
    rows = [[cell.encode("ascii", "ignore").decode() + ("é" if n == 0 else "")
             for n, cell in enumerate(row)] for row in province_rows()]  # Windows' 0xE9 for é
    if encoding == "mangled":  # UTF-8 opened as Windows-1252 and saved again: 'Lê' → 'LÃª'
        source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
        source.write_text(source.read_text(encoding="utf-8").encode().decode("cp1252", "replace"),
                          encoding="utf-8")
    else:
        source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows, encoding)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    kind, title, text = message_boxes[-1]
    assert title == "Không thể đọc tệp"
    assert advice in text
    assert "nhập" not in text


def test_file_imported_into_motcua_through_the_mapping(qtbot, dialog, office, tmp_path,
                                                       monkeypatch, message_boxes):
    from PySide6.QtWidgets import QMessageBox
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    click(qtbot, dialog.import_button)  # answered "Không nhập": nothing happens
    assert message_boxes[-1][1] == "Nhập tệp vào MotCua"
    assert office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6
    message_boxes.answer = QMessageBox.StandardButton.Yes
    click(qtbot, dialog.import_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã nhập", timeout=10000)
    # the province's XTD-250106-9042 is MotCua's XTD-250106-0002 (issue 16: coded differently):
    # asked before anything was written, the whole name on the clerk's screen, and skipped
    kind, title, text = message_boxes[-2]
    assert title == "Có thể trùng hồ sơ đã có"
    assert ("mã XTD-250106-9042 của tệp ↔ hồ sơ XTD-250106-0002 của MotCua (Phạm Thị Dung"
            in text)
    assert "Thêm 1, cập nhật 2, không đổi 1 hồ sơ, bỏ qua 1 dòng có thể trùng" in message_boxes[-1][2]
    assert "đã bỏ qua, không nhập" in message_boxes[-1][2]
    assert office.execute("SELECT status FROM dossiers WHERE code = 'XTD-250108-0009'"
                          ).fetchone() == ("processing",)
    assert not office.execute("SELECT 1 FROM dossiers WHERE code = 'XTD-250106-9042'"
                              ).fetchone()


@pytest.mark.parametrize("button, added", [("Vẫn nhập cả 1 hồ sơ", 2), ("Không nhập", 0)])
def test_a_likely_duplicate_imported_anyway_or_not_at_all(qtbot, dialog, office, tmp_path,
                                                          monkeypatch, message_boxes, button,
                                                          added):
    from PySide6.QtWidgets import QMessageBox
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    message_boxes.answer = QMessageBox.StandardButton.Yes  # "Nhập"
    answered = widgets.run_message

    def pick(kind, box):  # the question of the duplicates: the button named
        if box.windowTitle() != "Có thể trùng hồ sơ đã có":
            return answered(kind, box)
        message_boxes.append((kind, box.windowTitle(), box.text()))
        return next(b for b in box.buttons() if b.text() == button)
    monkeypatch.setattr(widgets, "run_message", pick)
    click(qtbot, dialog.import_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: any(m[1] == "Có thể trùng hồ sơ đã có" for m in message_boxes),
                    timeout=10000)
    worker.wait_all()
    if added:
        qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã nhập", timeout=10000)
        assert "đã vẫn được nhập thành hồ sơ mới" in message_boxes[-1][2]
    assert office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6 + added


@pytest.mark.parametrize("button, added", [("Vẫn nhập cả 1 hồ sơ", 2), ("Không nhập", 0)])
def test_the_workbook_is_parsed_once_for_the_question_and_the_import(
        qtbot, dialog, office, tmp_path, monkeypatch, message_boxes, button, added):
    """The likely duplicates are asked about before anything is written; the import after the
    answer read the file again (openpyxl, the slow step: 26 s a pass for 200,000 rows). The
    rows the first run parsed are kept in the worker for the second: one pass over the sheet
    from the click on "Nhập tệp vào MotCua…" to the end."""
    from PySide6.QtWidgets import QMessageBox

    from core.transfer import xlsx_reader
    source = write_xlsx(tmp_path / "tinh.xlsx", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    passes = []
    real = xlsx_reader._xlsx_records

    def counted(*args, **kwargs):
        passes.append(args[0])
        return real(*args, **kwargs)
    monkeypatch.setattr(xlsx_reader, "_xlsx_records", counted)
    message_boxes.answer = QMessageBox.StandardButton.Yes  # "Nhập"
    answered = widgets.run_message

    def pick(kind, box):  # the question of the duplicates: the button named
        if box.windowTitle() != "Có thể trùng hồ sơ đã có":
            return answered(kind, box)
        message_boxes.append((kind, box.windowTitle(), box.text()))
        return next(b for b in box.buttons() if b.text() == button)
    monkeypatch.setattr(widgets, "run_message", pick)
    click(qtbot, dialog.import_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: any(m[1] == "Có thể trùng hồ sơ đã có" for m in message_boxes),
                    timeout=10000)
    worker.wait_all()
    if added:
        qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã nhập", timeout=10000)
    assert office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 6 + added
    assert passes == [source]


def test_cancel_stops_the_work_and_shows_nothing(qtbot, dialog, tmp_path, monkeypatch):
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from gui.reconciliation import screen
    started, go_on = threading.Event(), threading.Event()
    real = screen.reconcile

    def slow(db, *args, progress, **kwargs):
        started.set()
        go_on.wait(10)
        return real(db, *args, progress=progress, **kwargs)
    monkeypatch.setattr(screen, "reconcile", slow)
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    click(qtbot, dialog.run_button)
    assert started.wait(10)
    qtbot.waitUntil(lambda: any(p.isVisible() for p in dialog.findChildren(QProgressDialog)),
                    timeout=5000)
    progress = next(p for p in dialog.findChildren(QProgressDialog) if p.isVisible())
    with qtbot.waitSignal(dialog.worker.cancelled, timeout=10000):
        click(qtbot, progress.findChild(QPushButton))  # "Huỷ"
        go_on.set()
    worker.wait_all()
    assert dialog.result is None and not dialog.pdf_button.isEnabled()


def test_766_figures_the_province_file_cannot_give_are_shown_as_not_comparable(
        qtbot, dialog, tmp_path, monkeypatch):
    from core.reconcile.side import FOOTNOTE
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert not dialog.indicators_note.isVisible()
    run(qtbot, dialog)
    dialog.tabs.setCurrentIndex(1)
    model = dialog.views["indicators"].model()
    shown = {model.index(r, 0).data()[:3]: [model.index(r, c).data() for c in range(2, 6)]
             for r in range(model.rowCount())}
    assert shown["4.2"][1:] == ["không so sánh được (*)", "không so sánh được (*)", "—"]
    assert shown["5.4"][1:] == ["không so sánh được (*)", "không so sánh được (*)", "—"]
    assert "không so sánh được" not in shown["2.1"][1]
    assert dialog.indicators_note.isVisible()
    assert dialog.indicators_note.text().split("\n")[0] == FOOTNOTE


def test_figures_counted_without_a_column_the_file_lacks_are_marked(qtbot, dialog, tmp_path,
                                                                    monkeypatch):
    """The national export of a vendor without CacLanBoSung / KetQuaDienTu: the province's
    on-time and overdue figures (and the electronic ones) carry (**) and the note says why;
    a file with those columns has no mark (core.reconcile.side.missing_columns)."""
    def shown_after(path) -> tuple[dict, str]:
        monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(path))
        choose(qtbot, dialog)
        dialog.result = None
        run(qtbot, dialog)
        model = dialog.views["indicators"].model()
        return ({model.index(r, 0).data(): [model.index(r, c).data() for c in range(2, 5)]
                 for r in range(model.rowCount())}, dialog.indicators_note.text())
    lacking = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    shown, note = shown_after(lacking)
    on_time, late = shown["Giải quyết đúng hạn"], shown["Hồ sơ giải quyết quá hạn"]
    assert not on_time[0].endswith("(**)") and on_time[1].endswith("(**)")
    assert on_time[2].endswith("(**)") and late[1].endswith("(**)")
    assert not shown["Hồ sơ tiếp nhận (kể cả kỳ trước chuyển sang)"][1].endswith("(**)")
    assert "(**) Tệp xuất của hệ thống tỉnh không có cột CacLanBoSung" in note
    dialog.tabs.setCurrentIndex(1)
    assert dialog.indicators_note.isVisible()
    full = write_csv(tmp_path / "tinh_du.csv",
                     PROVINCE_HEADER + ["CacLanBoSung", "KetQuaDienTu", "PhiLePhi"],
                     [r + ["", "", ""] for r in province_rows()])
    shown, note = shown_after(full)
    assert not any("(**)" in text for texts in shown.values() for text in texts)
    assert "(**)" not in note


def test_the_pairs_made_without_a_code_come_first_with_their_gap(qtbot, dialog, tmp_path,
                                                                  monkeypatch):
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    tab = dialog.tabs.indexOf(dialog.views["pairs"])
    click_tab(qtbot, dialog, tab)
    model = dialog.views["pairs"].model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[3:] == ["Tiếp nhận (MotCua)", "Tiếp nhận (tỉnh)", "Lệch (phút)", "Cách ghép"]
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first == ["XTD-250106-0002", "XTD-250106-9042", "Phạm Thị Dung",
                     "09:00 06/01/2025", "09:15 06/01/2025", "15",
                     "thủ tục + chủ hồ sơ + giờ tiếp nhận"]  # the unit: in the header's tip
    assert model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole) == (  # whole, when elided
        "thủ tục + chủ hồ sơ + giờ tiếp nhận (lệch 15 phút), cùng đơn vị giải quyết")
    rest = [[model.index(r, c).data() for c in (6, 5)] for r in range(1, model.rowCount())]
    assert rest and all(row == ["cùng mã hồ sơ", ""] for row in rest)
    assert "xem thẻ Đã ghép" in dialog.summary.text()


def test_an_uncertain_match_and_a_repeated_column_are_said_in_the_window(qtbot, dialog, tmp_path,
                                                                          monkeypatch):
    rows = province_rows() + [province_rows()[2]]
    rows[-1][0] = "XTD-250106-9043"
    rows[-1][PROVINCE_HEADER.index("NgayTiepNhan")] = "20250106085500"
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    dialog.resize(1366, 728)
    choose(qtbot, dialog)
    run(qtbot, dialog)
    assert "1 cặp ghép không chắc chắn" in dialog.summary.text()
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    model = dialog.views["pairs"].model()
    hows = [model.index(r, 6).data() for r in range(model.rowCount())]
    assert any("không chắc chắn" in how for how in hows)
    # the gap stays in sight at 1366 pixels: the long explanation comes last (round 18)
    view = dialog.views["pairs"]
    click_tab(qtbot, dialog, dialog.tabs.indexOf(view))
    gap = view.horizontalHeader()
    assert gap.sectionViewportPosition(5) + gap.sectionSize(5) <= view.viewport().width()
    twice = write_csv(tmp_path / "hai_cot.csv", PROVINCE_HEADER + ["MaHoSo"],
                      [r + ["X"] for r in province_rows()])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(twice))
    dialog.tabs.setCurrentIndex(0)
    choose(qtbot, dialog)
    assert "có cột lặp lại: MaHoSo (cột A, L)" in dialog.mapping.note.text()


def test_a_wrong_portal_code_is_answered_with_the_portals_codes_in_the_window(
        qtbot, dialog, tmp_path, monkeypatch, message_boxes):
    # the box said 'không thuộc danh sách: received (Đã tiếp nhận), …' — fails on the old code
    rows = province_rows()
    rows[1][PROVINCE_HEADER.index("TrangThaiHoSo")] = "11"
    rows[2][PROVINCE_HEADER.index("KenhThucHien")] = "2.0"  # a number cell's code: still 2
    source = write_csv(tmp_path / "tinh tháng 1.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)  # the other rows are compared (round 12); the bad one is listed
    assert not message_boxes
    text = str(dialog.result.errors[0])
    assert "Dòng 3, cột TrangThaiHoSo (Trạng thái hồ sơ), giá trị '11': không phải mã của Cổng " \
           "DVC quốc gia; các mã và chữ đúng: 2 (Được tiếp nhận)" in text
    shown = dialog.views["unread"].model().index(0, 3).data()
    assert shown.startswith("không phải mã của Cổng DVC quốc gia") and "received" not in shown
    assert dialog.result.unread_heading().startswith("Dòng không đọc được của tệp tinh tháng 1.csv")


def test_the_figures_say_when_they_were_evaluated(qtbot, dialog, tmp_path, monkeypatch):
    """Round 17: during its period the window showed the figures (an open dossier "overdue"
    now, not at the period's end) without saying they were provisional, as the dashboard, the
    PDF and the workbook do (spec 2.3, 5)."""
    from core import timefmt
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, province_rows())
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)  # January 2025, over
    assert "Số liệu tính đến hết ngày 31/01/2025. Khớp 4 hồ sơ" in dialog.summary.text()
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 1, 31, 10, 15))
    dialog.result = None
    run(qtbot, dialog)  # the same month while it runs
    assert ("Số liệu tạm tính đến 10 giờ 15 phút, ngày 31/01/2025. Khớp"
            in dialog.summary.text())


def test_an_unread_cell_is_shown_as_the_file_writes_it(qtbot, dialog, tmp_path, monkeypatch):
    """Round 17: the tab of unread rows showed '2099-12-04 16:40:03', MotCua's stored form,
    for a cell the provincial file holds as 20991204164003: the clerk could not find it."""
    rows = province_rows()
    rows[0][PROVINCE_HEADER.index("NgayKetThucXuLy")] = "20991204164003"
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    model = dialog.views["unread"].model()
    assert [model.index(0, c).data() for c in range(3)] == [
        "2", "NgayKetThucXuLy (Ngày kết thúc xử lý)", "20991204164003"]


def test_the_digitisation_figure_of_a_file_with_the_flags_is_compared(qtbot, dialog, tmp_path,
                                                                      monkeypatch):
    """A province's file with DaSoHoaThanhPhan / DaSoHoaKetQua: 766's 4.2 shows the province's
    figure (the one the command, PDF and workbook show: core's result), and a dossier whose
    result the province calls digitised is on the "Khác nhau" tab."""
    from core.reconcile import reconcile
    from core.reconcile.side import FOOTNOTE_FLAGGED
    header = PROVINCE_HEADER + ["DaSoHoaThanhPhan", "DaSoHoaKetQua"]
    rows = [r + ["1", "1" if r[header.index("TrangThaiHoSo")] == "9" else ""]
            for r in province_rows()]
    source = write_csv(tmp_path / "tinh.csv", header, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    dialog.tabs.setCurrentIndex(1)
    model = dialog.views["indicators"].model()
    shown = {model.index(r, 0).data()[:3]: [model.index(r, c).data() for c in range(2, 6)]
             for r in range(model.rowCount())}
    expected = next(r for r in reconcile(dialog.db, source, dt.date(2025, 1, 1),
                                         dt.date(2025, 1, 31)).indicators
                    if r.name.startswith("4.2"))
    assert shown["4.2"] == [*expected.texts, expected.change]
    assert "không so sánh được" not in shown["4.2"][1] and expected.cells[1].num == 5
    assert dialog.indicators_note.text().split("\n")[0] == FOOTNOTE_FLAGGED
    differences = dialog.views["differences"].model()
    cells = [[differences.index(r, c).data() for c in range(differences.columnCount())]
             for r in range(differences.rowCount())]
    assert any("Số hoá kết quả" in row and "XTD-250106-0001" in row for row in cells), cells
