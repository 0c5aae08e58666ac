"""Round 31's review of the usual row width (core.transfer.shifted): what it reads, what it keeps.

- The usual width was measured over the first 1,000 *voting* rows: a file of rows that never
  vote (blank lines, shifted rows, sparse ones) was read whole before its first data row — a
  file of 300,000 shifted rows refused in 4.9 s instead of 0.01 s, a million blank lines read
  twice. It reads at most 1,000 rows, and at most as many cells as 1,000 rows twice the
  header's width hold (a row of a million cells).
- A totals line filling three cells or more ("Tổng cộng", "4 hồ sơ", "Đúng hạn: 4", …) under
  data rows that all end with a delimiter set the usual width back to the header's: every data
  row was refused as shifted. A line worded like a trailer does not vote.
- The reconciliation kept every shifted row's cells (and its sentence) until the file's end: a
  file of 20,000 rows, half of them shifted and 2,000 cells wide, took 231 MB for 22 MB of file.
"""
from __future__ import annotations

import gc
import weakref

import pytest

from core.errors import InputError
from core.transfer import import_file
from core.transfer.files import open_table
from core.transfer.importing import _records
from core.transfer.shifted import SAMPLE, usual_width
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row

WIDTH = len(DOSSIERS_HEADER)


def _write(path, lines):
    path.write_text("".join(",".join(cells) + "\n" for cells in lines), encoding="utf-8")
    return path


def _counted(table):
    """`table` whose records() counts the rows it hands out."""
    read = [0]
    records = table.records

    def counting():
        for record in records():
            read[0] += 1
            yield record
    table.records = counting
    return table, read


@pytest.mark.parametrize("line", [[""] * 40, dossier_row() + ["x"], ["a", "b"]],
                         ids=["blank", "shifted", "sparse"])
def test_the_usual_width_reads_at_most_the_first_rows(tmp_path, line):
    path = _write(tmp_path / "d.csv", [DOSSIERS_HEADER] + [line] * (3 * SAMPLE))
    table, read = _counted(open_table(path))
    assert usual_width(table) == WIDTH
    assert read[0] <= SAMPLE + 2


def test_rows_a_million_cells_wide_are_not_read_for_it(tmp_path):
    """Cells, not rows, bound it: 1,000 rows of 20,000 cells would be 20 million cells."""
    wide = dossier_row() + [""] * 20_000 + ["x"]
    path = _write(tmp_path / "d.csv", [DOSSIERS_HEADER] + [wide] * 20)
    table, read = _counted(open_table(path))
    assert usual_width(table) == WIDTH
    assert read[0] <= 3


def test_a_totals_line_of_several_cells_does_not_move_the_data_rows_width(catalog, tmp_path):
    """A writer ending each data line with a delimiter, its totals line written apart."""
    rows = [dossier_row(f"XTD-250102-000{n}", e_result="") + [""] for n in range(1, 5)]
    totals = ["Tổng cộng", "4 hồ sơ", "", "Đúng hạn: 4", "Trễ hạn: 0"]
    path = _write(tmp_path / "d.csv", [DOSSIERS_HEADER] + rows + [totals])
    assert usual_width(open_table(path)) == WIDTH + 1
    result = import_file(catalog, "dossiers", path)
    assert result.added == 4 and result.trailer == [6]


def test_a_data_row_as_narrow_as_the_header_still_sets_it(catalog, tmp_path):
    """Worded like a trailer only when its first cell says so: a data row's code does not."""
    rows = [dossier_row(f"XTD-250102-000{n}", e_result="") + [""] for n in range(1, 4)]
    rows.append(dossier_row("XTD-250102-0009", e_result=""))
    path = _write(tmp_path / "d.csv", [DOSSIERS_HEADER] + rows)
    assert usual_width(open_table(path)) == WIDTH
    with pytest.raises(InputError, match="^Tệp d.csv: dòng 2 có"):
        import_file(catalog, "dossiers", path)


class _Cells(list):
    """A row's cells that can be watched (a list cannot be weakly referenced)."""


def test_a_shifted_row_is_let_go_once_read(tmp_path):
    """The reconciliation's way (a dict of reasons): neither the cells nor the sentence of a
    row already handed out stay behind."""
    good, shifted = dossier_row(), dossier_row() + [""] * 50 + ["x"]
    path = _write(tmp_path / "d.csv", [DOSSIERS_HEADER] + [good, shifted] * 30)
    table = open_table(path)
    records, alive = table.records, []

    def watched():
        for number, cells in records():
            cells = _Cells(cells)
            alive.append(weakref.ref(cells))
            yield number, cells
    table.records = watched

    class Reading:  # what _records needs of a kind that lists bad rows
        skips_bad_rows = True
        all_columns = ()
    for read, record in enumerate(_records(Reading(), table), start=1):
        assert record.shifted == (record.row % 2 == 1)
        if read == 40:
            gc.collect()
            assert sum(1 for ref in alive if ref() is not None) <= 2
            assert len(table.shifted) <= 1


def test_beside_wider_data_rows_a_filled_cell_past_the_header_is_named(catalog, tmp_path):
    """Every data row ends with a delimiter; a shifted one whose last column is filled has
    that value in their empty extra cell. Before: 'dòng 4 có 18 ô, tiêu đề (dòng 1) có 17 cột,
    các dòng dữ liệu có 18 ô' — as many as theirs, nothing said what was wrong."""
    rows = [dossier_row(f"XTD-250102-000{n}") + [""] for n in range(1, 4)]
    rows.insert(2, dossier_row("XTD-250102-0009", applicant_address="Thôn 3, xã Na") + [""])
    path = _write(tmp_path / "d.csv", [DOSSIERS_HEADER] + rows)
    with pytest.raises(InputError) as refused:
        import_file(catalog, "dossiers", path)
    assert refused.value.message.startswith(
        f"Tệp d.csv: dòng 4 có {WIDTH + 2} ô (ô cột R có giá trị, ở các dòng khác để trống), "
        f"tiêu đề (dòng 1) có {WIDTH} cột, các dòng dữ liệu có {WIDTH + 1} ô — có thể dấu phân "
        "cách (dấu phẩy) nằm trong một ô không có ngoặc kép, làm lệch mọi cột sau nó.")


def test_a_calendar_whose_rows_end_with_a_delimiter_passes(db, tmp_path):
    """Date and kind are all a workday swap fills: such rows did not vote (three filled cells
    were wanted), the one holiday alone could not, and every row was refused as shifted."""
    path = tmp_path / "lich.csv"
    path.write_text("date,kind,name\n2026-05-02,workday,,\n2026-05-09,workday,,\n"
                    "2026-09-02,holiday,Quốc khánh,\n", encoding="utf-8")
    assert usual_width(open_table(path)) == 3  # no reader: three filled cells, none votes
    assert import_file(db, "calendar", path).added == 3


def _excel_report(tmp_path, signature_column):
    """Excel's CSV of a report whose signature is right of the table: Excel writes runs of 16
    rows, each as wide as its widest filled row — rows 17–32 end with the signature's empty
    cells, the header's run does not."""
    lines = [DOSSIERS_HEADER] + [dossier_row(f"XTD-250102-{n:04d}") for n in range(1, 20)]
    lines += [["Tổng cộng: 19 hồ sơ"], [""], [""] * signature_column + ["Người lập biểu"]]
    lines = [cells + [""] * (signature_column + 1 - len(cells)) if number >= 17 else cells
             for number, cells in enumerate(lines, start=1)]
    return _write(tmp_path / "bao-cao.csv", lines)


def test_excels_run_padded_to_a_signature_right_of_the_table_passes(catalog, tmp_path):
    """Before: 'dòng 17 có 19 ô (ô thừa ở cuối để trống) …' — an honest report refused."""
    path = _excel_report(tmp_path, WIDTH + 1)
    result = import_file(catalog, "dossiers", path)
    assert result.added == 19 and result.trailer == [21, 23]


def test_a_shifted_row_far_from_the_signature_is_still_refused(catalog, tmp_path):
    path = _excel_report(tmp_path, WIDTH + 1)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = ",".join(dossier_row("XTD-250102-0005", e_result="",
                                    applicant_address="Thôn 3, xã Na"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="^Tệp bao-cao.csv: dòng 6 có 18 ô"):
        import_file(catalog, "dossiers", path)


def test_rows_after_a_waiting_row_are_not_held_when_a_million_cells_wide(tmp_path):
    """A row wider than usual waits for a signature within 16 rows; hostile rows after it
    (a million cells each) are not kept for it: it is judged shifted at once."""
    waiting = dossier_row("XTD-250102-0002", e_result="") + [""]
    huge = dossier_row() + [""] * 100_000 + ["x"]
    path = _write(tmp_path / "d.csv", [DOSSIERS_HEADER, dossier_row(), waiting] + [huge] * 10)
    table, read = _counted(open_table(path))
    table.usual_width()
    read[0], table.shifted = 0, {}
    rows = table.rows()
    assert [next(rows)[0], next(rows)[0]] == [2, 3]
    assert read[0] <= 4 and 3 in table.shifted  # out by the first huge row, not the file's end
