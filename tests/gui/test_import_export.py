"""Import and export from the Báo cáo screen: the whole file checked first, rows named on error."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from gui import file_dialogs, widgets, worker
from gui.reports import ReportsScreen
from tests.gui.clicks import click


@pytest.fixture
def screen(qtbot, db, office):
    widget = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(widget)
    return widget


def choose(monkeypatch, kind_label: str, dialog: str, path) -> None:
    monkeypatch.setattr(widgets, "choose", lambda *a, **k: kind_label)
    monkeypatch.setattr(file_dialogs, dialog, lambda *a, **k: str(path))


def answer_scope(monkeypatch, message_boxes, button: str) -> None:
    """The question of an export of dossiers (the period and unit shown, or every dossier)
    answered by the button named; every other box as message_boxes answers it."""
    answered = widgets.run_message

    def pick(kind, box):
        if box.windowTitle() != "Xuất hồ sơ":
            return answered(kind, box)
        message_boxes.append((kind, box.windowTitle(), box.text()))
        return next(b for b in box.buttons() if b.text() == button)
    monkeypatch.setattr(widgets, "run_message", pick)


def units(db):
    return db.execute("SELECT code, name FROM units ORDER BY code").fetchall()


def test_import_with_a_bad_row_lists_it_and_writes_nothing(screen, db, qtbot, tmp_path,
                                                           monkeypatch, message_boxes):
    source = tmp_path / "donvi.csv"
    source.write_text("code,name,level,parent_code\nX03,UBND xã Văn An,commune,H01\n"
                      "X04,UBND xã Tân Đoàn,thôn,H01\n", encoding="utf-8")
    before = units(db)
    choose(monkeypatch, "Đơn vị", "open_file_name", source)
    click(qtbot, screen.buttons["import"])
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", "Không thể nhập đơn vị")
    assert "Dòng 3, cột level, giá trị 'thôn'" in text and "chưa ghi gì" in text
    assert units(db) == before  # the good row 2 was not written either


def test_import_of_a_good_file_adds_rows(screen, db, qtbot, tmp_path, monkeypatch, message_boxes):
    source = tmp_path / "donvi.csv"
    source.write_text("code,name,level,parent_code\nX03,UBND xã Văn An,commune,H01\n",
                      encoding="utf-8")
    choose(monkeypatch, "Đơn vị", "open_file_name", source)
    click(qtbot, screen.buttons["import"])
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert message_boxes[-1] == ("information", "Đã nhập",
                                 "Thêm 1, cập nhật 0, không đổi 0 dòng.")
    assert ("X03", "UBND xã Văn An") in units(db)


def test_export_writes_the_file(screen, db, qtbot, tmp_path, monkeypatch, message_boxes):
    target = tmp_path / "hoso.csv"
    choose(monkeypatch, "Hồ sơ", "save_file_name", target)
    answer_scope(monkeypatch, message_boxes, "Mọi hồ sơ")
    click(qtbot, screen.buttons["export"])
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã xuất", timeout=5000)
    assert message_boxes[0][1] == "Xuất hồ sơ"
    assert message_boxes[1][1] == "Dữ liệu cá nhân"  # answered "Che dữ liệu cá nhân"
    assert message_boxes[-1] == ("information", "Đã xuất", f"Đã ghi 6 dòng vào {target}. "
                                 "Số điện thoại, số định danh, thư điện tử và địa chỉ đã được "
                                 "che.")
    with open(target, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["applicant_name"] for r in rows)[0] == "Hoàng Thu Trang"
    assert {r["unit_code"] for r in rows} == {"X01", "X02"}
    assert "0382****28" in {r["applicant_phone"] for r in rows}


def test_export_of_the_period_and_unit_shown(screen, db, qtbot, tmp_path, monkeypatch,
                                             message_boxes):
    """Issue 16 §1: a commune's month for the provincial system, not the whole history."""
    first, last = db.execute("SELECT date(MIN(received_at)), date(MAX(received_at)) "
                             "FROM dossiers WHERE unit_code = 'X01'").fetchone()
    screen.period.set_period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    widgets.select_value(screen.period.unit_box, "X01")
    target = tmp_path / "hoso.csv"
    choose(monkeypatch, "Hồ sơ", "save_file_name", target)
    answer_scope(monkeypatch, message_boxes, "Chỉ kỳ và đơn vị đang xem")
    click(qtbot, screen.buttons["export"])
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã xuất", timeout=5000)
    name = db.execute("SELECT name FROM units WHERE code = 'X01'").fetchone()[0]
    assert message_boxes[0][2].startswith(
        f"Xuất hồ sơ tiếp nhận từ {dt.date.fromisoformat(first):%d/%m/%Y} đến "
        f"{dt.date.fromisoformat(last):%d/%m/%Y} của {name} (X01) và các đơn vị trực thuộc")
    with open(target, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    held = db.execute("SELECT COUNT(*) FROM dossiers WHERE unit_code = 'X01' OR "
                      "competent_unit_code = 'X01'").fetchone()[0]
    assert len(rows) == held < 6 and {r["unit_code"] for r in rows} == {"X01"}


def test_export_cancelled_at_the_question_writes_nothing(screen, db, qtbot, tmp_path,
                                                         monkeypatch, message_boxes):
    target = tmp_path / "hoso.csv"
    choose(monkeypatch, "Hồ sơ", "save_file_name", target)
    answer_scope(monkeypatch, message_boxes, "Huỷ")
    click(qtbot, screen.buttons["export"])
    worker.wait_all()
    assert [m[1] for m in message_boxes] == ["Xuất hồ sơ"] and not target.exists()


def test_export_in_full_states_a_purpose(screen, db, qtbot, tmp_path, monkeypatch,
                                         message_boxes):
    from PySide6.QtWidgets import QMessageBox
    target = tmp_path / "hoso.csv"
    choose(monkeypatch, "Hồ sơ", "save_file_name", target)
    answer_scope(monkeypatch, message_boxes, "Mọi hồ sơ")
    monkeypatch.setattr(widgets, "ask_text", lambda *a, **k: "Chuyển sang máy mới")
    message_boxes.answer = QMessageBox.StandardButton.Yes  # "Xuất đầy đủ"
    click(qtbot, screen.buttons["export"])
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã xuất", timeout=5000)
    with open(target, encoding="utf-8-sig") as handle:
        assert "0382123428" in {r["applicant_phone"] for r in csv.DictReader(handle)}
    logged = db.execute("SELECT purpose, details FROM access_log WHERE action = "
                        "'export.dossiers'").fetchall()
    assert logged[-1][0] == "Chuyển sang máy mới" and '"full": true' in logged[-1][1]


def test_cancelled_choice_does_nothing(screen, db, qtbot, monkeypatch, message_boxes):
    monkeypatch.setattr(widgets, "choose", lambda *a, **k: None)
    click(qtbot, screen.buttons["import"])
    click(qtbot, screen.buttons["export"])
    assert message_boxes == []


def test_counts_of_thousands_read_the_vietnamese_way(screen, db, qtbot, tmp_path, monkeypatch,
                                                     message_boxes):
    """A district's thousand-odd units in, then out: "Thêm 1.234", "Đã ghi 1.2xx dòng"."""
    source = tmp_path / "donvi.csv"
    lines = [f"Y{n:04d},Tổ dân phố {n},commune,H01" for n in range(1234)]
    source.write_text("code,name,level,parent_code\n" + "\n".join(lines) + "\n", encoding="utf-8")
    choose(monkeypatch, "Đơn vị", "open_file_name", source)
    click(qtbot, screen.buttons["import"])
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    assert message_boxes[-1] == ("information", "Đã nhập",
                                 "Thêm 1.234, cập nhật 0, không đổi 0 dòng.")
    total = db.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    target = tmp_path / "donvi_ra.csv"
    choose(monkeypatch, "Đơn vị", "save_file_name", target)
    click(qtbot, screen.buttons["export"])
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã xuất", timeout=20000)
    assert message_boxes[-1][2] == f"Đã ghi 1.{total - 1000:03d} dòng vào {target}."


def test_a_units_list_with_titles_and_signatures_imports_and_says_what_it_left_out(
        screen, db, qtbot, tmp_path, monkeypatch, message_boxes):
    from tests.core.transfer.test_titles import write_export
    source = write_export(tmp_path / "donvi.xlsx", [
        ["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"], ["Huyện Văn Quan"], [],
        ["STT", "code", "name", "level", "parent_code"],
        ["1", "X03", "UBND xã Văn An", "commune", "H01"],
        ["Tổng cộng: 1 đơn vị"], [], ["", "Người lập biểu", "", "Thủ trưởng đơn vị"]])
    choose(monkeypatch, "Đơn vị", "open_file_name", source)
    click(qtbot, screen.buttons["import"])
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert message_boxes[-1] == (
        "information", "Đã nhập", "Thêm 1, cập nhật 0, không đổi 0 dòng.\n\nBỏ qua 2 dòng cuối "
        "không phải dữ liệu (tổng cộng, chữ ký…): dòng 6, 8.")
    assert ("X03", "UBND xã Văn An") in units(db)


def test_a_name_with_a_number_run_is_imported_with_a_warning(screen, db, qtbot, tmp_path,
                                                             monkeypatch, message_boxes):
    """Round 30: written (a file's name may carry a tax code), the row and column named, the
    number never shown (core.transfer.name_digits)."""
    source = tmp_path / "hoso.csv"
    source.write_text("code,unit_code,procedure_code,applicant_name,channel,received_at,status\n"
                      "X01-250609-0901,X01,1.003003,Hoàng Văn Tuấn 0912345678,direct,"
                      "2025-06-09 08:00,received\n", encoding="utf-8")
    choose(monkeypatch, "Hồ sơ", "open_file_name", source)
    click(qtbot, screen.buttons["import"])
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("information", "Đã nhập")
    assert text.startswith("Thêm 1, cập nhật 0, không đổi 0 dòng.")
    assert ("Dòng 2, cột applicant_name, giá trị 'Hoàng *** Tuấn': tên có 10 chữ số liền nhau"
            in text) and "0912345678" not in text
