"""A file of citizens' data and its access_log rows are written whole or not at all
(core.privacy.documents.write_logged): the data-subject export and the breach kit. Before,
the file was written first and its rows after, each in its own transaction: a failure (or a
Ctrl+C) between them left a file of personal data on the disk that the log did not name."""
from __future__ import annotations

import sys

import pytest

from core.privacy import access, breach, subject
from tests.core.privacy.conftest import ID_NO
from tests.core.test_stopping import _interrupted, _no_traceback


def _rows(db, action: str) -> int:
    return db.execute("SELECT COUNT(*) FROM access_log WHERE action = ?", [action]).fetchone()[0]


def test_an_export_whose_log_cannot_be_written_leaves_no_file(office, db, tmp_path,
                                                              monkeypatch):
    found = subject.find(db, id_no=ID_NO)
    real = access.record
    calls = []

    def failing(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:  # the second dossier's row
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(access, "record", failing)
    out = tmp_path / "an.csv"
    with pytest.raises(OSError):
        subject.export(db, found, out, None)
    assert not out.exists()
    assert _rows(db, "subject.export") == 0  # the first row went back with the rest


def test_an_export_cancelled_before_its_commit_leaves_neither_file_nor_row(office, db,
                                                                           tmp_path):
    found = subject.find(db, id_no=ID_NO)
    out = tmp_path / "an.pdf"
    with pytest.raises(InterruptedError):
        subject.export(db, found, out, None, progress=lambda _d, _t: False)
    assert not out.exists() and _rows(db, "subject.export") == 0
    assert subject.export(db, found, out, None).exists()
    assert _rows(db, "subject.export") == 2


def test_a_breach_kit_whose_file_fails_leaves_no_row(office, db, tmp_path, monkeypatch):
    import datetime as dt

    found = breach.census(db, dt.date(2025, 1, 1), dt.date(2025, 12, 31), ["U2"])
    monkeypatch.setattr("core.privacy.documents._write_text",
                        lambda *a: (_ for _ in ()).throw(OSError("no space")))
    with pytest.raises(OSError):
        breach.write_kit(db, found, tmp_path / "kit.txt", dt.datetime(2025, 12, 31, 9), None)
    assert _rows(db, "breach.list") == 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group")
def test_ctrl_c_once_the_file_is_written_removes_it_with_its_rows(office, db, db_path,
                                                                  tmp_path):
    """Ctrl+C held after the file is written, before the COMMIT of its rows: exit 1, in words,
    no file, no row (before: main.py's "Đã dừng" over a file the log did not name)."""
    db.close()
    out = tmp_path / "an.csv"
    code, stdout, err, _ = _interrupted(
        tmp_path, "core.privacy.documents:write:after", "--db", str(db_path), "privacy",
        "export", "--id-no", ID_NO, "--out", str(out))
    assert code == 1, (stdout, err)
    assert err.startswith(f"Đã dừng theo yêu cầu. Chưa ghi gì: tệp {out} chưa được ghi"), err
    _no_traceback(err)
    assert not out.exists()
    from core.database import open_database
    again = open_database(db_path, create=False)
    try:
        assert _rows(again, "subject.export") == 0
    finally:
        again.close()


def test_a_file_of_the_same_name_stays_when_the_new_one_is_not_written(office, db, tmp_path,
                                                                       monkeypatch):
    out = tmp_path / "an.txt"
    out.write_text("bản trước", encoding="utf-8")
    monkeypatch.setattr("core.privacy.documents._write_text",
                        lambda *a: (_ for _ in ()).throw(OSError("no space")))
    with pytest.raises(OSError):
        subject.export(db, subject.find(db, id_no=ID_NO), out, None)
    assert out.read_text(encoding="utf-8") == "bản trước"


def test_an_export_stopped_before_its_commit_keeps_the_file_of_the_same_name(office, db,
                                                                            tmp_path):
    """Stopped before the COMMIT («Chưa ghi gì»): the file already at that name (an earlier
    export handed to the citizen) is as it was. Before, the new file had already been swapped
    over it, then removed: the clerk lost the earlier one."""
    found = subject.find(db, id_no=ID_NO)
    for name in ("an.txt", "an.pdf", "an.csv"):
        out = tmp_path / name
        out.write_bytes(b"ban truoc")
        with pytest.raises((InterruptedError, Exception)):
            subject.export(db, found, out, None, progress=lambda _d, _t: False)
        assert out.read_bytes() == b"ban truoc", name
        assert _rows(db, "subject.export") == 0
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_export_to_a_folder_is_refused_in_words(office, db, tmp_path):
    from core.errors import InputError  # bad input, exit 2, as every --out naming a folder
    with pytest.raises(InputError, match="thư mục"):
        subject.export(db, subject.find(db, id_no=ID_NO), tmp_path, None)
    assert _rows(db, "subject.export") == 0
