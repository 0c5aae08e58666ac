"""The printed reconciliation says of an empty difference list what the screen says
(core.empty_lists): nothing differs when dossiers were paired, nothing to compare when none was
(it printed "Không có hồ sơ nào khác nhau." for a file sharing no dossier with MotCua)."""
from __future__ import annotations

from core import empty_lists
from core.pdf.document import A4_LANDSCAPE, render
from core.pdf.reconcile import story
from core.reconcile import reconcile
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    FIRST,
    LAST,
    PROVINCE_HEADER,
    office,
    province_rows,
)
from tests.core.transfer.conftest import write_csv
from tests.pdfread import pdf_text

HEADER = PROVINCE_HEADER + ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]


def printed(db, rows, tmp_path) -> str:
    result = reconcile(db, write_csv(tmp_path / "tinh.csv", HEADER, rows), FIRST, LAST)
    pdf = tmp_path / "ra.pdf"
    pdf.write_bytes(render(story(db, result, A4_LANDSCAPE.frame_width, LAST), A4_LANDSCAPE,
                           title="t", draft=False))
    return " ".join(pdf_text(pdf).split())


def test_a_file_agreeing_prints_that_nothing_differs(office, tmp_path):  # noqa: F811
    text = printed(office, [province_rows()[0] + ["XTD", "", ""]], tmp_path)
    assert empty_lists.DIFFERENCES_NONE in text


def test_a_file_sharing_no_dossier_prints_that_nothing_was_compared(office, tmp_path):  # noqa: F811
    text = printed(office, [province_rows()[-1] + ["XTD", "", ""]], tmp_path)
    assert empty_lists.reconciled(None, "x") not in text
    assert empty_lists.NOTHING_PAIRED in text
    assert "Không có hồ sơ nào khác nhau" not in text
