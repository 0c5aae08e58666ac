"""The dossier register (Sổ theo dõi hồ sơ) on A4 landscape."""
from __future__ import annotations

import datetime as dt
import re

from core.pdf.book import build_book
from tests.core.pdf import sample
from tests.pdfread import page_sizes, pdf_fonts, pdf_text, render_pages


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


def test_register_is_a4_landscape_with_the_mau_06_columns_on_every_page(sample_db, write_pdf,
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
    assert all("Tên thủ tục hành chính" in page and "Ký nhận" in page for page in pages)
    count = sample_db.execute("SELECT COUNT(*) FROM dossiers WHERE received_at >= '2026-09-01' "
                              "AND received_at < '2026-11-01'").fetchone()[0]
    assert f"Số hồ sơ trong sổ: {count}." in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))
    assert len(render_pages(path, tmp_path)) == len(sizes)


def test_an_empty_period_says_there_is_nothing(db, write_pdf):
    sample.catalogue_only(db)
    text = pdf_text(write_pdf(build_book(db, dt.date(2026, 1, 1), dt.date(2026, 1, 31))))
    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này." in text
