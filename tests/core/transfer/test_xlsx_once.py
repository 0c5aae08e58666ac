"""An .xlsx is parsed by openpyxl once per import, however the rows are read (core.transfer
.xlsx_reader.XlsxRows): the header search, the check and the writing of a file too big to keep took
three parses of the sheet (26 s each for a 200,000-dossier export), and the command line
checked the zip twice. The rows the writing reads are the ones checked."""
from __future__ import annotations

import errno
import pickle

import pytest

import main
from core.transfer import files, import_file, importing, xlsx_reader
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.transfer.conftest import DOSSIERS_HEADER, count, dossier_row, write_xlsx
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national


@pytest.fixture
def reads(monkeypatch):
    """How often the .xlsx is read: zip scans, workbooks opened, sheet parses by openpyxl."""
    seen = {"zip scans": 0, "workbooks": 0, "sheet parses": 0}

    def counted(key, function):
        def wrapper(*args, **kwargs):
            seen[key] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(files, "check_xlsx", counted("zip scans", files.check_xlsx))
    monkeypatch.setattr(xlsx_reader, "_load_book", counted("workbooks", xlsx_reader._load_book))
    monkeypatch.setattr(xlsx_reader, "_ITERPARSE", counted("sheet parses", xlsx_reader._ITERPARSE))
    monkeypatch.setattr(importing, "KEEP_ROWS", 5)  # 12 rows: the file is read twice
    return seen


def dossiers(tmp_path, rows: int = 12, name: str = "hoso.xlsx"):
    return write_xlsx(tmp_path / name, DOSSIERS_HEADER,
                      [dossier_row(f"XTD-250102-{n:04d}", applicant_name=f"Nguyễn Văn {n}")
                       for n in range(1, rows + 1)])


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_import_too_big_to_keep_parses_the_sheet_once(catalog, tmp_path, reads, dry_run):
    result = import_file(catalog, "dossiers", dossiers(tmp_path), dry_run=dry_run)
    assert result.ok and result.rows == 12 and result.added == 12
    assert reads == {"zip scans": 1, "workbooks": 1, "sheet parses": 1}
    assert count(catalog, "dossiers") == (0 if dry_run else 12)
    if not dry_run:  # the rows written are the file's, every one
        names = [r[0] for r in catalog.execute("SELECT applicant_name FROM dossiers ORDER BY code")]
        assert names == [f"Nguyễn Văn {n}" for n in range(1, 13)]


def test_the_command_line_checks_and_parses_the_file_once(catalog, tmp_path, reads, capsys):
    path = dossiers(tmp_path)
    assert main.main(["--db", str(catalog.path), "import", "dossiers", str(path)]) == 0
    assert "thêm mới 12" in capsys.readouterr().out
    assert reads == {"zip scans": 1, "workbooks": 1, "sheet parses": 1}


def test_a_provincial_file_through_a_profile_is_parsed_once(catalog, tmp_path, reads):
    path = write_xlsx(tmp_path / "tinh.xlsx", NATIONAL_HEADER,
                      [national(f"XTD-250102-{n:04d}") for n in range(1, 13)])
    result = import_mapped(catalog, path, NATIONAL_PROFILE, dry_run=True)
    assert result.ok and result.rows == 12
    assert reads == {"zip scans": 1, "workbooks": 1, "sheet parses": 1}


def test_formulas_are_read_beside_their_values_in_one_pass(catalog, tmp_path, reads):
    """openpyxl gives a sheet's values or its formulas, not both: such a sheet is read as two
    books in step, once (it was six parses)."""
    from openpyxl import load_workbook
    path = dossiers(tmp_path)
    book = load_workbook(path)
    book.active["Q2"] = "=1"  # e_result of the first dossier: a formula with no value kept
    book.save(path)
    reads.update(dict.fromkeys(reads, 0))  # the sheet this test read to write the formula
    result = import_file(catalog, "dossiers", path, dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "e_result")]
    assert reads == {"zip scans": 1, "workbooks": 2, "sheet parses": 2}
    assert pickle.loads(pickle.dumps(xlsx_reader.UNCACHED)) is xlsx_reader.UNCACHED  # kept rows say it too


def test_a_spool_that_cannot_be_written_reads_the_file_again(catalog, tmp_path, reads,
                                                             monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx_reader.tempfile, "TemporaryFile", full)
    result = import_file(catalog, "dossiers", dossiers(tmp_path))
    assert result.ok and result.added == 12 and count(catalog, "dossiers") == 12
    assert reads["sheet parses"] == 2  # the check, then the writing: as before


def test_rows_kept_are_given_again_from_where_a_reader_stopped(tmp_path):
    table = files.open_table(dossiers(tmp_path, rows=3000))
    first = table.records()
    head = [next(first) for _ in range(10)]
    first.close()
    whole = list(table.records())  # the kept rows, then the stream where it was left
    assert whole[:10] == head and [n for n, _ in whole] == list(range(1, 3002))
    assert list(table.records()) == whole  # all kept now
    table.close()
    assert list(table.records()) == whole  # closed: read afresh
    table.close()
