"""Fee payments of a dossier: recording one, the method it defaults to, overpayment, cancellation.

A payment moves the online-payment indicator (spec 5), so three mistakes the counter makes must
not pass silently (issue 11):
- the method defaults to what the dossier's channel makes likely (`default_method`), so one
  stray Enter on a counter dossier records cash, never an online payment;
- a payment that takes the total paid beyond the dossier's fee raises `OverpaymentWarning`
  (amounts named) until the caller confirms it (`confirm_overpayment=True`): the window asks the
  clerk, the command line and the import never pass without saying so;
- a payment entered by mistake is cancelled with a reason (`cancel_payment`): the row stays,
  with when, why and by whom, and an event on the dossier; every figure skips it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from core import cancelling, dossiers, facts, limits, timefmt, validation
from core.accounts import recorded
from core.clock import refuse_future
from core.errors import FieldError, OperationError
from db import ledger
from db.connection import transaction
from db.entry_rows import new_id
from db.schema import PAYMENT_METHODS

# The method a new payment of a dossier received by each channel defaults to.
DEFAULT_METHOD = {"direct": "cash", "postal": "postal", "online": "online"}
LIVE = "cancelled_at IS NULL"  # the SQL condition of a payment that counts


def default_method(channel: str) -> str:
    """The payment method the form proposes for a dossier received by `channel`.

    A counter dossier is mostly paid in cash, a postal one by post, an online one online; a
    wrong default would silently move the online-payment figure, the costliest mistake.
    """
    return DEFAULT_METHOD.get(channel, "cash")


@dataclass(frozen=True)
class Overpayment:
    code: str
    fee: int
    paid: int      # live payments already recorded
    amount: int    # the new payment

    @property
    def excess(self) -> int:
        return self.paid + self.amount - self.fee

    def message(self) -> str:
        money = timefmt.vn_money
        already = (f"đã thu {money(self.paid)}" if self.paid else "chưa thu khoản nào")
        fee = f"lệ phí {money(self.fee)}" if self.fee else "không thu lệ phí"
        return (f"Hồ sơ {self.code} {fee}, {already}. Ghi thêm {money(self.amount)} thì tổng "
                f"thu là {money(self.paid + self.amount)}, vượt {money(self.excess)}.")


class OverpaymentWarning(OperationError):
    """The payment would exceed the fee; nothing was stored. The window asks and retries."""

    def __init__(self, overpayment: Overpayment):
        super().__init__(overpayment.message() + " Chưa ghi khoản thu này.")
        self.overpayment = overpayment


def paid_total(db: sqlite_utils.Database, dossier_id: int) -> int:
    """What the dossier's live (not cancelled) payments add up to."""
    # TOTAL, not SUM: amounts stored by an older version (2^63-1) must not overflow the sum
    return int(db.execute(f"SELECT TOTAL(amount) FROM payments WHERE dossier_id = ? "
                          f"AND {LIVE}", [dossier_id]).fetchone()[0])


def fee_of(db: sqlite_utils.Database, dossier_id: int) -> int:
    """The dossier's fee: its own, or its procedure's (spec 7: empty = the procedure's fee)."""
    row = db.execute("SELECT COALESCE(d.fee, p.fee, 0) FROM dossiers d JOIN procedures p "
                     "ON p.code = d.procedure_code WHERE d.id = ?", [dossier_id]).fetchone()
    return row[0] if row else 0


def overpayment(db: sqlite_utils.Database, dossier_id: int, amount: int) -> Overpayment | None:
    """The overpayment a new payment of `amount` would make, or None when it stays within the fee."""
    fee, paid = fee_of(db, dossier_id), paid_total(db, dossier_id)
    if paid + amount <= fee:
        return None
    code = db.execute("SELECT code FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
    return Overpayment(code, fee, paid, amount)


def _check(method: str, amount, paid_at: dt.datetime, reference: str | None) -> None:
    if method not in PAYMENT_METHODS:
        raise FieldError("method", f"Hình thức thanh toán không hợp lệ: {method!r}.")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise FieldError("amount", "Số tiền phải là số nguyên dương (đồng).")
    limits.check_money("amount", amount)
    validation.check_texts({"reference": reference})  # its length, no bidi or control character
    refuse_future(paid_at, "paid_at", "Thời điểm thanh toán")


def add_payment(db: sqlite_utils.Database, dossier_id: int, *, amount: int, method: str,
                paid_at: dt.datetime | None = None, reference: str | None = None,
                actor: str | None = None, confirm_overpayment: bool = False) -> int:
    """Record a payment with its event; returns its id.

    Raises OverpaymentWarning (nothing stored) when it would take the total beyond the fee,
    unless `confirm_overpayment`.
    """
    actor = recorded("payment.record", actor)
    paid_at = paid_at or timefmt.now()
    _check(method, amount, paid_at, reference)
    with transaction(db) as conn:
        dossier = dossiers.load(db, dossier_id)
        validation.check_payment_time(paid_at, dossier.received_at)
        excess = overpayment(db, dossier_id, amount)
        if excess and not confirm_overpayment:
            raise OverpaymentWarning(excess)
        conn.execute(
            "INSERT INTO payments(dossier_id, amount, method, paid_at, reference, actor) "
            "VALUES (?,?,?,?,?,?)",
            [dossier_id, amount, method, timefmt.to_db_time(paid_at),
             dossiers.clean_text(reference), actor])
        payment_id = new_id(conn, "payments")  # through the view: not lastrowid (db.entry_rows)
        ledger.added(conn, "payments", "id = ?", [payment_id])  # spec 10: edits show
        details = {"amount": amount, "method": method}
        if excess:
            details["over_fee"] = excess.excess  # the clerk confirmed it
        dossiers.record_event(conn, dossier_id, paid_at, actor, "payment", dossier.status,
                              dossier.status, None, details)
        facts.refresh(db, [dossier_id])
    return payment_id


def cancel_payment(db: sqlite_utils.Database, payment_id: int, *, reason: str,
                   actor: str | None = None, at: dt.datetime | None = None) -> None:
    """Cancel a payment entered by mistake: kept with when, why and who; no figure counts it."""
    actor = recorded("payment.record", actor)
    at, reason = cancelling.checked_request(
        at, reason, "Cần ghi lý do huỷ khoản thu (sẽ lưu trong lịch sử hồ sơ).")
    with transaction(db) as conn:
        row = conn.execute("SELECT dossier_id, amount, method, paid_at, cancelled_at FROM payments "
                           "WHERE id = ?", [payment_id]).fetchone()
        if row is None:
            raise OperationError(f"Không tìm thấy khoản thu số {payment_id}.")
        dossier_id, amount, method, paid_at, cancelled = row
        dossier = dossiers.load(db, dossier_id)
        if cancelled:
            raise OperationError(f"Khoản thu {timefmt.vn_money(amount)} của hồ sơ {dossier.code} "
                                 f"{cancelling.state(cancelled).lower()}.")
        cancelling.mark(conn, "payments", payment_id, at, reason, actor)
        dossiers.record_event(conn, dossier_id, at, actor, "cancel_payment", dossier.status,
                              dossier.status, reason,
                              {"payment_id": payment_id, "amount": amount, "method": method,
                               "paid_at": paid_at})
        facts.refresh(db, [dossier_id])
