"""Round 32: a CSV row shifted by an unquoted delimiter but no wider than the header — a
hand-made file whose rows leave out their empty last cells, so the row one cell longer is still
no wider than the header. Its cells failed their columns' types one after another ("không
thuộc danh sách", "không phải ngày giờ"…) without a word of the shift. Its first type error
now says it (core.transfer.shifted.hidden_shift) — only when two cells fail their own column
or more and every filled cell from the first failing one on passes the column left of it:
what a right shift does. Honest files first: they never get the hint."""
from __future__ import annotations

import pytest

from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row
from tests.core.transfer.test_shifted_rows import write_lines

HINT = "nằm trong một ô không có ngoặc kép"


def errors_of(catalog, path) -> list[str]:
    result = import_file(catalog, "dossiers", path)
    assert result.added == 0 and result.errors
    return [str(e) for e in result.errors]


def typos(code="XTD-250102-0002"):
    """Two honest mistakes in one row: a day that does not exist, a status in words."""
    return dossier_row(code, received_at="2025-02-30 08:00", status="xong")


# ----- honest files: never the hint ----------------------------------------------------------
def test_excels_trailing_empties_with_typos_get_no_hint(catalog, tmp_path):
    pad = ["", ""]
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER + pad, dossier_row() + pad,
                                            typos() + pad, dossier_row("XTD-250102-0003")])
    errors = errors_of(catalog, path)
    assert len(errors) == 2 and not any(HINT in e for e in errors), errors


def test_libreoffices_used_range_with_typos_gets_no_hint(catalog, tmp_path):
    """LibreOffice writes every row as wide as the used range, the header's too."""
    pad = [""] * 3
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER + pad, dossier_row() + pad,
                                            typos() + pad], ";")
    assert not any(HINT in e for e in errors_of(catalog, path))


@pytest.mark.parametrize("cut", [1, 4, 6])
def test_short_rows_with_typos_get_no_hint(catalog, tmp_path, cut):
    """A hand-made file: rows without their empty last cells, one with typos in typed columns
    next to each other, one with a channel mistyped beside the text of the address."""
    rows = [dossier_row()[:-cut], typos()[:-cut],
            dossier_row("XTD-250102-0003", channel="onlin", status="xong",
                        e_result="")[:-cut]]
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER] + rows)
    errors = errors_of(catalog, path)
    assert len(errors) == 4 and not any(HINT in e for e in errors), errors


def test_one_mistake_alone_gets_no_hint(catalog, tmp_path):
    """A status typed in the received column's place is one mistake, not a shift."""
    rows = [dossier_row()[:-4], dossier_row("XTD-250102-0002", received_at="done")[:-4]]
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER] + rows)
    errors = errors_of(catalog, path)
    assert len(errors) == 1 and HINT not in errors[0]


def test_a_signature_block_and_typos_get_no_hint(catalog, tmp_path):
    width = len(DOSSIERS_HEADER)
    path = write_lines(tmp_path / "d.csv", [
        DOSSIERS_HEADER, dossier_row()[:-3], typos()[:-3],
        ["Tổng cộng: 2 hồ sơ"], [""] * (width - 2) + ["Người lập biểu"]])
    assert not any(HINT in e for e in errors_of(catalog, path))


# ----- the shifted row no wider than the header ----------------------------------------------
@pytest.mark.parametrize("delimiter, word", [(",", "dấu phẩy"), (";", "dấu chấm phẩy")])
def test_a_short_shifted_row_says_it_may_be_shifted(catalog, tmp_path, delimiter, word):
    """The address 'Thôn 3, xã Na' unquoted in a row without its last four cells: 14 cells
    beside a header of 17, every column after the address one to the right."""
    moved = dossier_row("XTD-250102-0002", applicant_address=f"Thôn 3{delimiter} xã Na")[:-4]
    path = write_lines(tmp_path / "d.csv", [DOSSIERS_HEADER, dossier_row()[:-4], moved,
                                            dossier_row("XTD-250102-0003")[:-4]], delimiter)
    errors = errors_of(catalog, path)
    assert errors[0].startswith("Dòng 3, cột channel, giá trị 'xã Na': ")
    assert errors[0].endswith(
        f" — có thể dấu phân cách ({word}) {HINT} ở trước cột G (channel), làm lệch mọi cột "
        "sau nó: từ cột G (channel), mỗi ô có lẽ là giá trị của cột bên trái nó. Hãy đặt ô ấy "
        "trong ngoặc kép (hoặc lưu tệp từ Excel thành .xlsx) rồi chạy lại."), errors[0]
    assert sum(HINT in e for e in errors) == 1 and len(errors) >= 3  # said once, the rest kept


# ----- review 32: typos beside free-text columns are no shift ---------------------------------
UNITS_FULL = ["code", "name", "level", "parent_code", "valid_from", "valid_to", "successor_code"]


@pytest.mark.parametrize("valid_to", ["", "2025-12-31"])
def test_typos_beside_text_columns_get_no_hint(db, tmp_path, valid_to):
    """The top unit of a commune's own list (no parent), its level mistyped and its first day
    written with dots: two type errors, each right of a free-text column (name, parent_code) that
    any value passes, and a good last day that passes the day column left of it as well. Nothing
    there holds a value of another column's type: no shift, and the hint wrongly said one."""
    path = write_lines(tmp_path / "u.csv", [UNITS_FULL, [
        "XTD", "UBND xã Tân Đoàn", "comune", "", "01.07.2025", valid_to]])
    errors = [str(e) for e in import_file(db, "units", path).errors]
    assert len(errors) == 2 and not any(HINT in e for e in errors), errors


def test_a_units_name_split_says_it_may_be_shifted(db, tmp_path):
    """'UBND xã Tân, Đoàn' unquoted: the level lands in parent_code, a text column; the level
    column's 'commune' there is the shift's mark."""
    path = write_lines(tmp_path / "u.csv", [UNITS_FULL, [
        "XTD", "UBND xã Tân", " Đoàn", "commune", "LS", "2025-07-01"]])
    errors = [str(e) for e in import_file(db, "units", path).errors]
    assert HINT in errors[0] and "trước cột C (level)" in errors[0], errors
