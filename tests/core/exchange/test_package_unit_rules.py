"""A package's new units are held to the catalogue's one rule of a unit's links and dates
(core.catalogue.check_unit: the desk's and `import units`' words), once every new unit of the
package is in (issue 16 §3). Inserted raw before, two new units each the other's parent, a unit
its own successor or a parent found nowhere entered the centre's catalogue and broke its walks
and reports (the last one only at COMMIT, in words naming no unit, and the preview said
nothing). New units naming each other without a loop pass."""
from __future__ import annotations

import datetime as dt

from core import catalogue
from core.exchange import export, export_package, import_package
from db.connection import transaction
from tests.core.exchange.conftest import office, receive, refused_alike

SINCE = dt.date(2025, 10, 1)
NOT_WRITTEN = "Chưa ghi gì vào cơ sở dữ liệu."


def _package(tmp_path, units, dossier_unit=None, after=None):
    """A commune's package whose catalogue holds `units` (code, name, parent, successor,
    valid_from, valid_to) beside the office's, written raw (foreign keys off: what an older or
    a broken installation may hold); a dossier at `dossier_unit` received before `after` runs."""
    sender = office(tmp_path / "xa-moi.db")
    try:
        sender.conn.execute("PRAGMA foreign_keys = OFF")
        with transaction(sender) as conn:
            conn.executemany("INSERT INTO units(code, name, level, parent_code, successor_code, "
                             "valid_from, valid_to) VALUES (?,?,'commune',?,?,?,?)", units)
        if dossier_unit:
            receive(sender, unit=dossier_unit)
        if after:
            with transaction(sender) as conn:
                after(conn)
        package = tmp_path / "xa-moi.zip"
        export_package(sender, package, SINCE)
    finally:
        sender.close()
    return package


def _refused(tmp_path, package) -> str:
    """The refusal of the import and of its preview (the same words), nothing written."""
    text = refused_alike(tmp_path, package)
    assert text.startswith("Gói xa-moi.zip không dùng được: "), text
    return text


def test_two_new_units_each_the_others_parent_are_refused(tmp_path):
    package = _package(tmp_path, [("Z1", "Xã Một", "Z2", None, None, None),
                                  ("Z2", "Xã Hai", "Z1", None, None, None)])
    text = _refused(tmp_path, package)
    assert "đơn vị Z1 (Xã Một) gói thêm vào danh mục trái quy tắc của danh mục: Cấp trên tạo " \
        "thành vòng lặp: Z1 → Z2 → Z1. Hãy báo nơi gửi sửa đơn vị ấy" in text, text


def test_a_new_unit_its_own_successor_is_refused(tmp_path):
    package = _package(tmp_path, [("Z1", "Xã Một", None, "Z1", None, "2025-06-30")])
    text = _refused(tmp_path, package)
    assert "đơn vị Z1 (Xã Một) gói thêm vào danh mục trái quy tắc của danh mục: Đơn vị không " \
        "thể kế thừa chính nó." in text, text


def test_a_new_units_parent_found_nowhere_is_refused_in_the_preview_too(tmp_path, monkeypatch):
    """A format-2 package (jsonl parts: a format-3 rows part is refused whole when one of its
    rows names a row it lacks, core.exchange.part)."""
    monkeypatch.setattr(export, "DEFAULT_FORMAT", 2)
    package = _package(tmp_path, [("Z1", "Xã Một", "KHONG.CO", None, None, None)])
    text = _refused(tmp_path, package)
    assert "đơn vị Z1 (Xã Một) gói thêm vào danh mục trái quy tắc của danh mục: Cấp trên " \
        "'KHONG.CO' không có trong danh mục." in text, text


def test_a_new_unit_ceasing_before_it_began_is_refused(tmp_path):
    package = _package(tmp_path, [("Z1", "Xã Một", None, None, "2025-07-01", "2025-06-30")])
    text = _refused(tmp_path, package)
    assert "đơn vị Z1 (Xã Một) gói thêm vào danh mục trái quy tắc của danh mục: Ngày thôi hoạt " \
        "động 30/06/2025 trước ngày bắt đầu hoạt động 01/07/2025." in text, text


def test_a_new_unit_whose_dates_leave_its_own_dossiers_outside_is_refused(tmp_path):
    """The package's dossier at its new unit, the unit's dates (as the catalogue step leaves
    them) ending before its reception: the absent-unit refusal of the operation's end."""
    package = _package(tmp_path, [("Z1", "Xã Một", None, None, None, None)], "Z1",
                       lambda conn: conn.execute(
                           "UPDATE units SET valid_to = '2025-10-01' WHERE code = 'Z1'"))
    text = _refused(tmp_path, package)
    assert "hồ sơ mới của gói được tiếp nhận tại, hoặc giao giải quyết cho, một đơn vị vào " \
        "ngày đơn vị ấy không hoạt động" in text, text


def test_new_units_naming_each_other_without_a_loop_pass(tmp_path):
    """Z1 under Z2 (read first: by code), Z2 under Z3, Z3 ceased into Z2, and the package's
    dossier at Z1: all new, all written."""
    package = _package(tmp_path, [("Z1", "Xã Một", "Z2", None, None, None),
                                  ("Z2", "Huyện Hai", "Z3", None, "2025-07-01", None),
                                  ("Z3", "Tỉnh Ba", None, "Z2", None, "2025-06-30")], "Z1")
    centre = office(tmp_path / "centre.db")
    try:
        result = import_package(centre, package)
        assert result.written and result.catalogue["units_new"] == 3
        assert centre.execute("SELECT code, parent_code, successor_code FROM units "
                              "WHERE code LIKE 'Z%' ORDER BY code").fetchall() == [
            ("Z1", "Z2", None), ("Z2", "Z3", None), ("Z3", None, "Z2")]
        assert centre.execute("SELECT COUNT(*) FROM dossiers WHERE unit_code = 'Z1'"
                              ).fetchone() == (1,)
    finally:
        centre.close()


def test_the_links_are_walked_once_for_all_the_new_units(tmp_path, monkeypatch):
    """Read and walked again for each new unit, a package of 4,000 new units (a centre's first
    package) took 11 s more to import (0,8 s → 11,4 s; now 1,3 s): once per link."""
    chain = [(f"Z{i:03d}", f"Xã {i}", f"Z{i + 1:03d}" if i < 49 else None, None, None, None)
             for i in range(50)]
    package = _package(tmp_path, chain)
    walked = []
    real = catalogue.link_loops
    monkeypatch.setattr(catalogue, "link_loops", lambda links: walked.append(1) or real(links))
    centre = office(tmp_path / "centre.db")
    try:
        assert import_package(centre, package).catalogue["units_new"] == 50
    finally:
        centre.close()
    assert len(walked) == 2  # parent_code, successor_code
