"""The resolving unit of a provincial file that names it (MaDonViGiaiQuyet) without the
receiving unit (MaDonViTiepNhan), round 39 (review38): the two sides' resolving units were not
compared at all, so a pair the province counts for another unit left «Hồ sơ tiếp nhận» one
dossier apart with no word, or the note beside the counts sent the leader to the pair's
differences, of which none was listed. And the one rule of the unit a dossier counts at
(core.moment.counted_unit, the figures' COALESCE) for every place of the reconciliation."""
from __future__ import annotations

from core.reconcile import reconcile
from core.reconcile.matching import Item, counted_unit, unit_rule
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import write_csv

HEADER = PROVINCE_HEADER + ["MaDonViGiaiQuyet"]
RESOLVING = HEADER.index("MaDonViGiaiQuyet")
NAMED = ("UBND xã Tân Đoàn (XTD)", "UBND xã Văn Quan (XVQ)")


def _resolving_only(tmp_path, **units: str):
    """The file naming each row's resolving unit, its code's unit unless `units` (by code)
    says otherwise, and no receiving unit."""
    rows = [r + [units.get(r[0], r[0].split("-")[0])] for r in province_rows()]
    return write_csv(tmp_path / "tinh.csv", HEADER, rows)


def _received(result) -> tuple[int, int]:
    row = next(r for r in result.indicators if r.key == "received.total")
    return row.cells[0].num, row.cells[1].num


def test_a_resolving_unit_named_alone_is_compared_and_named(office, tmp_path):  # noqa: F811
    """XTD-250102-0001, XTD's in MotCua, is XVQ's to resolve on the province: reconciling XTD
    lists the difference with both units' names, and says beside the counts why MotCua's
    «Hồ sơ tiếp nhận» holds one more (before: not compared, not said)."""
    source = _resolving_only(tmp_path, **{"XTD-250102-0001": "XVQ"})
    result = reconcile(office, source, FIRST, LAST, unit="XTD")
    found = {(d.pair.ours.code, d.field): (d.ours, d.theirs) for d in result.differences}
    assert found[("XTD-250102-0001", "Đơn vị giải quyết")] == NAMED
    # the file names no receiving unit: the one read from the code is not compared
    assert not [d for d in result.differences if d.field == "Đơn vị tiếp nhận"]
    assert (result.paired_resolved_by_other, result.paired_resolved_elsewhere) == (1, 0)
    mine, province = _received(result)
    only_ours = sum(1 for i in result.only_ours if counted_unit(i) == "XTD")
    only_theirs = sum(1 for i in result.only_theirs if counted_unit(i) == "XTD")
    # every dossier of the difference explained: section II, section III and the pair
    assert mine - province == only_ours - only_theirs + result.paired_resolved_by_other
    note = result.outside_pairs_note()
    assert note == (
        "1 hồ sơ đã ghép với dòng của tệp ghi đơn vị giải quyết khác: MotCua tính hồ sơ này vào "
        "đơn vị đã chọn, hệ thống tỉnh tính cho đơn vị giải quyết mà tệp ghi, nên số liệu của "
        "MotCua ở đây có hồ sơ này, số liệu của hệ thống tỉnh không có (xem các nội dung khác "
        "nhau của hồ sơ đó).")
    assert result.warnings[0] == note


def test_the_other_unit_sees_the_difference_its_note_points_at(office, tmp_path):  # noqa: F811
    """The same file reconciled for XVQ: the province counts XTD-250102-0001 there, MotCua at
    XTD; the note said "xem các nội dung khác nhau của hồ sơ đó" of a pair whose differences
    held nothing of its units (before: «Khác nhau» without it)."""
    source = _resolving_only(tmp_path, **{"XTD-250102-0001": "XVQ"})
    result = reconcile(office, source, FIRST, LAST, unit="XVQ")
    assert (result.paired_resolved_elsewhere, result.paired_resolved_by_other) == (1, 0)
    found = {(d.pair.ours.code, d.field): (d.ours, d.theirs) for d in result.differences}
    assert found[("XTD-250102-0001", "Đơn vị giải quyết")] == NAMED
    note = result.outside_pairs_note() or ""
    assert note.endswith("(hai bên ghi đơn vị giải quyết khác nhau: xem các nội dung khác "
                         "nhau của hồ sơ đó).")
    mine, province = _received(result)
    only_theirs = sum(1 for i in result.only_theirs if counted_unit(i) == "XVQ")
    assert province - mine == result.paired_resolved_elsewhere + only_theirs


def test_the_same_resolving_unit_is_no_difference(office, tmp_path):  # noqa: F811
    """Every row's resolving unit as MotCua's: nothing of units differs, no note."""
    result = reconcile(office, _resolving_only(tmp_path), FIRST, LAST, unit="XTD")
    assert not [d for d in result.differences if d.field.startswith("Đơn vị")]
    assert (result.paired_resolved_by_other, result.paired_resolved_elsewhere) == (0, 0)
    assert result.outside_pairs_note() is None


def test_an_empty_resolving_cell_counts_where_the_figures_count_it(office, tmp_path):  # noqa: F811
    """An empty MaDonViGiaiQuyet cell (spec 7: empty = the receiving unit) is stored as no
    competent unit, not '' (core.transfer.cells.text): the province's figures count the row at
    the unit the import gave it (here its code's, the file naming no receiving unit), and the
    reconciliation, comparing and counting by the same rule, sees no difference of unit and no
    pair counted apart. Both units' reconciliations count the row as their figures do."""
    source = _resolving_only(tmp_path, **{"XTD-250102-0001": "", "XVQ-250107-0001": "  "})
    for unit in ("XTD", "XVQ"):
        result = reconcile(office, source, FIRST, LAST, unit=unit)
        empty = [p for p in result.pairs if p.theirs.code in ("XTD-250102-0001",
                                                               "XVQ-250107-0001")]
        assert [p.theirs.competent for p in empty] == [None]
        assert counted_unit(empty[0].theirs) == unit
        assert not [d for d in result.differences if d.field.startswith("Đơn vị")]
        assert (result.paired_outside, result.paired_resolved_elsewhere,
                result.paired_resolved_by_other) == (0, 0, 0)
        mine, province = _received(result)
        only_ours = sum(1 for i in result.only_ours if counted_unit(i) == unit)
        only_theirs = sum(1 for i in result.only_theirs if counted_unit(i) == unit)
        assert mine - province == only_ours - only_theirs


def test_every_place_takes_the_counted_unit_by_one_rule():
    """Matching's unit and the difference of resolving units read the unit a dossier counts
    at as the figures' SQL does (COALESCE: only a missing competent unit gives way): they
    were written `competent or unit`, the notes' counts `competent is None`."""
    rule = unit_rule({"competent_unit_code"}, {})
    for competent in (None, "", "XVQ"):
        item = Item(1, "XTD-250102-0001", "1.001612", "An", "online", "2025-01-02 08:00:00",
                    "done", None, None, "XTD", competent, None, 0, False)
        assert rule.ours(item) == rule.theirs(item) == counted_unit(item)
    assert counted_unit(Item(1, "X", "p", "An", "online", "2025-01-02 08:00:00", "done", None,
                             None, "XTD", None, None, 0, False)) == "XTD"
