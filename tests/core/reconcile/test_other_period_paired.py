"""A provincial file of another period whose rows carry MotCua's codes (round 31, a clerk's
walk): the file of November a year back, chosen for this November. Its rows are matched by code
(the province has these dossiers: entered again, they would be twice there), yet the window said
in red "Không dòng nào … thuộc kỳ" above "Khớp 28 hồ sơ", and a leader did not know which to
trust. The province scores by its own reception dates: the pairs are said to be counted by the
province outside the period, each with its reception as a difference, and never "no row"."""
from __future__ import annotations

import datetime as dt

from core.reconcile import reconcile
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import write_csv

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
