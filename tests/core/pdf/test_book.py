"""The dossier register (Sổ theo dõi hồ sơ, Mẫu 07) on A4 landscape."""
from __future__ import annotations

import datetime as dt
import os
import re
import sys

import pytest

from core import facts
from core.pdf.book import build_book, gather, save_book
from db.connection import transaction
from tests.core.pdf import sample
from tests.pdfread import page_sizes, page_texts, pdf_fonts, pdf_text, render_pages


def numbers_and_codes(text: str) -> list[tuple[int, str]]:
    return [(int(n), c) for n, c in re.findall(r"^\s*(\d+)\s+([A-Z]\d\d-\d{6}-\d{4})", text,
                                               re.MULTILINE)]


def test_numbers_restart_at_one_each_year_and_continue_inside_a_year(db, write_pdf):
    sample.catalogue_only(db)
    for i, day in enumerate((dt.date(2025, 12, 29), dt.date(2025, 12, 30), dt.date(2026, 1, 2),
                             dt.date(2026, 1, 5), dt.date(2026, 1, 6))):
        sample.add_dossier(db, f"X01-{day:%y%m%d}-{i:04d}", "X01",
                           dt.datetime.combine(day, dt.time(9)))
    sample.add_dossier(db, "X02-260105-0001", "X02", dt.datetime(2026, 1, 5, 8))
    whole = pdf_text(write_pdf(build_book(db, dt.date(2025, 12, 30), dt.date(2026, 1, 31),
                                          unit="X01"), "a.pdf"), layout=True)
    assert numbers_and_codes(whole) == [(2, "X01-251230-0001"), (1, "X01-260102-0002"),
                                        (2, "X01-260105-0003"), (3, "X01-260106-0004")]
    later = pdf_text(write_pdf(build_book(db, dt.date(2026, 1, 5), dt.date(2026, 1, 31)),
                               "b.pdf"), layout=True)
    # Whole office: X02's dossier at 08:00 on 5/1 comes before X01's at 09:00.
    assert numbers_and_codes(later) == [(2, "X02-260105-0001"), (3, "X01-260105-0003"),
                                        (4, "X01-260106-0004")]


def test_register_is_a4_landscape_with_the_mau_07_columns_on_every_page(sample_db, write_pdf,
                                                                         tmp_path):
    path = write_pdf(build_book(sample_db, dt.date(2026, 9, 1), dt.date(2026, 10, 31)))
    sizes = page_sizes(path)
    assert len(sizes) > 2
    assert all(abs(w - 841.89) < 1 and abs(h - 595.276) < 1 for w, h in sizes)
    pages = [" ".join(page.split()) for page in pdf_text(path).split("\f")[:-1]]
    text = " ".join(pdf_text(path).split())  # cells wrap; compare words, not line breaks
    for line in ("ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN", "BỘ PHẬN MỘT CỬA", "SỔ THEO DÕI HỒ SƠ",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Từ ngày 01/09/2026 đến ngày 31/10/2026", "UBND xã Văn An", "Phòng Tư pháp"):
        assert line in text, line
    for heading in ("STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên tổ chức, cá nhân",
                    "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận và trả kết quả",
                    "Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả", "Phương thức nhận kết quả",
                    "Ký nhận", "Ghi chú", "(12)"):
        assert all(heading in page for page in pages), heading
    count = sample_db.execute("SELECT COUNT(*) FROM dossiers WHERE received_at >= '2026-09-01' "
                              "AND received_at < '2026-11-01'").fetchone()[0]
    assert f"Số hồ sơ trong sổ: {count}." in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))
    assert len(render_pages(path, tmp_path)) == len(sizes)


def test_an_empty_period_says_there_is_nothing(db, write_pdf):
    sample.catalogue_only(db)
    text = pdf_text(write_pdf(build_book(db, dt.date(2026, 1, 1), dt.date(2026, 1, 31))))
    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này." in text


# ----- Mẫu 07: how the result is received, the code whole, the competent unit ----------------
LONG = "000.22.27.H37"  # a real electronic identifier: the code is 25 characters long


@pytest.fixture
def two_tier(db):
    """Dossiers received at X01 with long codes, each way of receiving the result, one
    resolved by another unit (P01)."""
    sample.catalogue_only(db)
    ways = ["desk", "post", "online", None]
    for i in range(40):
        moment = dt.datetime(2026, 10, 1 + i % 28, 8 + i % 8, i)
        dossier = sample.add_dossier(db, f"{LONG}-{moment:%y%m%d}-{i + 1:04d}", "X01", moment,
                                     name=f"Người nộp {i + 1}")
        with transaction(db) as conn:
            conn.execute("UPDATE dossiers SET result_delivery = ?, competent_unit_code = ? "
                         "WHERE id = ?", [ways[i % 4], "P01" if i == 0 else None, dossier])
            facts.refresh(db, [dossier])  # it now counts at P01
    return db


def _rows_by_code(path) -> dict[str, str]:
    """Each register line (layout text) by the dossier code it holds whole."""
    found = {}
    for line in pdf_text(path, layout=True).splitlines():
        match = re.search(rf"{re.escape(LONG)}-\d{{6}}-\d{{4}}", line)
        if match:
            found[match.group(0)] = line
    return found


def test_every_code_is_whole_on_one_line_and_the_result_delivery_is_printed(two_tier, write_pdf):
    path = write_pdf(build_book(two_tier, dt.date(2026, 10, 1), dt.date(2026, 10, 31)))
    codes = [r[0] for r in two_tier.execute("SELECT code FROM dossiers ORDER BY received_at, id")]
    lines = _rows_by_code(path)
    assert sorted(lines) == sorted(codes)  # a split code would not be found whole
    text = " ".join(pdf_text(path).split())
    assert text.count("Trực tiếp tại bộ phận một cửa") == 10
    assert text.count("Qua dịch vụ bưu chính") == 10
    assert text.count("Trực tuyến") == 10
    assert text.count("—") == 10  # not recorded: a dash, never an empty cell
    first = lines[codes[0]]
    assert "Phòng Tư pháp" in first  # the competent unit, not the receiving one
    assert "UBND xã Văn An" in lines[codes[1]]


def test_pages_are_numbered_from_the_second_and_the_count_is_the_rows(two_tier, write_pdf):
    path = write_pdf(build_book(two_tier, dt.date(2026, 10, 1), dt.date(2026, 10, 31)))
    pages = page_texts(path)
    assert len(pages) >= 3
    for number, page in enumerate(pages[1:], start=2):
        assert page.split()[0] == str(number)  # the number centred in the top margin
    assert not pages[0].split()[0].isdigit()
    assert "Số hồ sơ trong sổ: 40." in " ".join(pages[-1].split())


def test_progress_reaches_the_total_and_cancel_leaves_no_file(two_tier, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    data = gather(two_tier, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    seen = []
    save_book(two_tier, data, tmp_path / "so.pdf", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (40, 40) and len(seen) > 2
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    (tmp_path / "so.pdf").unlink()

    def cancel_after_a_page(done, total):
        return done < 20
    with pytest.raises(InterruptedError):
        save_book(two_tier, data, tmp_path / "so.pdf", progress=cancel_after_a_page)
    assert list(tmp_path.iterdir()) == []  # neither the register nor its temporary file


def test_a_cancelled_build_keeps_the_previous_register(two_tier, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "so.pdf"
    target.write_bytes(b"%PDF-1.4 the register printed yesterday")
    data = gather(two_tier, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    with pytest.raises(InterruptedError):
        save_book(two_tier, data, target, progress=lambda done, total: False)
    assert target.read_bytes() == b"%PDF-1.4 the register printed yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["so.pdf"]


# ----- a period before 01/07/2025: the register of its time (Mẫu 06 of Circular 01/2018) -----
def _old_office(db):
    from core import dossiers

    sample.catalogue_only(db)
    made, code = dossiers.create_dossier(db, unit_code="X01", procedure_code="1.001193",
                                         applicant_name="Lương Văn Bảy",
                                         received_at=dt.datetime(2025, 5, 12, 9, 0), copies=2)
    dossiers.start_processing(db, made, at=dt.datetime(2025, 5, 12, 10, 30))
    dossiers.finish(db, made, at=dt.datetime(2025, 5, 14, 10, 0))
    dossiers.return_result(db, made, at=dt.datetime(2025, 5, 15, 9, 0))
    return code


def test_a_register_of_a_period_before_july_2025_has_the_2018_columns(db, write_pdf):
    code = _old_office(db)
    path = write_pdf(build_book(db, dt.date(2025, 5, 1), dt.date(2025, 5, 31)))
    text = " ".join(pdf_text(path).split())
    for heading in ("Số lượng hồ sơ (bộ)", "Ngày, giờ chuyển hồ sơ", "Ngày, giờ nhận kết quả",
                    "Ngày, giờ trả kết quả", "(14)"):
        assert heading in text
    assert "Phương thức nhận kết quả" not in text and "(15)" not in text
    line = _line_of(path, code)
    # copies, then received, due, handed over, result back, returned — in that order
    assert re.search(r"\b02\b.*09:00.*10:30.*10:00.*09:00", line), line
    assert "12/05/2025" in text and "14/05/2025" in text and "15/05/2025" in text


def test_a_register_reaching_july_2025_keeps_the_2025_columns(db, write_pdf):
    _old_office(db)
    text = " ".join(pdf_text(write_pdf(build_book(db, dt.date(2025, 5, 1),
                                                  dt.date(2025, 7, 31)))).split())
    assert "Phương thức nhận kết quả" in text and "Ngày, giờ chuyển hồ sơ" not in text


def _line_of(path, code: str) -> str:
    return next(x for x in pdf_text(path, layout=True).splitlines() if code in x)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_the_book_is_an_ordinary_file_not_a_private_one(two_tier, tmp_path):
    data = gather(two_tier, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    mask = os.umask(0o022)
    try:
        save_book(two_tier, data, tmp_path / "so.pdf")
    finally:
        os.umask(mask)
    assert (tmp_path / "so.pdf").stat().st_mode & 0o777 == 0o644
