"""A provincial file of another period whose rows carry MotCua's codes (round 31, a clerk's
walk): the file of November a year back, chosen for this November. Its rows are matched by code
(the province has these dossiers: entered again, they would be twice there), yet the window said
in red "Không dòng nào … thuộc kỳ" above "Khớp 28 hồ sơ", and a leader did not know which to
trust. The province scores by its own reception dates: the pairs are said to be counted by the
province outside the period, each with its reception as a difference, and never "no row"."""
from __future__ import annotations

import datetime as dt

from core.reconcile import reconcile
from core.transfer import import_file
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

RECEIVED = PROVINCE_HEADER.index("NgayTiepNhan")


def _year_back(rows: list[list]) -> list[list]:
    for row in rows:
        for column in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
            at = PROVINCE_HEADER.index(column)
            value = row[at]
            if value.startswith("2025"):
                row[at] = "2024" + value[4:]
            elif value[6:10] == "2025":
                row[at] = value[:6] + "2024" + value[10:]
    return rows


def test_a_file_of_the_year_before_is_paired_and_said_so(office, tmp_path):  # noqa: F811
    source = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, _year_back(province_rows()))
    result = reconcile(office, source, FIRST, LAST)
    by_code = [p for p in result.pairs if p.by_code]
    assert by_code and result.outside == result.file_rows - result.unread_rows
    assert result.paired_outside == len(by_code)
    warning = result.scope_warning()
    assert warning and not warning.startswith("Không dòng nào"), warning
    assert f"{len(by_code)} dòng trong số đó cùng mã với hồ sơ của MotCua" in warning
    assert "không tính dòng nào vào kỳ này" in warning
    assert result.warnings[0] == warning
    assert sum("ghép theo mã" in w for w in result.warnings) == 1  # said once
    received = {d.pair.ours.code for d in result.differences if d.field == "Tiếp nhận"}
    assert received == {p.ours.code for p in by_code}


def test_one_row_entered_the_next_month_is_said_beside_the_counts(office, tmp_path):  # noqa: F811
    rows = province_rows()
    rows[0][RECEIVED] = "20250201080000"  # entered on the province on 1 February
    rows[0][PROVINCE_HEADER.index("NgayKetThucXuLy")] = "20250203100000"
    rows[0][PROVINCE_HEADER.index("NgayTra")] = "20250203150000"
    result = reconcile(office, write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows),
                       FIRST, LAST)
    assert result.scope_warning() is None and result.paired_outside == 1
    assert result.warnings[0].startswith("1 hồ sơ đã ghép theo mã với dòng của tệp")
    within = reconcile(office, write_csv(tmp_path / "t2.csv", PROVINCE_HEADER, province_rows()),
                       dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert within.paired_outside == 0 and not any("đã ghép theo mã" in w for w in within.warnings)


def _with_units(rows: list[list]) -> tuple[list[str], list[list]]:
    """The file with its receiving unit's column; XTD-250106-0001 held by XVQ on the province."""
    header = PROVINCE_HEADER + ["MaDonViTiepNhan"]
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ"] for r in rows]
    rows[1][header.index("MaDonViTiepNhan")] = "XVQ"
    return header, rows


def test_a_row_of_the_period_held_by_another_unit_is_said_of_the_unit(office, tmp_path):  # noqa: F811
    """Review 31e: one row of the period the province holds under XVQ, matched by code for XTD
    (--unit XTD), was said "dòng của tệp có ngày tiếp nhận hoặc đơn vị ngoài kỳ, đơn vị đã
    chọn … các hồ sơ này": its reception is in the period, and it is one dossier."""
    header, rows = _with_units(province_rows())
    result = reconcile(office, write_csv(tmp_path / "u.csv", header, rows), FIRST, LAST,
                       unit="XTD")
    assert result.scope_warning() is None
    assert (result.paired_outside, result.paired_other_unit) == (1, 1)
    note = result.outside_pairs_note()
    assert note == ("1 hồ sơ đã ghép theo mã với dòng của tệp thuộc đơn vị khác: hệ thống tỉnh "
                    "đã có hồ sơ này (không nhập lại) nhưng chấm điểm theo ngày tiếp nhận và đơn "
                    "vị của mình, nên không tính vào kỳ và đơn vị đã chọn (xem các nội dung khác "
                    "nhau của hồ sơ đó).")
    assert result.warnings[0] == note


def test_a_file_of_the_year_before_says_the_reception_dates_differ(office, tmp_path):  # noqa: F811
    """Every row outside the period, paired by code: what differs is said plainly, the
    reception date of the two sides (not "ở danh sách hồ sơ khác nhau", read as "the lists
    differ"), and of one pair "hồ sơ này", not "các hồ sơ này"."""
    header, rows = _with_units(_year_back(province_rows()))
    result = reconcile(office, write_csv(tmp_path / "b.csv", header, rows), FIRST, LAST,
                       unit="XTD")
    assert (result.paired_outside, result.paired_other_unit) == (2, 0)
    assert ("2 dòng trong số đó cùng mã với hồ sơ của MotCua trong kỳ nên đã được ghép theo mã "
            "(hệ thống tỉnh đã có các hồ sơ này, không nhập lại; ngày tiếp nhận của hai bên "
            "khác nhau, xem mục hồ sơ khác nhau).") in (result.scope_warning() or "")
    rows = _year_back(province_rows())[:1]
    one = reconcile(office, write_csv(tmp_path / "o.csv", PROVINCE_HEADER, rows), FIRST, LAST)
    assert one.paired_outside == 1
    assert "(hệ thống tỉnh đã có hồ sơ này, không nhập lại;" in (one.scope_warning() or "")


def test_a_pair_held_at_the_receiving_unit_by_a_file_without_the_resolving_one(
        office, tmp_path):  # noqa: F811
    """Walk38: XVQ's desk received a dossier that XTD resolves; the vendor's file names only
    the receiving unit, so the province's side counts it for XVQ. Reconciling XTD, the note sent
    the leader to "các nội dung khác nhau" of pairs that differ in nothing (the receiving unit
    is the same on both sides), under "Khác nhau (0)": it says why instead."""
    header = DOSSIERS_HEADER + ["competent_unit_code"]
    ours = [dossier_row("XTD-250109-0001", unit_code="XVQ", received_at="2025-01-09 08:00",
                        finished_at="2025-01-10 10:00", returned_at="2025-01-10 15:00")
            + ["XTD"]]
    assert import_file(office, "dossiers", write_csv(tmp_path / "c.csv", header, ours)).ok
    header, rows = _with_units(province_rows())
    rows.append(rows[0][:])
    for column, value in (("MaHoSo", "XTD-250109-0001"), ("NgayTiepNhan", "20250109080000"),
                          ("NgayKetThucXuLy", "20250110100000"), ("NgayTra", "20250110150000"),
                          ("MaDonViTiepNhan", "XVQ")):
        rows[-1][header.index(column)] = value
    result = reconcile(office, write_csv(tmp_path / "r.csv", header, rows), FIRST, LAST,
                       unit="XTD")
    assert (result.paired_outside, result.paired_other_unit) == (2, 2)
    differing = {d.pair.ours.code for d in result.differences}
    assert "XTD-250109-0001" not in differing
    note = result.outside_pairs_note() or ""
    assert "xem các nội dung khác nhau" in note  # XTD-250106-0001 differs (its status)
    alone = [r for r in rows if r[0] in ("XTD-250109-0001", "XTD-250102-0001")]
    result = reconcile(office, write_csv(tmp_path / "a.csv", header, alone), FIRST, LAST,
                       unit="XTD")
    assert (result.paired_outside, result.paired_other_unit) == (1, 1)
    assert not result.differences
    assert result.outside_pairs_note() == (
        "1 hồ sơ đã ghép theo mã với dòng của tệp thuộc đơn vị khác: hệ thống tỉnh đã có hồ sơ "
        "này (không nhập lại) nhưng chấm điểm theo ngày tiếp nhận và đơn vị của mình, nên không "
        "tính vào kỳ và đơn vị đã chọn (tệp không có cột Mã đơn vị giải quyết: hồ sơ này được "
        "tính cho đơn vị tiếp nhận mà tệp ghi, còn MotCua tính cho đơn vị giải quyết).")


def test_a_pair_received_here_for_another_unit_is_said_beside_the_counts(
        office, tmp_path):  # noqa: F811
    """Walk38, the other way round: reconciling XVQ, whose desk received a dossier XTD
    resolves, a file naming only the receiving unit has the province count it for XVQ while
    MotCua counts it for XTD: «Hồ sơ tiếp nhận» differed by one dossier no note explained."""
    header = DOSSIERS_HEADER + ["competent_unit_code"]
    ours = [dossier_row("XTD-250109-0001", unit_code="XVQ", received_at="2025-01-09 08:00",
                        finished_at="2025-01-10 10:00", returned_at="2025-01-10 15:00")
            + ["XTD"]]
    assert import_file(office, "dossiers", write_csv(tmp_path / "c.csv", header, ours)).ok
    header, rows = _with_units(province_rows())
    rows.append(rows[0][:])
    for column, value in (("MaHoSo", "XTD-250109-0001"), ("NgayTiepNhan", "20250109080000"),
                          ("NgayKetThucXuLy", "20250110100000"), ("NgayTra", "20250110150000"),
                          ("MaDonViTiepNhan", "XVQ")):
        rows[-1][header.index(column)] = value
    result = reconcile(office, write_csv(tmp_path / "r.csv", header, rows), FIRST, LAST,
                       unit="XVQ")
    assert result.paired_resolved_elsewhere == 2
    received = next(r for r in result.indicators if r.name.startswith("Hồ sơ tiếp nhận"))
    mine, province = received.cells[0].num, received.cells[1].num
    # every difference of the count explained: the dossier received here for XTD, and
    # XTD-250106-0001, XTD's own, which the file holds under XVQ
    assert province - mine == result.paired_resolved_elsewhere == 2
    note = result.outside_pairs_note()
    assert note == (
        "2 hồ sơ đã ghép với dòng của tệp được hệ thống tỉnh tính vào đơn vị đã chọn nhưng "
        "MotCua tính cho đơn vị giải quyết khác: số liệu của hệ thống tỉnh ở đây có các hồ sơ "
        "này, số liệu của MotCua không có (tệp không có cột Mã đơn vị giải quyết: hệ thống tỉnh "
        "tính các hồ sơ này cho đơn vị tiếp nhận mà tệp ghi).")
    assert result.warnings[0] == note
