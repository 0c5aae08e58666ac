"""The preview's choices (gui.packages.PreviewDialog): the conflicts to keep or take, the
dossiers to reopen, this installation's versions, the catalogue, and what they add up to."""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
)

from core.exchange import compare, recode
from core.exchange.decide import to_decide
from core.exchange.recode import BOTH
from core.timefmt import vn_number
from gui import shown
from gui.fit_columns import wrap_rows
from gui.package_tables import RED, _plain


class PreviewChoices:
    """PreviewDialog's choice tables and what the clerk chose in them (its attributes: set by
    PreviewDialog.__init__)."""

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
            if conflict.refused:  # said before the choice (core.exchange.held_absent)
                differs += f"\n⚠ LẤY THEO GÓI BỊ TỪ CHỐI: {conflict.refused}."
                box.setToolTip(shown.tip(f"Bản của gói: {conflict.refused}."))
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
            differs = version.differs_text() + (  # said before the choice (held_absent)
                f"\n⚠ CHỌN BẢN NÀY BỊ TỪ CHỐI: {version.refused}." if version.refused else "")
            texts = (crossed.code if first else "", title, version.description, differs)
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
            # (the sender's office hours are saved as the settings screen saves them)
            right = {"calendar": "calendar.edit", "hours": "settings.edit"}.get(
                item.kind, "catalogue.edit")
            box.setEnabled(can(actor.current(), right))
            box.setAccessibleName(f"Lấy theo gói: {item.title()}")
            table.setCellWidget(number, 0, box)
            texts = (item.title(), "; ".join(f"{w}: {o}" for w, o, _ in item.differs),
                     "; ".join(f"{w}: {t}" for w, _, t in item.differs))
            # what taking it changes (the office hours: versions, day, dossiers recomputed)
            tip = item.line() + (f"\n\n{item.said}" if item.said else "")
            box.setToolTip(shown.tip(tip))
            if item.kind == "hours":  # what taking them changes, worked out when ticked
                box.toggled.connect(lambda on, b=box, i=item: on and self._hours_impact(b, i))
            for column, text in enumerate(texts, 1):
                cell = QTableWidgetItem(text)
                cell.setToolTip(shown.tip(tip))
                table.setItem(number, column, cell)
        _plain(table)
        for column, width in ((1, 300), (2, 300)):
            table.setColumnWidth(column, width)
        return table

    def _hours_impact(self, box: QCheckBox, item) -> None:
        """The sender's office hours ticked: what taking them changes to the dossiers held here
        worked out as the settings screen works out a change from a past date (spec 2.1: listed
        before saving; core.recompute.impact over each of them, in a worker with progress and
        Huỷ), then asked; left ticked only on Yes. The preview said the versions and a count
        only (core.exchange.office_hours.listing): a pass over every held dossier in every
        preview cost a centre of 200,000 some 15 s."""
        import datetime as dt

        from core.exchange import office_hours
        from gui import widgets
        from gui.worker import run_in_background
        start = dt.date.fromisoformat(item.theirs["from"])
        box.setChecked(False)  # ticked again once the clerk said yes

        def ask(text: str) -> None:
            box.setToolTip(shown.tip(f"{item.line()}\n\n{text}"))
            if widgets.confirm(self, "Lấy giờ làm việc theo gói", f"{text}\n\nLấy giờ làm "
                               "việc của máy gửi khi nhập gói?", yes="Lấy theo gói",
                               no="Giữ của máy này"):
                box.blockSignals(True)
                box.setChecked(True)
                box.blockSignals(False)
        self.hours_worker = run_in_background(
            self, getattr(self.parentWidget(), "db_path", None),
            "Đang xem trước các hồ sơ bị ảnh hưởng…",
            lambda db, progress: office_hours.impact_text(db, item.theirs["hours"], start,
                                                          progress),
            ask, notify=False)

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
