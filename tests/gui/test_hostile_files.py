"""Hostile files chosen in the window: the clerk reads a Vietnamese message naming the file and
what is wrong; nothing is written; no crash dialog; a citizen's "formula" stays text."""
from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from core import limits
from gui import file_dialogs, widgets, worker
from gui.main_window import MainWindow
from gui.reconciliation.screen import ReconcileDialog
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.clicks import click
from tests.gui.reconciliation.test_screen import choose, office, run  # noqa: F401 - a fixture


def endless_line(path):
    with open(path, "wb") as handle:
        handle.write(b"code,")
        handle.write(b"a" * (limits.CSV_LINE_MAX + 1000))
    return path


def import_from_welcome(qtbot, db, db_path, monkeypatch, message_boxes, source, kind="Hồ sơ"):
    monkeypatch.setattr(widgets, "choose", lambda *a, **k: kind)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    window = MainWindow(db, str(db_path))
    qtbot.addWidget(window)
    window.show_screen("dashboard")
    click(qtbot, window.screens["welcome"].import_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    return message_boxes[-1]


def test_a_csv_of_one_endless_line_is_refused_in_words(qtbot, db, db_path, tmp_path,
                                                       monkeypatch, message_boxes):
    kind, title, text = import_from_welcome(qtbot, db, db_path, monkeypatch, message_boxes,
                                            endless_line(tmp_path / "hong.csv"))
    # not "critical": not a bug of ours; titled with what failed (round 31), not "MotCua"
    assert (kind, title) == ("warning", "Không thể nhập hồ sơ")
    assert "hong.csv, dòng 1" in text and "dài hơn" in text and "Traceback" not in text
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0


def test_a_control_character_in_a_name_is_listed_with_row_and_column(qtbot, db, db_path, tmp_path,
                                                       monkeypatch, message_boxes):
    source = tmp_path / "donvi.csv"
    source.write_text("code,name\nH01,UBND huyện\x1bVăn Quan\n", encoding="utf-8")
    kind, title, text = import_from_welcome(qtbot, db, db_path, monkeypatch, message_boxes,
                                            source, kind="Đơn vị")
    assert (kind, title) == ("warning", "Không thể nhập đơn vị")
    assert "Dòng 2, cột name" in text and "U+001B" in text and "\x1b" not in text
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


@pytest.fixture
def dialog(qtbot, office, db_path):  # noqa: F811 - the office fixture
    widget = ReconcileDialog(office, str(db_path), today=dt.date(2025, 2, 10))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_reconciliation_refuses_an_entity_bomb_and_an_endless_line(qtbot, dialog, tmp_path,
                                                                      monkeypatch, message_boxes):
    bomb = tmp_path / "tinh.xlsx"
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><!DOCTYPE x ['
                         b'<!ENTITY a "aaaaaaaaaa">]><worksheet>&a;</worksheet>')
    for source, words in ((bomb, "DTD"), (endless_line(tmp_path / "tinh.csv"), "dòng 1")):
        monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, s=source, **k: str(s))
        choose(qtbot, dialog)
        kind, title, text = message_boxes[-1]
        assert (kind, title) == ("warning", "Không thể đọc tệp")
        assert source.name in text and words in text
        assert dialog.path.text() == "" and not dialog.run_button.isEnabled()


def test_a_formula_in_the_provinces_file_stays_text_in_the_saved_workbook(
        qtbot, dialog, tmp_path, monkeypatch, message_boxes):
    rows = province_rows()
    rows[-1][PROVINCE_HEADER.index("ChuHoSo")] = '=HYPERLINK("http://x","Bấm vào đây")'
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(tmp_path / "ra.xlsx"))
    click(qtbot, dialog.xlsx_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: (tmp_path / "ra.xlsx").exists(), timeout=10000)
    with zipfile.ZipFile(tmp_path / "ra.xlsx") as book:
        sheets = [book.read(n).decode() for n in book.namelist() if "worksheets/sheet" in n]
    assert any("=HYPERLINK(" in xml for xml in sheets)
    assert not any("<f>" in xml for xml in sheets)


def test_a_package_nested_too_deep_is_refused_in_words(qtbot, db, db_path, tmp_path,
                                                       monkeypatch, message_boxes):
    from core.exchange import export_package
    from tests.gui.clicks import menu_pick
    from tests.reliability.test_hostile_files import remade
    good = tmp_path / "goi.zip"
    export_package(db, good, dt.date(2025, 1, 1), format_version=2)  # a JSON line forged
    bad = remade(good, tmp_path / "sau.zip", {"dossiers.jsonl": b"[" * 100_000 + b"]" * 100_000})
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(bad)])
    window = MainWindow(db, str(db_path))
    qtbot.addWidget(window)
    menu_pick(qtbot, window, window.exchange_import_action)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    kind, title, text = message_boxes[-1]
    assert kind == "warning" and "sau.zip" in text and "không phải JSON hợp lệ" in text


def test_the_reconciliation_refuses_a_row_numbered_two_billion_in_words(
        qtbot, dialog, tmp_path, monkeypatch, message_boxes):
    """openpyxl fills the rows a sheet skips: a 6 KB workbook whose last row is numbered
    2,000,000,000 kept the comparison's worker busy for hours, its Cancel unanswered (blank rows
    report no progress)."""
    from tests.core.transfer.conftest import write_xlsx
    from tests.reliability.test_hostile_files import rewrite_sheet
    source = write_xlsx(tmp_path / "goc.xlsx", PROVINCE_HEADER, province_rows())
    far = rewrite_sheet(source, tmp_path / "tinh.xlsx", lambda d: d.replace(
        b"</sheetData>", b'<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>'
        b"</sheetData>"))
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(far))
    choose(qtbot, dialog)
    assert dialog.run_button.isEnabled()
    click(qtbot, dialog.run_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=30000)
    kind, title, text = message_boxes[-1]
    assert kind == "warning" and "tinh.xlsx" in text and "1.048.576" in text
    assert "Traceback" not in text and dialog.result is None
