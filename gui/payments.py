"""Thanh toán: record and list fee payments; follow up fee-bearing dossiers not paid online."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import cancelling, empty_lists, timefmt
from core import payments as core_payments
from core.dossiers import STATUS_VI, find_by_code
from core.errors import MotCuaError
from core.unit_scope import scope_in, scope_param, subtree_codes
from core.workbook import lists
from gui import errors, list_export, ops, permissions, shown, widgets
from gui.dossiers.actions import METHOD_VI, CancelDialog
from gui.dossiers.register_view import code_width
from gui.fit_columns import OnResize
from gui.lazymodel import RIGHT, Column, Row, SqlListModel
from gui.period_bar import PeriodBar


def _time(text: str) -> str:
    return timefmt.vn_datetime(timefmt.parse_db_time(text))


def _date(text: str) -> str:
    return timefmt.vn_date(timefmt.parse_db_time(text))


# the national portal's transaction number, the longest reference the office meets
LONG_REFERENCE = "DVCQG-000000-00000000"


class PaymentsModel(SqlListModel):
    """Every payment of the period; a cancelled one stays listed, struck through (issue 11)."""

    SPEC = lists.PAYMENTS  # headers and row SQL shared with its Excel file
    H = SPEC.headers
    COLUMNS = (Column(H[0], "pm.paid_at", indexed=True), Column(H[1], "d.code"),
               Column(H[2], "d.applicant_name"), Column(H[3], "pm.amount", RIGHT),
               Column(H[4], "pm.method"), Column(H[5], "pm.reference"),
               Column(H[6], "pm.cancelled_at"))
    ID_SQL = "pm.id"
    DEFAULT_SORT = (0, Qt.SortOrder.DescendingOrder)
    ROW_SQL = SPEC.row_sql
    # the state as the Excel file says it, "Đã huỷ lúc 09:30 11/06/2025" (core.cancelling): the
    # last column has room for it at 1366 px (the votes' narrow one says "Đã huỷ"); why on hover
    FORMAT = (_time, None, None, timefmt.vn_money, lambda m: METHOD_VI.get(m, m), None,
              cancelling.state)

    def base_from(self) -> str:
        return "FROM payments pm JOIN dossiers d ON d.id = pm.dossier_id"

    def decorate(self, row: Row, values) -> Row:
        if values[6]:  # cancelled: kept in the list, not in any total
            # struck through but for its state; when and why on hover, as in the votes' list
            row.struck, row.foreground = tuple(range(6)), QColor("#777777")
            row.tooltip = cancelling.note(values[6], values[7])
        return row


class FollowUpModel(SqlListModel):
    """Dossiers received in the period with a fee and no online payment (spec 5 online_payment)."""

    SPEC = lists.FOLLOW_UP  # headers and row SQL shared with its Excel file
    H = SPEC.headers
    COLUMNS = (Column(H[0], "d.code"), Column(H[1], "d.applicant_name"),
               Column(H[2], "d.applicant_phone"), Column(H[3], "d.received_at"),
               Column(H[4], "COALESCE(d.fee, p.fee)", RIGHT),
               Column(H[5], None, RIGHT), Column(H[6], "d.status"))
    ID_SQL = "d.id"
    DEFAULT_SORT = (3, Qt.SortOrder.DescendingOrder)
    ROW_SQL = SPEC.row_sql
    FORMAT = (None, None, None, _date, timefmt.vn_money, timefmt.vn_money,
              lambda s: STATUS_VI.get(s, s))

    def base_from(self) -> str:
        return ("FROM dossiers d JOIN procedures p ON p.code = d.procedure_code")


# Each list's columns as wide as their longest value (the time, the amount, the reference, the
# state…), the code read whole, and the citizen's name takes the rest: at fixed widths the names
# had 170 px at 1366 (a company's name cut) while the state column, empty but for a cancelled
# payment, took 290.
MONEY = "100.000.000 đ"
WHOLE = {PaymentsModel: {0: ["00:00 00/00/0000"], 3: [MONEY], 4: list(METHOD_VI.values()),
                         5: [LONG_REFERENCE], 6: [cancelling.state("2025-06-11 09:30:00")]},
         FollowUpModel: {2: ["0000.000.000 (000)"], 3: ["00/00/0000"], 4: [MONEY], 5: [MONEY],
                         6: list(STATUS_VI.values())}}
CODE = {PaymentsModel: 1, FollowUpModel: 0}
NAME = {PaymentsModel: 2, FollowUpModel: 1}
NAME_LEAST = 200  # px: below it the list scrolls sideways rather than cut the names shorter


def fit_columns(view, model) -> None:
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column, texts in WHOLE[type(model)].items():
        widgets.fit_column(view, column, texts, least=model.H[column], padding=16)
    # a code is read whole: citizens track their dossier by it (issue 14 §5)
    view.setColumnWidth(CODE[type(model)], code_width(view))
    OnResize(view, lambda: share_names(view, NAME[type(model)]))
    share_names(view, NAME[type(model)])


def share_names(view, name: int) -> None:
    """The name stretches over what the other columns leave, at least NAME_LEAST."""
    header = view.horizontalHeader()
    others = sum(view.columnWidth(c) for c in range(header.count()) if c != name)
    if view.viewport().width() - others >= NAME_LEAST:
        header.setSectionResizeMode(name, QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(name, QHeaderView.ResizeMode.Interactive)
        view.setColumnWidth(name, NAME_LEAST)


class PaymentsScreen(QWidget):
    SHOWS = ops.PAYMENTS | ops.DOSSIERS | ops.CATALOGUE  # reloaded after these writes

    def __init__(self, db, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.period = PeriodBar(db, today=today)
        self.period.changed.connect(self.refresh)
        top.addWidget(self.period)
        top.addStretch(1)
        record = QPushButton("Ghi nhận thanh toán…")
        record.clicked.connect(self.record)
        permissions.guard(record, "payment.record")
        top.addWidget(record)
        self.cancel_button = permissions.guard(QPushButton("Huỷ khoản thu…"), "payment.record")
        self.cancel_button.setToolTip("Huỷ khoản thu đang chọn (nhập nhầm), có ghi lý do; khoản "
                                      "thu vẫn được giữ trong lịch sử của hồ sơ.")
        self.cancel_button.clicked.connect(self.cancel_selected)
        top.addWidget(self.cancel_button)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.payments = PaymentsModel(db, self)
        self.follow = FollowUpModel(db, self)
        for model, title in ((self.payments, "Các khoản đã thu"),
                             (self.follow, "Cần theo dõi: có phí, chưa thanh toán trực tuyến")):
            view = widgets.table_view()
            view.setModel(model)
            view.setSortingEnabled(True)
            view.horizontalHeader().setSortIndicator(*model.DEFAULT_SORT)
            fit_columns(view, model)
            self.tabs.addTab(view, title)
        self.payments_view = self.tabs.widget(0)
        self.follow_view = self.tabs.widget(1)
        self.payments_view.empty_text = self.no_payment_text
        self.follow_view.empty_text = lambda: empty_lists.FOLLOW_UP_NONE
        self.follow_view.doubleClicked.connect(self._open_follow)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()  # beside the totals: the top row is full at 1366 px
        self.summary = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        bottom.addWidget(self.summary, 1)
        self.export_button = list_export.button()
        self.export_button.clicked.connect(self.export_excel)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)

    def refresh(self) -> None:
        self.period.reload_units()
        period = self.period.checked_period()
        if period is None:  # said beside the days; no list of a period that cannot be
            for model in (self.payments, self.follow):
                model.clear()
            self.summary.setText(f"Không có danh sách: {self.period.problem.text()}")
            return
        first, last = period
        start, end = first.isoformat(), (last + dt.timedelta(days=1)).isoformat()
        unit = self.period.unit()
        units = subtree_codes(self.db, unit) if unit else []
        unit_sql, unit_params = ([scope_in("d.unit_code")], [scope_param(units)]
                                 ) if units else ([], [])
        self.payments.set_where(["pm.id IN (SELECT id FROM payment_rows WHERE paid_at >= "
                                 "unixepoch(?) AND paid_at < unixepoch(?))"] + unit_sql,
                                [start, end] + unit_params)
        self.payments.reload()
        self.follow.set_where(
            ["d.id IN (SELECT id FROM dossier_rows WHERE received_at >= unixepoch(?) "  # seconds
             "AND received_at < unixepoch(?))", "COALESCE(d.fee, p.fee) > 0",
             "NOT EXISTS (SELECT 1 FROM payments x WHERE x.dossier_id = d.id AND x.method = 'online'"
             " AND x.cancelled_at IS NULL)"]
            + unit_sql, [start, end] + unit_params)
        self.follow.reload()
        from_where, params = self.payments.from_where()
        live, total, cancelled = self.db.execute(
            "SELECT COUNT(*) - COUNT(pm.cancelled_at), "
            "CAST(TOTAL(CASE WHEN pm.cancelled_at IS NULL THEN pm.amount END) AS INTEGER), "
            "COUNT(pm.cancelled_at) " + from_where, params).fetchone()
        self.summary.setText(
            f"{timefmt.vn_number(live)} khoản thu, tổng {timefmt.vn_money(total)}"
            + (f" (không tính {timefmt.vn_number(cancelled)} khoản đã huỷ)" if cancelled else "")
            + f" · {timefmt.vn_number(self.follow.rowCount())} hồ sơ có phí "
            "chưa thanh toán trực tuyến (nhấp đúp để mở và ghi nhận).")

    def no_payment_text(self) -> str:
        """None in the period, or none at all yet (one indexed look, only when empty)."""
        any_payment = bool(self.db.execute("SELECT EXISTS (SELECT 1 FROM payments)").fetchone()[0])
        return empty_lists.payments(any_payment, permissions.allowed("payment.record"))

    def export_excel(self):
        """The list of the tab shown, as a workbook; returns the worker."""
        model = self.payments if self.tabs.currentIndex() == 0 else self.follow
        first, last = self.period.period()
        if not list_export.period_ok(self, first, last):
            return None
        return list_export.export(self, self.db, model.SPEC, model.all_ids(),
                                  lists.scope(self.db, self.period.unit(), first, last))

    def cancel_selected(self) -> bool:
        """Cancel the payment selected in the list, with a reason (core.payments.cancel_payment)."""
        rows = self.payments_view.selectionModel().selectedRows()
        payment_id = self.payments.id_at(rows[0].row()) if rows else None
        if payment_id is None or self.tabs.currentIndex() != 0:
            widgets.inform(self, "Huỷ khoản thu", "Hãy chọn khoản cần huỷ trong danh "
                           "sách “Các khoản đã thu”.")
            return False
        cells = [self.payments.index(rows[0].row(), c).data() for c in range(7)]
        if cells[6]:  # "Khoản thu này đã huỷ lúc 09:30 11/06/2025."
            widgets.inform(self, "Huỷ khoản thu", f"Khoản thu này {cells[6].lower()}.")
            return False
        dialog = CancelDialog("Huỷ khoản thu", f"Huỷ khoản thu {cells[3]} ({cells[4]}, "
                              f"{cells[0]}) của hồ sơ {cells[1]}.", self)
        return ops.run_form(dialog, self.db, lambda db, values: core_payments.cancel_payment(
            db, payment_id, **values), ops.PAYMENTS)

    def record(self) -> None:
        code = widgets.ask_text(self, "Ghi nhận thanh toán", "Mã hồ sơ:")
        if not code or not code.strip():
            return
        try:
            dossier_id = find_by_code(self.db, code)
        except MotCuaError as exc:
            errors.show_error(self, exc, errors.failure_title("tìm hồ sơ theo mã"))
            return
        self._open(dossier_id, payment=True)

    def _open_follow(self, index) -> None:
        self._open(self.follow.id_at(index.row()), payment=False)

    def _open(self, dossier_id: int, *, payment: bool) -> None:
        from gui.dossiers.detail import open_dossier
        open_dossier(self, self.db, dossier_id, payment=payment)
