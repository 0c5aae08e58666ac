"""walk33: `reconcile` on a vendor's export without --profile said "thiếu cột … (theo mẫu cột
'national') … Hãy chọn lại cột cho từng trường." — at a terminal, where nothing is chosen. It
now says that the command read the national names, and names the saved profiles to pass with
--profile (or, none saved, where one is made)."""
from __future__ import annotations

import pytest

from core.errors import InputError
from core.reconcile.cli import command
from core.transfer.profiles import save_profile
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    PROVINCE_HEADER,
    _args,
    office,
    province_rows,
)
from tests.core.transfer.conftest import write_csv

NAMES = {"MaHoSo": "So ho so", "MaTTHC": "Ma TTHC", "ChuHoSo": "Nguoi nop",
         "KenhThucHien": "Kenh", "NgayTiepNhan": "Ngay nhan", "TrangThaiHoSo": "Tinh trang"}
COLUMNS = {"code": "So ho so", "procedure_code": "Ma TTHC", "applicant_name": "Nguoi nop",
           "channel": "Kenh", "received_at": "Ngay nhan", "status": "Tinh trang"}


def vendor(tmp_path):
    keep = [PROVINCE_HEADER.index(n) for n in NAMES]
    return write_csv(tmp_path / "igate.csv", list(NAMES.values()),
                     [[r[i] for i in keep] for r in province_rows()])


def test_the_saved_profiles_are_named(office, db_path, tmp_path, capsys):  # noqa: F811
    save_profile(office, "iGate Lạng Sơn", COLUMNS)
    office.close()
    with pytest.raises(InputError) as refused:
        command(_args(db_path, vendor(tmp_path)))
    assert refused.value.message.endswith(
        "Không có --profile, lệnh đọc tệp theo mẫu cột 'national' (tên cột của Cổng DVC); mẫu "
        "cột đã lưu: 'iGate Lạng Sơn': chạy lại với --profile TÊN (python main.py profile show "
        "TÊN để xem các cột của mẫu).")
    assert command(_args(db_path, vendor(tmp_path), profile="iGate Lạng Sơn")) == 0


def test_none_saved_says_where_one_is_made(office, db_path, tmp_path):  # noqa: F811
    office.close()
    with pytest.raises(InputError) as refused:
        command(_args(db_path, vendor(tmp_path)))
    assert "«Lưu mẫu cột…» ở cửa sổ Dữ liệu → Đối chiếu với hệ thống tỉnh…" in refused.value.message
    with pytest.raises(InputError) as named:  # a profile named: its own words only
        command(_args(db_path, vendor(tmp_path), profile="national"))
    assert "Không có --profile" not in named.value.message
