"""Round 31: a CSV row shifted by an unquoted delimiter whose LAST column is empty.

The shift pushes that empty cell past the header, so nothing filled lies beyond it: round 30's
rule (a filled cell past the header) let the row through, every column after the delimiter
read into its right neighbour's field — in silence, or refused with a confusing message about
a date ("không phải ngày giờ") that never said the row was shifted. The rule now measures the
file's usual row width (core.transfer.shifted): the header's, as Excel and the vendors write
every row; a row wider than that is shifted even when its extra cells are empty. Honest files
still pass: every row with trailing empties (the header's too, or every data row alike), a
signature block at the right, ragged short rows of a hand-made file.
"""
from __future__ import annotations

import pytest

from core.errors import InputError
from core.timefmt import vn_number
from core.transfer import import_file
from core.transfer.files import open_table
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE, Profile
from core.transfer.shifted import usual_width
from tests.core.transfer.conftest import DOSSIERS_HEADER, count, dossier_row
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national

WIDTH = len(DOSSIERS_HEADER)  # its last column, e_result, may be empty


def write_lines(path, lines, delimiter=","):
    path.write_text("\n".join(delimiter.join(cells) for cells in lines) + "\n", encoding="utf-8")
    return path


def _open_last(code="XTD-250102-0002", **values):
    """A dossier row whose last column (e_result) is empty."""
    return dossier_row(code, e_result="", **values)


def _shifted_file(path, delimiter=","):
    """Row 3's address holds an unquoted delimiter and its last column is empty: every column
    after the address moved one to the right, the empty e_result past the header."""
    return write_lines(path, [DOSSIERS_HEADER, dossier_row(),
                              _open_last(applicant_address=f"Thôn 3{delimiter} xã Na"),
                              dossier_row("XTD-250102-0003")], delimiter)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_shifted_row_with_an_empty_last_column_is_refused_naming_row_and_column(
        catalog, tmp_path, delimiter):
    """Before: 'dòng 3, cột channel: không thuộc danh sách' (the address's second half read as
    the channel), never that the row was shifted."""
    path = _shifted_file(tmp_path / "d.csv", delimiter)
    with pytest.raises(InputError) as refused:
        import_file(catalog, "dossiers", path)
    message = refused.value.message
    word = "dấu phẩy" if delimiter == "," else "dấu chấm phẩy"
    assert message.startswith(
        f"Tệp d.csv: dòng 3 có {WIDTH + 1} ô (ô thừa ở cuối để trống), tiêu đề (dòng 1) có "
        f"{WIDTH} cột — có thể dấu phân cách ({word}) nằm trong một ô không có ngoặc kép, làm "
        "lệch mọi cột sau nó: ô cột M (supplement_requested_at) có lẽ là giá trị của cột L "
        "(returned_at).")
    assert message.endswith("hãy xoá nó. Chưa ghi gì.")
    assert count(catalog, "dossiers") == 0


def test_the_national_profile_refuses_it_too(catalog, tmp_path):
    """The portal's file, NgayTra last (empty while a dossier is open), a name with a comma."""
    header = [c for c in NATIONAL_HEADER if c != "NgayTra"] + ["NgayTra"]

    def row(code, **values):
        cells = dict(zip(NATIONAL_HEADER, national(code, **values), strict=True))
        return [cells[c] for c in header]
    path = write_lines(tmp_path / "tinh.csv", [
        header, row("XTD-250102-0001"),
        row("XTD-250102-0002", ChuHoSo="Nguyễn Văn An, con", NgayTra="", TrangThaiHoSo="4",
            NgayKetThucXuLy="")])
    with pytest.raises(InputError, match=r"^Tệp tinh.csv: dòng 3 có 11 ô \(ô thừa ở cuối để "
                       r"trống\), tiêu đề \(dòng 1\) có 10 cột .* ô cột J \(NgayTra\) có lẽ "
                       r"là giá trị của cột I \(TrangThaiHoSo\)\."):
        import_mapped(catalog, path, NATIONAL_PROFILE)
    assert count(catalog, "dossiers") == 0


def test_a_custom_profile_refuses_it_too(catalog, tmp_path):
    columns = {"code": "Mã hồ sơ", "procedure_code": "Mã thủ tục", "channel": "Kênh",
               "applicant_name": "Chủ hồ sơ", "received_at": "Ngày tiếp nhận",
               "status": "Trạng thái", "finished_at": "Ngày kết thúc"}
    header = list(columns.values())
    good = ["XTD-250102-0001", "1.001612", "2", "Nguyễn Văn An", "02/01/2025 08:00", "4", ""]
    bad = ["XTD-250102-0002", "1.001612", "2", "Lê Văn B, con", "02/01/2025 09:00", "4", ""]
    path = write_lines(tmp_path / "igate.csv", [header, good, bad])
    with pytest.raises(InputError, match="dòng 3 có 8 ô"):
        import_mapped(catalog, path, Profile("(chưa lưu)", columns))
    assert count(catalog, "dossiers") == 0


def test_another_kind_refuses_it_too(db, tmp_path):
    """Units: parent_code last, empty for the province."""
    path = write_lines(tmp_path / "u.csv", [["code", "name", "level", "parent_code"],
                                            ["LS", "UBND tỉnh Lạng Sơn", "province", ""],
                                            ["XTD", "UBND xã Tân Đoàn, Văn Quan", "commune", ""]])
    with pytest.raises(InputError, match="dòng 3 có 5 ô"):
        import_file(db, "units", path)
    assert count(db, "units") == 0


# ----- honest files pass ------------------------------------------------------------------
def test_excels_trailing_empties_on_every_row_the_headers_too_pass(catalog, tmp_path):
    """Excel writes every row of the first ones as wide as the used range (';;'), the header's
    too, and later rows never wider (often shorter)."""
    pad = ["", ""]
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER + pad, dossier_row() + pad,
                                            _open_last() + pad,
                                            dossier_row("XTD-250102-0003")])  # past Excel's 16th
    assert import_file(catalog, "dossiers", path).added == 3


def test_every_data_row_wider_than_the_header_alike_passes(catalog, tmp_path):
    """A writer ending every data line with a delimiter, not the header's: the usual width is
    the data rows' — and a row wider still is shifted."""
    lines = [DOSSIERS_HEADER] + [dossier_row(f"XTD-250102-000{n}", e_result="") + [""]
                                 for n in range(1, 4)]
    path = write_lines(tmp_path / "d.csv", lines)
    assert usual_width(open_table(path)) == WIDTH + 1
    assert import_file(catalog, "dossiers", path).added == 3
    lines.append(_open_last("XTD-250102-0009", applicant_address="Thôn 3, xã Na") + [""])
    write_lines(path, lines)
    with pytest.raises(InputError, match=f"dòng 5 có {WIDTH + 2} ô .* tiêu đề \\(dòng 1\\) có "
                       f"{WIDTH} cột, các dòng dữ liệu có {WIDTH + 1} ô"):
        import_file(catalog, "dossiers", path)


def test_the_data_rows_width_is_their_narrowest_whatever_comes_first_or_last(catalog, tmp_path):
    """Every data row one empty cell wider than the header, the first of them shifted (one
    wider still), a totals line at the end (one cell: not the shape of the data, no vote)."""
    lines = [DOSSIERS_HEADER,
             _open_last("XTD-250102-0009", applicant_address="Thôn 3, xã Na") + [""]]
    lines += [dossier_row(f"XTD-250102-000{n}", e_result="") + [""] for n in range(1, 4)]
    path = write_lines(tmp_path / "d.csv", lines + [["Tổng cộng: 4 hồ sơ"]])
    assert usual_width(open_table(path)) == WIDTH + 1
    with pytest.raises(InputError, match=f"^Tệp d.csv: dòng 2 có {WIDTH + 2} ô"):
        import_file(catalog, "dossiers", path)
    write_lines(path, [lines[0]] + lines[2:] + [["Tổng cộng: 3 hồ sơ"]])
    result = import_file(catalog, "dossiers", path)
    assert result.added == 3 and result.trailer == [5]


def test_ragged_short_rows_of_a_hand_made_file_pass(catalog, tmp_path):
    """Rows typed without their empty last cells: a missing cell reads as empty."""
    rows = [dossier_row(), _open_last()[:-1], _open_last("XTD-250102-0003")[:-4]]
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER] + rows)
    assert import_file(catalog, "dossiers", path).added == 3


def test_a_signature_block_wider_than_the_header_passes(catalog, tmp_path):
    """The trailer is not data: its empty cells past the header, its signature at the right."""
    path = write_lines(tmp_path / "d.csv", [
        DOSSIERS_HEADER, dossier_row(), _open_last(),
        ["Tổng cộng: 2 hồ sơ"] + [""] * (WIDTH + 2),
        [""] * (WIDTH + 1) + ["Người lập biểu"]])
    result = import_file(catalog, "dossiers", path)
    assert result.added == 2 and result.trailer == [4, 5]


def test_an_xlsx_is_never_taken_for_shifted(catalog, tmp_path):
    """A workbook's cells are cells: no delimiter to shift them (openpyxl pads rows)."""
    from tests.core.transfer.conftest import write_xlsx
    path = write_xlsx(tmp_path / "d.xlsx", DOSSIERS_HEADER, [dossier_row(), _open_last() + [""]])
    assert import_file(catalog, "dossiers", path).added == 2


def test_the_mapping_windows_preview_says_it_too(tmp_path):
    """The preview maps the file's first rows (gui.reconciliation.mapping.read_head, kept in
    memory) as the panel does (`refresh_preview`): the same rule, the same sentence, which the
    panel shows under its preview; before, the row was previewed one field late."""
    from core.transfer.mapped import MappedTable
    from gui.reconciliation.mapping import read_head
    header = [c for c in NATIONAL_HEADER if c != "NgayTra"] + ["NgayTra"]
    rows = [dict(zip(NATIONAL_HEADER, national(code), strict=True)) | {"NgayTra": ""}
            for code in ("XTD-250102-0001", "XTD-250102-0002")]
    rows[1]["ChuHoSo"] = "Nguyễn Văn An, con"
    path = write_lines(tmp_path / "tinh.csv", [header] + [[r[c] for c in header] for r in rows])
    head = read_head(str(path))
    table = head.at(NATIONAL_PROFILE.expected(), None)
    with pytest.raises(InputError) as refused:
        list(MappedTable(table, NATIONAL_PROFILE).rows())
    assert refused.value.message.startswith("Tệp tinh.csv: dòng 3 có 11 ô (ô thừa ở cuối để "
                                            "trống), tiêu đề (dòng 1) có 10 cột")
    assert "ô cột J (NgayTra) có lẽ là giá trị của cột I (TrangThaiHoSo)" in refused.value.message


def test_a_row_with_more_empty_extras_than_filled_cells_names_no_moved_column(catalog,
                                                                            tmp_path):
    """30,000 trailing empty cells are no delimiter in a cell (that shifts a row by one or
    two): the message said 'ô cột Y (…) có lẽ là giá trị của cột A (code)'."""
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER, dossier_row(),
                                            dossier_row("XTD-250102-0002") + [""] * 30_000,
                                            dossier_row("XTD-250102-0003")])
    with pytest.raises(InputError) as refused:
        import_file(catalog, "dossiers", path)
    message = refused.value.message
    assert "có lẽ là giá trị" not in message, message
    assert message.startswith(
        f"Tệp d.csv: dòng 3 có {vn_number(WIDTH + 30_000)} ô, tiêu đề (dòng 1) có {WIDTH} cột "
        "— 30.000 ô thừa ở cuối dòng, để trống: hãy xoá các dấu phân cách (dấu phẩy) thừa ở "
        "cuối dòng ấy rồi chạy lại."), message
