"""Exporting a package from the Dữ liệu menu (spec 9, gui.packages): which unit, since which
day, then the file; written in a worker with progress and cancel."""
from __future__ import annotations

import datetime as dt
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
)

from core import timefmt
from core.calendar import WEEKDAYS_VI
from core.exchange.export import parse_since
from core.timefmt import vn_date, vn_datetime, vn_number
from core.version import UPDATE_ORDER_VI
from gui import file_dialogs, shown, widgets
from gui.date_fields import TypedDate
from gui.package_tables import RED

FILTER = "Gói trao đổi MotCua (*.zip)"


# ----- export ----------------------------------------------------------------------------------
class ExportDialog(QDialog):
    """Which unit (or all) and since which day; the file is asked for after "Xuất gói…".
    The day starts where this PC's last package of that unit stopped (core.exchange.export.
    default_since), and the dialog says when that was."""

    def __init__(self, db, today: dt.date, parent=None):
        super().__init__(parent)
        self.db, self.today = db, today
        self.setWindowTitle("Xuất gói trao đổi")
        form = QFormLayout(self)
        self.unit = widgets.combo(widgets.units(db), blank="Tất cả đơn vị")
        # the day as typed, read by the command line's rule (export.parse_since): never
        # another day than the one shown (a QDateEdit made 31/02 of it 28/02 or kept the old)
        self.day = TypedDate(parse=lambda text: parse_since(text, today))
        self.since = self.day.edit
        self.reading = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        self.reading.setWordWrap(True)
        self.reading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.last = QLabel()
        self.last.setWordWrap(True)
        form.addRow("Đơn vị:", self.unit)
        form.addRow("Những gì thay đổi từ ngày:", self.day)
        form.addRow("", self.reading)
        form.addRow(self.last)
        note = QLabel("Gói gồm danh mục, hồ sơ (với lịch sử, bổ sung, gia hạn, thanh toán, thành "
                      "phần) và phiếu đánh giá thay đổi từ ngày này, kèm bản kê và mã kiểm tra.")
        note.setWordWrap(True)
        form.addRow(note)
        # A receiving MotCua of an older schema refuses this one's packages, both formats (it
        # says to update; schema 25: the votes' origin): format 2 no longer reaches it
        from core.exchange.export import FORMAT_2_CHOICE
        self.older = QCheckBox(f"{FORMAT_2_CHOICE} (nhỏ hơn, nhập chậm hơn)")
        self.older.setToolTip("Gói định dạng 3 (mặc định) nhập nhanh hơn nhiều ở máy trung tâm; "
                              "định dạng 2 nhỏ hơn.")
        form.addRow(self.older)
        order = QLabel(UPDATE_ORDER_VI)
        order.setWordWrap(True)
        form.addRow(order)
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton("Xuất gói…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.unit.currentIndexChanged.connect(self._from_last_package)
        self.since.textEdited.connect(self._read)
        self._from_last_package()

    def _read(self, *_args) -> bool:
        """Under the field: the day the package will start from, in words, or what is wrong."""
        problem = self.day.problem()
        if problem:
            self.reading.setStyleSheet(f"color: {RED};")
            self.reading.setText(problem)
        else:
            day = self.day.value()
            self.reading.setStyleSheet("")
            self.reading.setText(f"Gói gồm những gì thay đổi từ đầu ngày "
                                 f"{WEEKDAYS_VI[day.weekday()].lower()} {vn_date(day)}.")
        return problem is None

    def accept(self) -> None:  # noqa: D102 - "Xuất gói…" and Enter: only a real day goes on
        if not self._read():
            self.since.setFocus()
            self.since.selectAll()
            return
        super().accept()

    def _from_last_package(self) -> None:
        from core.exchange import export
        unit = self.unit.currentData() or None
        self.day.set_value(export.default_since(self.db, unit, self.today))
        self._read()
        last = export.last_export(self.db, unit)
        self.last.setText(
            f"Máy này chưa xuất gói nào {'của đơn vị này' if unit else 'của tất cả đơn vị'}: "
            "gói gồm mọi thay đổi từ ngày có hồ sơ đầu tiên." if last is None else
            f"Gói trước của máy này: xuất lúc {vn_datetime(last.at)}, gồm thay đổi từ "
            f"{vn_date(last.since)}. Gói mới bắt đầu từ ngày xuất gói trước, để không sót hồ sơ "
            "nào (hồ sơ đã gửi, trung tâm nhập lại cũng không đổi gì).")

    def values(self) -> tuple[str | None, dt.date]:
        return self.unit.currentData() or None, self.day.value()

    def format_version(self) -> int | None:
        """2 when the receiving PC reads only format 2; None: the default (export.DEFAULT_FORMAT)."""
        return 2 if self.older.isChecked() else None


def export_dialog(window, today: dt.date | None = None) -> ExportDialog:
    from core.exchange.export import suggested_name
    today = today or timefmt.now().date()
    dialog = ExportDialog(window.db, today, window)

    def chosen() -> None:
        # read before the save dialog: this one (deleted on close) may be gone when it returns
        (unit, since), format_version = dialog.values(), dialog.format_version()
        name = suggested_name(window.db, unit, since, today)
        path = file_dialogs.save_path(window, "Lưu gói trao đổi", name, FILTER)
        if path:
            _run_export(window, path, since, unit, format_version)
    dialog.accepted.connect(chosen)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _run_export(window, path: str, since: dt.date, unit: str | None,
                format_version: int | None = None):
    from core.exchange import export_package
    from gui.worker import run_in_background
    if not path.lower().endswith(".zip"):
        path += ".zip"
    # the save dialog asked before naming a file that is there (QFileDialog, file_dialogs.
    # save_path): that one the clerk chose to replace; one that appears meanwhile is refused
    replace = os.path.exists(path)

    def done(made: dict) -> None:
        counts = made["counts"]
        widgets.inform(window, "Đã xuất gói", f"Đã ghi {vn_number(counts['dossiers'])} hồ sơ, "
                       f"{vn_number(counts['votes'])} phiếu đánh giá vào {path}.")
    window.exchange_worker = run_in_background(
        window, window.db_path, "Đang xuất gói trao đổi…",
        lambda db, progress: export_package(db, path, since, unit, progress, format_version,
                                            replace=replace),
        done, notify=False)
