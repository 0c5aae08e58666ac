"""Round 29 (issue 16): an import's errors on the command line name the row and the column and
show a personal value (core.privacy.masking.MASK_BY_FIELD) masked by its field's rule: a
command's stderr is kept in logs (scheduled tasks, CI). A date, a code, a channel stays whole,
the clerk finds the cell by it. The window (the signed-in clerk's screen) shows them whole."""
from __future__ import annotations

import main
from core.reconcile.cli import command
from core.transfer import import_file
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (office: the fixture)
    PROVINCE_HEADER,
    _args,
    office,
    province_rows,
)
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

MORE = ["applicant_id_no", "applicant_email", "representative"]
HEADER = DOSSIERS_HEADER + MORE
# column: (the value refused, what the command may show of it, what it must never show)
PERSONAL = {
    "applicant_phone": ("0912345678999", "0912*******99", "0912345678999"),
    "applicant_name": ("Nguyễn\u202eVăn An", "Nguyễn *** An", "Văn"),
    "applicant_address": ("Thôn Bản Chu\u202e, xã Tân Đoàn", "xã Tân Đoàn", "Bản Chu"),
    "applicant_id_no": ("00120301234", "0012*****34", "00120301234"),
    "applicant_email": ("an.nguyen@", "a***@", "an.nguyen"),
    "representative": ("Trần Thị\u202eBích Ngọc", "Trần *** Ngọc", "Bích"),
}


def _row(n: int, **values) -> list:
    more = [values.pop(name, "") for name in MORE]
    return dossier_row(f"XTD-250102-{n:04d}", **values) + more


def _bad_file(tmp_path):
    rows = [_row(n, **{column: value})
            for n, (column, (value, _, _)) in enumerate(PERSONAL.items(), start=1)]
    rows.append(_row(50, channel="fax"))
    rows.append(_row(51, received_at="32/01/2025 08:00"))
    return write_csv(tmp_path / "hoso.csv", HEADER, rows)


def test_the_command_masks_every_personal_value_and_names_its_cell(catalog, db_path, tmp_path,
                                                                   capsys):
    path = _bad_file(tmp_path)
    catalog.close()
    assert main.main(["--db", str(db_path), "import", "dossiers", str(path)]) == 2
    err = capsys.readouterr().err
    for n, (column, (value, shown, hidden)) in enumerate(PERSONAL.items(), start=2):
        line = next(line for line in err.splitlines() if f"Dòng {n}, cột {column}," in line)
        assert shown in line and hidden not in line and value not in line, line
    # what is not personal data stays whole: the clerk finds the cell by it
    assert "Dòng 8, cột channel, giá trị 'fax'" in err
    assert "Dòng 9, cột received_at, giá trị '32/01/2025 08:00'" in err


def test_the_window_still_shows_the_clerk_the_whole_value(catalog, tmp_path):
    """The window lists `str(error)` of the same errors (gui.import_export): whole."""
    result = import_file(catalog, "dossiers", _bad_file(tmp_path))
    shown = "\n".join(str(e) for e in result.errors)
    assert "0912345678999" in shown and "00120301234" in shown and "an.nguyen@" in shown


def test_a_provincial_files_name_is_masked_on_the_command_line(catalog, db_path, tmp_path,
                                                              capsys):
    """`import dossiers --profile national`: the column named as the file names it."""
    from tests.core.transfer.test_profiles import NATIONAL_HEADER, national
    rows = [national(ChuHoSo="Lê Văn\u202e Cường"), national("XTD-250102-0002", KenhThucHien="7")]
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER, rows)
    catalog.close()
    assert main.main(["--db", str(db_path), "import", "dossiers", str(path),
                      "--profile", "national"]) == 2
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "Dòng 2, cột ChuHoSo" in line)
    assert "Lê *** Cường" in line and "Văn" not in line
    assert "Dòng 3, cột KenhThucHien (Kênh thực hiện), giá trị '7'" in err


def test_a_refused_reconciliation_masks_the_names_it_lists(office, db_path,  # noqa: F811
                                                           tmp_path, capsys):
    """A provincial file none of whose rows can be read is refused whole: its errors were
    printed with the names whole (the rows left out of a compared file were masked)."""
    rows = province_rows()
    for row in rows:
        row[PROVINCE_HEADER.index("ChuHoSo")] = "Lê Văn\u202e Cường"
    path = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    office.close()
    assert command(_args(db_path, path)) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "cột ChuHoSo" in line]
    assert len(lines) == len(rows)
    assert all("Lê *** Cường" in line and "Văn" not in line for line in lines)
