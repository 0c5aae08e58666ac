"""Packages a hostile sender crafted against the catalogue step (round 31's breaker): a unit
whose code is a JSON number (a format-2 package's jsonl), and the package's version of a held
unit refused by the catalogue's rules — each said in words that name what is wrong, once."""
from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.exchange import export, export_package, import_package
from tests.core.exchange.conftest import office, receive, rewrite_units

SINCE = dt.date(2025, 10, 1)


def _package(tmp_path, change_units):
    """A format-2 package of an office with a dossier at U1, its units.jsonl changed by
    `change_units(rows)` and its checksums made to match again."""
    sender = office(tmp_path / "sender.db")
    try:
        receive(sender)
        package = tmp_path / "goi.zip"
        export_package(sender, package, SINCE)
    finally:
        sender.close()
    rewrite_units(package, change_units)
    return package


def _refusal(tmp_path, package) -> str:
    centre = office(tmp_path / "centre.db")
    try:
        with pytest.raises(InputError) as refused:
            import_package(centre, package, catalogue="theirs")
        return str(refused.value)
    finally:
        centre.close()


def test_a_unit_code_that_is_a_number_is_said_so_not_a_missing_field(tmp_path, monkeypatch):
    """{"code": 123, …} has every field: it was refused as 'bản ghi danh mục thiếu trường'."""
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    package = _package(tmp_path, lambda rows: rows + [dict(rows[0], code=123, name="Xã Số")])
    text = _refusal(tmp_path, package)
    assert "thiếu trường" not in text, text
    assert "mã 123 không phải chuỗi ký tự" in text, text


def test_a_held_units_version_the_catalogue_refuses_is_said_in_one_sentence(tmp_path,
                                                                           monkeypatch):
    """The package's U1 beginning after its dossier: the desk's refusal (a sentence ending in
    '.') came out as '… hoặc để trống.. Chưa ghi gì'."""
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)

    def later(rows):
        for row in rows:
            if row["code"] == "U1":
                row["valid_from"] = "2030-01-01"
        return rows
    package = _package(tmp_path, later)
    centre = office(tmp_path / "centre.db")
    try:
        receive(centre)
        with pytest.raises(InputError) as refused:
            import_package(centre, package, catalogue="theirs")
    finally:
        centre.close()
    text = str(refused.value)
    assert "không lấy được bản của gói: Không thể đặt ngày hoạt động" in text, text
    assert ".." not in text, text


@pytest.mark.parametrize("code", ["", "   "])
def test_a_new_unit_with_a_blank_code_is_refused(tmp_path, monkeypatch, code):
    """The desk refuses a unit without a code ('Cần nhập mã đơn vị.'), and so did a package's
    version of a held unit; a package's NEW unit coded '' went in."""
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    package = _package(tmp_path, lambda rows: rows + [dict(rows[0], code=code, name="Xã Rỗng")])
    text = _refusal(tmp_path, package)
    assert "phần units.jsonl, dòng 3: mã danh mục để trống" in text, text


def test_a_new_unit_listed_twice_is_refused_naming_the_code_and_both_lines(tmp_path,
                                                                           monkeypatch):
    """units.jsonl listing a new unit X09 twice (lines 3 and 4) was refused only as 'dữ liệu
    sai kiểu hoặc trái ràng buộc' (the catalogue's UNIQUE code): now the code and both lines
    are named, in the preview's words and the import's, nothing written."""
    from tests.core.exchange.conftest import refused_alike
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    package = _package(tmp_path, lambda rows: rows + [dict(rows[0], code="X09", name="Xã Mới"),
                                                     dict(rows[0], code="X09", name="Xã Mới 2")])
    text = refused_alike(tmp_path, package)
    assert "trái ràng buộc" not in text, text
    assert ("phần units.jsonl, dòng 4: đơn vị X09 ghi hai lần trong gói (lần đầu ở phần "
            "units.jsonl, dòng 3)") in text, text


@pytest.mark.parametrize("level", ["planet", 7])
def test_a_new_unit_of_a_level_there_is_none_is_refused_naming_it(tmp_path, monkeypatch, level):
    """A new unit whose level is none of the catalogue's was refused by the table's CHECK only
    as 'dòng 3 (hoặc một dòng ngay trước): dữ liệu sai kiểu …' (break34): the desk's words,
    the value named, in the preview and the import alike, nothing written."""
    from tests.core.exchange.conftest import refused_alike
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    package = _package(tmp_path, lambda rows: rows + [dict(rows[0], code="X09", name="Xã Mới",
                                                           level=level)])
    text = refused_alike(tmp_path, package)
    assert "phần units.jsonl, dòng 3: đơn vị X09 (Xã Mới)" in text, text
    assert f"Cấp đơn vị không hợp lệ: «{level}»" in text and "sai kiểu" not in text, text
