"""An empty section says why in the window, on paper and in the workbook alike, with one sentence
of core.empty_lists (round 30): the PDF and the workbook said only "Không có hồ sơ nào." where
the window's tab said that nothing was missing on that side, that nothing differed, or that no
dossier was shared — a leader holding the paper could not tell good news from an empty file."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from core import empty_lists
from core.reconcile import SECTIONS
from core.reconcile.cli import save
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_figures_agree import _pick_unit
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    dialog,
    office,
    run,
)
from tests.pdfread import pdf_text

HEADER = PROVINCE_HEADER + ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]
SECTION_KEYS = ("only_ours", "only_theirs", "differences", "near")
WINDOW_TAB = {"only_ours": "only_ours", "only_theirs": "only_theirs",
              "differences": "differences", "near": "pairs"}
# (unit, the province's rows of province_rows(), the sentences its empty sections say)
SCENARIOS = {
    # the XVQ dossier paired by its code: nothing missing either side, no pair without a code
    "paired_by_code": ("XVQ", [3], {"only_ours": empty_lists.ONLY_OURS_NONE,
                                    "only_theirs": empty_lists.ONLY_THEIRS_NONE,
                                    "near": empty_lists.NEAR_NONE}),
    # a file of another commune's rows: nothing shared, nothing to compare
    "nothing_shared": ("XVQ", [0], {"only_theirs": empty_lists.ONLY_THEIRS_NONE,
                                    "differences": empty_lists.NOTHING_PAIRED,
                                    "near": empty_lists.PAIRS_NONE}),
    # the one dossier the same on both sides: good news, said as such
    "agreeing": ("XTD", [0], {"only_theirs": empty_lists.ONLY_THEIRS_NONE,
                              "differences": empty_lists.DIFFERENCES_NONE,
                              "near": empty_lists.NEAR_NONE}),
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sheet_text(path, key: str) -> str:
    sheet = load_workbook(path)[SECTIONS[key][0]]
    return _flat(" ".join(str(v) for row in sheet.iter_rows(values_only=True)
                          for v in row if isinstance(v, str)))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_window_paper_and_workbook_say_one_sentence(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                    monkeypatch, scenario):
    unit, picked, expected = SCENARIOS[scenario]
    rows = [province_rows()[i] + [unit if i == 3 else "XTD", "", ""] for i in picked]
    source = write_csv(tmp_path / "tinh.csv", HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    _pick_unit(qtbot, dialog.unit, unit)
    run(qtbot, dialog)
    result = dialog.result
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    save(office, result, pdf)  # what the window's «Lưu PDF…» and «Lưu Excel…» write
    save(office, result, book)
    paper = _flat(pdf_text(pdf))
    assert "Không có hồ sơ nào." not in paper
    for key in SECTION_KEYS:
        sentence = empty_lists.reconciled(result, key)
        if key not in expected:  # a section with rows says no sentence
            assert sentence not in paper and sentence not in _sheet_text(book, key), key
            continue
        assert sentence == expected[key], key
        assert sentence in paper, key
        assert sentence in _sheet_text(book, key), key
        shown = dialog.views[WINDOW_TAB[key]].shown_empty_text()
        # the window lists every pair in one tab: its sentence is the paper's when none is made
        assert shown == (sentence if key != "near" or not result.pairs else ""), key
