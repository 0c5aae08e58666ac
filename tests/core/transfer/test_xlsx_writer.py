"""Our streaming XLSX writer gives files openpyxl (and so Excel's format) reads back exactly."""
from __future__ import annotations

from openpyxl import load_workbook

from core.transfer.xlsx_writer import column_letters, write_xlsx


def test_cells_come_back_as_written(tmp_path):
    rows = [["Nguyễn Văn Ân", 150000, 0.5, None, "  lề  ", "Dòng 1\nDòng 2", "a < b & \"c\""],
            ["bell\x07gone", 0, 3, "", "0382123428", "=1+1", True]]
    path = tmp_path / "t.xlsx"
    write_xlsx(path, ["a", "b", "c", "d", "e", "f", "g"], iter(rows), "hồ sơ")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == "hồ sơ"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["a", "b", "c", "d", "e", "f", "g"]
    assert values[1] == ["Nguyễn Văn Ân", 150000, 0.5, None, "  lề  ", "Dòng 1\nDòng 2", "a < b & \"c\""]
    assert values[2] == ["bellgone", 0, 3, None, "0382123428", "=1+1", 1]
    assert sheet.freeze_panes == "A2"


def test_same_data_gives_the_same_bytes(tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        write_xlsx(tmp_path / name, ["x"], iter([["1"], ["2"]]), "s")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_column_letters_past_z():
    assert column_letters(28)[-3:] == ["Z", "AA", "AB"]
