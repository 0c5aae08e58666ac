"""Vietnamese alphabetical order and the units' tree order (core.vnsort, issue 14.9)."""
from __future__ import annotations

import random

from core.vnsort import sorted_vn, tree_order, unit_tree, vn_key
from tests.core.factories import add_units


def test_d_with_stroke_follows_d_and_marked_letters_follow_their_base():
    names = ["Yên Phúc", "Đồng Giáp", "Dương Hưu", "An Sơn", "Ân Thi", "Ăn Chơi", "Bình Phúc",
             "Đa Phúc", "Ea Kar", "Ô Chợ Dừa", "Ơn Nghĩa", "Ông Ích Khiêm", "Uông Bí", "Ưng Hòe"]
    shuffled = names[:]
    random.Random(3).shuffle(shuffled)
    assert sorted_vn(shuffled) == ["An Sơn", "Ăn Chơi", "Ân Thi", "Bình Phúc", "Dương Hưu",
                                   "Đa Phúc", "Đồng Giáp", "Ea Kar", "Ô Chợ Dừa", "Ông Ích Khiêm",
                                   "Ơn Nghĩa", "Uông Bí", "Ưng Hòe", "Yên Phúc"]


def test_tones_come_after_the_letters_in_dictionary_order():
    assert sorted_vn(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # the letters decide before any tone: "Hòa Bình" before "Hoan"
    assert sorted_vn(["Hoan", "Hòa Bình", "Hoà An"]) == ["Hoà An", "Hòa Bình", "Hoan"]
    assert vn_key("Đồng") != vn_key("Dong")
    assert sorted_vn(["UBND xã Yên Phúc", "UBND xã Đồng Giáp", "UBND xã Dương Hưu"]) == \
        ["UBND xã Dương Hưu", "UBND xã Đồng Giáp", "UBND xã Yên Phúc"]


def test_decomposed_text_sorts_as_composed():
    import unicodedata
    word = unicodedata.normalize("NFD", "Đồng Giáp")
    assert vn_key(word)[:2] == vn_key("Đồng Giáp")[:2]


def test_the_tree_order_puts_each_unit_under_its_parent():
    rows = [("YP", "Yên Phúc", "T"), ("DG", "Đồng Giáp", "T"), ("T", "Tỉnh Lạng Sơn", None),
            ("DH", "Dương Hưu", "T"), ("AS", "An Sơn", "T"), ("DT", "Điểm tiếp nhận Bản Piát", "DG"),
            ("ORPHAN", "Bưu điện", "GONE")]
    assert tree_order(rows) == [
        ("ORPHAN", "Bưu điện", 0), ("T", "Tỉnh Lạng Sơn", 0), ("AS", "An Sơn", 1),
        ("DH", "Dương Hưu", 1), ("DG", "Đồng Giáp", 1), ("DT", "Điểm tiếp nhận Bản Piát", 2),
        ("YP", "Yên Phúc", 1)]


def test_a_loop_of_parents_loses_no_unit():
    order = tree_order([("A", "A", "B"), ("B", "B", "A"), ("C", "C", None)])
    assert sorted(code for code, _, _ in order) == ["A", "B", "C"]


def test_unit_tree_reads_the_catalogue(db):
    add_units(db, (("T", "UBND tỉnh Lạng Sơn", None), ("Y", "UBND xã Yên Phúc", "T"),
                   ("D", "UBND xã Đồng Giáp", "T"), ("A", "UBND xã An Sơn", "T")))
    assert [(c, d) for c, _, d in unit_tree(db)] == [("T", 0), ("A", 1), ("D", 1), ("Y", 1)]
