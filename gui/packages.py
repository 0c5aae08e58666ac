"""Packages between installations from the Dữ liệu menu (spec 9): export, and import with a
preview (new / changed / identical / conflicting) and a choice per conflicting dossier.

Both run in a worker with progress and cancel (gui.worker); the preview is the import's own
dry run, so what the clerk sees is what the import will do. Dialogs are opened window-modal
with `open()`, never a nested `exec()` loop, and continue from their `accepted` signal.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.exchange import compare, phase_steps, recode, signing
from core.exchange.checks import sender_text
from core.exchange.decide import (
    CHANGE_EARLIER_VI,
    REOPEN_VI,
    conflicts_asked,
    counted_conflicts,
)
from core.exchange.recode import BOTH
from core.timefmt import vn_number
from gui import file_dialogs, package_preview, shown, widgets
from gui.package_choices import PreviewChoices
from gui.package_export import FILTER, ExportDialog, export_dialog
from gui.package_home import HomeDialog, SlotDialog, home_dialog, slot_dialog
from gui.package_tables import PACKAGE_COLUMNS, RED, _plain, _shown, _stretch, packages_table
from gui.screen_fit import fit_to_screen

WARNING_LINES = 4  # lines of warnings under several packages (more scroll)
QWIDGETSIZE_MAX = 16_777_215  # Qt's "no maximum" (QWIDGETSIZE_MAX)
OUTCOMES = ((compare.NEW, "Hồ sơ mới (sẽ thêm)"), (compare.CHANGED, "Hồ sơ đã xử lý tiếp ở máy gửi (sẽ cập nhật)"),
            (compare.IDENTICAL, "Hồ sơ giống hệt (bỏ qua)"),
            (compare.OLDER, "Hồ sơ máy này mới hơn (giữ nguyên)"),
            (compare.CONFLICT, "Hồ sơ xung đột: cùng mã, khác nội dung (cần chọn)"),
            (compare.DECIDED, "Hồ sơ xung đột đã chọn ở lần nhập trước (giữ như đã chọn)"))


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


class PreviewDialog(PreviewChoices, QDialog):
    """What the package would do, and for each conflict: keep ours, or take the package's."""

    def __init__(self, result, parent=None, packages: list | None = None,
                 crossed: list | None = None):
        super().__init__(parent)
        self.result = result
        self.crossed: list[compare.Crossed] = list(crossed or [])
        self.default = "keep"  # the conflicts beyond the listed ones follow "… tất cả"
        self.setWindowTitle("Xem trước gói trao đổi")
        self.db = getattr(parent, "db", None)
        layout = QVBoxLayout(self)
        self._add_summary(layout, packages or [])
        self._add_reopenable(layout)
        self.catalogue = self._catalogue_table()
        if result.catalogue_diffs:
            layout.addWidget(QLabel(f"Danh mục trong gói khác máy này ở "
                                    f"{vn_number(len(result.catalogue_diffs))} dòng — đánh dấu "
                                    "những dòng lấy theo gói; dòng không đánh dấu giữ như máy này:"))
            layout.addWidget(self.catalogue, 1)
        single = self._add_conflicts(layout, packages)
        self._add_versions(layout)
        if not result.conflict_count and not result.catalogue_diffs:
            self._spare_height(layout)
        self.ready_panel = package_preview.ReadyPanel(self, self.db)  # what stops the import
        layout.addWidget(self.ready_panel)
        layout.addLayout(self._button_row(single))
        self._count_left()
        self.ready_panel.watch()  # "Nhập gói" enabled by core's rule (core.exchange.ready)
        # the screen's width: a conflict's two sides on two lines each, not four (1366×728)
        # versions or conflicts to pick: as tall as the screen allows (a 1920×1080 screen
        # showed four codes of sixty, or one conflict and a half, in 720 px)
        fit_to_screen(self, 1340, 1000 if self.crossed or result.conflict_count else 720
                      if result.catalogue_diffs or packages else 480)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Enter among conflicts, versions or catalogue rows to choose does not import: a
        clerk moving through the list with Enter imported every choice left as ticked by
        default. «Nhập gói» is pressed, as a button (a button with the focus takes Enter)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._to_choose() \
                and not isinstance(self.focusWidget(), QPushButton):
            event.accept()
            return
        super().keyPressEvent(event)

    def _to_choose(self) -> bool:
        return bool(self.boxes() or self.crossed or self.result.catalogue_diffs
                    or self.reopen_boxes)

    def _spare_height(self, layout: QVBoxLayout) -> None:
        """Without conflicts or catalogue lines to pick, the spare height goes to the warnings
        under several packages (at least WARNING_LINES tall): boxed to four lines above a third of
        an empty window, two counters' slot warnings were each cut in their second line at
        1366×728 (review of round 32); else to an empty stretch."""
        if self.warnings_area is None:
            layout.addStretch(1)
            return
        self.warnings_area.setMaximumHeight(QWIDGETSIZE_MAX)
        layout.setStretchFactor(self.warnings_area, 1)

    def _add_summary(self, layout: QVBoxLayout, packages: list) -> None:
        """The counts, beside the packages (several) or the package's warnings (one)."""
        # what stops the import is said by the panel above "Nhập gói" (ready.readiness reads
        # the preview's `refused_both`): it is none of the warnings
        warnings = self.result.warnings
        self.warnings_area: QScrollArea | None = None  # under several packages
        self.packages = packages_table(packages)
        self.counts = self._counts_table()
        if packages:  # several: one line each and the totals, beside the counts
            counted = sum(not r.same_as for r in packages)  # a package given twice: once
            again = (f" ({vn_number(len(packages) - counted)} tệp là gói đã đưa, chỉ tính một "
                     "lần)") if counted < len(packages) else ""
            layout.addWidget(QLabel(f"<b>{vn_number(counted)} gói</b>{again}, nhập cùng nhau "
                                    "trong một giao dịch (lỗi ở một gói thì không ghi gì):"))
            self._beside_counts(layout, self.packages)
            if warnings:  # under both, the window's width, scrolling
                self.warnings_area = self._warnings(warnings, WARNING_LINES)
                layout.addWidget(self.warnings_area)
        else:
            layout.addWidget(self._heading())
            # beside the counts, scrolling: a month-end's seven long warnings took the height
            # from the totals and the conflicts
            self._beside_counts(layout, self._warnings(warnings) if warnings else None)

    def _add_reopenable(self, layout: QVBoxLayout) -> None:
        """How to change a conflict decided earlier, and the clashes this PC kept."""
        if self.result.dossiers[compare.DECIDED]:  # not asked again: how to change one
            earlier = QLabel(CHANGE_EARLIER_VI)
            earlier.setWordWrap(True)
            layout.addWidget(earlier)
        # of those, the clashes this PC kept: chosen again here as the command does
        self.reopen_boxes: dict[int, QCheckBox] = {}
        self.reopen_table = self._reopen_table()
        if self.result.reopenable:
            said = QLabel(REOPEN_VI)
            said.setWordWrap(True)
            layout.addWidget(said)
            layout.addWidget(self.reopen_table)

    def _add_conflicts(self, layout: QVBoxLayout, packages: list | None) -> int:
        """The conflicts to decide one by one; returns how many are listed."""
        self.conflicts = self._conflicts_table()
        # what is left to decide, counted as the command's --dry-run counts it
        self.results = list(packages or [self.result])
        # a clash is previewed kept both (its "Giữ cả hai" ticked): listed to choose all the
        # same, and counted past the list's length too, as «Số lượng» counts it (a heading of
        # "1 hồ sơ xung đột" beside a count of 2 left out a clash not listed)
        single = conflicts_asked(self.results, self.result.conflicts)
        if single:
            said = QLabel(f"{vn_number(single)} hồ sơ xung đột — đánh dấu những hồ sơ lấy "
                          "theo gói; hồ sơ không đánh dấu giữ như máy này" + (
                              f". Hai hồ sơ khác nhau cùng mã (chữ đỏ): \"{compare.BOTH_VI}\" "
                              "đã đánh dấu sẵn — hồ sơ của gói nhận mã mới của máy này, không "
                              "mất hồ sơ nào" if self.both_boxes else "") + self._unlisted() + ":")
            said.setWordWrap(True)
            self.conflicts_said = said
            layout.addWidget(said)
            layout.addWidget(self.conflicts, 1)
        return single

    def _unlisted(self) -> str:
        """The conflicts past the list's length (core's CONFLICTS_SHOWN, of all the packages
        together): what they become, since no line shows them."""
        if counted_conflicts(self.results) <= self.conflicts.rowCount():
            return ""
        several = sum(not getattr(r, "same_as", "") for r in self.results)  # (given twice: once)
        of = "" if several < 2 else f" (của cả {vn_number(several)} gói, theo thứ tự gói)"
        return (f". Bảng chỉ liệt kê {vn_number(self.conflicts.rowCount())} hồ sơ xung đột đầu "
                f"tiên{of} (bảng Số lượng đếm đủ); hồ sơ không liệt kê giữ như máy này, hoặc "
                f"lấy theo gói nếu bấm «Lấy tất cả theo gói»; hai hồ sơ khác nhau cùng mã không "
                f"liệt kê được giữ cả hai")

    def _add_versions(self, layout: QVBoxLayout) -> None:
        """The codes several packages carry in other versions: one version each to pick."""
        self.version_groups: dict[str, tuple[QButtonGroup, list[str]]] = {}
        self.versions_table = self._versions_table()
        self.left_label = QLabel()
        self.left_label.setWordWrap(True)
        if self.crossed:
            layout.addWidget(self.left_label)
            layout.addWidget(self.versions_table, 1)

    def _button_row(self, single: int) -> QHBoxLayout:
        """The line of "Nhập gói": "keep all"/"take all" beside it, not a line more for the
        conflicts."""
        row = QHBoxLayout()
        if self.crossed:
            self.here_all = QPushButton("&Bản của máy này cho mọi mã chưa chọn")
            self.here_all.setToolTip("Mã mà máy này chưa có vẫn phải chọn bản của một gói.")
            self.here_all.clicked.connect(self._here_for_the_rest)
            row.addWidget(self.here_all)
        if single:
            self.keep_all = QPushButton("&Giữ tất cả của máy này")
            self.take_all = QPushButton("&Lấy tất cả theo gói")
            self.keep_all.clicked.connect(lambda: self._check_all(False))
            self.take_all.clicked.connect(lambda: self._check_all(True))
            row.addWidget(self.keep_all)
            row.addWidget(self.take_all)
        row.addWidget(self.ready_panel.untick)  # (shown while it lifts what stops the import)
        row.addStretch(1)
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton("&Nhập gói", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        return row

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
        signed = signing.status_text(self.result.signature, self.result.dry_run)
        # rich on purpose (the bold name); what the package says shown as typed (gui.shown)
        label = QLabel(f"<b>{shown.escaped(Path(self.result.path).name)}</b><br>Đơn vị: "
                       f"{shown.escaped(sender_text(manifest))} — thay đổi từ "
                       f"{_shown(period.get('since'))}, xuất lúc {_shown(manifest.get('created_at'))}"
                       + (f"<br>Chữ ký: {shown.escaped(signed)}" if signed else ""))
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


__all__ = ["FILTER", "OUTCOMES", "PACKAGE_COLUMNS", "RED", "WARNING_LINES", "ExportDialog",
           "HomeDialog", "PreviewDialog", "SlotDialog", "export_dialog", "home_dialog",
           "import_dialog", "packages_table", "slot_dialog"]
