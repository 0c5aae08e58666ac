"""Files MotCua writes through a private temporary (mkstemp: 0600) end as ordinary files: a PDF
or workbook in a shared folder is readable by the office like any file the user saves."""
from __future__ import annotations

import os
import sys

import pytest

from core.paths import ordinary_file_mode
from core.pdf.document import write_atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


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
