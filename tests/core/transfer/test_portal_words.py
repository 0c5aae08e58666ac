"""Dossier files of the provincial one-stop systems (VNPT iGate, Viettel, …) that write the
national portal's statuses and channels as words ("Được tiếp nhận", "Bưu chính công ích") in
place of the codes: read as the codes, in any case, with or without diacritics.

Every test here fails on the code before this change: the words the portal's list does not share
with MotCua's ("Được tiếp nhận", "Yêu cầu bổ sung giấy tờ", "Bưu chính công ích", "Mới đăng ký", …)
were refused with MotCua's own list ('không thuộc danh sách: received (Đã tiếp nhận), …').
"""
from __future__ import annotations

import unicodedata

import pytest

from core.transfer.mapped import import_mapped
from core.transfer.portal_cells import PORTAL_CHANNEL_WORDS, PORTAL_STATUS_WORDS
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.transfer.conftest import count, write_csv, write_xlsx
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national

# What each portal code becomes in MotCua (6, waiting for the fee, is still processing).
STATUS = {"2": "received", "4": "processing", "5": "supplement", "6": "processing",
          "7": "withdrawn", "8": "stopped", "9": "done", "10": "returned"}
CHANNEL = {"1": "direct", "2": "online", "3": "postal"}
OPEN = ("2", "4", "5", "6")  # not finished: no end or return time


def plain(word: str) -> str:
    """The word typed without diacritics, as some exports have it ("Duoc tiep nhan")."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


SPELLINGS = {"as written": lambda w: w, "upper case": str.upper,
             "no diacritics, extra spaces": lambda w: "  " + plain(w).replace(" ", "   ") + " "}


def ends(code: str) -> dict:
    """An open dossier has no end or return time; a withdrawn, stopped or done one no return."""
    if code in OPEN:
        return {"NgayKetThucXuLy": "", "NgayTra": ""}
    finished = {"NgayKetThucXuLy": "03/01/2025 10:00:00"}
    return finished | ({"NgayTra": "03/01/2025 15:00:00"} if code == "10" else {"NgayTra": ""})


CHANNEL_WORDS = [(code, word) for code, words in PORTAL_CHANNEL_WORDS.items() for word in words]


def status_rows(spell) -> list[tuple[str, str, list]]:
    """One row per status word the import keeps, with each channel word in turn."""
    rows = []
    for number, code in enumerate(STATUS, start=1):
        channel, channel_word = CHANNEL_WORDS[number % len(CHANNEL_WORDS)]
        rows.append((code, channel, national(
            f"XTD-250102-{number:04d}", TrangThaiHoSo=spell(PORTAL_STATUS_WORDS[code][0]),
            KenhThucHien=spell(channel_word), NgayTiepNhan="02/01/2025 08:00:00", **ends(code))))
    return rows


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_portal_word_is_read_as_its_code(catalog, tmp_path, spelling):
    rows = status_rows(SPELLINGS[spelling])
    assert len(CHANNEL_WORDS) == 4 and len(rows) > len(CHANNEL_WORDS)  # each channel word used
    path = write_xlsx(tmp_path / "igate.xlsx", NATIONAL_HEADER, [row for _, _, row in rows])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert result.ok, result.errors[:3]
    assert result.added == len(STATUS) and not result.warnings
    stored = dict(catalog.execute("SELECT code, status || '/' || channel FROM dossiers"))
    assert stored == {row[0]: f"{STATUS[status]}/{CHANNEL[channel]}"
                      for status, channel, row in rows}


def test_the_statuses_left_out_are_counted_alike_as_code_or_word(catalog, tmp_path):
    cells = ["1", "MỚI ĐĂNG KÝ", " moi  dang ky ", "3", "Không được tiếp nhận",
             "KHONG DUOC TIEP NHAN", "3.0"]
    rows = [national(f"XTD-250102-{n:04d}", TrangThaiHoSo=c) for n, c in enumerate(cells, 1)]
    rows.append(national("XTD-250102-0099", TrangThaiHoSo="ĐÃ TRẢ KẾT QUẢ",
                         KenhThucHien="buu chinh cong ich"))
    path = write_csv(tmp_path / "viettel.csv", NATIONAL_HEADER, rows)
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert result.ok and result.added == 1 and count(catalog, "dossiers") == 1
    assert result.warnings == [
        "Bỏ qua 3 dòng trạng thái 1 (Mới đăng ký): hồ sơ chưa được tiếp nhận.",
        "Bỏ qua 4 dòng trạng thái 3 (Không được tiếp nhận): hồ sơ chưa được tiếp nhận."]


@pytest.mark.parametrize("column, value, listed", [
    ("TrangThaiHoSo", "Đã hủy", ["2 (Được tiếp nhận)", "5 (Yêu cầu bổ sung giấy tờ)",
                                 "6 (Yêu cầu thực hiện nghĩa vụ tài chính)",
                                 "7 (Công dân yêu cầu rút hồ sơ)", "10 (Đã trả kết quả)",
                                 "1 (Mới đăng ký), 3 (Không được tiếp nhận): bỏ qua",
                                 "hoặc chữ của MotCua: Đã tiếp nhận, Chờ bổ sung"]),
    ("KenhThucHien", "Qua mạng", ["1 (Trực tiếp), 2 (Trực tuyến), 3 (Bưu chính công ích, "
                                  "Bưu chính)"])])
def test_an_unknown_word_is_refused_with_the_codes_and_words(catalog, tmp_path, column, value,
                                                             listed):
    path = write_xlsx(tmp_path / "igate.xlsx", NATIONAL_HEADER,
                      [national(), national("XTD-250102-0002", **{column: value})])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert not result.ok and count(catalog, "dossiers") == 0
    (error,) = result.errors
    assert error.row == 3 and error.value == value
    assert error.reason.startswith("không phải mã hay chữ của Cổng DVC quốc gia; các mã và chữ "
                                   "đúng: ")
    for words in listed:
        assert words in error.reason


@pytest.mark.parametrize("column, value", [
    ("TrangThaiHoSo", "9" * 5000),   # int() of more than 4,300 digits raised: a crash report
    ("TrangThaiHoSo", "٢"),          # an Arabic-Indic 2 was read as the code 2
    ("KenhThucHien", "２"),          # a full-width 2 made a direct dossier online
])
def test_a_code_of_other_digits_is_refused_by_row_and_column(catalog, tmp_path, column, value):
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER,
                     [national(), national("XTD-250102-0002", **{column: value})])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert not result.ok and count(catalog, "dossiers") == 0
    (error,) = result.errors
    assert error.row == 3 and error.column.startswith(column)
    assert error.reason.startswith("không phải mã của Cổng DVC quốc gia")


def test_codes_with_leading_zeros_or_a_zero_fraction_are_still_read(catalog, tmp_path):
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER,
                     [national(TrangThaiHoSo="010", KenhThucHien="2,0")])
    assert import_mapped(catalog, path, NATIONAL_PROFILE).ok
    assert catalog.execute("SELECT status, channel FROM dossiers").fetchone() == ("returned",
                                                                                  "online")


@pytest.mark.parametrize("value, words", [
    ("20261301120000", "không có tháng 13 (tháng từ 1 đến 12) (dạng yyyyMMddHHmmss của Cổng "
                       "DVC quốc gia: năm 2026, tháng 13, ngày 01"),
    ("20250229", "ngày 29 không có trong tháng 2/2025 (tháng 2/2025 chỉ có 28 ngày)"),
    ("0", "số ngày kiểu Excel có 5 chữ số"),
    ("-5", "yyyyMMddHHmmss (ví dụ 20261015083000), DD/MM/YYYY HH:MM"),
    ("2958466", "số ngày kiểu Excel có 5 chữ số"),
])
def test_a_number_that_is_no_time_is_refused_naming_the_portals_forms(catalog, tmp_path, value,
                                                                      words):
    """'20261301120000' was refused as 'not YYYY-MM-DD or DD/MM/YYYY': the portal's own form,
    which the file does use, went unnamed."""
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER, [national(NgayTiepNhan=value)])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert not result.ok and count(catalog, "dossiers") == 0
    (error,) = [e for e in result.errors if e.column.startswith("NgayTiepNhan")]
    assert error.row == 2 and error.value == value
    assert words in error.reason and "YYYY-MM-DD hoặc DD/MM/YYYY" not in error.reason


@pytest.mark.parametrize("column", ["TrangThaiHoSo", "KenhThucHien"])
def test_a_long_run_of_zeros_is_refused_at_once(catalog, tmp_path, column):
    """A cell of 20,000 zeros and a letter took 11 s to be read as no code (every split of the
    zeros tried; a 32,767-character cell 30 s, a province's file of them hours, break34)."""
    import time
    path = write_csv(tmp_path / "tinh.csv", NATIONAL_HEADER,
                     [national(), national("XTD-250102-0002", **{column: "0" * 20_000 + "x"})])
    began = time.perf_counter()
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert time.perf_counter() - began < 2
    assert not result.ok and count(catalog, "dossiers") == 0
    (error,) = result.errors
    assert error.row == 3 and error.column.startswith(column)
