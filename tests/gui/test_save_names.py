"""Every save's file ending, one rule (gui.file_dialogs.save_path): an ending the save writes is
kept, a name without one gets it, and a name ending in another kind ("x.csv" for a workbook,
which became "x.csv.xlsx") is said in Vietnamese: saved under the right ending, or named again."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from core import votes
from gui import file_dialogs, worker
from gui.file_dialogs import filter_suffixes, save_target
from gui.votes import VotesScreen
from tests.gui.clicks import click

XLSX = [".xlsx"]


@pytest.mark.parametrize("chosen, suffixes, expected", [
    ("/d/x.xlsx", XLSX, ("/d/x.xlsx", None)),
    ("/d/X.XLSX", XLSX, ("/d/X.XLSX", None)),
    ("/d/x", XLSX, ("/d/x.xlsx", None)),
    ("/d/Báo cáo T6.2025", XLSX, ("/d/Báo cáo T6.2025.xlsx", None)),  # ".2025" is the name's
    ("/d/x.csv", XLSX, ("/d/x.xlsx", ".csv")),
    ("/d/x.PDF", XLSX, ("/d/x.xlsx", ".PDF")),
    ("/d/x.xlsx", [".pdf"], ("/d/x.pdf", ".xlsx")),
    ("/d/x.csv", [".pdf", ".csv", ".xlsx"], ("/d/x.csv", None)),
    ("/d/x.zip.pdf", [".zip"], ("/d/x.zip.zip", ".pdf")),
    ("/d/x.csv", None, ("/d/x.csv", None)),  # "Mọi tệp (*)": the clerk's name
])
def test_the_rule_of_a_saved_name(chosen, suffixes, expected):
    assert save_target(chosen, suffixes, (suffixes or [""])[0]) == expected


def test_the_endings_a_filter_offers():
    assert filter_suffixes("Tệp PDF (*.pdf)") == [".pdf"]
    assert filter_suffixes("PDF, bảng tính (*.pdf *.csv *.xlsx *.txt)") == [
        ".pdf", ".csv", ".xlsx", ".txt"]
    assert filter_suffixes("Bản sao lưu (*.db *.enc);;Mọi tệp (*)") is None


def dialogs_answer(monkeypatch, *names) -> list:
    """The save dialog answers `names` in turn (then cancels), recording what it was offered."""
    offered, answers = [], list(names)

    def answer(parent, caption, directory="", name_filter=""):
        offered.append(directory)
        return str(answers.pop(0)) if answers else ""
    monkeypatch.setattr(file_dialogs, "save_file_name", answer)
    return offered


def saved(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".xlsx" in p.name or ".csv" in p.name)


@pytest.fixture
def votes_screen(qtbot, db, office):
    votes.record_paper_vote(db, unit_code="X01", rating="satisfied",
                            voted_at=dt.datetime(2025, 6, 10, 10, 0), comment="Nhanh")
    screen = VotesScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.refresh()
    return screen


def test_a_csv_name_for_an_excel_list_is_said_and_saved_as_xlsx(
        qtbot, votes_screen, tmp_path, monkeypatch, message_boxes):
    dialogs_answer(monkeypatch, tmp_path / "x.csv")
    message_boxes.answer = QMessageBox.StandardButton.Yes  # "Lưu thành “x.xlsx”"
    click(qtbot, votes_screen.export_button)
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã xuất Excel", timeout=10000)
    kind, title, text = message_boxes[0]
    assert (kind, title) == ("question", "Xuất Excel")
    assert text == ("Tệp này chỉ lưu được dạng XLSX, không lưu được dạng CSV như tên “x.csv”."
                    "\n\nLưu thành “x.xlsx”?")
    assert saved(tmp_path) == ["x.xlsx"]
    assert openpyxl.load_workbook(tmp_path / "x.xlsx").active["A1"].value


def test_choosing_another_name_opens_the_dialog_again_with_the_name_corrected(
        qtbot, votes_screen, tmp_path, monkeypatch, message_boxes):
    offered = dialogs_answer(monkeypatch, tmp_path / "x.csv", tmp_path / "phieu")
    click(qtbot, votes_screen.export_button)  # "Chọn tên khác" (the boxes answer No)
    worker.wait_all()
    qtbot.waitUntil(lambda: message_boxes[-1][1] == "Đã xuất Excel", timeout=10000)
    assert offered[1] == str(tmp_path / "x.xlsx")
    assert saved(tmp_path) == ["phieu.xlsx"]


def test_a_completed_name_that_exists_is_not_overwritten_unasked(
        qtbot, votes_screen, tmp_path, monkeypatch, message_boxes):
    (tmp_path / "phieu.xlsx").write_bytes(b"keep")
    dialogs_answer(monkeypatch, tmp_path / "phieu")  # the dialog asked about "phieu" only
    click(qtbot, votes_screen.export_button)  # answered "Chọn tên khác", then cancelled
    worker.wait_all()
    assert message_boxes[0][2] == ("Tệp “phieu.xlsx” đã có sẵn: lưu sẽ ghi đè lên nó.\n\n"
                                   "Lưu thành “phieu.xlsx”?")
    assert (tmp_path / "phieu.xlsx").read_bytes() == b"keep"


def test_a_pdf_save_turns_an_xlsx_name_into_pdf(qtbot, tmp_path, monkeypatch, message_boxes):
    dialogs_answer(monkeypatch, tmp_path / "so.xlsx")
    message_boxes.answer = QMessageBox.StandardButton.Yes
    assert file_dialogs.save_path(None, "Lưu tài liệu PDF", "so.pdf", "Tệp PDF (*.pdf)") \
        == str(tmp_path / "so.pdf")
    assert "không lưu được dạng XLSX" in message_boxes[0][2]


def test_every_save_dialog_asks_before_writing_over_a_file(qtbot):
    """The command line refuses a file that is there unless --overwrite (core.paths
    .refuse_existing); the window asks instead: every save goes through save_path's dialog,
    which keeps Qt's "Ghi đè?" question (no DontConfirmOverwrite)."""
    import pathlib

    from PySide6.QtWidgets import QFileDialog

    dialog = file_dialogs.make_dialog(None, "Lưu", "", "", save=True)
    qtbot.addWidget(dialog)
    assert not dialog.testOption(QFileDialog.Option.DontConfirmOverwrite)
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    gui = pathlib.Path(file_dialogs.__file__).parent
    others = [str(path.relative_to(gui)) for path in gui.rglob("*.py")
              if path.name != "file_dialogs.py" and any(
                  word in path.read_text(encoding="utf-8")
                  for word in ("getSaveFileName", "QFileDialog(", "DontConfirmOverwrite"))]
    assert others == []
