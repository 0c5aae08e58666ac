"""What the clerk previewed is what is written: a package file replaced between the preview and
"Nhập gói" (a commune's second copy of the same name put on the USB while the preview stood
open) was imported whole, its conflicts kept by the default without ever being shown. The
identities the preview saw (ExchangeResult.ident) are given back; another package under the
path is refused, nothing written."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from core.database import open_database
from core.errors import InputError
from core.exchange import export_package
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import in_merge_order, made_later, office, receive

SINCE = dt.date(2025, 10, 1)


def _counts(db) -> tuple:
    return db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM events), "
                      "(SELECT COUNT(*) FROM votes) FROM dossiers").fetchone()


def test_a_package_replaced_after_its_preview_is_refused(tmp_path):
    one, two = office(tmp_path / "q1.db", (1, 2)), office(tmp_path / "q2.db", (2, 2))
    receive(one, "Trần Thị Hoa")
    receive(two, "Lò Văn Sử")
    receive(two, "Hà Thị Mai", minutes=5)
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    export_package(one, first, SINCE)
    export_package(two, second, SINCE)
    usb = tmp_path / "goi.zip"
    shutil.copy(first, usb)
    centre = open_database(tmp_path / "centre.db")
    try:
        seen = import_packages(centre, [usb], dry_run=True)
        before = _counts(centre)
        shutil.copy(second, usb)  # replaced while the preview stood open
        with pytest.raises(InputError, match="goi.zip đã thay đổi sau khi xem trước") as caught:
            import_packages(centre, [usb], conflicts="keep", previewed=seen)
        assert "Chưa ghi gì" in str(caught.value)
        assert _counts(centre) == before
        shutil.copy(first, usb)  # the package previewed is back: written as previewed
        batch = import_packages(centre, [usb], conflicts="keep", previewed=seen)
        assert batch.written and _counts(centre)[0] == before[0] + 1
    finally:
        for db in (one, two, centre):
            db.close()


def test_a_package_whose_dossiers_another_import_wrote_meanwhile_is_refused(tmp_path):
    """The clerk previewed a counter's package (all new); meanwhile the command line imported a
    second counter's package that gave the same codes to other citizens (the two PCs answered
    "the only PC" at their first start). "Nhập gói" then kept this PC's dossiers for conflicts
    the clerk never saw; now it is refused, nothing written, and says what moved."""
    one, two = office(tmp_path / "q1.db"), office(tmp_path / "q2.db")  # both slot 1 of 1
    receive(one, "Trần Thị Hoa")
    receive(two, "Lò Văn Sử")
    first, second = tmp_path / "q1.zip", tmp_path / "q2.zip"
    export_package(one, first, SINCE)
    export_package(two, second, SINCE)
    centre = open_database(tmp_path / "centre.db")
    try:
        seen = import_packages(centre, [first], dry_run=True)
        assert seen.combined().dossiers == {"new": 1}
        assert import_packages(centre, [second]).written  # the other window, the command line
        before = _counts(centre)
        with pytest.raises(InputError, match="đã thay đổi sau khi xem trước") as caught:
            import_packages(centre, [first], conflicts="keep", previewed=seen)
        assert "gói q1.zip: khi xem trước 0 hồ sơ xung đột, nay 1 (U1-251020-0001)" in str(caught.value)
        assert "Chưa ghi gì" in str(caught.value)
        assert _counts(centre) == before
        again = import_packages(centre, [first], dry_run=True)  # previewed again: as it now is
        assert import_packages(centre, [first], conflicts="keep", previewed=again).written
    finally:
        for db in (one, two, centre):
            db.close()


def test_packages_given_out_of_merge_order_are_checked_against_their_own_preview(tmp_path):
    """The operation merges in its own order (merge.merge_order), the clerk's list stays as
    given: the check before the commit compares each package with its own preview. Compared
    in the merge's order, the all-new package later in the list was charged with the other's
    conflict and a preview nobody changed was refused."""
    one, two = office(tmp_path / "q1.db"), office(tmp_path / "q2.db")  # both slot 1 of 1
    other = office(tmp_path / "q3.db", (2, 2))
    receive(one, "Trần Thị Hoa")
    receive(two, "Lò Văn Sử")
    receive(other, "Hà Thị Mai")
    clashing, fresh, first = tmp_path / "q1.zip", tmp_path / "q3.zip", tmp_path / "q2.zip"
    export_package(two, first, SINCE)
    export_package(other, fresh, SINCE)
    export_package(one, clashing, SINCE)
    made_later(clashing)  # merged after q3.zip, though listed before it
    assert in_merge_order([clashing, fresh]) == [fresh, clashing]
    centre = open_database(tmp_path / "centre.db")
    try:
        assert import_packages(centre, [first]).written
        seen = import_packages(centre, [clashing, fresh], dry_run=True)
        assert [r.conflict_count for r in seen.results] == [1, 0]
        batch = import_packages(centre, [clashing, fresh], conflicts="keep", previewed=seen)
        assert batch.written
        assert [r.conflict_count for r in batch.results] == [1, 0]  # listed as given
    finally:
        for db in (one, two, other, centre):
            db.close()
