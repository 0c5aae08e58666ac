"""break33: a unit's code typed with its marks as combining characters (Unikey's «Unicode tổ
hợp», a name copied from a web page) looks exactly like the same code typed precomposed, yet
was stored as a second unit: the desk and `import units` made XÃ01 twice, two rows that no one
could tell apart in any list, each with its own dossiers. A typed code is taken in its
precomposed form (NFC, as a typed name already is), so it is the held unit; a package's code is
judged as recorded (core.unit_text: refused, core.exchange's test_package_unit_text)."""
from __future__ import annotations

import unicodedata

import main
from core import catalogue
from core.database import open_database
from core.unit_text import code_reason
from tests.core.transfer.conftest import UNITS_HEADER, write_csv

NFC, NFD = unicodedata.normalize("NFC", "XÃ01"), unicodedata.normalize("NFD", "XÃ01")


def test_the_desk_takes_a_combining_code_as_the_held_unit(tmp_path):
    db = open_database(tmp_path / "m.db")
    try:
        catalogue.save_unit(db, NFC, "Xã Yên Phúc", "commune", None)
        catalogue.save_unit(db, NFD, "Xã Yên Phúc Mới", "commune", None)
        assert db.execute("SELECT code, name FROM units").fetchall() == [(NFC, "Xã Yên Phúc Mới")]
    finally:
        db.close()


def test_import_units_takes_a_combining_code_as_the_held_unit(tmp_path, capsys):
    db = tmp_path / "m.db"
    path = write_csv(tmp_path / "u.csv", UNITS_HEADER, [[NFC, "Xã Yên Phúc", "commune", ""]])
    assert main.main(["--db", str(db), "import", "--new-db", "units", str(path)]) == 0
    path = write_csv(tmp_path / "u2.csv", UNITS_HEADER, [[NFD, "Xã Yên Phúc Mới", "commune", ""]])
    assert main.main(["--db", str(db), "import", "units", str(path)]) == 0, capsys.readouterr()
    opened = open_database(db, create=False)
    try:
        assert opened.execute("SELECT code, name FROM units").fetchall() == [
            (NFC, "Xã Yên Phúc Mới")]
    finally:
        opened.close()


def test_the_rule_names_a_combining_mark_in_a_code():
    assert code_reason(NFC) is None
    assert code_reason(NFD) == "viết dấu ở dạng tổ hợp (mã U+0303 ở vị trí 3)"
    assert code_reason("\u0301") == "bắt đầu bằng một dấu không có chữ mang nó (mã U+0301)"
    assert code_reason("\u212b1") == "viết dấu ở dạng tổ hợp (mã U+212B ở vị trí 1)"  # Å sign


def test_a_code_the_documents_cannot_print_is_refused_at_the_desk(tmp_path):
    """A unit's code begins each of its dossiers' codes (X😀-261103-0001): printed on the
    citizen's receipt as «X□-261103-0001», the same as X🙂's, a code no one can read back.
    Refused as a name the documents cannot print is, the character named by its number."""
    import pytest

    from core.errors import FieldError
    db = open_database(tmp_path / "m.db")
    try:
        with pytest.raises(FieldError) as refused:
            catalogue.save_unit(db, "X\U0001f600", "Xã Yên Phúc", "commune", None)
        assert refused.value.message == ("Mã đơn vị chứa ký tự không in được trên phiếu "
                                         "(mã U+1F600) ở vị trí 2."), refused.value.message
        assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    finally:
        db.close()
    assert code_reason("XÃ-Đ01") is None  # Vietnamese letters print
