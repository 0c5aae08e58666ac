"""Mẫu 04 of an extension `import dossiers` brought: no file carries the extension's own time, its
moment is the latest the file allows (core.live_due.imported_extension_at), and its stored reason
"Nhập từ tệp" is MotCua's mark. The slip and its warning say so (core.pdf.slip_data.
extended_phrase) instead of giving that moment as the recorded one; an extension recorded at the
counter reads as before."""
from __future__ import annotations

import datetime as dt

from core import dossiers
from core.pdf import slips
from core.pdf.slip_data import late_extension_warning, load_dossier, load_extension
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
from tests.pdfread import pdf_text

# received Mon 03/02/2025 08:00 (due Thu 06/02 08:00), extended to Fri 14/02 17:00, finished
# Wed 12/02 10:00: the file's extension is dated 12/02 10:00, the latest it can have been
ROW = {"received_at": "2025-02-03 08:00", "status": "done", "finished_at": "2025-02-12 10:00",
       "returned_at": "2025-02-12 15:00", "extended_due_at": "2025-02-14 17:00"}
IMPORTED = "được gia hạn theo dữ liệu nhập từ tệp (chậm nhất 10:00 ngày 12/02/2025)"


def _slip_text(db, code: str, tmp_path) -> str:
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(slips.build_apology(db, code))
    return " ".join(pdf_text(path).split())


def test_an_imported_extensions_apology_says_its_moment_is_only_the_latest(catalog, tmp_path):
    rows = [dossier_row("XTD-250203-0001", **ROW),
            dossier_row("XVQ-250203-0001", unit_code="XVQ", **{**ROW, "extended_due_at": "",
                                                                "status": "processing",
                                                                "finished_at": "",
                                                                "returned_at": ""})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, rows)).ok
    twin = catalog.execute("SELECT id FROM dossiers WHERE code = 'XVQ-250203-0001'").fetchone()[0]
    dossiers.extend(catalog, twin, new_due_at=dt.datetime(2025, 2, 14, 17), reason="Chờ xác minh.",
                    at=dt.datetime(2025, 2, 12, 10), actor="Hà Thị Mai")

    imported = _slip_text(catalog, "XTD-250203-0001", tmp_path)
    assert f"Lý do: Hồ sơ XTD-250203-0001 {IMPORTED}; tệp không ghi lý do gia hạn." in imported
    assert "Lý do: Nhập từ tệp" not in imported
    item = load_dossier(catalog, "XTD-250203-0001")
    warning = late_extension_warning(catalog, item, load_extension(catalog, item))
    assert warning is not None and f"XTD-250203-0001 {IMPORTED}, có thể chưa đủ" in warning
    assert "được gia hạn lúc" not in warning

    counter = _slip_text(catalog, "XVQ-250203-0001", tmp_path)
    assert "Lý do: Chờ xác minh." in counter and "nhập từ tệp" not in counter
    item = load_dossier(catalog, "XVQ-250203-0001")
    warning = late_extension_warning(catalog, item, load_extension(catalog, item))
    assert warning is not None and ("XVQ-250203-0001 được gia hạn lúc 10:00 ngày 12/02/2025, "
                                    "chưa đủ một ngày") in warning
