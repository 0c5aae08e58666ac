"""Files MotCua writes through a private temporary (mkstemp: 0600) end as ordinary files: a PDF
or workbook in a shared folder is readable by the office like any file the user saves."""
from __future__ import annotations

import os
import sys

import pytest

from core.paths import ordinary_file_mode
from core.pdf.document import write_atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits, pipes")


def test_a_pdf_is_an_ordinary_file_not_a_private_one(tmp_path):
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "bao-cao.pdf", b"%PDF-1.4\n")
    finally:
        os.umask(mask)
    assert (tmp_path / "bao-cao.pdf").stat().st_mode & 0o777 == 0o644


def test_a_replaced_file_keeps_its_own_mode(tmp_path):
    target = tmp_path / "so.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    assert ordinary_file_mode(target) == 0o640
    write_atomic(target, b"%PDF-1.4\n")
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("command", [
    ["report", "monthly", "--month", "2025-06", "--out", "{out}.pdf"],
    ["export", "dossiers", "{out}.csv"],
    ["export", "bieu06", "--from", "2025-06-01", "--to", "2025-06-30", "{out}.xlsx"],
    ["exchange", "export", "--since", "2025-06-01", "--out", "{out}.zip"],
])
def test_no_output_replaces_or_removes_a_device_or_a_pipe(tmp_path, command, capsys):
    """Every output was written beside its name and swapped in: a report "saved" to /dev/full
    replaced the device with the PDF (and said it was saved); a package that failed to write
    there would have removed the device node. Now none is touched, and the message says why."""
    import stat

    import main
    from core.database import open_database
    from tests.gui.conftest import add_catalogue

    db = open_database(tmp_path / "a.db")
    add_catalogue(db)
    db.close()
    out = tmp_path / "ong-dan"
    argv = [part.format(out=out) for part in command]
    target = tmp_path / argv[-1].split("/")[-1]
    os.mkfifo(target)  # what a device is to os.replace: not an ordinary file
    code = main.main(["--db", str(tmp_path / "a.db"), *argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert stat.S_ISFIFO(os.stat(target).st_mode)
    assert "không phải một tệp thông thường" in err


@pytest.mark.parametrize("command", [
    ["import", "dossiers", "{inp}"],
    ["reconcile", "{inp}", "--from", "2025-06-01", "--to", "2025-06-30"],
])
def test_an_import_from_a_pipe_is_refused_not_waited_for(tmp_path, command, capsys):
    """Reading a pipe waits for a writer that never comes: the import hung (the window's
    worker too, its Huỷ unable to stop a read that has not started)."""
    import main
    from core.database import open_database
    from tests.gui.conftest import add_catalogue

    db = open_database(tmp_path / "a.db")
    add_catalogue(db)
    db.close()
    source = tmp_path / "tinh.csv"
    os.mkfifo(source)
    argv = [part.format(inp=source) for part in command]
    code = main.main(["--db", str(tmp_path / "a.db"), *argv])
    err = capsys.readouterr().err
    assert code == 2 and "không phải một tệp thông thường" in err, err
