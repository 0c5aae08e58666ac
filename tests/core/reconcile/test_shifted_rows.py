"""Round 31: a provincial row shifted by an unquoted comma whose last column is empty.

The empty KetQuaDienTu pushed past the header left nothing filled beyond it, so round 30's rule
compared the row one field late (its reception time read from its procedure name's second
half…) or listed it with a type error that never said the row was shifted. It is listed as
unreadable with the import's sentence (core.transfer.shifted.shifted_reason), the rest compared.
"""
from __future__ import annotations

from core.reconcile import reconcile
from core.transfer.shifted import shifted_reason
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (office, province_file: fixtures)
    FIRST,
    LAST,
    office,
    province_file,
)


def test_a_shifted_row_with_an_empty_last_column_is_listed_the_rest_compared(
        office, province_file):  # noqa: F811
    lines = province_file.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert header[-1] == "KetQuaDienTu" and lines[2].endswith(",")  # empty on every row
    lines[2] = lines[2].replace("Lê Văn Cường", "Lê Văn Cường, con", 1)
    province_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    result = reconcile(office, province_file, FIRST, LAST)
    assert result.ok and not result.refused and result.unread_rows == 1
    [error] = result.errors  # its one error, not each misread cell's
    width = len(header)
    assert (error.row, error.value) == (3, "")
    assert error.reason.startswith(
        f"dòng 3 có {width + 1} ô (ô thừa ở cuối để trống), tiêu đề (dòng 1) có {width} cột — "
        "có thể dấu phân cách (dấu phẩy) nằm trong một ô không có ngoặc kép, làm lệch mọi cột "
        "sau nó: ô cột M (CacLanBoSung) có lẽ là giá trị của cột L (MaDonViTiepNhan).")
    assert error.column == "M"
    assert len(result.pairs) == 3  # the four other dossiers of both sides, less the one only there
    assert [i.code for i in result.unread_ours] == ["XTD-250106-0001"]
    assert result.unread_table()[0][1:] == [3, error.column, "", error.reason]
    assert office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before


def test_the_import_and_the_reconciliation_say_one_sentence(office, province_file):  # noqa: F811
    """One function writes it (the import's refusal wraps it with the file's name)."""
    import pytest

    from core.errors import InputError
    from core.transfer.files import open_table
    from core.transfer.mapped import import_mapped
    from core.transfer.profiles import NATIONAL_PROFILE
    lines = province_file.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("Lê Văn Cường", "Lê Văn Cường, con", 1)
    province_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = open_table(province_file)
    cells = next(c for n, c in table.records() if n == 3)
    sentence = shifted_reason(table, 3, cells)
    with pytest.raises(InputError) as refused:
        import_mapped(office, province_file, NATIONAL_PROFILE)
    assert refused.value.message == f"Tệp tinh.csv: {sentence} Chưa ghi gì."
    assert reconcile(office, province_file, FIRST, LAST).errors[0].reason == sentence
