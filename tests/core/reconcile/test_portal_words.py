"""A reconciliation against a provincial file that writes statuses and channels as the portal's
words and times as dd/MM/yyyy HH:mm:ss gives what the same file with the codes gives. On the code
before this change the words file was refused ('Được tiếp nhận', 'Bưu chính công ích', 'Mới đăng
ký' … không thuộc danh sách) and nothing was compared."""
from __future__ import annotations

import datetime as dt

import pytest

from core.reconcile import reconcile
from core.transfer import import_file
from core.transfer.portal_cells import PORTAL_CHANNEL_WORDS, PORTAL_STATUS_WORDS
from tests.core.reconcile.test_reconcile import (
    FIRST,
    LAST,
    PROVINCE_HEADER,
    ours_rows,
    province_rows,
)
from tests.core.transfer.conftest import DOSSIERS_HEADER, write_csv, write_xlsx

TIMES = ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra")


@pytest.fixture
def office(catalog, tmp_path):
    """MotCua's dossiers of test_reconcile."""
    assert import_file(catalog, "dossiers",
                       write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, ours_rows())).ok
    return catalog


def with_codes() -> list[list]:
    """The province's rows, a channel of each kind, a dossier waiting for the fee (6 is
    processing for MotCua) and the two statuses that are not received dossiers."""
    rows = province_rows()
    status, channel = PROVINCE_HEADER.index("TrangThaiHoSo"), PROVINCE_HEADER.index("KenhThucHien")
    rows[1][channel] = "3"
    rows[4][status] = "6"
    for number, code in enumerate(("1", "3", "1")):
        extra = list(rows[0])
        extra[0], extra[status] = f"XTD-250109-{number:04d}", code
        rows.append(extra)
    return rows


def in_words(rows: list[list]) -> list[list]:
    """The same rows as a vendor writes them: the portal's words, upper case for some, and
    dd/MM/yyyy HH:mm:ss times."""
    status, channel = PROVINCE_HEADER.index("TrangThaiHoSo"), PROVINCE_HEADER.index("KenhThucHien")
    worded = []
    for number, row in enumerate(rows):
        row = list(row)
        row[status] = PORTAL_STATUS_WORDS[row[status]][0]
        row[channel] = PORTAL_CHANNEL_WORDS[row[channel]][0]
        if number % 2:
            row[status], row[channel] = row[status].upper(), row[channel].upper()
        for name in TIMES:
            at = PROVINCE_HEADER.index(name)
            if len(row[at]) == 14:
                row[at] = dt.datetime.strptime(row[at], "%Y%m%d%H%M%S").strftime(
                    "%d/%m/%Y %H:%M:%S")
        worded.append(row)
    return worded


def outcome(result) -> tuple:
    return (sorted((p.ours.code, p.theirs.code, p.how) for p in result.pairs),
            [i.code for i in result.only_ours], [i.code for i in result.only_theirs],
            sorted((d.pair.ours.code, d.field, d.ours, d.theirs) for d in result.differences),
            [(r.name, r.texts) for r in result.indicators], result.warnings, result.outside)


def test_a_words_file_reconciles_as_its_codes_file(office, tmp_path):
    rows = with_codes()
    codes = reconcile(office, write_xlsx(tmp_path / "ma.xlsx", PROVINCE_HEADER, rows), FIRST,
                      LAST)
    words = reconcile(office, write_xlsx(tmp_path / "chu.xlsx", PROVINCE_HEADER, in_words(rows)),
                      FIRST, LAST)
    assert codes.ok and words.ok, words.errors[:3]
    assert outcome(words) == outcome(codes)
    assert len(codes.pairs) == 4 and [i.code for i in codes.only_theirs] == ["XTD-250108-0009"]
    assert codes.warnings == [
        "Bỏ qua 2 dòng trạng thái 1 (Mới đăng ký): hồ sơ chưa được tiếp nhận.",
        "Bỏ qua 1 dòng trạng thái 3 (Không được tiếp nhận): hồ sơ chưa được tiếp nhận."]
    found = {(d.pair.ours.code, d.field): d.theirs for d in words.differences}
    assert found[("XTD-250106-0001", "Kênh")] == "Bưu chính"
