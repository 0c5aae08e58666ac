"""The box of an interactive save's failure names what failed (round 31): it was titled
"MotCua" whatever had failed, as background jobs' were before (gui.errors.failure_title, one
rule for both: Op's `doing`, by default from the dialog's title or from what the save
changes)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog

from core import catalogue
from core.errors import OperationError
from gui import errors, ops
from tests.gui.accounts_setup import ADMIN
from tests.gui.clicks import click
from tests.gui.test_commune_report import units_tab_on


def test_a_unit_that_cannot_be_saved_says_so_in_the_title(qtbot, db, office, message_boxes,
                                                          monkeypatch):
    tab = units_tab_on(qtbot, db, ADMIN, "X01", width=1366)

    def full_disk(*_args, **_kw):
        raise OperationError("Không ghi được vào cơ sở dữ liệu: ổ đĩa đầy.")
    monkeypatch.setattr(catalogue, "save_unit", full_disk)
    click(qtbot, tab.save_button)
    assert message_boxes[-1][:2] == ("warning", "Không thể lưu đơn vị")


def test_the_title_by_default(qtbot):
    """A dialog's save: from its title; an Op naming nothing: from what it changes."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setWindowTitle("Gia hạn — phiếu xin lỗi và hẹn lại ngày trả (Mẫu 04)")
    assert errors.failure_title(ops.dialog_doing(dialog)) == "Không thể gia hạn"
    assert errors.failure_title(ops.Op(None, len, ops.PAYMENTS).doing) == \
        "Không thể lưu khoản thu"
    assert errors.failure_title(ops.Op(None, len, ops.Changes()).doing) == "MotCua"
    assert errors.failure_title("Đang nhập đơn vị…") == "Không thể nhập đơn vị"
