"""Round 30 (issue 16 §1): free text outside the personal fields — a complaint's content, a
vote's comment — is masked in an import's errors on the command line like a personal value
(core.privacy.masking.FREE_TEXT_FIELDS): citizens type phones and ID numbers there, and a
command's stderr is kept in logs. It printed the first 80 characters. The window (the
signed-in clerk's screen) still shows them."""
from __future__ import annotations

import main
from core import paths
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

PHONE, ID_NO = "0912345678", "001203012345"
SAID = f"Gọi lại cho tôi số {PHONE}, CCCD {ID_NO}, ông Nguyễn Văn Bình"
COMPLAINTS_HEADER = ["dossier_code", "received_at", "channel", "content"]
VOTES_HEADER = ["unit_code", "voted_at", "rating", "dossier_code", "comment"]


def _files(tmp_path):
    complaints = write_csv(tmp_path / "pa.csv", COMPLAINTS_HEADER, [
        ["XTD-250102-0001", "2025-01-06 09:00", "phone", SAID + " " + "x" * 2000],  # too long
        ["XTD-250102-0001", "2025-01-06 10:00", "phone", SAID + "\x01"],  # a control character
        ["XTD-250102-0001", "2025-01-06 11:00", "fax", SAID]])  # a bad channel: content fine
    votes = write_csv(tmp_path / "dg.csv", VOTES_HEADER, [
        ["XTD", "2025-01-06 09:00", "satisfied", "XTD-250102-0001", SAID + " " + "x" * 500],
        ["XTD", "2025-01-06 10:00", "satisfied", "XTD-250102-0001", SAID + "\x01"]])
    return complaints, votes


def _dossier(db, tmp_path) -> None:
    rows = [dossier_row()]
    assert import_file(db, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows)).ok


def test_the_command_shows_no_phone_nor_id_number_typed_in_free_text(catalog, db_path, tmp_path,
                                                                     capsys):
    _dossier(catalog, tmp_path)
    complaints, votes = _files(tmp_path)
    catalog.close()
    for kind, path, column in (("complaints", complaints, "content"), ("votes", votes, "comment")):
        for dry in ([], ["--dry-run"]):
            assert main.main(["--db", str(db_path), "import", kind, str(path), *dry]) == 2
            out, err = capsys.readouterr()
            assert f"Dòng 2, cột {column}" in err and f"Dòng 3, cột {column}" in err
            assert "***" in err and "ký tự" in err  # its length, for the clerk
            for secret in (PHONE, ID_NO, "Nguyễn", "Gọi lại"):
                assert secret not in out and secret not in err, (kind, err)
    logs = paths.log_dir()
    for log in (logs.rglob("*") if logs.exists() else []):
        if log.is_file():
            text = log.read_text(errors="replace")
            assert PHONE not in text and ID_NO not in text


def test_the_window_still_shows_the_clerk_the_text(catalog, tmp_path):
    """The window lists `str(error)` (gui.import_export): the text as before, cut to 80."""
    _dossier(catalog, tmp_path)
    complaints, votes = _files(tmp_path)
    for kind, path in (("complaints", complaints), ("votes", votes)):
        shown = "\n".join(str(e) for e in import_file(catalog, kind, path).errors)
        assert PHONE in shown and ID_NO in shown
