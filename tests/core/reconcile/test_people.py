"""What a reconciliation reads of people: the receiving clerk by name (the list a leader hands
out per clerk), and never the citizens' contact columns — a file MotCua exported itself has
them masked and reconciles all the same."""
from __future__ import annotations

from core import accounts
from core.reconcile import reconcile
from db.connection import transaction
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (office: the fixture)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import write_csv


def test_missing_list_names_the_clerk_not_the_login(office, tmp_path):  # noqa: F811
    accounts.create_account(office, "canbo.trile", "Nông Thị Huyền", ("admin", "clerk"),
                            "motcua12345")
    with transaction(office) as conn:
        conn.execute("UPDATE dossiers SET received_by = 'canbo.trile'")
    only = [province_rows()[0]]
    result = reconcile(office, write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, only),
                       FIRST, LAST)
    assert result.ok
    assert {i.clerk for i in result.only_ours} == {"Nông Thị Huyền"}


def test_masked_phone_and_address_are_not_read(office, tmp_path):  # noqa: F811
    header = PROVINCE_HEADER + ["SoDienThoai", "DiaChi"]
    rows = [r + ["0942****06", "Thôn Khòn Khuyên"] for r in province_rows()]
    result = reconcile(office, write_csv(tmp_path / "tinh.csv", header, rows), FIRST, LAST)
    assert result.ok, [str(e) for e in result.errors]
    assert [i.code for i in result.only_theirs] == ["XTD-250108-0009"]

