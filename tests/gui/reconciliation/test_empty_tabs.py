"""Đối chiếu's lists say why they are empty (core.empty_lists): before a comparison, that there is
none yet; after, that nothing is missing on a side, and — good news — that nothing differs."""
from __future__ import annotations

from core import empty_lists
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    click_tab,
    dialog,
    office,
    run,
)
from tests.gui.test_empty_lists import painted_colours

RESULT_TABS = ("only_ours", "only_theirs", "differences", "pairs")


def test_before_a_comparison_every_list_says_what_to_do(qtbot, dialog):  # noqa: F811
    assert dialog.mapping.preview.shown_empty_text() == empty_lists.NO_FILE_ROWS
    for key in ("indicators",) + RESULT_TABS:
        assert dialog.views[key].shown_empty_text() == empty_lists.NOT_COMPARED, key
    click_tab(qtbot, dialog, 4)  # Khác nhau
    assert painted_colours(dialog.views["differences"]) > 1


def test_a_file_agreeing_with_motcua_says_nothing_differs(qtbot, dialog, tmp_path,  # noqa: F811
                                                          monkeypatch):
    """The province holds the one dossier MotCua has the same everywhere (XTD-250102-0001)."""
    header = PROVINCE_HEADER + ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]
    source = write_csv(tmp_path / "tinh.csv", header, [province_rows()[0] + ["XTD", "", ""]])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert dialog.mapping.preview.rowCount() == 1
    assert dialog.mapping.preview.shown_empty_text() == ""
    run(qtbot, dialog)
    result = dialog.result
    assert len(result.pairs) == 1 and not result.differences and not result.only_theirs
    click_tab(qtbot, dialog, 4)  # Khác nhau (0)
    assert dialog.views["differences"].shown_empty_text() == empty_lists.DIFFERENCES_NONE
    assert dialog.views["differences"].shown_empty_text().startswith(
        "Không có hồ sơ nào khác nhau")
    assert painted_colours(dialog.views["differences"]) > 1
    assert dialog.views["only_theirs"].shown_empty_text() == empty_lists.ONLY_THEIRS_NONE
    for key in ("only_ours", "pairs", "indicators"):  # rows: nothing said
        assert dialog.views[key].shown_empty_text() == "", key


def test_a_file_of_a_header_alone_says_it_has_no_row(qtbot, dialog, tmp_path,  # noqa: F811
                                                     monkeypatch):
    header = PROVINCE_HEADER + ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]
    source = write_csv(tmp_path / "tinh.csv", header, [])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    preview = dialog.mapping.preview
    assert preview.rowCount() == 0 and dialog.mapping.note.text() == ""
    assert preview.shown_empty_text() == empty_lists.FILE_EMPTY
