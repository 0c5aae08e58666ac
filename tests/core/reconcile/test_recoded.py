"""Issue 16 §3: a dossier re-coded at an exchange import (two PCs gave its code to another
citizen's dossier too) is the province's dossier of its sender's code when that one is its
citizen's: matched, the new code named as a difference, never listed as missing."""
import datetime as dt

import pytest

from core.exchange import recode
from core.exchange.merge import import_packages
from core.reconcile.matching import Item, differences, load_items, match
from tests.core.exchange.test_keep_both import two_pcs_in_one_slot

TOLERANCE = dt.timedelta(minutes=30)
AT = "2025-10-20 08:00:00"


def item(code: str, applicant: str, original: str | None = None) -> Item:
    return Item(0, code, "P.WD2", applicant, "direct", AT, "received", None, None, "TT", None,
                None, 0, False, original=original)


def test_the_province_holding_it_under_its_senders_code_is_a_match():
    ours = [item("TT-1", "Người A"), item("TT-3", "Người B", original="TT-1")]
    found = match(ours, [item("TT-1", "Người B")], TOLERANCE)
    assert [(p.ours.code, p.theirs.code, p.by_code) for p in found.pairs] == [
        ("TT-3", "TT-1", True)]
    assert [i.code for i in found.only_ours] == ["TT-1"]  # A's is the one the province lacks
    (said,) = differences(found.pairs, False, False)
    assert (said.field, said.ours, said.theirs) == ("Mã hồ sơ", "TT-3", "TT-1")


def test_the_province_holding_the_other_citizens_dossier_keeps_the_plain_match():
    ours = [item("TT-1", "Người A"), item("TT-3", "Người B", original="TT-1")]
    found = match(ours, [item("TT-1", "Người A")], TOLERANCE)
    assert [(p.ours.code, p.theirs.code) for p in found.pairs] == [("TT-1", "TT-1")]
    assert [i.code for i in found.only_ours] == ["TT-3"]
    assert not differences(found.pairs, False, False)


@pytest.mark.slot_unconfirmed
def test_our_dossiers_carry_their_senders_code(tmp_path, monkeypatch):
    from core import timefmt
    from tests.core.exchange.conftest import NOW
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    import_packages(centre, [package_b], clashes=recode.BOTH)
    items = {i.code: i.original for i in load_items(centre, dt.date(2025, 10, 1),
                                                    dt.date(2025, 10, 31), None)}
    assert items == {"TT-251020-0001": None, "TT-251020-0002": None,
                     "TT-251020-0003": "TT-251020-0001", "TT-251020-0004": "TT-251020-0002"}
    for db in (a, b, centre):
        db.close()


@pytest.mark.slot_unconfirmed
def test_the_national_export_carries_the_code_here_and_reconciles_with_itself(tmp_path,
                                                                               monkeypatch):
    """Round 20's decision (docs/import-export.md, "Hồ sơ đổi mã khi xuất theo mẫu quốc gia"):
    `export dossiers --profile national` writes a re-coded dossier under its code HERE, never
    its sender's: the sender's code is another citizen's here (two rows of one MaHoSo, the
    file no longer imports back, the province's dossier of that code overwritten by the wrong
    citizen); whether the province holds it under the sender's code is reconciliation's to
    say, and it does (the pairs above). The file reconciled against the same dossiers: every
    one matched by its code, nothing missing, no code differing."""
    import csv

    from core import timefmt
    from core.privacy import masking
    from core.reconcile import reconcile
    from core.transfer.profile_export import export_profile
    from core.transfer.profiles import get_profile
    from tests.core.exchange.conftest import NOW
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    a, b, centre, package_b = two_pcs_in_one_slot(tmp_path)
    import_packages(centre, [package_b], clashes=recode.BOTH)
    national = get_profile(centre, "national")
    out = tmp_path / "tinh.csv"
    assert export_profile(centre, out, national, full=masking.full_data("nhập lên tỉnh")) == 4
    with out.open(encoding="utf-8-sig") as handle:
        codes = [row["MaHoSo"] for row in csv.DictReader(handle)]
    assert sorted(codes) == ["TT-251020-0001", "TT-251020-0002", "TT-251020-0003",
                             "TT-251020-0004"]
    result = reconcile(centre, out, dt.date(2025, 10, 1), dt.date(2025, 10, 31),
                       profile=national)
    assert sorted((p.ours.code, p.theirs.code, p.by_code) for p in result.pairs) == [
        (code, code, True) for code in sorted(codes)]
    assert not result.only_ours and not result.only_theirs
    assert not [d for d in result.differences if d.field == "Mã hồ sơ"]
    for db in (a, b, centre):
        db.close()
