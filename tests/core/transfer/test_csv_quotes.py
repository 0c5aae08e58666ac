"""A quote opened and never closed must not swallow the rest of the file into one cell."""
from __future__ import annotations

import pytest

from core.errors import InputError
from core.transfer import import_file
from tests.core.transfer.conftest import count


def test_an_unclosed_quote_is_refused_naming_its_row_and_column(db, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text('code,name,level\nUA,"Xã A,commune\nUB,Xã B,commune\nUC,Xã C,commune\n',
                    encoding="utf-8")
    units = count(db, "units")
    with pytest.raises(InputError) as caught:
        import_file(db, "units", path)
    assert "u.csv, dòng 2, cột B" in caught.value.message
    assert "ngoặc kép" in caught.value.message
    assert count(db, "units") == units


def test_an_unclosed_quote_in_the_last_row_is_refused(db, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text('code,name,level\nUA,Xã A,commune\nUB,"Xã B\n', encoding="utf-8")
    with pytest.raises(InputError, match="dòng 3, cột B"):
        import_file(db, "units", path)


@pytest.mark.parametrize("last", ['UB,"Xã B\nthôn 2",commune\n', 'UB,"Xã" B,commune', 'UB,Xã "B",commune\n'])
def test_closed_or_stray_quotes_still_import(db, tmp_path, last):
    path = tmp_path / "u.csv"
    path.write_text("code,name,level\nUA,Xã A,commune\n" + last, encoding="utf-8")
    assert import_file(db, "units", path).added == 2
