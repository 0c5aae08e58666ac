"""Payments (spec 7): dossier_code*, amount* (> 0), method*, paid_at*, reference; then MotCua's
cancelled_at, cancel_reason, cancelled_by (core.transfer.cancellation).

Upsert by dossier + reference; without a reference a row matches a stored payment with all
the same fields. Identical rows are counted, not merged: two equal cash payments in the file
are two payments, and importing the file again finds both. A payment that takes a dossier's
live total beyond its fee is imported (the file records what was paid) with a warning naming
the row and the amounts (`warnings`), as the window asks before recording one.
"""
from __future__ import annotations

from collections import Counter

from core import facts, validation
from core import payments as core_payments
from core.transfer import cancellation
from core.transfer.base import Column, Kind, Record, placeholders
from core.transfer.cells import bounded, enum, money, time_value
from db import ledger
from db.entry_rows import new_id
from db.schema import PAYMENT_METHODS


def dossier_ids(conn, codes: list[str]) -> dict[str, int]:
    codes = sorted(set(codes))
    if not codes:
        return {}
    return dict(conn.execute(f"SELECT code, id FROM dossiers WHERE code IN ({placeholders(codes)})",
                             codes).fetchall())


def report_unknown_dossiers(db, records: list[Record]) -> dict[str, int]:
    """Flag rows naming a dossier that is not stored; returns the stored ones' ids by code."""
    found = dossier_ids(db.conn, [r["dossier_code"] for r in records if r.has("dossier_code")])
    for record in records:
        code = record.value("dossier_code")
        if code is not None and code not in found:
            record.error("dossier_code", f"không có hồ sơ mã '{code}' trong cơ sở dữ liệu")
    return found


def check_not_future(record: Record, column: str, latest: str) -> None:
    if record.has(column) and record[column] > latest:
        record.error(column, validation.future_reason(record[column]) or "ở tương lai")


class Payments(Kind):
    name = "payments"
    label = "thanh toán"
    columns = (Column("dossier_code", bounded("dossier_code"), True),
               Column("amount", money("amount"), True),
               Column("method", enum(PAYMENT_METHODS), True), Column("paid_at", time_value, True),
               Column("reference", bounded("reference")))
    extra_columns = cancellation.COLUMNS

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.seen: dict[tuple[str, str], int] = {}
        self.added_paid: Counter = Counter()  # live amounts this import adds, per dossier
        # Rows this import adds must not count as "already stored" for later identical rows.
        self.baseline = db.execute("SELECT COALESCE(MAX(id), 0) FROM payments").fetchone()[0]
        self.matched: Counter = Counter()
        self.latest = validation.latest_time()

    def check_row(self, record: Record) -> None:
        check_not_future(record, "paid_at", self.latest)
        if record.has("dossier_code", "reference"):
            key = (record["dossier_code"], record["reference"])
            if key in self.seen:
                record.error("reference", f"hồ sơ này đã có khoản thanh toán cùng mã giao dịch "
                                          f"ở dòng {self.seen[key]}")
            else:
                self.seen[key] = record.row
        cancellation.check(record, "paid_at")

    def check_chunk(self, records: list[Record]) -> None:
        """Known dossiers only, and paid no earlier than received (as the window checks)."""
        found = report_unknown_dossiers(self.db, records)
        codes = sorted({r["dossier_code"] for r in records if r.value("dossier_code") in found})
        received = dict(self.db.execute(
            f"SELECT code, received_at FROM dossiers WHERE code IN ({placeholders(codes)})",
            codes).fetchall()) if codes else {}
        for record in records:
            code = record.value("dossier_code")
            if code in received and record.has("paid_at"):
                reason = validation.payment_time_reason(record["paid_at"], received[code])
                if reason:
                    record.error("paid_at", reason)

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        ids = dossier_ids(conn, [r["dossier_code"] for r in records])
        counts: Counter = Counter()
        changed: set[int] = set()
        for record in records:
            dossier_id = ids[record["dossier_code"]]
            values = [record["amount"], record["method"], record["paid_at"]]
            reference = record.value("reference")
            outcome, payment_id, stored_cancel = (
                self._by_reference(conn, dossier_id, reference, values) if reference
                else self._by_fields(conn, dossier_id, values))
            cancels = payment_id is not None and stored_cancel is None and \
                cancellation.values(record)[0] is not None
            if outcome == "unchanged" and cancels:
                outcome = "updated"
            counts[outcome] += 1
            if outcome == "added" and cancellation.values(record)[0] is None:
                self._warn_overpaid(conn, record, dossier_id)
            if outcome == "unchanged" or not write:
                continue
            changed.add(dossier_id)
            self._write(conn, record, dossier_id, payment_id, stored_cancel, values)
        facts.refresh(self.db, changed)
        return counts

    def _write(self, conn, record, dossier_id, payment_id, stored_cancel, values) -> None:
        if payment_id is None:
            conn.execute(
                "INSERT INTO payments(dossier_id, amount, method, paid_at, reference, "
                "cancelled_at, cancel_reason, cancelled_by, actor) VALUES (?,?,?,?,?,?,?,?,?)",
                [dossier_id, *values, record.value("reference"), *cancellation.values(record),
                 self.actor])
            # through the view: not lastrowid (db.entry_rows)
            ledger.added(conn, "payments", "id = ?", [new_id(conn, "payments")])  # spec 10
            return
        with ledger.changing(conn, "payments", "id = ?", [payment_id]):
            conn.execute("UPDATE payments SET amount = ?, method = ?, paid_at = ? WHERE id = ?",
                         [*values, payment_id])
        cancellation.cancel_stored(conn, "payments", payment_id, stored_cancel, record)

    def _warn_overpaid(self, conn, record: Record, dossier_id: int) -> None:
        """Warn (never refuse) when this row takes the dossier's live total beyond its fee."""
        before = int(conn.execute(  # TOTAL: an old absurd amount must not overflow the sum
            "SELECT TOTAL(amount) FROM payments WHERE dossier_id = ? AND id <= ? "
            f"AND {core_payments.LIVE}", [dossier_id, self.baseline]).fetchone()[0])
        fee = core_payments.fee_of(self.db, dossier_id)
        paid = before + self.added_paid[dossier_id]
        self.added_paid[dossier_id] += record["amount"]
        if paid + record["amount"] > fee:
            over = core_payments.Overpayment(record["dossier_code"], fee, paid, record["amount"])
            self.warnings.append(f"Dòng {record.row}: {over.message()}")

    def _by_reference(self, conn, dossier_id, reference, values) -> tuple[str, int | None, str | None]:
        row = conn.execute("SELECT id, amount, method, paid_at, cancelled_at FROM payments "
                           "WHERE dossier_id = ? AND reference = ? AND id <= ? ORDER BY id LIMIT 1",
                           [dossier_id, reference, self.baseline]).fetchone()
        if row is None:
            return "added", None, None
        return ("unchanged" if list(row[1:4]) == values else "updated"), row[0], row[4]

    def _by_fields(self, conn, dossier_id, values) -> tuple[str, int | None, str | None]:
        """The n-th identical row of the file matches the n-th identical stored payment."""
        key = (dossier_id, *values)
        stored = conn.execute(
            "SELECT id, cancelled_at FROM payments WHERE dossier_id = ? AND amount = ? "
            "AND method = ? AND paid_at = ? AND COALESCE(reference, '') = '' AND id <= ? "
            "ORDER BY id", [*key, self.baseline]).fetchall()
        if len(stored) > self.matched[key]:
            payment_id, cancelled = stored[self.matched[key]]
            self.matched[key] += 1
            return "unchanged", payment_id, cancelled
        return "added", None, None

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM payments").fetchone()[0]

    def export_rows(self):
        yield from self.db.conn.cursor().execute(
            "SELECT d.code, p.amount, p.method, p.paid_at, p.reference, p.cancelled_at, "
            "p.cancel_reason, p.cancelled_by FROM payments p "
            "JOIN dossiers d ON d.id = p.dossier_id ORDER BY p.id")
