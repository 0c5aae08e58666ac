"""The PDF commands from the command line: exit codes, messages, files written whole or not at all."""
from __future__ import annotations

import datetime as dt
import os

import pytest

import main
from core.pdf import document
from tests.core.pdf import sample


@pytest.fixture
def office_path(db, db_path):
    sample.catalogue_only(db)
    sample.add_dossier(db, "X01-261005-0001", "X01", dt.datetime(2026, 10, 5, 8, 0))
    db.close()
    return str(db_path)


def run(*argv) -> int:
    return main.main(list(argv))


def test_slip_receipt_writes_the_file(office_path, tmp_path, capsys):
    out = tmp_path / "phieu.pdf"
    assert run("--db", office_path, "slip", "receipt", "X01-261005-0001", "--out", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "Đã ghi giấy tiếp nhận" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".motcua-")] == []


def test_unknown_code_exits_2_with_a_vietnamese_message(office_path, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert run("--db", office_path, "slip", "receipt", "KHONG-CO", "--out", str(out)) == 2
    assert "Không tìm thấy hồ sơ có mã 'KHONG-CO'" in capsys.readouterr().err
    assert not out.exists()


def test_apology_without_extension_exits_2(office_path, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    # the dossier's state has no such form: bad input (exit 2), not a failure
    assert run("--db", office_path, "slip", "apology", "X01-261005-0001", "--out", str(out)) == 2
    assert "chưa được gia hạn" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("target, code, words", [
    ("missing-folder/x.pdf", 2, "/missing-folder không tồn tại; không ghi được tệp x.pdf"),
    (".", 2, "đây là một thư mục. Hãy ghi cả tên tệp")])  # a folder named: bad input too
def test_unwritable_output_writes_nothing(office_path, tmp_path, capsys, target, code, words):
    """A folder that does not exist, or a folder given as the file, is bad input (spec 6: exit
    2, the folder named)."""
    out = tmp_path / target
    assert run("--db", office_path, "slip", "receipt", "X01-261005-0001", "--out", str(out)) == code
    assert words in capsys.readouterr().err
    assert not (tmp_path / "missing-folder").exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(office_path, tmp_path, monkeypatch,
                                                             capsys):
    out = tmp_path / "so.pdf"
    out.write_bytes(b"old")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(document.os, "replace", full_disk)
    assert run("--db", office_path, "report", "book", "--from", "2026-10-01", "--to",
               "2026-10-31", "--out", str(out), "--overwrite") == 1
    assert "ổ đĩa đã đầy" in capsys.readouterr().err
    assert out.read_bytes() == b"old"
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".motcua-")]


@pytest.mark.parametrize("args, message", [
    (["report", "book", "--from", "2026-10-32", "--to", "2026-10-31"], "ngày 32 không có trong tháng 10/2026"),
    (["report", "book", "--from", "2026-11-01", "--to", "2026-10-31"], "sau ngày kết thúc"),
    (["report", "book", "--from", "2026-10-01", "--to", "2026-10-31", "--unit", "Z9"], "Không có đơn vị mã 'Z9'"),
    (["report", "monthly", "--month", "10/2026"], "Tháng không hợp lệ"),
])
def test_bad_input_exits_2(office_path, tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    assert run("--db", office_path, *args, "--out", str(out)) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_book_accepts_dd_mm_yyyy_and_a_unit(office_path, tmp_path):
    out = tmp_path / "so.pdf"
    assert run("--db", office_path, "report", "book", "--from", "01/10/2026", "--to",
               "31/10/2026", "--unit", "H01", "--out", str(out)) == 0
    assert out.stat().st_size > 1000
