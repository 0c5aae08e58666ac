"""Danh mục thủ tục: list and edit procedures; a new time limit says how many dossiers it moves."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import catalogue, empty_lists, rules, timefmt
from core.calendar import WorkCalendar, load_calendar
from core.components import procedure_components
from core.due import DEFAULT_CUTOFF
from core.errors import FieldError, InputError
from core.explain import LIMIT_UNIT_VI, ONLINE_VI, cutoff_note, limit_text
from core.typed_dates import parse_clock, parse_cutoff
from db.schema import LIMIT_UNITS, ONLINE_LEVELS
from gui import ops, permissions, widgets
from gui.catalogue.components_editor import ComponentsEditor
from gui.catalogue.procedures_model import (
    CODE,
    FEE,
    LIMIT,
    LIMIT_USUAL,
    NAME,
    SQL,
    ProcedureFilter,
    ProceduresModel,
)
from gui.dossiers.intake import money_box
from gui.settings import rule_change

FIELDS = catalogue.PROCEDURE_FIELDS


class ProceduresTab(QWidget):
    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or timefmt.now().date()
        self.worker = self.pending = self.retro_dialog = None
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.filter = QLineEdit(placeholderText="Lọc theo mã hoặc tên (không dấu được)")
        self.filter.textChanged.connect(self._apply_filter)
        left.addWidget(self.filter)
        self.model = ProceduresModel(self)
        self.proxy = ProcedureFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = widgets.table_view()
        self.table.setModel(self.proxy)
        self.table.empty_text = lambda: empty_lists.procedures(
            self.model.rowCount() > 0, permissions.allowed("catalogue.edit"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CODE, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(lambda index, _: self._selected(index))
        left.addWidget(self.table)
        layout.addLayout(left, 3)
        layout.addLayout(self._editor(), 2)

    def _editor(self) -> QVBoxLayout:
        box = QVBoxLayout()
        self.view_only = permissions.view_only_note("catalogue.edit")
        box.addWidget(self.view_only)
        self.form = widgets.ErrorForm()
        f = self.form
        self.edits = {
            "code": f.add("code", "Mã thủ tục (*)", QLineEdit()),
            "name": f.add("name", "Tên thủ tục (*)", QLineEdit()),
            "field": f.add("field", "Lĩnh vực", QLineEdit()),
            "limit_value": f.add("limit_value", "Thời hạn (*)", QDoubleSpinBox(maximum=3650, decimals=1)),
            "limit_unit": f.add("limit_unit", "Đơn vị thời hạn", widgets.combo(
                [(u, LIMIT_UNIT_VI[u]) for u in LIMIT_UNITS])),
            "fee": f.add("fee", "Lệ phí", money_box()),
            "online_level": f.add("online_level", "Dịch vụ công trực tuyến (*)", widgets.combo(
                [(lv, ONLINE_VI[lv]) for lv in ONLINE_LEVELS])),
            "paper_result": f.add("paper_result", "Kết quả", QCheckBox("Phải trả kết quả bản giấy")),
            # the one rule of a cut-off, the import's too (core.typed_dates.parse_cutoff): a
            # typed time of day as the office hours in Cài đặt ("15h" is 15:00, "25:00" is
            # named), or the one stored, kept; empty is the common cut-off
            "same_day_cutoff": f.add("same_day_cutoff", "Giờ chốt (trả trong ngày)", widgets.time_field(
                empty=f"để trống là theo giờ chốt chung {DEFAULT_CUTOFF}")),
            "valid_from": f.add("valid_from", "Áp dụng từ ngày", widgets.date_field(self.today)),
        }
        self._watch_cutoff()
        self.components = f.add_wide("components", "Thành phần hồ sơ (giấy tờ người nộp cần nộp):",
                                     ComponentsEditor())
        # no level until the clerk picks one: a default "toàn trình" silently widened the 70%
        # denominator (spec 5, online_full.eligible)
        self.edits["online_level"].setPlaceholderText("— chọn mức —")
        self.edits["online_level"].setCurrentIndex(-1)
        self.edits["valid_from"].setToolTip(
            "Thời hạn, mức trực tuyến và giờ chốt mới áp dụng cho hồ sơ tiếp nhận từ ngày này; hồ "
            "sơ tiếp nhận trước đó giữ quy định cũ. Thủ tục mới áp dụng từ đầu.")
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setStyleSheet("color: #555;")
        box.addWidget(permissions.read_only(self.form, "catalogue.edit"))
        box.addWidget(self.history)
        box.addLayout(self._buttons())
        self.saved_label = QLabel()  # "Đã lưu thủ tục …" once a save went through
        self.saved_label.setWordWrap(True)
        self.saved_label.setStyleSheet("color: #1b5e20;")
        box.addWidget(self.saved_label)
        box.addStretch(1)
        return box

    def _watch_cutoff(self) -> None:
        """The cut-off field reads a typed time as the import does, and says what a late one means."""
        self.kept_cutoff: tuple[str, str] | None = None  # (code, cut-off) as stored
        cutoff = self.edits["same_day_cutoff"]
        cutoff.parse = lambda text: parse_cutoff(text, self._kept(), cutoff.what)
        # a cut-off after the end of office hours is kept, and said what it means
        # (core.explain.cutoff_note): received after office hours, due the next working day
        self.cal: WorkCalendar | None = None
        self.cutoff_note = QLabel()
        self.cutoff_note.setWordWrap(True)
        self.cutoff_note.setStyleSheet("color: #8a4b00;")
        self.cutoff_note.hide()
        cutoff.parentWidget().layout().addWidget(self.cutoff_note)  # under the field's message
        cutoff.edit.textChanged.connect(self._show_cutoff_note)
        self.edits["limit_unit"].currentIndexChanged.connect(self._show_cutoff_note)
        self.edits["valid_from"].edit.textChanged.connect(self._show_cutoff_note)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_button = QPushButton("Thủ tục mới")
        self.new_button.clicked.connect(self.clear)
        self.save_button = QPushButton("Lưu thủ tục")
        self.save_button.clicked.connect(self.save)
        row.addWidget(permissions.guard(self.new_button, "catalogue.edit"))
        row.addWidget(permissions.guard(self.save_button, "catalogue.edit"))
        return row

    def refresh(self) -> None:
        self.cal = load_calendar(self.db)  # the office hours may have changed in Cài đặt
        self.model.cal = self.cal.governing(self.today)
        self.model.set_rows(self.db.execute(SQL).fetchall())
        self._show_cutoff_note()
        for column in (CODE, LIMIT, FEE):
            self.table.resizeColumnToContents(column)
        # the same-day rule's long sentence took the name's room at 1366 px ("Đăng …"): the
        # time limit keeps a usual one whole, the rest is cut with "…" (whole in its tooltip)
        usual = self.table.fontMetrics().horizontalAdvance(LIMIT_USUAL) + 24
        self.table.setColumnWidth(LIMIT, min(self.table.columnWidth(LIMIT), usual))
        self._show_history(self.edits["code"].text().strip() or None)

    def _apply_filter(self) -> None:
        self.proxy.set_text(self.filter.text())

    def _selected(self, index) -> None:
        if not index.isValid():
            return
        code = self.model.code_at(self.proxy.mapToSource(index).row())
        values = self.db.execute(f"SELECT {', '.join(FIELDS)} FROM procedures WHERE code = ?",
                                 [code]).fetchone()
        data = dict(zip(FIELDS, values, strict=True))
        for key in ("code", "name", "field"):
            self.edits[key].setText(data[key] or "")
        self._show_cutoff(data["code"], data["same_day_cutoff"])
        self.edits["limit_value"].setValue(data["limit_value"])
        self.edits["fee"].setValue(data["fee"])
        widgets.select_value(self.edits["limit_unit"], data["limit_unit"])
        widgets.select_value(self.edits["online_level"], data["online_level"])
        self.edits["paper_result"].setChecked(bool(data["paper_result"]))
        self.edits["valid_from"].set_value(self.today)
        self.components.set_items(procedure_components(self.db, code))
        self._show_history(data["code"])

    def _show_cutoff(self, code: str, stored: str | None) -> None:
        """The stored cut-off in its field, as stored: a time of day, or what an older version
        kept ("24:00", the end of the day, or "7:5"), which saving untouched keeps as it is
        (core.typed_dates.parse_cutoff) — its due times read it (core.calendar.parse_hhmm);
        only a new time typed there follows the typed rule."""
        field = self.edits["same_day_cutoff"]
        self.kept_cutoff = (code, stored) if stored and stored.strip() else None
        field.set_value(stored if self.kept_cutoff else None)
        try:
            parse_clock(stored or "")
        except InputError:
            if self.kept_cutoff and field.problem() is None:
                field.edit.setToolTip(
                    f"Giờ chốt {stored.strip()} đã lưu từ phiên bản trước ("
                    + ("hết ngày: tính như giờ kết thúc làm việc, hồ sơ nhận sau giờ làm "
                       "việc trả vào ngày làm việc tiếp theo"
                       if stored.strip() == "24:00" else "đọc theo giờ:phút")
                    + "); lưu mà không sửa thì giữ nguyên. Giờ gõ mới: từ 00:00 đến 23:59.")

    def _show_cutoff_note(self, *_args) -> None:
        """Under the cut-off, for a same-day limit: what a cut-off after the end of the office
        hours in force from "Áp dụng từ ngày" means (core.explain.cutoff_note)."""
        note = None
        if self.edits["limit_unit"].currentData() == "same_day":
            if self.cal is None:
                self.cal = load_calendar(self.db)
            day = self.edits["valid_from"].value() if self.edits["valid_from"].problem() is None \
                else None
            note = cutoff_note(self.cal.governing(day or self.today),
                               self.edits["same_day_cutoff"].edit.text().strip() or None)
        self.cutoff_note.setText(note or "")
        self.cutoff_note.setVisible(note is not None)

    def _kept(self) -> str | None:
        """The stored cut-off of the procedure whose code is in the form, else None."""
        if self.kept_cutoff is None or self.edits["code"].text().strip() != self.kept_cutoff[0]:
            return None
        return self.kept_cutoff[1]

    def _show_history(self, code: str | None) -> None:
        entries = rules.procedure_entries(self.db, code) if code else []
        self.history.setText("" if len(entries) < 2 else "Quy định đã áp dụng:\n" + "\n".join(
            f"• {rules.vn_from(day)}: {limit_text(rule.limit())}, trực tuyến "
            f"{ONLINE_VI[rule.online_level]}" for day, rule in entries))

    def clear(self) -> None:
        for key in ("code", "name", "field"):
            self.edits[key].clear()
        self.kept_cutoff = None
        self.edits["same_day_cutoff"].set_value(None)
        self.edits["limit_value"].setValue(0)
        self.edits["fee"].setValue(0)
        self.edits["online_level"].setCurrentIndex(-1)
        self.edits["paper_result"].setChecked(False)
        self.edits["valid_from"].set_value(self.today)
        self.components.set_items([])
        self._show_history(None)
        self.edits["code"].setFocus()

    def values(self) -> dict:
        e = self.edits
        return {"code": e["code"].text().strip(), "name": e["name"].text().strip(),
                "field": e["field"].text().strip() or None, "limit_value": e["limit_value"].value(),
                "limit_unit": e["limit_unit"].currentData(), "fee": e["fee"].value(),
                "online_level": e["online_level"].currentData(),
                "paper_result": int(e["paper_result"].isChecked()),
                "same_day_cutoff": e["same_day_cutoff"].value(),  # "15:30" (parse_cutoff)
                "valid_from": e["valid_from"].value()}

    def _check(self, v: dict) -> bool:
        if not v["code"]:
            return self.form.show_error("code", "Cần nhập mã thủ tục.") and False
        if not v["name"]:
            return self.form.show_error("name", "Cần nhập tên thủ tục.") and False
        if v["online_level"] is None:
            return self.form.show_error(
                "online_level", "Chọn mức dịch vụ công trực tuyến: toàn trình, một phần hoặc "
                "không (mức toàn trình tính vào mẫu số tỷ lệ toàn trình).") and False
        return True

    def save(self) -> bool:
        self.form.clear_errors()
        try:
            v = self.values()
        except FieldError as exc:  # "Áp dụng từ ngày" typed is not a day: said under it
            return self.form.show_error(exc.field, exc.message) and False
        if not self._check(v):
            return False
        try:
            plan = catalogue.procedure_change(self.db, v, self.components.items())
        except FieldError as exc:  # a bad line of the documents' list: shown under it
            return self.form.show_error(exc.field, exc.message) and False
        if plan.dated:
            day = v["valid_from"]
            self.pending = rule_change.save_dated(
                self, what=f"Đổi quy định của thủ tục {v['code']} từ ngày {timefmt.vn_date(day)}",
                db=self.db, valid_from=day, today=self.today, change=plan.change, ids=plan.ids,
                on_done=lambda _n: self._saved(v, plan))
            return True
        if plan.ids:  # a new fee: the dossiers using the procedure's fee, in a worker
            self.worker = rule_change.apply_change(self, self.db.path, plan.change, plan.ids,
                                                 lambda _n: self._saved(v, plan))
            return True
        return ops.Op(self, plan.change, ops.CATALOGUE, form=self.form,
                      doing="lưu thủ tục").success(
            lambda _r: self._saved(v, plan)).run(self.db)

    def _saved(self, values: dict, plan: catalogue.ProcedureChange | None = None) -> None:
        """Say the save happened (issue 14.9): next to the button and in the status bar; a new
        fee says that the dossiers already received kept the old one (core.fees)."""
        self.refresh()
        name = values["name"].strip()
        name = name if len(name) <= 80 else name[:79] + "…"  # a status line, not the record
        text = f"Đã lưu thủ tục {values['code'].strip()} — {name}."
        fee = plan.fee_message() if plan is not None else None
        self.saved_label.setText(f"{text} {fee}" if fee else text)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10000)

