"""A package that brings units this installation's catalogue lacks says which, before anything
is written (the preview's notes, `--dry-run`'s "Lưu ý"): a commune's package from another
district, put on the wrong USB, added its unit and its dossiers to the centre's monthly report
(a row of its own, and the TỔNG CỘNG) with nothing but "danh mục thêm 1 dòng" in the preview."""
from __future__ import annotations

import datetime as dt

from core.exchange import export_package, import_package
from db.connection import transaction
from tests.core.exchange.conftest import office, receive

SINCE = dt.date(2025, 10, 1)


def test_units_new_here_are_named_in_the_preview(tmp_path):
    stranger = office(tmp_path / "xa-la.db")
    with transaction(stranger) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES "
                     "('000.99.99.H99', 'UBND xã Lạ Tỉnh Khác', 'commune')")
    receive(stranger, unit="000.99.99.H99")
    package = tmp_path / "xa-la.zip"
    export_package(stranger, package, SINCE)
    centre = office(tmp_path / "centre.db")
    try:
        preview = import_package(centre, package, dry_run=True)
        said = [w for w in preview.warnings if "000.99.99.H99" in w]
        assert said == ["Gói thêm vào danh mục 1 đơn vị máy này chưa có: "
                        "000.99.99.H99 (UBND xã Lạ Tỉnh Khác). Hồ sơ của đơn vị ấy sẽ được tính "
                        "vào báo cáo của máy này; nếu gói gửi nhầm (gói của đơn vị khác), đừng "
                        "nhập."], preview.warnings
        # the units it knows already are not named: the office's own package says nothing
        again = import_package(stranger, package, dry_run=True)
        assert not [w for w in again.warnings if "chưa có" in w]
    finally:
        stranger.close()
        centre.close()
