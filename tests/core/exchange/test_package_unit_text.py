"""Issue 16's leftovers about units, in a package (round 32): a package's new unit is held to
the catalogue's one rule of a code and a name (core.unit_text: the desk's and `import units`'
words) — a code holding a tab, a name of 250 characters were written into the centre's
catalogue as the package had them. And a new unit under a parent only a LATER package of the
same operation brings was refused (checked in its own package's turn): the verdict is now the
same whatever the order of the packages, a parent no package brings still refused (format-2
packages: a format-3 rows part naming a unit it lacks is refused whole when read)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from core.errors import InputError
from core.exchange import export, export_package, import_package
from core.exchange.merge import import_packages
from db.connection import transaction
from tests.core.exchange.conftest import (
    in_merge_order,
    made_later,
    office,
    package_members,
    refused_alike,
    rewrite_units,
)

SINCE = dt.date(2025, 10, 1)
NOT_WRITTEN = "Chưa ghi gì vào cơ sở dữ liệu."
TAB = "chứa ký tự điều khiển không in được (mã U+0009) ở vị trí 2"


def crafted(tmp_path, new_unit: dict, name="goi.zip"):
    """A format-2 package whose units.jsonl carries `new_unit` (changed from its first unit,
    which the centre holds), its checksums made to match: what a hostile or damaged sender
    writes (a desk never stores such a unit)."""
    sender = office(tmp_path / f"{name}.db")
    package = tmp_path / name
    try:
        export_package(sender, package, SINCE)
    finally:
        sender.close()
    rewrite_units(package, lambda rows: [*rows, {**rows[0], "parent_code": None,
                                                 "successor_code": None, **new_unit}])
    return package


@pytest.fixture(autouse=True)
def jsonl_parts(monkeypatch):
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)


def test_a_new_units_code_holding_a_tab_is_refused_the_tab_named_not_printed(tmp_path):
    text = refused_alike(tmp_path, crafted(tmp_path, {"code": "X\tY", "name": "Xã Tab"}))
    assert "\t" not in text, text
    assert "đơn vị X\ufffdY (Xã Tab) gói thêm vào danh mục trái quy tắc của danh mục: Mã đơn vị " \
        f"{TAB}. Hãy báo nơi gửi sửa" in text, text


@pytest.mark.parametrize("code, reason", [
    ("Z" * 41, "Mã đơn vị dài 41 ký tự, vượt quá 40 ký tự cho phép"),
    ("Z\u202eY", "Mã đơn vị chứa ký tự ẩn không in được (mã U+202E) ở vị trí 2"),
    (" Z1", "Mã đơn vị có khoảng trắng ở đầu hoặc cuối"),
    # break33: XÃ01 with its tilde a combining mark looks like the held XÃ01 and was a second unit
    ("XA\u030301", "Mã đơn vị viết dấu ở dạng tổ hợp (mã U+0303 ở vị trí 3)"),
    ("\u0301\u0303", "Mã đơn vị bắt đầu bằng một dấu không có chữ mang nó (mã U+0301)"),
    ("X\U0001f600", "Mã đơn vị chứa ký tự không in được trên phiếu (mã U+1F600) ở vị trí 2"),
])
def test_a_new_units_code_too_long_invisible_or_padded_is_refused(tmp_path, code, reason):
    text = refused_alike(tmp_path, crafted(tmp_path, {"code": code, "name": "Xã Lạ"}))
    assert reason in text, text


def test_a_new_units_name_longer_than_the_header_line_is_refused(tmp_path):
    name = "Ủy ban nhân dân xã Phong Điền " * 9  # 270 characters, the last space kept
    text = refused_alike(tmp_path, crafted(tmp_path, {"code": "Z1", "name": name.strip()}))
    assert "Tên đơn vị dài 269 ký tự, vượt quá 200 ký tự cho phép" in text, text


def test_a_real_long_name_passes(tmp_path):
    name = ("Bộ phận Tiếp nhận và Trả kết quả giải quyết thủ tục hành chính Trung tâm Phục vụ "
            "hành chính công tỉnh Thừa Thiên Huế")
    centre = office(tmp_path / "centre.db")
    try:
        package = crafted(tmp_path, {"code": "Z1", "name": name})
        assert import_package(centre, package).written
        assert centre.execute("SELECT name FROM units WHERE code = 'Z1'").fetchone()[0] == name
    finally:
        centre.close()


# ---- a parent a later package brings -------------------------------------------------------
def _sender(tmp_path, name: str, units: list, later: int = 0):
    """A commune's package whose catalogue holds `units` (code, name, parent, successor,
    valid_to) beside the office's, written raw (what another installation holds)."""
    sender = office(tmp_path / f"{name}.db")
    package = tmp_path / f"{name}.zip"
    try:
        sender.conn.execute("PRAGMA foreign_keys = OFF")
        with transaction(sender) as conn:
            conn.executemany("INSERT INTO units(code, name, level, parent_code, successor_code, "
                             "valid_to) VALUES (?,?,'commune',?,?,?)", units)
        export_package(sender, package, SINCE)
    finally:
        sender.close()
    if later:
        made_later(package, later)
    return package


@pytest.mark.parametrize("child_first", [True, False])
def test_a_new_unit_under_a_parent_another_package_brings_passes_in_either_order(
        tmp_path, child_first):
    """Z1 under Z2 and Z3 ceased into Z2 (package a), Z2 (package b): merged a then b, the
    catalogue step of a refused 'Cấp trên 'Z2' không có trong danh mục'."""
    child = _sender(tmp_path, "a", [("Z1", "Xã Một", "Z2", None, None),
                                    ("Z3", "Xã Ba", None, "Z2", "2025-06-30")],
                    later=0 if child_first else 5)
    parent = _sender(tmp_path, "b", [("Z2", "Huyện Hai", None, None, None)],
                     later=5 if child_first else 0)
    assert (in_merge_order([parent, child])[0] == child) is child_first
    centre = office(tmp_path / "centre.db")
    try:
        batch = import_packages(centre, [parent, child])
        assert batch.written
        assert centre.execute("SELECT code, parent_code, successor_code FROM units "
                              "WHERE code LIKE 'Z%' ORDER BY code").fetchall() == [
            ("Z1", "Z2", None), ("Z2", None, None), ("Z3", None, "Z2")]
    finally:
        centre.close()


def test_a_parent_no_package_brings_is_still_refused_named_in_its_package(tmp_path):
    child = _sender(tmp_path, "a", [("Z1", "Xã Một", "KHONG.CO", None, None)], later=5)
    other = _sender(tmp_path, "b", [("Z2", "Huyện Hai", None, None, None)])
    assert in_merge_order([child, other])[-1] == child  # refused after the other's turn
    centre = office(tmp_path / "centre.db")
    try:
        before = list(centre.conn.iterdump())
        with pytest.raises(InputError) as refused:
            import_packages(centre, [child, other])
        assert list(centre.conn.iterdump()) == before
    finally:
        centre.close()
    text = str(refused.value)
    assert text.startswith("Gói a.zip không dùng được: ") and text.endswith(NOT_WRITTEN), text
    assert "đơn vị Z1 (Xã Một) gói thêm vào danh mục trái quy tắc của danh mục: Cấp trên " \
        "'KHONG.CO' không có trong danh mục." in text, text


def test_a_loop_across_two_packages_is_refused(tmp_path):
    a = _sender(tmp_path, "a", [("Z1", "Xã Một", "Z2", None, None)])
    b = _sender(tmp_path, "b", [("Z2", "Xã Hai", "Z1", None, None)], later=5)
    centre = office(tmp_path / "centre.db")
    try:
        with pytest.raises(InputError) as refused:
            import_packages(centre, [a, b])
    finally:
        centre.close()
    assert "Cấp trên tạo thành vòng lặp: Z1 → Z2 → Z1." in str(refused.value), refused.value


def test_a_refused_link_is_named_in_its_own_package_when_another_was_merged_after_it(tmp_path):
    """The links are checked once every package had its turn, when the operation's reader and
    place are the LAST package's: the refusal must still name the package that brought the unit
    and its line there, the preview's words the same."""
    child = _sender(tmp_path, "a", [("Z1", "Xã Một", "KHONG.CO", None, None)])
    other = _sender(tmp_path, "b", [("Z2", "Huyện Hai", None, None, None)], later=5)
    assert in_merge_order([child, other])[0] == child  # merged first, checked after b's turn
    centre = office(tmp_path / "centre.db")
    try:
        with pytest.raises(InputError) as previewed:
            import_packages(centre, [other, child], dry_run=True)
        with pytest.raises(InputError) as refused:
            import_packages(centre, [other, child])
    finally:
        centre.close()
    text = str(refused.value)
    assert text == str(previewed.value)
    assert text.startswith("Gói a.zip không dùng được: phần units.jsonl, dòng "), text
    assert "đơn vị Z1 (Xã Một) gói thêm vào danh mục trái quy tắc" in text, text


def test_a_chosen_version_whose_name_is_no_text_is_refused_in_words(tmp_path):
    """A unit the centre holds, its package version's name a JSON number, the package's version
    chosen: the chosen version's check (core.unit_text) met 123.strip() and the import ended in
    an AttributeError (the window's 'unexpected error'), not the package's refusal."""
    sender = office(tmp_path / "so.db")
    package = tmp_path / "so.zip"
    try:
        export_package(sender, package, SINCE)
    finally:
        sender.close()
    code = json.loads(package_members(package)["units.jsonl"].decode().splitlines()[0])["code"]
    # the held unit's own line changed, not a second line of its code (refused as listed twice)
    rewrite_units(package, lambda rows: [{**rows[0], "name": 123}, *rows[1:]])
    centre = office(tmp_path / "centre.db")
    try:
        before = list(centre.conn.iterdump())
        with pytest.raises(InputError) as refused:
            import_package(centre, package, catalogue="theirs")
        assert list(centre.conn.iterdump()) == before
    finally:
        centre.close()
    assert f"danh mục, Đơn vị {code} (123): không lấy được bản của gói: dữ liệu " \
        "sai dạng" in str(refused.value), refused.value


def test_a_huge_code_is_shown_cut_each_character_judged_only_where_shown(monkeypatch):
    """A package's line may be 16 MB (LINE_MAX): a 16-million-character code was judged
    character by character for a message that prints 40 of them (~4 s before the refusal)."""
    from core import unit_text
    judged = []
    real = unit_text.unprintable_reason
    monkeypatch.setattr(unit_text, "unprintable_reason",
                        lambda text, *a: judged.append(text) or real(text, *a))
    assert unit_text.shown("X\tY" + "Z" * 100_000) == "X\ufffdY" + "Z" * 36 + "…"
    assert unit_text.shown("Huyện\u202eA", 80) == "Huyện\ufffdA"
    assert len(judged) <= 80 + 40, len(judged)


def test_a_new_units_name_holding_a_bidi_control_is_refused_as_at_the_desk(tmp_path):
    """The desk refuses a unit's name holding a right-to-left override (core.validation.
    clean_printed), a package's new unit was kept with it: the Đơn vị list, the dossiers' lists
    and the preview's note showed its letters turned around (another unit's name seen)."""
    text = refused_alike(tmp_path, crafted(tmp_path, {"code": "Z1", "name": "Xã \u202eLạ"}))
    assert "Tên đơn vị chứa ký tự ẩn đảo chiều chữ (mã U+202E) ở vị trí 4" in text, text
    assert "\u202e" not in text, text


def test_the_new_units_note_never_prints_a_hidden_character_of_a_name(tmp_path):
    """A name may hold a format character the documents leave out (a zero-width space, a
    left-to-right mark: core.unit_text), a package's is kept as recorded: the preview's note
    naming the package's new units — the one line telling the clerk that it is another unit's
    package — printed it as it is, unseen."""
    centre = office(tmp_path / "centre.db")
    try:
        package = crafted(tmp_path, {"code": "Z1", "name": "Xã \u200eLạ"})
        preview = import_package(centre, package, dry_run=True)
    finally:
        centre.close()
    said = [w for w in preview.warnings if w.startswith("Gói thêm vào danh mục")]
    assert said and "Z1 (Xã \ufffdLạ)" in said[0] and "\u200e" not in said[0], said


def test_a_parent_code_of_a_megabyte_is_named_cut_in_one_short_message(tmp_path):
    """A hostile package's new unit naming a parent of 1,000,000 characters (only the code of
    a catalogue row is checked when read): the refusal quoted it whole, a megabyte in the
    window's message box and on the command line."""
    import hashlib
    parent = "P\t" + "".join(hashlib.sha256(b"%d" % i).hexdigest() for i in range(15_625))
    text = refused_alike(tmp_path, crafted(tmp_path, {"code": "Z1", "name": "Xã Một",
                                                      "parent_code": parent}))
    assert len(text) < 600, len(text)
    assert f"Cấp trên 'P\ufffd{parent[2:10]}" in text and "…' không có trong danh mục" in text, text
    assert "\t" not in text
