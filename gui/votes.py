"""Đánh giá: record citizens' paper votes at the time on the form, list and cancel votes."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import cancelling, empty_lists, timefmt
from core import votes as core_votes
from core.dossiers import FieldError, find_by_code
from core.errors import MotCuaError
from core.labels import VOTE_SOURCE_VI as SOURCE_VI
from core.unit_scope import scope_in, scope_param, subtree_codes
from core.workbook import lists
from db import actor as actors
from gui import list_export, ops, permissions, shown, unit_preset, widgets
from gui.dossiers.actions import RATING_VI, CancelDialog, RatingPicker
from gui.dossiers.register_view import code_width
from gui.fit_columns import ElideStart, OnResize
from gui.lazymodel import SORT_ROLE, Column, Row, SqlListModel
from gui.one_save import OneSave
from gui.period_bar import PeriodBar

UNHAPPY = QColor("#f8d0cc")
CANCELLED = QColor("#777777")


def _time(text: str) -> str:
    return timefmt.vn_datetime(timefmt.parse_db_time(text))


class VotesModel(SqlListModel):
    """Every vote of the period; a cancelled one stays listed, struck through (issue 11)."""

    SPEC = lists.VOTES  # headers and row SQL shared with its Excel file
    H = SPEC.headers
    COLUMNS = (Column(H[0], "v.voted_at", indexed=True), Column(H[1], "v.unit_code"),
               Column(H[2], "v.rating"), Column(H[3], "d.code"),
               Column(H[4], "v.comment"), Column(H[5], "v.source"),
               Column(H[6], "v.cancelled_at"))
    ID_SQL = "v.id"
    DEFAULT_SORT = (0, Qt.SortOrder.DescendingOrder)
    ROW_SQL = SPEC.row_sql
    # the state says "Đã huỷ"; when, and why, on hover: "Đã huỷ lúc 09:30 11/06/2025" sized
    # the list past its width at 1366 px (issue 14 §5: the code and times whole, no scrolling)
    FORMAT = (_time, None, lambda r: RATING_VI.get(r, r), None, None,
              lambda s: SOURCE_VI.get(s, s), lambda t: cancelling.CANCELLED)

    def base_from(self) -> str:
        return "FROM votes v LEFT JOIN dossiers d ON d.id = v.dossier_id"

    def decorate(self, row: Row, values) -> Row:
        # the unit and comment are cut to the list's width: whole on hover
        row.tooltip = "\n".join(t for t in (values[1], values[4]) if t)
        if values[6]:  # cancelled: kept in the list, counted nowhere
            row.struck, row.foreground = tuple(range(6)), CANCELLED  # the state stays plain
            row.tooltip += "\n" + cancelling.note(values[6], values[7])
        elif values[2] == "dissatisfied":
            row.background = UNHAPPY
        return row


# The list beside the 330-px form: the time, rating, code, source and state whole (their
# longest words); the unit, cut at its start ("…xã Khánh Khê"), up to its whole name, then the
# comment takes the rest. At 1366 px the fixed widths (135+155+105+205+130+95+…) scrolled.
TIME, UNIT, RATING, CODE, COMMENT, SOURCE, STATE = range(7)
WHOLE = {TIME: ["00:00 00/00/0000"], RATING: list(RATING_VI.values()),
         SOURCE: list(SOURCE_VI.values()), STATE: [cancelling.CANCELLED]}
UNIT_LEAST, UNIT_FULL, COMMENT_LEAST = 90, 320, 90


def fit_votes(view) -> None:
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column, texts in WHOLE.items():
        widgets.fit_column(view, column, texts, least=VotesModel.H[column], padding=14)
    view.setColumnWidth(CODE, code_width(view))  # the code read whole (issue 14 §5)
    view.setItemDelegateForColumn(UNIT, ElideStart(view))
    header.setSectionResizeMode(COMMENT, header.ResizeMode.Stretch)
    # the unit's width read from the rows in sight (a page, not Qt's 1,000: 0.2 s a refresh)
    header.setResizeContentsPrecision(0)
    OnResize(view, lambda: share_votes(view))
    share_votes(view)


def share_votes(view) -> None:
    """The unit up to its whole name (the longest listed, at most UNIT_FULL) while the comment
    keeps COMMENT_LEAST; the comment stretches over the rest."""
    others = sum(view.columnWidth(c) for c in range(len(VotesModel.COLUMNS))
                 if c not in (UNIT, COMMENT))
    room = view.viewport().width() - others
    wanted = min(UNIT_FULL, max(UNIT_LEAST, view.sizeHintForColumn(UNIT)))
    view.setColumnWidth(UNIT, max(UNIT_LEAST, min(wanted, room - COMMENT_LEAST)))



class VotesScreen(QWidget):
    SHOWS = ops.VOTES | ops.DOSSIERS | ops.CATALOGUE  # reloaded after these writes

    def __init__(self, db, parent=None, today: dt.date | None = None, now=None):
        super().__init__(parent)
        self.db = db
        self._now = now or (lambda: timefmt.now())
        layout = QHBoxLayout(self)
        layout.addWidget(self._entry(), 0)
        right = QVBoxLayout()
        self.period = PeriodBar(db, today=today)
        self.period.changed.connect(self.refresh)
        right.addWidget(self.period)
        self.model = VotesModel(db, self)
        self.view = widgets.table_view()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(*self.model.DEFAULT_SORT)
        fit_votes(self.view)
        self.view.empty_text = self.no_vote_text
        right.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        self.summary = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        bottom.addWidget(self.summary, 1)
        self.cancel_button = permissions.guard(QPushButton("Huỷ phiếu…"), "vote.record")
        self.cancel_button.setToolTip("Huỷ phiếu đang chọn (nhập nhầm), có ghi lý do; phiếu vẫn "
                                      f"được giữ, đánh dấu “{cancelling.CANCELLED}”, và không còn được tính.")
        self.cancel_button.clicked.connect(self.cancel_selected)
        bottom.addWidget(self.cancel_button)
        self.export_button = list_export.button()
        self.export_button.clicked.connect(self.export_excel)
        bottom.addWidget(self.export_button)
        right.addLayout(bottom)
        layout.addLayout(right, 1)

    def _entry(self) -> QGroupBox:
        box = QGroupBox("Nhập phiếu đánh giá giấy")
        box.setFixedWidth(330)
        layout = QVBoxLayout(box)
        # an account that may not record votes (a leader) sees the form greyed and why, not an
        # editable form without its button (try25 F5); re-applied at each change of clerk
        self.view_only = permissions.view_only_note("vote.record", to="nhập phiếu")
        layout.addWidget(self.view_only)
        self.form = widgets.ErrorForm()
        # across the form, its label above: beside the label a unit's name and code were cut
        # at 330 px ("UBND tỉnh Lạng Sơn (", issue 14 §5); the whole name is also on hover
        self.unit_box = self.form.add_wide("unit_code", "Đơn vị",
                                           widgets.combo(widgets.units(self.db), elide_middle=True))
        # the clerk's own unit, as at intake: a form typed in by a commune's clerk counted for
        # the first unit of the list (the province's) unless the clerk changed it each time
        self._preset_for: str | None = None
        self._preset_unit()
        self.unit_box.currentTextChanged.connect(lambda name: self.unit_box.setToolTip(shown.tip(name)))
        self.unit_box.setToolTip(shown.tip(self.unit_box.currentText()))
        self.rating = self.form.add("rating", "Mức độ (*)", RatingPicker())
        # the time written on the form: a form typed in late still counts in its own month
        self.voted_at = self.form.add("voted_at", "Thời điểm (*)",
                                      widgets.datetime_edit(self._now()))
        self.voted_at.setToolTip("Ngày giờ người dân đánh giá, ghi trên phiếu: phiếu nhập muộn "
                                 "vẫn được tính vào đúng tháng của nó.")
        self.time_is_now = True  # until the clerk edits it, the time follows the clock
        self.voted_at.edited.connect(lambda: setattr(self, "time_is_now", False))
        self.code_edit = self.form.add("dossier", "Mã hồ sơ (nếu có)", QLineEdit())
        self.comment = self.form.add("comment", "Góp ý", widgets.TextBox())
        self.comment.setFixedHeight(70)
        layout.addWidget(permissions.read_only(self.form, "vote.record"))
        self.save_button = permissions.read_only(QPushButton("Lưu phiếu"), "vote.record")
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.save_button)
        layout.addStretch(1)
        self._once = OneSave(lambda: (self.unit_box.currentData(), self.rating.value(),
                                      self.code_edit.text(), self.comment.toPlainText()))
        return box

    def _preset_unit(self) -> None:
        """The signed-in clerk's unit (core.desk_unit), chosen again when another clerk signs in
        at this PC: the screen outlives a change of clerk."""
        who = actors.signed_in()
        self._preset_for = who.login if who is not None else None
        unit_preset.preset(self.db, self.unit_box, "votes")

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        who = actors.signed_in()
        if who is not None and who.login != self._preset_for:
            self._preset_unit()

    def save(self) -> bool:
        """Record the form's vote; a second click queued behind the first records nothing and
        says nothing (gui.one_save): it found the form cleared for the next vote, and said
        "choose a level" under a vote just saved."""
        return self._once.run(self._save)

    def _save(self) -> bool:
        code = self.code_edit.text().strip()
        self.form.clear_errors()
        try:  # the time typed, or what is wrong with it under the field (nothing saved)
            voted_at = widgets.from_edit(self.voted_at)
        except FieldError as exc:
            self.form.show_error(exc.field, exc.message)
            return False
        values = dict(unit_code=self.unit_box.currentData(), rating=self.rating.value() or "",
                      voted_at=voted_at, comment=self.comment.toPlainText())
        return ops.Op(self, lambda db: _record_paper_vote(db, code, values), ops.VOTES,
                      form=self.form).success(lambda _r: self._saved(values)).run(self.db)

    def _saved(self, values: dict) -> None:
        unit_preset.remember("votes", values["unit_code"])
        self._clear_entry()

    def _clear_entry(self) -> None:
        self.code_edit.clear()
        self.comment.clear()
        self.rating.group.setExclusive(False)
        for button in self.rating.group.buttons():
            button.setChecked(False)
        self.rating.group.setExclusive(True)
        # the next form is often of the same day; the time is kept, never moved to "now"

    def cancel_selected(self) -> bool:
        """Cancel the vote selected in the list, with a reason (core.votes.cancel_vote)."""
        rows = self.view.selectionModel().selectedRows()
        vote_id = self.model.id_at(rows[0].row()) if rows else None
        if vote_id is None:
            widgets.inform(self, "Huỷ phiếu đánh giá", "Hãy chọn phiếu cần huỷ trong danh sách.")
            return False
        cells = [self.model.index(rows[0].row(), c).data() for c in range(7)]
        if cells[6]:  # "Phiếu này đã huỷ lúc 09:30 11/06/2025."
            cancelled_at = self.model.index(rows[0].row(), 6).data(SORT_ROLE)
            widgets.inform(self, "Huỷ phiếu đánh giá",
                           f"Phiếu này {cancelling.state(cancelled_at).lower()}.")
            return False
        dialog = CancelDialog("Huỷ phiếu đánh giá", f"Huỷ phiếu “{cells[2]}” lúc {cells[0]} của "
                              f"{cells[1]}" + (f", hồ sơ {cells[3]}." if cells[3] else "."), self)
        return ops.run_form(dialog, self.db, lambda db, values: core_votes.cancel_vote(
            db, vote_id, **values), ops.VOTES)

    def no_vote_text(self) -> str:
        """None in the period and unit, or none at all yet (one indexed look, only when empty)."""
        any_vote = bool(self.db.execute("SELECT EXISTS (SELECT 1 FROM votes)").fetchone()[0])
        return empty_lists.votes(any_vote, permissions.allowed("vote.record"))

    def export_excel(self):
        """The votes listed, as a workbook; returns the worker."""
        first, last = self.period.period()
        if not list_export.period_ok(self, first, last):
            return None
        return list_export.export(self, self.db, lists.VOTES, self.model.all_ids(),
                                  lists.scope(self.db, self.period.unit(), first, last))

    def refresh(self) -> None:
        if self.time_is_now:
            self.voted_at.blockSignals(True)
            self.voted_at.set_value(self._now())
            self.voted_at.blockSignals(False)
        self.period.reload_units()
        period = self.period.checked_period()
        if period is None:  # said beside the days; no list of a period that cannot be
            self.model.clear()
            self.summary.setText(f"Không có danh sách: {self.period.problem.text()}")
            return
        first, last = period
        unit = self.period.unit()
        units = subtree_codes(self.db, unit) if unit else []
        clauses = ["v.id IN (SELECT id FROM vote_rows WHERE voted_at >= unixepoch(?) "
                   "AND voted_at < unixepoch(?))"]  # the rows: seconds (db.entry_rows)
        params = [first.isoformat(), (last + dt.timedelta(days=1)).isoformat()]
        if units:
            clauses.append(scope_in("v.unit_code"))
            params.append(scope_param(units))
        self.model.set_where(clauses, params)
        self.model.reload()
        share_votes(self.view)  # the unit as wide as the names listed need
        from_where, params = self.model.from_where()
        total, satisfied, cancelled = self.db.execute(
            "SELECT COUNT(*) - COUNT(v.cancelled_at), COALESCE(SUM(v.cancelled_at IS NULL AND "
            "v.rating IN ('very_satisfied', 'satisfied')), 0), COUNT(v.cancelled_at) "
            + from_where, params).fetchone()
        rate = satisfied / total if total else None
        self.summary.setText(f"{timefmt.vn_number(total)} phiếu · hài lòng "
                             f"{timefmt.vn_number(satisfied)} · tỷ lệ {timefmt.vn_percent(rate)}"
                             + (f" (không tính {timefmt.vn_number(cancelled)} phiếu đã huỷ)"
                                if cancelled else ""))


def _record_paper_vote(db, code: str, values: dict) -> None:
    """The paper vote of the form; a problem with its dossier (unknown code, already rated)
    is shown under the dossier code."""
    try:
        dossier_id = find_by_code(db, code) if code else None
        core_votes.record_paper_vote(db, dossier_id=dossier_id, **values)
    except FieldError:
        raise
    except MotCuaError as exc:
        raise FieldError("dossier", exc.message) from exc
