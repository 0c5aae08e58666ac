"""One dossier: all its fields, the timeline of events, and only the actions allowed now (their
buttons and what each runs: gui.dossiers.detail_actions)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from core import components, dossier_votes, payments, timefmt
from core import live_due as livedue
from core.actor_names import Names
from core.dossiers import CHANNEL_VI, STATUS_VI
from core.exchange import recode
from core.labels import RESULT_DELIVERY_VI
from core.limits import clip
from core.privacy import access
from core.register import time_left
from gui import bus, ops, shown, widgets
from gui.dossiers import actions, detail_text
from gui.dossiers.complaints_box import ComplaintsBox
from gui.dossiers.detail_actions import DossierActions
from gui.dossiers.detail_text import (
    clear_layout,
    event_details,
    reserve_lines,
    unit_text,
    when,
)
from gui.dossiers.documents_box import DocumentsBox
from gui.dossiers.payments_box import PaymentsBox
from gui.dossiers.print_menu import PrintMenu

EVENT_SHOWN = 2000  # characters of one history cell; an old event may carry a huge old value
FIELDS_SQL = """
SELECT d.*, p.name AS procedure_name, p.limit_value, p.limit_unit, p.same_day_cutoff,
       p.fee AS procedure_fee, u.name AS unit_name,
       (SELECT c.name FROM units c WHERE c.code = d.competent_unit_code) AS competent_name,
       (SELECT a.sender_code FROM code_aliases a WHERE a.local_code = d.code) AS original_code
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code JOIN units u ON u.code = d.unit_code
WHERE d.id = ?"""


class DossierDialog(DossierActions, PrintMenu, QDialog):
    SHOWS = ops.DOSSIERS | ops.PAYMENTS | ops.VOTES | ops.CATALOGUE

    def __init__(self, db, dossier_id: int, parent=None, now=None):
        super().__init__(parent)
        self.db, self.dossier_id = db, dossier_id
        self._now = now or (lambda: timefmt.now())
        outer = QVBoxLayout(self)
        self.layout_ = QVBoxLayout()  # the dossier's contents, rebuilt by reload()
        outer.addLayout(self.layout_, 1)
        # the actions are built once and stay where they are (issue 14 §6): a click after an
        # action never lands on another one that moved into its place
        outer.addWidget(self._action_panel())
        # more history rows on a big screen; fit_to_screen clamps it on a 1366×768 one
        widgets.fit_to_screen(self, 1100, 880)
        self.reload()
        # the window shows the applicant's phone, ID number and address: Law 91/2025 asks
        # who saw them (core.privacy.access; the administrator reads the log)
        access.record(db, "dossier.view", dossier_id)
        # a vote from the kiosk (this process or another) shows here without reopening
        bus.bus().executed.connect(self._executed)
        self.finished.connect(self._detach)

    def _executed(self, changes: ops.Changes) -> None:
        if changes.touches(self.SHOWS):
            self.reload()

    def _detach(self) -> None:
        try:
            bus.bus().executed.disconnect(self._executed)
        except (RuntimeError, TypeError):
            pass  # finished twice: already detached

    # ----- reading --------------------------------------------------------------------------
    def load(self) -> dict:
        cursor = self.db.execute(FIELDS_SQL, [self.dossier_id])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))

    def reload(self) -> None:
        tab = self.tabs.currentIndex() if getattr(self, "tabs", None) is not None else 0
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
            elif item.layout():
                clear_layout(item.layout())
        self.d = self.load()
        self.setWindowTitle(f"Hồ sơ {shown.text(self.d['code'])}")
        # one clock reading for what the refresh shows: the header's due time and time left,
        # and the «Đánh giá» line's kiosk wait (a second reading an hour later on a loaded PC
        # said «Chưa có» of a vote the kiosk was still asking for)
        now = self._now()
        self.layout_.addWidget(self._header(now))
        self.layout_.addWidget(self._fields(now))
        self.payments_box = None
        if self._fee() or self.db.execute("SELECT 1 FROM payments WHERE dossier_id = ?",
                                          [self.dossier_id]).fetchone():
            self.payments_box = PaymentsBox(self.db, self.dossier_id)
            self.layout_.addWidget(self.payments_box)
        self.documents = components.dossier_components(self.db, self.dossier_id)
        self.documents_box = DocumentsBox(self.db, self.dossier_id, self.documents, self.d)
        self.tabs = self.documents_box.beside(self._timeline())
        # complaints (issue 17) in a third tab; the tab the clerk was on stays open on reload
        self.complaints_box = ComplaintsBox(self.db, self.dossier_id, self.d["code"], self._now)
        self.tabs.addTab(self.complaints_box, self.complaints_box.title)
        self.tabs.setCurrentIndex(tab)
        self.layout_.addWidget(self.tabs, 1)
        self._update_actions()

    def _due(self, now: dt.datetime | None = None):
        # the one answer of core (the office hours and limit in force at its reception, the
        # waits under the office's policy): the extension dialog and Mẫu 04 read it too. `now`:
        # the one clock reading of what is shown with it (a paused dossier's due time moves
        # with the clock: read twice, the header said "Quá hạn" of a dossier still paused)
        return livedue.due_of_dossier(self.db, self.dossier_id, now or self._now())

    def _header(self, now: dt.datetime) -> QLabel:
        d = self.d
        cal, due = self._due(now)
        # the words of the register's column (it said "đang tạm dừng chờ bổ sung" here)
        state = time_left(d["status"], due, d["finished_at"], cal, now)
        # a dossier re-coded at an import (two PCs gave its code to two dossiers): its
        # sender's code, which the citizen's receipt and the sender's records carry
        original = (f" &nbsp;({recode.ORIGINAL_VI} {shown.escaped(d['original_code'])})"
                    if d["original_code"] else "")
        # rich on purpose (the bold code): the stored code escaped, read as typed (gui.shown)
        label = QLabel(
            f"<b style='font-size:13pt'>{shown.escaped(d['code'])}</b>{original} &nbsp; "
            f"{STATUS_VI[d['status']]} &nbsp;·&nbsp; Hạn trả: "
            f"{timefmt.vn_datetime(due) if due else '—'}{self._appointment(due)}"
            f" &nbsp;·&nbsp; <b>{state}</b>")
        label.setTextFormat(Qt.TextFormat.RichText)
        self.header_label = label
        return label

    def _appointment(self, due) -> str:
        """The day promised to the citizen by an extension (Mẫu 04), when the due time shown is
        another: with the setting due_basis 'original' (the default, spec 2.3) the time left
        and the figures count from the original due time, but the clerk must see the new day
        the citizen was given."""
        extended = self.d["extended_due_at"]
        if not extended or self.d["status"] not in livedue.OPEN:
            return ""
        moment = timefmt.parse_db_time(extended)
        return "" if moment == due else f" (hẹn lại {timefmt.vn_datetime(moment)})"

    def _fields(self, now: dt.datetime) -> QGroupBox:
        d = self.d
        box = QGroupBox("Thông tin hồ sơ")
        grid = QGridLayout(box)
        fee, paid = self._fee(), payments.paid_total(self.db, self.dossier_id)
        # clip: a value stored by an older version (a 10 MB name) must not freeze the dialog
        pairs = [
            ("Thủ tục", f"{d['procedure_code']} — {clip(d['procedure_name'], 'name')}"),
            ("Đơn vị", unit_text(d)),
            ("Người nộp", clip(d["applicant_name"], "applicant_name") or ""),
            ("Điện thoại", clip(d["applicant_phone"], "applicant_phone") or ""),
            ("Số định danh", clip(d["applicant_id_no"], "applicant_id_no") or ""),
            ("Thư điện tử", clip(d["applicant_email"], "applicant_email") or ""),
            ("Người được ủy quyền", clip(d["representative"], "representative") or ""),
            ("Nhận kết quả", RESULT_DELIVERY_VI.get(d["result_delivery"], "")),
            ("Địa chỉ", clip(d["applicant_address"], "applicant_address") or ""),
            ("Kênh nộp", CHANNEL_VI.get(d["channel"], d["channel"])),
            ("Tiếp nhận", when(d["received_at"])),
            ("Hạn theo quy định", when(d["calc_due_at"])),
            ("Hạn gia hạn", when(d["extended_due_at"])),
            ("Xử lý xong", when(d["finished_at"])), ("Trả kết quả", when(d["returned_at"])),
            ("Lệ phí", timefmt.vn_money(fee or 0)), ("Đã thu", timefmt.vn_money(paid)),
            ("Kết quả điện tử", "Có" if d["e_result"] else "Không"),
            ("Số bộ", str(d["copies"])),
            ("Đánh giá", self._vote_text(now)),
            ("Ghi chú", clip(d["note"], "note") or ""),
        ]
        # the long values take whole lines, the short ones three to a line: the dialog keeps
        # its height on a 728-px screen, and a long name its lines (issue 14 §2, §5)
        row = col = 0
        for label, value in pairs:
            wide = label in detail_text.WIDE_FIELDS
            if wide and col:
                row, col = row + 1, 0
            grid.addWidget(QLabel(f"<span style='color:#555'>{label}:</span>"), row, col * 2)
            # a value stored before the rule, neutralised, and its tags shown as typed
            text = shown.label(value)
            text.setWordWrap(True)
            # a word longer than the column (an old absurd value) is cut, not widening the dialog
            text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(text, row, col * 2 + 1, 1, detail_text.PER_LINE * 2 - 1 if wide else 1)
            reserve_lines(text, self.width() * (0.8 if wide else 0.8 / detail_text.PER_LINE))
            if label == "Đánh giá":
                self.vote_label = text
                if self.votes_extra:  # seen on the dossier, not only by `check`
                    text.setStyleSheet(widgets.ERROR_STYLE)
            col = detail_text.PER_LINE if wide else col + 1
            if col == detail_text.PER_LINE:
                row, col = row + 1, 0
        for value_column in range(1, detail_text.PER_LINE * 2, 2):
            grid.setColumnStretch(value_column, 1)
        grid.setVerticalSpacing(3)  # lines of text, not of boxes: room for a wrapped name
        return box

    def _vote_text(self, now: dt.datetime) -> str:
        text, self.votes_extra = dossier_votes.window_line(self.db, self.dossier_id, now)
        return text

    def _timeline(self) -> QWidget:
        # no box of its own: its tab says "Lịch sử xử lý", and a second title took a row
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        rows = self.db.execute("SELECT at, action, from_status, to_status, reason, details, actor, "
                               "id FROM events WHERE dossier_id = ? ORDER BY at, id",
                               [self.dossier_id]).fetchall()
        names = Names(self.db)  # a commune's clerk merged here by the commune's name
        table = QTableWidget(len(rows), 5)
        table.setHorizontalHeaderLabels(["Thời điểm", "Việc", "Trạng thái", "Lý do / chi tiết",
                                         "Người thực hiện"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, (at, action, old, new, reason, details, actor, event_id) in enumerate(rows):
            status = STATUS_VI.get(new, "") if old == new or old is None else \
                f"{STATUS_VI.get(old, old)} → {STATUS_VI.get(new, new)}"
            cells = [when(at), actions.ACTION_VI.get(action, action), status,
                     clip(event_details(action, reason, details), "", EVENT_SHOWN),
                     clip(names.of(actor, "event_rows", event_id), "received_by")]
            for c, text in enumerate(cells):
                table.setItem(r, c, shown.item(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)
        self.timeline = table
        return box


def open_dossier(parent, db, dossier_id: int, *, payment: bool = False) -> None:
    """The dossier's window over `parent`, freed once closed: a dialog left as a hidden child of
    a list held ~3 MB per dossier opened until the list closed (bench/bench_register_memory.py)."""
    dialog = DossierDialog(db, dossier_id, parent)
    try:
        if payment:
            dialog.record_payment()
        dialog.exec()
    finally:
        dialog.deleteLater()
