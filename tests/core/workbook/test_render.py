"""The form workbooks through a real spreadsheet program: LibreOffice headless converts each to
PDF, as a clerk's "Print" would, and the pages are checked — A4 landscape, the Vietnamese text
whole, the header rows repeated on every page of a long list.

Marked `spreadsheet`. Without LibreOffice (`soffice`) these tests are skipped, saying so, so the
README's test command passes on a machine with only Python; CI installs libreoffice-calc-nogui
and sets MOTCUA_REQUIRE_SOFFICE=1, which makes a missing program a failure (.ci/run).

BUILDERS is the list of workbooks rendered: each builder writes one workbook from the demo
database and names the texts its pages must show; to render another workbook (the register of
another list), append its builder.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from core.database import open_database
from tests.core.workbook.demo import OCTOBER, make_demo

pytestmark = pytest.mark.spreadsheet
TIMEOUT = 240  # seconds for one conversion of every workbook (the first start makes a profile)
A4_LANDSCAPE = (842, 595)  # points


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("MOTCUA_REQUIRE_SOFFICE") == "1":
        pytest.fail("LibreOffice (soffice) không có trên máy này mà CI yêu cầu: cài "
                    "libreoffice-calc-nogui (.ci/run).")
    pytest.skip("LibreOffice (soffice) không có trên máy này: bỏ qua việc in thử bảng tính "
                "(cài libreoffice-calc-nogui để chạy; CI chạy các bài này).")


# (what every page shows, what the whole document shows)
Expect = tuple[list[str], list[str]]


def bieu06(db, out: Path) -> Expect:
    from core.workbook.bieu06 import save_bieu06
    save_bieu06(db, out, *OCTOBER)
    from core.indicators import compute
    # each unit's name whole, on one line (a longer one wraps inside its cell)
    units = [unit["name"] for unit in compute(db, *OCTOBER)["units"] if len(unit["name"]) < 36]
    return (["Số hồ sơ nhận giải quyết", "Trực tuyến"],
            ["Biểu số 06/VPCP/KSTT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
             "Số liệu tính đến hết ngày 31/10/2026", "Cấp xã", "Tổng cộng", *units])


def i766(db, out: Path) -> Expect:
    from core.workbook.i766 import save_i766
    save_i766(db, out, *OCTOBER)
    return (["Đúng hạn", "Mẫu số"],
            ["QUYẾT ĐỊNH 766/QĐ-TTg", "Mục tiêu năm 2026", "Hài lòng", "Tổng cộng"])


def reconciliation(db, out: Path) -> Expect:
    """A long list (300 matched dossiers): several pages, each with the table's header."""
    from core.reconcile import Reconciliation
    from core.reconcile.matching import Item, Pair
    from core.reconcile.workbook import save_workbook
    from db import settings

    def item(n: int, code: str) -> Item:
        return Item(n, code, "1.001", "Nguyễn Thị Hường", "direct", "2026-10-05 08:30:00",
                    "done", "2026-10-10 17:00:00", "2026-10-09 10:00:00", "X", None,
                    "Lê Văn Đức", 0, False)

    result = Reconciliation("tinh.xlsx", *OCTOBER, None, "", "national", 30,
                            as_of="2026-11-01 00:00:00")
    result.pairs = [Pair(item(n, f"X-261005-{n:04d}"), item(n, f"T{n:06d}"))
                    for n in range(1, 301)]
    save_workbook(result, out, settings.get(db, "report_header"))
    return (["STT"],  # every sheet's table starts with it; the long list is checked below
            ["KẾT QUẢ ĐỐI CHIẾU HỒ SƠ", "Kết quả", "Tỉnh khi nhập đủ",
             "I. Chỉ tiêu tính trên hai bộ số liệu", "X-261005-0300", "T000300"])


def register(db, out: Path) -> Expect:
    """The register of "Xuất Excel" / `export register` (core.workbook.stream): a month of the
    demo, several pages, the column titles on each."""
    import datetime as dt

    from core.workbook.register import write_register
    write_register(db, out, *OCTOBER, now=lambda: dt.datetime(2026, 11, 1, 8, 0))
    return (["Mã hồ sơ", "Tiếp nhận"], ["Số liệu lúc 08:00 01/11/2026"])


BUILDERS: list[Callable[..., Expect]] = [bieu06, i766, reconciliation, register]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, Expect]]:
    """Every workbook of BUILDERS converted in one LibreOffice run (one start, own profile)."""
    soffice = _soffice()
    folder = tmp_path_factory.mktemp("render")
    db = open_database(make_demo(folder / "demo.db", dossiers=800), create=False, mode="read")
    try:
        made = {b.__name__: (folder / f"{b.__name__}.xlsx", b(db, folder / f"{b.__name__}.xlsx"))
                for b in BUILDERS}
    finally:
        db.close()
    profile = (folder / "lo-profile").as_uri()
    run = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(folder),
                          *(str(path) for path, _ in made.values())],
                         capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert run.returncode == 0, run.stderr
    return {name: (path.with_suffix(".pdf"), expect) for name, (path, expect) in made.items()}


def _flat(text: str) -> str:
    """Letters and digits only: a fallback font's punctuation sits a little off the line."""
    return "".join(c for c in text if c.isalnum() or c == "\n")


def page_texts(pdf: Path) -> list[str]:
    """Each page's characters in reading order, by their position on the page, without spaces.

    A spreadsheet program draws a letter its font lacks (Times New Roman is absent on a bare
    Linux) from a fallback font, in a second run after the line: read in drawing order, "Biểu"
    comes out "Bi u … ể". Sorted by line (the loose box's middle) and then by x, the text is
    the one printed; spaces and punctuation are dropped because fallback glyphs leave gaps and
offsets of their own."""
    import pypdfium2
    out = []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for page in document:
            found = page.get_textpage()
            chars = []
            for index in range(found.count_chars()):
                left, bottom, _right, top = found.get_charbox(index, loose=True)
                chars.append(((bottom + top) / 2, left, found.get_text_range(index, 1)))
            chars.sort(key=lambda c: (-c[0], c[1]))
            lines: list[list] = []
            for middle, left, char in chars:
                if lines and abs(lines[-1][0] - middle) < 3:
                    lines[-1][1].append((left, char))
                else:
                    lines.append([middle, [(left, char)]])
            out.append("\n".join(_flat("".join(c for _, c in sorted(line))) for _, line in lines))
    finally:
        document.close()
    return out


def _pages(pdf: Path) -> list:
    import pypdf
    return list(pypdf.PdfReader(str(pdf)).pages)


@pytest.mark.parametrize("name", [b.__name__ for b in BUILDERS])
def test_workbook_prints_on_a4_landscape_with_its_header_on_every_page(rendered, name):
    pdf, (every_page, somewhere) = rendered[name]
    assert pdf.is_file(), f"LibreOffice did not convert {name}"
    pages = _pages(pdf)
    assert pages
    for page in pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4_LANDSCAPE
    texts = page_texts(pdf)
    for number, text in enumerate(texts, start=1):
        for words in every_page:
            assert _flat(words) in text, f"{name}: trang {number} thiếu {words!r}"
    whole = "".join(texts).replace("\n", "")
    for words in somewhere:
        assert _flat(words) in whole, f"{name}: thiếu {words!r}"


def test_a_long_list_repeats_its_header_on_each_of_its_pages(rendered):
    pdf, _ = rendered["reconciliation"]
    pages = [text for text in page_texts(pdf) if _flat("T000") in text]  # the 300 pairs
    assert len(pages) >= 3
    for text in pages:
        for words in ("STT", "Mã hồ sơ (MotCua)", "Mã trên hệ thống tỉnh", "Cách ghép"):
            assert _flat(words) in text
    assert _flat("X-261005-0300") in pages[-1] and _flat("X-261005-0001") in pages[0]
