"""Packages between installations from the Dữ liệu menu (spec 9): export, and import with a
preview (new / changed / identical / conflicting) and a choice per conflicting dossier.

Both run in a worker with progress and cancel (gui.worker); the preview is the import's own
dry run, so what the clerk sees is what the import will do. Dialogs are opened window-modal
with `open()`, never a nested `exec()` loop, and continue from their `accepted` signal.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import actor_names, timefmt
from core.calendar import WEEKDAYS_VI
from core.exchange import compare, phase_steps, recode
from core.exchange.checks import sender_text
from core.exchange.decide import CHANGE_EARLIER_VI, REOPEN_VI, to_decide
from core.exchange.export import parse_since
from core.exchange.recode import BOTH
from core.timefmt import parse_db_time, vn_date, vn_datetime, vn_number
from gui import file_dialogs, package_preview, shown, widgets
from gui.date_fields import TypedDate
from gui.fit_columns import wrap_rows
from gui.screen_fit import fit_to_screen

FILTER = "Gói trao đổi MotCua (*.zip)"
RED = "#c62828"  # the dashboard's colour for what is wrong (gui.dashboard.cards)
WARNING_LINES = 4  # lines of warnings under several packages (more scroll)
OUTCOMES = ((compare.NEW, "Hồ sơ mới (sẽ thêm)"), (compare.CHANGED, "Hồ sơ đã xử lý tiếp ở máy gửi (sẽ cập nhật)"),
            (compare.IDENTICAL, "Hồ sơ giống hệt (bỏ qua)"),
            (compare.OLDER, "Hồ sơ máy này mới hơn (giữ nguyên)"),
            (compare.CONFLICT, "Hồ sơ xung đột: cùng mã, khác nội dung (cần chọn)"),
            (compare.DECIDED, "Hồ sơ xung đột đã chọn ở lần nhập trước (giữ như đã chọn)"))


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
        # A centre still on a MotCua that reads formats 1 and 2 refuses a format-3 package
        # (it says to update): until it is updated, a commune can still send it one it reads.
        self.older = QCheckBox("Máy nhận chưa cập nhật MotCua (chỉ đọc gói định dạng 2): xuất "
                               "gói theo định dạng 2")
        self.older.setToolTip("Gói định dạng 3 (mặc định) nhập nhanh hơn nhiều ở máy trung tâm; "
                              "định dạng 2 nhỏ hơn và đọc được ở các bản MotCua trước.")
        form.addRow(self.older)
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


# ----- import ----------------------------------------------------------------------------------
def import_dialog(window) -> None:
    """Choose one package or several (a centre's month-end), preview them all in a worker, then
    let the clerk decide and import them in one operation (one transaction: all or nothing)."""
    from core.exchange.merge import import_packages
    from gui import exchange_cancel
    from gui.worker import run_in_background
    paths = file_dialogs.open_file_names(window, "Nhập gói trao đổi (chọn một hay nhiều gói)", "",
                                         FILTER)
    if not paths:
        return

    def previewed(batch) -> None:
        window.exchange_preview = PreviewDialog(batch.combined(), window,
                                                batch.results if len(paths) > 1 else None,
                                                batch.crossed)
        window.exchange_preview.accepted.connect(
            lambda: _run_import(window, paths, *window.exchange_preview.choices(),
                                window.exchange_preview.catalogue_choices(),
                                window.exchange_preview.versions(), batch,
                                window.exchange_preview.ready_panel.clashes))
        window.exchange_preview.open()
    title = "Đang kiểm tra gói…" if len(paths) == 1 else f"Đang kiểm tra {len(paths)} gói…"
    window.exchange_worker = run_in_background(
        window, window.db_path, title,
        # a clash kept both, as the import will (`_run_import`): listed as a conflict with its
        # "Giữ cả hai" ticked, not as versions of one dossier to pick among
        lambda db, progress: import_packages(db, paths, dry_run=True, progress=progress,
                                             clashes=BOTH, told=progress.tell),
        previewed, notify=False, aged=phase_steps.aged,
        on_cancel=lambda: exchange_cancel.tell_preview(window, len(paths)))


def _run_import(window, paths: list[str], default: str, choices: dict[str, str],
                catalogue: dict[str, str] | None = None,
                versions: dict[str, str] | None = None,
                previewed=None, clashes: str = BOTH) -> None:
    from core.exchange.cli import counts_text
    from core.exchange.merge import import_packages
    from gui import exchange_cancel
    from gui.worker import run_in_background

    def done(batch) -> None:
        if batch.pending:  # a package changed between preview and import: nothing written
            widgets.warn(window, "Chưa nhập", "Có hồ sơ xung đột mới xuất hiện; chưa ghi gì. "
                         "Hãy nhập lại gói để xem và chọn.")
            return
        head = "" if len(paths) == 1 else f"{vn_number(len(paths))} gói, trong một giao dịch: "
        # the new codes of dossiers kept both: the clerk tells their senders; and the votes
        # of a clash's other dossier left out (its "Giữ cả hai" unticked: not in the preview)
        recoded = [w for r in batch.results for w in r.warnings if recode.told_after_import(w)]
        widgets.inform(window, "Đã nhập gói", f"{head}Hồ sơ {counts_text(batch.combined())}."
                       + "".join(f"\n\n{w}" for w in recoded))
    title = ("Đang nhập gói trao đổi…" if len(paths) == 1
             else f"Đang nhập {len(paths)} gói trao đổi…")
    window.exchange_worker = run_in_background(
        window, window.db_path, title,
        lambda db, progress: import_packages(db, paths, conflicts=default, choices=choices,
                                             progress=progress, catalogue_choices=catalogue,
                                             versions=versions, clashes=clashes,
                                             previewed=previewed, told=progress.tell),
        done, on_cancel=lambda: exchange_cancel.tell_import(window, len(paths)),
        # a Huỷ after the last chance to roll back: the import is written, its result said
        done_once_returned=True, aged=phase_steps.aged)


class PreviewDialog(QDialog):
    """What the package would do, and for each conflict: keep ours, or take the package's."""

    def __init__(self, result, parent=None, packages: list | None = None,
                 crossed: list | None = None):
        super().__init__(parent)
        self.result = result
        self.crossed: list[compare.Crossed] = list(crossed or [])
        self.default = "keep"  # the conflicts beyond the listed ones follow "… tất cả"
        self.setWindowTitle("Xem trước gói trao đổi")
        self.db = getattr(parent, "db", None)
        # what stops the import is said by the panel above "Nhập gói" (ready.readiness reads
        # the preview's `refused_both`): it is none of the warnings
        warnings = result.warnings
        layout = QVBoxLayout(self)
        self.packages = packages_table(packages or [])
        self.counts = self._counts_table()
        if packages:  # several: one line each and the totals, beside the counts
            counted = sum(not r.same_as for r in packages)  # a package given twice: once
            again = (f" ({vn_number(len(packages) - counted)} tệp là gói đã đưa, chỉ tính một "
                     "lần)") if counted < len(packages) else ""
            layout.addWidget(QLabel(f"<b>{vn_number(counted)} gói</b>{again}, nhập cùng nhau "
                                    "trong một giao dịch (lỗi ở một gói thì không ghi gì):"))
            self._beside_counts(layout, self.packages)
            if warnings:  # under both, the window's width, scrolling
                layout.addWidget(self._warnings(warnings, WARNING_LINES))
        else:
            layout.addWidget(self._heading())
            # beside the counts, scrolling: a month-end's seven long warnings took the height
            # from the totals and the conflicts
            self._beside_counts(layout, self._warnings(warnings) if warnings else None)
        if result.dossiers[compare.DECIDED]:  # not asked again: how to change one
            earlier = QLabel(CHANGE_EARLIER_VI)
            earlier.setWordWrap(True)
            layout.addWidget(earlier)
        # of those, the clashes this PC kept: chosen again here as the command does
        self.reopen_boxes: dict[int, QCheckBox] = {}
        self.reopen_table = self._reopen_table()
        if result.reopenable:
            said = QLabel(REOPEN_VI)
            said.setWordWrap(True)
            layout.addWidget(said)
            layout.addWidget(self.reopen_table)
        self.catalogue = self._catalogue_table()
        if result.catalogue_diffs:
            layout.addWidget(QLabel(f"Danh mục trong gói khác máy này ở "
                                    f"{vn_number(len(result.catalogue_diffs))} dòng — đánh dấu "
                                    "những dòng lấy theo gói; dòng không đánh dấu giữ như máy này:"))
            layout.addWidget(self.catalogue, 1)
        self.conflicts = self._conflicts_table()
        # what is left to decide, counted as the command's --dry-run counts it
        self.results = list(packages or [result])
        # a clash is previewed kept both (its "Giữ cả hai" ticked): listed to choose all the same
        single = to_decide(self.results, self.crossed).conflicts + len(self.both_boxes)
        if single:
            said = QLabel(f"{vn_number(single)} hồ sơ xung đột — đánh dấu những hồ sơ lấy "
                          "theo gói; hồ sơ không đánh dấu giữ như máy này" + (
                              f". Hai hồ sơ khác nhau cùng mã (chữ đỏ): \"{compare.BOTH_VI}\" "
                              "đã đánh dấu sẵn — hồ sơ của gói nhận mã mới của máy này, không "
                              "mất hồ sơ nào:" if self.both_boxes else ":"))
            said.setWordWrap(True)
            layout.addWidget(said)
            layout.addWidget(self.conflicts, 1)
        self.version_groups: dict[str, tuple[QButtonGroup, list[str]]] = {}
        self.versions_table = self._versions_table()
        self.left_label = QLabel()
        self.left_label.setWordWrap(True)
        if self.crossed:
            layout.addWidget(self.left_label)
            layout.addWidget(self.versions_table, 1)
        if not result.conflict_count and not result.catalogue_diffs:
            layout.addStretch(1)
        self.ready_panel = package_preview.ReadyPanel(self, self.db)  # what stops the import
        layout.addWidget(self.ready_panel)
        # "keep all"/"take all" on the line of "Nhập gói": a line more for the conflicts
        row = QHBoxLayout()
        if self.crossed:
            self.here_all = QPushButton("Bản của máy này cho mọi mã chưa chọn")
            self.here_all.setToolTip("Mã mà máy này chưa có vẫn phải chọn bản của một gói.")
            self.here_all.clicked.connect(self._here_for_the_rest)
            row.addWidget(self.here_all)
        if single:
            self.keep_all = QPushButton("Giữ tất cả của máy này")
            self.take_all = QPushButton("Lấy tất cả theo gói")
            self.keep_all.clicked.connect(lambda: self._check_all(False))
            self.take_all.clicked.connect(lambda: self._check_all(True))
            row.addWidget(self.keep_all)
            row.addWidget(self.take_all)
        row.addWidget(self.ready_panel.untick)  # (shown while it lifts what stops the import)
        row.addStretch(1)
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton("Nhập gói", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self._count_left()
        self.ready_panel.watch()  # "Nhập gói" enabled by core's rule (core.exchange.ready)
        # the screen's width: a conflict's two sides on two lines each, not four (1366×728)
        # versions to pick (three lines or more a code): as tall as the screen allows (a
        # 1920×1080 screen showed four codes of sixty in 720 px)
        fit_to_screen(self, 1340, 1000 if self.crossed else 720 if result.conflict_count
                      or result.catalogue_diffs or packages else 480)

    def _beside_counts(self, layout: QVBoxLayout, other: QWidget | None) -> None:
        """The counts, and `other` (the packages, or the warnings) beside them as tall as they
        are: twelve packages stacked over the counts left the totals and the conflicts a
        sliver each at 1366×728; side by side, eight packages show with their totals."""
        row = QHBoxLayout()
        if other is not None:
            other.setFixedHeight(self.counts.height())
            row.addWidget(other, 1)
        row.addWidget(self.counts, 0, Qt.AlignmentFlag.AlignTop)
        if other is None:
            row.addStretch(1)
        layout.addLayout(row)

    def _warnings(self, lines: list[str], tall: int | None = None) -> QScrollArea:
        """The warnings one under the other (more scroll): beside the counts, as tall as they
        are; under the packages, `tall` lines tall."""
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        for line in lines:
            warning = shown.label(f"⚠ {line}")  # a package's codes and names as typed
            warning.setWordWrap(True)
            column.addWidget(warning)
        column.addStretch(1)
        area = QScrollArea()
        area.setWidget(inner)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if tall:
            area.setFixedHeight(tall * area.fontMetrics().lineSpacing() + 6)
        return area

    def _heading(self) -> QLabel:
        manifest = self.result.manifest
        period = manifest.get("period") or {}
        # rich on purpose (the bold name); what the package says shown as typed (gui.shown)
        label = QLabel(f"<b>{shown.escaped(Path(self.result.path).name)}</b><br>Đơn vị: "
                       f"{shown.escaped(sender_text(manifest))} — thay đổi từ "
                       f"{_shown(period.get('since'))}, xuất lúc {_shown(manifest.get('created_at'))}")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        return label

    def _counts_table(self) -> QTableWidget:
        rows = [(text, self.result.dossiers[key]) for key, text in OUTCOMES]
        votes = self.result.votes
        rows += [("Phiếu đánh giá mới", votes[compare.NEW]),
                 ("Phiếu đánh giá bị huỷ ở máy gửi", votes[compare.CHANGED]),
                 ("Phiếu đánh giá đã có", votes[compare.IDENTICAL]),
                 ("Danh mục: dòng mới", sum(v for k, v in self.result.catalogue.items()
                                             if k.endswith("_new")))]
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["", "Số lượng"])
        for number, (text, count) in enumerate(rows):
            table.setItem(number, 0, QTableWidgetItem(text))
            item = QTableWidgetItem(vn_number(count))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(number, 1, item)
        _plain(table)
        _stretch(table, None)  # the count beside its words, not 800 px to their right
        table.setFixedWidth(table.horizontalHeader().length() + 2 * table.frameWidth() + 2)
        table.verticalHeader().setDefaultSectionSize(22)
        table.setFixedHeight(table.verticalHeader().length() + table.horizontalHeader().height() + 4)
        return table

    def _conflicts_table(self) -> QTableWidget:
        conflicts = self.result.conflicts
        several = any(c.package for c in conflicts)
        table = QTableWidget(len(conflicts), 6)
        # of several packages, what is here may have come from one listed before in the batch
        # (each is merged after those before it): "Máy này" alone said it was this PC's own
        table.setHorizontalHeaderLabels(["Lấy theo gói", "Mã hồ sơ", "Khác nhau ở (máy này → gói)",
                                         "Đang có (máy này hoặc gói trước)" if several
                                         else "Máy này", "Trong gói", compare.BOTH_VI])
        twins: dict[str, list[QCheckBox]] = {}
        self.both_boxes: dict[int, QCheckBox] = {}  # a clash's row: keep both (core recode)
        # codes the packages bring both as another citizen's dossier and as this PC's own
        # changed elsewhere: one choice a code, read per row by whose dossier it is
        # (core.exchange.recode.choice): "Lấy theo gói" for this PC's own versions only
        versions = {c.code for c in self.crossed}  # (this PC's own versions chosen among)
        self.mixed = compare.mixed_codes(conflicts, versions)
        for number, conflict in enumerate(conflicts):
            box = QCheckBox()
            box.setToolTip(shown.tip(f"Khác: {', '.join(conflict.differs)}"))
            table.setCellWidget(number, 0, box)
            if conflict.clash and conflict.code in self.mixed:
                box.setEnabled(False)
                box.setToolTip(compare.MIXED_VERSIONS_VI if conflict.code in versions
                               else compare.MIXED_CLASH_VI)
            else:
                twins.setdefault(conflict.code, []).append(box)
            if conflict.clash:
                self.both_boxes[number] = self._both_box(box, conflict.code)
                table.setCellWidget(number, 5, self.both_boxes[number])
            theirs = (f"[{conflict.package}] {conflict.theirs}" if several else conflict.theirs
                      ) + conflict.continued_text()
            # what differs with both values (máy này → gói), the labels of core.labels
            differs = conflict.whose_text(conflict.code in self.mixed) + (
                conflict.changes_text() or ", ".join(conflict.differs))
            texts = (conflict.code, differs, conflict.ours, theirs)
            for column, text in enumerate(texts, 1):
                item = QTableWidgetItem(text)
                item.setToolTip(shown.tip(text))
                if conflict.clash:  # whichever side is kept, the other citizen's is not taken
                    item.setForeground(QColor(RED))
                table.setItem(number, column, item)
        for boxes in twins.values():  # one choice a code (the merge's): several packages'
            for box in boxes:           # lines of a code tick together, none silently undone
                box.toggled.connect(lambda on, same=boxes: [b.setChecked(on) for b in same])
        _plain(table)
        # both sides whole, the reception moment too; what differs on two lines (at 200 px it
        # took four, a row 65 px tall, two conflicts in sight)
        # what differs (both values of each field) takes the spare width; each side's summary
        # (person, procedure, reception, status) on two lines
        wrap_rows(table, (2,), {0: table.horizontalHeader().sectionSize(0), 3: 290, 4: 290,
                                5: table.horizontalHeader().sectionSize(5)})
        table.setColumnHidden(5, not self.both_boxes)
        return table

    def _reopen_table(self) -> QTableWidget:
        """The clashes kept here at an earlier import that the packages still bring
        (merge.ExchangeResult.reopenable): a "Giữ cả hai" box each, unticked (the earlier
        choice holds unless the clerk chooses again)."""
        rows = self.result.reopenable
        several = any(c.package for c in rows)
        table = QTableWidget(len(rows), 4)
        table.setHorizontalHeaderLabels([compare.BOTH_VI, "Mã hồ sơ", "Máy này (đã giữ)",
                                         "Trong gói (người khác)"])
        for number, conflict in enumerate(rows):
            box = QCheckBox()
            box.setAccessibleName(f"{conflict.code}: {compare.BOTH_VI} (chọn lại)")
            box.setToolTip("Nhận hồ sơ của gói với mã mới do máy này cấp; hồ sơ của máy này giữ "
                           f"nguyên; mã {conflict.code} của máy gửi ghi kèm và vẫn tra được.")
            table.setCellWidget(number, 0, box)
            self.reopen_boxes[number] = box
            theirs = f"[{conflict.package}] {conflict.theirs}" if several else conflict.theirs
            for column, text in enumerate((conflict.code, conflict.ours, theirs), 1):
                item = QTableWidgetItem(text)
                item.setToolTip(shown.tip(text))
                item.setForeground(QColor(RED))
                table.setItem(number, column, item)
        _plain(table)
        wrap_rows(table, (3,), {0: table.horizontalHeader().sectionSize(0), 1: 170, 2: 380})
        return table

    def _both_box(self, theirs: QCheckBox, code: str) -> QCheckBox:
        """A clash's "Giữ cả hai", ticked: no citizen's dossier left out unless the clerk says
        so; ticking it or "Lấy theo gói" unticks the other (one choice a code)."""
        both = QCheckBox()
        both.setChecked(True)
        both.setAccessibleName(f"{code}: {compare.BOTH_VI}")
        both.setToolTip("Giữ hồ sơ của máy này như cũ và nhận hồ sơ của gói với mã mới do máy "
                        f"này cấp; mã {code} của máy gửi ghi kèm hồ sơ ấy và vẫn tra được.")
        both.toggled.connect(lambda on: on and theirs.setChecked(False))
        theirs.toggled.connect(lambda on: on and both.setChecked(False))
        return both

    def _versions_table(self) -> QTableWidget:
        """The codes several packages bring differently: one line per version (this
        installation's first, then each package's), a round button each, one per code to pick;
        none preselected: "Nhập gói" waits till every code has its choice."""
        rows = [(c, v) for c in self.crossed for v in c.versions]
        table = QTableWidget(len(rows), 5)
        table.setHorizontalHeaderLabels(["Chọn", "Mã hồ sơ", "Phiên bản", "Hồ sơ",
                                         "Khác nhau ở (bên kia → phiên bản này)"])
        for number, (crossed, version) in enumerate(rows):
            group, values = self.version_groups.get(crossed.code, (None, []))
            if group is None:
                group = QButtonGroup(self)
                group.setExclusive(True)
                group.idToggled.connect(self._count_left)
                self.version_groups[crossed.code] = (group, values)
            button = QRadioButton()
            button.setAccessibleName(f"{crossed.code}: {version.title}")
            group.addButton(button, len(values))
            # the package by its identity, not its file name: two packages of one name from two
            # folders, or a file renamed after the preview, are still told apart
            values.append(compare.HERE if not version.packages else version.idents[0])
            table.setCellWidget(number, 0, button)
            first = values == [values[0]]
            title = version.title + (f" — đi tiếp bản của {', '.join(version.continues)}"
                                     if version.continues else "")
            texts = (crossed.code if first else "", title, version.description,
                     version.differs_text())
            for column, text in enumerate(texts, 1):
                item = QTableWidgetItem(text)
                item.setToolTip(shown.tip(text))
                if crossed.clash:
                    item.setForeground(QColor(RED))
                if first and column == 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(number, column, item)
        _plain(table)
        # what differs takes the spare width (a clash's three fields with both values on two
        # lines at 1366 px); the version's description wraps in its own column
        # the codes whole (a national unit code: "000.46.00.H37-261202-0003")
        bold = QFont(table.font())
        bold.setBold(True)
        code = max((QFontMetrics(bold).horizontalAdvance(c.code) for c in self.crossed),
                   default=0) + 16
        wrap_rows(table, (4,), {0: 44, 1: max(130, code), 2: 150, 3: 340})
        return table

    def version_buttons(self, code: str) -> list[QRadioButton]:
        """The round buttons of a code's versions, in the order listed."""
        group = self.version_groups[code][0]
        return [group.button(i) for i in range(len(self.version_groups[code][1]))]

    def versions(self) -> dict[str, str]:
        """Per code several packages bring differently, the version picked: compare.HERE
        or the package's identity (core.exchange.merge.import_packages)."""
        return {code: values[group.checkedId()]
                for code, (group, values) in self.version_groups.items()
                if group.checkedId() >= 0}

    def _here_for_the_rest(self) -> None:
        for group, values in self.version_groups.values():
            if group.checkedId() < 0 and compare.HERE in values:
                group.button(values.index(compare.HERE)).setChecked(True)

    def _count_left(self, *_args) -> None:
        if not self.crossed:
            return
        left = len(to_decide(self.results, self.crossed, self.versions()).versions)
        text = (f"{vn_number(len(self.crossed))} hồ sơ có phiên bản khác nhau ở nhiều gói (các "
                "máy đã xử lý cùng hồ sơ theo cách khác nhau) — chọn đúng một phiên bản cho mỗi "
                "mã: bản của máy này hoặc bản của một gói.")
        text += (f" <b>Còn {vn_number(left)} mã chưa chọn</b>: chưa nhập được." if left
                 else " Đã chọn đủ.")
        self.left_label.setText(text)
        self.ready_panel.update_said()

    def _catalogue_table(self) -> QTableWidget:
        """One line per differing catalogue row: ours and the package's value of each field."""
        from core.accounts import can
        from db import actor
        items = self.result.catalogue_diffs
        table = QTableWidget(len(items), 4)
        table.setHorizontalHeaderLabels(["Lấy theo gói", "Danh mục", "Máy này", "Trong gói"])
        for number, item in enumerate(items):
            box = QCheckBox()
            right = "calendar.edit" if item.kind == "calendar" else "catalogue.edit"
            box.setEnabled(can(actor.current(), right))
            table.setCellWidget(number, 0, box)
            texts = (item.title(), "; ".join(f"{w}: {o}" for w, o, _ in item.differs),
                     "; ".join(f"{w}: {t}" for w, _, t in item.differs))
            for column, text in enumerate(texts, 1):
                cell = QTableWidgetItem(text)
                cell.setToolTip(shown.tip(item.line()))
                table.setItem(number, column, cell)
        _plain(table)
        for column, width in ((1, 300), (2, 300)):
            table.setColumnWidth(column, width)
        return table

    def catalogue_choices(self) -> dict[str, str]:
        """Per differing catalogue row: theirs when ticked, else ours."""
        return {item.item: ("theirs" if self.catalogue.cellWidget(row, 0).isChecked() else "ours")
                for row, item in enumerate(self.result.catalogue_diffs)}

    def boxes(self) -> list[QCheckBox]:
        return [self.conflicts.cellWidget(row, 0) for row in range(self.conflicts.rowCount())]

    def _check_all(self, checked: bool) -> None:
        self.default = "theirs" if checked else "keep"
        for box in self.boxes():
            if box.isEnabled():  # (another citizen's row of a code of both: never taken)
                box.setChecked(checked)

    def choices(self) -> tuple[str, dict[str, str]]:
        """(the choice for every conflict, per listed code: theirs when ticked, both when a
        clash's "Giữ cả hai" is, else keep)."""
        out = {c.code: ("theirs" if box.isChecked() else "keep")
               for c, box in zip(self.result.conflicts, self.boxes(), strict=True)
               if c.code not in self.mixed}
        for row, both in self.both_boxes.items():
            if both.isChecked():
                out[self.result.conflicts[row].code] = BOTH
        for row, box in self.reopen_boxes.items():  # chosen again: --choose MÃ=both
            if box.isChecked():
                out[self.result.reopenable[row].code] = BOTH
        for code in self.mixed:  # one choice: the other citizen's, and this PC's own version
            rows = [(c, box) for c, box in zip(self.result.conflicts, self.boxes(), strict=True)
                    if c.code == code]
            out[code] = recode.mixed_choice(
                any(self.both_boxes[r].isChecked() for r, c in enumerate(self.result.conflicts)
                    if c.code == code and r in self.both_boxes),
                any(box.isChecked() for c, box in rows if not c.clash))
        return self.default, out


# the counts' titles on two lines: the sender's column keeps its width beside the totals
PACKAGE_COLUMNS = ("Gói", "Đơn vị — máy gửi", "Mới", "Thay\nđổi", "Giống\nhệt", "Máy này\nmới hơn",
                   "Xung\nđột", "Đã chọn\ntrước", "Phiếu\nmới")


def packages_table(results: list) -> QTableWidget:
    """A first line with the totals, as a Vietnamese statistical table opens ("Cộng"), then
    one line per package (what it would do): of a month-end's twelve packages the totals at the
    foot were behind the scroll bar."""
    table = QTableWidget(len(results) + 1 if results else 0, len(PACKAGE_COLUMNS))
    table.setHorizontalHeaderLabels(list(PACKAGE_COLUMNS))
    outcomes = (compare.NEW, compare.CHANGED, compare.IDENTICAL, compare.OLDER, compare.CONFLICT,
                compare.DECIDED)
    totals = [0] * (len(outcomes) + 1)
    from core.exchange.merge import package_labels
    for row, (result, label) in enumerate(zip(results, package_labels(results), strict=True)):
        counts = [result.dossiers[k] for k in outcomes] + [result.votes[compare.NEW]]
        if not result.same_as:  # a package given twice is counted once (core merge._twice)
            totals = [t + n for t, n in zip(totals, counts, strict=True)]
        # two packages of one name (two folders) told apart by their identity, the one the
        # versions name; the whole path where the mouse rests
        _package_row(table, row + 1, label, sender_text(result.manifest), counts)
        table.item(row + 1, 0).setToolTip(shown.tip(str(result.path)))
    if results:
        _package_row(table, 0, "Cộng", f"{vn_number(sum(not r.same_as for r in results))} gói",
                     totals)
        for column in range(table.columnCount()):
            item = table.item(0, column)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setBackground(QColor("#eeeeee"))
    _plain(table)
    _stretch(table, 1)
    return table


def _package_row(table: QTableWidget, row: int, name: str, sender: str, counts: list) -> None:
    for column, text in enumerate([name, sender, *(vn_number(n) for n in counts)]):
        item = QTableWidgetItem(text)
        if column > 1:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(shown.tip(text))
        table.setItem(row, column, item)


def _shown(moment) -> str:
    """A manifest's date or time as a clerk reads it; what a package says is not trusted."""
    try:
        if isinstance(moment, str) and len(moment) == 10:
            return vn_date(dt.date.fromisoformat(moment))
        return vn_datetime(parse_db_time(moment))
    except (TypeError, ValueError):
        return "?"


def _stretch(table: QTableWidget, column: int | None) -> None:
    """Words in `column` (if any) take the spare width; the counts keep their figures' width."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if column is not None:  # else the table is only as wide as its columns (its caller's cap)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def _plain(table: QTableWidget) -> None:
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()


# ----- this installation in its group ----------------------------------------------------------
class SlotDialog(QDialog):
    """The administrator's step when a PC joins a group (spec 4, core.installation)."""

    def __init__(self, db, parent=None):
        from PySide6.QtWidgets import QSpinBox

        from core import installation
        super().__init__(parent)
        self.setWindowTitle("Máy này trong nhóm trao đổi")
        self.db = db
        number, of = installation.slot(db)
        form = QFormLayout(self)
        form.addRow("Mã cài đặt:", QLabel(installation.installation_id(db)))
        confirmed = installation.slot_confirmed(db)
        if not confirmed:  # a new file: no code until saved here
            unsaid = QLabel("<b>Chưa xác nhận số hiệu</b>: máy này chưa cấp mã hồ sơ mới cho "
                            "đến khi anh/chị lưu số hiệu dưới đây.")
            unsaid.setWordWrap(True)
            form.addRow(unsaid)
        self.of = QSpinBox()
        self.slot = QSpinBox()
        for spin, value in ((self.of, of), (self.slot, number)):
            if confirmed:
                spin.setRange(1, installation.SLOTS_MAX)
                spin.setValue(value)
            else:  # no number until chosen, as at the first start: 1 of 1 is not assumed
                spin.setRange(0, installation.SLOTS_MAX)
                spin.setSpecialValueText("—")
                spin.setValue(0)
        form.addRow("Số máy cùng cấp mã hồ sơ trong nhóm:", self.of)
        form.addRow("Số hiệu của máy này:", self.slot)
        self.error = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        self.error.setStyleSheet(widgets.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        note = QLabel("Mỗi máy trong nhóm (các quầy, các xã gửi gói về trung tâm) cần một số "
                      "hiệu riêng và cùng một số máy: máy số k chỉ cấp số thứ tự chia số máy dư "
                      "k, nên hai máy không bao giờ cấp trùng mã. Một máy dùng riêng: 1 trên 1.")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Save,
                                     QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Lưu: an unchosen number is refused inline, with the first start's words
        (core.office_setup.checked_slot), as is a number past the group's."""
        from core import office_setup
        from core.errors import FieldError
        number, of = self.slot.value(), self.of.value()
        try:
            office_setup.checked_slot(self.db, None if 0 in (number, of) else (number, of))
        except FieldError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


def slot_dialog(window) -> QDialog:
    from core import installation
    from gui import ops
    if installation.home(window.db).ask:  # first what this file is: a copy, or the same PC
        return home_dialog(window)
    dialog = SlotDialog(window.db, window)

    def save() -> None:
        number, of = dialog.slot.value(), dialog.of.value()
        ops.Op(window, lambda db: installation.set_slot(db, number, of), ops.SETTINGS).run(window.db)
    dialog.accepted.connect(save)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# ----- a file opened elsewhere than where it was made ------------------------------------------
class HomeDialog(QDialog):
    """The administrator says what a file opened on another PC (or beside its original) is:
    a new machine with copied data, or the same installation on a replacement PC (spec 4,
    core.installation.home). No code is issued here until one is chosen."""

    def __init__(self, db, parent=None):
        from PySide6.QtWidgets import QButtonGroup, QRadioButton, QSpinBox

        from core import installation
        super().__init__(parent)
        self.setWindowTitle("Tệp dữ liệu được chép từ nơi khác")
        where = installation.home(db)
        number, of = installation.slot(db)
        ident = installation.installation_id(db)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{shown.escaped(where.text())}</b><br>Máy đã lập tệp có mã cài "
                      f"đặt {ident[:8]}…, "
                      f"số hiệu cấp mã {number} trên {of}. Hai máy cùng mã cài đặt và số hiệu "
                      "sẽ cấp trùng mã hồ sơ, nên máy này <b>chưa cấp mã hồ sơ mới</b> cho đến "
                      "khi anh/chị chọn:")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.group = QButtonGroup(self)
        self.new = QRadioButton("Máy này là máy mới, dữ liệu được sao chép từ máy kia (máy kia "
                                "vẫn dùng): cấp mã cài đặt mới và số hiệu riêng cho máy này")
        self.same = QRadioButton("Máy này thay thế máy kia (máy kia không còn dùng để tiếp "
                                 "nhận hồ sơ): giữ mã cài đặt và số hiệu")
        for button in (self.new, self.same):
            self.group.addButton(button)
        layout.addWidget(self.new)
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        new_number, new_of = installation.suggested_new_slot(number, of,
                                                             actor_names.seen_slots(db))
        self.of = QSpinBox()
        self.of.setRange(2, installation.SLOTS_MAX)
        self.of.setValue(new_of)
        self.slot = QSpinBox()
        self.slot.setRange(1, installation.SLOTS_MAX)
        self.slot.setValue(new_number)
        form.addRow("Số máy cùng cấp mã hồ sơ trong nhóm:", self.of)
        form.addRow("Số hiệu của máy này:", self.slot)
        self.new_note = QLabel()
        self.new_note.setWordWrap(True)
        form.addRow(self.new_note)
        layout.addLayout(form)
        layout.addWidget(self.same)
        same_note = QLabel("Chỉ chọn khi máy kia đã thôi dùng (hỏng, thay máy, cài lại): hai "
                           "máy cùng tiếp nhận với cùng mã cài đặt sẽ cấp trùng mã hồ sơ.")
        same_note.setWordWrap(True)
        same_note.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(same_note)
        kept = QLabel("Hồ sơ đã có trong tệp giữ nguyên mã: chúng do máy kia cấp, và ở máy kia "
                      "cũng là chính những hồ sơ ấy (nhập gói qua lại thấy \"giống hệt\").")
        kept.setWordWrap(True)
        layout.addWidget(kept)
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Để sau")
        self.go = buttons.addButton("Xác nhận", QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setEnabled(False)  # an explicit choice: neither is preselected
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old = (number, of)
        self.group.buttonToggled.connect(self._chosen)
        self.of.valueChanged.connect(self._chosen)
        self.slot.valueChanged.connect(self._chosen)
        for field in (self.of, self.slot):
            field.setMaximumWidth(90)
        self._chosen()
        fit_to_screen(self, 760, self.sizeHint().height() + 20)

    def _chosen(self, *_args) -> None:
        number, of = self.old
        new = self.new.isChecked()
        for field in (self.of, self.slot):
            field.setEnabled(new)
        self.slot.setMaximum(self.of.value())
        mine, group = self.slot.value(), self.of.value()
        if mine == number:
            self.new_note.setText(f"<span style='color:{RED}'>Số hiệu {mine} là của máy kia: "
                                  "chọn số hiệu khác.</span>")
        elif group != of:
            self.new_note.setText(f"Máy kia giữ số hiệu {number} nhưng đang ở nhóm {of} máy: "
                                  f"hãy đặt nó thành {number} trên {group} (Dữ liệu → Máy này "
                                  "trong nhóm trao đổi… trên máy kia) trước khi nó cấp mã tiếp; "
                                  f"mọi máy trong nhóm phải cùng số máy {group}.")
        else:
            self.new_note.setText(f"Máy kia giữ số hiệu {number} trên {of}; mỗi máy trong nhóm "
                                  "cần một số hiệu riêng.")
        self.go.setEnabled(self.same.isChecked() or (new and mine != number))

    def decide(self, db) -> str:
        """Carry out the choice (the administrator's right: core refuses anyone else)."""
        from core import installation
        if self.new.isChecked():
            return installation.become_new_machine(db, self.slot.value(), self.of.value())
        installation.stay_the_same(db)
        return installation.installation_id(db)


def home_dialog(window) -> HomeDialog:
    from core import installation
    from gui import ops
    dialog = HomeDialog(window.db, window)

    def done(ident: str) -> None:
        number, of = installation.slot(window.db)
        widgets.inform(window, "Đã xác nhận máy này",
                       f"Mã cài đặt {ident[:8]}…, số hiệu cấp mã {number} trên {of}. Máy này "
                       "cấp mã hồ sơ mới từ bây giờ.")
    dialog.accepted.connect(lambda: ops.Op(window, dialog.decide, ops.SETTINGS).success(done)
                            .run(window.db))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
