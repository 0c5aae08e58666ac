"""A provincial file with nothing in the period chosen, in the window (round 30): the warning
was only the last sentence of the summary under the tabs, after the counts; the comparison opens
on the side-by-side figures, and the warning now stands above them in red, where the leader
looks first, before a list of every dossier "to enter"."""
from __future__ import annotations

from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    dialog,
    office,
    run,
)


def test_a_file_of_another_month_is_said_above_the_figures(qtbot, dialog, tmp_path,  # noqa: F811
                                                          monkeypatch):
    rows = province_rows()
    for row in rows:  # the province's export of March, chosen for January
        received = PROVINCE_HEADER.index("NgayTiepNhan")
        row[received] = "20250305080000"
        for column in ("NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
            if row[PROVINCE_HEADER.index(column)]:
                row[PROVINCE_HEADER.index(column)] = "20250306080000"
    source = write_csv(tmp_path / "tinh_03.csv", PROVINCE_HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    warning = dialog.result.scope_warning()
    # its codes are MotCua's: paired by code, said so (round 31), not "no row in the period"
    assert warning and warning.startswith("Cả 5 dòng của tệp tinh_03.csv đều được hệ thống "
                                          "tỉnh ghi tiếp nhận ngoài kỳ")
    assert dialog.tabs.currentWidget().isAncestorOf(dialog.views["indicators"])
    assert dialog.unread_note.isVisible()
    assert dialog.unread_note.text() == warning
    assert warning not in dialog.summary.text()  # said once, in red (round 31), pointed to
    assert "(xem lưu ý đỏ ở thẻ Chỉ tiêu hai bên)" in dialog.summary.text()
