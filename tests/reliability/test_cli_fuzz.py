"""Issue 10: hostile command lines get a Vietnamese message and exit 2 (bad input) or 1 (the
environment), never a traceback, and write nothing half-done."""
from __future__ import annotations

import os
import zipfile

import pytest

import main
from tests.reliability.helpers import small_office


@pytest.fixture
def office(db, db_path, tmp_path):
    small_office(db)
    db.close()
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "binary.csv").write_bytes(b"code,name\nA\x00B,x\n" + os.urandom(300))
    (tmp_path / "binary.xlsx").write_bytes(os.urandom(3000))
    with zipfile.ZipFile(tmp_path / "other.xlsx", "w") as other:  # a zip of something else
        other.writestr("readme.txt", "không phải bảng tính")
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "folder.pdf").mkdir()
    return db_path


CASES = [
    (["kpi", "--from", "2026-02-30", "--to", "2026-03-01"], 2, "2026-02-30"),
    (["kpi", "--from", "2026-03-10", "--to", "2026-03-01"], 2, "sau ngày kết thúc"),
    (["kpi", "--from", "2026-01-01", "--to", "9999-12-31"], 2, "31/12/9999"),
    (["kpi", "--from", "2026-01-01", "--to", "2026-01-31", "--unit", "NOPE"], 2, "NOPE"),
    (["demo", "--dossiers", "1000000000"], 2, "5.000.000 (--dossiers), không phải"),
    (["demo", "--dossiers", "abc"], 2, "cần một số nguyên"),
    (["import", "dossiers", "{tmp}/bom.csv"], 2, "trống"),
    (["import", "dossiers", "{tmp}/empty.csv"], 2, "trống"),
    (["import", "units", "{tmp}/binary.csv"], 2, "không phải tệp CSV"),
    (["import", "dossiers", "{tmp}/binary.xlsx"], 2, "không phải .xlsx"),
    (["import", "dossiers", "{tmp}/other.xlsx"], 2, "không phải .xlsx"),
    (["import", "dossiers", "{tmp}/folder.csv"], 2, "thư mục"),
    (["export", "dossiers", "{tmp}/folder.csv"], 2, "thư mục"),  # a folder as --out: bad input
    (["export", "dossiers", "{tmp}/khong-co/x.csv"], 2, "/khong-co không tồn tại"),
    (["report", "book", "--from", "2025-01-01", "--to", "2025-01-31", "--out",
      "{tmp}/folder.pdf"], 2, "thư mục"),
    (["report", "book", "--from", "2025-01-01", "--to", "2025-01-31", "--out",
      "{tmp}/khong-co/x.pdf"], 2, "/khong-co không tồn tại"),
    (["report", "monthly", "--month", "2025-13", "--out", "{tmp}/m.pdf"], 2, "2025-13"),
    # a PDF under a workbook's name (round 19): refused, the Excel command named, nothing written
    (["report", "monthly", "--month", "2025-01", "--out", "{tmp}/bieu06.xlsx"], 2,
     "phải có đuôi .pdf (lệnh này ghi tệp PDF). Biểu 06 dạng Excel: export bieu06"),
    (["report", "book", "--from", "2025-01-01", "--to", "2025-01-31", "--out", "{tmp}/so.xlsx"],
     2, "phải có đuôi .pdf (lệnh này ghi tệp PDF). Danh sách hồ sơ dạng Excel: export register"),
    (["slip", "receipt", "X01-250102-0001", "--out", "{tmp}/phieu.docx"], 2,
     "phải có đuôi .pdf"),
]


@pytest.mark.parametrize("args, code, words", CASES)
def test_a_hostile_command_is_refused_in_vietnamese(office, tmp_path, capsys, args, code, words):
    before = sorted(p.name for p in tmp_path.iterdir())
    argv = ["--db", str(office)] + [a.format(tmp=tmp_path) for a in args]
    if args[0] == "demo":
        argv[1] = str(tmp_path / "demo.db")
    assert main.main(argv) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and words in err and "Lỗi:" in err
    after = sorted(p.name for p in tmp_path.iterdir())
    assert after == before  # nothing written, not even a temporary file
    assert not list((tmp_path / "folder.csv").iterdir())


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes into read-only folders")
@pytest.mark.parametrize("args", [
    ["export", "dossiers", "{ro}/x.csv"],
    ["report", "book", "--from", "2025-01-01", "--to", "2025-01-31", "--out", "{ro}/x.pdf"]])
def test_output_into_a_read_only_folder_is_refused(office, tmp_path, capsys, args):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main.main(["--db", str(office)] + [a.format(ro=ro) for a in args]) == 1
        assert "quyền ghi" in capsys.readouterr().err and not list(ro.iterdir())
    finally:
        ro.chmod(0o755)


def test_a_refused_restore_leaves_nothing_beside_the_chosen_file(office, tmp_path, capsys):
    """The file a clerk picks (on a USB stick, say) gets no -wal/-shm left beside it."""
    import shutil
    import sqlite3

    altered = tmp_path / "usb" / "saoluu.db"
    altered.parent.mkdir()
    shutil.copy(office, altered)
    conn = sqlite3.connect(altered)
    conn.execute("CREATE TRIGGER evil AFTER INSERT ON vote_rows BEGIN DELETE FROM votes; END")
    conn.commit()
    conn.close()
    assert main.main(["--db", str(office), "restore", str(altered)]) == 2
    assert "Trigger lạ: evil" in capsys.readouterr().err
    assert [p.name for p in altered.parent.iterdir()] == ["saoluu.db"]
